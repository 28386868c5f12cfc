package audit

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"syscall"

	"sitecfg/internal/atomicfile"
)

// Append adds e as one line to the audit log of the config at
// configPath, creating the log with mode 0600. The caller holds the
// config's lock. A last line a crash left without its newline is closed
// first, so it stays one unreadable line instead of spoiling this one.
func Append(configPath string, e Entry) error {
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
