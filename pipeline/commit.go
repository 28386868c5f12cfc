package pipeline

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"sitecfg/config"
	"sitecfg/recovery"
)

// ErrChanged is returned by Commit when the config file changed since
// this run read it (another sitecfg run, or an edit): nothing is written,
// so nobody's change is rolled back.
var ErrChanged = errors.New("changed since this run read it")

// CommitOptions tune Commit.
type CommitOptions struct {
	// Codes are recovery codes already shown to the operator and saved
	// by them (the wizard makes them early so one can be typed back).
	// When nil and SMTP is off, Commit generates them and writes them to
	// CodesOut.
	Codes []string
	// CodesOut is the file generated codes are written to (0600).
	CodesOut string
	// CodesFile is where the front end saved Codes (Run.WriteCodes):
	// Commit keeps it once the config is written, under the lock, so
	// that nothing takes it back afterwards (recovery.CodesFile.Keep).
	CodesFile *recovery.CodesFile
	// KeptCodesFile, when the saved codes are kept and CodesOut is not
	// given, is their file as a front end offers it: what a killed run
	// left beside it is repaired, best effort (nothing is refused for it).
	KeptCodesFile string
	// By names the writer in the file's stamp ("sitecfg v1.2.3").
	By string
	// Cancel, when done (SIGINT, SIGTERM, SIGHUP), stops the commit at
	// its next step up to the write itself — hashing takes a while —
	// with nothing written (codes written are taken back). Nil: never.
	Cancel context.Context
}

// cancelled is the error for a commit stopped by o.Cancel, nil otherwise.
func (o CommitOptions) cancelled() error {
	if o.Cancel == nil || o.Cancel.Err() == nil {
		return nil
	}
	return fmt.Errorf("interrupted; nothing was written: %w", o.Cancel.Err())
}

// Written says what Commit wrote.
type Written struct {
	Path      string `json:"config"`
	Backup    string `json:"backup,omitempty"`
	CodesFile string `json:"recovery_codes_out,omitempty"`
	// Codes are the recovery codes the config now holds hashes of; never
	// serialised.
	Codes []string `json:"-"`
	// CodesKept says the saved recovery codes were kept (Answers.KeepCodes).
	CodesKept bool `json:"-"`
	// CheckFailed, set by a front end that saved after a failed live
	// check ("save anyway"), says how it failed.
	CheckFailed string `json:"-"`
}

// ErrUnreadable is returned by Commit for an existing config that could
// not be read (Run.Unreadable) when the operator did not explicitly agree
// to replace it (Run.ReplaceUnreadable): whatever it holds (the UI
// accounts, say) would otherwise be lost without a word.
var ErrUnreadable = errors.New("cannot be read, and replacing it would lose what it holds")

// Commit writes prepared answers as the site config. Under the config's
// lock (failing at once with config.ErrLocked if another run holds it) it
// re-reads the file and refuses with ErrChanged if it is not the one Open
// read — so a slow check never rolls back what another run wrote in the
// meantime — and with ErrUnreadable if it could not be read and the
// operator did not agree to replace it. It then builds the config from
// the answers and that file, hashes new UI passwords and the recovery
// codes (SMTP off), writes generated codes to CodesOut, then writes the
// config atomically (keeping the old file as PATH.bak) and keeps the codes
// file (recovery.CodesFile): a config that cannot be written puts the
// previous codes file back, and what a run killed in between left is
// settled by the next one. Once the config is written, nothing this
// package does removes the codes, and the run's Journal (Options) is told,
// still under the lock.
func (r *Run) Commit(a *config.Answers, o CommitOptions) (*Written, error) {
	if err := o.cancelled(); err != nil {
		return nil, err
	}
	lock, err := config.Acquire(r.Path, 0)
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	changed, err := r.changedSince()
	if err != nil {
		return nil, err
	}
	if changed {
		return nil, fmt.Errorf("%s %w (another sitecfg run or an edit); nothing was written: run sitecfg again to start from the current file", r.Path, ErrChanged)
	}
	if r.Unreadable != nil && !r.ReplaceUnreadable {
		return nil, fmt.Errorf("%s %w; nothing was written", r.Path, ErrUnreadable)
	}
	if !a.SMTP.Enabled && o.CodesOut != "" {
		// Refused even when the codes are kept and the file not written:
		// an answers file naming the config as its codes file is wrong.
		if err := config.CheckOutput(r.Path, o.CodesOut); err != nil {
			return nil, fmt.Errorf("recovery codes: %w", err)
		}
	}

	now := r.now()
	site := a.Build(r.Prev, now, o.By)
	w := &Written{Path: r.Path}
	var generated *recovery.CodesFile
	if !a.SMTP.Enabled {
		if err := hashAccount(site.Users.Admin, a.Users.Admin); err != nil {
			return nil, err
		}
		if err := hashAccount(site.Users.Support, a.Users.Support); err != nil {
			return nil, err
		}
		if err := o.cancelled(); err != nil {
			return nil, err
		}
		if a.KeepCodes {
			// Build carried the saved hashes over: the codes the admin
			// holds keep working.
			if len(site.Users.Admin.RecoveryCodes) == 0 {
				return nil, fmt.Errorf("there are no saved recovery codes for %s to keep", site.Users.Admin.Username)
			}
			if f := cmp.Or(o.CodesOut, o.KeptCodesFile); f != "" {
				// The file of the codes kept, as a killed run may have
				// left it (o.CodesOut was checked against the config
				// above). Best effort: keeping the codes needs no file.
				_, _ = recovery.ReconcileCodesFile(f, r.prevCodeHashes())
			}
			w.CodesKept = true
		} else {
			codes := o.Codes
			if codes == nil {
				if o.CodesOut == "" {
					return nil, errors.New("recovery codes need a file to be written to")
				}
				// o.CodesOut was checked against the config above.
				if _, err := recovery.ReconcileCodesFile(o.CodesOut, r.prevCodeHashes()); err != nil {
					return nil, err
				}
				if codes, err = recovery.Generate(recovery.DefaultCount); err != nil {
					return nil, fmt.Errorf("generate recovery codes: %w", err)
				}
			}
			hashes, err := recovery.HashCodes(codes)
			if err != nil {
				return nil, fmt.Errorf("hash recovery codes: %w", err)
			}
			if err := o.cancelled(); err != nil {
				return nil, err
			}
			if o.Codes == nil {
				// Written before the config: no config may hold hashes of
				// codes that are not on disk.
				if generated, err = recovery.WriteCodesFileFor(o.CodesOut, site.Users.Admin.Username, r.Path, codes, now, true); err != nil {
					return nil, err
				}
			}
			at := now.UTC().Truncate(time.Second)
			site.Users.Admin.RecoveryCodes = hashes
			site.Users.Admin.RecoveryCodesCreated = &at
			w.Codes = codes
		}
	}
	// A secret the old file held in plain text and this one does not (now
	// a reference) does not stay behind in the backup either.
	if err := o.cancelled(); err != nil {
		_ = generated.Undo()
		return nil, err
	}
	backup, err := lock.SaveDropping(site)
	if err != nil {
		// The generated codes are taken back (the previous file is put
		// back); a front end's file stays until its run ends, for the
		// operator may try the write again.
		_ = generated.Undo()
		return nil, err
	}
	w.Backup = backup
	Record(r.journal, lock.Path(), r.read)
	// The config is written: its codes stay on disk whatever happens. A
	// failure to remove what they replaced is settled by the next run.
	for _, f := range []*recovery.CodesFile{generated, o.CodesFile} {
		if f != nil && w.Codes != nil {
			_ = f.Keep()
			w.CodesFile = f.Path
		}
	}
	return w, nil
}

// WriteCodes writes recovery codes a front end shows before the config
// is written (the operator saves them and types one back first) to path,
// as recovery.WriteCodesFile does. Under the config's lock it first
// settles what a killed run left beside path (recovery.ReconcileCodesFile),
// so that codes the config holds, kept aside by a run that never finished,
// are put back rather than replaced again. Pass the file to Commit
// (CommitOptions.CodesFile) to keep it; Undo it if the run ends without.
func (r *Run) WriteCodes(path, user string, codes []string, at time.Time, overwrite bool) (*recovery.CodesFile, error) {
	lock, err := config.Acquire(r.Path, 0)
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	if _, err := recovery.ReconcileCodesFile(path, r.prevCodeHashes()); err != nil {
		return nil, err
	}
	return recovery.WriteCodesFileFor(path, user, r.Path, codes, at, overwrite)
}

// prevCodeHashes are the admin's recovery-code hashes in the file this
// run read (nil when there is none).
func (r *Run) prevCodeHashes() []string {
	if r.Prev == nil || r.Prev.Users == nil || r.Prev.Users.Admin == nil {
		return nil
	}
	return r.Prev.Users.Admin.RecoveryCodes
}

func hashAccount(acc *config.Account, u config.UserAnswer) error {
	if u.Password.Value == "" {
		if acc.PasswordHash == "" {
			return fmt.Errorf("no password for %s and none stored", u.Username)
		}
		return nil
	}
	h, err := recovery.Hash(u.Password.Value)
	if err != nil {
		return fmt.Errorf("hash password: %w", err)
	}
	acc.PasswordHash = h
	return nil
}
