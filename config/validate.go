package config

import (
	"os"
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
		s.Auth = DefaultAuth
	}
	if r := rulesOf(s.Auth); r != nil {
		r.defaults(s)
	}
	if s.Security == "" {
		s.Security = SecurityStartTLS
	}
	if _, given := a.Pos["smtp.port"]; s.Port == 0 && !given {
		s.Port = s.Security.DefaultPort()
	}
	s.Server = NormalizeHost(s.Server)
	s.EHLOName = strings.TrimSpace(s.EHLOName)
	s.From = NormalizeEmail(s.From)
	s.DefaultRecipients = DedupeEmails(s.DefaultRecipients)
	a.Emails.UIAdmin = NormalizeEmail(a.Emails.UIAdmin)
	a.Emails.UISupport = NormalizeEmail(a.Emails.UISupport)
	a.Emails.AdmiralAlerts = NormalizeEmail(a.Emails.AdmiralAlerts)
}

// Validate applies every rule of the contract at now (expiry dates are
// judged against it) and returns all problems at once, errors and
// warnings, each with its field path (and its place in the answers file
// when the answers came from one). Call ApplyDefaults first. Every front
// end calls this one function; a question shows the problems it reports
// for its own field (Problems.For).
func (a *Answers) Validate(now time.Time) Problems {
	ps := &problemSet{pos: a.Pos}
	if a.Version != Version {
		ps.errorf("version", "version %d is not supported: this sitecfg reads version %d", a.Version, Version)
	}
	if a.SMTP.Enabled {
		validateEmails(ps, a.Emails)
		validateSMTP(ps, &a.SMTP, now)
	} else {
		validateUsers(ps, a.Users)
		if strings.TrimSpace(a.RecoveryCodesOut) == "" && !a.KeepCodes {
			ps.errorf("recovery_codes_out", "required when SMTP is off: the file the admin's recovery codes are written to")
		}
	}
	return a.hidden.scrub(ps.done())
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

func validateSMTP(ps *problemSet, s *SMTP, now time.Time) {
	rules := rulesOf(s.Auth)
	if rules == nil {
		ps.errorf("smtp.auth", "unknown auth method %q: use %s", s.Auth, methodChoices)
	}
	switch s.Security {
	case SecurityStartTLS, SecurityTLS, SecurityNone:
	default:
		ps.errorf("smtp.security", "unknown security %q: use starttls, tls or none", s.Security)
	}
	if err := ValidateServer(s.Server); err != nil {
		ps.errorf("smtp.server", "%v", err)
	}
	// A FIFO or a device would hang or flood the TLS step: refused here,
	// in every front end. (A missing file is the live check's to say.)
	if fi, err := os.Stat(s.CAFile); s.CAFile != "" && err == nil && !fi.Mode().IsRegular() {
		ps.errorf("smtp.ca_file", "%s is not a regular file: give the path of a PEM file", s.CAFile)
	} else {
		validateTrustedExpiry(ps, s, now)
	}
	if err := ValidatePort(s.Port); err != nil {
		ps.errorf("smtp.port", "%v", err)
	}
	if s.EHLOName != "" {
		if err := ValidateEHLOName(s.EHLOName); err != nil {
			ps.errorf("smtp.ehlo_name", "%v", err)
		} else if h := strings.ToLower(strings.TrimSuffix(s.EHLOName, ".")); h == "localhost" || strings.HasPrefix(h, "localhost.") || !strings.HasPrefix(h, "[") && !strings.Contains(h, ".") {
			ps.warnf("smtp.ehlo_name", "%q is not a fully qualified name of this machine: strict servers (Postfix's reject_non_fqdn_helo_hostname, many corporate relays) refuse it; leave it empty for the default", s.EHLOName)
		}
	}
	if err := refuseInvisible("the username", s.Username); err != nil {
		ps.errorf("smtp.username", "%v", err)
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
	if rules == nil {
		return
	}
	if s.Security == SecurityNone && rules.sendsCredentials(s) && s.Server != "" && !IsLoopback(s.Server) {
		ps.errorf("smtp.security", "security none would send credentials in clear text to %s: use starttls or tls (clear text is only allowed to a loopback address)", s.Server)
	}
	if s.Auth.IsOAuth() && s.OAuth == nil {
		s.OAuth = &OAuth{}
	}
	rules.validate(ps, s, now)
	if s.Auth.IsOAuth() && !s.Password.IsZero() {
		ps.errorf("smtp.password", "OAuth methods use the client secret or certificate, not a password: remove smtp.password")
	}
	if !s.Auth.IsOAuth() && s.OAuth != nil {
		ps.warnf("smtp.oauth", "ignored: auth is %s", s.Auth)
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

// FieldProblems applies every rule at now to a copy of a, as if it were
// final, and returns the errors about one field (and its children): what
// a question shows when one answer is given. A client certificate file is
// only read for its own field.
func (a *Answers) FieldProblems(field string, now time.Time) Problems {
	c := *a
	c.Pos = nil
	c.SMTP.DefaultRecipients = append([]string(nil), a.SMTP.DefaultRecipients...)
	if a.SMTP.OAuth != nil {
		o := *a.SMTP.OAuth
		if field != "smtp.oauth.client_certificate" && o.ClientCertificate != "" {
			o.ClientCertificate = ""
			o.ClientSecret = Secret{Value: "(certificate)"}
		}
		c.SMTP.OAuth = &o
	}
	c.ApplyDefaults()
	return c.Validate(now).For(field).Errors()
}
