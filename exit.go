package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"sitecfg/config"
)

// Exit codes, as in the contract.
const (
	exitOK       = 0
	exitInternal = 1
	exitUsage    = 2
	exitInvalid  = 3
	exitCheck    = 4
	exitIO       = 5
	exitCancel   = 130
)

// exitError carries the exit code a failure maps to. Errors become exit
// codes in exactly one place: exitCode.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func withCode(code int, err error) error {
	if err == nil {
		return nil
	}
	return &exitError{code: code, err: err}
}

func failf(code int, format string, args ...any) error {
	return &exitError{code: code, err: fmt.Errorf(format, args...)}
}

// errCancelled is the operator's Ctrl+C, translated once at the boundary.
var errCancelled = errors.New("cancelled: nothing was written")

// exitCode maps an error to the process exit code.
func exitCode(err error) int {
	var ee *exitError
	var fe *config.FormatError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ee):
		return ee.code
	case errors.Is(err, errCancelled), errors.Is(err, context.Canceled):
		return exitCancel
	case errors.As(err, &fe):
		return exitInvalid
	case errors.Is(err, config.ErrLocked), errors.Is(err, fs.ErrNotExist), errors.Is(err, fs.ErrPermission):
		return exitIO
	}
	return exitInternal
}
