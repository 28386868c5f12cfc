package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"sitecfg/config"
)

// newExportCmd is `sitecfg export`: the saved config as an answers file.
func newExportCmd(e *env) *cobra.Command {
	c := &cobra.Command{
		Use:   "export",
		Short: "print the saved configuration as an answers file (secrets as ${ENV_VAR} references)",
		Args:  noArgs,
	}
	cfg := configFlag(c.Flags())
	c.RunE = action(func(context.Context, []string) error { return runExport(e, configPath(*cfg, e)) })
	return c
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
