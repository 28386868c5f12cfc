package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = "dev"

// newVersionCmd is `sitecfg version`.
func newVersionCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "print version and build info",
		Args:  noArgs,
		RunE: action(func(context.Context, []string) error {
			fmt.Fprintf(e.stdout, "sitecfg %s\n", version)
			fmt.Fprintf(e.stdout, "go: %s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
			if bi, ok := debug.ReadBuildInfo(); ok {
				for _, s := range bi.Settings {
					switch s.Key {
					case "vcs.revision", "vcs.time", "vcs.modified":
						fmt.Fprintf(e.stdout, "%s: %s\n", s.Key, s.Value)
					}
				}
			}
			return nil
		}),
	}
}
