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
	"sitecfg/wizard"
)

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
	out := fs.String("out", "", "`FILE` to write the codes to, mode 0600 (default USER-recovery-codes.txt next to the config)")
	_ = c.MarkFlagFilename("out")
	force := fs.Bool("force", false, "replace --out if it exists")
	c.RunE = action(func(ctx context.Context, _ []string) error {
		path := configPath(*cfg, e)
		rec := newAuditRun(e, path, "recovery-codes")
		return rec.finish(runRecoveryCodes(ctx, e, path, *user, *out, *force, rec))
	})
	return c
}

func runRecoveryCodes(ctx context.Context, e *env, path, user, out string, force bool, j pipeline.Journal) error {
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
		out = wizard.DefaultCodesFile("", path, acc.Username)
	}
	if err := config.CheckOutput(path, out); err != nil {
		return withCode(exitIO, err)
	}
	if _, err := os.Lstat(out); err == nil && !force {
		// The file there usually holds this admin's earlier codes, which
		// stop working now: in a terminal, ask; a script says --force.
		refused := failf(exitIO, "%s already exists: choose another --out, or --force to replace it", out)
		if !e.stdinTTY {
			return refused
		}
		fmt.Fprintf(e.stderr, "%s already exists (the codes in it stop working once the new ones are written). Replace it? [y/N]: ", out)
		answer, err := readAnswer(ctx, e.stdin)
		switch {
		case ctx.Err() != nil:
			fmt.Fprintln(e.stderr)
			return errCancelled
		case err != nil && answer == "":
			fmt.Fprintln(e.stderr)
			return refused
		}
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
			return refused
		}
	}
	codes, err := recovery.Generate(recovery.DefaultCount)
	if err != nil {
		return err
	}
	hashes, err := recovery.HashCodes(codes)
	if err != nil {
		return err
	}
	if ctx.Err() != nil {
		// A signal while hashing: the codes on paper keep working.
		return withCode(exitCancel, errCancelled)
	}
	now := e.now()
	out, err = replaceCodes(ctx, path, user, out, codes, hashes, now, j)
	if err != nil {
		if exitCode(err) == exitInternal {
			err = withCode(exitIO, err)
		}
		return err
	}
	fmt.Fprintf(e.stdout, "Wrote %d new recovery codes for %s to %s (mode 0600). Every earlier code no longer works.\n", len(codes), acc.Username, out)
	fmt.Fprintln(e.stdout, "Store them offline, then delete the file.")
	return nil
}

// replaceCodes gives user the new codes, all under the config's lock: it
// settles what a killed earlier run left (recovery.ReconcileCodesFile),
// writes the codes file at out (what it replaces waits beside it), writes
// the config with the new hashes and only then keeps the codes file
// (recovery.CodesFile). At no moment are the codes the config accepts
// missing from disk: they are in out, or, until the config is written, in
// the replaced file the next run puts back; if the config cannot be
// written, out is put back as it was. It returns where the codes are.
func replaceCodes(ctx context.Context, path, user, out string, codes, hashes []string, now time.Time, j pipeline.Journal) (string, error) {
	lock, err := config.AcquireContext(ctx, path, 30*time.Second)
	if err != nil {
		return "", err
	}
	defer lock.Release()
	before, _ := os.ReadFile(lock.Path())
	s, _, err := config.Load(lock.Path())
	if err != nil {
		return "", err
	}
	a, _ := s.Account(user)
	if a == nil {
		return "", failf(exitInvalid, "user %q disappeared from %s", user, path)
	}
	if _, err := recovery.ReconcileCodesFile(out, a.RecoveryCodes); err != nil {
		return "", err
	}
	f, err := recovery.WriteCodesFileFor(out, a.Username, path, codes, now, true)
	if err != nil {
		return "", fmt.Errorf("%w (the previous codes file is intact)", err)
	}
	at := now.UTC().Truncate(time.Second)
	a.RecoveryCodes, a.RecoveryCodesCreated = hashes, &at
	if ctx.Err() != nil {
		// Honoured up to the write: nothing replaced, out put back.
		_ = f.Undo()
		return "", withCode(exitCancel, errCancelled)
	}
	if _, err := lock.Save(s); err != nil {
		if uerr := f.Undo(); uerr != nil {
			return "", fmt.Errorf("%w (the previous codes wait in %s: the next run puts them back)", err, recovery.ReplacedPath(out))
		}
		return "", fmt.Errorf("%w (the previous codes file is intact)", err)
	}
	pipeline.Record(j, lock.Path(), before)
	// The config is written: from here on the codes stay on disk. What
	// they replaced, should it stay, is removed by the next run.
	_ = f.Keep()
	return out, nil
}
