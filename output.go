package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"sitecfg/audit"
	"sitecfg/checkview"
	"sitecfg/config"
	"sitecfg/smtpauth"
)

// result is the --json output of apply and check (documented in docs/reference.md).
type result struct {
	Command          string `json:"command"`
	OK               bool   `json:"ok"`
	ExitCode         int    `json:"exit_code"`
	Config           string `json:"config"`
	DryRun           bool   `json:"dry_run,omitempty"`
	Written          bool   `json:"written"`
	Backup           string `json:"backup,omitempty"`
	RecoveryCodesOut string `json:"recovery_codes_out,omitempty"`
	// RecoveryCodesKept: a re-run kept the admin's saved recovery codes.
	RecoveryCodesKept bool             `json:"recovery_codes_kept,omitempty"`
	CheckSkipped      bool             `json:"check_skipped"`
	Check             *smtpauth.Report `json:"check,omitempty"`
	Problems          []config.Problem `json:"problems"`
	Migrations        []string         `json:"migrations,omitempty"`
	ChangedOutside    *audit.Drift     `json:"changed_outside,omitempty"`
	Notified          []string         `json:"notified,omitempty"`
	// Warnings are what the run would have said on stderr as WARNING
	// without --json (the audit log could not be written, say).
	Warnings []string `json:"warnings,omitempty"`
	Error    string   `json:"error,omitempty"`

	// Changed (apply): the write changed the saved config, or with
	// --dry-run would; false when the answers match it and nothing was
	// (or would be) written. Not set by check.
	Changed *bool `json:"changed,omitempty"`
	// Changes (apply): what the write changed or would change.
	Changes []changeJSON `json:"changes,omitempty"`
}

// finish records the outcome and prints it as JSON when asked; the
// returned error carries the exit code (already reported in JSON mode).
func (r *result) finish(e *env, asJSON bool, code int, err error) error {
	r.ExitCode, r.OK = code, code == exitOK
	r.Warnings = append(r.Warnings, e.warnings...)
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
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	_ = enc.Encode(r)
	_, _ = w.Write(terminalSafeJSON(b.Bytes()))
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
// its time, then the diagnosis with what to fix (checkview's lines, the
// same as the wizard's). With microsoft set, each diagnosis names the step
// of `sitecfg guide microsoft` it concerns. It is written in one go.
func printReport(out io.Writer, r *smtpauth.Report) {
	w := bufio.NewWriter(out)
	defer w.Flush()
	v := checkview.New(r)
	fmt.Fprintf(w, "Live check of %s:\n", v.Server)
	for _, row := range v.Rows {
		line := fmt.Sprintf("  %-7s %-8s %6s", row.Word(), row.Name, row.Took)
		if row.Detail != "" {
			line += "  " + row.Detail
		}
		fmt.Fprintln(w, line)
	}
	for _, rc := range v.Recipients {
		fmt.Fprintf(w, "  %s\n", rc.Line())
	}
	for _, d := range v.Warnings {
		printDiagnosis(w, "Warning", d)
	}
	if v.Failure != nil {
		printDiagnosis(w, "Check failed", *v.Failure)
		for _, d := range v.Also {
			printDiagnosis(w, "Also failed", d)
		}
	} else if v.OK {
		fmt.Fprintf(w, "  passed in %s\n", v.Took)
	}
}

func printDiagnosis(w io.Writer, title string, d checkview.Diagnosis) {
	if d.Step != "" {
		fmt.Fprintf(w, "\n%s at %s: %s\n", title, d.Step, d.Summary)
	} else {
		fmt.Fprintf(w, "\n%s: %s\n", title, d.Summary)
	}
	for _, l := range d.Details() {
		fmt.Fprintln(w, l)
	}
}
