package config

import (
	"strings"
	"testing"
	"time"

	"sitecfg/microsoft"
)

// office365.microsoft.com is accepted, stored as smtp.office365.com, and
// said.
func TestLegacyHostStoredAsPublished(t *testing.T) {
	a, ps := check(t, edit(msOn, "server:", "server: office365.microsoft.com"))
	if ps.HasErrors() {
		t.Fatal(ps.Error())
	}
	if a.SMTP.Server != "smtp.office365.com" {
		t.Errorf("server %q is what would be checked and stored", a.SMTP.Server)
	}
	w := ps.Warnings().For("smtp.server")
	if len(w) != 1 || !strings.Contains(w[0].Message, "checks and stores") {
		t.Errorf("warnings %v", w)
	}
	if site := a.Build(nil, time.Now(), "test"); site.SMTP.Server != "smtp.office365.com" {
		t.Errorf("written server %q", site.SMTP.Server)
	}
}

// The retirement warning names Microsoft's dates and the way forward, in
// the words every front end shows; other servers do not get it.
func TestBasicAgainstExchangeWarning(t *testing.T) {
	_, ps := check(t, edit(basicOn, "server:", "server: smtp.office365.com"))
	w := ps.Warnings().For("smtp.auth")
	if len(w) != 1 || !strings.Contains(w[0].Message, microsoft.BasicAuthRetirement) {
		t.Fatalf("warnings %v", ps)
	}
	for _, want := range []string{"end of December 2026", "second half of 2027", "tenants created after December 2026", "microsoft-oauth"} {
		if !strings.Contains(w[0].Message, want) {
			t.Errorf("warning lacks %q: %s", want, w[0].Message)
		}
	}
	if _, ps := check(t, basicOn); len(ps.Warnings()) != 0 {
		t.Errorf("warnings for smtp.example.com: %v", ps)
	}
	// Direct send to a tenant's MX is no client submission.
	mx := edit(basicOn, "auth:", "auth: none", "password:", "", "username:", "", "server:", "server: contoso-com.mail.protection.outlook.com")
	if _, ps := check(t, mx); len(ps.Warnings()) != 0 {
		t.Errorf("warnings for direct send: %v", ps)
	}
	// The mailbox sends as itself: no Send As warning.
	if _, ps := check(t, msOn); len(ps.Warnings()) != 0 {
		t.Errorf("warnings for a plain Microsoft config: %v", ps)
	}
}
