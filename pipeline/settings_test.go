package pipeline

import (
	"strings"
	"testing"
	"time"

	"sitecfg/config"
	"sitecfg/internal/testkit"
)

// writeClientCert writes a PEM file with an RSA certificate valid until
// notAfter and its key.
func writeClientCert(t *testing.T, notAfter time.Time) string {
	t.Helper()
	key := testkit.RSAKey(t)
	c := testkit.ClientCert(t, key, notAfter.AddDate(-2, 0, 0), notAfter)
	return testkit.WriteFile(t, "", "client.pem", testkit.CertPEM(c), testkit.KeyPEM(t, key, "RSA PRIVATE KEY"))
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

// The envelope names every address the cluster will mail, once, with the
// field it came from; the EHLO name is passed on as given.
func TestEnvelopeAndEHLOSettings(t *testing.T) {
	a := &config.Answers{SMTP: config.SMTP{Enabled: true, Auth: config.AuthNone, Server: "relay.example.com", Port: 25,
		From: "alerts@example.com", EHLOName: "node1.example.com", DefaultRecipients: []string{"noc@example.com", "admin@example.com"}},
		Emails: config.Emails{UIAdmin: "admin@example.com", UISupport: "support@example.com", AdmiralAlerts: "health@example.com"}}
	cs, err := CheckSettings(a, false)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range cs.Envelope {
		got = append(got, e.Addr+"="+e.Field)
	}
	want := "noc@example.com=smtp.default_recipients[0] admin@example.com=smtp.default_recipients[1] support@example.com=emails.ui_support health@example.com=emails.admiral_alerts"
	if strings.Join(got, " ") != want {
		t.Errorf("envelope = %s\nwant       %s", strings.Join(got, " "), want)
	}
	if cs.EHLOName != "node1.example.com" || cs.From != "alerts@example.com" || cs.SendTest || cs.Recipients != nil {
		t.Errorf("settings = %+v", cs)
	}
}
