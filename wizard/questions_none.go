package wizard

import "sitecfg/config"

// noneUI: an unauthenticated relay; choosing it drops any credentials
// left over from another method.
var noneUI = methodUI{
	method: config.AuthNone,
	label:  "None (unauthenticated relay)",
	choose: func(s *State) {
		// No credentials are asked under none: drop any left over.
		sm(s).Username, sm(s).Password = "", config.Secret{}
	},
	questions: func() []*Question { return nil },
}
