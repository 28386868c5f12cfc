package health

import (
	"time"

	"sitecfg/config"
)

// Credential kinds, as the metric's kind label names them.
const (
	KindClientSecret      = "client_secret"
	KindClientCertificate = "client_certificate"
	KindRefreshToken      = "refresh_token"
)

// Expiry is when one credential of the configuration stops working.
type Expiry struct {
	// Kind is KindClientSecret or KindClientCertificate.
	Kind string
	// At is the first instant it no longer works: the end of a client
	// secret's expiry day (UTC), a certificate's NotAfter.
	At time.Time
	// Date is the day as the operator knows it (YYYY-MM-DD).
	Date string
}

// Expiries are the credentials of prepared answers whose expiry is known:
// an OAuth client secret with a recorded client_secret_expires, or a
// client certificate that can be read (it reads the certificate file);
// and a delegated sign-in's refresh token with its
// refresh_token_expires; and the earliest-expiring certificate smtp.ca_file
// trusts (KindServerCertificate).
func Expiries(a *config.Answers) []Expiry {
	if a == nil || !a.SMTP.Enabled {
		return nil
	}
	out := append(clientExpiries(a), trustedExpiry(a)...)
	if o := a.SMTP.OAuth; a.SMTP.SignsIn() && o != nil && o.RefreshTokenExpires != "" {
		if t, err := config.ParseRefreshExpiry(o.RefreshTokenExpires); err == nil {
			out = append(out, Expiry{Kind: KindRefreshToken, At: t, Date: t.UTC().Format(time.DateOnly)})
		}
	}
	return out
}

// clientExpiries is the expiry of the OAuth client credential.
func clientExpiries(a *config.Answers) []Expiry {
	if a.SMTP.Client() == nil {
		return nil
	}
	o := a.SMTP.Client()
	if o.ClientCertificate != "" {
		c, err := config.LoadClientCertificate(o.ClientCertificate)
		if err != nil {
			return nil
		}
		return []Expiry{{Kind: KindClientCertificate, At: c.NotAfter, Date: c.NotAfter.UTC().Format(time.DateOnly)}}
	}
	if o.ClientSecretExpires == "" {
		return nil
	}
	day, err := time.Parse(time.DateOnly, o.ClientSecretExpires)
	if err != nil {
		return nil
	}
	// A secret is valid through its expiry day (config.SecretDaysLeft).
	return []Expiry{{Kind: KindClientSecret, At: day.AddDate(0, 0, 1), Date: o.ClientSecretExpires}}
}

// DaysLeft is the whole days from now until the credential stops working
// (negative once it has).
func (x Expiry) DaysLeft(now time.Time) int {
	d := x.At.Sub(now)
	days := int(d / (24 * time.Hour))
	if d < 0 {
		days--
	}
	return days
}
