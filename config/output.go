package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrOutputIsConfig is returned by CheckOutput for an output path that is
// the config itself or one of the files kept beside it.
var ErrOutputIsConfig = errors.New("is the site config or one of its files")

// CheckOutput refuses an output file (a support bundle, a recovery-codes
// file, a metrics file) that would replace the site config at
// configPath, its PATH.bak, PATH.lock, PATH.audit.jsonl (and .1), the
// write's PATH.intent or PATH.notify.lock — by the same
// name, through a symlink or a hard link — or that exists and is not a
// regular file (a device, a FIFO, a folder).
func CheckOutput(configPath, out string) error {
	if out == "" {
		return nil
	}
	outReal, err := realAbs(out)
	if err != nil {
		return fmt.Errorf("%s: %w", out, err)
	}
	outInfo, statErr := os.Stat(outReal)
	if statErr == nil && !outInfo.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file: choose another output file", out)
	}
	cfgReal, err := realAbs(configPath)
	if err != nil {
		return fmt.Errorf("%s: %w", configPath, err)
	}
	for _, suffix := range []string{"", ".bak", ".lock", ".audit.jsonl", ".audit.jsonl.1", ".intent", ".intent.prev", ".notify.lock"} {
		for _, p := range []string{cfgReal + suffix, configPath + suffix} {
			pAbs, err := realAbs(p)
			if err != nil {
				continue
			}
			if pAbs == outReal {
				return fmt.Errorf("%s %w (%s): choose another output file", out, ErrOutputIsConfig, p)
			}
			if statErr != nil {
				continue
			}
			if fi, err := os.Stat(pAbs); err == nil && os.SameFile(fi, outInfo) {
				return fmt.Errorf("%s %w (%s): choose another output file", out, ErrOutputIsConfig, p)
			}
		}
	}
	if statErr != nil && !errors.Is(statErr, fs.ErrNotExist) {
		return fmt.Errorf("%s: %w", out, statErr)
	}
	return nil
}

// realAbs is path absolute, with the symlinks of its folder and of its
// last component followed.
func realAbs(path string) (string, error) {
	real, err := RealPath(path)
	if err != nil {
		return "", err
	}
	abs, err := filepath.Abs(real)
	if err != nil {
		return "", err
	}
	dir, base := filepath.Split(abs)
	if d, err := filepath.EvalSymlinks(dir); err == nil {
		dir = d
	}
	return filepath.Join(dir, base), nil
}
