package pipeline

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sitecfg/config"
)

// writeClientCert writes a PEM file with an RSA certificate valid until
// notAfter and its key.
func writeClientCert(t *testing.T, notAfter time.Time) string {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "sitecfg SMTP"},
		NotBefore: notAfter.AddDate(-2, 0, 0), NotAfter: notAfter}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	b := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	b = append(b, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})...)
	path := filepath.Join(t.TempDir(), "client.pem")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// The live check's settings carry the loaded certificate; a file that
// has gone is reported on its field.
func TestCertificateCheckSettings(t *testing.T) {
	o := &config.OAuth{Cloud: config.CloudGlobal, TenantID: "t", ClientID: "c", ClientCertificate: writeClientCert(t, time.Now().AddDate(1, 0, 0))}
	a := &config.Answers{SMTP: config.SMTP{Enabled: true, Auth: config.AuthMicrosoft, Server: "smtp.office365.com", Port: 587, OAuth: o}}
	cs, err := CheckSettings(a, false)
	if err != nil || cs.ClientCertificate == nil || cs.ClientKey == nil || cs.ClientSecret != "" || cs.TokenURL == "" {
		t.Errorf("settings = %+v, err = %v", cs, err)
	}
	o.ClientCertificate += ".gone"
	if _, err := CheckSettings(a, false); err == nil || !strings.Contains(err.Error(), "smtp.oauth.client_certificate") {
		t.Errorf("err = %v", err)
	}
}

// A test message goes to the default recipients, or to the Admiral alert
// address when there are none.
func TestTestRecipients(t *testing.T) {
	a := &config.Answers{SMTP: config.SMTP{Enabled: true}, Emails: config.Emails{AdmiralAlerts: "health@example.com"}}
	if got := TestRecipients(a); len(got) != 1 || got[0] != "health@example.com" {
		t.Errorf("no recipients: %v", got)
	}
	a.SMTP.DefaultRecipients = []string{"noc@example.com"}
	if cs, _ := CheckSettings(a, true); len(cs.Recipients) != 1 || cs.Recipients[0] != "noc@example.com" {
		t.Errorf("recipients: %v", cs.Recipients)
	}
}
