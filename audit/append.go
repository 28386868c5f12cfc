package audit

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"

	"sitecfg/config"
	"sitecfg/internal/atomicfile"
)

// Append adds e as one line to the audit log of the config at
// configPath, creating the log with mode 0600. The caller holds the
// config's lock. A last line a crash left without its newline is closed
// first, so it stays one unreadable line instead of spoiling this one.
//
// A write's intent (config.Intent) left by a run killed before its line
// is reconciled first: when the config is what that write made, its line
// is added ("interrupted"), so the write is not taken for an edit made
// outside sitecfg. The intent of the write e records goes once e is in.
func Append(configPath string, e Entry) error {
	real, err := config.RealPath(configPath)
	if err != nil {
		real = configPath
	}
	if in := config.ReadPreviousIntent(real); in != nil {
		if err := recoverIntent(configPath, in, e); err != nil {
			return err
		}
		config.RemovePreviousIntent(real)
	}
	own := false
	if in := config.ReadIntent(real); in != nil {
		switch {
		case e.Written && e.After == in.After:
			own = true
		case time.Since(in.Time) > intentAge:
			if err := recoverIntent(configPath, in, e); err != nil {
				return err
			}
			config.RemoveIntent(real)
		}
	}
	if err := appendLine(configPath, e); err != nil {
		return err
	}
	if own {
		config.RemoveIntent(real)
	}
	return nil
}

// intentAge is how old an intent must be before a run other than its
// own takes it for a killed run's (a live run adds its line within
// milliseconds of its write).
const intentAge = 10 * time.Second

// recoverIntent adds the line of the write in describes when the log's
// last write is the one it replaced and the config is what it made — or
// next, the entry about to be added, is a write that replaced it.
func recoverIntent(configPath string, in *config.Intent, next Entry) error {
	if !next.Written || next.Before != in.After {
		cur, err := HashFile(configPath)
		if err != nil || cur != in.After {
			return nil
		}
	}
	last, err := ReadLastWrite(configPath)
	if err != nil || last != nil && last.After != in.Before || last == nil && in.Before != "" {
		return nil
	}
	e := Entry{Time: in.Time, Command: "interrupted (line recovered)", Result: -1, Written: true, Fields: []string{}, Before: in.Before, After: in.After}
	return appendLine(configPath, e)
}

// appendLine adds e as one line (see Append).
func appendLine(configPath string, e Entry) error {
	line, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	line = append(line, '\n')
	p := Path(configPath)
	rotate(p, int64(len(line)))
	// O_NOFOLLOW: the log is a file of its own, never a link to another;
	// O_NONBLOCK and the check below: nor a FIFO or a device.
	f, err := os.OpenFile(p, os.O_RDWR|os.O_APPEND|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0o600)
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil {
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("audit log: %s is not a regular file: nothing was logged", p)
		}
		if fi.Mode().Perm() != 0o600 {
			_ = f.Chmod(0o600)
		}
		if fi.Size() > 0 {
			last := make([]byte, 1)
			if _, err := f.ReadAt(last, fi.Size()-1); err == nil && last[0] != '\n' {
				line = append([]byte{'\n'}, line...)
			} else if err != nil && err != io.EOF {
				return fmt.Errorf("audit log: %w", err)
			}
		}
	}
	// One write: with O_APPEND the kernel places it whole at the end.
	if _, err := f.Write(line); err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	return nil
}

// RotateAt is the size past which Append starts a new log, keeping the
// old one as PATH.audit.jsonl.1 (replacing an older .1): well below the
// bound the log is read to (fileread.Log), so that history, drift and
// --notify never meet a log too large to read.
const RotateAt = 32 << 20

// rotate moves the log at p aside when adding n bytes would take it past
// RotateAt. Only a regular file is moved (a link or a FIFO is Append's to
// refuse).
func rotate(p string, n int64) {
	fi, err := os.Lstat(p)
	if err != nil || !fi.Mode().IsRegular() || fi.Size()+n <= RotateAt {
		return
	}
	_ = atomicfile.Rename(p, p+".1")
}
