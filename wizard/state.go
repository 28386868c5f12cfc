package wizard

import (
	"sitecfg/config"
)

// NewState starts the flow: empty answers with sensible defaults on a
// first deploy, or the saved config's values on a re-run (stored secrets
// are kept unless the operator types new ones).
func NewState(prev *config.Site) *State {
	s := &State{Prev: prev}
	if prev != nil {
		s.Answers = *prev.Answers()
		// Stored secrets are not shown again: the fields start empty, and
		// an empty answer keeps the stored value (see keepSecrets).
		s.Answers.SMTP.Password = config.Secret{}
		if o := s.Answers.SMTP.OAuth; o != nil {
			o.ClientSecret = config.Secret{}
		}
		return s
	}
	s.Answers = config.Answers{
		Version: config.Version,
		SMTP: config.SMTP{
			Enabled:  true,
			Auth:     config.AuthBasic,
			Security: config.SecurityStartTLS,
			Port:     587,
		},
	}
	return s
}

// Visible returns the questions that apply to the current answers, in
// order.
func Visible(qs []*Question, s *State) []*Question {
	var out []*Question
	for _, q := range qs {
		if q.Applies(s) {
			out = append(out, q)
		}
	}
	return out
}

// Find returns the first visible question with that field path, or the
// nearest one for a parent path ("smtp.oauth" finds the first OAuth field).
func Find(qs []*Question, s *State, field string) *Question {
	vis := Visible(qs, s)
	for _, q := range vis {
		if q.ID == field {
			return q
		}
	}
	for _, q := range vis {
		if len(q.ID) > len(field) && q.ID[:len(field)+1] == field+"." {
			return q
		}
	}
	return nil
}

// Finish applies defaults and every rule to the whole answers value, the
// same way the answers file is checked: the last word before the review.
func (s *State) Finish() config.Problems {
	s.keepSecrets()
	s.Answers.ApplyDefaults()
	if s.Answers.SMTP.Enabled {
		// Keep the recovery-codes path out of the rules when SMTP is on.
		s.Answers.RecoveryCodesOut = ""
	}
	return s.Answers.Validate()
}

// keepSecrets puts back the stored SMTP secrets the operator left empty.
func (s *State) keepSecrets() {
	if s.Prev == nil || !s.Prev.SMTP.Enabled {
		return
	}
	a, p := &s.Answers.SMTP, &s.Prev.SMTP
	if a.Auth == config.AuthBasic && a.Password.IsZero() && a.Username != "" && a.Username == p.Username {
		a.Password = p.Password
	}
	if a.Auth.IsOAuth() && a.OAuth != nil && a.OAuth.ClientSecret.IsZero() && a.OAuth.ClientCertificate == "" && p.OAuth != nil {
		a.OAuth.ClientSecret = p.OAuth.ClientSecret
	}
}

// SecretStored reports whether a keepable secret question has a stored
// value that an empty answer keeps (front ends say "stored — leave empty
// to keep").
func (q *Question) SecretStored(s *State) bool { return q.Keepable != nil && q.Keepable(s) }
