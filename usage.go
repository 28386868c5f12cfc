package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// The help texts are generated from the commands and their flags, so they
// cannot go stale: a new command or flag shows up by itself.

const rootUsageTemplate = `Usage:{{range synopses .}}
  {{.}}{{end}}

Commands:{{range .Commands}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  {{rpad .Name .NamePadding }}  {{.Short}}{{end}}{{end}}

Wizard flags:
{{.LocalFlags.FlagUsages | trimTrailingWhitespaces}}

--config defaults to $SITECFG_CONFIG, else /etc/sitecfg/site-config.yaml
(the file the cluster reads). Every command takes --help; 'sitecfg help COMMAND' says more.

Exit codes: 0 ok, 1 internal error, 2 usage, 3 invalid answers or config,
4 live check failed, 5 could not read or write the config, 130 cancelled.
`

const commandUsageTemplate = `Usage:
  {{synopsis .}}{{if .HasAvailableLocalFlags}}

Flags:
{{.LocalFlags.FlagUsages | trimTrailingWhitespaces}}{{end}}
`

func init() {
	cobra.AddTemplateFunc("synopsis", synopsis)
	cobra.AddTemplateFunc("synopses", synopses)
}

// synopsis is one command's usage line, from its Use and its flags:
// "sitecfg guide microsoft [--config PATH]".
func synopsis(c *cobra.Command) string {
	parts := []string{c.CommandPath()}
	if _, rest, ok := strings.Cut(c.Use, " "); ok {
		parts = append(parts, rest)
	}
	c.LocalFlags().VisitAll(func(f *pflag.Flag) {
		if f.Name == "help" || f.Hidden {
			return
		}
		s := "--" + f.Name
		if f.Value.Type() != "bool" {
			name, _ := pflag.UnquoteUsage(f)
			s += " " + strings.ToUpper(name)
		}
		if f.Annotations[requiredFlag] == nil {
			s = "[" + s + "]"
		}
		parts = append(parts, s)
	})
	return strings.Join(parts, " ")
}

// synopses are the usage lines of the root and every command under it.
func synopses(root *cobra.Command) []string {
	lines := []string{synopsis(root)}
	for _, c := range root.Commands() {
		if c.IsAvailableCommand() {
			lines = append(lines, synopsis(c))
		}
	}
	return lines
}

// requiredFlag annotates a flag the command cannot do without. It only
// shapes the help: the command itself says what is missing, with its own
// exit code.
const requiredFlag = "sitecfg_required"

func markRequired(fs *pflag.FlagSet, name string) {
	_ = fs.SetAnnotation(name, requiredFlag, []string{"true"})
}

// unknownCommand is the root's argument check: the wizard takes no
// arguments, so a word there is a command that does not exist.
func unknownCommand(c *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	hint := ""
	if s := c.SuggestionsFor(args[0]); len(s) > 0 {
		hint = fmt.Sprintf(" (did you mean %q?)", s[0])
	}
	return fmt.Errorf("unknown command %q%s", args[0], hint)
}

// newHelpCmd is `sitecfg help [COMMAND]`; unlike cobra's own, an
// unknown topic is a usage error.
func newHelpCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "help [COMMAND]",
		Short: "help about any command",
		RunE: func(c *cobra.Command, args []string) error {
			cmd, rest, err := c.Root().Find(args)
			if err != nil || len(rest) > 0 {
				return fmt.Errorf("unknown help topic %q", strings.Join(args, " "))
			}
			return cmd.Help()
		},
		ValidArgsFunction: func(c *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []cobra.Completion
			for _, cmd := range c.Root().Commands() {
				if cmd.IsAvailableCommand() {
					names = append(names, cobra.CompletionWithDesc(cmd.Name(), cmd.Short))
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
	}
}
