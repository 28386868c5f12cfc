package config

import "time"

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

func (noneAuth) stored(s *SMTP) { s.OAuth = nil }

func (noneAuth) token(*SMTP) TokenRequest { return TokenRequest{} }
