package config

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"go.yaml.in/yaml/v3"

	"sitecfg/internal/atomicfile"
	"sitecfg/internal/fileread"
)

// ErrLocked is returned when another sitecfg run holds the config's lock.
var ErrLocked = errors.New("another sitecfg run is writing this configuration")

// ErrNewerVersion is returned for a file written by a newer sitecfg.
var ErrNewerVersion = errors.New("written by a newer sitecfg")

// FormatError is a site-config file that cannot be understood: bad YAML,
// unknown keys, a newer schema. The file is left as it is.
type FormatError struct {
	Path string
	Err  error
}

func (e *FormatError) Error() string { return fmt.Sprintf("%s: %v", e.Path, e.Err) }
func (e *FormatError) Unwrap() error { return e.Err }

// Loaded tells what Load found besides the config itself.
type Loaded struct {
	// FromVersion is the schema version the file had (0 for the
	// pre-notifier layout).
	FromVersion int
	// Migrations describe, one line each, what was changed to bring an
	// older file to the current schema; empty when nothing was.
	Migrations []string
}

// Load reads a site-config file, migrating an older layout in memory (the
// file on disk is only changed by a later Save). A missing file returns
// an error satisfying errors.Is(err, fs.ErrNotExist); unreadable content a
// *FormatError.
func Load(path string) (*Site, *Loaded, error) {
	data, err := ReadConfigFile(path)
	if err != nil {
		return nil, nil, err
	}
	s, info, err := Parse(data)
	if err != nil {
		return nil, nil, &FormatError{Path: path, Err: err}
	}
	return s, info, nil
}

// ReadConfigFile reads the site-config file at path (following
// symlinks): only a regular file, and at most fileread.Config bytes, so
// that a config path naming a FIFO or a device can neither hang nor be
// written over. A missing file is an error satisfying
// errors.Is(err, fs.ErrNotExist).
func ReadConfigFile(path string) ([]byte, error) {
	return fileread.Regular(path, fileread.Config)
}

// RealPath is path with symlinks in its last component followed (a
// dangling link gives the path it points at): the file a write must
// replace, and beside which its lock, temporary file and backup live.
// Writing through the link keeps the link, and runs given the link and
// the target share one lock.
func RealPath(path string) (string, error) {
	for range 40 {
		fi, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return path, nil
		}
		if err != nil {
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		target, err := os.Readlink(path)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(path), target)
		}
		path = target
	}
	return "", fmt.Errorf("%s: too many levels of symbolic links", path)
}

// Parse decodes site-config YAML of any known version.
func Parse(data []byte) (*Site, *Loaded, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, nil, fmt.Errorf("not valid YAML: %w", parseError(data, err))
	}
	if err := plainYAML(&doc, ""); err != nil {
		return nil, nil, err
	}
	var probe struct {
		Version *int `yaml:"version"`
	}
	if err := doc.Decode(&probe); err != nil {
		return nil, nil, fmt.Errorf("not valid YAML: %w", yamlError(err))
	}
	switch {
	case probe.Version == nil:
		return migrateLegacy(data)
	case *probe.Version > Version:
		return nil, nil, fmt.Errorf("%w (schema version %d; this sitecfg understands up to %d): upgrade sitecfg, do not edit the file", ErrNewerVersion, *probe.Version, Version)
	case *probe.Version < 1:
		return nil, nil, fmt.Errorf("schema version %d is not valid", *probe.Version)
	}
	var s Site
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		return nil, nil, fmt.Errorf("not a valid site config: %w", yamlError(err))
	}
	info := &Loaded{FromVersion: s.Version}
	if s.Written.Refs != RefsMapping {
		s.legacyRefs(info)
	}
	return &s, info, nil
}

// Marshal renders the site config as it is written to disk. A config
// without a nonce (Stamp.Nonce) gets a new one, kept in s.
func Marshal(s *Site) ([]byte, error) {
	if s.Written.Nonce == "" {
		var n [16]byte
		if _, err := rand.Read(n[:]); err != nil {
			return nil, err
		}
		s.Written.Nonce = hex.EncodeToString(n[:])
	}
	c := *s
	c.Written.Refs = RefsMapping
	s = &c
	var b bytes.Buffer
	b.WriteString("# Site configuration written by sitecfg. Change it with sitecfg, not by hand.\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Lock is an exclusive lock on one config path, held through a sibling
// PATH.lock file with flock(2). The lock file is never removed: removing
// it would let two runs lock two different files.
type Lock struct {
	path string
	f    *os.File
}

// Acquire takes the lock on the config at path, waiting up to wait for a
// run that holds it (zero: fail at once with ErrLocked). A symlinked
// config is locked (and later written) at its target. The lock file is
// opened without following a symlink and must be a regular file: a
// PATH.lock planted as a link in a shared folder cannot make sitecfg
// create or truncate another file.
func Acquire(path string, wait time.Duration) (*Lock, error) {
	return AcquireContext(context.Background(), path, wait)
}

// AcquireContext is Acquire that stops waiting when ctx is done (Ctrl+C,
// SIGTERM), returning ctx's error.
func AcquireContext(ctx context.Context, path string, wait time.Duration) (*Lock, error) {
	real, err := RealPath(path)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	path = real
	f, err := os.OpenFile(path+".lock", os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0o600)
	if err != nil {
		if errors.Is(err, syscall.ELOOP) {
			err = fmt.Errorf("%s.lock is a symbolic link: remove it", path)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("lock %s: %s.lock is not a regular file: remove it", path, path)
	}
	deadline := time.Now().Add(wait)
	delay := 5 * time.Millisecond
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			removeStaleTemps(path)
			return &Lock{path: path, f: f}, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) || time.Now().After(deadline) {
			f.Close()
			if errors.Is(err, syscall.EWOULDBLOCK) {
				return nil, fmt.Errorf("%s: %w", path, ErrLocked)
			}
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		select {
		case <-time.After(delay):
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		}
		delay = min(delay*2, 100*time.Millisecond)
	}
}

// removeStaleTemps deletes the temporary files of the config and its
// backup a killed run left behind: with the lock held, no other writer
// can own one. Other files' temporaries (a.yaml2 beside a.yaml) are not
// touched.
func removeStaleTemps(path string) {
	atomicfile.RemoveStale(path)
	atomicfile.RemoveStale(path + ".bak")
	atomicfile.RemoveStale(IntentPath(path))
}

// Path is the file the lock guards (a symlinked config's target).
func (l *Lock) Path() string { return l.path }

// Release lets the next run in.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Close() // closing drops the flock
	l.f = nil
	return err
}

// Save writes s to the locked path atomically (mode 0600), keeping the
// previous file as PATH.bak. It returns the backup's path ("" when there
// was no previous file). On any error the previous file is intact.
func (l *Lock) Save(s *Site) (backup string, err error) {
	data, err := Marshal(s)
	if err != nil {
		return "", fmt.Errorf("encode site config: %w", err)
	}
	return l.SaveBytes(data)
}

// SaveBytes is Save for already-encoded content.
func (l *Lock) SaveBytes(data []byte) (backup string, err error) {
	return l.saveBytes(data, nil)
}

// SaveDropping is Save for a config that no longer stores, in plain text,
// secrets the previous file did (an SMTP password now given as ${ENV}):
// the backup keeps the previous file with those secrets as the new config
// stores them, so that the plain text does not stay behind in PATH.bak.
func (l *Lock) SaveDropping(s *Site) (backup string, err error) {
	data, err := Marshal(s)
	if err != nil {
		return "", fmt.Errorf("encode site config: %w", err)
	}
	return l.saveBytes(data, func(old []byte) []byte { return dropPlaintext(old, s) })
}

// dropPlaintext is the previous file old with each secret it stores in
// plain text replaced by what next stores, when next does not store that
// same plain text. old is returned unchanged when nothing is dropped or
// it cannot be parsed.
func dropPlaintext(old []byte, next *Site) []byte {
	prev, _, err := Parse(old)
	if err != nil {
		return old
	}
	changed := false
	drop := func(p *Secret, n Secret) {
		if p.Ref == "" && p.Value != "" && n.Stored() != p.Value {
			*p, changed = Secret{Ref: n.Ref}, true
		}
	}
	for _, f := range secretFields {
		if f.in == nil {
			continue
		}
		if p := f.in(&prev.SMTP); p != nil {
			var n Secret
			if q := f.in(&next.SMTP); q != nil {
				n = *q
			}
			drop(p, n)
		}
	}
	if !changed {
		return old
	}
	data, err := Marshal(prev)
	if err != nil {
		return old
	}
	return data
}

func (l *Lock) saveBytes(data []byte, filterBackup func(old []byte) []byte) (backup string, err error) {
	if l.f == nil {
		return "", errors.New("save without holding the lock")
	}
	old, err := ReadConfigFile(l.path)
	switch {
	case err == nil:
		backup = l.path + ".bak"
		if filterBackup != nil {
			old = filterBackup(old)
		}
		if err := WriteAtomic(backup, old); err != nil {
			return "", fmt.Errorf("keep backup: %w", err)
		}
	case errors.Is(err, fs.ErrNotExist):
	default:
		return "", fmt.Errorf("read previous config: %w", err)
	}
	var prev []byte
	if backup != "" {
		prev, _ = ReadConfigFile(l.path)
	}
	if err := writeIntent(l.path, prev, data); err != nil {
		return "", fmt.Errorf("record the write's intent: %w", err)
	}
	if err := WriteAtomic(l.path, data); err != nil {
		return "", err
	}
	return backup, nil
}

// WriteAtomic replaces path with data so that a reader (or a crash) sees
// either the whole old file or the whole new one (mode 0600); see
// package atomicfile.
func WriteAtomic(path string, data []byte) error { return atomicfile.Write(path, data) }

// Update loads the config under the lock (waiting up to wait for another
// run), lets fn change it, and saves it. Nothing is written if fn returns
// an error. This is how one-time recovery codes are consumed exactly once
// even by parallel processes.
func Update(path string, wait time.Duration, fn func(*Site) error) error {
	return UpdateContext(context.Background(), path, wait, fn)
}

// UpdateContext is Update that stops waiting for the lock when ctx is
// done.
func UpdateContext(ctx context.Context, path string, wait time.Duration, fn func(*Site) error) error {
	l, err := AcquireContext(ctx, path, wait)
	if err != nil {
		return err
	}
	defer l.Release()
	s, _, err := Load(l.path)
	if err != nil {
		return err
	}
	if err := fn(s); err != nil {
		return err
	}
	_, err = l.Save(s)
	return err
}
