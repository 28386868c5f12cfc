package wizard

import (
	"fmt"
	"time"

	"sitecfg/config"
)

// ExpiryWarnDays is how long before a client secret expires `check`
// starts warning.
const ExpiryWarnDays = 30

// DaysLeft returns the whole days from now until the end of the expiry
// date (a secret is valid through its expiry day), and false when no
// expiry is recorded.
func DaysLeft(o *config.OAuth, now time.Time) (int, bool) {
	if o == nil || o.ClientSecretExpires == "" {
		return 0, false
	}
	t, err := time.Parse(time.DateOnly, o.ClientSecretExpires)
	if err != nil {
		return 0, false
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	return int(t.Sub(today).Hours() / 24), true
}

// ExpiryProblems warns when the client secret expires within
// ExpiryWarnDays and fails once it has expired, with the steps to roll a
// new one.
func ExpiryProblems(o *config.OAuth, now time.Time) config.Problems {
	days, ok := DaysLeft(o, now)
	if !ok {
		return nil
	}
	const field = "smtp.oauth.client_secret_expires"
	roll := "create a new secret (app registration → Certificates & secrets → New client secret), copy its Value, re-run sitecfg with it and the new expiry date, then delete the old secret"
	switch {
	case days < 0:
		return config.Problems{{Field: field, Severity: config.SeverityError,
			Message: fmt.Sprintf("the client secret expired on %s (%d days ago): %s", o.ClientSecretExpires, -days, roll)}}
	case days <= ExpiryWarnDays:
		return config.Problems{{Field: field, Severity: config.SeverityWarning,
			Message: fmt.Sprintf("the client secret expires on %s, in %d days: %s", o.ClientSecretExpires, days, roll)}}
	}
	return nil
}
