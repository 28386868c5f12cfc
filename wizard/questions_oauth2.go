package wizard

import (
	"errors"
	"strings"

	"sitecfg/config"
)

// oauth2UI: any other OAuth 2.0 client-credentials provider.
var oauth2UI = methodUI{
	method: config.AuthOAuth2,
	label:  "Another OAuth 2.0 provider",
	questions: func() []*Question {
		on := method(config.AuthOAuth2)
		getURL, setURL := text(func(s *State) *string { return &s.oauth().TokenURL }, config.ValidateTokenURL)
		getScope, setScope := text(func(s *State) *string { return &s.oauth().Scope }, nil)
		getID, setID := ruledText("smtp.oauth.client_id", func(s *State) *string { return &s.oauth().ClientID })
		qs := []*Question{
			{ID: "smtp.oauth.token_url", Page: PageOAuth2, Kind: KindText, Show: on,
				Title: "Token URL", Help: "The provider's OAuth 2.0 token endpoint (https://).", Get: getURL, Set: setURL},
			{ID: "smtp.oauth.scope", Page: PageOAuth2, Kind: KindText, Show: on,
				Title: "Scope", Help: "The scope that grants SMTP sending, as the provider documents it.", Get: getScope, Set: setScope},
			{ID: "smtp.oauth.client_id", Page: PageOAuth2, Kind: KindText, Show: on, Title: "Client ID", Get: getID, Set: setID},
			mailboxQuestion(config.AuthOAuth2, PageOAuth2),
		}
		qs = append(qs, clientCredentialQuestions(config.AuthOAuth2, PageOAuth2)...)
		return append(qs, &Question{ID: "smtp.oauth.mechanism", Page: PageOAuth2, Kind: KindSelect, Show: on,
			Title:   "SASL mechanism",
			Options: []Option{{"XOAUTH2", string(config.MechXOAuth2)}, {"OAUTHBEARER (RFC 7628)", string(config.MechOAuthBearer)}},
			Get:     func(s *State) string { return string(s.oauth().Mechanism) },
			Set: func(s *State, v string) error {
				m := config.Mechanism(strings.ToLower(strings.TrimSpace(v)))
				if m != config.MechXOAuth2 && m != config.MechOAuthBearer {
					return errors.New("choose xoauth2 or oauthbearer")
				}
				s.oauth().Mechanism = m
				return nil
			}})
	},
}
