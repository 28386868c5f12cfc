package wizard

import "sitecfg/config"

// delegatedUI: Microsoft 365 / Exchange Online with a person's sign-in
// (microsoft-delegated). As with microsoftUI the cloud fixes the host,
// port 587 and STARTTLS; the app is a public client, so there is no
// credential to ask for: the refresh token comes from signing in
// (sitecfg signin).
var delegatedUI = methodUI{
	method: config.AuthDelegated,
	label:  "Microsoft 365 / Exchange Online, signed in as a user (delegated OAuth 2.0, no client secret)",
	choose: func(s *State) {
		o := chooseExchange(s)
		o.ClientSecret, o.ClientSecretExpires, o.ClientCertificate = config.Secret{}, "", ""
	},
	resume:      resumeExchange,
	questions:   delegatedQuestions,
	fixesServer: true,
}

func delegatedQuestions() []*Question {
	on := method(config.AuthDelegated)
	getTenant, setTenant := ruledText("smtp.oauth.tenant_id", func(s *State) *string { return &s.oauth().TenantID })
	getID, setID := ruledText("smtp.oauth.client_id", func(s *State) *string { return &s.oauth().ClientID })
	getUser, setUser := ruledText("smtp.username", func(s *State) *string { return &sm(s).Username })
	return []*Question{
		cloudQuestion(on),
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
