package pipeline

import (
	"runtime/debug"
	"strings"

	"sitecfg/config"
	"sitecfg/recovery"
)

// Plan is what writing prepared answers would do to the saved file: the
// decision an unattended run (apply, configuration management) makes
// before it writes, so that the same answers twice write once.
type Plan struct {
	// Changed says the write would change the file: a first deploy, an
	// unreadable file replaced, or at least one Change.
	Changed bool
	// FirstDeploy says there is no saved config to compare with: every
	// value is Added.
	FirstDeploy bool
	// Changes are the differences, as Run.Changes lists them (the write
	// stamp is not one; secrets, hashes and codes masked).
	Changes []Change
}

// Plan compares prepared answers (after Prepare, with no errors, and
// KeepSamePasswords) with the saved file. Salted password and code hashes
// differ on every write, so what is compared is the answers: a UI
// password the saved hash verifies is the same password, and saved
// recovery codes that are kept (Answers.KeepCodes) are the same codes.
func (r *Run) Plan(a *config.Answers) Plan {
	newCodes := !a.SMTP.Enabled && !a.KeepCodes
	if r.before() == nil {
		// Compare with an empty file: every value is added.
		first := *r
		first.read = []byte("{}\n")
		return Plan{Changed: true, FirstDeploy: r.Unreadable == nil, Changes: first.Changes(a, newCodes)}
	}
	ch := r.Changes(a, newCodes)
	return Plan{Changed: len(ch) > 0 || r.Unreadable != nil, Changes: ch}
}

// KeepSamePasswords keeps the saved hash of each UI password (SMTP off)
// that the answers give again unchanged: the answered password is
// verified against the saved hash of the same user, and when it matches
// the answer becomes "keep the stored hash" (UserAnswer.Keep), so that
// neither Changes nor Commit sees a new password. Call it after Prepare
// found no errors (the password met the rules); a re-run from an answers
// file is then not a change.
func (r *Run) KeepSamePasswords(a *config.Answers) {
	if a.SMTP.Enabled || r.Prev == nil || r.Prev.Users == nil {
		return
	}
	verified := false
	for _, u := range []struct {
		answer *config.UserAnswer
		saved  *config.Account
	}{
		{&a.Users.Admin, r.Prev.Users.Admin},
		{&a.Users.Support, r.Prev.Users.Support},
	} {
		if u.saved == nil || u.saved.PasswordHash == "" || u.answer.Password.Value == "" ||
			!strings.EqualFold(u.saved.Username, u.answer.Username) {
			continue
		}
		verified = true
		if ok, err := recovery.Verify(u.saved.PasswordHash, u.answer.Password.Value); err == nil && ok {
			u.answer.Password = config.Secret{}
			u.answer.Keep = true
		}
	}
	if verified {
		// Each verification used argon2's 64 MiB: handed back before a
		// hash of a new password or of recovery codes takes its own
		// (see recovery.Hash).
		debug.FreeOSMemory()
	}
}
