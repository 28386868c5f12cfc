package main

import (
	"errors"
	"fmt"
	"io/fs"

	"sitecfg/config"
)

// noConfigError is a config file that does not exist yet. It still
// matches fs.ErrNotExist, so a command for which that is normal (the
// wizard on a first deploy, guide) can tell.
type noConfigError struct {
	path string
	err  error
}

func (e *noConfigError) Error() string {
	return fmt.Sprintf("no configuration at %s: run sitecfg (or sitecfg apply) first", e.path)
}

func (e *noConfigError) Unwrap() error { return e.err }

// loadConfig loads the saved site config, mapping failures to exit
// codes once for every command: no file is 5 (with a message telling to
// run sitecfg first), a file that cannot be understood
// (*config.FormatError) is 3, any other read failure is 5. The returned
// error keeps the cause in its chain (fs.ErrNotExist, *config.FormatError,
// config.ErrNewerVersion) for commands that treat one of them as normal.
func loadConfig(path string) (*config.Site, *config.Loaded, error) {
	site, loaded, err := config.Load(path)
	var fe *config.FormatError
	switch {
	case err == nil:
		return site, loaded, nil
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil, withCode(exitIO, &noConfigError{path: path, err: err})
	case errors.As(err, &fe):
		return nil, nil, withCode(exitInvalid, err)
	}
	return nil, nil, withCode(exitIO, fmt.Errorf("read the configuration: %w", err))
}
