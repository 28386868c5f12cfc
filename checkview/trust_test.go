package checkview

import (
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"

	"sitecfg/internal/testpki"
	"sitecfg/smtpauth"
)

func TestTrust(t *testing.T) {
	cert, err := testpki.SelfSignedServerCert(testpki.ServerCertOptions{CommonName: "relay.example.net"})
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(cert.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	if NewTrust(&smtpauth.Diagnosis{Code: smtpauth.CodeCertWrongHost, Chain: []*x509.Certificate{leaf}}) != nil {
		t.Error("a certificate for the wrong host is offered for trust")
	}
	if NewTrust(&smtpauth.Diagnosis{Code: smtpauth.CodeCertSelfSigned}) != nil {
		t.Error("an offer without a chain")
	}
	tr := NewTrust(&smtpauth.Diagnosis{Code: smtpauth.CodeCertSelfSigned, Chain: []*x509.Certificate{leaf}})
	if tr == nil || tr.Anchor != leaf {
		t.Fatalf("offer %+v", tr)
	}
	fp := tr.Fingerprint()
	if len(fp) != 95 || strings.ToUpper(fp) != fp || strings.Count(fp, ":") != 31 {
		t.Errorf("fingerprint %q is not openssl's form", fp)
	}
	if l := tr.FingerprintLines(); l[0]+":"+l[1] != fp {
		t.Errorf("fingerprint lines %q", l)
	}
	lines := strings.Join(tr.Lines(), "\n")
	for _, want := range []string{"the server's certificate: CN=relay.example.net", "self-signed", "localhost, 127.0.0.1"} {
		if !strings.Contains(lines, want) {
			t.Errorf("lines lack %q:\n%s", want, lines)
		}
	}
	b, _ := pem.Decode(tr.PEM())
	if b == nil || b.Type != "CERTIFICATE" || string(b.Bytes) != string(leaf.Raw) {
		t.Error("PEM is not the anchor")
	}
}
