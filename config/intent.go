package config

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"time"

	"sitecfg/internal/fileread"
)

// Intent is what a write of the config is about to do, written beside it
// (IntentPath) before the config is replaced and removed once the audit
// log has the write's line (package audit). A run killed between the two
// leaves it: the next reader sees that the config it finds is the one
// sitecfg wrote, not an edit made outside sitecfg, and the log gets the
// missing line back.
type Intent struct {
	Time time.Time `json:"time"`
	// Before and After are the SHA-256 (hex) of the config before and
	// after the write ("" when there was none before).
	Before string `json:"before"`
	After  string `json:"after"`
}

// IntentPath is where the intent of a write of the config at path (its
// real path, RealPath) is kept.
func IntentPath(realPath string) string { return realPath + ".intent" }

// ReadIntent reads the intent beside the config at realPath; nil when
// there is none or it cannot be read.
func ReadIntent(realPath string) *Intent { return readIntent(IntentPath(realPath)) }

// ReadPreviousIntent is the intent a later write found still there (its
// run was killed before its audit line) and moved aside, to
// IntentPath+".prev", for the log to recover; nil when there is none.
func ReadPreviousIntent(realPath string) *Intent { return readIntent(IntentPath(realPath) + ".prev") }

// RemovePreviousIntent deletes the intent ReadPreviousIntent read.
func RemovePreviousIntent(realPath string) { _ = os.Remove(IntentPath(realPath) + ".prev") }

func readIntent(path string) *Intent {
	data, err := fileread.Regular(path, 4096)
	if err != nil {
		return nil
	}
	var in Intent
	if json.Unmarshal(data, &in) != nil || in.After == "" {
		return nil
	}
	return &in
}

// writeIntent records, before the write, what it will do. An intent
// still there (a killed run's) is moved aside, not lost.
func writeIntent(realPath string, old, data []byte) error {
	if _, err := os.Lstat(IntentPath(realPath)); err == nil {
		_ = os.Rename(IntentPath(realPath), IntentPath(realPath)+".prev")
	}
	in := Intent{Time: time.Now().UTC(), After: sum(data)}
	if old != nil {
		in.Before = sum(old)
	}
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	return WriteAtomic(IntentPath(realPath), append(b, '\n'))
}

// RemoveIntent deletes the intent once the write's line is in the log.
func RemoveIntent(realPath string) { _ = os.Remove(IntentPath(realPath)) }

func sum(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}
