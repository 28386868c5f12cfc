package config

import (
	"time"

	"sitecfg/microsoft"
)

// basicAuth is a username and password (AUTH PLAIN or LOGIN); a username
// alone is allowed (some relays).
type basicAuth struct{}

func (basicAuth) defaults(*SMTP) {}

func (basicAuth) validate(ps *problemSet, s *SMTP, _ time.Time) {
	if !s.Password.IsZero() && s.Username == "" {
		ps.errorf("smtp.username", "a password was given without a username")
	}
	warnBasicAgainstExchange(ps, s)
}

func (basicAuth) sendsCredentials(s *SMTP) bool { return s.Username != "" || !s.Password.IsZero() }

// retiring: basic authentication at Exchange Online is being retired.
func (basicAuth) retiring(s *SMTP) bool { return microsoft.IsExchangeHost(s.Server) }

func (basicAuth) stored(s *SMTP) { s.OAuth = nil }

func (basicAuth) token(*SMTP) TokenRequest { return TokenRequest{} }
