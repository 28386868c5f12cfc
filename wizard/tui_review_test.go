package wizard

import (
	"testing"

	"sitecfg/config"
)

// The review's rules look at files (the CA file, the client certificate):
// they run as a command, not in Update. The review opens with what they
// found, and a key typed before it opened is kept for it.
func TestReviewChecksFilesAsCommand(t *testing.T) {
	t.Parallel()
	d := newDriver(t, TUIOptions{})
	now := d.m.deps.Now()
	a := &d.m.st.Answers
	a.SMTP = config.SMTP{Enabled: true, Auth: config.AuthMicrosoft, Server: "smtp.office365.com", Port: 587, Security: config.SecurityStartTLS,
		CAFile:   t.TempDir(), // a folder, not a PEM file
		Username: "alerts@contoso.com", From: "alerts@contoso.com", OAuth: &config.OAuth{Cloud: config.CloudGlobal,
			TenantID: "contoso.onmicrosoft.com", ClientID: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
			ClientCertificate: writeClientCert(t, now.AddDate(0, 0, 200))}}
	a.Emails = config.Emails{UIAdmin: "admin@contoso.com", UISupport: "support@contoso.com", AdmiralAlerts: "alerts@contoso.com"}

	cmd := d.m.openReview()
	if cmd == nil || d.m.scr == scrReview {
		t.Fatalf("the review opened before its file checks ran (screen %d)", d.m.scr)
	}
	d.m.Update(key("t")) // typed ahead: held for the review
	d.run(cmd)
	if d.m.scr != scrReview {
		t.Fatalf("the review did not open:\n%s", d.screen())
	}
	if !d.m.rev.sendTest {
		t.Error("the key typed while the review opened was lost")
	}
	d.reviewMust("To fix before saving", "smtp.ca_file: ", "regular file: give the path of a PEM file", "The client certificate expires in")
	if x := d.m.rev.expiry; x == nil || x.What != "client certificate" {
		t.Errorf("expiry: %+v", x)
	}
}
