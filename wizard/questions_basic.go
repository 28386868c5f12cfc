package wizard

import "sitecfg/config"

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
			secretQuestion("smtp.password", PageBasic, "SMTP password", method(config.AuthBasic),
				func(s *State) *config.Secret { return &sm(s).Password }, false),
		}
	},
}
