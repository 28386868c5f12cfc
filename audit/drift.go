package audit

import (
	"time"

	"sitecfg/config"
)

// Drift is a config whose content is not what sitecfg last wrote: it was
// edited outside sitecfg.
type Drift struct {
	// Since is when sitecfg last wrote the file (the edit came after).
	Since time.Time `json:"since"`
	// Recorded is the SHA-256 that write left; Current the file's now
	// ("" when the file is gone).
	Recorded string `json:"recorded_sha256"`
	Current  string `json:"current_sha256"`
}

// Message says it in the operator's words.
func (d *Drift) Message(configPath string) string {
	if d.Current == "" {
		return configPath + " was removed outside sitecfg since " + d.Since.UTC().Format("2006-01-02 15:04 MST")
	}
	return configPath + " was edited outside sitecfg since " + d.Since.UTC().Format("2006-01-02 15:04 MST") +
		" (its SHA-256 is not the one sitecfg recorded): review it, then re-run sitecfg to take the change over"
}

// DriftOf compares the config at configPath with the last write the log
// recorded. It returns nil when they match, and also when the log has no
// write to compare with (a config written before the log existed).
func DriftOf(configPath string, l *Log) (*Drift, error) {
	last := l.LastWrite()
	if last == nil {
		last = rotatedLastWrite(configPath) // rotated since (Append)
	}
	return driftSince(configPath, last)
}

// DriftNow is DriftOf for the log as it is on disk, reading only as much
// of it as it must: from the end back to the last write, which is
// usually the last line (`check` runs it every time, and a log grows for
// years).
func DriftNow(configPath string) (*Drift, error) {
	last, err := ReadLastWrite(configPath)
	if err != nil {
		return nil, err
	}
	return driftSince(configPath, last)
}

func driftSince(configPath string, last *Entry) (*Drift, error) {
	if last == nil {
		return nil, nil
	}
	cur, err := HashFile(configPath)
	if err != nil {
		return nil, err
	}
	if cur == last.After {
		return nil, nil
	}
	// The write of a run killed before its audit line: sitecfg's own,
	// not an edit outside it (the next line added recovers it).
	if real, err := config.RealPath(configPath); err == nil {
		if in := config.ReadIntent(real); in != nil && in.After == cur && in.Before == last.After {
			return nil, nil
		}
	}
	return &Drift{Since: last.Time, Recorded: last.After, Current: cur}, nil
}

// CheckDrift reads the log of the config at configPath and returns its
// drift (see DriftOf) with the log.
func CheckDrift(configPath string) (*Drift, *Log, error) {
	l, err := Read(configPath)
	if err != nil {
		return nil, nil, err
	}
	d, err := DriftOf(configPath, l)
	return d, l, err
}
