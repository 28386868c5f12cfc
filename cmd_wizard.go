package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"sitecfg/audit"
	"sitecfg/config"
	"sitecfg/pipeline"
	"sitecfg/wizard"
)

// newWizardCmd is the root command: the wizard, full screen or, with
// --accessible, as plain line prompts.
func newWizardCmd(e *env) *cobra.Command {
	c := &cobra.Command{
		Use:   "sitecfg",
		Short: "configure the cluster's email settings",
		Long: `sitecfg configures the cluster's email settings: the interactive wizard
(full screen, or plain line prompts with --accessible), unattended answers
files, a live SMTP check and a safe, atomic write of the site-config file.`,
		Args: unknownCommand,
	}
	fs := c.Flags()
	o := wizardOptions{config: configFlag(fs)}
	fs.BoolVar(&o.accessible, "accessible", false, "ask the same questions as plain line prompts (serial consoles, screen readers, TERM=dumb)")
	fs.BoolVar(&o.ascii, "ascii", false, "draw with plain ASCII only (automatic on TERM=linux and serial terminals)")
	fs.BoolVar(&o.sendTest, "send-test", false, "start with \"send a test message\" ticked on the review")
	timeoutFlag(fs, &o.timeout)
	fs.BoolVar(&o.replaceUnreadable, "replace-unreadable", false, "replace an existing config that cannot be read (kept as PATH.bak) without asking")
	c.RunE = action(func(ctx context.Context, _ []string) error { return runWizard(ctx, e, o) })
	return c
}

type wizardOptions struct {
	config                                  *string
	accessible, sendTest, replaceUnreadable bool
	ascii                                   bool
	timeout                                 time.Duration
}

// runWizard decides once, up front, how to ask: the full-screen wizard
// needs stdin and stdout to be a terminal (bubbletea would otherwise open
// /dev/tty behind our back); without one it says what to use instead.
func runWizard(ctx context.Context, e *env, o wizardOptions) error {
	path := configPath(*o.config, e)
	accessible := o.accessible || e.getenv("TERM") == "dumb"
	if accessible && !o.accessible {
		fmt.Fprintln(e.stdout, "TERM=dumb: this terminal cannot show the full-screen wizard, so the same questions are asked as plain line prompts (--accessible).")
	}
	if !accessible && (!e.stdinTTY || !e.stdoutTTY) {
		return failf(exitUsage, "the wizard needs a terminal on stdin and stdout; "+
			"use --accessible for plain line prompts, or 'sitecfg apply --answers FILE' for an unattended install")
	}
	rec := newAuditRun(e, path, "wizard")
	run, notes, err := openForWizard(path, e, rec)
	if err != nil {
		return rec.finish(err)
	}
	if err := confirmReplaceUnreadable(ctx, e, run, o.replaceUnreadable); err != nil {
		return rec.finish(err)
	}
	if accessible {
		return rec.finish(runLines(ctx, e, run, notes, o))
	}
	w, err := wizard.RunTUI(ctx, wizard.TUIOptions{
		ConfigPath: path, Prev: run.Prev, Migrations: run.Migrations(), Notes: notes, Run: run,
		SendTest: o.sendTest, By: "sitecfg " + version, CheckTimeout: o.timeout, WrittenBy: lastWriter(path),
		In: e.stdin, Out: e.stdout, Deps: wizard.TUIDeps{Now: e.now},
		ASCII: o.ascii || asciiTerm(e.getenv("TERM")), Unreadable: run.Unreadable != nil,
	})
	if err != nil {
		return rec.finish(wizardError(err))
	}
	printWritten(e, w)
	return rec.finish(nil)
}

// asciiTerm reports whether a terminal type is one whose font lacks ✓ ✗
// and the braille spinner: the Linux console and serial terminals.
func asciiTerm(term string) bool {
	switch {
	case term == "linux", term == "ansi", strings.HasPrefix(term, "vt1"), strings.HasPrefix(term, "vt2"):
		return true
	}
	return false
}

// openForWizard opens the saved config for a re-run (package pipeline):
// nil Prev on a first deploy, migrated in memory if it is in an older
// layout, secrets resolved. A file that cannot be understood is replaced
// (and kept as .bak) only once the operator agreed
// (confirmReplaceUnreadable), and the welcome screen says so.
func openForWizard(path string, e *env, j pipeline.Journal) (*pipeline.Run, []string, error) {
	run, err := pipeline.Open(path, pipeline.Options{Now: e.now, Journal: j, Writes: true})
	if err != nil {
		return nil, nil, configError(path, err)
	}
	var notes []string
	if run.Unreadable != nil {
		notes = append(notes, fmt.Sprintf("the existing file cannot be read (%v); you agreed to replace it: it will be kept as %s.bak", errors.Unwrap(run.Unreadable), path))
	}
	for _, p := range run.SecretNotes {
		notes = append(notes, fmt.Sprintf("%s cannot be kept as it is (%s): type it again", p.Field, p.Message))
	}
	notes = append(notes, driftNotes(path)...)
	return run, notes, nil
}

// confirmReplaceUnreadable asks, before any question, whether an existing
// config that cannot be read may be replaced: it is never replaced
// without the operator saying so (--replace-unreadable, or "yes" here).
func confirmReplaceUnreadable(ctx context.Context, e *env, run *pipeline.Run, flag bool) error {
	if run.Unreadable == nil {
		return nil
	}
	refused := failf(exitIO, "the existing config %s cannot be read (%v); nothing was written: "+
		"fix the file, move it away, or answer yes (or pass --replace-unreadable) to replace it (it is then kept as %s.bak)",
		run.Path, errors.Unwrap(run.Unreadable), run.Path)
	if !flag {
		fmt.Fprintf(e.stdout, "The existing config %s cannot be read:\n  %v\nWhat it holds (the UI accounts, the SMTP settings) would be lost.\n"+
			"Replace it? The file is kept as %s.bak. Type yes to replace it: ", run.Path, errors.Unwrap(run.Unreadable), run.Path)
		answer, err := readAnswer(ctx, e.stdin)
		fmt.Fprintln(e.stdout)
		switch {
		case ctx.Err() != nil:
			return errCancelled
		case err != nil && answer == "":
			return refused
		}
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "yes" && a != "y" {
			return refused
		}
	}
	run.ReplaceUnreadable = true
	return nil
}

// readAnswer reads one line from in a byte at a time, so that nothing
// after it is taken from the front end that reads next; it gives up at
// once when ctx is cancelled.
func readAnswer(ctx context.Context, in io.Reader) (string, error) {
	type res struct {
		line string
		err  error
	}
	ch := make(chan res, 1)
	go func() {
		var b []byte
		one := make([]byte, 1)
		for len(b) < 256 {
			n, err := in.Read(one)
			if n == 1 {
				if one[0] == '\n' {
					break
				}
				b = append(b, one[0])
			}
			if err != nil {
				ch <- res{string(b), err}
				return
			}
		}
		ch <- res{strings.TrimRight(string(b), "\r"), nil}
	}()
	select {
	case r := <-ch:
		return r.line, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// wizardError maps the front ends' outcomes to exit codes.
func wizardError(err error) error {
	var we *wizard.WriteError
	var ps config.Problems
	switch {
	case errors.Is(err, wizard.ErrCodesVoid):
		return withCode(exitCancel, fmt.Errorf("%w; %w", errCancelled, wizard.ErrCodesVoid))
	case errors.Is(err, wizard.ErrCancelled):
		return errCancelled
	case errors.Is(err, wizard.ErrInputEnded), errors.As(err, &ps):
		return withCode(exitInvalid, err)
	case errors.Is(err, wizard.ErrNotSaved):
		return withCode(exitCheck, err)
	case errors.As(err, &we):
		return withCode(exitIO, err)
	}
	return err
}

// printWritten says, on the normal screen, what was written.
func printWritten(e *env, w *wizard.Written) {
	if w == nil {
		return
	}
	if w.CheckFailed != "" {
		fmt.Fprintf(e.stdout, "WARNING: saved WITHOUT a passing live check. %s\nMail will not be delivered until the settings are fixed: fix them with sitecfg, then run sitecfg check.\n", w.CheckFailed)
	}
	fmt.Fprintf(e.stdout, "Wrote %s (mode 0600).\n", w.Path)
	if w.Backup != "" {
		fmt.Fprintf(e.stdout, "The previous file is kept as %s.\n", w.Backup)
	}
	if w.CodesFile != "" {
		fmt.Fprintf(e.stdout, "Recovery codes written to %s (mode 0600): store them offline, then delete the file.\n", w.CodesFile)
	}
}

// lastWriter is who last wrote the config at path, as its audit log says
// ("root@node1", "root@node1 (sudo alice)"); "" when it does not know.
func lastWriter(path string) string {
	w, err := audit.ReadLastWrite(path)
	if err != nil || w == nil || w.User == "" {
		return ""
	}
	who := w.User
	if w.Host != "" {
		who += "@" + w.Host
	}
	if w.SudoUser != "" {
		who += " (sudo " + w.SudoUser + ")"
	}
	return who
}

// runLines runs the accessible line-prompt front end (wizard/lineprompt.go).
func runLines(ctx context.Context, e *env, run *pipeline.Run, notes []string, o wizardOptions) error {
	out, err := wizard.RunLines(ctx, wizard.LineOptions{
		In: e.stdin, Out: e.stdout, InFD: stdinFD(e), ConfigPath: run.Path,
		Prev: run.Prev, Migrations: run.Migrations(), Notes: notes, Run: run,
		SendTest: o.sendTest, By: "sitecfg " + version, Now: e.now, CheckTimeout: o.timeout, WrittenBy: lastWriter(run.Path),
	})
	if err != nil {
		return wizardError(err)
	}
	if out != nil {
		printWritten(e, out.Written)
	}
	return nil
}
