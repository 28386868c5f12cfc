package main

import (
	"context"

	"github.com/spf13/cobra"

	"sitecfg/config"
)

// newSchemaCmd is `sitecfg schema`: the answers file's JSON Schema.
func newSchemaCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "print the JSON Schema (draft 2020-12) of the answers file, for editors and CI",
		Long: "Print the JSON Schema (draft 2020-12) of the answers file.\n\n" +
			"Save it and name it on an answers file's first line so that editors with\n" +
			"yaml-language-server (VS Code's YAML extension, Neovim, Helix…) complete\n" +
			"and check the file:\n\n" +
			"  sitecfg schema > answers.schema.json\n" +
			"  # yaml-language-server: $schema=./answers.schema.json\n\n" +
			"The Debian package installs it as /usr/share/sitecfg/answers.schema.json.\n" +
			"The schema checks keys, types and what is required; apply --dry-run\n" +
			"applies every rule.",
		Args: noArgs,
		RunE: action(func(context.Context, []string) error {
			_, err := e.stdout.Write(config.AnswersSchema())
			return err
		}),
	}
}
