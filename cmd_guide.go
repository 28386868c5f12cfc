package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"

	"sitecfg/config"
	"sitecfg/wizard"
)

func init() {
	register(command{
		name:       "guide",
		summary:    "print set-up steps for a provider (guide microsoft), with your IDs filled in",
		positional: 1,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			cfg := configFlag(fs)
			return func(_ context.Context, e *env) error {
				return runGuide(e, configPath(*cfg, e), e.args)
			}
		},
	})
}

func runGuide(e *env, path string, args []string) error {
	if len(args) != 1 || args[0] != "microsoft" {
		return failf(exitUsage, "usage: sitecfg guide microsoft [--config PATH]")
	}
	in := wizard.GuideInput{Cloud: config.CloudGlobal}
	site, _, err := loadConfig(path)
	switch {
	case err == nil:
		if o := site.SMTP.OAuth; o != nil && site.SMTP.Auth == config.AuthMicrosoft {
			in = wizard.GuideInput{Cloud: o.Cloud, TenantID: o.TenantID, ClientID: o.ClientID, Mailbox: site.SMTP.Username}
		}
	case errors.Is(err, fs.ErrNotExist):
		fmt.Fprintf(e.stderr, "note: no configuration at %s; the commands show <placeholders>\n", path)
	default:
		fmt.Fprintf(e.stderr, "note: %v; the commands show <placeholders>\n", errors.Unwrap(err))
	}
	_, err = fmt.Fprint(e.stdout, wizard.MicrosoftGuide(in))
	return err
}
