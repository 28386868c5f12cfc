package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/spf13/cobra"

	"sitecfg/config"
	"sitecfg/microsoft"
)

// guideProviders are the providers `sitecfg guide` has steps for.
var guideProviders = []string{"microsoft"}

// newGuideCmd is `sitecfg guide microsoft`: the provider's set-up steps,
// or with --script the same as one PowerShell script.
func newGuideCmd(e *env) *cobra.Command {
	c := &cobra.Command{
		Use:       "guide microsoft",
		Short:     "print set-up steps for a provider (guide microsoft), with your IDs filled in",
		Args:      oneOf(guideProviders...),
		ValidArgs: guideProviders,
	}
	cfg := configFlag(c.Flags())
	script := c.Flags().Bool("script", false, "print the set-up as one PowerShell script, safe to run twice")
	c.RunE = action(func(_ context.Context, args []string) error {
		flags := ""
		if c.Flags().Changed("config") {
			// The commands it prints work on the same config.
			flags = " --config " + pasteable(*cfg)
		}
		return runGuide(e, configPath(*cfg, e), flags, args, *script)
	})
	return c
}

// pasteable is a path as a shell takes it: as it is when plain, else
// in single quotes.
func pasteable(p string) string {
	plain := p != ""
	for _, r := range p {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+:@,=", r)) {
			plain = false
		}
	}
	if plain {
		return p
	}
	return "'" + strings.ReplaceAll(p, "'", `'\''`) + "'"
}

func runGuide(e *env, path, flags string, args []string, script bool) error {
	if len(args) != 1 || args[0] != "microsoft" {
		return failf(exitUsage, "usage: sitecfg guide microsoft [--config PATH] [--script]")
	}
	in := microsoft.GuideInput{Cloud: config.CloudGlobal}
	// A config that signs in as a user (microsoft-delegated) gets its own
	// set-up: a public client app, the delegated SMTP.Send, sitecfg signin.
	delegated := false
	site, _, err := loadConfig(path)
	switch {
	case err == nil:
		// Validated before printing: the values go into PowerShell that
		// a tenant administrator runs, another trust domain.
		g, ok := site.SMTP.Guide()
		if !ok {
			g, delegated = site.SMTP.SignInGuide()
			ok = delegated
		}
		if ok {
			if verr := config.ValidateGuideInput(g); verr != nil {
				fmt.Fprintf(e.stderr, "note: %s: %s; the commands show <placeholders>\n", path, verr)
			} else {
				in = g
			}
		}
	case errors.Is(err, fs.ErrNotExist):
		fmt.Fprintf(e.stderr, "note: no configuration at %s; the commands show <placeholders>\n", path)
	default:
		fmt.Fprintf(e.stderr, "note: %v; the commands show <placeholders>\n", errors.Unwrap(err))
	}
	in.Flags = flags
	if delegated {
		guide := microsoft.DelegatedGuide
		if script {
			guide = microsoft.DelegatedScript
		}
		_, err = fmt.Fprint(e.stdout, guide(in))
		return err
	}
	if script {
		_, err = fmt.Fprint(e.stdout, microsoft.Script(in))
		return err
	}
	_, err = fmt.Fprint(e.stdout, microsoft.Guide(in))
	return err
}
