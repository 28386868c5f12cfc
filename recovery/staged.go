package recovery

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"sitecfg/internal/atomicfile"
	"sitecfg/internal/fileread"
)

// StagedCodes is a new recovery-codes file that waits, complete and
// fsynced, beside the file it will replace (PendingPath) until the config
// holding the codes' hashes is written. The file at Path keeps the codes
// that work until then, so at every instant either the codes file matches
// the config, or the config holds the new hashes and the new codes are in
// the pending file, which ReconcileCodesFile (the next run, under the
// config lock) moves into place.
//
// The order of a commit is: ReconcileCodesFile, StageCodesFile, write the
// config, Install — all under the config's lock. If the config cannot be
// written, Discard: the old codes file was never touched, so nothing needs
// to be written back (which could fail on a full disk).
type StagedCodes struct {
	// Path is the codes file the codes are for.
	Path string
	// Pending is where they wait until Install.
	Pending string
}

// PendingPath is where a staged codes file for path waits: a hidden file
// beside it (mode 0600).
func PendingPath(path string) string {
	return filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".pending")
}

// StageCodesFile writes an admin's recovery codes to path's pending file
// (atomically, mode 0600); path itself is not touched. Without overwrite
// an existing path is refused (an error wrapping os.ErrExist); a path that
// exists but is not a regular file is always refused.
func StageCodesFile(path, user string, codes []string, at time.Time, overwrite bool) (*StagedCodes, error) {
	fi, err := os.Stat(path)
	switch {
	case err == nil && !fi.Mode().IsRegular():
		return nil, fmt.Errorf("%s is not a regular file: choose another file for the recovery codes", path)
	case err == nil && !overwrite:
		return nil, fmt.Errorf("%s already exists (use --force to replace it): %w", path, os.ErrExist)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("recovery codes file: %w", err)
	}
	s := &StagedCodes{Path: path, Pending: PendingPath(path)}
	if err := atomicfile.Write(s.Pending, CodesFileContent(user, codes, at)); err != nil {
		return nil, err
	}
	return s, nil
}

// Install moves the staged file into place (and fsyncs the folder). Call
// it once the config holding the codes' hashes is written.
func (s *StagedCodes) Install() error {
	if s == nil {
		return nil
	}
	if err := atomicfile.Rename(s.Pending, s.Path); err != nil {
		return fmt.Errorf("move the recovery codes into place: %w (they are in %s)", err, s.Pending)
	}
	return nil
}

// Discard removes the staged file: the config was not written, and the
// codes file at Path was never changed. A nil StagedCodes does nothing.
func (s *StagedCodes) Discard() error {
	if s == nil {
		return nil
	}
	if err := os.Remove(s.Pending); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// ReconcileCodesFile finishes what a killed run left behind, given the
// hashes the config holds now; call it under the config's lock, before
// writing or staging codes. A pending file (a run killed between writing
// the config and installing its codes) whose codes the config holds is
// moved into place (installed reports it); any other pending file — its
// config was never written — is removed, as are temporary files a killed
// write left. A replaced file (the wizard killed after writing its codes
// early, see CodesFile) whose codes the config holds is put back in place
// of codes it does not hold; any other replaced file is removed.
func ReconcileCodesFile(path string, hashes []string) (installed bool, err error) {
	if err := reconcileReplaced(path, hashes); err != nil {
		return false, err
	}
	pending := PendingPath(path)
	atomicfile.RemoveStale(path)
	atomicfile.RemoveStale(pending)
	data, err := fileread.Regular(pending, fileread.Secret)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("recovery codes waiting in %s: %w", pending, err)
	}
	if holds(hashes, ParseCodesFile(data)) {
		if err := atomicfile.Rename(pending, path); err != nil {
			return false, fmt.Errorf("move the recovery codes waiting in %s into place: %w", pending, err)
		}
		return true, nil
	}
	if err := os.Remove(pending); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, err
	}
	return false, nil
}

// reconcileReplaced puts back a codes file an interrupted wizard run
// replaced, if the config still holds its codes and not the ones in path.
func reconcileReplaced(path string, hashes []string) error {
	replaced := ReplacedPath(path)
	atomicfile.RemoveStale(replaced)
	data, err := fileread.Regular(replaced, fileread.Secret)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("recovery codes kept in %s: %w", replaced, err)
	}
	if holds(hashes, ParseCodesFile(data)) {
		current, err := fileread.Regular(path, fileread.Secret)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("recovery codes file: %w", err)
		}
		if !holds(hashes, ParseCodesFile(current)) {
			if err := atomicfile.Rename(replaced, path); err != nil {
				return fmt.Errorf("put back the recovery codes kept in %s: %w", replaced, err)
			}
			return nil
		}
	}
	if err := os.Remove(replaced); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// holds says whether the config's hashes include the first of codes.
func holds(hashes, codes []string) bool {
	if len(codes) == 0 || len(hashes) == 0 {
		return false
	}
	_, ok := Match(hashes, codes[0])
	return ok
}

// ParseCodesFile returns the codes listed in a recovery-codes file's
// content (the "NN. CODE" lines), in order.
func ParseCodesFile(data []byte) []string {
	var codes []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		num, code, ok := strings.Cut(strings.TrimSpace(sc.Text()), ". ")
		if !ok || num == "" || strings.Trim(num, "0123456789") != "" {
			continue
		}
		if code = strings.TrimSpace(code); Valid(code) {
			codes = append(codes, code)
		}
	}
	return codes
}
