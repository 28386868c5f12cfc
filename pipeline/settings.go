package pipeline

import (
	"fmt"

	"sitecfg/config"
	"sitecfg/smtpauth"
)

// CheckSettings turns prepared answers (secrets resolved) into what the
// live check needs: built here once for every front end. With sendTest,
// the test message goes to the default recipients, or to the Admiral
// alert address when there are none. A client certificate is loaded from
// its file; one that cannot be loaded is an error naming its field.
func CheckSettings(a *config.Answers, sendTest bool) (smtpauth.Settings, error) {
	s := a.SMTP
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
		cs.Recipients = TestRecipients(a)
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
		cs.Cloud = string(o.Cloud)
		t := s.Token()
		cs.TokenURL, cs.Scope, cs.Audience = t.URL, t.Scope, t.Audience
	}
	return cs, nil
}

// TestRecipients are where a test message goes: the default recipients,
// or the Admiral alert address when there are none.
func TestRecipients(a *config.Answers) []string {
	if len(a.SMTP.DefaultRecipients) > 0 {
		return a.SMTP.DefaultRecipients
	}
	if a.Emails.AdmiralAlerts != "" {
		return []string{a.Emails.AdmiralAlerts}
	}
	return nil
}
