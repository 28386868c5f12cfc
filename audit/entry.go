package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"os/user"
	"strconv"
	"time"

	"sitecfg/config"
	"sitecfg/internal/fileread"
)

// Suffix is added to the config's path to name its audit log.
const Suffix = ".audit.jsonl"

// Path is the audit log of the config at configPath. It lives beside the
// file the config really is (a symlinked config's target, with its lock
// and backup), so runs given the link and the target share one log.
func Path(configPath string) string {
	if real, err := config.RealPath(configPath); err == nil {
		configPath = real
	}
	return configPath + Suffix
}

// Entry is one line of the audit log.
type Entry struct {
	// Time is when the run ended (UTC).
	Time time.Time `json:"time"`
	// User and UID are the operating-system account that ran the
	// command; SudoUser is who ran it through sudo, when they did.
	User     string `json:"user"`
	UID      int    `json:"uid"`
	SudoUser string `json:"sudo_user,omitempty"`
	// Host is the machine's host name.
	Host string `json:"host"`
	// Command is the sitecfg command ("apply", "wizard",
	// "recovery-codes", "reset-password", "check --notify").
	Command string `json:"command"`
	// Result is the command's exit code.
	Result int `json:"result"`
	// Written says whether the run changed the config file.
	Written bool `json:"written"`
	// Fields are the field paths the write changed (added, changed or
	// removed), never their values.
	Fields []string `json:"fields,omitempty"`
	// Before and After are the SHA-256 (hex) of the config file before
	// and after the run; empty when there was no file. A run that wrote
	// nothing has After equal to Before.
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
	// Notified are the expiry notices a `check --notify` sent, by key
	// (see package health).
	Notified []string `json:"notified,omitempty"`
}

// Who fills in the fields that say who ran the command and where, and
// the time.
func (e *Entry) Who(now time.Time) {
	e.Time = now.UTC()
	e.UID = os.Getuid()
	e.User = strconv.Itoa(e.UID)
	if u, err := user.Current(); err == nil && u.Username != "" {
		e.User = u.Username
	}
	e.SudoUser = os.Getenv("SUDO_USER")
	if h, err := os.Hostname(); err == nil {
		e.Host = h
	}
}

// Hash is the SHA-256 of data in hex, as the log records a config.
func Hash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// HashFile is the SHA-256 of the file at path, "" when there is none. Only
// a regular file is read (a FIFO put in the config's place is an error,
// not a wait).
func HashFile(path string) (string, error) {
	data, err := fileread.Regular(path, fileread.Config)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return Hash(data), nil
}
