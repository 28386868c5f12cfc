package main

import (
	"errors"
	"fmt"
	"io/fs"

	"sitecfg/config"
	"sitecfg/pipeline"
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
// codes once for every command (configError). The returned error keeps the
// cause in its chain (fs.ErrNotExist, *config.FormatError,
// config.ErrNewerVersion) for commands that treat one of them as normal.
func loadConfig(path string) (*config.Site, *config.Loaded, error) {
	site, loaded, err := config.Load(path)
	if err != nil {
		return nil, nil, configError(path, err)
	}
	return site, loaded, nil
}

// configError is the one mapping of a failure to read the config to an
// exit code, for loadConfig and pipeline.Open alike: no file is 5 (with a
// message telling to run sitecfg first), a file that cannot be understood
// (*config.FormatError, a newer schema) is 3, any other read failure is 5.
func configError(path string, err error) error {
	var fe *config.FormatError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, config.ErrNotWritable):
		return withCode(exitIO, err)
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, pipeline.ErrNoConfig):
		return withCode(exitIO, &noConfigError{path: path, err: err})
	case errors.As(err, &fe):
		return withCode(exitInvalid, err)
	}
	return withCode(exitIO, fmt.Errorf("read the configuration: %w", err))
}
