package wizard

import (
	"errors"
	"fmt"
	"os"
	"time"

	"sitecfg/config"
	"sitecfg/recovery"
)

// CommitOptions tune Commit.
type CommitOptions struct {
	// Codes are recovery codes already shown to the operator (the wizard
	// makes them early so they can be saved and typed back). When nil and
	// SMTP is off, Commit generates them and writes them to CodesOut.
	Codes []string
	// CodesOut is the file the generated codes are written to (0600).
	CodesOut string
	// By names the writer in the file's stamp ("sitecfg v1.2.3").
	By string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Written says what Commit wrote.
type Written struct {
	Path      string   `json:"config"`
	Backup    string   `json:"backup,omitempty"`
	CodesFile string   `json:"recovery_codes_out,omitempty"`
	Codes     []string `json:"-"` // never serialised
}

// Commit writes valid answers to the site config at path: it takes the
// lock (failing at once if another run holds it), hashes new UI passwords
// and the recovery codes (SMTP off), writes the codes file first — so no
// config ever holds hashes of codes nobody was given — then replaces the
// config atomically, keeping the old one as PATH.bak.
func Commit(path string, a *config.Answers, prev *config.Site, o CommitOptions) (*Written, error) {
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	lock, err := config.Acquire(path, 0)
	if err != nil {
		return nil, err
	}
	defer lock.Release()

	site := a.Build(prev, now(), o.By)
	w := &Written{Path: path}
	if !a.SMTP.Enabled {
		if err := hashAccount(site.Users.Admin, a.Users.Admin); err != nil {
			return nil, err
		}
		if err := hashAccount(site.Users.Support, a.Users.Support); err != nil {
			return nil, err
		}
		codes := o.Codes
		if codes == nil {
			if codes, err = recovery.Generate(recovery.DefaultCount); err != nil {
				return nil, fmt.Errorf("generate recovery codes: %w", err)
			}
			if o.CodesOut == "" {
				return nil, errors.New("recovery codes need a file to be written to")
			}
			if err := WriteCodesFile(o.CodesOut, site.Users.Admin.Username, codes, now(), true); err != nil {
				return nil, err
			}
			w.CodesFile = o.CodesOut
		}
		hashes, err := recovery.HashCodes(codes)
		if err != nil {
			return nil, fmt.Errorf("hash recovery codes: %w", err)
		}
		at := now().UTC().Truncate(time.Second)
		site.Users.Admin.RecoveryCodes = hashes
		site.Users.Admin.RecoveryCodesCreated = &at
		w.Codes = codes
	}
	backup, err := lock.Save(site)
	if err != nil {
		return nil, err
	}
	w.Backup = backup
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

// WriteCodesFile writes an admin's recovery codes to path with mode 0600,
// saying whose they are, when they were made and that each works once.
// Without overwrite an existing file is refused (os.ErrExist).
func WriteCodesFile(path, user string, codes []string, at time.Time, overwrite bool) error {
	if !overwrite {
		if _, err := os.Lstat(path); err == nil {
			return fmt.Errorf("%s already exists (use --force to replace it): %w", path, os.ErrExist)
		}
	}
	return config.WriteAtomic(path, CodesFileContent(user, codes, at))
}

// CodesFileContent is the text of a recovery-codes file.
func CodesFileContent(user string, codes []string, at time.Time) []byte {
	b := fmt.Appendf(nil, "Recovery codes for the UI admin %q\n", user)
	b = fmt.Appendf(b, "Generated %s by sitecfg.\n\n", at.UTC().Format("2006-01-02 15:04:05 MST"))
	b = append(b, "Each code works ONCE to reset the password (sitecfg reset-password).\n"...)
	b = append(b, "Generating a new set makes every code below stop working.\n"...)
	b = append(b, "Keep this file somewhere safe and offline, then delete it here.\n\n"...)
	for i, c := range codes {
		b = fmt.Appendf(b, "%2d. %s\n", i+1, c)
	}
	return b
}
