package pipeline

import (
	"time"

	"sitecfg/config"
)

// Expiry is when the OAuth client credential expires, for the review. The
// rules already warn within config.ExpiryWarnDays and refuse an expired
// credential; this is the quiet note the review shows before that.
type Expiry struct {
	// What is "client secret" or "client certificate".
	What string
	// Date is the expiry date (YYYY-MM-DD).
	Date string
	// Days is how many whole days are left.
	Days int
}

// CredentialExpiry returns the prepared answers' OAuth credential expiry
// at now, or nil when none is known (no OAuth, no recorded date, a
// certificate file that cannot be read). It reads the certificate file:
// call it once, not from a screen's View.
func CredentialExpiry(a *config.Answers, now time.Time) *Expiry {
	o := a.SMTP.Client()
	if !a.SMTP.Enabled || o == nil {
		return nil
	}
	if o.ClientCertificate != "" {
		c, err := config.LoadClientCertificate(o.ClientCertificate)
		if err != nil {
			return nil
		}
		return &Expiry{What: "client certificate", Date: c.NotAfter.UTC().Format(time.DateOnly), Days: c.DaysLeft(now)}
	}
	if days, ok := o.SecretDaysLeft(now); ok {
		return &Expiry{What: "client secret", Date: o.ClientSecretExpires, Days: days}
	}
	return nil
}
