package wizard

import (
	"time"

	"sitecfg/config"
	"sitecfg/pipeline"
)

// NewState starts the flow: empty answers with sensible defaults on a
// first deploy, or the saved config's values on a re-run (stored secrets
// are kept unless the operator types new ones).
func NewState(prev *config.Site) *State {
	s := &State{Prev: prev}
	if prev != nil {
		s.Answers = *prev.Answers()
		// Stored secrets are not shown again: the fields start empty, and
		// an empty answer keeps the stored value (config.KeepStored).
		s.Answers.SMTP.Password = config.Secret{}
		if o := s.Answers.SMTP.OAuth; o != nil {
			o.ClientSecret = config.Secret{}
		}
		if ui := uiOf(s.Answers.SMTP.Auth); ui != nil && ui.resume != nil && s.Answers.SMTP.Enabled {
			ui.resume(s)
		}
		// An upgrade changes nothing it is not asked to: the admin's
		// recovery codes stay unless the operator asks for new ones.
		s.Answers.KeepCodes = s.CanKeepCodes()
		return s
	}
	s.Answers = config.Answers{
		Version: config.Version,
		SMTP: config.SMTP{
			Enabled:  true,
			Auth:     config.DefaultAuth,
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
// An advanced question found by its path is opened: it is asked from then
// on.
func Find(qs []*Question, s *State, field string) *Question {
	field = fieldOf(field) // "smtp.default_recipients[1]" is asked as one list
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
	// An advanced question is not asked until something points at it (a
	// diagnosis, the operator in the review): from then on it is.
	for _, q := range qs {
		if q.Advanced && q.ID == field {
			s.openAdvanced(q.ID)
			if q.Applies(s) {
				return q
			}
		}
	}
	return nil
}

// Finish prepares the answers the way every front end does (package
// pipeline: stored secrets kept, defaults, every rule at now): the last
// word before the review.
func (s *State) Finish(now time.Time) config.Problems {
	s.normalize()
	return s.Answers.Validate(now)
}

// normalize is Finish without the rules, which read files: the TUI runs
// them as a command (pipeline.Normalize).
func (s *State) normalize() {
	if !s.CanKeepCodes() {
		s.Answers.KeepCodes = false
	}
	pipeline.Normalize(&s.Answers, s.Prev)
}

// SecretStored reports whether a keepable secret question has a stored
// value that an empty answer keeps (front ends say "stored — leave empty
// to keep").
func (q *Question) SecretStored(s *State) bool { return q.Keepable != nil && q.Keepable(s) }

// CanKeepCodes reports whether the saved config holds recovery codes for
// the admin being configured (SMTP off, same username), which a re-run
// can keep.
func (s *State) CanKeepCodes() bool { return s.Answers.CanKeepCodes(s.Prev) }

// KeepsCodes reports whether the write keeps the saved recovery codes.
func (s *State) KeepsCodes() bool { return s.Answers.KeepCodes && s.CanKeepCodes() }

// CodesFile is the admin's recovery-codes file: the answer, or else the
// file its question offers (next to the config) — on a re-run that keeps
// the codes the question is not asked.
func (s *State) CodesFile() string {
	if s.Answers.RecoveryCodesOut != "" {
		return s.Answers.RecoveryCodesOut
	}
	return DefaultCodesFile(s.WorkDir, s.ConfigPath, s.Answers.Users.Admin.Username)
}

// SavedCodes is how many recovery codes the saved config holds for the
// admin, and when they were made (zero when unknown).
func (s *State) SavedCodes() (int, time.Time) {
	if s.Prev == nil || s.Prev.Users == nil || s.Prev.Users.Admin == nil {
		return 0, time.Time{}
	}
	p := s.Prev.Users.Admin
	if p.RecoveryCodesCreated == nil {
		return len(p.RecoveryCodes), time.Time{}
	}
	return len(p.RecoveryCodes), *p.RecoveryCodesCreated
}
