package wizard

import (
	"fmt"

	"sitecfg/config"
)

// basicUI: a username and password, both optional (a relay may need
// neither).
var basicUI = methodUI{
	method: config.AuthBasic,
	label:  "Username and password (basic)",
	questions: func() []*Question {
		get, set := text(func(s *State) *string { return &sm(s).Username }, nil)
		return []*Question{
			{ID: "smtp.username", Page: PageBasic, Kind: KindText, Show: method(config.AuthBasic),
				Title: "SMTP username (optional)", Help: "Leave empty for a relay that needs no login.", Get: get, Set: set},
			clearTextGuard(secretQuestion("smtp.password", PageBasic, "SMTP password", method(config.AuthBasic),
				func(s *State) *config.Secret { return &sm(s).Password }, false)),
		}
	},
}

// clearTextGuard refuses, at the password field, a password that security
// none would send in clear text to a host that is not this machine: the
// rule the review would apply later, said where it can be acted on.
func clearTextGuard(q *Question) *Question {
	set := q.Set
	q.Set = func(s *State, v string) error {
		if err := set(s, v); err != nil {
			return err
		}
		if err := clearText(s); err != nil {
			sm(s).Password = config.Secret{}
			return err
		}
		return nil
	}
	return q
}

// clearText is the clear-text rule for the answers so far.
func clearText(s *State) error {
	a := sm(s)
	if a.Security != config.SecurityNone || a.Server == "" || config.IsLoopback(a.Server) {
		return nil
	}
	if !a.Password.IsZero() || a.Auth.IsOAuth() {
		return fmt.Errorf("security none would send credentials in clear text to %s: choose STARTTLS or TLS for smtp.security first (clear text is only allowed to this machine)", a.Server)
	}
	return nil
}
