package main

import (
	"context"
	"flag"
	"fmt"

	"sitecfg/config"
)

func init() {
	register(command{
		name:    "export",
		summary: "print the saved configuration as an answers file (secrets as ${ENV_VAR} references)",
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			cfg := configFlag(fs)
			return func(_ context.Context, e *env) error { return runExport(e, configPath(*cfg, e)) }
		},
	})
}

func runExport(e *env, path string) error {
	site, loaded, err := loadConfig(path)
	if err != nil {
		return err
	}
	for _, m := range loaded.Migrations {
		fmt.Fprintf(e.stderr, "note: %s\n", m)
	}
	out, err := config.Export(site)
	if err != nil {
		return err
	}
	_, err = e.stdout.Write(out)
	return err
}
