//go:build gendocs

package main

// Man pages for the release (.ci/release.sh), generated from the command
// tree itself so that they never drift from --help. Compiled only with
// -tags gendocs: the shipped binary neither carries cobra/doc nor a
// hidden command.
//
//	go run -tags gendocs . DIR    # writes DIR/sitecfg.1, DIR/sitecfg-apply.1, …
//
// The date in the pages' header is SOURCE_DATE_EPOCH's (reproducible
// builds), else the current date.

import (
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/spf13/cobra/doc"
)

func init() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run -tags gendocs . DIR")
		os.Exit(2)
	}
	if err := writeManPages(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

func writeManPages(dir string) error {
	date := time.Now().UTC()
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		sec, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return fmt.Errorf("SOURCE_DATE_EPOCH: %w", err)
		}
		date = time.Unix(sec, 0).UTC()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	root := newRootCmd(newEnv())
	root.DisableAutoGenTag = true // its text holds the build date
	return doc.GenManTree(root, &doc.GenManHeader{
		Section: "1",
		Date:    &date,
		// This init may run before version.go's: resolve here too.
		Source: "sitecfg " + readBuildStamp(currentBuild(), debug.ReadBuildInfo).Version,
		Manual: "sitecfg manual",
	}, dir)
}
