package wizard

import (
	"errors"
	"strconv"
	"strings"

	"sitecfg/config"
)

func smtpQuestions() []*Question {
	sm := func(s *State) *config.SMTP { return &s.Answers.SMTP }
	notMS := func(s *State) bool { return smtpOn(s) && s.Answers.SMTP.Auth != config.AuthMicrosoft }
	var qs []*Question

	qs = append(qs, &Question{ID: "smtp.auth", Page: PageMethod, Kind: KindSelect, Show: smtpOn,
		Title: "How does the server authenticate senders?",
		Options: []Option{
			{"Username and password (basic)", string(config.AuthBasic)},
			{"Microsoft 365 / Exchange Online (Modern Authentication, OAuth 2.0)", string(config.AuthMicrosoft)},
			{"Another OAuth 2.0 provider", string(config.AuthOAuth2)},
			{"None (unauthenticated relay)", string(config.AuthNone)},
		},
		Get: func(s *State) string { return string(sm(s).Auth) },
		Set: func(s *State, v string) error {
			m := config.AuthMethod(strings.ToLower(strings.TrimSpace(v)))
			switch m {
			case config.AuthBasic, config.AuthNone, config.AuthOAuth2:
			case config.AuthMicrosoft:
				// Exchange Online: fixed host per cloud, 587, STARTTLS.
				o := s.oauth()
				if !o.Cloud.Known() {
					o.Cloud = config.CloudGlobal
				}
				sm(s).Server, sm(s).Port, sm(s).Security = o.Cloud.SMTPHost(), 587, config.SecurityStartTLS
				o.Mechanism = config.MechXOAuth2
			default:
				return errors.New("choose basic, microsoft-oauth, oauth2 or none")
			}
			if m.IsOAuth() {
				s.oauth()
			}
			if m == config.AuthNone {
				// No credentials are asked under none: drop any left over.
				sm(s).Username, sm(s).Password = "", config.Secret{}
			}
			sm(s).Auth = m
			return nil
		}})

	qs = append(qs, &Question{ID: "smtp.oauth.cloud", Page: PageMS, Kind: KindSelect, Show: method(config.AuthMicrosoft),
		Title: "Microsoft cloud",
		Options: []Option{
			{"Global (smtp.office365.com)", string(config.CloudGlobal)},
			{"US Government GCC High (smtp.office365.us)", string(config.CloudGCCHigh)},
			{"US Government DoD (outlook-dod.office365.us)", string(config.CloudDoD)},
			{"China, operated by 21Vianet (smtp.partner.outlook.cn)", string(config.CloudChina)},
		},
		Get: func(s *State) string { return string(s.oauth().Cloud) },
		Set: func(s *State, v string) error {
			c := config.Cloud(strings.ToLower(strings.TrimSpace(v)))
			if !c.Known() {
				return errors.New("choose global, usgov-gcchigh, usgov-dod or china")
			}
			s.oauth().Cloud = c
			sm(s).Server, sm(s).Port, sm(s).Security = c.SMTPHost(), 587, config.SecurityStartTLS
			return nil
		}})

	get, setServer := text(func(s *State) *string { return &sm(s).Server }, config.ValidateServer)
	qs = append(qs, &Question{ID: "smtp.server", Page: PageServer, Kind: KindText, Show: notMS,
		Title: "SMTP server", Help: "Host name or IP address, without the port.", Get: get,
		Set: func(s *State, v string) error {
			// setServer, not set: set is reused below for other fields.
			if err := setServer(s, v); err != nil {
				return err
			}
			sm(s).Server = config.NormalizeHost(sm(s).Server)
			return nil
		}})

	qs = append(qs, &Question{ID: "smtp.security", Page: PageServer, Kind: KindSelect, Show: notMS,
		Title: "Secure connection",
		Options: []Option{
			{"STARTTLS (usually port 587)", string(config.SecurityStartTLS)},
			{"Implicit TLS / SSL (usually port 465)", string(config.SecurityTLS)},
			{"None — only for a relay on this host", string(config.SecurityNone)},
		},
		Get: func(s *State) string { return string(sm(s).Security) },
		Set: func(s *State, v string) error {
			sec := config.Security(strings.ToLower(strings.TrimSpace(v)))
			switch sec {
			case config.SecurityStartTLS, config.SecurityTLS, config.SecurityNone:
			default:
				return errors.New("choose starttls, tls or none")
			}
			// The port follows the security choice unless it was changed by hand.
			if p := sm(s).Port; p == 0 || p == sm(s).Security.DefaultPort() {
				sm(s).Port = sec.DefaultPort()
			}
			sm(s).Security = sec
			return nil
		}})

	qs = append(qs, &Question{ID: "smtp.port", Page: PageServer, Kind: KindText, Show: notMS,
		Title: "Port",
		Get: func(s *State) string {
			if sm(s).Port == 0 {
				return ""
			}
			return strconv.Itoa(sm(s).Port)
		},
		Set: func(s *State, v string) error {
			p, err := config.ParsePort(v)
			if err == nil {
				sm(s).Port = p
			}
			return err
		}})

	get, set := text(func(s *State) *string { return &sm(s).CAFile }, nil)
	qs = append(qs, &Question{ID: "smtp.ca_file", Page: PageServer, Kind: KindText, Show: notMS,
		Title: "Extra CA certificate file (optional)", Help: "PEM file, for a server whose certificate is signed by a private CA.", Get: get, Set: set})

	// Basic credentials.
	get, set = text(func(s *State) *string { return &sm(s).Username }, nil)
	qs = append(qs, &Question{ID: "smtp.username", Page: PageBasic, Kind: KindText, Show: method(config.AuthBasic),
		Title: "SMTP username (optional)", Help: "Leave empty for a relay that needs no login.", Get: get, Set: set})
	qs = append(qs, secretQuestion("smtp.password", PageBasic, "SMTP password", method(config.AuthBasic),
		func(s *State) *config.Secret { return &sm(s).Password },
		func(s *State) *config.Secret {
			if s.Prev == nil || !strings.EqualFold(s.Prev.SMTP.Username, sm(s).Username) {
				return nil
			}
			return &s.Prev.SMTP.Password
		}, false))

	// OAuth: Microsoft and generic.
	get, set = text(func(s *State) *string { return &s.oauth().TenantID }, config.ValidateTenant)
	qs = append(qs, &Question{ID: "smtp.oauth.tenant_id", Page: PageMS, Kind: KindText, Show: method(config.AuthMicrosoft),
		Title: "Directory (tenant) ID", Help: "Entra admin center → App registrations → your app → Overview. A GUID or a domain like contoso.onmicrosoft.com.", Get: get, Set: set})
	get, set = text(func(s *State) *string { return &s.oauth().ClientID }, config.ValidateClientID)
	qs = append(qs, &Question{ID: "smtp.oauth.client_id", Page: PageMS, Kind: KindText, Show: method(config.AuthMicrosoft),
		Title: "Application (client) ID", Help: "On the same Overview page: a GUID.", Get: get, Set: set})
	get, set = text(func(s *State) *string { return &s.oauth().TokenURL }, config.ValidateTokenURL)
	qs = append(qs, &Question{ID: "smtp.oauth.token_url", Page: PageOAuth2, Kind: KindText, Show: method(config.AuthOAuth2),
		Title: "Token URL", Help: "The provider's OAuth 2.0 token endpoint (https://).", Get: get, Set: set})
	get, set = text(func(s *State) *string { return &s.oauth().Scope }, nil)
	qs = append(qs, &Question{ID: "smtp.oauth.scope", Page: PageOAuth2, Kind: KindText, Show: method(config.AuthOAuth2),
		Title: "Scope", Help: "The scope that grants SMTP sending, as the provider documents it.", Get: get, Set: set})
	get, set = text(func(s *State) *string { return &s.oauth().ClientID }, func(v string) error {
		if v == "" {
			return errors.New("the client ID is required")
		}
		return nil
	})
	qs = append(qs, &Question{ID: "smtp.oauth.client_id", Page: PageOAuth2, Kind: KindText, Show: method(config.AuthOAuth2),
		Title: "Client ID", Get: get, Set: set})
	// Microsoft's secret or certificate is on a page after the choice, so
	// that every front end asks for what was chosen.
	// The mailbox comes before the credential choice, so each page is
	// asked in one piece.
	for _, m := range []struct {
		auth config.AuthMethod
		page Page
	}{{config.AuthMicrosoft, PageMS}, {config.AuthOAuth2, PageOAuth2}} {
		qs = append(qs, &Question{ID: "smtp.username", Page: m.page, Kind: KindText, Show: method(m.auth),
			Title: "Mailbox to send as", Help: "The SMTP username: the mailbox the app may send as.",
			Get: func(s *State) string { return sm(s).Username },
			Set: func(s *State, v string) error {
				v = strings.TrimSpace(v)
				if v == "" {
					return errors.New("the mailbox is required")
				}
				if sm(s).Auth == config.AuthMicrosoft {
					if err := config.ValidateEmail(v); err != nil {
						return err
					}
				}
				sm(s).Username = v
				return nil
			}})
	}

	qs = append(qs, credentialChoice())
	qs = append(qs, clientCredentialQuestions(config.AuthMicrosoft, PageMSCredential)...)
	qs = append(qs, clientCredentialQuestions(config.AuthOAuth2, PageOAuth2)...)
	qs = append(qs, &Question{ID: "smtp.oauth.mechanism", Page: PageOAuth2, Kind: KindSelect, Show: method(config.AuthOAuth2),
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
	// Delivery.
	get, setFrom := text(func(s *State) *string { return &sm(s).From }, config.ValidateEmail)
	qs = append(qs, &Question{ID: "smtp.from", Page: PageDelivery, Kind: KindText, Show: smtpOn,
		Title: "Sender (From) address", Help: "With Microsoft 365 this is normally the mailbox itself.",
		Get: get, Set: func(s *State, v string) error { return setFrom(s, config.NormalizeEmail(v)) }})
	qs = append(qs, &Question{ID: "smtp.default_recipients", Page: PageDelivery, Kind: KindText, Show: smtpOn,
		Title: "Default recipients (optional)", Help: "Comma-separated addresses; duplicates are dropped.",
		Get: func(s *State) string { return strings.Join(sm(s).DefaultRecipients, ", ") },
		Set: func(s *State, v string) error {
			rs := config.ParseRecipients(v)
			for _, r := range rs {
				if err := config.ValidateEmail(r); err != nil {
					return err
				}
			}
			sm(s).DefaultRecipients = rs
			return nil
		}})
	return qs
}

// secretQuestion asks for a secret that may be kept from the saved config
// by leaving it empty.
func secretQuestion(id string, page Page, title string, show func(*State) bool, ptr, prev func(*State) *config.Secret, required bool) *Question {
	return &Question{ID: id, Page: page, Kind: KindPassword, Show: show, Title: title, Secret: true,
		Keepable: func(s *State) bool { p := prev(s); return p != nil && !p.IsZero() },
		Get:      func(s *State) string { return ptr(s).Value },
		Set: func(s *State, v string) error {
			if v == "" {
				if p := prev(s); p != nil && !p.IsZero() {
					*ptr(s) = *p
					return nil
				}
				if required {
					return errors.New("required")
				}
			}
			*ptr(s) = config.Secret{Value: v}
			return nil
		}}
}
