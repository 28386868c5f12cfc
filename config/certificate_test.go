package config

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sitecfg/internal/testkit"
)

// certFixtures are the client certificate files the rules table uses.
type certFixtures struct {
	valid, ecdsa, expired, soon, noKey, noCert, mismatch, encrypted, garbage string
}

func newCertFixtures(t *testing.T) certFixtures {
	t.Helper()
	dir := t.TempDir()
	now := time.Now()
	rk, ek := testkit.RSAKey(t), testkit.ECKey(t)
	good := testkit.ClientCert(t, rk, now.Add(-time.Hour), now.AddDate(1, 0, 0))
	return certFixtures{
		valid:    testkit.WriteFile(t, dir, "valid.pem", testkit.CertPEM(good), testkit.KeyPEM(t, rk, "PRIVATE KEY")),
		ecdsa:    testkit.WriteFile(t, dir, "ecdsa.pem", testkit.KeyPEM(t, ek, "EC PRIVATE KEY"), testkit.CertPEM(testkit.ClientCert(t, ek, now.Add(-time.Hour), now.AddDate(1, 0, 0)))),
		expired:  testkit.WriteFile(t, dir, "expired.pem", testkit.CertPEM(testkit.ClientCert(t, rk, now.AddDate(-1, 0, 0), now.Add(-48*time.Hour))), testkit.KeyPEM(t, rk, "RSA PRIVATE KEY")),
		soon:     testkit.WriteFile(t, dir, "soon.pem", testkit.CertPEM(testkit.ClientCert(t, rk, now.Add(-time.Hour), now.Add(10*24*time.Hour))), testkit.KeyPEM(t, rk, "RSA PRIVATE KEY")),
		noKey:    testkit.WriteFile(t, dir, "nokey.pem", testkit.CertPEM(good)),
		noCert:   testkit.WriteFile(t, dir, "nocert.pem", testkit.KeyPEM(t, rk, "PRIVATE KEY")),
		mismatch: testkit.WriteFile(t, dir, "mismatch.pem", testkit.CertPEM(good), testkit.KeyPEM(t, ek, "PRIVATE KEY")),
		encrypted: testkit.WriteFile(t, dir, "encrypted.pem", testkit.CertPEM(good),
			pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte{0x30, 0}})),
		garbage: testkit.WriteFile(t, dir, "garbage.pem", []byte("MIIB this is not PEM\n")),
	}
}

func TestLoadClientCertificateForms(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	rk, ek := testkit.RSAKey(t), testkit.ECKey(t)
	rc := testkit.ClientCert(t, rk, now.Add(-time.Hour), now.Add(90*24*time.Hour))
	ec := testkit.ClientCert(t, ek, now.Add(-time.Hour), now.Add(90*24*time.Hour))
	other := testkit.ClientCert(t, testkit.ECKey(t), now.Add(-time.Hour), now.Add(90*24*time.Hour))
	tests := []struct {
		name  string
		parts [][]byte
		want  *x509.Certificate
		rsa   bool
	}{
		{"rsa pkcs1", [][]byte{testkit.CertPEM(rc), testkit.KeyPEM(t, rk, "RSA PRIVATE KEY")}, rc, true},
		{"rsa pkcs8 key first", [][]byte{testkit.KeyPEM(t, rk, "PRIVATE KEY"), testkit.CertPEM(rc)}, rc, true},
		{"ec sec1", [][]byte{testkit.CertPEM(ec), testkit.KeyPEM(t, ek, "EC PRIVATE KEY")}, ec, false},
		{"ec pkcs8", [][]byte{testkit.CertPEM(ec), testkit.KeyPEM(t, ek, "PRIVATE KEY")}, ec, false},
		{"chain: the certificate matching the key is taken", [][]byte{testkit.CertPEM(other), testkit.CertPEM(ec), testkit.KeyPEM(t, ek, "PRIVATE KEY")}, ec, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := LoadClientCertificate(testkit.WriteFile(t, dir, "c.pem", tt.parts...))
			if err != nil {
				t.Fatal(err)
			}
			if !c.Cert.Equal(tt.want) || !c.NotAfter.Equal(tt.want.NotAfter) || c.IsRSA() != tt.rsa {
				t.Errorf("loaded %v (rsa %v), want %v", c.Cert.Subject, c.IsRSA(), tt.want.Subject)
			}
		})
	}

	f := newCertFixtures(t)
	for _, tt := range []struct {
		path string
		want error
		text string
	}{
		{f.noKey, ErrNoPrivateKey, "no private key"},
		{f.noCert, ErrNoCertificate, "no certificate"},
		{f.mismatch, ErrKeyMismatch, "does not belong"},
		{f.encrypted, nil, "encrypted"},
		{f.garbage, nil, "not a PEM file"},
		{filepath.Join(dir, "missing.pem"), nil, "cannot read"},
	} {
		_, err := LoadClientCertificate(tt.path)
		if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) || !strings.Contains(err.Error(), tt.text) {
			t.Errorf("%s: err = %v, want %q", filepath.Base(tt.path), err, tt.text)
		}
		if err != nil && strings.Contains(err.Error(), "MII") {
			t.Errorf("error quotes the file's contents: %v", err)
		}
	}
}

func TestCertificateExpiryDays(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	rk := testkit.RSAKey(t)
	for _, tt := range []struct {
		left     time.Duration
		days     int
		severity Severity // "" = no problem
	}{
		{31 * 24 * time.Hour, 31, ""},
		{30 * 24 * time.Hour, 30, SeverityWarning},
		{24 * time.Hour, 1, SeverityWarning},
		{time.Hour, 0, SeverityWarning},
		{-time.Hour, -1, SeverityError},
		{-24 * time.Hour, -1, SeverityError},
		{-25 * time.Hour, -2, SeverityError},
	} {
		c := testkit.ClientCert(t, rk, now.AddDate(-1, 0, 0), now.Add(tt.left))
		cc := &ClientCertificate{Cert: c, Key: rk, NotAfter: c.NotAfter}
		if got := cc.DaysLeft(now); got != tt.days {
			t.Errorf("%v left: DaysLeft = %d, want %d", tt.left, got, tt.days)
		}
		p, ok := CertificateExpiry(cc, now)
		if ok != (tt.severity != "") || p.Severity != tt.severity {
			t.Errorf("%v left: problem %+v, want severity %q", tt.left, p, tt.severity)
		}
		if ok && (p.Field != "smtp.oauth.client_certificate" || !strings.Contains(p.Message, "Certificates & secrets")) {
			t.Errorf("%v left: %+v lacks its field or the roll-over steps", tt.left, p)
		}
	}
}

func TestClientCertificatePathRelativeToAnswers(t *testing.T) {
	f := newCertFixtures(t)
	dir := filepath.Dir(f.valid)
	for _, v := range []string{"valid.pem", "file:valid.pem", "${SITECFG_TEST_CERT}"} {
		t.Setenv("SITECFG_TEST_CERT", "valid.pem")
		y := edit(msOn, "client_secret:", "client_certificate: "+v)
		path := testkit.WriteFile(t, dir, "answers.yaml", []byte(y))
		a, ps, err := LoadAnswers(path)
		if err != nil {
			t.Fatal(err)
		}
		a.ApplyDefaults()
		ps = append(ps, a.Validate(time.Now())...)
		if ps.HasErrors() {
			t.Fatalf("%s: %v", v, ps.Error())
		}
		if got := a.SMTP.OAuth.ClientCertificate; got != f.valid {
			t.Errorf("%s: client_certificate = %q, want %q", v, got, f.valid)
		}
	}
	_, ps := ParseAnswers([]byte(edit(msOn, "client_secret:", `client_certificate: "-----BEGIN CERTIFICATE-----"`)), dir)
	if len(ps.Errors().For("smtp.oauth.client_certificate")) == 0 {
		t.Errorf("PEM contents accepted as a path: %v", ps)
	}
}

func TestExportClientCertificate(t *testing.T) {
	f := newCertFixtures(t)
	a, ps := check(t, edit(msOn, "client_secret:", "client_certificate: "+f.valid))
	if ps.HasErrors() {
		t.Fatal(ps.Error())
	}
	site := a.Build(nil, time.Now(), "test")
	if site.SMTP.OAuth.ClientCertificate != f.valid {
		t.Fatalf("site stores %q", site.SMTP.OAuth.ClientCertificate)
	}
	out, err := Export(site)
	if err != nil {
		t.Fatal(err)
	}
	key, _ := os.ReadFile(f.valid)
	block, _ := pem.Decode(key[strings.Index(string(key), "-----BEGIN PRIVATE KEY"):])
	s := string(out)
	if !strings.Contains(s, "client_certificate: "+f.valid) {
		t.Errorf("export lacks the certificate path:\n%s", s)
	}
	if strings.Contains(s, "PRIVATE KEY") || strings.Contains(s, "BEGIN CERTIFICATE") || strings.Contains(s, "client_secret") ||
		strings.Contains(s, string(pem.EncodeToMemory(block))[28:90]) {
		t.Errorf("export shows key material or a secret:\n%s", s)
	}
	// The export is itself valid answers.
	b, ps := ParseAnswers(out, "")
	b.ApplyDefaults()
	if ps = append(ps, b.Validate(time.Now())...); ps.HasErrors() {
		t.Errorf("exported answers: %v", ps.Error())
	}
}

// A re-run that switches from a secret to a certificate drops the stored
// secret instead of keeping it.
func TestBuildCertificateReplacesStoredSecret(t *testing.T) {
	f := newCertFixtures(t)
	a, _ := check(t, msOn)
	prev := a.Build(nil, time.Now(), "test")
	b, ps := check(t, edit(msOn, "client_secret:", "client_certificate: "+f.valid))
	if ps.HasErrors() {
		t.Fatal(ps.Error())
	}
	s := b.Build(prev, time.Now(), "test")
	if !s.SMTP.OAuth.ClientSecret.IsZero() || s.SMTP.OAuth.ClientCertificate != f.valid {
		t.Errorf("oauth = %+v", s.SMTP.OAuth)
	}
}
