package main

import (
	"context"
	"flag"
	"fmt"
	"runtime"
	"runtime/debug"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = "dev"

func init() {
	register(command{
		name:    "version",
		summary: "print version and build info",
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			return func(_ context.Context, e *env) error {
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
			}
		},
	})
}
