package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"sitecfg/config"
	"sitecfg/internal/lineread"
	"sitecfg/pipeline"
	"sitecfg/smtpauth"
)

// newSigninCmd is `sitecfg signin`: the delegated sign-in of a saved
// config, stored after a passing live check.
func newSigninCmd(e *env) *cobra.Command {
	c := &cobra.Command{
		Use:   "signin",
		Short: "sign in (again) as the mailbox of a microsoft-delegated config; the new refresh token is stored after a passing live check",
		Args:  noArgs,
	}
	fs := c.Flags()
	cfg := configFlag(fs)
	var o signinOptions
	fs.BoolVar(&o.device, "device-code", false, "sign in with a code entered at Microsoft's device login page instead of pasting the address back")
	timeoutFlag(fs, &o.timeout)
	c.RunE = action(func(ctx context.Context, _ []string) error {
		o.path = configPath(*cfg, e)
		rec := newAuditRun(e, o.path, "signin")
		o.journal = rec
		return rec.finish(runSignin(ctx, e, o))
	})
	return c
}

type signinOptions struct {
	path    string
	device  bool
	timeout time.Duration
	journal pipeline.Journal
	// hc and check replace the network (tests).
	hc    *http.Client
	check pipeline.CheckFunc
}

// runSignin signs in, runs the live check with the new token, and only
// when it passes writes the config with the refresh token (under the
// lock, audit-logged). The address and prompts go to stderr, the check's
// report and the outcome to stdout.
func runSignin(ctx context.Context, e *env, o signinOptions) error {
	run, err := pipeline.Open(o.path, pipeline.Options{Now: e.now, MustExist: true, Strict: true, Journal: o.journal, Writes: true})
	if err != nil {
		return configError(o.path, err)
	}
	if !run.Prev.SMTP.SignsIn() {
		return failf(exitInvalid, "%s does not sign in as a user (auth: %s): sitecfg signin is for auth: microsoft-delegated", o.path, run.Prev.SMTP.Auth)
	}
	a, ps := run.ValidateSaved()
	printProblems(e.stderr, "", ps)
	if ps.HasErrors() {
		return failf(exitInvalid, "%d problem(s) in %s; nothing was written", len(ps.Errors()), o.path)
	}
	settings, err := pipeline.CheckSettings(a, false)
	if err != nil {
		return withCode(exitInvalid, err)
	}
	settings.SignIn = pipeline.SignInCommand(o.path)
	si := smtpauth.NewSignIn(settings, o.hc)
	var got *smtpauth.SignedIn
	var d *smtpauth.Diagnosis
	if o.device {
		got, d = signInDevice(ctx, e, si)
	} else {
		got, d, err = signInPasted(ctx, e, si)
		if err != nil {
			return err
		}
	}
	if ctx.Err() != nil {
		return errCancelled
	}
	if d != nil {
		printSignInRefusal(e.stderr, d)
		return failf(exitCheck, "the sign-in was refused: %s; nothing was written", d.Summary)
	}
	fmt.Fprintf(e.stderr, "Signed in as %s.\n", orUnknownUser(got.User))
	a.SMTP.OAuth.RefreshToken = config.Secret{Value: got.RefreshToken}
	a.SMTP.OAuth.RefreshTokenExpires = config.RefreshExpiry(run.Now())
	if a.SMTP.Username == "" && got.User != "" {
		a.SMTP.Username = got.User
		fmt.Fprintf(e.stderr, "The mailbox (smtp.username) is %s, the signed-in user.\n", got.User)
	}
	rep, err := pipeline.Check(ctx, a, pipeline.CheckOptions{Timeout: o.timeout, Run: run, Check: o.withNetwork()})
	if ctx.Err() != nil {
		return errCancelled
	}
	if err != nil {
		return withCode(exitInvalid, err)
	}
	printReport(e.stdout, rep)
	if !rep.OK {
		return failf(exitCheck, "live check failed; nothing was written (the sign-in is not kept)")
	}
	w, err := run.Commit(a, pipeline.CommitOptions{By: "sitecfg " + version})
	if err != nil {
		return withCode(exitIO, err)
	}
	fmt.Fprintf(e.stdout, "Wrote %s: the refresh token is stored (expires %s unless a check renews it; the daily check does).\n",
		w.Path, a.SMTP.OAuth.RefreshTokenExpires)
	return nil
}

// withNetwork is the check with the test network, or nil (the real one).
func (o signinOptions) withNetwork() pipeline.CheckFunc {
	if o.hc == nil && o.check == nil {
		return nil
	}
	return func(ctx context.Context, s smtpauth.Settings, so smtpauth.Options) (*smtpauth.Report, error) {
		if o.hc != nil {
			so.HTTPClient = o.hc
		}
		if o.check != nil {
			return o.check(ctx, s, so)
		}
		return smtpauth.Check(ctx, s, so)
	}
}

// signInPasted shows the sign-in address, unbroken on a line of its own,
// and reads back the address the browser landed on (from the terminal,
// or one line of stdin).
func signInPasted(ctx context.Context, e *env, si *smtpauth.SignIn) (*smtpauth.SignedIn, *smtpauth.Diagnosis, error) {
	w := e.stderr
	fmt.Fprintln(w, "Open this address in a browser on any device (a laptop, a phone), sign in as the mailbox and accept:")
	fmt.Fprintln(w)
	fmt.Fprintln(w, si.URL())
	fmt.Fprintln(w)
	fmt.Fprintln(w, "The browser then lands on an address starting with http://localhost that does not load.")
	fmt.Fprint(w, "Copy that whole address from the address bar and paste it here: ")
	line, err := lineread.New(e.stdin, stdinFD(e), w).Line(ctx)
	if err != nil {
		fmt.Fprintln(w)
		switch {
		case ctx.Err() != nil, errors.Is(err, context.Canceled):
			return nil, nil, errCancelled
		case errors.Is(err, io.EOF):
			return nil, nil, failf(exitInvalid, "input ended before the address was pasted; nothing was written")
		}
		return nil, nil, withCode(exitInvalid, fmt.Errorf("read the address: %w", err))
	}
	got, d := si.Redeem(ctx, line)
	return got, d, nil
}

// signInDevice shows the device login address and code and waits for
// the sign-in at the interval Entra gives.
func signInDevice(ctx context.Context, e *env, si *smtpauth.SignIn) (*smtpauth.SignedIn, *smtpauth.Diagnosis) {
	da, d := si.Device(ctx)
	if d != nil {
		return nil, d
	}
	w := e.stderr
	fmt.Fprintln(w, "On any device, open this address and enter the code, then sign in as the mailbox and accept:")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "  "+da.VerificationURI)
	fmt.Fprintln(w, "  code: "+da.UserCode)
	fmt.Fprintln(w)
	if !da.Expiry.IsZero() {
		fmt.Fprintf(w, "Waiting for the sign-in (the code expires at %s) ...\n", da.Expiry.Local().Format("15:04:05"))
	} else {
		fmt.Fprintln(w, "Waiting for the sign-in ...")
	}
	return si.Poll(ctx, da)
}

// printSignInRefusal writes a refused sign-in's cause and way out.
func printSignInRefusal(w io.Writer, d *smtpauth.Diagnosis) {
	fmt.Fprintf(w, "Sign-in refused: %s\n", d.Summary)
	if d.Remedy != "" {
		fmt.Fprintf(w, "  fix: %s\n", d.Remedy)
	}
	if d.ServerSaid != "" {
		fmt.Fprintf(w, "  Entra said: %s\n", strings.TrimSpace(d.ServerSaid))
	}
}

func orUnknownUser(u string) string {
	if u == "" {
		return "(a user whose name Entra did not give)"
	}
	return u
}
