package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sitecfg/config"
)

func openFile(t *testing.T, content string) *Run {
	t.Helper()
	path := filepath.Join(t.TempDir(), "site-config.yaml")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path, Options{Now: func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func kinds(cs []Change) map[string]Change {
	m := map[string]Change{}
	for _, c := range cs {
		m[c.Field] = c
	}
	return m
}

// The review lists what the write changes by itself, not only what was
// typed: a Microsoft 365 config saved with 465/tls is written with
// 587/starttls, and an upper-case address is lower-cased.
func TestChangesShowNormalisation(t *testing.T) {
	r := openFile(t, `version: 1
written: {at: 2026-01-01T00:00:00Z, by: hand}
smtp:
  enabled: true
  auth: microsoft-oauth
  server: smtp.office365.com
  port: 465
  security: tls
  username: alerts@contoso.com
  password: ""
  from: Alerts@Contoso.com
  oauth:
    cloud: global
    tenant_id: contoso.onmicrosoft.com
    client_id: aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee
    client_secret: abc~Q8Q~realsecretvalue
emails: {ui_admin: admin@contoso.com, ui_support: support@contoso.com, admiral_alerts: health@contoso.com}
`)
	a := r.Prev.Answers()
	// What a re-run's form does for Microsoft 365: the cloud fixes the
	// endpoint.
	a.SMTP.Port, a.SMTP.Security = 587, config.SecurityStartTLS
	a.SMTP.OAuth.ClientSecret = config.Secret{} // left empty: kept
	a.ApplyDefaults()
	got := kinds(r.Changes(a, false))
	for field, want := range map[string][2]string{"smtp.port": {"465", "587"}, "smtp.security": {"tls", "starttls"}, "smtp.from": {"Alerts@Contoso.com", "alerts@contoso.com"}} {
		if c, ok := got[field]; !ok || c.Kind != Changed || c.Old != want[0] || c.New != want[1] {
			t.Errorf("%s: %+v, want %s → %s", field, c, want[0], want[1])
		}
	}
	if _, ok := got["smtp.oauth.client_secret"]; ok {
		t.Errorf("a kept secret shows as a change: %+v", got["smtp.oauth.client_secret"])
	}
	if c := got["smtp.oauth.mechanism"]; c.Kind != Added || c.New != "xoauth2" {
		t.Errorf("the mechanism the write adds: %+v", c)
	}
	if len(got) != 4 {
		t.Errorf("changes: %+v", got)
	}
}

// A file in the pre-notifier layout is migrated on write: the review
// shows the old keys going and the new ones coming.
func TestChangesShowMigration(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "testdata", "legacy", "pre-notifier-smtp.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	r := openFile(t, string(b))
	if len(r.Migrations()) == 0 {
		t.Fatal("the legacy file was not migrated")
	}
	a := r.Prev.Answers()
	a.ApplyDefaults()
	got := kinds(r.Changes(a, false))
	added, removed := 0, 0
	for _, c := range got {
		switch c.Kind {
		case Added:
			added++
		case Removed:
			removed++
		}
	}
	if added == 0 || removed == 0 {
		t.Errorf("migration not shown: %+v", got)
	}
	if c, ok := got["version"]; !ok || c.Kind != Added || c.New != "1" {
		t.Errorf("version: %+v", c)
	}
	if c := got["smtp_password"]; c.Kind != Removed || c.Old != MaskStored {
		t.Errorf("the legacy password key: %+v", c)
	}
	for _, c := range got {
		if strings.Contains(c.Old+c.New, "legacy-smtp-pass") {
			t.Errorf("%s shows the legacy password: %+v", c.Field, c)
		}
	}
}

// Secrets, hashes and codes are masked; a new password and new codes show
// as changed without their values.
func TestChangesMaskSecrets(t *testing.T) {
	r := openFile(t, `version: 1
written: {at: 2026-01-01T00:00:00Z, by: hand}
smtp:
  enabled: true
  auth: basic
  server: mail.example.com
  port: 587
  security: starttls
  username: alerts@example.com
  password: Old-Relay-Secret-1
  from: alerts@example.com
emails: {ui_admin: admin@example.com, ui_support: support@example.com, admiral_alerts: health@example.com}
`)
	a := r.Prev.Answers()
	a.SMTP.Password = config.Secret{Value: "New-Relay-Secret-2"}
	a.ApplyDefaults()
	cs := r.Changes(a, false)
	c := kinds(cs)["smtp.password"]
	if c.Kind != Changed || c.Old != MaskStored || c.New != MaskNew {
		t.Errorf("smtp.password: %+v", c)
	}
	off := r.Prev.Answers()
	off.SMTP.Enabled = false
	off.Users = config.Users{Admin: config.UserAnswer{Username: "siteadmin", Password: config.Secret{Value: "Adm1n-Secret!x"}},
		Support: config.UserAnswer{Username: "csupport", Password: config.Secret{Value: "Supp0rt-Secret!y"}}}
	cs = append(cs, r.Changes(off, true)...)
	got := kinds(r.Changes(off, true))
	if got["users.admin.recovery_codes"].New != MaskNew || got["users.admin.password_hash"].New != MaskNew || got["smtp.server"].Kind != Removed {
		t.Errorf("SMTP off: %+v", got)
	}
	for _, c := range cs {
		for _, secret := range []string{"Old-Relay-Secret-1", "New-Relay-Secret-2", "Adm1n-Secret!x", "Supp0rt-Secret!y"} {
			if strings.Contains(c.Old+c.New, secret) {
				t.Errorf("%s shows a secret: %+v", c.Field, c)
			}
		}
	}
}
