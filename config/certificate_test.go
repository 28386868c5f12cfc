package config

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// testKeys are made once per test binary: RSA key generation is slow.
var testKeys = sync.OnceValues(func() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 2048) })

func rsaKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	k, err := testKeys()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func ecKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// selfSigned makes a certificate for key valid from notBefore to notAfter.
func selfSigned(t *testing.T, key crypto.Signer, notBefore, notAfter time.Time) *x509.Certificate {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "sitecfg SMTP"},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func certPEM(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

// keyPEM encodes key in one of the PEM forms operators meet.
func keyPEM(t *testing.T, key crypto.Signer, form string) []byte {
	t.Helper()
	var (
		der []byte
		err error
	)
	switch form {
	case "RSA PRIVATE KEY":
		der = x509.MarshalPKCS1PrivateKey(key.(*rsa.PrivateKey))
	case "EC PRIVATE KEY":
		der, err = x509.MarshalECPrivateKey(key.(*ecdsa.PrivateKey))
	default:
		der, err = x509.MarshalPKCS8PrivateKey(key)
	}
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: form, Bytes: der})
}

func writeFile(t *testing.T, dir, name string, parts ...[]byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// certFixtures are the client certificate files the rules table uses.
type certFixtures struct {
	valid, ecdsa, expired, soon, noKey, noCert, mismatch, encrypted, garbage string
}

func newCertFixtures(t *testing.T) certFixtures {
	t.Helper()
	dir := t.TempDir()
	now := time.Now()
	rk, ek := rsaKey(t), ecKey(t)
	good := selfSigned(t, rk, now.Add(-time.Hour), now.AddDate(1, 0, 0))
	return certFixtures{
		valid:    writeFile(t, dir, "valid.pem", certPEM(good), keyPEM(t, rk, "PRIVATE KEY")),
		ecdsa:    writeFile(t, dir, "ecdsa.pem", keyPEM(t, ek, "EC PRIVATE KEY"), certPEM(selfSigned(t, ek, now.Add(-time.Hour), now.AddDate(1, 0, 0)))),
		expired:  writeFile(t, dir, "expired.pem", certPEM(selfSigned(t, rk, now.AddDate(-1, 0, 0), now.Add(-48*time.Hour))), keyPEM(t, rk, "RSA PRIVATE KEY")),
		soon:     writeFile(t, dir, "soon.pem", certPEM(selfSigned(t, rk, now.Add(-time.Hour), now.Add(10*24*time.Hour))), keyPEM(t, rk, "RSA PRIVATE KEY")),
		noKey:    writeFile(t, dir, "nokey.pem", certPEM(good)),
		noCert:   writeFile(t, dir, "nocert.pem", keyPEM(t, rk, "PRIVATE KEY")),
		mismatch: writeFile(t, dir, "mismatch.pem", certPEM(good), keyPEM(t, ek, "PRIVATE KEY")),
		encrypted: writeFile(t, dir, "encrypted.pem", certPEM(good),
			pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte{0x30, 0}})),
		garbage: writeFile(t, dir, "garbage.pem", []byte("MIIB this is not PEM\n")),
	}
}

func TestLoadClientCertificateForms(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	rk, ek := rsaKey(t), ecKey(t)
	rc := selfSigned(t, rk, now.Add(-time.Hour), now.Add(90*24*time.Hour))
	ec := selfSigned(t, ek, now.Add(-time.Hour), now.Add(90*24*time.Hour))
	other := selfSigned(t, ecKey(t), now.Add(-time.Hour), now.Add(90*24*time.Hour))
	tests := []struct {
		name  string
		parts [][]byte
		want  *x509.Certificate
		rsa   bool
	}{
		{"rsa pkcs1", [][]byte{certPEM(rc), keyPEM(t, rk, "RSA PRIVATE KEY")}, rc, true},
		{"rsa pkcs8 key first", [][]byte{keyPEM(t, rk, "PRIVATE KEY"), certPEM(rc)}, rc, true},
		{"ec sec1", [][]byte{certPEM(ec), keyPEM(t, ek, "EC PRIVATE KEY")}, ec, false},
		{"ec pkcs8", [][]byte{certPEM(ec), keyPEM(t, ek, "PRIVATE KEY")}, ec, false},
		{"chain: the certificate matching the key is taken", [][]byte{certPEM(other), certPEM(ec), keyPEM(t, ek, "PRIVATE KEY")}, ec, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := LoadClientCertificate(writeFile(t, dir, "c.pem", tt.parts...))
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
	rk := rsaKey(t)
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
		c := selfSigned(t, rk, now.AddDate(-1, 0, 0), now.Add(tt.left))
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
		path := writeFile(t, dir, "answers.yaml", []byte(y))
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
