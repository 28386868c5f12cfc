package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"sitecfg/config"
	"sitecfg/pipeline"
)

// newApplyCmd is `sitecfg apply`: the unattended install.
func newApplyCmd(e *env) *cobra.Command {
	c := &cobra.Command{
		Use:   "apply",
		Short: "validate an answers file, live-check it and write the site config",
		Args:  noArgs,
	}
	fs := c.Flags()
	o := applyOptions{}
	fs.StringVar(&o.answers, "answers", "", "answers `FILE` (YAML) — required")
	markRequired(fs, "answers")
	_ = c.MarkFlagFilename("answers", "yaml", "yml")
	o.config = configFlag(fs)
	fs.BoolVar(&o.dryRun, "dry-run", false, "validate and check, write nothing")
	fs.BoolVar(&o.skipCheck, "skip-check", false, "write without the live SMTP check (not recommended)")
	fs.BoolVar(&o.sendTest, "send-test", false, "also send a test message to the default recipients")
	fs.BoolVar(&o.json, "json", false, "print the result as JSON on stdout")
	fs.BoolVar(&o.replaceUnreadable, "replace-unreadable", false, "replace an existing config that cannot be read (kept as PATH.bak); without it such a file is refused")
	timeoutFlag(fs, &o.timeout)
	c.RunE = action(func(ctx context.Context, _ []string) error {
		if o.dryRun {
			return runApply(ctx, e, o)
		}
		rec := newAuditRun(e, configPath(*o.config, e), "apply")
		rec.quiet, o.journal = o.json, rec
		return rec.finish(runApply(ctx, e, o))
	})
	return c
}

type applyOptions struct {
	answers                           string
	config                            *string
	dryRun, skipCheck, sendTest, json bool
	replaceUnreadable                 bool
	timeout                           time.Duration
	// journal records the write in the audit log.
	journal pipeline.Journal
}

func runApply(ctx context.Context, e *env, o applyOptions) error {
	if o.answers == "" {
		return failf(exitUsage, "--answers FILE is required")
	}
	path := configPath(*o.config, e)
	res := &result{Command: "apply", Config: path, DryRun: o.dryRun, CheckSkipped: o.skipCheck}
	finish := func(code int, err error) error { return res.finish(e, o.json, code, err) }

	a, ps, err := config.LoadAnswers(o.answers)
	if err != nil {
		return finish(exitInvalid, err)
	}
	run, err := pipeline.Open(path, pipeline.Options{Now: e.now, Journal: o.journal, Writes: !o.dryRun})
	if err != nil {
		err = configError(path, err)
		return finish(exitCode(err), err)
	}
	res.Migrations = run.Migrations()
	// A re-run keeps the admin's recovery codes: the ones stored offline
	// keep working ('sitecfg recovery-codes' makes a new set).
	a.KeepCodes = a.CanKeepCodes(run.Prev)
	if !ps.HasErrors() || !unreadable(ps) {
		ps = append(ps, run.Prepare(a)...)
	}
	res.Problems = ps
	if !o.json {
		printProblems(e.stderr, o.answers, ps)
	}
	if ps.HasErrors() {
		if !o.json {
			fmt.Fprintf(e.stderr, "%d problem(s) in %s; nothing was written.\n", len(ps.Errors()), o.answers)
		}
		return finish(exitInvalid, fmt.Errorf("%d problem(s) in the answers; nothing was written", len(ps.Errors())))
	}
	if run.Unreadable != nil {
		// Never replaced silently: what it holds (the UI accounts, say)
		// would be lost.
		if !o.replaceUnreadable {
			return finish(exitIO, fmt.Errorf("the existing config %s cannot be read (%v); nothing was written: "+
				"fix the file, move it away, or run again with --replace-unreadable to replace it (it is then kept as %s.bak)",
				path, errors.Unwrap(run.Unreadable), path))
		}
		run.ReplaceUnreadable = true
		// The broken file is kept as PATH.bak by the write below.
		warn(e, o.json, "the existing config cannot be read (%v); --replace-unreadable: it will be replaced and kept as %s.bak", errors.Unwrap(run.Unreadable), path)
	}

	// A codes file named where no codes file may go (the config, its
	// backup, lock or audit log…) is refused even when this run keeps the
	// saved codes and so would not write it.
	if !a.SMTP.Enabled && a.RecoveryCodesOut != "" {
		if err := config.CheckOutput(path, a.RecoveryCodesOut); err != nil {
			return finish(exitIO, err)
		}
	}

	// Idempotent: the same answers as the saved config write nothing.
	run.KeepSamePasswords(a)
	plan := run.Plan(a)
	res.Changed, res.Changes = &plan.Changed, changesJSON(plan.Changes)

	if a.SMTP.Enabled && !o.skipCheck {
		report, err := pipeline.Check(ctx, a, pipeline.CheckOptions{SendTest: o.sendTest, Timeout: o.timeout, Run: run, NoWrite: o.dryRun})
		if ctx.Err() != nil {
			return finish(exitCancel, errCancelled)
		}
		if err != nil {
			return finish(exitInvalid, err)
		}
		res.Check = report
		if !o.json {
			printReport(e.stdout, report)
		}
		if !report.OK {
			return finish(exitCheck, errors.New("live check failed; nothing was written"))
		}
	} else if a.SMTP.Enabled {
		warn(e, o.json, "--skip-check: the SMTP settings were NOT verified against the mail server")
	}

	if o.dryRun {
		if !o.json {
			printPlan(e.stdout, path, plan)
		}
		return finish(exitOK, nil)
	}
	if !plan.Changed {
		res.RecoveryCodesKept = a.KeepCodes
		if !o.json {
			fmt.Fprintf(e.stdout, "No changes: %s already holds these settings; nothing was written.\n", path)
			if a.KeepCodes {
				fmt.Fprintf(e.stdout, "The recovery codes of %s are kept: the ones stored offline still work (for a new set: sitecfg recovery-codes --user %s).\n", a.Users.Admin.Username, a.Users.Admin.Username)
			}
		}
		return finish(exitOK, nil)
	}
	if ctx.Err() != nil {
		return finish(exitCancel, errCancelled)
	}
	// A signal stops the run up to the write itself (Commit checks
	// between its slow steps); once the config is written, the codes it
	// holds hashes of stay, and the exit code is 0.
	moved := config.BecameReferences(run.Prev, &a.SMTP)
	w, err := run.Commit(a, pipeline.CommitOptions{CodesOut: a.RecoveryCodesOut, By: "sitecfg " + version, Cancel: ctx})
	if err != nil && ctx.Err() != nil {
		return finish(exitCancel, errCancelled)
	}
	if err != nil {
		return finish(exitIO, fmt.Errorf("write %s: %w (the previous file is intact)", path, err))
	}
	for _, m := range moved {
		// Said plainly: the daily check would otherwise be the first to
		// find the secret missing.
		if o.json {
			e.warnings = append(e.warnings, m)
		} else {
			fmt.Fprintf(e.stderr, "NOTE: %s\n", m)
		}
	}
	res.Written, res.Backup, res.RecoveryCodesOut, res.RecoveryCodesKept = true, w.Backup, w.CodesFile, w.CodesKept
	if !o.json {
		fmt.Fprintf(e.stdout, "Wrote %s (mode 0600).\n", path)
		if w.Backup != "" {
			fmt.Fprintf(e.stdout, "The previous file is kept as %s.\n", w.Backup)
		}
		if w.CodesKept {
			fmt.Fprintf(e.stdout, "The recovery codes of %s are kept: the ones stored offline still work (for a new set: sitecfg recovery-codes --user %s).\n", a.Users.Admin.Username, a.Users.Admin.Username)
		}
		if w.CodesFile != "" {
			fmt.Fprintf(e.stdout, "Recovery codes for %s written to %s (mode 0600): store them offline, then delete the file.\n", a.Users.Admin.Username, w.CodesFile)
		}
	}
	return finish(exitOK, nil)
}

// unreadable reports a file-level problem (bad YAML, empty file): the
// rules would only add noise about fields that could not be read.
func unreadable(ps config.Problems) bool {
	for _, p := range ps.Errors() {
		if p.Field == "" {
			return true
		}
	}
	return false
}

func warn(e *env, json bool, format string, args ...any) {
	if json {
		return
	}
	fmt.Fprintf(e.stderr, "WARNING: "+format+"\n", args...)
}
