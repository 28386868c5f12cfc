package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"sitecfg/config"
	"sitecfg/internal/fileread"
	"sitecfg/internal/lineread"
	"sitecfg/pipeline"
	"sitecfg/recovery"
)

// newResetPasswordCmd is `sitecfg reset-password`: a password reset with
// a recovery code.
func newResetPasswordCmd(e *env) *cobra.Command {
	c := &cobra.Command{
		Use:   "reset-password",
		Short: "reset a UI password with a one-time recovery code (the code is checked first, then the new password twice)",
		Args:  noArgs,
	}
	fs := c.Flags()
	user := fs.String("user", "", "the username (`NAME`) whose password is reset — required")
	markRequired(fs, "user")
	cfg := configFlag(fs)
	c.RunE = action(func(ctx context.Context, _ []string) error {
		path := configPath(*cfg, e)
		rec := newAuditRun(e, path, "reset-password")
		return rec.finish(runResetPassword(ctx, e, path, *user, rec))
	})
	return c
}

// errWrongCode is a code that is not (or no longer) valid for the user.
var errWrongCode = errors.New("that recovery code is not valid (wrong, or already used); nothing was changed")

// errCodeJustUsed is a code that was valid when this run started but that
// another run redeemed in the meantime.
var errCodeJustUsed = errors.New("that recovery code was just used by another sitecfg run; nothing was changed")

// usedMeanwhile reports whether code matches one of the hashes that were
// in before (read when the run started) but are gone from now (under the
// lock): a valid code that lost a race, which must not count as a wrong
// guess. Only the removed hashes are checked.
func usedMeanwhile(before, now []string, code string) bool {
	still := make(map[string]bool, len(now))
	for _, h := range now {
		still[h] = true
	}
	var gone []string
	for _, h := range before {
		if !still[h] {
			gone = append(gone, h)
		}
	}
	_, ok := recovery.Match(gone, code)
	return len(gone) > 0 && ok
}

// prompter asks reset-password's questions on stderr and reads the
// answers with no echo from a terminal, or line by line from stdin when
// it is not one. Every read gives up at once on Ctrl+C.
type prompter struct {
	e *env
	r *lineread.Reader
}

func newPrompter(e *env) *prompter {
	return &prompter{e: e, r: lineread.New(e.stdin, stdinFD(e), e.stderr)}
}

// secret asks one question; errCancelled means the operator pressed
// Ctrl+C (the signal, or the byte on a terminal in raw mode).
func (p *prompter) secret(ctx context.Context, prompt string) (string, error) {
	fmt.Fprint(p.e.stderr, prompt)
	line, err := p.r.Secret(ctx)
	if err == nil {
		return line, nil
	}
	fmt.Fprintln(p.e.stderr) // end the prompt's line before the error is said
	switch {
	case ctx.Err() != nil, errors.Is(err, context.Canceled):
		return "", errCancelled
	case errors.Is(err, io.EOF):
		return "", withCode(exitInvalid, fmt.Errorf("input ended before the %s was given", strings.TrimSuffix(strings.ToLower(prompt), ": ")))
	}
	return "", withCode(exitInvalid, fmt.Errorf("read the %s: %w", strings.TrimSuffix(strings.ToLower(prompt), ": "), err))
}

func runResetPassword(ctx context.Context, e *env, path, user string, j pipeline.Journal) error {
	if user == "" {
		return failf(exitUsage, "--user NAME is required")
	}
	site, _, err := loadConfig(path)
	if err != nil {
		return err
	}
	acc, role := site.Account(user)
	if acc == nil {
		return failf(exitInvalid, "%s has no UI user %q", path, user)
	}
	if len(acc.RecoveryCodes) == 0 && role != "admin" {
		return failf(exitInvalid, "%s is the support user, who has no recovery codes: the UI admin sets a new password for it with sitecfg (the wizard) or sitecfg apply", acc.Username)
	}
	if len(acc.RecoveryCodes) == 0 {
		return failf(exitInvalid, "%s has no unused recovery codes: an administrator can make new ones with sitecfg recovery-codes --user %s", acc.Username, acc.Username)
	}
	p := newPrompter(e)
	fmt.Fprintf(e.stderr, "Resetting the UI password of %s in %s.\n", acc.Username, path)
	code, err := p.secret(ctx, "Recovery code: ")
	if err != nil {
		return err
	}
	// The code is judged before a new password is asked for: a wrong one
	// is said at once. It is matched under the config lock, after the
	// slow-down for earlier wrong codes (served under the lock, so that
	// parallel guesses queue behind it), and not yet consumed.
	err = pipeline.Update(ctx, path, 2*time.Minute, nil, func(s *config.Site) error {
		a, _ := s.Account(user)
		if a == nil {
			return errWrongCode
		}
		if d := recovery.Delay(failures(path, acc.Username)); d > 0 {
			fmt.Fprintf(e.stderr, "Too many wrong codes: waiting %s before this one is tried.\n", d.Round(time.Second))
			select {
			case <-time.After(d):
			case <-ctx.Done():
				return errCancelled
			}
		}
		if _, ok := recovery.Match(a.RecoveryCodes, code); !ok {
			if usedMeanwhile(acc.RecoveryCodes, a.RecoveryCodes, code) {
				// A valid code another run redeemed first: not a guess.
				return errCodeJustUsed
			}
			recordFailure(path, acc.Username)
			return errWrongCode
		}
		return errCodeValid // nothing is written yet
	})
	if !errors.Is(err, errCodeValid) {
		return resetError(err)
	}
	pw, err := p.secret(ctx, "New password: ")
	if err != nil {
		return err
	}
	confirm, err := p.secret(ctx, "New password again: ")
	if err != nil {
		return err
	}
	if err := config.ValidatePassword(acc.Username, pw); err != nil {
		return failf(exitInvalid, "new password: %v; nothing was changed", err)
	}
	if err := config.ValidateConfirm(pw, confirm); err != nil {
		return failf(exitInvalid, "%v; nothing was changed", err)
	}
	hash, err := recovery.Hash(pw)
	if err != nil {
		return err
	}
	if ctx.Err() != nil {
		return errCancelled
	}
	// The code is consumed under the lock, on the file as it is now, so
	// parallel runs cannot redeem it twice; a code that no longer
	// matches was redeemed by another run meanwhile (it matched above).
	left := 0
	err = pipeline.Update(ctx, path, 2*time.Minute, j, func(s *config.Site) error {
		a, _ := s.Account(user)
		if a == nil {
			return errWrongCode
		}
		i, ok := recovery.Match(a.RecoveryCodes, code)
		if !ok {
			return errCodeJustUsed
		}
		a.RecoveryCodes = append(a.RecoveryCodes[:i:i], a.RecoveryCodes[i+1:]...)
		a.PasswordHash = hash
		left = len(a.RecoveryCodes)
		return nil
	})
	if err != nil {
		return resetError(err)
	}
	clearFailures(path, acc.Username)
	fmt.Fprintf(e.stdout, "The password of %s was reset and the code is used up; %d unused code(s) left.\n", acc.Username, left)
	if left <= 3 {
		fmt.Fprintf(e.stdout, "Few codes are left: make a new set with sitecfg recovery-codes --user %s\n", acc.Username)
	}
	return nil
}

// errCodeValid ends the first look at the code (it matched) without
// writing anything.
var errCodeValid = errors.New("the recovery code matches")

// resetError maps what a look at the code under the lock ended with to
// an exit code.
func resetError(err error) error {
	switch {
	case errors.Is(err, errCancelled), errors.Is(err, context.Canceled):
		return errCancelled
	case errors.Is(err, errWrongCode), errors.Is(err, errCodeJustUsed):
		return withCode(exitInvalid, err)
	}
	return withCode(exitIO, err)
}

// The failure count lives beside the config (PATH.attempts-USER, 0600):
// one number, the consecutive wrong codes.
func attemptsPath(path, user string) string {
	return path + ".attempts-" + strings.ToLower(user)
}

func failures(path, user string) int {
	b, err := fileread.Regular(attemptsPath(path, user), 64)
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return n
}

func recordFailure(path, user string) {
	_ = config.WriteAtomic(attemptsPath(path, user), []byte(strconv.Itoa(failures(path, user)+1)+"\n"))
}

func clearFailures(path, user string) { os.Remove(attemptsPath(path, user)) }
