package config

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sitecfg/internal/testkit"
)

// The client secret's recorded expiry and the certificate's own NotAfter
// are rules like any other: judged by Validate at the clock it is given,
// a warning from 30 days before and an error once past, each once, with
// its line:column in the answers file and the roll-over steps.
func TestExpiryRules(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	rk := testkit.RSAKey(t)
	dir := t.TempDir()
	secret := func(days int) string {
		return edit(msOn, "client_secret:", "client_secret: abc~Q8Q~realsecretvalue\n    client_secret_expires: "+now.AddDate(0, 0, days).Format(time.DateOnly))
	}
	cert := func(days int) string {
		notAfter := now.Add(time.Duration(days) * 24 * time.Hour)
		path := testkit.WriteFile(t, dir, fmt.Sprintf("c%d.pem", days), testkit.CertPEM(testkit.ClientCert(t, rk, notAfter.AddDate(-2, 0, 0), notAfter)), testkit.KeyPEM(t, rk, "RSA PRIVATE KEY"))
		return edit(msOn, "client_secret:", "client_certificate: "+path)
	}
	type credential struct {
		name  string
		yaml  func(days int) string
		field string
		roll  []string
	}
	credentials := []credential{
		{"secret", secret, "smtp.oauth.client_secret_expires", []string{"New client secret", "copy its Value", "delete the old secret"}},
		{"certificate", cert, "smtp.oauth.client_certificate", []string{"create a new certificate", "upload its public part",
			"Certificates & secrets → Certificates", "smtp.oauth.client_certificate", "re-run sitecfg check", "remove the old certificate"}},
	}
	for _, c := range credentials {
		for _, d := range []struct {
			days     int
			severity Severity // "" = nothing to say
			words    string
		}{
			{31, "", ""},
			{30, SeverityWarning, "in 30 days"},
			{1, SeverityWarning, "in 1 day"},
			{-1, SeverityError, "expired on"},
		} {
			t.Run(fmt.Sprintf("%s/%+d days", c.name, d.days), func(t *testing.T) {
				a, ps := ParseAnswers([]byte(c.yaml(d.days)), dir)
				a.ApplyDefaults()
				ps = append(ps, a.Validate(now)...)
				got := ps.For(c.field)
				if d.severity == "" {
					if len(got) != 0 {
						t.Fatalf("problems at %d days: %v", d.days, got)
					}
					return
				}
				if len(got) != 1 {
					t.Fatalf("want one problem at %d days, got %v (all: %v)", d.days, got, ps)
				}
				p := got[0]
				if p.Severity != d.severity || !strings.Contains(p.Message, d.words) {
					t.Errorf("problem = %+v, want %s %q", p, d.severity, d.words)
				}
				if p.Line == 0 || p.Column == 0 {
					t.Errorf("problem has no line:column: %+v", p)
				}
				for _, w := range c.roll {
					if !strings.Contains(p.Message, w) {
						t.Errorf("roll-over steps lack %q: %s", w, p.Message)
					}
				}
				o := a.SMTP.OAuth
				var left int
				var ok bool
				if c.name == "secret" {
					left, ok = o.SecretDaysLeft(now)
				} else {
					var cc *ClientCertificate
					cc, _ = LoadClientCertificate(o.ClientCertificate)
					left, ok = cc.DaysLeft(now), cc != nil
				}
				if !ok || left != d.days {
					t.Errorf("days left = %d %v, want %d", left, ok, d.days)
				}
			})
		}
	}
	t.Run("certificate ignores a secret expiry", func(t *testing.T) {
		y := edit(cert(90), "client_certificate:", "client_certificate: "+filepath.Join(dir, "c90.pem")+"\n    client_secret_expires: "+now.AddDate(0, 0, -5).Format(time.DateOnly))
		a, ps := ParseAnswers([]byte(y), dir)
		a.ApplyDefaults()
		ps = append(ps, a.Validate(now)...)
		if ps.HasErrors() {
			t.Errorf("errors: %v", ps.Errors())
		}
		if _, ok := a.SMTP.OAuth.SecretDaysLeft(now); ok {
			t.Error("a secret expiry counted although a certificate is used")
		}
	})
	t.Run("the clock decides", func(t *testing.T) {
		a, _ := ParseAnswers([]byte(secret(10)), dir)
		a.ApplyDefaults()
		if ps := a.Validate(now.AddDate(0, 0, 11)); !ps.HasErrors() {
			t.Error("a secret that expired by the given clock is not an error")
		}
		if ps := a.Validate(now.AddDate(0, 0, -30)); len(ps.For("smtp.oauth.client_secret_expires")) != 0 {
			t.Errorf("problems 40 days ahead of expiry: %v", ps)
		}
	})
}

// One definition of loopback: a name under .localhost is not loopback
// (it is resolved through DNS and may leave the machine), so the rules
// refuse an http:// token URL to it, as the live check does.
func TestLoopbackTokenURL(t *testing.T) {
	for url, ok := range map[string]bool{
		"http://127.0.0.1:8080/token":     true,
		"http://[::1]:8080/token":         true,
		"http://localhost:8080/token":     true,
		"http://LOCALHOST./token":         true,
		"http://idp.localhost:8080/token": false,
		"http://idp.example.com/token":    false,
		"https://idp.localhost/token":     true,
	} {
		err := ValidateTokenURL(url)
		if (err == nil) != ok {
			t.Errorf("%s: err = %v, want ok=%v", url, err, ok)
		}
	}
}

// A stored secret is kept on a re-run only when it still applies, with
// one comparison for every front end.
func TestKeepStored(t *testing.T) {
	prev := &Site{Version: Version, SMTP: SMTP{Enabled: true, Auth: AuthBasic, Username: "Alerts@Example.com", Password: Secret{Value: "stored"},
		OAuth: &OAuth{ClientSecret: Secret{Ref: "${OLD}", Value: "resolved"}}}}
	tests := []struct {
		name string
		smtp SMTP
		want string
	}{
		{"same username, other case", SMTP{Enabled: true, Auth: AuthBasic, Username: "alerts@example.com"}, "stored"},
		{"other username", SMTP{Enabled: true, Auth: AuthBasic, Username: "other@example.com"}, ""},
		{"new password typed", SMTP{Enabled: true, Auth: AuthBasic, Username: "alerts@example.com", Password: Secret{Value: "new"}}, "new"},
		{"oauth secret kept", SMTP{Enabled: true, Auth: AuthOAuth2, OAuth: &OAuth{}}, "${OLD}"},
		{"certificate replaces the secret", SMTP{Enabled: true, Auth: AuthMicrosoft, OAuth: &OAuth{ClientCertificate: "/x.pem"}}, ""},
		{"none keeps nothing", SMTP{Enabled: true, Auth: AuthNone}, ""},
	}
	// Issue 22, point 15: a stored reference that did not resolve (no
	// value) is not kept: the operator must give the secret.
	unresolved := *prev
	unresolved.SMTP.OAuth = &OAuth{ClientSecret: Secret{Ref: "${OLD}"}}
	a := &Answers{Version: Version, SMTP: SMTP{Enabled: true, Auth: AuthOAuth2, OAuth: &OAuth{}}}
	if a.KeepStored(&unresolved); !a.SMTP.OAuth.ClientSecret.IsZero() {
		t.Errorf("an unresolved reference was kept: %v", a.SMTP.OAuth.ClientSecret)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &Answers{Version: Version, SMTP: tt.smtp}
			a.KeepStored(prev)
			got := a.SMTP.Password.Stored()
			if a.SMTP.OAuth != nil {
				got = a.SMTP.OAuth.ClientSecret.Stored()
			}
			if got != tt.want {
				t.Errorf("kept %q, want %q", got, tt.want)
			}
		})
	}
}
