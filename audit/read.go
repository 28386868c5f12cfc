package audit

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"time"

	"sitecfg/internal/fileread"
)

// maxLine is longer than any line sitecfg writes; a longer one is not
// ours.
const maxLine = 1 << 20

// Log is the audit log as read.
type Log struct {
	// Entries are the readable lines, oldest first.
	Entries []Entry
	// Skipped counts lines that could not be read: a last line a crash
	// cut short, or a line damaged by hand.
	Skipped int
}

// Read reads the audit log of the config at configPath. A missing log is
// an empty one; unreadable lines are counted in Skipped, never an error.
func Read(configPath string) (*Log, error) {
	data, err := readLog(configPath)
	if errors.Is(err, fs.ErrNotExist) {
		return &Log{}, nil
	}
	if err != nil {
		return nil, err
	}
	return Parse(data), nil
}

// readLog reads the log of the config at configPath: only a regular file
// (a FIFO put in its place is refused at once instead of hanging `check`),
// and at most fileread.Log bytes.
//
// A log past that bound (grown by hand, or by a version that did not
// rotate it, see Append) is read from its end: the newest fileread.Log
// bytes, from the first whole line. History, drift and --notify keep
// working; the oldest lines are left out.
func readLog(configPath string) ([]byte, error) {
	return fileread.Tail(Path(configPath), fileread.Log)
}

// Parse reads audit log content (see Read).
func Parse(data []byte) *Log {
	l := &Log{}
	for _, line := range bytes.Split(data, []byte{'\n'}) {
		if e, ok := parseLine(line); ok {
			l.Entries = append(l.Entries, e)
		} else if len(bytes.TrimSpace(line)) > 0 {
			l.Skipped++
		}
	}
	return l
}

// parseLine parses one line of the log; a blank, torn, oversized or
// foreign line is not an entry.
func parseLine(line []byte) (Entry, bool) {
	var e Entry
	line = bytes.TrimSpace(line)
	if len(line) == 0 || len(line) > maxLine || json.Unmarshal(line, &e) != nil || e.Command == "" {
		return Entry{}, false
	}
	return e, true
}

// ReadLastWrite is Read(configPath).LastWrite(), parsing the log from its
// end and stopping at the first entry that wrote the config.
// A log rotated since its last write (Append) has it in the previous
// log, PATH.audit.jsonl.1.
func ReadLastWrite(configPath string) (*Entry, error) {
	data, err := readLog(configPath)
	if errors.Is(err, fs.ErrNotExist) {
		return rotatedLastWrite(configPath), nil
	}
	if err != nil {
		return nil, err
	}
	if e := lastWrite(data); e != nil {
		return e, nil
	}
	return rotatedLastWrite(configPath), nil
}

// rotatedLastWrite is the last write the previous log (.1) recorded, nil
// when there is none or it cannot be read.
func rotatedLastWrite(configPath string) *Entry {
	p := Path(configPath) + ".1"
	data, err := fileread.Tail(p, fileread.Log)
	if err != nil {
		return nil
	}
	return lastWrite(data)
}

// lastWrite parses log content from its end, stopping at the first entry
// that wrote the config.
func lastWrite(data []byte) *Entry {
	for end := len(data); end > 0; {
		start := bytes.LastIndexByte(data[:end], '\n') + 1
		if e, ok := parseLine(data[start:end]); ok && e.Written {
			return &e
		}
		end = start - 1
	}
	return nil
}

// LastWrite is the newest entry that wrote the config, nil when none did.
func (l *Log) LastWrite() *Entry {
	for i := len(l.Entries) - 1; i >= 0; i-- {
		if l.Entries[i].Written {
			return &l.Entries[i]
		}
	}
	return nil
}

// LastNotifiedBefore is LastNotified counting only entries not after now
// (plus a minute for clocks a little apart): an entry dated in the future
// — a clock set back, a forged line — is no notice sent.
func (l *Log) LastNotifiedBefore(key string, now time.Time) time.Time {
	var last time.Time
	for _, e := range l.Entries {
		if e.Time.After(now.Add(time.Minute)) {
			continue
		}
		for _, k := range e.Notified {
			if k == key && e.Time.After(last) {
				last = e.Time
			}
		}
	}
	return last
}

// LastNotified is when the notice named key was last sent (zero if
// never).
func (l *Log) LastNotified(key string) time.Time {
	var last time.Time
	for _, e := range l.Entries {
		for _, k := range e.Notified {
			if k == key && e.Time.After(last) {
				last = e.Time
			}
		}
	}
	return last
}
