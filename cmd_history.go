package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"sitecfg/audit"
	"sitecfg/smtpauth"
)

// newHistoryCmd is `sitecfg history`: the config's audit log, newest
// first.
func newHistoryCmd(e *env) *cobra.Command {
	c := &cobra.Command{
		Use:   "history",
		Short: "show the config's audit log: who changed what, when (newest first)",
		Args:  noArgs,
	}
	fs := c.Flags()
	cfg := configFlag(fs)
	asJSON := fs.Bool("json", false, "print the log as JSON on stdout")
	c.RunE = action(func(context.Context, []string) error {
		return runHistory(e, configPath(*cfg, e), *asJSON)
	})
	return c
}

// historyJSON is `history --json`.
type historyJSON struct {
	Config         string        `json:"config"`
	Log            string        `json:"log"`
	ChangedOutside *audit.Drift  `json:"changed_outside,omitempty"`
	Skipped        int           `json:"skipped_lines"`
	Entries        []audit.Entry `json:"entries"`
}

func runHistory(e *env, path string, asJSON bool) error {
	drift, log, err := audit.CheckDrift(path)
	if err != nil {
		return withCode(exitIO, fmt.Errorf("read the audit log: %w", err))
	}
	entries := make([]audit.Entry, 0, len(log.Entries))
	for i := len(log.Entries) - 1; i >= 0; i-- {
		entries = append(entries, log.Entries[i])
	}
	if asJSON {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetIndent("", "  ")
		if err := enc.Encode(historyJSON{Config: path, Log: audit.Path(path), ChangedOutside: drift, Skipped: log.Skipped, Entries: entries}); err != nil {
			return err
		}
		_, err := e.stdout.Write(terminalSafeJSON(b.Bytes()))
		return err
	}
	if drift != nil {
		fmt.Fprintf(e.stdout, "! %s\n", drift.Message(path))
	}
	if len(entries) == 0 {
		fmt.Fprintf(e.stdout, "No history for %s yet (%s is empty or missing).\n", path, audit.Path(path))
	}
	// A write that started from another file than the last write left
	// took over an edit made outside sitecfg: say so on its line.
	tookOver := map[int]bool{}
	last := ""
	for i, en := range log.Entries {
		if en.Written {
			tookOver[i] = last != "" && en.Before != last
			last = en.After
		}
	}
	for i, en := range entries {
		line := historyLine(en)
		if tookOver[len(entries)-1-i] {
			line += "  (took over an edit made outside sitecfg)"
		}
		fmt.Fprintln(e.stdout, line)
	}
	if log.Skipped > 0 {
		fmt.Fprintf(e.stderr, "%d line(s) of %s could not be read (a write cut short, or edited by hand) and were skipped.\n", log.Skipped, audit.Path(path))
	}
	return nil
}

// historyLine is one entry on one line: when, who, what, the outcome.
// The log's words are made printable, on one line: a line edited by
// hand (or a SUDO_USER chosen by whoever ran the command) must not reach
// the terminal as escape sequences, nor as lines of its own that forge
// another entry.
func historyLine(en audit.Entry) string {
	p := smtpauth.PrintableLine
	who := p(en.User)
	if en.SudoUser != "" {
		who = p(en.SudoUser) + " (as " + who + ")"
	}
	var what string
	switch {
	case len(en.Notified) > 0:
		what = "sent notice: " + p(strings.Join(en.Notified, ", "))
	case en.Written && len(en.Fields) == 0:
		what = "wrote, no field changed"
	case en.Written:
		what = "changed " + p(strings.Join(en.Fields, ", "))
	case en.Result == exitCancel:
		what = "cancelled, nothing written"
	case en.Result == exitOK:
		what = "no changes, nothing written"
	default:
		what = fmt.Sprintf("failed (exit %d), nothing written", en.Result)
	}
	line := fmt.Sprintf("%s  %s@%s  %-14s  %s", en.Time.UTC().Format(time.DateTime+"Z"), who, p(en.Host), p(en.Command), what)
	if en.Written {
		line += fmt.Sprintf("  [%s → %s]", p(short(en.Before)), p(short(en.After)))
	}
	return line
}

func short(sum string) string {
	if sum == "" {
		return "none"
	}
	return sum[:min(12, len(sum))]
}
