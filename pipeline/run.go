package pipeline

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"sitecfg/config"
)

// ErrNoConfig is returned by Open with MustExist when there is no config
// at the path.
var ErrNoConfig = errors.New("no configuration")

// Run is one pass of the pipeline over one config path: what was read at
// the start, and the clock every rule is judged at.
type Run struct {
	// Path is the site-config file.
	Path string
	// Prev is the saved config (nil on a first deploy or when the file
	// cannot be read), migrated in memory, secrets resolved where possible.
	Prev *config.Site
	// Loaded says what loading found (the schema version, migrations).
	Loaded *config.Loaded
	// Unreadable is why an existing file could not be read (bad YAML,
	// unknown keys); nil when it was read or there was none. Commit
	// refuses to replace it (ErrUnreadable) unless ReplaceUnreadable is
	// set; it is then kept as PATH.bak.
	Unreadable error
	// ReplaceUnreadable is the operator's explicit consent (a flag, a
	// confirmation) to replace an Unreadable file.
	ReplaceUnreadable bool
	// SecretNotes are stored secret references that could not be resolved
	// (an unset ${ENV}, a missing file).
	SecretNotes config.Problems

	now func() time.Time
	// read is the file's content as read at Open (nil: there was none);
	// Commit refuses to write over anything else.
	read []byte
	// journal is told about each write (Options.Journal).
	journal Journal
}

// Options tune Open.
type Options struct {
	// Now is the clock every rule is judged at; nil means time.Now.
	Now func() time.Time
	// MustExist makes a missing file an error wrapping ErrNoConfig
	// (check, export) instead of a first deploy.
	MustExist bool
	// Strict makes an unreadable file an error (a *config.FormatError)
	// instead of something to replace.
	Strict bool
	// Journal, when set, is told about every write Commit makes (the
	// audit log).
	Journal Journal
	// Writes says the run means to write (apply, the wizard): Open
	// fails at once, with a *config.NotWritableError, when the config's
	// folder is missing or may not be written — not after every
	// question and the live check.
	Writes bool
}

// Open reads the config at path for this run. A file written by a newer
// sitecfg is always an error (config.ErrNewerVersion); other read
// failures are I/O errors.
func Open(path string, o Options) (*Run, error) {
	r := &Run{Path: path, now: o.Now, journal: o.Journal}
	if r.now == nil {
		r.now = time.Now
	}
	if o.Writes {
		if err := config.WritableFolder(path); err != nil {
			return nil, err
		}
	}
	data, err := config.ReadConfigFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if o.MustExist {
			return nil, fmt.Errorf("%w at %s: run sitecfg (or sitecfg apply) first", ErrNoConfig, path)
		}
		return r, nil
	case err != nil:
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	r.read = data
	site, loaded, err := config.Parse(data)
	if err != nil {
		fe := &config.FormatError{Path: path, Err: err}
		if o.Strict || errors.Is(err, config.ErrNewerVersion) {
			return nil, fe
		}
		r.Unreadable = fe
		return r, nil
	}
	r.Prev, r.Loaded = site, loaded
	r.SecretNotes = site.ResolveSecrets()
	return r, nil
}

// With starts a run over path from a saved config the caller already
// holds (the demo, tests): the file as it is now is what Commit expects
// to find.
func With(path string, prev *config.Site, now func() time.Time) *Run {
	r := &Run{Path: path, Prev: prev, now: now}
	if r.now == nil {
		r.now = time.Now
	}
	if data, err := config.ReadConfigFile(path); err == nil {
		r.read = data
	}
	return r
}

// Now is the run's clock.
func (r *Run) Now() time.Time { return r.now() }

// Migrations are the notes on what was changed to bring an older file to
// the current schema.
func (r *Run) Migrations() []string {
	if r.Loaded == nil {
		return nil
	}
	return r.Loaded.Migrations
}

// changedSince reports whether the file now differs from what Open read.
func (r *Run) changedSince() (bool, error) {
	data, err := config.ReadConfigFile(r.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return r.read != nil, nil
	case err != nil:
		return false, fmt.Errorf("read %s: %w", r.Path, err)
	}
	return r.read == nil || !bytes.Equal(data, r.read), nil
}
