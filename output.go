package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"sitecfg/config"
	"sitecfg/smtpauth"
)

// result is the --json output of apply and check (documented in README).
type result struct {
	Command          string           `json:"command"`
	OK               bool             `json:"ok"`
	ExitCode         int              `json:"exit_code"`
	Config           string           `json:"config"`
	DryRun           bool             `json:"dry_run,omitempty"`
	Written          bool             `json:"written"`
	Backup           string           `json:"backup,omitempty"`
	RecoveryCodesOut string           `json:"recovery_codes_out,omitempty"`
	CheckSkipped     bool             `json:"check_skipped"`
	Check            *smtpauth.Report `json:"check,omitempty"`
	Problems         []config.Problem `json:"problems"`
	Migrations       []string         `json:"migrations,omitempty"`
	Error            string           `json:"error,omitempty"`
}

// finish records the outcome and prints it as JSON when asked; the
// returned error carries the exit code (already reported in JSON mode).
func (r *result) finish(e *env, asJSON bool, code int, err error) error {
	r.ExitCode, r.OK = code, code == exitOK
	if err != nil && !errors.Is(err, errReported) {
		r.Error = err.Error()
	}
	if asJSON {
		writeJSON(e.stdout, r)
		if err != nil {
			return reported(code)
		}
	}
	return withCode(code, err)
}

func writeJSON(w io.Writer, r *result) {
	if r.Problems == nil {
		r.Problems = []config.Problem{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(r)
}

func printProblems(w io.Writer, source string, ps config.Problems) {
	for _, p := range ps {
		prefix := "error"
		if p.Severity == config.SeverityWarning {
			prefix = "warning"
		}
		where := ""
		if source != "" && p.Line > 0 {
			where = fmt.Sprintf("%s:%d:%d: ", source, p.Line, p.Column)
		}
		field := ""
		if p.Field != "" {
			field = p.Field + ": "
		}
		fmt.Fprintf(w, "%s%s: %s%s\n", where, prefix, field, p.Message)
	}
}

// printReport shows a live check as an operator reads it: each step with
// its time, then the diagnosis with what to fix.
// With microsoft set, each diagnosis names the step of `sitecfg guide
// microsoft` it concerns.
func printReport(w io.Writer, r *smtpauth.Report, microsoft bool) {
	fmt.Fprintf(w, "Live check of %s:\n", r.Server)
	for _, s := range r.Steps {
		mark := map[smtpauth.Status]string{
			smtpauth.StatusOK: "ok  ", smtpauth.StatusFailed: "FAIL", smtpauth.StatusSkipped: "skip", smtpauth.StatusWarning: "warn",
		}[s.Status]
		if mark == "" {
			mark = string(s.Status)
		}
		line := fmt.Sprintf("  [%s] %-8s %6s", mark, s.Name, s.Duration.Round(time.Millisecond))
		if s.Detail != "" {
			line += "  " + s.Detail
		}
		fmt.Fprintln(w, line)
	}
	for _, rc := range r.Recipients {
		state := "accepted"
		if !rc.Accepted {
			state = "REJECTED"
		}
		fmt.Fprintf(w, "  test message to %s: %s %s\n", rc.Address, state, rc.Reply)
	}
	for _, d := range r.Warnings {
		printDiagnosis(w, "Warning", &d, microsoft)
	}
	if r.Diagnosis != nil {
		printDiagnosis(w, "Check failed", r.Diagnosis, microsoft)
	} else if r.OK {
		fmt.Fprintf(w, "  passed in %s\n", r.Duration.Round(time.Millisecond))
	}
}

func printDiagnosis(w io.Writer, title string, d *smtpauth.Diagnosis, microsoft bool) {
	fmt.Fprintf(w, "\n%s at %s: %s\n", title, d.Step, d.Summary)
	if d.Remedy != "" {
		fmt.Fprintf(w, "  What to do: %s\n", d.Remedy)
	}
	if d.Field != "" {
		fmt.Fprintf(w, "  Field to fix: %s\n", d.Field)
	}
	if len(d.Commands) > 0 {
		fmt.Fprintln(w, "  Commands (PowerShell, Exchange Online):")
		for _, c := range d.Commands {
			fmt.Fprintf(w, "    %s\n", c)
		}
	}
	if d.ServerSaid != "" {
		fmt.Fprintf(w, "  The server said: %s\n", strings.TrimSpace(d.ServerSaid))
	}
	if step := d.Code.GuideStep(); microsoft && step > 0 {
		fmt.Fprintf(w, "  Set-up guide: step %d of 'sitecfg guide microsoft'\n", step)
	}
}
