package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"time"

	"sitecfg/audit"
	"sitecfg/config"
)

// auditRun keeps the audit log (package audit) for one run of a command
// that writes the config, the recovery codes or a password: one line per
// run. A write is recorded as it happens, under the config's lock (the
// run is the pipeline's Journal); a run that wrote nothing — refused,
// failed, cancelled — is recorded when it ends (finish).
type auditRun struct {
	e       *env
	path    string
	command string
	// quiet keeps warnings off stderr (--json).
	quiet bool

	mu     sync.Mutex
	logged bool // a line for this run is in the log
	wrote  bool // this run wrote the config (its line may have failed)
}

func newAuditRun(e *env, path, command string) *auditRun {
	return &auditRun{e: e, path: path, command: command}
}

// lockWait bounds how long a run that wrote nothing waits for the
// config's lock before it appends its line anyway (whole lines still: a
// line without a write cannot put writes out of order). A cancelled run
// does not wait at all: Ctrl+C ends it at once.
const lockWait = time.Second

// Wrote records a write (pipeline.Journal); it is called with the
// config's lock held.
func (a *auditRun) Wrote(before, after []byte, fields []string) {
	e := a.entry(exitOK)
	e.Written, e.Fields = true, fields
	if fields == nil {
		e.Fields = []string{}
	}
	if before != nil {
		e.Before = audit.Hash(before)
	}
	e.After = audit.Hash(after)
	a.mu.Lock()
	a.wrote = true
	a.mu.Unlock()
	a.append(e, -1)
}

// finish records a run that wrote nothing (unless a write was recorded)
// and returns err unchanged. Usage errors are not runs; and with neither
// a config nor a log there is nothing to keep a log of.
func (a *auditRun) finish(err error) error {
	a.mu.Lock()
	done := a.logged || a.wrote // a run that wrote is never logged as one that did not
	a.mu.Unlock()
	code := exitCode(err)
	if done || code == exitUsage {
		return err
	}
	if !exists(a.path) && !exists(audit.Path(a.path)) {
		return err
	}
	e := a.entry(code)
	if h, herr := audit.HashFile(a.path); herr == nil {
		e.Before, e.After = h, h
	}
	wait := lockWait
	if code == exitCancel {
		wait = 0
	}
	a.append(e, wait)
	return err
}

func (a *auditRun) entry(code int) audit.Entry {
	e := audit.Entry{Command: a.command, Result: code}
	e.Who(a.e.now())
	return e
}

// append adds the line, first taking the config's lock for up to wait
// (a negative wait: the caller holds it already).
func (a *auditRun) append(e audit.Entry, wait time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if wait >= 0 {
		if l, err := config.Acquire(a.path, wait); err == nil {
			defer l.Release()
		}
	}
	if err := audit.Append(a.path, e); err != nil {
		if a.quiet {
			// In the JSON result (when it is still to be printed).
			a.e.warnings = append(a.e.warnings, err.Error())
		} else {
			fmt.Fprintf(a.e.stderr, "WARNING: %v\n", err)
		}
		return
	}
	a.logged = true
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return !errors.Is(err, fs.ErrNotExist)
}
