package recovery

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"sitecfg/internal/atomicfile"
)

// CodesFile is a recovery-codes file one run wrote, with what was there
// before, so that a run that ends without writing the config can take
// back exactly what it did (Undo) and nothing else.
//
// The wizard writes the codes before the config (the operator saves them
// and types one back first). A file it replaces may hold the codes the
// saved config still works with, so their content also waits on disk, in
// ReplacedPath, until the run ends: Undo puts it back, Keep (the config
// now holds the new codes) removes it, and a run killed in between is
// repaired by the next one's ReconcileCodesFile — the codes the config
// holds are never lost to a crash.
type CodesFile struct {
	// Path is where the codes were written.
	Path string
	// before is the file's previous content; existed says there was one.
	before  []byte
	existed bool
	// replaced says this write put before in ReplacedPath.
	replaced bool
}

// ReplacedPath is where the content of a codes file the wizard replaced
// waits until the config is written: a hidden file beside it (mode 0600).
func ReplacedPath(path string) string {
	return filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".replaced")
}

// WriteCodesFile writes an admin's recovery codes to path with mode 0600,
// saying whose they are, when they were made and that each works once.
// Without overwrite an existing file is refused (an error wrapping
// os.ErrExist). The file is replaced atomically.
func WriteCodesFile(path, user string, codes []string, at time.Time, overwrite bool) (*CodesFile, error) {
	f := &CodesFile{Path: path}
	old, err := os.ReadFile(path)
	switch {
	case err == nil:
		if !overwrite {
			return nil, fmt.Errorf("%s already exists (use --force to replace it): %w", path, os.ErrExist)
		}
		f.before, f.existed = old, true
		// The oldest content is the one to keep: a ReplacedPath already
		// there is this run's (an earlier run's was reconciled first).
		if _, err := os.Lstat(ReplacedPath(path)); errors.Is(err, fs.ErrNotExist) {
			if err := atomicfile.Write(ReplacedPath(path), old); err != nil {
				return nil, fmt.Errorf("keep what %s holds until the config is written: %w", path, err)
			}
			f.replaced = true
		}
	case errors.Is(err, fs.ErrNotExist):
	default:
		if _, lerr := os.Lstat(path); lerr == nil && !overwrite {
			return nil, fmt.Errorf("%s already exists (use --force to replace it): %w", path, os.ErrExist)
		}
	}
	if err := atomicfile.Write(path, CodesFileContent(user, codes, at)); err != nil {
		if f.replaced {
			_ = os.Remove(ReplacedPath(path))
		}
		return nil, err
	}
	return f, nil
}

// Rewrite writes the file again with other codes or another user (the
// admin was renamed); Undo still restores what was there before the first
// write.
func (f *CodesFile) Rewrite(user string, codes []string, at time.Time) error {
	return atomicfile.Write(f.Path, CodesFileContent(user, codes, at))
}

// Undo takes the write back: the file this run created is removed, a file
// it replaced gets its previous content again. A nil CodesFile does
// nothing.
func (f *CodesFile) Undo() error {
	if f == nil {
		return nil
	}
	if f.existed {
		if err := atomicfile.Write(f.Path, f.before); err != nil {
			return err
		}
		return f.Keep()
	}
	if err := os.Remove(f.Path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// Keep is called once the config holding the written codes is saved: what
// the file held before is no longer needed (its codes stopped working) and
// is removed from ReplacedPath. A nil CodesFile does nothing.
func (f *CodesFile) Keep() error {
	if f == nil || !f.replaced {
		return nil
	}
	if err := os.Remove(ReplacedPath(f.Path)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// CodesFileContent is the text of a recovery-codes file.
func CodesFileContent(user string, codes []string, at time.Time) []byte {
	b := fmt.Appendf(nil, "Recovery codes for the UI admin %q\n", user)
	b = fmt.Appendf(b, "Generated %s by sitecfg.\n\n", at.UTC().Format("2006-01-02 15:04:05 MST"))
	b = append(b, "Each code works ONCE to reset the password (sitecfg reset-password).\n"...)
	b = append(b, "Generating a new set makes every code below stop working.\n"...)
	b = append(b, "Keep this file somewhere safe and offline, then delete it here.\n\n"...)
	for i, c := range codes {
		b = fmt.Appendf(b, "%2d. %s\n", i+1, c)
	}
	return b
}
