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
	a.KeepStored(prev)
	a.ApplyDefaults()
	if a.SMTP.Enabled {
		// The recovery-codes file is only asked for with SMTP off.
		a.RecoveryCodesOut = ""
	}
	return a.Validate(now)
}

// ValidateSaved applies the rules to the saved config, as `check` does
// before it talks to the server: the same rules, the same words.
func (r *Run) ValidateSaved() (*config.Answers, config.Problems) {
	a := r.Prev.Answers()
	ps := append(config.Problems{}, r.SecretNotes...)
	a.ApplyDefaults()
	return a, append(ps, a.Validate(r.now())...)
}
