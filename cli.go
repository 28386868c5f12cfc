package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"sitecfg/wizard"
)

// run builds the command tree, runs the command the arguments name and
// maps its error to an exit code — the only place that does.
func run(ctx context.Context, args []string, e *env) int {
	if args == nil {
		args = []string{} // cobra reads os.Args when given nil
	}
	root := newRootCmd(e)
	root.SetArgs(args)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		// "sitecfg frobnicate --x": the word is the mistake, not the flag.
		if c == root && len(args) > 0 && !strings.HasPrefix(args[0], "-") {
			return unknownCommand(c, args[:1])
		}
		return err
	})
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	name := "sitecfg"
	if cmd != nil {
		name = cmd.CommandPath()
	}
	var ce *commandError
	if !errors.As(err, &ce) {
		// Everything cobra itself refuses is the command line's fault:
		// an unknown command or flag, a bad flag value, wrong arguments.
		fmt.Fprintf(e.stderr, "%s: %v\nRun '%s --help' for usage.\n", name, err, name)
		return exitUsage
	}
	err = ce.err
	code := exitCode(err)
	if !errors.Is(err, errReported) {
		msg := err.Error()
		if code == exitCancel {
			msg = errCancelled.Error()
			if errors.Is(err, wizard.ErrCodesVoid) {
				msg += "; " + wizard.ErrCodesVoid.Error()
			}
		}
		fmt.Fprintf(e.stderr, "%s: %s\n", name, msg)
	}
	return code
}

// newRootCmd is the whole command tree, writing to e's streams: the
// wizard at the root, every command under it, help and completion
// generated from the commands themselves.
func newRootCmd(e *env) *cobra.Command {
	root := newWizardCmd(e)
	root.SilenceErrors, root.SilenceUsage = true, true
	root.CompletionOptions.DisableDefaultCmd = true
	root.SuggestionsMinimumDistance = 2
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	root.SetUsageTemplate(rootUsageTemplate)
	help := newHelpCmd()
	help.SetUsageTemplate(commandUsageTemplate)
	root.SetHelpCommand(help)
	for _, c := range subcommands(e) {
		c.SetUsageTemplate(commandUsageTemplate)
		root.AddCommand(c)
	}
	// Flags are listed in the order they are declared: most important first.
	root.Flags().SortFlags = false
	for _, c := range root.Commands() {
		c.Flags().SortFlags = false
	}
	return root
}

// subcommands are the commands under the root (the wizard), one line
// each: a new command is its constructor in a cmd_*.go file and a line
// here. Help lists them by name whatever the order.
func subcommands(e *env) []*cobra.Command {
	return []*cobra.Command{
		newApplyCmd(e),         // cmd_apply.go
		newCheckCmd(e),         // cmd_check.go
		newCompletionCmd(e),    // cmd_completion.go
		newDemoCmd(e),          // cmd_demo.go
		newExportCmd(e),        // cmd_export.go
		newGuideCmd(e),         // cmd_guide.go
		newHistoryCmd(e),       // cmd_history.go
		newRecoveryCodesCmd(e), // cmd_recovery.go
		newResetPasswordCmd(e), // cmd_reset.go
		newSchemaCmd(e),        // cmd_schema.go
		newSigninCmd(e),        // cmd_signin.go
		newVersionCmd(e),       // version.go
	}
}

// commandError is an error a command returned while running, as opposed
// to one cobra returned about the command line.
type commandError struct{ err error }

func (e *commandError) Error() string { return e.err.Error() }
func (e *commandError) Unwrap() error { return e.err }

// action adapts a command's function to cobra. Its error is marked as the
// command's own, which run maps to an exit code; anything else cobra
// returns is a usage error (exit 2).
func action(fn func(ctx context.Context, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		if err := fn(cmd.Context(), args); err != nil {
			return &commandError{err}
		}
		return nil
	}
}

// errReported marks an error whose details the command already printed;
// run then only sets the exit code.
var errReported = errors.New("reported")

func reported(code int) error { return &exitError{code: code, err: errReported} }

// noArgs refuses positional arguments.
func noArgs(_ *cobra.Command, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("unexpected argument %q", args[0])
	}
	return nil
}

// oneOf wants exactly one positional argument, one of valid.
func oneOf(valid ...string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		switch {
		case len(args) == 0:
			return fmt.Errorf("missing argument: %s", strings.Join(valid, ", or "))
		case len(args) > 1:
			return fmt.Errorf("unexpected argument %q", args[1])
		}
		for _, v := range valid {
			if args[0] == v {
				return nil
			}
		}
		return fmt.Errorf("unknown argument %q: want %s", args[0], strings.Join(valid, ", or "))
	}
}

// configFlag registers --config with its documented default.
func configFlag(fs *pflag.FlagSet) *string {
	p := fs.String("config", "", "site-config `PATH` (default $SITECFG_CONFIG, else "+defaultConfigPath+")")
	_ = cobra.MarkFlagFilename(fs, "config", "yaml", "yml")
	return p
}

func configPath(flagValue string, e *env) string {
	if flagValue != "" {
		return flagValue
	}
	if v := e.getenv("SITECFG_CONFIG"); v != "" {
		return v
	}
	return defaultConfigPath
}

// defaultConfigPath is the site config the cluster reads unless it is told
// otherwise: never a file in whatever folder the operator happens to be in.
const defaultConfigPath = "/etc/sitecfg/site-config.yaml"

// timeoutFlag registers --timeout (default 30s) for the whole live check;
// a value that is not positive is a usage error, not silently the
// default.
func timeoutFlag(fs *pflag.FlagSet, p *time.Duration) {
	*p = 30 * time.Second
	fs.Var((*timeoutValue)(p), "timeout", "deadline for the whole live check")
}

// timeoutValue is a time.Duration flag that must be positive.
type timeoutValue time.Duration

func (t *timeoutValue) String() string { return time.Duration(*t).String() }
func (t *timeoutValue) Type() string   { return "duration" }

func (t *timeoutValue) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	if d <= 0 {
		return fmt.Errorf("%s is not a positive duration (for example 30s or 2m)", s)
	}
	*t = timeoutValue(d)
	return nil
}
