package smtpauth

import "github.com/emersion/go-sasl"

// noneMethod sends without logging in: a relay that trusts this machine's
// address.
type noneMethod struct{}

func (noneMethod) validate(Settings) error                         { return nil }
func (noneMethod) sendsCredentials(Settings) bool                  { return false }
func (noneMethod) mechanisms(Settings) []string                    { return nil }
func (noneMethod) mechanismField() string                          { return "smtp.auth" }
func (noneMethod) saslClient(Settings, string, string) sasl.Client { return nil }
