package pipeline

import (
	"time"

	"sitecfg/config"
)

// Prepare readies answers for the review, the check and the write: it
// keeps the stored SMTP secrets the operator left empty on a re-run,
// applies the defaults and normalisation, and returns every problem the
// rules of package config find at the run's clock (expiry dates
// included). Every front end calls it last before the review; a value it
// refuses is never written.
func (r *Run) Prepare(a *config.Answers) config.Problems { return Prepare(a, r.Prev, r.now()) }

// Prepare is Run.Prepare for a caller that holds the saved config (prev,
// nil on a first deploy) and the clock itself.
func Prepare(a *config.Answers, prev *config.Site, now time.Time) config.Problems {
	Normalize(a, prev)
	return a.Validate(now)
}

// Normalize is Prepare's first half, which changes the answers and looks
// at no file: stored secrets kept, defaults and normalisation applied.
// The rules (a.Validate) are the second half; they read files (the CA
// file, the client certificate), so a front end with an event loop may
// run them apart, on a copy of the answers.
func Normalize(a *config.Answers, prev *config.Site) {
	a.KeepStored(prev)
	a.ApplyDefaults()
	if a.SMTP.Enabled {
		// The recovery-codes file is only asked for with SMTP off.
		a.RecoveryCodesOut = ""
	}
}

// ValidateSaved applies the rules to the saved config, as `check` does
// before it talks to the server: the same rules, the same words.
func (r *Run) ValidateSaved() (*config.Answers, config.Problems) {
	a := r.Prev.Answers()
	ps := append(config.Problems{}, r.SecretNotes...)
	a.ApplyDefaults()
	return a, append(ps, a.Validate(r.now())...)
}
