package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

const usageText = `sitecfg configures the cluster's email settings.

Usage:
  sitecfg [--config PATH]                 the interactive wizard (needs a terminal)
  sitecfg --accessible [--config PATH]    the same questions as plain line prompts
  sitecfg apply --answers FILE [--config PATH] [--dry-run] [--skip-check] [--send-test] [--json]
  sitecfg check [--config PATH] [--send-test] [--json]
  sitecfg export [--config PATH]
  sitecfg recovery-codes --user NAME [--config PATH] [--out FILE] [--force]
  sitecfg reset-password --user NAME [--config PATH]
  sitecfg demo
  sitecfg version

--config defaults to $SITECFG_CONFIG, else site-config.yaml in the working
directory. Every command takes --help.

Exit codes: 0 ok, 1 internal error, 2 usage, 3 invalid answers or config,
4 live check failed, 5 could not read or write the config, 130 cancelled.
`

// command is one subcommand: its flags and what it does.
type command struct {
	name    string
	summary string
	// positional is how many non-flag arguments the command takes.
	positional int
	flags      func(fs *flag.FlagSet) func(ctx context.Context, e *env) error
}

var commands = map[string]command{}

func register(c command) { commands[c.name] = c }

// run parses the command line, runs the command and maps its error to an
// exit code — the only place that does.
func run(ctx context.Context, args []string, e *env) int {
	name := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if name == "help" {
		fmt.Fprint(e.stdout, usageText)
		return exitOK
	}
	if name == "" {
		name = "wizard"
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(e.stderr, "sitecfg: unknown command %q%s\n\n%s", name, suggestCommand(name), usageText)
		return exitUsage
	}
	fs := flag.NewFlagSet("sitecfg "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	do := c.flags(fs)
	// Flags may come before or after positional arguments.
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				printHelp(e.stdout, c, fs)
				return exitOK
			}
			fmt.Fprintf(e.stderr, "sitecfg %s: %v\nRun 'sitecfg %s --help' for usage.\n", name, err, name)
			return exitUsage
		}
		if fs.NArg() == 0 {
			break
		}
		e.args = append(e.args, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(e.args) > c.positional {
		fmt.Fprintf(e.stderr, "sitecfg %s: unexpected argument %q\nRun 'sitecfg %s --help' for usage.\n", name, e.args[c.positional], name)
		return exitUsage
	}
	err := do(ctx, e)
	code := exitCode(err)
	if err != nil && !errors.Is(err, errReported) {
		msg := err.Error()
		if code == exitCancel {
			msg = errCancelled.Error()
		}
		fmt.Fprintf(e.stderr, "sitecfg %s: %s\n", name, msg)
	}
	return code
}

// errReported marks an error whose details the command already printed;
// run then only sets the exit code.
var errReported = errors.New("reported")

func reported(code int) error { return &exitError{code: code, err: errReported} }

func printHelp(w io.Writer, c command, fs *flag.FlagSet) {
	name := c.name
	if name == "wizard" {
		fmt.Fprint(w, usageText)
		fmt.Fprintln(w, "\nWizard flags:")
	} else {
		fmt.Fprintf(w, "sitecfg %s: %s\n\nFlags:\n", name, c.summary)
	}
	fs.VisitAll(func(f *flag.Flag) {
		kind, usage := flag.UnquoteUsage(f)
		fmt.Fprintf(w, "  --%s %s\n      %s\n", f.Name, kind, usage)
	})
}

func suggestCommand(name string) string {
	for n := range commands {
		if n != "wizard" && (strings.HasPrefix(n, name) || strings.HasPrefix(name, n)) {
			return fmt.Sprintf(" (did you mean %q?)", n)
		}
	}
	return ""
}

// configFlag registers --config with its documented default.
func configFlag(fs *flag.FlagSet) *string {
	return fs.String("config", "", "site-config file (default $SITECFG_CONFIG, else ./site-config.yaml)")
}

func configPath(flagValue string, e *env) string {
	if flagValue != "" {
		return flagValue
	}
	if v := e.getenv("SITECFG_CONFIG"); v != "" {
		return v
	}
	return "site-config.yaml"
}
