package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"sitecfg/config"
	"sitecfg/pipeline"
	"sitecfg/recovery"
)

func init() { register(newRecoveryCodesCmd) }

// newRecoveryCodesCmd is `sitecfg recovery-codes`: a new set of codes.
func newRecoveryCodesCmd(e *env) *cobra.Command {
	c := &cobra.Command{
		Use:   "recovery-codes",
		Short: "regenerate the UI admin's recovery codes (every earlier code stops working)",
		Args:  noArgs,
	}
	fs := c.Flags()
	user := fs.String("user", "", "the UI admin's username (`NAME`) — required")
	markRequired(fs, "user")
	cfg := configFlag(fs)
	out := fs.String("out", "", "`FILE` to write the codes to, mode 0600 (default ./USER-recovery-codes.txt)")
	_ = c.MarkFlagFilename("out")
	force := fs.Bool("force", false, "replace --out if it exists")
	c.RunE = action(func(context.Context, []string) error {
		path := configPath(*cfg, e)
		rec := newAuditRun(e, path, "recovery-codes")
		return rec.finish(runRecoveryCodes(e, path, *user, *out, *force, rec))
	})
	return c
}

func runRecoveryCodes(e *env, path, user, out string, force bool, j pipeline.Journal) error {
	if user == "" {
		return failf(exitUsage, "--user NAME is required")
	}
	site, _, err := loadConfig(path)
	if err != nil {
		return err
	}
	acc, role := site.Account(user)
	switch {
	case acc == nil:
		return failf(exitInvalid, "%s has no UI user %q", path, user)
	case role != "admin":
		return failf(exitInvalid, "%q is the support user: recovery codes are for the UI admin", user)
	}
	if out == "" {
		out = strings.ToLower(acc.Username) + "-recovery-codes.txt"
	}
	if _, err := os.Lstat(out); err == nil && !force {
		return failf(exitIO, "%s already exists: choose another --out, or --force to replace it", out)
	}
	codes, err := recovery.Generate(recovery.DefaultCount)
	if err != nil {
		return err
	}
	hashes, err := recovery.HashCodes(codes)
	if err != nil {
		return err
	}
	now := e.now()
	// The file first: a config holding hashes of codes nobody received
	// would lock the admin out. If the config update fails, the write is
	// taken back (a replaced file gets its old codes again).
	codesFile, err := recovery.WriteCodesFile(out, acc.Username, codes, now, true)
	if err != nil {
		return withCode(exitIO, err)
	}
	err = pipeline.Update(path, 30*time.Second, j, func(s *config.Site) error {
		a, _ := s.Account(user)
		if a == nil {
			return failf(exitInvalid, "user %q disappeared from %s", user, path)
		}
		at := now.UTC().Truncate(time.Second)
		a.RecoveryCodes, a.RecoveryCodesCreated = hashes, &at
		return nil
	})
	if err != nil {
		_ = codesFile.Undo()
		if exitCode(err) == exitInternal {
			err = withCode(exitIO, err)
		}
		return err
	}
	fmt.Fprintf(e.stdout, "Wrote %d new recovery codes for %s to %s (mode 0600). Every earlier code no longer works.\n", len(codes), acc.Username, out)
	fmt.Fprintln(e.stdout, "Store them offline, then delete the file.")
	return nil
}
