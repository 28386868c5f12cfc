package wizard

import (
	"fmt"
	"time"

	"sitecfg/config"
)

// ExpiryWarnDays is how long before a client secret or certificate
// expires `check` starts warning.
const ExpiryWarnDays = config.ExpiryWarnDays

// DaysLeft returns the whole days from now until the end of the client
// secret's expiry date (a secret is valid through its expiry day), and
// false when no expiry is recorded.
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

// CertificateDaysLeft returns the whole days from now until the client
// certificate expires (negative once it has), and false when there is no
// certificate or its file cannot be loaded (validation reports that).
func CertificateDaysLeft(o *config.OAuth, now time.Time) (int, bool) {
	c := loadCertificate(o)
	if c == nil {
		return 0, false
	}
	return c.DaysLeft(now), true
}

// ExpiryProblems warns when the client secret or certificate expires
// within ExpiryWarnDays and fails once it has expired, with the steps to
// roll a new one. The certificate's expiry comes from the certificate
// itself; the secret's from client_secret_expires.
func ExpiryProblems(o *config.OAuth, now time.Time) config.Problems {
	var ps config.Problems
	if c := loadCertificate(o); c != nil {
		if p, ok := config.CertificateExpiry(c, now); ok {
			ps = append(ps, p)
		}
	}
	days, ok := DaysLeft(o, now)
	if !ok || o.ClientCertificate != "" {
		// With a certificate, client_secret_expires is ignored (and
		// validation says so).
		return ps
	}
	const field = "smtp.oauth.client_secret_expires"
	roll := "create a new secret (app registration → Certificates & secrets → New client secret), copy its Value, re-run sitecfg with it and the new expiry date, then delete the old secret"
	switch {
	case days < 0:
		ps = append(ps, config.Problem{Field: field, Severity: config.SeverityError,
			Message: fmt.Sprintf("the client secret expired on %s (%d days ago): %s", o.ClientSecretExpires, -days, roll)})
	case days <= ExpiryWarnDays:
		ps = append(ps, config.Problem{Field: field, Severity: config.SeverityWarning,
			Message: fmt.Sprintf("the client secret expires on %s, in %d days: %s", o.ClientSecretExpires, days, roll)})
	}
	return ps
}

// loadCertificate loads the OAuth client certificate, or returns nil when
// there is none or it cannot be loaded.
func loadCertificate(o *config.OAuth) *config.ClientCertificate {
	if o == nil || o.ClientCertificate == "" {
		return nil
	}
	c, err := config.LoadClientCertificate(o.ClientCertificate)
	if err != nil {
		return nil
	}
	return c
}
