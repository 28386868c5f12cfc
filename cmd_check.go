package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/spf13/cobra"

	"sitecfg/config"
	"sitecfg/smtpauth"
	"sitecfg/wizard"
)

func init() { register(newCheckCmd) }

// newCheckCmd is `sitecfg check`: the live check of the saved config.
func newCheckCmd(e *env) *cobra.Command {
	c := &cobra.Command{
		Use:   "check",
		Short: "live-check the saved configuration against the mail server; change nothing",
		Args:  noArgs,
	}
	fs := c.Flags()
	var o checkOptions
	cfg := configFlag(fs)
	fs.BoolVar(&o.sendTest, "send-test", false, "also send a test message to the default recipients")
	fs.BoolVar(&o.json, "json", false, "print the result as JSON on stdout")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Second, "deadline for the whole live check")
	fs.StringVar(&o.bundle, "bundle", "", "also write a support bundle (tar.gz, secrets removed) to `FILE`")
	c.RunE = action(func(ctx context.Context, _ []string) error {
		o.path = configPath(*cfg, e)
		return runCheck(ctx, e, o)
	})
	return c
}

type checkOptions struct {
	path           string
	sendTest, json bool
	timeout        time.Duration
	bundle         string
}

func runCheck(ctx context.Context, e *env, o checkOptions) error {
	path, asJSON := o.path, o.json
	res := &result{Command: "check", Config: path}
	var site *config.Site
	finish := func(code int, err error) error {
		if o.bundle != "" && code != exitCancel {
			if berr := writeBundle(o.bundle, site, res.Check, res.Problems, e.now()); berr != nil {
				fmt.Fprintf(e.stderr, "sitecfg check: support bundle: %v\n", berr)
			} else if !asJSON {
				fmt.Fprintf(e.stderr, "Support bundle written to %s (secrets removed).\n", o.bundle)
			}
		}
		return res.finish(e, asJSON, code, err)
	}
	site, loaded, err := config.Load(path)
	if err != nil {
		site = nil
	}
	var fe *config.FormatError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return finish(exitIO, fmt.Errorf("no configuration at %s: run sitecfg (or sitecfg apply) first", path))
	case errors.As(err, &fe):
		return finish(exitInvalid, err)
	case err != nil:
		return finish(exitIO, err)
	}
	res.Migrations = loaded.Migrations
	if !site.SMTP.Enabled {
		if !asJSON {
			fmt.Fprintln(e.stdout, "SMTP is off in this configuration: there is no mail server to check.")
		}
		res.CheckSkipped = true
		return finish(exitOK, nil)
	}
	ps := site.ResolveSecrets()
	a := site.Answers()
	a.ApplyDefaults()
	ps = append(ps, a.Validate()...)
	// The rules and the expiry check both look at a client certificate's
	// dates: each problem is said once.
	ps = append(ps, wizard.ExpiryProblems(site.SMTP.OAuth, e.now())...).Unique()
	res.Problems = ps
	if !asJSON {
		printProblems(e.stderr, "", ps)
	}
	if ps.HasErrors() {
		return finish(exitInvalid, fmt.Errorf("%d problem(s) in %s", len(ps.Errors()), path))
	}
	settings, err := wizard.LoadCheckSettings(site.SMTP, o.sendTest, a.Emails.AdmiralAlerts)
	if err != nil {
		return finish(exitInvalid, err)
	}
	report, err := smtpauth.Check(ctx, settings, smtpauth.Options{Timeout: o.timeout})
	if ctx.Err() != nil {
		return finish(exitCancel, errCancelled)
	}
	if err != nil {
		return finish(exitInvalid, err)
	}
	res.Check = report
	if !asJSON {
		printReport(e.stdout, report, site.SMTP.Auth == config.AuthMicrosoft)
	}
	if !report.OK {
		return finish(exitCheck, errors.New("live check failed"))
	}
	return finish(exitOK, nil)
}
