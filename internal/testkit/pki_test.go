package testkit

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"testing"
	"time"
)

// The CA's server certificates verify for the loopback names against the
// CA's pool and its PEM file; a self-signed one does not, and dates are
// as asked.
func TestCAServerCert(t *testing.T) {
	ca := TestCA(t)
	if ca != TestCA(t) || ca.Cert.Subject.CommonName != "sitecfg test CA" {
		t.Fatalf("TestCA = %v, want one shared sitecfg test CA", ca.Cert.Subject)
	}
	b, err := os.ReadFile(CAFile(t, ca))
	if err != nil {
		t.Fatal(err)
	}
	fromFile := x509.NewCertPool()
	if !fromFile.AppendCertsFromPEM(b) {
		t.Fatal("the CA file holds no certificate")
	}
	good := MustServerCert(t, ca, ServerCertOptions{})
	for _, name := range []string{"127.0.0.1", "::1", "localhost"} {
		for _, pool := range []*x509.CertPool{ca.Pool(), fromFile} {
			if _, err := good.Leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: name}); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
	}
	if _, err := good.Leaf.Verify(x509.VerifyOptions{Roots: ca.Pool(), DNSName: "mail.example.org"}); err == nil {
		t.Error("the default certificate verifies for mail.example.org")
	}
	self, err := SelfSignedServerCert(ServerCertOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := self.Leaf.Verify(x509.VerifyOptions{Roots: ca.Pool(), DNSName: "localhost"}); err == nil {
		t.Error("a self-signed certificate verifies against the CA")
	}
	from, to := time.Now().Add(-48*time.Hour).Truncate(time.Second), time.Now().Add(-24*time.Hour).Truncate(time.Second)
	expired := MustServerCert(t, ca, ServerCertOptions{NotBefore: from, NotAfter: to})
	if !expired.Leaf.NotBefore.Equal(from) || !expired.Leaf.NotAfter.Equal(to) {
		t.Errorf("validity %v – %v, want %v – %v", expired.Leaf.NotBefore, expired.Leaf.NotAfter, from, to)
	}
}

// Client certificates and keys come out in the PEM forms asked for, and
// WriteFile puts them in one private file.
func TestClientCertPEM(t *testing.T) {
	rk := RSAKey(t)
	notAfter := time.Now().AddDate(0, 0, 10).Truncate(time.Second)
	c := ClientCert(t, rk, time.Now().Add(-time.Hour), notAfter)
	if !c.NotAfter.Equal(notAfter) || c.Subject.CommonName != "sitecfg SMTP" {
		t.Errorf("certificate %v until %v", c.Subject, c.NotAfter)
	}
	path := WriteFile(t, "", "client.pem", CertPEM(c), KeyPEM(t, rk, "RSA PRIVATE KEY"), KeyPEM(t, ECKey(t), "EC PRIVATE KEY"), KeyPEM(t, rk, "PRIVATE KEY"))
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", fi.Mode())
	}
	rest, _ := os.ReadFile(path)
	var types []string
	for {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		types = append(types, b.Type)
	}
	if got := fmt.Sprint(types); got != "[CERTIFICATE RSA PRIVATE KEY EC PRIVATE KEY PRIVATE KEY]" {
		t.Errorf("blocks = %s", got)
	}
}
