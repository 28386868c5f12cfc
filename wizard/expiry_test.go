package wizard

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sitecfg/config"
	"sitecfg/internal/testkit"
)

// writeClientCert writes a PEM file with a certificate valid until
// notAfter and its key, as an operator would give it.
func writeClientCert(t *testing.T, notAfter time.Time) string {
	t.Helper()
	key := testkit.RSAKey(t)
	c := testkit.ClientCert(t, key, notAfter.AddDate(-2, 0, 0), notAfter)
	return testkit.WriteFile(t, "", "client.pem", testkit.CertPEM(c), testkit.KeyPEM(t, key, "RSA PRIVATE KEY"))
}

// The client secret's recorded expiry and the certificate's own NotAfter
// warn from 30 days before and fail once past, with the roll-over steps.
func TestExpiryProblems(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	secret := func(days int) *config.OAuth {
		return &config.OAuth{ClientSecret: config.Secret{Value: "x"}, ClientSecretExpires: now.AddDate(0, 0, days).Format(time.DateOnly)}
	}
	cert := func(days int) *config.OAuth {
		return &config.OAuth{ClientCertificate: writeClientCert(t, now.Add(time.Duration(days)*24*time.Hour))}
	}
	type credential struct {
		name  string
		oauth func(days int) *config.OAuth
		field string
		roll  []string // the roll-over steps every problem carries
	}
	credentials := []credential{
		{"secret", secret, "smtp.oauth.client_secret_expires", []string{"New client secret", "copy its Value", "delete the old secret"}},
		{"certificate", cert, "smtp.oauth.client_certificate", []string{"create a new certificate", "upload its public part",
			"Certificates & secrets → Certificates", "smtp.oauth.client_certificate", "re-run sitecfg check", "remove the old certificate"}},
	}
	var tests []struct {
		credential
		days     int
		severity config.Severity // "" = nothing to say
		words    string
	}
	for _, c := range credentials {
		for _, d := range []struct {
			days     int
			severity config.Severity
			words    string
		}{
			{31, "", ""},
			{30, config.SeverityWarning, "in 30 days"},
			{1, config.SeverityWarning, "in 1 day"},
			{-1, config.SeverityError, "expired on"},
		} {
			tests = append(tests, struct {
				credential
				days     int
				severity config.Severity
				words    string
			}{c, d.days, d.severity, d.words})
		}
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%+d days", tt.name, tt.days), func(t *testing.T) {
			o := tt.oauth(tt.days)
			ps := ExpiryProblems(o, now)
			if tt.severity == "" {
				if len(ps) != 0 {
					t.Fatalf("problems at %d days: %v", tt.days, ps)
				}
				return
			}
			if len(ps) != 1 {
				t.Fatalf("want one problem at %d days, got %v", tt.days, ps)
			}
			p := ps[0]
			if p.Field != tt.field || p.Severity != tt.severity || !strings.Contains(p.Message, tt.words) {
				t.Errorf("problem = %+v, want %s %s %q", p, tt.field, tt.severity, tt.words)
			}
			for _, w := range tt.roll {
				if !strings.Contains(p.Message, w) {
					t.Errorf("roll-over steps lack %q: %s", w, p.Message)
				}
			}
			var days int
			var ok bool
			if tt.name == "secret" {
				days, ok = DaysLeft(o, now)
			} else {
				days, ok = CertificateDaysLeft(o, now)
			}
			if !ok || days != tt.days {
				t.Errorf("days left = %d %v, want %d", days, ok, tt.days)
			}
		})
	}
	t.Run("certificate ignores a secret expiry", func(t *testing.T) {
		o := cert(90)
		o.ClientSecretExpires = now.AddDate(0, 0, -5).Format(time.DateOnly)
		if ps := ExpiryProblems(o, now); len(ps) != 0 {
			t.Errorf("problems: %v", ps)
		}
	})
	t.Run("nothing recorded", func(t *testing.T) {
		for _, o := range []*config.OAuth{nil, {}, {ClientCertificate: filepath.Join(t.TempDir(), "gone.pem")}} {
			if ps := ExpiryProblems(o, now); len(ps) != 0 {
				t.Errorf("%+v: problems %v", o, ps)
			}
		}
		if _, ok := CertificateDaysLeft(&config.OAuth{}, now); ok {
			t.Error("days left without a certificate")
		}
	})
}
