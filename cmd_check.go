package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"sitecfg/config"
	"sitecfg/pipeline"
)

func init() {
	register(command{
		name:    "check",
		summary: "live-check the saved configuration against the mail server; change nothing",
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			cfg := configFlag(fs)
			sendTest := fs.Bool("send-test", false, "also send a test message to the default recipients")
			asJSON := fs.Bool("json", false, "print the result as JSON on stdout")
			timeout := fs.Duration("timeout", 30*time.Second, "deadline for the whole live check")
			bundle := fs.String("bundle", "", "also write a support bundle (tar.gz, secrets removed) to this file")
			return func(ctx context.Context, e *env) error {
				return runCheck(ctx, e, checkOptions{configPath(*cfg, e), *sendTest, *asJSON, *timeout, *bundle})
			}
		},
	})
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
	run, err := pipeline.Open(path, pipeline.Options{Now: e.now, MustExist: true, Strict: true})
	if err != nil {
		return finish(openExit(err), err)
	}
	site = run.Prev
	res.Migrations = run.Migrations()
	if !site.SMTP.Enabled {
		if !asJSON {
			fmt.Fprintln(e.stdout, "SMTP is off in this configuration: there is no mail server to check.")
		}
		res.CheckSkipped = true
		return finish(exitOK, nil)
	}
	a, ps := run.ValidateSaved()
	res.Problems = ps
	if !asJSON {
		printProblems(e.stderr, "", ps)
	}
	if ps.HasErrors() {
		return finish(exitInvalid, fmt.Errorf("%d problem(s) in %s", len(ps.Errors()), path))
	}
	report, err := pipeline.Check(ctx, a, pipeline.CheckOptions{SendTest: o.sendTest, Timeout: o.timeout})
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
