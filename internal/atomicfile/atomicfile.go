// Package atomicfile replaces a file so that a reader, or a crash, sees
// either the whole old content or the whole new one. The site config, its
// backup and the recovery-codes file are all written this way.
package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Write replaces path with data: it writes a temporary file in the same
// folder with mode 0600, fsyncs it, renames it over path and fsyncs the
// folder. On error the old file is untouched and the temporary file is
// removed.
func Write(path string, data []byte) error {
	return WriteMode(path, data, 0o600)
}

// WriteMode is Write with another mode for the new file (a metrics file
// that a collector running as another user reads is 0644).
func WriteMode(path string, data []byte, perm os.FileMode) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, tempPrefix(path)+"*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	// CreateTemp already uses 0600; Chmod sets perm whatever the umask or
	// the filesystem's default.
	if err = tmp.Chmod(perm); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

// tempPrefix is what the name of every temporary file of path starts
// with; os.CreateTemp adds decimal digits.
func tempPrefix(path string) string { return "." + filepath.Base(path) + ".tmp-" }

// IsTemp reports whether name (a base name) is a temporary file of path:
// exactly the prefix followed by digits, so that the temporaries of
// "a.yaml2" or "a.yaml.tmp-5" are never taken for those of "a.yaml".
func IsTemp(path, name string) bool {
	rest, ok := strings.CutPrefix(name, tempPrefix(path))
	if !ok || rest == "" {
		return false
	}
	for _, c := range rest {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// RemoveStale deletes the temporary files a killed writer of path left
// behind. Call it only while holding whatever lock serialises writers of
// path: a live writer's temporary file would be deleted too.
func RemoveStale(path string) {
	dir := filepath.Dir(path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if IsTemp(path, e.Name()) {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// Rename moves from to to (both in the same folder) and fsyncs the
// folder, so that the rename survives a crash.
func Rename(from, to string) error {
	if err := os.Rename(from, to); err != nil {
		return err
	}
	return syncDir(filepath.Dir(to))
}

// Link gives the file at from a second name, to (in the same folder), and
// fsyncs the folder. A symlink at from is linked itself, not followed.
func Link(from, to string) error {
	if err := os.Link(from, to); err != nil {
		return err
	}
	return syncDir(filepath.Dir(to))
}
