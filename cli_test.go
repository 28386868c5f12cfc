package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// runCLI runs the command line in-process, as main does, with no terminal.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv: func(string) string { return "" }, now: time.Now,
	}
	code = run(context.Background(), args, e)
	return code, out.String(), errb.String()
}

// commandFlags is the command line of the contract (docs/reference.md):
// every command and the flags it takes. "" is the wizard.
var commandFlags = map[string][]string{
	"":               {"--config", "--accessible", "--send-test", "--timeout"},
	"apply":          {"--answers", "--config", "--dry-run", "--skip-check", "--send-test", "--json", "--timeout"},
	"check":          {"--config", "--send-test", "--json", "--timeout", "--bundle", "--metrics", "--notify"},
	"history":        {"--config", "--json"},
	"export":         {"--config"},
	"recovery-codes": {"--user", "--config", "--out", "--force"},
	"reset-password": {"--user", "--config"},
	"demo":           {"--accessible", "--dir", "--timeout"},
	"version":        nil,
	"schema":         nil,
	"signin":         {"--config", "--device-code", "--timeout"},
	"guide":          {"--config", "--script"},
	"completion":     nil,
}

// The top-level help lists every command, with its usage line, and
// every documented flag (the hand-written text it replaces had lost
// guide and check --bundle).
func TestTopLevelHelpListsEveryCommand(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		code, out, errs := runCLI(t, args...)
		if code != exitOK || errs != "" {
			t.Fatalf("%v: exit %d, stderr %q", args, code, errs)
		}
		for name, flags := range commandFlags {
			if name == "" {
				continue
			}
			if !strings.Contains(out, "\n  sitecfg "+name) {
				t.Errorf("%v: no usage line for %q:\n%s", args, name, out)
			}
			for _, f := range flags {
				line := lineWith(out, "\n  sitecfg "+name)
				if !strings.Contains(line, f+" ") && !strings.Contains(line, f+"]") {
					t.Errorf("%v: the usage line of %s lacks %s: %q", args, name, f, line)
				}
			}
		}
		for _, s := range []string{"sitecfg guide microsoft", "[--bundle FILE]", "sitecfg completion bash|zsh|fish", "130 cancelled"} {
			if !strings.Contains(out, s) {
				t.Errorf("%v: help lacks %q:\n%s", args, s, out)
			}
		}
	}
}

// lineWith is the rest of the line of s that starts with prefix.
func lineWith(s, prefix string) string {
	i := strings.Index(s, prefix)
	if i < 0 {
		return ""
	}
	line, _, _ := strings.Cut(s[i+len(prefix):], "\n")
	return line
}

// --help works on every command (and `sitecfg help COMMAND` says the
// same), exits 0 and lists the command's flags.
func TestHelpOnEveryCommand(t *testing.T) {
	for name, flags := range commandFlags {
		for _, args := range [][]string{{name, "--help"}, {"help", name}} {
			args = slicesWithout(args, "")
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				code, out, errs := runCLI(t, args...)
				if code != exitOK || errs != "" {
					t.Fatalf("exit %d, stderr %q", code, errs)
				}
				if !strings.Contains(out, "Usage:\n  "+strings.TrimSpace("sitecfg "+name)) {
					t.Errorf("no usage line:\n%s", out)
				}
				for _, f := range flags {
					if !strings.Contains(out, "      "+f+" ") {
						t.Errorf("flag %s not described:\n%s", f, out)
					}
				}
			})
		}
	}
}

func slicesWithout(ss []string, drop string) []string {
	var out []string
	for _, s := range ss {
		if s != drop {
			out = append(out, s)
		}
	}
	return out
}

// A wrong command line exits 2 with a message on stderr that names the
// command and what is wrong, and does nothing else.
func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"frobnicate"}, []string{"sitecfg: unknown command \"frobnicate\""}},
		{[]string{"chek"}, []string{"unknown command \"chek\"", "did you mean \"check\"?"}},
		{[]string{"recovery", "--user", "x"}, []string{"did you mean \"recovery-codes\"?"}},
		{[]string{"--frobnicate"}, []string{"sitecfg: unknown flag: --frobnicate"}},
		{[]string{"--config"}, []string{"sitecfg: flag needs an argument: --config"}},
		{[]string{"--accessible", "extra"}, []string{"unknown command \"extra\""}},
		{[]string{"apply", "--frobnicate"}, []string{"sitecfg apply: unknown flag: --frobnicate", "sitecfg apply --help"}},
		{[]string{"apply", "--answers"}, []string{"sitecfg apply: flag needs an argument: --answers"}},
		{[]string{"apply", "--answers", "a.yaml", "--timeout", "soon"}, []string{"sitecfg apply:", "--timeout", "soon"}},
		{[]string{"apply", "--answers", "a.yaml", "--dry-run=perhaps"}, []string{"sitecfg apply:", "--dry-run"}},
		{[]string{"apply", "--answers", "a.yaml", "extra"}, []string{"sitecfg apply: unexpected argument \"extra\""}},
		{[]string{"check", "--accessible"}, []string{"sitecfg check: unknown flag: --accessible"}},
		{[]string{"check", "now"}, []string{"sitecfg check: unexpected argument \"now\""}},
		{[]string{"export", "--user", "x"}, []string{"sitecfg export: unknown flag: --user"}},
		{[]string{"recovery-codes", "--user"}, []string{"sitecfg recovery-codes: flag needs an argument: --user"}},
		{[]string{"reset-password", "--out", "x"}, []string{"sitecfg reset-password: unknown flag: --out"}},
		{[]string{"demo", "--config", "x"}, []string{"sitecfg demo: unknown flag: --config"}},
		{[]string{"version", "2"}, []string{"sitecfg version: unexpected argument \"2\""}},
		{[]string{"guide"}, []string{"sitecfg guide: missing argument: microsoft"}},
		{[]string{"guide", "google"}, []string{"sitecfg guide: unknown argument \"google\""}},
		{[]string{"guide", "microsoft", "twice"}, []string{"sitecfg guide: unexpected argument \"twice\""}},
		{[]string{"completion"}, []string{"sitecfg completion: missing argument: bash, or zsh, or fish"}},
		{[]string{"completion", "tcsh"}, []string{"sitecfg completion: unknown argument \"tcsh\""}},
		{[]string{"help", "frobnicate"}, []string{"sitecfg help: unknown help topic \"frobnicate\""}},
		// Flags the commands parse themselves keep their own words.
		{[]string{"apply"}, []string{"sitecfg apply: --answers FILE is required"}},
		{[]string{"recovery-codes"}, []string{"sitecfg recovery-codes: --user NAME is required"}},
		{[]string{"reset-password"}, []string{"sitecfg reset-password: --user NAME is required"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errs := runCLI(t, tt.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			if out != "" {
				t.Errorf("stdout should be empty:\n%s", out)
			}
			for _, s := range tt.want {
				if !strings.Contains(errs, s) {
					t.Errorf("stderr lacks %q:\n%s", s, errs)
				}
			}
		})
	}
}

// The completion scripts hook the shell to the binary's own completion
// (cobra's hidden __complete command), which answers from the command
// tree: every command, guide's provider, the shells, each command's flags.
func TestCompletion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		t.Run(shell, func(t *testing.T) {
			code, out, errs := runCLI(t, "completion", shell)
			if code != exitOK || errs != "" {
				t.Fatalf("exit %d, stderr %q", code, errs)
			}
			for _, s := range []string{shell, "sitecfg", "__complete"} {
				if !strings.Contains(out, s) {
					t.Errorf("the %s script does not mention %q", shell, s)
				}
			}
		})
	}
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{""}, []string{"apply", "check", "completion", "demo", "export", "guide", "help", "recovery-codes", "reset-password", "schema", "version"}},
		{[]string{"re"}, []string{"recovery-codes", "reset-password"}},
		{[]string{"guide", ""}, []string{"microsoft"}},
		{[]string{"completion", ""}, []string{"bash", "zsh", "fish"}},
		{[]string{"apply", "--"}, commandFlags["apply"]},
		{[]string{"check", "--"}, commandFlags["check"]},
		{[]string{"recovery-codes", "--"}, commandFlags["recovery-codes"]},
		{[]string{"--"}, commandFlags[""]},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, _ := runCLI(t, append([]string{"__complete"}, tt.args...)...)
			if code != exitOK {
				t.Fatalf("exit %d", code)
			}
			got := map[string]bool{}
			for _, line := range strings.Split(out, "\n") {
				word, _, _ := strings.Cut(line, "\t")
				got[word] = true
			}
			for _, w := range tt.want {
				if !got[w] {
					t.Errorf("completion lacks %q:\n%s", w, out)
				}
			}
		})
	}
}
