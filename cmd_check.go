package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"sitecfg/audit"
	"sitecfg/config"
	"sitecfg/pipeline"
)

// newCheckCmd is `sitecfg check`: the live check of the saved config.
func newCheckCmd(e *env) *cobra.Command {
	c := &cobra.Command{
		Use:   "check",
		Short: "live-check the saved configuration against the mail server; change nothing (but store a microsoft-delegated refresh token it rotated)",
		Args:  noArgs,
	}
	fs := c.Flags()
	var o checkOptions
	cfg := configFlag(fs)
	fs.BoolVar(&o.sendTest, "send-test", false, "also send a test message to the default recipients")
	fs.BoolVar(&o.json, "json", false, "print the result as JSON on stdout")
	timeoutFlag(fs, &o.timeout)
	fs.StringVar(&o.bundle, "bundle", "", "also write a support bundle (tar.gz, secrets removed) to `FILE`")
	fs.StringVar(&o.metrics, "metrics", "", "also write the result as a Prometheus textfile (0644) to `FILE`")
	fs.BoolVar(&o.notify, "notify", false, "email the UI admin when a credential expires within 30 days (at most once a week each)")
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
	metrics        string
	notify         bool
}

func runCheck(ctx context.Context, e *env, o checkOptions) error {
	path, asJSON := o.path, o.json
	res := &result{Command: "check", Config: path}
	var site *config.Site
	var saved *config.Answers
	// Drift is worked out beside the reading of the config (it reads the
	// audit log and hashes the file) and said first, as soon as the config
	// is read.
	var drift *audit.Drift
	var driftErr error
	driftKnown := make(chan struct{})
	go func() {
		defer close(driftKnown)
		drift, driftErr = audit.DriftNow(path)
	}()
	sayDrift := sync.OnceFunc(func() {
		<-driftKnown
		if driftErr != nil {
			warn(e, asJSON, "edits outside sitecfg cannot be checked: %v", driftErr)
		}
		if drift != nil {
			res.ChangedOutside = drift
			warn(e, asJSON, "%s", drift.Message(path))
		}
	})
	finish := func(code int, err error) error {
		sayDrift()
		if o.metrics != "" && code != exitCancel {
			merr := config.CheckReportOutput(path, o.metrics, config.ReportMetrics, site)
			if merr == nil {
				merr = checkMetrics(o.metrics, e, code, saved, res.Check, drift)
			}
			if merr != nil && code == exitOK {
				code, err = exitIO, merr
			} else if merr != nil && !asJSON {
				fmt.Fprintf(e.stderr, "sitecfg check: %v\n", merr)
			}
		}
		if o.bundle != "" && code != exitCancel {
			// A bundle that could not be written fails the command: a
			// script must not send a ticket without it. --json prints
			// nothing on stderr; the error is in the object.
			berr := config.CheckReportOutput(path, o.bundle, config.ReportBundle, site)
			if berr == nil {
				berr = writeBundle(o.bundle, site, res.Check, res.Problems, e.now())
			}
			switch {
			case berr != nil && err == nil:
				code, err = exitIO, fmt.Errorf("support bundle: %w", berr)
			case berr != nil:
				err = fmt.Errorf("%w; support bundle: %v", err, berr)
			case !asJSON:
				fmt.Fprintf(e.stderr, "Support bundle written to %s (secrets removed).\n", o.bundle)
			}
		}
		return res.finish(e, asJSON, code, err)
	}
	// check writes only to rotate a delegated refresh token: that write,
	// and only that, gets an audit line (the journal is told of it).
	rec := newAuditRun(e, path, "check")
	rec.quiet = asJSON
	run, err := pipeline.Open(path, pipeline.Options{Now: e.now, MustExist: true, Strict: true, Journal: rec})
	if err != nil {
		err = configError(path, err)
		return finish(exitCode(err), err)
	}
	sayDrift()
	site = run.Prev
	res.Migrations = run.Migrations()
	saved = site.Answers()
	if !site.SMTP.Enabled {
		if !asJSON {
			fmt.Fprintln(e.stdout, "SMTP is off in this configuration: there is no mail server to check.")
		}
		res.CheckSkipped = true
		return finish(exitOK, nil)
	}
	a, ps := run.ValidateSaved()
	saved = a
	res.Problems = ps
	if !asJSON {
		printProblems(e.stderr, "", ps)
	}
	if ps.HasErrors() {
		return finish(exitInvalid, fmt.Errorf("%d problem(s) in %s", len(ps.Errors()), path))
	}
	report, err := pipeline.Check(ctx, a, pipeline.CheckOptions{SendTest: o.sendTest, Timeout: o.timeout, Run: run})
	if ctx.Err() != nil {
		return finish(exitCancel, errCancelled)
	}
	if err != nil {
		return finish(exitInvalid, err)
	}
	res.Check = report
	if !asJSON {
		printReport(e.stdout, report)
	}
	if !report.OK {
		return finish(exitCheck, errors.New("live check failed"))
	}
	if o.notify {
		sent, err := notifyCheck(ctx, e, path, a, o.timeout)
		if ctx.Err() != nil {
			return finish(exitCancel, errCancelled)
		}
		if err != nil {
			return finish(exitCheck, err)
		}
		for _, n := range sent {
			res.Notified = append(res.Notified, n.Key)
		}
		if len(sent) > 0 && !asJSON {
			fmt.Fprintf(e.stdout, "Sent %d expiry notice(s) to the UI admin email (at most once a week each).\n", len(sent))
		}
	}
	return finish(exitOK, nil)
}
