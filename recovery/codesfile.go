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

// CodesFile is a recovery-codes file written for a config that is about
// to hold the codes' hashes, and the one way sitecfg writes one: the
// wizard (which writes the codes first, so that the operator saves them
// and types one back), apply and recovery-codes all go through it. The
// codes are written to Path before the config; until the run settles,
// what Path held before waits beside it in ReplacedPath — or, when there
// was nothing, an empty ReplacedPath says so. Its states:
//
//	WriteCodesFile            → written: the codes at Path, the old file aside
//	written → Keep            → kept:    the config holds the codes; the old file is gone
//	written → Undo            → undone:  no config will; Path is as it was before
//	written, process killed   → the next run's ReconcileCodesFile (under the
//	                            config's lock) keeps the file if the config
//	                            holds Path's codes, and undoes it otherwise
//
// Kept and undone are final: Undo after Keep does nothing, so once the
// config is written nothing takes its codes away (Ctrl+C on the last
// screen). The zero CodesFile has written nothing: Keep and Undo do
// nothing for it.
//
// At every instant the codes the saved config holds are on disk: at Path,
// or in ReplacedPath while a run that replaced them has not written its
// config. The old file is moved aside as a hard link where the file
// system allows, so that putting it back is a rename, which needs no free
// space: on a full disk the config write fails, never the way back.
type CodesFile struct {
	// Path is where the codes were written.
	Path string
	// existed says there was a file at Path before the run.
	existed bool
	state   codesFileState
	// config is the config the codes are for, which the file names.
	config string
}

// codesFileState is where a CodesFile is in its life (see CodesFile).
type codesFileState uint8

const (
	codesNotWritten codesFileState = iota
	codesWritten
	codesKept
	codesUndone
)

// ReplacedPath is where what a codes file held before a run's write waits
// until the run ends: a hidden file beside it, mode 0600 (the old file
// itself, hard-linked), or empty when there was no file.
func ReplacedPath(path string) string {
	return filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".replaced")
}

// WriteCodesFile writes an admin's recovery codes to path (atomically,
// mode 0600), saying whose they are, when they were made and that each
// works once, and keeps what path held in ReplacedPath until Keep or
// Undo. Without overwrite an existing path is refused (an error wrapping
// os.ErrExist); a path that exists but is not a regular file is always
// refused. A ReplacedPath already there is kept as it is: it holds the
// oldest content, from this run's earlier write (a killed run's is
// reconciled first, ReconcileCodesFile).
func WriteCodesFile(path, user string, codes []string, at time.Time, overwrite bool) (*CodesFile, error) {
	return WriteCodesFileFor(path, user, "", codes, at, overwrite)
}

// WriteCodesFileFor is WriteCodesFile for the codes of the config at
// configPath, which the file names, with this machine's host name.
func WriteCodesFileFor(path, user, configPath string, codes []string, at time.Time, overwrite bool) (*CodesFile, error) {
	f := &CodesFile{Path: path, config: configPath}
	fi, err := os.Stat(path)
	switch {
	case err == nil && !fi.Mode().IsRegular():
		return nil, fmt.Errorf("%s is not a regular file: choose another file for the recovery codes", path)
	case err == nil && !overwrite:
		return nil, fmt.Errorf("%s already exists (use --force to replace it): %w", path, os.ErrExist)
	case errors.Is(err, fs.ErrNotExist):
		// A symlink to nowhere is still a file the operator has there.
		if _, lerr := os.Lstat(path); lerr == nil && !overwrite {
			return nil, fmt.Errorf("%s already exists (use --force to replace it): %w", path, os.ErrExist)
		}
	case err != nil:
		return nil, fmt.Errorf("recovery codes file: %w", err)
	}
	side := ReplacedPath(path)
	set, err := f.setAside(side)
	if err != nil {
		return nil, fmt.Errorf("keep what %s holds until the config is written: %w", path, err)
	}
	if err := atomicfile.Write(path, CodesFileText(user, configPath, codes, at)); err != nil {
		if set {
			_ = os.Remove(side)
		}
		return nil, err
	}
	f.state = codesWritten
	return f, nil
}

// setAside keeps what Path holds in side (set says this call put it
// there), and notes whether there was a file.
func (f *CodesFile) setAside(side string) (set bool, err error) {
	if fi, err := os.Lstat(side); err == nil {
		// This run's earlier write: the oldest content stays.
		f.existed = fi.Size() > 0 || fi.Mode()&fs.ModeSymlink != 0
		return false, nil
	}
	_, err = os.Lstat(f.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		// Nothing to keep; the empty file says a killed run's codes are
		// to be removed, not put back over nothing.
		return true, atomicfile.Write(side, nil)
	case err != nil:
		return false, err
	}
	f.existed = true
	if err := atomicfile.Link(f.Path, side); err == nil {
		return true, nil
	}
	// No hard links here (some network and FUSE file systems): a copy.
	old, err := os.ReadFile(f.Path)
	if err != nil {
		return false, err
	}
	return true, atomicfile.Write(side, old)
}

// Rewrite writes the file again with other codes or another user (the
// admin was renamed); Undo still restores what was there before the first
// write.
func (f *CodesFile) Rewrite(user string, codes []string, at time.Time) error {
	return atomicfile.Write(f.Path, CodesFileText(user, f.config, codes, at))
}

// Keep is called, under the config's lock, once the config holding the
// written codes is saved: the file stays whatever happens next, and what
// it replaced (whose codes stopped working) is removed. A removal that
// fails leaves the old file aside for the next run's ReconcileCodesFile.
func (f *CodesFile) Keep() error {
	if f == nil || f.state != codesWritten {
		return nil
	}
	f.state = codesKept
	return removeIfThere(ReplacedPath(f.Path))
}

// Undo takes the write back when no config will hold the codes: the file
// this run created is removed, a file it replaced is put back (renamed,
// so that a full disk does not stop it). It does nothing after Keep.
func (f *CodesFile) Undo() error {
	if f == nil || f.state != codesWritten {
		return nil
	}
	f.state = codesUndone
	side := ReplacedPath(f.Path)
	if f.existed {
		err := atomicfile.Rename(side, f.Path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil // put back already (a run that reconciled this file)
		}
		return err
	}
	if err := removeIfThere(f.Path); err != nil {
		return err
	}
	return removeIfThere(side)
}

// removeIfThere removes path; a path that is not there is no error.
func removeIfThere(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// CodesFileContent is the text of a recovery-codes file.
func CodesFileContent(user string, codes []string, at time.Time) []byte {
	return CodesFileText(user, "", codes, at)
}

// CodesFileText is the text of a recovery-codes file for the config at
// configPath ("": not named): whose codes, for which config on which
// host, when made, and that each works once.
func CodesFileText(user, configPath string, codes []string, at time.Time) []byte {
	b := fmt.Appendf(nil, "Recovery codes for the UI admin %q\n", user)
	if configPath != "" {
		where := configPath
		if abs, err := filepath.Abs(configPath); err == nil {
			where = abs
		}
		host, _ := os.Hostname()
		if host == "" {
			host = "this machine"
		}
		b = fmt.Appendf(b, "For the config %s on %s.\n", where, host)
	}
	b = fmt.Appendf(b, "Generated %s by sitecfg.\n\n", at.UTC().Format("2006-01-02 15:04:05 MST"))
	b = append(b, "Each code works ONCE to reset the password (sitecfg reset-password).\n"...)
	b = append(b, "Generating a new set makes every code below stop working.\n"...)
	b = append(b, "Keep this file somewhere safe and offline, then delete it here.\n\n"...)
	for i, c := range codes {
		b = fmt.Appendf(b, "%2d. %s\n", i+1, c)
	}
	return b
}
