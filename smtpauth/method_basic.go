package smtpauth

import "github.com/emersion/go-sasl"

// basicMethod logs in with a username and password (PLAIN, else LOGIN).
// Without a username it does not log in at all: an open relay that only
// checks the sender's address.
type basicMethod struct{}

func (basicMethod) validate(Settings) error          { return nil }
func (basicMethod) sendsCredentials(s Settings) bool { return s.Username != "" }
func (basicMethod) mechanisms(Settings) []string     { return []string{sasl.Plain, sasl.Login} }
func (basicMethod) mechanismField() string           { return "smtp.auth" }

// authWarning: basic authentication at Exchange Online works today, and
// Microsoft is retiring it (exchangeBasicAuthWarning).
func (basicMethod) authWarning(s Settings) *Diagnosis { return exchangeBasicAuthWarning(s) }

func (basicMethod) saslClient(s Settings, mech, _ string) sasl.Client {
	if mech == sasl.Login {
		return &loginClient{user: s.Username, pass: s.Password}
	}
	return sasl.NewPlainClient("", s.Username, s.Password)
}
