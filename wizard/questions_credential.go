package wizard

import (
	"errors"
	"path/filepath"
	"strings"
	"time"

	"sitecfg/config"
)

// clientCredentialQuestions ask for the client secret and its expiry, or
// for the certificate file, whichever the OAuth client uses. Only
// Microsoft offers the choice in the wizard; an oauth2 configuration with
// a certificate (from an answers file) keeps asking for its file.
func clientCredentialQuestions(auth config.AuthMethod, page Page) []*Question {
	withSecret := func(s *State) bool { return method(auth)(s) && !s.usesCertificate() }
	withCert := func(s *State) bool { return method(auth)(s) && s.usesCertificate() }
	secret := guidGuard(secretQuestion("smtp.oauth.client_secret", page, "Client secret (its Value, not its ID)", withSecret,
		func(s *State) *config.Secret { return &s.oauth().ClientSecret }, true))
	get, set := text(func(s *State) *string { return &s.oauth().ClientSecretExpires }, optional(config.ValidateExpiry))
	expires := &Question{ID: "smtp.oauth.client_secret_expires", Page: page, Kind: KindText, Show: withSecret,
		Title: "Client secret expiry date (optional, YYYY-MM-DD)", Help: "sitecfg check warns 30 days before.", Get: get, Set: set}
	cert := &Question{ID: "smtp.oauth.client_certificate", Page: page, Kind: KindText, Show: withCert,
		Title: "Certificate file (PEM with private key)",
		Help: "One PEM file with the certificate and its unencrypted private key, readable by root only. " +
			"Upload the certificate's public part (.cer/.pem) to the app registration. sitecfg check warns 30 days before it expires.",
		Get:   func(s *State) string { return s.oauth().ClientCertificate },
		Set:   setCertificate,
		Check: CheckClientCertificate,
	}
	return []*Question{secret, expires, cert}
}

// setCertificate stores the certificate file's path, made absolute (the
// check and later runs may start in another folder). What the file holds
// is judged by CheckClientCertificate, off the TUI's Update.
func setCertificate(s *State, v string) error {
	v = strings.TrimSpace(v)
	v = strings.TrimSpace(strings.TrimPrefix(v, "file:"))
	if v == "" {
		return errors.New("the certificate file is required")
	}
	if abs, err := filepath.Abs(v); err == nil {
		v = abs
	}
	s.oauth().ClientCertificate = v
	return nil
}

// CheckClientCertificate judges a client certificate file where it is
// typed: it must load as the live check will load it (certificate and
// private key), and not be expired.
func CheckClientCertificate(path string) error {
	c, err := config.LoadClientCertificate(path)
	if err != nil {
		return err
	}
	if p, ok := config.CertificateExpiry(c, time.Now()); ok && p.Severity == config.SeverityError {
		return errors.New(p.Message)
	}
	return nil
}

// guidGuard stops, at the field, a client secret shaped like a GUID: that
// is the secret's ID, which Entra lists next to its Value. The same
// answer given a second time is taken (the rules still warn).
func guidGuard(q *Question) *Question {
	set := q.Set
	q.Set = func(s *State, v string) error {
		if v != "" && config.IsGUID(v) && s.guidSecret != v {
			s.guidSecret = v
			return errors.New("this looks like the secret's ID, not its value: copy the secret's Value column " +
				"(shown once, when it was created); press Enter again to use it anyway")
		}
		return set(s, v)
	}
	return q
}
