package wizard

import (
	"errors"
	"strings"

	"sitecfg/config"
)

// microsoftUI: Microsoft 365 / Exchange Online with OAuth 2.0 client
// credentials. The cloud fixes the host, port 587 and STARTTLS, so the
// server page is not asked.
var microsoftUI = methodUI{
	method: config.AuthMicrosoft,
	label:  "Microsoft 365 / Exchange Online (Modern Authentication, OAuth 2.0)",
	choose: func(s *State) {
		o := s.oauth()
		if !o.Cloud.Known() {
			o.Cloud = config.CloudGlobal
		}
		exchangeServer(s, o.Cloud)
		o.Mechanism = config.MechXOAuth2
	},
	questions: microsoftQuestions,
}

// exchangeServer sets the cloud's Exchange Online submission endpoint.
func exchangeServer(s *State, c config.Cloud) {
	sm(s).Server, sm(s).Port, sm(s).Security = c.SMTPHost(), 587, config.SecurityStartTLS
}

func microsoftQuestions() []*Question {
	on := method(config.AuthMicrosoft)
	var clouds []Option
	for _, c := range config.Clouds {
		clouds = append(clouds, Option{cloudLabels[c], string(c)})
	}
	getTenant, setTenant := ruledText("smtp.oauth.tenant_id", func(s *State) *string { return &s.oauth().TenantID })
	getID, setID := ruledText("smtp.oauth.client_id", func(s *State) *string { return &s.oauth().ClientID })
	qs := []*Question{
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
			Title: "Directory (tenant) ID", Help: "Entra admin center → App registrations → your app → Overview. A GUID or a domain like contoso.onmicrosoft.com.",
			Get: getTenant, Set: setTenant},
		{ID: "smtp.oauth.client_id", Page: PageMS, Kind: KindText, Show: on,
			Title: "Application (client) ID", Help: "On the same Overview page: a GUID.", Get: getID, Set: setID},
		// The mailbox comes before the credential choice, so each page is
		// asked in one piece.
		mailboxQuestion(config.AuthMicrosoft, PageMS),
		credentialChoice(),
	}
	// The secret or certificate is on a page after the choice, so that
	// every front end asks for what was chosen.
	return append(qs, clientCredentialQuestions(config.AuthMicrosoft, PageMSCredential)...)
}

// cloudLabels name each cloud with its Exchange Online host.
var cloudLabels = map[config.Cloud]string{
	config.CloudGlobal:  "Global (smtp.office365.com)",
	config.CloudGCCHigh: "US Government GCC High (smtp.office365.us)",
	config.CloudDoD:     "US Government DoD (outlook-dod.office365.us)",
	config.CloudChina:   "China, operated by 21Vianet (smtp.partner.outlook.cn)",
}

// credentialChoice asks how the Microsoft 365 app proves itself: with a
// client secret or with a certificate. It is not an answers-file field:
// the answers hold one of client_secret and client_certificate.
func credentialChoice() *Question {
	return &Question{ID: "smtp.oauth.credential", Page: PageMS, Kind: KindSelect, Show: method(config.AuthMicrosoft),
		Title: "Credential",
		Help:  "What the app registration has under Certificates & secrets.",
		Options: []Option{
			{"Client secret", CredentialSecret},
			{"Certificate (PEM file with its private key)", CredentialCertificate},
		},
		Get: func(s *State) string {
			if s.usesCertificate() {
				return CredentialCertificate
			}
			return CredentialSecret
		},
		Set: func(s *State, v string) error {
			switch v = strings.ToLower(strings.TrimSpace(v)); v {
			case CredentialSecret:
				s.oauth().ClientCertificate = ""
			case CredentialCertificate:
				// Exactly one credential: the secret (and with it a
				// stored one, see config.KeepStored) goes.
				o := s.oauth()
				o.ClientSecret, o.ClientSecretExpires = config.Secret{}, ""
			default:
				return errors.New("choose secret or certificate")
			}
			s.Credential = v
			return nil
		}}
}
