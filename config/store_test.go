package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func sampleSite(server string) *Site {
	return &Site{
		Version: Version,
		Written: Stamp{At: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC), By: "sitecfg test"},
		SMTP: SMTP{Enabled: true, Auth: AuthBasic, Server: server, Port: 587, Security: SecurityStartTLS,
			Username: "alerts@example.com", Password: Secret{Ref: "${SMTP_PASSWORD}"}, From: "alerts@example.com"},
		Emails: &Emails{UIAdmin: "a@example.com", UISupport: "s@example.com", AdmiralAlerts: "h@example.com"},
	}
}

func TestSaveLoadRoundTripBackupAndMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "site-config.yaml")
	l, err := Acquire(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	backup, err := l.Save(sampleSite("one.example.com"))
	if err != nil || backup != "" {
		t.Fatalf("first save: backup %q, err %v", backup, err)
	}
	backup, err = l.Save(sampleSite("two.example.com"))
	if err != nil || backup != path+".bak" {
		t.Fatalf("second save: backup %q, err %v", backup, err)
	}
	for _, p := range []string{path, path + ".bak"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %o, want 0600", p, fi.Mode().Perm())
		}
	}
	got, info, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.SMTP.Server != "two.example.com" || got.SMTP.Password.Ref != "${SMTP_PASSWORD}" || len(info.Migrations) != 0 {
		t.Errorf("loaded %+v %+v", got.SMTP, info)
	}
	old, _, err := Load(path + ".bak")
	if err != nil || old.SMTP.Server != "one.example.com" {
		t.Errorf("backup holds %v, %v", old, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestSecondRunIsLockedOut(t *testing.T) {
	path := filepath.Join(t.TempDir(), "site-config.yaml")
	l, err := Acquire(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Acquire(path, 50*time.Millisecond); !errors.Is(err, ErrLocked) {
		t.Fatalf("second acquire: %v, want ErrLocked", err)
	}
	l.Release()
	l2, err := Acquire(path, 0)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	l2.Release()
}

func TestLoadRefusesNewerAndBrokenFiles(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]struct {
		content string
		want    string
	}{
		"newer":   {"version: 2\nsmtp:\n  enabled: false\n", "newer sitecfg"},
		"broken":  {"version: 1\nsmtp: [unclosed\n", "not valid YAML"},
		"unknown": {"version: 1\nwritten: {at: 2026-01-01T00:00:00Z, by: x}\nsmtp:\n  enabled: false\nsurprise: 1\n", "surprise"},
		"garbage": {"\x00\x01\x02 not yaml: [", "YAML"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(dir, name+".yaml")
			if err := os.WriteFile(p, []byte(c.content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, _, err := Load(p)
			var fe *FormatError
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Load: %v, want a FormatError mentioning %q", err, c.want)
			}
			after, _ := os.ReadFile(p)
			if string(after) != c.content {
				t.Error("Load changed the file")
			}
		})
	}
	if _, _, err := Load(filepath.Join(dir, "missing.yaml")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestLegacyMigration(t *testing.T) {
	s, info, err := Load(filepath.Join("..", "testdata", "legacy", "pre-notifier-smtp.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if info.FromVersion != 0 || len(info.Migrations) == 0 {
		t.Fatalf("migration not reported: %+v", info)
	}
	if s.Version != Version || !s.SMTP.Enabled || s.SMTP.Server != "mail.example.com" || s.SMTP.Security != SecurityStartTLS || s.SMTP.Auth != AuthBasic {
		t.Errorf("smtp = %+v", s.SMTP)
	}
	if got := strings.Join(s.SMTP.DefaultRecipients, ","); got != "noc@example.com,oncall@example.com" {
		t.Errorf("recipients = %s", got)
	}
	if s.Emails.UIAdmin != "admin@example.com" || s.Emails.AdmiralAlerts != "cluster-health@example.com" {
		t.Errorf("emails = %+v", s.Emails)
	}
	a := s.Answers()
	a.ApplyDefaults()
	if ps := a.Validate(time.Now()); ps.HasErrors() {
		t.Errorf("migrated config is not valid: %v", ps.Error())
	}

	s, info, err = Load(filepath.Join("..", "testdata", "legacy", "pre-notifier-local.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if s.SMTP.Enabled || s.Users == nil || s.Users.Admin.Username != "siteadmin" || !strings.HasPrefix(s.Users.Admin.PasswordHash, "$argon2id$") {
		t.Errorf("local users not migrated: %+v", s.Users)
	}
	if !strings.Contains(strings.Join(info.Migrations, "\n"), "recovery codes") {
		t.Errorf("migration should say the admin has no recovery codes: %v", info.Migrations)
	}
}

func TestUpdateWritesNothingOnError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "site-config.yaml")
	l, _ := Acquire(path, 0)
	if _, err := l.Save(sampleSite("one.example.com")); err != nil {
		t.Fatal(err)
	}
	l.Release()
	before, _ := os.ReadFile(path)
	boom := errors.New("boom")
	if err := Update(path, time.Second, func(s *Site) error { s.SMTP.Server = "x"; return boom }); !errors.Is(err, boom) {
		t.Fatalf("Update: %v", err)
	}
	after, _ := os.ReadFile(path)
	if string(before) != string(after) {
		t.Error("file changed although fn failed")
	}
	if err := Update(path, time.Second, func(s *Site) error { s.SMTP.Port = 2525; return nil }); err != nil {
		t.Fatal(err)
	}
	s, _, _ := Load(path)
	if s.SMTP.Port != 2525 {
		t.Errorf("port = %d", s.SMTP.Port)
	}
}

var fixedNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
