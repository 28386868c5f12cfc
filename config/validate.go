package config

import (
	"strconv"
	"strings"
	"time"

	"sitecfg/recovery"
)

// ApplyDefaults fills what an operator may leave out: the security mode
// (starttls), the port that goes with it, and for Microsoft the cloud, its
// Exchange Online host and the OAuth mechanism. It also lower-cases emails
// and removes duplicate recipients. It never overrides a given value.
func (a *Answers) ApplyDefaults() {
	if a.Version == 0 {
		a.Version = Version
	}
	s := &a.SMTP
	if !s.Enabled {
		return
	}
	if s.Auth == "" {
		s.Auth = AuthBasic
	}
	if s.Auth.IsOAuth() && s.OAuth == nil {
		s.OAuth = &OAuth{}
	}
	if s.Auth == AuthMicrosoft {
		if s.OAuth.Cloud == "" {
			s.OAuth.Cloud = CloudGlobal
		}
		if s.Server == "" && s.OAuth.Cloud.Known() {
			s.Server = s.OAuth.Cloud.SMTPHost()
		}
		s.OAuth.Mechanism = MechXOAuth2
	}
	if s.Auth == AuthOAuth2 && s.OAuth.Mechanism == "" {
		s.OAuth.Mechanism = MechXOAuth2
	}
	if s.Security == "" {
		s.Security = SecurityStartTLS
	}
	if _, given := a.Pos["smtp.port"]; s.Port == 0 && !given {
		s.Port = s.Security.DefaultPort()
	}
	s.Server = NormalizeHost(s.Server)
	s.From = NormalizeEmail(s.From)
	s.DefaultRecipients = DedupeEmails(s.DefaultRecipients)
	a.Emails.UIAdmin = NormalizeEmail(a.Emails.UIAdmin)
	a.Emails.UISupport = NormalizeEmail(a.Emails.UISupport)
	a.Emails.AdmiralAlerts = NormalizeEmail(a.Emails.AdmiralAlerts)
}

// Validate applies every rule of the contract and returns all problems at
// once, errors and warnings, each with its field path (and its place in
// the answers file when the answers came from one). Call ApplyDefaults
// first.
func (a *Answers) Validate() Problems {
	ps := &problemSet{pos: a.Pos}
	if a.Version != Version {
		ps.errorf("version", "version %d is not supported: this sitecfg reads version %d", a.Version, Version)
	}
	if a.SMTP.Enabled {
		validateEmails(ps, a.Emails)
		validateSMTP(ps, &a.SMTP)
	} else {
		validateUsers(ps, a.Users)
		if strings.TrimSpace(a.RecoveryCodesOut) == "" {
			ps.errorf("recovery_codes_out", "required when SMTP is off: the file the admin's recovery codes are written to")
		}
	}
	return ps.list.sorted()
}

func validateEmails(ps *problemSet, e Emails) {
	fields := []struct{ path, value, what string }{
		{"emails.ui_admin", e.UIAdmin, "UI admin email"},
		{"emails.ui_support", e.UISupport, "UI primary customer support email"},
		{"emails.admiral_alerts", e.AdmiralAlerts, "Admiral alert email"},
	}
	seen := map[string]string{}
	for _, f := range fields {
		if err := ValidateEmail(f.value); err != nil {
			ps.errorf(f.path, "%s: %v", f.what, err)
			continue
		}
		v := NormalizeEmail(f.value)
		if other, dup := seen[v]; dup {
			ps.errorf(f.path, "%s is the same address as %s (%s): the three notification addresses must differ", f.what, other, v)
			continue
		}
		seen[v] = f.path
	}
}

func validateSMTP(ps *problemSet, s *SMTP) {
	switch s.Auth {
	case AuthNone, AuthBasic, AuthMicrosoft, AuthOAuth2:
	default:
		ps.errorf("smtp.auth", "unknown auth method %q: use none, basic, microsoft-oauth or oauth2", s.Auth)
	}
	switch s.Security {
	case SecurityStartTLS, SecurityTLS, SecurityNone:
	default:
		ps.errorf("smtp.security", "unknown security %q: use starttls, tls or none", s.Security)
	}
	if err := ValidateServer(s.Server); err != nil {
		ps.errorf("smtp.server", "%v", err)
	}
	if err := ValidatePort(s.Port); err != nil {
		ps.errorf("smtp.port", "%v", err)
	}
	if s.From == "" {
		ps.errorf("smtp.from", "the sender (From) address is required when SMTP is on")
	} else if err := ValidateEmail(s.From); err != nil {
		ps.errorf("smtp.from", "%v", err)
	}
	for i, r := range s.DefaultRecipients {
		if err := ValidateEmail(r); err != nil {
			ps.errorf(indexPath("smtp.default_recipients", i), "%v", err)
		}
	}
	hasCredentials := s.Username != "" || !s.Password.IsZero() || s.Auth.IsOAuth()
	if s.Security == SecurityNone && hasCredentials && s.Server != "" && !IsLoopback(s.Server) {
		ps.errorf("smtp.security", "security none would send credentials in clear text to %s: use starttls or tls (clear text is only allowed to a loopback address)", s.Server)
	}
	switch s.Auth {
	case AuthNone:
		if s.Username != "" || !s.Password.IsZero() {
			ps.errorf("smtp.auth", "auth none sends no credentials: remove username/password or choose basic")
		}
	case AuthBasic:
		if !s.Password.IsZero() && s.Username == "" {
			ps.errorf("smtp.username", "a password was given without a username")
		}
	case AuthMicrosoft:
		validateMicrosoft(ps, s)
	case AuthOAuth2:
		validateOAuth2(ps, s)
	}
	if s.Auth.IsOAuth() && !s.Password.IsZero() {
		ps.errorf("smtp.password", "OAuth methods use the client secret or certificate, not a password: remove smtp.password")
	}
	if !s.Auth.IsOAuth() && s.OAuth != nil {
		ps.warnf("smtp.oauth", "ignored: auth is %s", s.Auth)
	}
}

func validateMicrosoft(ps *problemSet, s *SMTP) {
	o := s.OAuth
	if !o.Cloud.Known() {
		ps.errorf("smtp.oauth.cloud", "unknown cloud %q: use global, usgov-gcchigh, usgov-dod or china", o.Cloud)
	} else {
		want := o.Cloud.SMTPHost()
		switch {
		case s.Server == want:
		case o.Cloud == CloudGlobal && s.Server == officeLegacy:
			ps.warnf("smtp.server", "%s is accepted, but Microsoft's published Exchange Online SMTP host is %s", officeLegacy, officeGlobal)
		default:
			ps.errorf("smtp.server", "Microsoft Modern Authentication in the %s cloud uses %s, not %q", o.Cloud, want, s.Server)
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
	if err := ValidateClientID(o.ClientID); err != nil {
		ps.errorf("smtp.oauth.client_id", "%v", err)
	}
	validateClientCredential(ps, s.Auth, o)
	validateMailbox(ps, s)
	if o.TokenURL != "" || o.Scope != "" {
		ps.warnf("smtp.oauth", "token_url and scope are derived from the cloud and tenant for microsoft-oauth; the given ones are ignored")
	}
	if o.Mechanism != "" && o.Mechanism != MechXOAuth2 {
		ps.errorf("smtp.oauth.mechanism", "Exchange Online offers only XOAUTH2")
	}
	validateExpiryField(ps, o)
}

func validateOAuth2(ps *problemSet, s *SMTP) {
	o := s.OAuth
	if err := ValidateTokenURL(o.TokenURL); err != nil {
		ps.errorf("smtp.oauth.token_url", "%v", err)
	}
	if strings.TrimSpace(o.ClientID) == "" {
		ps.errorf("smtp.oauth.client_id", "the client ID is required")
	}
	validateClientCredential(ps, s.Auth, o)
	validateMailbox(ps, s)
	switch o.Mechanism {
	case MechXOAuth2, MechOAuthBearer:
	default:
		ps.errorf("smtp.oauth.mechanism", "unknown mechanism %q: use xoauth2 or oauthbearer", o.Mechanism)
	}
	validateExpiryField(ps, o)
}

// validateClientCredential requires exactly one of the client secret and
// the client certificate, and checks the one given.
func validateClientCredential(ps *problemSet, auth AuthMethod, o *OAuth) {
	hasSecret, hasCert := !o.ClientSecret.IsZero(), o.ClientCertificate != ""
	switch {
	case hasSecret && hasCert:
		ps.errorf("smtp.oauth.client_certificate", "give either client_secret or client_certificate, not both: remove the one the app registration does not use")
	case hasCert:
		validateClientCertificate(ps, auth, o)
	default:
		validateClientSecret(ps, o)
	}
}

// validateClientCertificate loads the certificate file as the live check
// will: it must hold a certificate and its own private key, and the
// certificate must be valid today.
func validateClientCertificate(ps *problemSet, auth AuthMethod, o *OAuth) {
	const field = "smtp.oauth.client_certificate"
	c, err := LoadClientCertificate(o.ClientCertificate)
	if err != nil {
		ps.errorf(field, "%v", err)
		return
	}
	if p, ok := CertificateExpiry(c, time.Now()); ok {
		ps.add(p.Severity, field, "%s", p.Message)
	}
	if auth == AuthMicrosoft && !c.IsRSA() {
		ps.warnf(field, "the certificate has an ECDSA key: Microsoft Entra documents RSA certificates for app credentials and may refuse the assertion (AADSTS700027); use an RSA certificate if the check fails")
	}
	if o.ClientSecretExpires != "" {
		ps.warnf("smtp.oauth.client_secret_expires", "ignored with a certificate: its expiry is read from the certificate itself")
	}
}

func validateClientSecret(ps *problemSet, o *OAuth) {
	if o.ClientSecret.Value == "" {
		ps.errorf("smtp.oauth.client_secret", "the client secret (or a client_certificate) is required")
	} else if IsGUID(o.ClientSecret.Value) {
		ps.warnf("smtp.oauth.client_secret", "this looks like the secret's ID, not its value: copy the secret's Value column (shown once when it was created)")
	}
}

func validateMailbox(ps *problemSet, s *SMTP) {
	if s.Username == "" {
		ps.errorf("smtp.username", "the mailbox to send as is required for OAuth (the SMTP username)")
	} else if err := ValidateEmail(s.Username); err != nil && s.Auth == AuthMicrosoft {
		ps.errorf("smtp.username", "the Exchange mailbox: %v", err)
	}
}

func validateExpiryField(ps *problemSet, o *OAuth) {
	if err := ValidateExpiry(o.ClientSecretExpires); err != nil {
		ps.errorf("smtp.oauth.client_secret_expires", "%v", err)
	}
}

func validateUsers(ps *problemSet, u Users) {
	validateUser(ps, "users.admin", u.Admin)
	validateUser(ps, "users.support", u.Support)
	if u.Admin.Username != "" && strings.EqualFold(u.Admin.Username, u.Support.Username) {
		ps.errorf("users.support.username", "the support username must differ from the admin username (%s)", u.Admin.Username)
	}
}

func validateUser(ps *problemSet, path string, u UserAnswer) {
	if err := ValidateUsername(u.Username); err != nil {
		ps.errorf(path+".username", "%v", err)
	}
	if u.Keep && u.Password.Value == "" {
		return
	}
	if err := ValidatePassword(u.Username, u.Password.Value); err != nil {
		ps.errorf(path+".password", "%v", err)
	}
}

// ValidatePassword applies the password rules (length, character classes,
// not the username, not a common password).
func ValidatePassword(username, password string) error {
	if password == "" {
		return errRequired("a password is required")
	}
	if p := recovery.CheckPassword(username, password); len(p) > 0 {
		return errRequired(strings.Join(p, "; "))
	}
	return nil
}

// ValidateConfirm checks that the confirmation matches the password.
func ValidateConfirm(password, confirm string) error {
	if password != confirm {
		return errRequired("the passwords do not match")
	}
	return nil
}

type errRequired string

func (e errRequired) Error() string { return string(e) }

func indexPath(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

func parseDate(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }
