// Package fileread reads the small files sitecfg is given — answers,
// site config, secrets behind file:, PEM files, recovery-codes files,
// the audit log —
// so that no such read can hang or exhaust memory: only regular files
// are read (a FIFO or a device such as /dev/zero is refused without
// blocking), and never more than a stated limit.
package fileread

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
)

// ErrNotRegular is returned for a path that is not a regular file (a
// FIFO, a device, a socket, a directory).
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is returned for a file longer than the limit.
var ErrTooLarge = errors.New("file too large")

// Limits for what sitecfg reads.
const (
	// Secret bounds a secret read through file: (a password, a client
	// secret).
	Secret = 64 << 10
	// PEM bounds a certificate or key file.
	PEM = 1 << 20
	// Answers bounds an answers file.
	Answers = 1 << 20
	// Config bounds a site-config file.
	Config = 4 << 20
	// Log bounds an audit log: a line is a few hundred bytes, so this is
	// a couple of hundred thousand runs.
	Log = 64 << 20
)

// Regular reads the regular file at path, following symlinks, and at
// most limit bytes of it. The file is opened non-blocking so that a FIFO
// is refused at once rather than waited on. Errors wrap ErrNotRegular,
// ErrTooLarge or the *os.PathError of the open.
func Regular(path string, limit int64) ([]byte, error) {
	f, fi, err := open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi.Size() > limit {
		return nil, fmt.Errorf("%s: %w (%d bytes; at most %s)", path, ErrTooLarge, fi.Size(), Size(limit))
	}
	// The size can grow between Stat and the read: read one byte more
	// than allowed to notice.
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: %w (at most %s)", path, ErrTooLarge, Size(limit))
	}
	return data, nil
}

// Tail reads the regular file at path as Regular does, but a file over
// limit is not refused: its last limit bytes are read, from the first
// line that starts within them (a log read from its end).
func Tail(path string, limit int64) ([]byte, error) {
	f, fi, err := open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	start := max(0, fi.Size()-limit)
	data, err := io.ReadAll(io.NewSectionReader(f, start, limit))
	if err != nil {
		return nil, err
	}
	if start > 0 {
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			data = data[i+1:]
		}
	}
	return data, nil
}

// open opens the regular file at path non-blocking (a FIFO is refused at
// once rather than waited on), following symlinks.
func open(path string) (*os.File, os.FileInfo, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, nil, fmt.Errorf("%s: %w (%s)", path, ErrNotRegular, kind(fi.Mode()))
	}
	return f, fi, nil
}

// Size says n bytes in words ("64 KiB").
func Size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

func kind(m os.FileMode) string {
	switch {
	case m&os.ModeNamedPipe != 0:
		return "a FIFO"
	case m&os.ModeCharDevice != 0:
		return "a character device"
	case m&os.ModeDevice != 0:
		return "a block device"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m.IsDir():
		return "a directory"
	}
	return "not a plain file"
}
