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

	"sitecfg/internal/atomicfile"
	"sitecfg/internal/fileread"
)

// ReconcileCodesFile settles what a killed run left beside the codes file
// path (see CodesFile), given the recovery-code hashes the config holds
// now; call it under the config's lock, before writing codes to path or
// keeping the saved ones. When the config holds the codes at path, that
// run wrote its config: what it kept aside is removed. Otherwise it did
// not: the file it replaced is put back, or the file it created (an empty
// ReplacedPath) is removed. Temporary files a killed write left are
// removed too. changed says path now holds something else.
//
// A ".FILE.pending" beside path is the previous version's way of staging
// codes (new codes waited there until the config was written): when the
// config holds its codes they are moved into place, otherwise it is
// removed — so an upgrade loses none.
func ReconcileCodesFile(path string, hashes []string) (changed bool, err error) {
	atomicfile.RemoveStale(path)
	if changed, err = reconcilePending(path, hashes); err != nil {
		return changed, err
	}
	side := ReplacedPath(path)
	atomicfile.RemoveStale(side)
	sideInfo, err := os.Lstat(side)
	if errors.Is(err, fs.ErrNotExist) {
		return changed, nil
	}
	if fi, err := os.Lstat(path); err == nil && os.SameFile(fi, sideInfo) {
		// Killed right after setting the old file aside: path is it.
		return changed, removeIfThere(side)
	}
	kept, err := fileread.Regular(side, fileread.Secret)
	if err != nil && !errors.Is(err, fs.ErrNotExist) { // a dangling symlink is put back as it was
		return changed, fmt.Errorf("recovery codes kept in %s: %w", side, err)
	}
	none := err == nil && len(kept) == 0
	current, err := fileread.Regular(path, fileread.Secret)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return changed, fmt.Errorf("recovery codes file: %w", err)
	}
	written := ParseCodesFile(current)
	switch {
	case holds(hashes, written):
		// Killed after its config write: the codes at path are the ones.
		return changed, removeIfThere(side)
	case none && len(written) > 0:
		// Killed before its config write, and there was no file: the
		// codes it created are held by no config.
		if err := removeIfThere(path); err != nil {
			return changed, err
		}
		return true, removeIfThere(side)
	case none:
		// Nothing was there, and what is there now is not that run's.
		return changed, removeIfThere(side)
	}
	// Killed before its config write: what path held comes back.
	if err := atomicfile.Rename(side, path); err != nil {
		return changed, fmt.Errorf("put back the recovery codes kept in %s: %w", side, err)
	}
	return true, nil
}

// reconcilePending moves codes a killed run of the previous version
// staged in ".FILE.pending" into place if the config holds them, and
// removes them otherwise.
func reconcilePending(path string, hashes []string) (bool, error) {
	pending := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".pending")
	atomicfile.RemoveStale(pending)
	data, err := fileread.Regular(pending, fileread.Secret)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("recovery codes waiting in %s: %w", pending, err)
	}
	if !holds(hashes, ParseCodesFile(data)) {
		return false, removeIfThere(pending)
	}
	if err := atomicfile.Rename(pending, path); err != nil {
		return false, fmt.Errorf("move the recovery codes waiting in %s into place: %w", pending, err)
	}
	return true, nil
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
