package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// ErrNotWritable is what WritableFolder's errors wrap.
var ErrNotWritable = errors.New("the configuration cannot be saved there")

// NotWritableError says why the config at Path cannot be saved.
type NotWritableError struct {
	Path   string
	Reason string
}

// Error names the config, the reason and that nothing was written.
func (e *NotWritableError) Error() string {
	return "cannot save " + e.Path + ": " + e.Reason + "; nothing was written"
}

// Unwrap returns ErrNotWritable.
func (e *NotWritableError) Unwrap() error { return ErrNotWritable }

// WritableFolder says whether a write of the config at path can succeed
// as far as the file system goes: the folder it is written in (the real
// file's, when path is a link) exists and this process may create files
// there (a write is a temporary file beside the config, renamed over it,
// plus the lock, the backup and the audit log). The commands that write
// ask before any question or live check, so that the answer "cannot
// save here" does not come after all of them.
func WritableFolder(path string) error {
	real, err := RealPath(path)
	if err != nil {
		real = path // a folder on the way that is not one: said below
	}
	dir := filepath.Dir(real)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &NotWritableError{Path: path, Reason: fmt.Sprintf("the folder %s does not exist: create it, or give another --config", dir)}
	case err != nil:
		return &NotWritableError{Path: path, Reason: err.Error()}
	case !fi.IsDir():
		return &NotWritableError{Path: path, Reason: fmt.Sprintf("%s is not a folder", dir)}
	}
	// The effective user's access, as the write will have it (root's
	// included: a read-only file system refuses root too).
	if err := unix.Faccessat(unix.AT_FDCWD, dir, unix.W_OK, unix.AT_EACCESS); err != nil {
		return &NotWritableError{Path: path, Reason: fmt.Sprintf("this user may not create files in %s (%v): "+
			"run sitecfg as a user who may (root?), or give another --config", dir, err)}
	}
	return nil
}
