package pipeline

import (
	"fmt"

	"sitecfg/config"
	"sitecfg/smtpauth"
)

// CheckSettings turns prepared answers (secrets resolved) into what the
// live check needs: built here once for every front end. The envelope
// step asks the server about every address the cluster will mail
// (EnvelopeAddresses). With sendTest,
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
		EHLOName: s.EHLOName,
		Method:   s.Auth,
		Username: s.Username,
		Password: s.Password.Value,
		Secrets:  s.SecretValues(),
		SendTest: sendTest,
		From:     s.From,
		Envelope: EnvelopeAddresses(a),
	}
	if sendTest {
		cs.Recipients = TestRecipients(a)
	}
	if o := s.OAuth; o != nil && s.Auth.IsOAuth() {
		cs.ClientID = o.ClientID
		cs.ClientSecret = o.ClientSecret.Value
		cs.RefreshToken = o.RefreshToken.Value
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

// EnvelopeAddresses are the addresses the cluster will mail, each once
// (the first field that names it wins), with the field it came from: the
// default recipients, then the three notification emails.
func EnvelopeAddresses(a *config.Answers) []smtpauth.Address {
	var out []smtpauth.Address
	seen := map[string]bool{}
	add := func(addr, field string) {
		key := config.NormalizeEmail(addr)
		if key == "" || seen[key] {
			return
		}
		seen[key] = true
		out = append(out, smtpauth.Address{Addr: addr, Field: field})
	}
	for i, r := range a.SMTP.DefaultRecipients {
		add(r, fmt.Sprintf("smtp.default_recipients[%d]", i))
	}
	add(a.Emails.UIAdmin, "emails.ui_admin")
	add(a.Emails.UISupport, "emails.ui_support")
	add(a.Emails.AdmiralAlerts, "emails.admiral_alerts")
	return out
}
