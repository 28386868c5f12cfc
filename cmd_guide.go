package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/spf13/cobra"

	"sitecfg/config"
	"sitecfg/microsoft"
)

func init() { register(newGuideCmd) }

// guideProviders are the providers `sitecfg guide` has steps for.
var guideProviders = []string{"microsoft"}

// newGuideCmd is `sitecfg guide microsoft`: the provider's set-up steps.
func newGuideCmd(e *env) *cobra.Command {
	c := &cobra.Command{
		Use:       "guide microsoft",
		Short:     "print set-up steps for a provider (guide microsoft), with your IDs filled in",
		Args:      oneOf(guideProviders...),
		ValidArgs: guideProviders,
	}
	cfg := configFlag(c.Flags())
	c.RunE = action(func(_ context.Context, args []string) error {
		return runGuide(e, configPath(*cfg, e), args)
	})
	return c
}

func runGuide(e *env, path string, args []string) error {
	if len(args) != 1 || args[0] != "microsoft" {
		return failf(exitUsage, "usage: sitecfg guide microsoft [--config PATH]")
	}
	in := microsoft.GuideInput{Cloud: config.CloudGlobal}
	site, _, err := loadConfig(path)
	switch {
	case err == nil:
		if o := site.SMTP.OAuth; o != nil && site.SMTP.Auth == config.AuthMicrosoft {
			in = microsoft.GuideInput{Cloud: o.Cloud, TenantID: o.TenantID, ClientID: o.ClientID, Mailbox: site.SMTP.Username}
		}
	case errors.Is(err, fs.ErrNotExist):
		fmt.Fprintf(e.stderr, "note: no configuration at %s; the commands show <placeholders>\n", path)
	default:
		fmt.Fprintf(e.stderr, "note: %v; the commands show <placeholders>\n", errors.Unwrap(err))
	}
	_, err = fmt.Fprint(e.stdout, microsoft.Guide(in))
	return err
}
