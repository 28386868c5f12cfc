package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Site is the site-config file: what the cluster reads. It holds no
// plaintext UI password and no plaintext recovery code, only argon2id
// hashes; the SMTP password and OAuth client secret are kept as given (or
// as their {env: NAME}/{file: PATH} reference), since mail cannot be sent without them.
type Site struct {
	Version int       `yaml:"version"`
	Written Stamp     `yaml:"written"`
	SMTP    SMTP      `yaml:"smtp"`
	Emails  *Emails   `yaml:"emails,omitempty"`
	Users   *Accounts `yaml:"users,omitempty"`
}

// Stamp records which tool wrote the file, and when.
type Stamp struct {
	At time.Time `yaml:"at"`
	By string    `yaml:"by"`
	// Refs is RefsMapping in every file this sitecfg writes: its plain
	// strings are literal. A file without it was written by an earlier
	// version, whose ${NAME} and file:PATH strings were references; Parse
	// reads them as such once (legacyRefs) and the next write stores them
	// in the mapping form.
	Refs string `yaml:"refs,omitempty"`
	// Nonce is 128 random bits, new with each written config (Marshal).
	// The audit log records the file's SHA-256: without it, someone who
	// knows every other byte of the file (the support bundle's redacted
	// config, the history's times) could test password guesses against
	// that hash offline. The file is 0600: the nonce is as private as the
	// password.
	Nonce string `yaml:"nonce,omitempty"`
}

// RefsMapping marks a file whose secret references are one-key mappings.
const RefsMapping = "mapping"

// legacyRefs reads, in a file written before references were mappings,
// each secret stored as a ${NAME} or file:PATH string as that reference,
// noting the migration.
func (s *Site) legacyRefs(info *Loaded) {
	for _, f := range secretFields {
		if f.in == nil {
			continue
		}
		p := f.in(&s.SMTP)
		if p == nil || p.Ref != "" || !IsRef(p.Value) {
			continue
		}
		*p = Secret{Ref: p.Value}
		key, val := refKey(p.Ref)
		ref := p.Ref
		if _, bad := invisible(ref); bad {
			ref, val = strconv.Quote(ref), strconv.Quote(val) // a path may hold anything
		}
		info.Migrations = append(info.Migrations, fmt.Sprintf("%s: the reference %s is now written as {%s: %s}", f.path, ref, key, val))
	}
}

// Accounts are the UI accounts whose credentials sitecfg manages.
type Accounts struct {
	Admin   *Account `yaml:"admin,omitempty"`
	Support *Account `yaml:"support,omitempty"`
}

// Account is one UI account: its username, password hash and, for the
// admin, the hashes of the unused recovery codes.
type Account struct {
	Username     string `yaml:"username"`
	PasswordHash string `yaml:"password_hash"`
	// RecoveryCodes are argon2id hashes (PHC strings) of the unused codes.
	RecoveryCodes        []string   `yaml:"recovery_codes,omitempty"`
	RecoveryCodesCreated *time.Time `yaml:"recovery_codes_created,omitempty"`
}

// Account returns the account with that username (case-insensitive), and
// which role it has ("admin" or "support").
func (s *Site) Account(username string) (*Account, string) {
	if s == nil || s.Users == nil {
		return nil, ""
	}
	if a := s.Users.Admin; a != nil && strings.EqualFold(a.Username, username) {
		return a, "admin"
	}
	if a := s.Users.Support; a != nil && strings.EqualFold(a.Username, username) {
		return a, "support"
	}
	return nil, ""
}

// ResolveSecrets fills the values of the stored ${ENV} and file:
// references of the SMTP secrets (secretFields), reporting each one that
// cannot be resolved.
func (s *Site) ResolveSecrets() Problems {
	ps := &problemSet{}
	resolve := func(field string, sec *Secret) {
		if sec.Ref == "" {
			return
		}
		v, _, err := Resolve(sec.Ref, "")
		if err != nil {
			ps.errorf(field, "%v", err)
			return
		}
		sec.Value = v
	}
	for _, f := range secretFields {
		if f.in == nil {
			continue
		}
		if p := f.in(&s.SMTP); p != nil {
			resolve(f.path, p)
		}
	}
	return ps.list
}

// Answers turns a saved config back into answers: the defaults for a
// re-run and the content of `sitecfg export`. UI passwords cannot be
// recovered from their hashes, so those answers are marked Keep.
func (s *Site) Answers() *Answers {
	a := &Answers{Version: Version, SMTP: s.SMTP}
	if s.SMTP.OAuth != nil {
		o := *s.SMTP.OAuth
		a.SMTP.OAuth = &o
	}
	a.SMTP.DefaultRecipients = append([]string(nil), s.SMTP.DefaultRecipients...)
	if s.Emails != nil {
		a.Emails = *s.Emails
	}
	if s.Users != nil {
		if u := s.Users.Admin; u != nil {
			a.Users.Admin = UserAnswer{Username: u.Username, Keep: u.PasswordHash != ""}
		}
		if u := s.Users.Support; u != nil {
			a.Users.Support = UserAnswer{Username: u.Username, Keep: u.PasswordHash != ""}
		}
	}
	return a
}

// Build turns valid answers into the site config to write. prev is the
// config being replaced (nil on first deploy): a UI password left empty
// with Keep keeps prev's hash, and the admin keeps prev's recovery codes.
// Stored SMTP secrets an operator left empty are put back before the
// rules run, by KeepStored, not here.
// With SMTP off every email and SMTP field is dropped; with SMTP on, any
// existing UI accounts are carried over untouched. New UI passwords are
// not hashed here: Build leaves PasswordHash empty for the caller, who
// owns hashing (package recovery), to fill.
func (a *Answers) Build(prev *Site, now time.Time, by string) *Site {
	s := &Site{Version: Version, Written: Stamp{At: now.UTC().Truncate(time.Second), By: by}}
	if prev != nil && prev.Users != nil {
		u := *prev.Users
		s.Users = &u
	}
	if !a.SMTP.Enabled {
		s.SMTP = SMTP{Enabled: false}
		s.Users = &Accounts{
			Admin:   buildAccount(a.Users.Admin, prev.account("admin")),
			Support: buildAccount(a.Users.Support, prev.account("support")),
		}
		return s
	}
	s.SMTP = a.SMTP
	s.SMTP.DefaultRecipients = append([]string(nil), a.SMTP.DefaultRecipients...)
	if a.SMTP.OAuth != nil {
		o := *a.SMTP.OAuth
		s.SMTP.OAuth = &o
	}
	if r := rulesOf(s.SMTP.Auth); r != nil {
		r.stored(&s.SMTP)
	}
	e := a.Emails
	s.Emails = &e
	return s
}

func (s *Site) account(role string) *Account {
	if s == nil || s.Users == nil {
		return nil
	}
	if role == "admin" {
		return s.Users.Admin
	}
	return s.Users.Support
}

func buildAccount(u UserAnswer, prev *Account) *Account {
	acc := &Account{Username: u.Username}
	if prev != nil && strings.EqualFold(prev.Username, u.Username) {
		if u.Keep && u.Password.Value == "" {
			acc.PasswordHash = prev.PasswordHash
		}
		acc.RecoveryCodes = prev.RecoveryCodes
		acc.RecoveryCodesCreated = prev.RecoveryCodesCreated
	}
	return acc
}
