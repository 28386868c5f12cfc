// Package wizard owns the question flow and its front ends — the
// full-screen TUI, the line prompts and the answers file — and the one
// path every front end ends on: validate, live-check, write.
package wizard

import (
	"sitecfg/config"
	"sitecfg/smtpauth"
)

// CheckSettings turns SMTP settings (secrets resolved) into what the live
// check needs. With sendTest, the test message goes to the default
// recipients, or to fallback (the Admiral alert address) when there are
// none.
func CheckSettings(s config.SMTP, sendTest bool, fallback string) smtpauth.Settings {
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
	return cs
}
