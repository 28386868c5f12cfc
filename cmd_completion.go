package main

import (
	"context"

	"github.com/spf13/cobra"
)

// completionShells are the shells `sitecfg completion` writes scripts for.
var completionShells = []string{"bash", "zsh", "fish"}

// newCompletionCmd is `sitecfg completion bash|zsh|fish`: a completion
// script generated from the command tree. The script asks the binary
// itself (the hidden __complete command) what comes next, so it never
// goes stale.
func newCompletionCmd(e *env) *cobra.Command {
	c := &cobra.Command{
		Use:   "completion bash|zsh|fish",
		Short: "print a shell completion script",
		Long: `Print a shell completion script for sitecfg. To load it:

  bash:  source <(sitecfg completion bash)
  zsh:   sitecfg completion zsh > "${fpath[1]}/_sitecfg"
  fish:  sitecfg completion fish > ~/.config/fish/completions/sitecfg.fish`,
		Args:      oneOf(completionShells...),
		ValidArgs: completionShells,
	}
	c.RunE = action(func(_ context.Context, args []string) error {
		root := c.Root()
		switch args[0] {
		case "bash":
			return root.GenBashCompletionV2(e.stdout, true)
		case "zsh":
			return root.GenZshCompletion(e.stdout)
		default:
			return root.GenFishCompletion(e.stdout, true)
		}
	})
	return c
}
