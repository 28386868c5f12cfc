package config

import "time"

// clientRules is what an OAuth method asks of its client credential and
// mailbox beyond the rules every OAuth method shares.
type clientRules interface {
	// mailbox adds the method's rules for a given mailbox (the username).
	mailbox(ps *problemSet, username string)
	// certificate adds the method's rules for a client certificate that
	// loaded (field is its answers-file field).
	certificate(ps *problemSet, field string, c *ClientCertificate)
}

// validateOAuthCommon holds the rules the OAuth methods share: exactly
// one client credential, the mailbox, and the credential's expiry; m adds
// its own.
func validateOAuthCommon(ps *problemSet, s *SMTP, now time.Time, m clientRules) {
	o := s.OAuth
	hasSecret, hasCert := !o.ClientSecret.IsZero(), o.ClientCertificate != ""
	switch {
	case hasSecret && hasCert:
		ps.errorf("smtp.oauth.client_certificate", "give either client_secret or client_certificate, not both: remove the one the app registration does not use")
	case hasCert:
		validateClientCertificate(ps, m, o, now)
	default:
		validateClientSecret(ps, o, now)
	}
	if !o.RefreshToken.IsZero() || o.RefreshTokenExpires != "" {
		ps.warnf("smtp.oauth.refresh_token", "ignored and not written: only a method that signs in as a user (auth: microsoft-delegated) keeps a refresh token")
	}
	if s.Username == "" {
		ps.errorf("smtp.username", "the mailbox to send as is required for OAuth (the SMTP username)")
	} else {
		m.mailbox(ps, s.Username)
	}
}

// validateClientCertificate loads the certificate file as the live check
// will: it must hold a certificate and its own private key, and the
// certificate must be valid at now, and meet m's own rules.
func validateClientCertificate(ps *problemSet, m clientRules, o *OAuth, now time.Time) {
	const field = "smtp.oauth.client_certificate"
	c, err := LoadClientCertificate(o.ClientCertificate)
	if err != nil {
		ps.errorf(field, "%v", err)
		return
	}
	if p, ok := CertificateExpiry(c, now); ok {
		ps.add(p.Severity, field, "%s", p.Message)
	}
	m.certificate(ps, field, c)
	if o.ClientSecretExpires != "" {
		ps.warnf("smtp.oauth.client_secret_expires", "ignored with a certificate: its expiry is read from the certificate itself")
	}
}

// validateClientSecret requires the secret and judges its recorded expiry
// date: an error once it has passed, a warning within ExpiryWarnDays.
func validateClientSecret(ps *problemSet, o *OAuth, now time.Time) {
	if o.ClientSecret.Value == "" {
		ps.errorf("smtp.oauth.client_secret", "the client secret (or a client_certificate) is required")
	} else if IsGUID(o.ClientSecret.Value) {
		ps.warnf("smtp.oauth.client_secret", "this looks like the secret's ID, not its value: copy the secret's Value column (shown once when it was created)")
	}
	const field = "smtp.oauth.client_secret_expires"
	if err := ValidateExpiry(o.ClientSecretExpires); err != nil {
		ps.errorf(field, "%v", err)
		return
	}
	days, ok := o.SecretDaysLeft(now)
	if !ok {
		return
	}
	roll := "create a new secret (app registration → Certificates & secrets → New client secret), copy its Value, re-run sitecfg with it and the new expiry date, then delete the old secret"
	switch {
	case days < 0:
		ps.errorf(field, "the client secret expired on %s (%d days ago): %s", o.ClientSecretExpires, -days, roll)
	case days <= ExpiryWarnDays:
		ps.warnf(field, "the client secret expires on %s, in %d days: %s", o.ClientSecretExpires, days, roll)
	}
}

// SecretDaysLeft returns the whole days from now until the end of the
// client secret's expiry date (a secret is valid through its expiry day),
// and false when no valid expiry date is recorded or a certificate is used
// instead.
func (o *OAuth) SecretDaysLeft(now time.Time) (int, bool) {
	if o == nil || o.ClientSecretExpires == "" || o.ClientCertificate != "" {
		return 0, false
	}
	t, err := parseDate(o.ClientSecretExpires)
	if err != nil {
		return 0, false
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	return int(t.Sub(today).Hours() / 24), true
}

// KeepStored puts back, on a re-run, the stored SMTP secrets the operator
// left empty (prev is the saved config; nil on a first deploy). It is the
// one place that decides when a stored secret still applies, by each
// field's rule in secretFields.
func (a *Answers) KeepStored(prev *Site) {
	if prev == nil || !prev.SMTP.Enabled || !a.SMTP.Enabled {
		return
	}
	for _, f := range secretFields {
		f.keepStored(&a.SMTP, &prev.SMTP)
	}
}

// KeptSecret is the stored secret that an empty answer for field (a path
// of secretFields: "smtp.password", "smtp.oauth.client_secret") would keep
// on a re-run — the same decision KeepStored makes — and false when there
// is none.
func (a *Answers) KeptSecret(prev *Site, field string) (Secret, bool) {
	f, ok := secretFieldAt(field)
	if !ok || f.in == nil {
		return Secret{}, false
	}
	c := *a
	if a.SMTP.OAuth != nil {
		o := *a.SMTP.OAuth
		c.SMTP.OAuth = &o
	}
	sec := f.in(&c.SMTP)
	if sec == nil {
		return Secret{}, false
	}
	*sec = Secret{}
	c.KeepStored(prev)
	return *sec, !sec.IsZero()
}
