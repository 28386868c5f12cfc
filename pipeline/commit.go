package pipeline

import (
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
	// By names the writer in the file's stamp ("sitecfg v1.2.3").
	By string
}

// Written says what Commit wrote.
type Written struct {
	Path      string `json:"config"`
	Backup    string `json:"backup,omitempty"`
	CodesFile string `json:"recovery_codes_out,omitempty"`
	// Codes are the recovery codes the config now holds hashes of; never
	// serialised.
	Codes []string `json:"-"`
}

// Commit writes prepared answers as the site config. Under the config's
// lock (failing at once with config.ErrLocked if another run holds it) it
// re-reads the file and refuses with ErrChanged if it is not the one Open
// read — so a slow check never rolls back what another run wrote in the
// meantime. It then builds the config from the answers and that file,
// hashes new UI passwords and the recovery codes (SMTP off), writes the
// generated codes file first and the config last, atomically, keeping the
// old file as PATH.bak. If the config cannot be written, a codes file
// this call wrote is taken back. Once the config is written, nothing this
// package does removes the codes, and the run's Journal (Options) is told,
// still under the lock.
func (r *Run) Commit(a *config.Answers, o CommitOptions) (*Written, error) {
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

	now := r.now()
	site := a.Build(r.Prev, now, o.By)
	w := &Written{Path: r.Path}
	var codesFile *recovery.CodesFile
	if !a.SMTP.Enabled {
		if err := hashAccount(site.Users.Admin, a.Users.Admin); err != nil {
			return nil, err
		}
		if err := hashAccount(site.Users.Support, a.Users.Support); err != nil {
			return nil, err
		}
		codes := o.Codes
		if codes == nil {
			if o.CodesOut == "" {
				return nil, errors.New("recovery codes need a file to be written to")
			}
			if codes, err = recovery.Generate(recovery.DefaultCount); err != nil {
				return nil, fmt.Errorf("generate recovery codes: %w", err)
			}
			// The codes file first: no config may hold hashes of codes
			// nobody was given.
			if codesFile, err = recovery.WriteCodesFile(o.CodesOut, site.Users.Admin.Username, codes, now, true); err != nil {
				return nil, err
			}
			w.CodesFile = o.CodesOut
		}
		hashes, err := recovery.HashCodes(codes)
		if err != nil {
			_ = codesFile.Undo()
			return nil, fmt.Errorf("hash recovery codes: %w", err)
		}
		at := now.UTC().Truncate(time.Second)
		site.Users.Admin.RecoveryCodes = hashes
		site.Users.Admin.RecoveryCodesCreated = &at
		w.Codes = codes
	}
	backup, err := lock.Save(site)
	if err != nil {
		_ = codesFile.Undo()
		return nil, err
	}
	w.Backup = backup
	Record(r.journal, r.Path, r.read)
	return w, nil
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
