package config

import (
	"strings"
	"time"

	"sitecfg/microsoft"
)

// microsoftAuth is Microsoft Modern Authentication: OAuth 2.0 client
// credentials against Entra ID, then SMTP AUTH XOAUTH2 to Exchange Online
// on port 587 with STARTTLS. The cloud fixes the host, token endpoint and
// scope.
type microsoftAuth struct{}

func (microsoftAuth) defaults(s *SMTP) {
	if s.OAuth == nil {
		s.OAuth = &OAuth{}
	}
	if s.OAuth.Cloud == "" {
		s.OAuth.Cloud = CloudGlobal
	}
	if s.Server == "" && s.OAuth.Cloud.Known() {
		s.Server = s.OAuth.Cloud.SMTPHost()
	}
	s.OAuth.Mechanism = MechXOAuth2
}

func (microsoftAuth) validate(ps *problemSet, s *SMTP, now time.Time) {
	validateExchange(ps, s)
	o := s.OAuth
	if err := ValidateClientID(o.ClientID); err != nil {
		ps.errorf("smtp.oauth.client_id", "%v", err)
	}
	validateOAuthCommon(ps, s, now, microsoftAuth{})
	if o.TokenURL != "" || o.Scope != "" {
		ps.warnf("smtp.oauth", "token_url and scope are derived from the cloud and tenant for microsoft-oauth; the given ones are ignored")
	}
	if o.Mechanism != "" && o.Mechanism != MechXOAuth2 {
		ps.errorf("smtp.oauth.mechanism", "Exchange Online offers only XOAUTH2")
	}
	warnSendAs(ps, s)
}

// validateExchange holds the rules of the Microsoft methods' endpoint:
// the cloud, its published host (the legacy name stored as the published
// one), port 587 with STARTTLS, and the tenant.
func validateExchange(ps *problemSet, s *SMTP) {
	o := s.OAuth
	if !o.Cloud.Known() {
		ps.errorf("smtp.oauth.cloud", "unknown cloud %q: use global, usgov-gcchigh, usgov-dod or china", o.Cloud)
	} else {
		switch {
		case s.Server == officeLegacy && o.Cloud == CloudGlobal:
			// The product documentation's name is in no Microsoft endpoint
			// list: what is checked and written is the published host.
			ps.warnf("smtp.server", "%s is accepted, but Microsoft's published Exchange Online SMTP host is %s: that is what sitecfg checks and stores",
				officeLegacy, officeGlobal)
			s.Server = officeGlobal
		case o.Cloud.Publishes(s.Server):
		default:
			ps.errorf("smtp.server", "Microsoft Modern Authentication in the %s cloud uses %s, not %q",
				o.Cloud, strings.Join(o.Cloud.SMTPHosts(), " or "), s.Server)
		}
	}
	if s.Port != 587 {
		ps.errorf("smtp.port", "Exchange Online accepts OAuth SMTP AUTH on port 587 only, not %d", s.Port)
	}
	if s.Security != SecurityStartTLS {
		ps.errorf("smtp.security", "Exchange Online requires starttls on port 587, not %s", s.Security)
	}
	if err := ValidateTenant(o.TenantID); err != nil {
		ps.errorf("smtp.oauth.tenant_id", "%v", err)
	}
}

// warnSendAs: Exchange Online lets a mailbox send only as itself unless
// it has Send As on the From address; without it the message is refused
// at the end of DATA (554 5.2.252 SendAsDenied).
func warnSendAs(ps *problemSet, s *SMTP) {
	if s.Username == "" || s.From == "" || strings.EqualFold(s.Username, s.From) || ValidateEmail(s.Username) != nil {
		return
	}
	ps.warnf("smtp.from", "%s is not the mailbox %s: Exchange Online refuses the message at DATA (554 5.2.252 SendAsDenied) "+
		"unless the mailbox has Send As on it (Add-RecipientPermission -Identity %s -Trustee %s -AccessRights SendAs); "+
		"or send from the mailbox itself", s.From, s.Username, s.From, s.Username)
}

// warnBasicAgainstExchange is the rule for basic and none against an
// Exchange Online host: Microsoft's retirement timeline and the way
// forward, plus (basic) the Send As warning.
func warnBasicAgainstExchange(ps *problemSet, s *SMTP) {
	if !microsoft.IsSubmissionHost(s.Server) {
		return
	}
	msg := "auth " + string(s.Auth) + " against Exchange Online: " + microsoft.BasicAuthRetirement
	if s.Auth == AuthNone {
		msg = "auth none against Exchange Online, which takes mail only from authenticated clients on this host; " +
			"basic authentication is no way forward either: " + microsoft.BasicAuthRetirement
	}
	ps.warnf("smtp.auth", "%s", msg)
	if s.Auth == AuthBasic {
		warnSendAs(ps, s)
	}
}

func (microsoftAuth) sendsCredentials(*SMTP) bool { return true }

// stored: the token URL and scope follow from the cloud and tenant; a
// client-credentials method keeps no refresh token.
func (microsoftAuth) stored(s *SMTP) {
	s.OAuth.TokenURL, s.OAuth.Scope = "", ""
	s.OAuth.RefreshToken, s.OAuth.RefreshTokenExpires = Secret{}, ""
}

// guide: the guide's commands name this app, tenant, cloud and mailbox.
func (microsoftAuth) guide(s *SMTP) microsoft.GuideInput {
	o := s.OAuth
	return microsoft.GuideInput{Cloud: o.Cloud, TenantID: o.TenantID, ClientID: o.ClientID, Mailbox: s.Username}
}

func (microsoftAuth) credentialPlace() string { return microsoft.CredentialPlace }

// mailbox: the username is an Exchange mailbox, an email address.
func (microsoftAuth) mailbox(ps *problemSet, username string) {
	if err := ValidateMailbox(username); err != nil {
		ps.errorf("smtp.username", "the Exchange mailbox: %v", err)
	}
}

// certificate: Entra takes client assertions signed with RSA only.
func (microsoftAuth) certificate(ps *problemSet, field string, c *ClientCertificate) {
	if !c.IsRSA() {
		ps.errorf(field, "the certificate has an ECDSA key: Microsoft Entra refuses client assertions signed with ECDSA (ES256); "+
			"create an RSA certificate (2048 bits or more), upload its public part to the app and point client_certificate at it")
	}
}

// token: the cloud and tenant decide the endpoint, the scope and the
// audience Exchange Online expects.
func (microsoftAuth) token(s *SMTP) TokenRequest {
	c := s.OAuth.Cloud
	return TokenRequest{URL: c.TokenURL(s.OAuth.TenantID), Scope: c.Scope(), Audience: c.Resource()}
}
