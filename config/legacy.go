package config

import (
	"bytes"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// legacySite is the pre-notifier layout (schema "version 0"): a flat file
// with no version key, written by the installer before sitecfg existed.
// The sample in testdata/legacy/ shows it.
type legacySite struct {
	MailEnabled     bool   `yaml:"mail_enabled"`
	SMTPHost        string `yaml:"smtp_host"`
	SMTPPort        int    `yaml:"smtp_port"`
	SMTPSSL         bool   `yaml:"smtp_ssl"`
	SMTPStartTLS    *bool  `yaml:"smtp_starttls"`
	SMTPUser        string `yaml:"smtp_user"`
	SMTPPassword    string `yaml:"smtp_password"`
	MailFrom        string `yaml:"mail_from"`
	AlertRecipients string `yaml:"alert_recipients"`
	AdminEmail      string `yaml:"admin_email"`
	SupportEmail    string `yaml:"support_email"`
	HealthEmail     string `yaml:"health_email"`
	AdminUser       string `yaml:"admin_user"`
	AdminHash       string `yaml:"admin_password_hash"`
	SupportUser     string `yaml:"support_user"`
	SupportHash     string `yaml:"support_password_hash"`
}

// migrateLegacy converts the pre-notifier layout, describing each change.
func migrateLegacy(data []byte) (*Site, *Loaded, error) {
	var l legacySite
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&l); err != nil {
		return nil, nil, fmt.Errorf("no version key, and not the pre-notifier layout either: %w", yamlError(err))
	}
	info := &Loaded{FromVersion: 0}
	note := func(format string, args ...any) {
		info.Migrations = append(info.Migrations, fmt.Sprintf(format, args...))
	}
	note("migrated from the pre-notifier layout (no version) to version %d", Version)
	s := &Site{Version: Version, Written: Stamp{By: "pre-notifier installer"}}
	if l.MailEnabled {
		sec := SecurityStartTLS
		switch {
		case l.SMTPSSL:
			sec = SecurityTLS
			note("smtp_ssl: true → smtp.security: tls")
		case l.SMTPStartTLS != nil && !*l.SMTPStartTLS:
			sec = SecurityNone
			note("smtp_starttls: false → smtp.security: none")
		default:
			note("smtp_starttls → smtp.security: starttls")
		}
		auth := AuthNone
		if l.SMTPUser != "" {
			auth = AuthBasic
		}
		note("smtp.auth set to %s (the old layout had no auth method)", auth)
		s.SMTP = SMTP{
			Enabled:  true,
			Auth:     auth,
			Server:   NormalizeHost(l.SMTPHost),
			Port:     l.SMTPPort,
			Security: sec,
			Username: l.SMTPUser,
			Password: secretFromStored(l.SMTPPassword),
			From:     NormalizeEmail(l.MailFrom),
		}
		if s.SMTP.Port == 0 {
			s.SMTP.Port = sec.DefaultPort()
			note("smtp.port was empty: set to %d", s.SMTP.Port)
		}
		if l.AlertRecipients != "" {
			s.SMTP.DefaultRecipients = ParseRecipients(l.AlertRecipients)
			note("alert_recipients %q → smtp.default_recipients (%d addresses)", l.AlertRecipients, len(s.SMTP.DefaultRecipients))
		}
		s.Emails = &Emails{
			UIAdmin:       NormalizeEmail(l.AdminEmail),
			UISupport:     NormalizeEmail(l.SupportEmail),
			AdmiralAlerts: NormalizeEmail(l.HealthEmail),
		}
		note("admin_email, support_email, health_email → emails.ui_admin, emails.ui_support, emails.admiral_alerts (lower-cased)")
		if strings.ToLower(l.HealthEmail) != s.Emails.AdmiralAlerts || strings.ToLower(l.AdminEmail) != s.Emails.UIAdmin {
			note("email addresses trimmed")
		}
	} else {
		s.SMTP = SMTP{Enabled: false}
	}
	if l.AdminUser != "" || l.SupportUser != "" {
		s.Users = &Accounts{}
		if l.AdminUser != "" {
			s.Users.Admin = &Account{Username: l.AdminUser, PasswordHash: l.AdminHash}
			note("admin_user → users.admin (no recovery codes yet: generate them)")
		}
		if l.SupportUser != "" {
			s.Users.Support = &Account{Username: l.SupportUser, PasswordHash: l.SupportHash}
			note("support_user → users.support")
		}
	}
	return s, info, nil
}

func secretFromStored(v string) Secret {
	var s Secret
	if IsRef(v) {
		s.Ref = v
	} else {
		s.Value = v
	}
	return s
}
