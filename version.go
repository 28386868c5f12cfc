package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// Stamped by .ci/release.sh with -ldflags "-X main.version=… -X
// main.commit=…" (it builds with -buildvcs=false, so that a release does
// not depend on git being usable by the builder's user). A plain
// `go build` in a checkout leaves them empty and the module's build info
// (vcs.revision, vcs.time, vcs.modified) names the commit instead.
var (
	version    = ""
	commit     = ""
	commitTime = ""
	// treeModified is "true" when the release was built from a tree with
	// uncommitted changes to tracked files.
	treeModified = ""
)

// buildStamp is what `sitecfg version` reports about the build.
type buildStamp struct {
	Version    string // v1.2.3, a Go pseudo-version, or "dev"
	Commit     string // full revision, "" when unknown
	CommitTime string // RFC 3339, "" when unknown
	Modified   *bool  // nil when unknown
}

// init resolves version once, so that every place that names the tool
// (the audit log's "by", the support bundle) agrees with `sitecfg version`.
func init() {
	s := readBuildStamp(currentBuild(), debug.ReadBuildInfo)
	version, commit, commitTime = s.Version, s.Commit, s.CommitTime
	if s.Modified != nil {
		treeModified = fmt.Sprint(*s.Modified)
	}
}

// readBuildStamp combines the release's stamps with the module's build
// info: the stamps win, the build info fills what they leave empty.
func readBuildStamp(s buildStamp, read func() (*debug.BuildInfo, bool)) buildStamp {
	bi, ok := read()
	if ok {
		if s.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			// Go 1.24+ derives it from the checkout: a tag, or a
			// pseudo-version with the commit, "+dirty" when modified.
			s.Version = bi.Main.Version
		}
		for _, kv := range bi.Settings {
			switch kv.Key {
			case "vcs.revision":
				if s.Commit == "" {
					s.Commit = kv.Value
				}
			case "vcs.time":
				if s.CommitTime == "" {
					s.CommitTime = kv.Value
				}
			case "vcs.modified":
				if s.Modified == nil {
					m := kv.Value == "true"
					s.Modified = &m
				}
			}
		}
	}
	if s.Version == "" {
		s.Version = "dev"
	}
	return s
}

// String is the report `sitecfg version` prints.
func (s buildStamp) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "sitecfg %s\n", s.Version)
	if s.Commit == "" {
		b.WriteString("commit: unknown (built without version control information)\n")
	} else {
		fmt.Fprintf(&b, "commit: %s", s.Commit)
		if s.CommitTime != "" {
			fmt.Fprintf(&b, " (%s)", s.CommitTime)
		}
		b.WriteString("\n")
	}
	switch {
	case s.Modified == nil:
		b.WriteString("tree: unknown\n")
	case *s.Modified:
		b.WriteString("tree: modified (built with uncommitted changes)\n")
	default:
		b.WriteString("tree: clean\n")
	}
	fmt.Fprintf(&b, "go: %s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return b.String()
}

// currentBuild is the stamp of this binary (after init: resolved).
func currentBuild() buildStamp {
	s := buildStamp{Version: version, Commit: commit, CommitTime: commitTime}
	if treeModified != "" {
		m := treeModified == "true"
		s.Modified = &m
	}
	return s
}

// newVersionCmd is `sitecfg version`.
func newVersionCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "print the version, the commit it was built from and build info",
		Args:  noArgs,
		RunE: action(func(context.Context, []string) error {
			fmt.Fprint(e.stdout, currentBuild())
			return nil
		}),
	}
}
