package health

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sitecfg/config"
	"sitecfg/internal/testkit"
)

func oauthAnswers(expires string) *config.Answers {
	return &config.Answers{SMTP: config.SMTP{Enabled: true, Auth: config.AuthOAuth2, Server: "idp-smtp.example.com",
		OAuth: &config.OAuth{ClientID: "app", ClientSecret: config.Secret{Value: "Canary-Client-Secret-77"}, ClientSecretExpires: expires}}}
}

// The file parses back as the text exposition format with one sample per
// series, the values given, HELP and TYPE on each, mode 0644.
func TestWriteTextfile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sitecfg.prom")
	at := time.Date(2026, 11, 29, 6, 0, 0, 0, time.UTC)
	exp := time.Date(2026, 12, 10, 0, 0, 0, 0, time.UTC)
	m := Metrics{Success: true, Duration: 1500 * time.Millisecond, At: at, SMTPEnabled: true, ChangedOutside: true,
		Expiries: []Expiry{{Kind: KindClientSecret, At: exp, Date: "2026-12-09"}}}
	if err := m.WriteTextfile(file); err != nil {
		t.Fatal(err)
	}
	got := testkit.Textfile(t, file)
	want := map[string]float64{
		MetricSuccess: 1, MetricDuration: 1.5, MetricTimestamp: float64(at.Unix()), MetricChangedOutside: 1,
		MetricSMTPEnabled: 1, MetricExpiry + `{kind="client_secret"}`: float64(exp.Unix()),
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v (all: %v)", k, got[k], v, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("series: %v", got)
	}
	raw, _ := os.ReadFile(file)
	for _, name := range []string{MetricSuccess, MetricExpiry, MetricChangedOutside} {
		if !strings.Contains(string(raw), "# HELP "+name+" ") || !strings.Contains(string(raw), "# TYPE "+name+" gauge") {
			t.Errorf("no HELP/TYPE for %s:\n%s", name, raw)
		}
	}
	if fi, _ := os.Stat(file); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %o, want 0644", fi.Mode().Perm())
	}
	entries, _ := os.ReadDir(filepath.Dir(file))
	if len(entries) != 1 {
		t.Errorf("files left beside the textfile: %v", entries)
	}
}

func TestExpiries(t *testing.T) {
	x := Expiries(oauthAnswers("2026-12-09"))
	if len(x) != 1 || x[0].Kind != KindClientSecret || !x[0].At.Equal(time.Date(2026, 12, 10, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("expiries: %+v", x)
	}
	if d := x[0].DaysLeft(time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)); d != 10 {
		t.Errorf("days left %d, want 10", d)
	}
	if x := Expiries(oauthAnswers("")); x != nil {
		t.Errorf("no date, but %+v", x)
	}
}

func TestNotices(t *testing.T) {
	w := Where{Host: "node1", ConfigPath: "/etc/sitecfg/site-config.yaml"}
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	if ns := Notices(oauthAnswers("2027-06-30"), now, w); len(ns) != 0 {
		t.Errorf("far expiry earns a notice: %+v", ns)
	}
	ns := Notices(oauthAnswers("2026-12-09"), now, w)
	if len(ns) != 1 || ns[0].Key != "client_secret:2026-12-09" || !strings.Contains(ns[0].Subject, "expires on 2026-12-09, in 10 days") ||
		!strings.Contains(ns[0].Text, "sitecfg check --config /etc/sitecfg/site-config.yaml") {
		t.Fatalf("notices: %+v", ns)
	}
	basic := &config.Answers{SMTP: config.SMTP{Enabled: true, Auth: config.AuthBasic, Server: "smtp.office365.com",
		Username: "alerts@contoso.com", Password: config.Secret{Value: "Canary-Basic-Pw-1"}}}
	ns = Notices(basic, now, w)
	if len(ns) != 1 || ns[0].Key != KeyExchangeBasicAuth || !strings.Contains(ns[0].Text, "sitecfg guide microsoft") {
		t.Fatalf("basic auth against Exchange: %+v", ns)
	}
	basic.SMTP.Server = "mail.example.com"
	if ns := Notices(basic, now, w); len(ns) != 0 {
		t.Errorf("basic auth elsewhere earns a notice: %+v", ns)
	}
	subject, text := Message(append(Notices(oauthAnswers("2026-12-09"), now, w), ns...), w)
	for _, s := range []string{subject, text} {
		if strings.Contains(s, "Canary-") {
			t.Errorf("a secret in the notice: %s", s)
		}
	}
}

// A client certificate's expiry is read from the certificate itself.
func TestExpiriesOfACertificate(t *testing.T) {
	key := testkit.RSAKey(t)
	notAfter := time.Date(2026, 12, 20, 15, 4, 5, 0, time.UTC)
	cert := testkit.ClientCert(t, key, notAfter.AddDate(-1, 0, 0), notAfter)
	pemPath := testkit.WriteFile(t, t.TempDir(), "client.pem", testkit.CertPEM(cert), testkit.KeyPEM(t, key, "RSA PRIVATE KEY"))
	a := oauthAnswers("")
	a.SMTP.OAuth.ClientSecret, a.SMTP.OAuth.ClientCertificate = config.Secret{}, pemPath
	x := Expiries(a)
	if len(x) != 1 || x[0].Kind != KindClientCertificate || !x[0].At.Equal(notAfter) || x[0].Date != "2026-12-20" {
		t.Fatalf("expiries: %+v", x)
	}
	ns := Notices(a, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Where{Host: "node1", ConfigPath: "c.yaml"})
	if len(ns) != 1 || ns[0].Key != "client_certificate:2026-12-20" || !strings.Contains(ns[0].Text, "upload its public part") {
		t.Errorf("notices: %+v", ns)
	}
}
