package wizard

import (
	"errors"
	"strings"

	"sitecfg/config"
)

// delegatedUI: Microsoft 365 / Exchange Online with a person's sign-in
// (microsoft-delegated). As with microsoftUI the cloud fixes the host,
// port 587 and STARTTLS; the app is a public client, so there is no
// credential to ask for: the refresh token comes from signing in
// (sitecfg signin).
var delegatedUI = methodUI{
	method: config.AuthDelegated,
	label:  "Microsoft 365 / Exchange Online, signed in as a user (delegated OAuth 2.0, no client secret)",
	choose: func(s *State) {
		o := s.oauth()
		if !o.Cloud.Known() {
			o.Cloud = config.CloudGlobal
		}
		exchangeServer(s, o.Cloud)
		o.Mechanism = config.MechXOAuth2
		o.ClientSecret, o.ClientSecretExpires, o.ClientCertificate = config.Secret{}, "", ""
	},
	resume: func(s *State) {
		if o := sm(s).OAuth; o != nil && o.Cloud.Known() {
			exchangeServer(s, o.Cloud)
		}
	},
	questions:   delegatedQuestions,
	fixesServer: true,
}

func delegatedQuestions() []*Question {
	on := method(config.AuthDelegated)
	var clouds []Option
	for _, c := range config.Clouds {
		clouds = append(clouds, Option{cloudLabel(c), string(c)})
	}
	getTenant, setTenant := ruledText("smtp.oauth.tenant_id", func(s *State) *string { return &s.oauth().TenantID })
	getID, setID := ruledText("smtp.oauth.client_id", func(s *State) *string { return &s.oauth().ClientID })
	getUser, setUser := ruledText("smtp.username", func(s *State) *string { return &sm(s).Username })
	return []*Question{
		{ID: "smtp.oauth.cloud", Page: PageMS, Kind: KindSelect, Show: on,
			Title:   "Microsoft cloud",
			Options: clouds,
			Get:     func(s *State) string { return string(s.oauth().Cloud) },
			Set: func(s *State, v string) error {
				c := config.Cloud(strings.ToLower(strings.TrimSpace(v)))
				if !c.Known() {
					return errors.New("choose global, usgov-gcchigh, usgov-dod or china")
				}
				s.oauth().Cloud = c
				exchangeServer(s, c)
				return nil
			}},
		{ID: "smtp.oauth.tenant_id", Page: PageMS, Kind: KindText, Show: on,
			Title: "Directory (tenant) ID", Help: "Entra admin center → App registrations → your public client app → Overview. A GUID or a domain like contoso.onmicrosoft.com.",
			Get: getTenant, Set: setTenant},
		{ID: "smtp.oauth.client_id", Page: PageMS, Kind: KindText, Show: on,
			Title: "Application (client) ID", Help: "On the same Overview page: a GUID. The app has the redirect URI http://localhost (Mobile and desktop applications) and no secret.",
			Get: getID, Set: setID},
		{ID: "smtp.username", Page: PageMS, Kind: KindText, Show: on,
			Title: "Mailbox to send as", Help: "Leave empty to send as the user who signs in; another mailbox needs Send As for that user.",
			Get: getUser, Set: setUser},
	}
}
