package wizard

import (
	"errors"
	"strconv"
	"strings"

	"sitecfg/config"
	"sitecfg/microsoft"
)

// microsoftUI: Microsoft 365 / Exchange Online with OAuth 2.0 client
// credentials. The cloud fixes the host, port 587 and STARTTLS, so the
// server page is not asked.
var microsoftUI = methodUI{
	method:      config.AuthMicrosoft,
	label:       "Microsoft 365 / Exchange Online (Modern Authentication, OAuth 2.0)",
	choose:      func(s *State) { chooseExchange(s) },
	resume:      resumeExchange,
	questions:   microsoftQuestions,
	fixesServer: true,
}

// chooseExchange is what choosing a Microsoft 365 method does: the cloud
// (global unless one is known) fixes the host, port 587 and STARTTLS, and
// the mechanism is XOAUTH2. It returns the oauth section.
func chooseExchange(s *State) *config.OAuth {
	o := s.oauth()
	if !o.Cloud.Known() {
		o.Cloud = config.CloudGlobal
	}
	exchangeServer(s, o.Cloud)
	o.Mechanism = config.MechXOAuth2
	return o
}

// resumeExchange: the cloud fixes the host, port and security and they
// are not asked, so a re-run brings an older or hand-edited file in line
// now, and the review lists what that changes.
func resumeExchange(s *State) {
	if o := sm(s).OAuth; o != nil && o.Cloud.Known() {
		exchangeServer(s, o.Cloud)
	}
}

// cloudQuestion asks which Microsoft cloud the tenant is in; the answer
// sets the cloud's Exchange Online endpoint.
func cloudQuestion(on func(*State) bool) *Question {
	var clouds []Option
	for _, c := range config.Clouds {
		clouds = append(clouds, Option{cloudLabel(c), string(c)})
	}
	return &Question{ID: "smtp.oauth.cloud", Page: PageMS, Kind: KindSelect, Show: on,
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
		}}
}

// exchangeServer sets the cloud's Exchange Online submission endpoint.
func exchangeServer(s *State, c config.Cloud) {
	sm(s).Server, sm(s).Port, sm(s).Security = c.SMTPHost(), 587, config.SecurityStartTLS
}

func microsoftQuestions() []*Question {
	on := method(config.AuthMicrosoft)
	getTenant, setTenant := ruledText("smtp.oauth.tenant_id", func(s *State) *string { return &s.oauth().TenantID })
	getID, setID := ruledText("smtp.oauth.client_id", func(s *State) *string { return &s.oauth().ClientID })
	qs := []*Question{
		switchToMicrosoftQuestion(),
		cloudQuestion(on),
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

// cloudLabel names a cloud with its Exchange Online host.
func cloudLabel(c config.Cloud) string {
	switch c {
	case config.CloudGlobal:
		return "Global, also for GCC (\"moderate\") tenants (smtp.office365.com)"
	case config.CloudGCCHigh:
		return "US Government GCC High (smtp.office365.us)"
	case config.CloudDoD:
		return "US Government DoD (outlook-dod.office365.us)"
	case config.CloudChina:
		return "China, operated by 21Vianet (smtp.partner.outlook.cn)"
	}
	return string(c)
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

// switchToMicrosoftID is the offer to move a basic (or none) config that
// sends through Exchange Online to microsoft-oauth. It is not an
// answers-file field: taking it changes smtp.auth and what goes with it.
const switchToMicrosoftID = "smtp.switch_to_microsoft"

// PageSwitchMS holds the offer, between the method's own pages and the
// Microsoft 365 ones, so that taking it leads straight to them.
const PageSwitchMS Page = "Basic authentication retiring"

// switchToMicrosoftQuestion offers, for basic or none against an Exchange
// Online host, to switch to Microsoft 365 OAuth keeping the mailbox as
// the SMTP username and the sender. It stays on its page once taken, so
// the operator can go back and decline it, which restores the answers.
func switchToMicrosoftQuestion() *Question {
	return &Question{ID: switchToMicrosoftID, Page: PageSwitchMS, Kind: KindConfirm,
		Title: "Switch to Microsoft 365 OAuth 2.0 (microsoft-oauth), keeping the mailbox?",
		Help: "This server is Exchange Online. " + microsoft.BasicAuthRetirement + ". The mailbox stays the SMTP username " +
			"and the sender (From); the next page asks for the app registration.",
		Show: func(s *State) bool {
			a := sm(s)
			return a.Enabled && (s.beforeSwitch != nil ||
				(a.Auth == config.AuthBasic || a.Auth == config.AuthNone) && microsoft.IsSubmissionHost(a.Server))
		},
		Get: func(s *State) string { return strconv.FormatBool(s.beforeSwitch != nil) },
		Set: func(s *State, v string) error {
			yes, err := parseBool(v)
			switch {
			case err != nil:
				return err
			case yes && s.beforeSwitch == nil:
				switchToMicrosoft(s)
			case !yes && s.beforeSwitch != nil:
				s.Answers.SMTP, s.beforeSwitch = *s.beforeSwitch, nil
			}
			return nil
		}}
}

// switchToMicrosoft makes the answers microsoft-oauth in the cloud whose
// host they name, keeping the mailbox (the username, else the sender) as
// both the SMTP username and the From address. The password goes: OAuth
// has none.
func switchToMicrosoft(s *State) {
	was := s.Answers.SMTP
	if was.OAuth != nil {
		o := *was.OAuth
		was.OAuth = &o
	}
	s.beforeSwitch = &was
	a := sm(s)
	mailbox := a.Username
	if mailbox == "" {
		mailbox = a.From
	}
	cloud := cloudOfHost(a.Server)
	a.OAuth = &config.OAuth{Cloud: cloud, Mechanism: config.MechXOAuth2}
	a.Auth, a.Username, a.Password = config.AuthMicrosoft, mailbox, config.Secret{}
	if a.From == "" {
		a.From = mailbox
	}
	server := a.Server
	if !cloud.Publishes(server) || server == microsoft.LegacyHost {
		server = cloud.SMTPHost()
	}
	exchangeServer(s, cloud)
	a.Server, a.CAFile = server, ""
}

// cloudOfHost is the Microsoft cloud an Exchange Online host belongs to:
// the one publishing it, else the one its domain says (a tenant's MX, say),
// else global.
func cloudOfHost(host string) config.Cloud {
	if c, ok := microsoft.CloudOfHost(host); ok {
		return c
	}
	h := strings.ToLower(host)
	switch {
	case strings.HasSuffix(h, ".outlook.cn"):
		return config.CloudChina
	case strings.Contains(h, "-dod.") && strings.HasSuffix(h, ".office365.us"):
		return config.CloudDoD
	case strings.HasSuffix(h, ".office365.us"):
		return config.CloudGCCHigh
	}
	return config.CloudGlobal
}
