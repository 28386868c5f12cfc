// Package wizard owns the question flow and its front ends — the
// full-screen TUI, the line prompts and the answers file — and the one
// path every front end ends on: validate, live-check, write.
package wizard

import (
	"fmt"

	"sitecfg/config"
	"sitecfg/smtpauth"
)

// CheckSettings turns SMTP settings (secrets resolved) into what the live
// check needs. With sendTest, the test message goes to the default
// recipients, or to fallback (the Admiral alert address) when there are
// none. A client certificate is loaded from its file; the front ends call
// this right after validating the answers, which loads it too, so it is
// there — should the file have gone since, the settings carry no
// credential and the token step fails. LoadCheckSettings says so instead.
func CheckSettings(s config.SMTP, sendTest bool, fallback string) smtpauth.Settings {
	cs, _ := LoadCheckSettings(s, sendTest, fallback)
	return cs
}

// LoadCheckSettings is CheckSettings that reports a client certificate
// file that cannot be loaded, naming its field.
func LoadCheckSettings(s config.SMTP, sendTest bool, fallback string) (smtpauth.Settings, error) {
	cs := smtpauth.Settings{
		Host:     s.Server,
		Port:     s.Port,
		Security: smtpauth.Security(s.Security),
		CAFile:   s.CAFile,
		Method:   smtpauth.Method(s.Auth),
		Username: s.Username,
		Password: s.Password.Value,
		SendTest: sendTest,
		From:     s.From,
	}
	if sendTest {
		cs.Recipients = s.DefaultRecipients
		if len(cs.Recipients) == 0 && fallback != "" {
			cs.Recipients = []string{fallback}
		}
	}
	if o := s.OAuth; o != nil && s.Auth.IsOAuth() {
		cs.ClientID = o.ClientID
		cs.ClientSecret = o.ClientSecret.Value
		if o.ClientCertificate != "" {
			c, err := config.LoadClientCertificate(o.ClientCertificate)
			if err != nil {
				return cs, fmt.Errorf("smtp.oauth.client_certificate: %w", err)
			}
			cs.ClientCertificate, cs.ClientKey = c.Cert, c.Key
		}
		cs.TenantID = o.TenantID
		cs.Mechanism = string(o.Mechanism)
		switch s.Auth {
		case config.AuthMicrosoft:
			cs.Cloud = string(o.Cloud)
			cs.TokenURL = o.Cloud.TokenURL(o.TenantID)
			cs.Scope = o.Cloud.Scope()
			cs.Audience = o.Cloud.Resource()
			cs.Mechanism = string(config.MechXOAuth2)
		case config.AuthOAuth2:
			cs.TokenURL = o.TokenURL
			cs.Scope = o.Scope
		}
	}
	return cs, nil
}
