package config

import (
	"time"

	"sitecfg/microsoft"
)

// noneAuth is an unauthenticated relay: no credentials at all.
type noneAuth struct{}

func (noneAuth) defaults(*SMTP) {}

func (noneAuth) validate(ps *problemSet, s *SMTP, _ time.Time) {
	if s.Username != "" || !s.Password.IsZero() {
		ps.errorf("smtp.auth", "auth none sends no credentials: remove username/password or choose basic")
	}
	warnBasicAgainstExchange(ps, s)
}

func (noneAuth) sendsCredentials(s *SMTP) bool { return s.Username != "" || !s.Password.IsZero() }

// retiring: Exchange Online takes no unauthenticated submission, and its
// way forward is OAuth, not basic authentication.
func (noneAuth) retiring(s *SMTP) bool { return microsoft.IsExchangeHost(s.Server) }

func (noneAuth) stored(s *SMTP) { s.OAuth = nil }

func (noneAuth) token(*SMTP) TokenRequest { return TokenRequest{} }
