package wizard

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"sitecfg/config"
)

// reviewMust checks the whole review, scrolled or not, for subs.
func (d *driver) reviewMust(subs ...string) *driver {
	d.t.Helper()
	if d.m.scr != scrReview {
		d.t.Fatalf("not on the review:\n%s", d.screen())
	}
	all := ansi.Strip(d.m.reviewContent())
	for _, sub := range subs {
		if !strings.Contains(all, sub) {
			d.t.Fatalf("the review lacks %q:\n%s", sub, all)
		}
	}
	return d
}

// The recovery-codes file: offered next to the config, a relative answer
// shown in full, a missing folder refused at the field with a message
// that goes once the answer is fixed.
func TestCodesFileAtTheField(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	d := newDriver(t, TUIOptions{ConfigPath: filepath.Join(dir, "site-config.yaml")})
	d.keys("enter").mustFocus(PageSMTP, "smtp.enabled").keys("n")
	d.mustFocus(PageAdmin, "users.admin.username").typeLine("siteadmin").typeLine("Adm1n-Secret!x").typeLine("Adm1n-Secret!x")
	d.mustFocus(PageSupport, "users.support.username").typeLine("csupport").typeLine("Supp0rt-Secret!y").typeLine("Supp0rt-Secret!y")
	def := filepath.Join(dir, "siteadmin-recovery-codes.txt")
	d.mustFocus(PageCodes, "recovery_codes_out").must(def)
	d.keys("ctrl+u").typeLine("nowhere/codes.txt")
	d.mustFocus(PageCodes, "recovery_codes_out").must("✗ the folder", "does not", "mkdir -p").fits(80, 24)
	d.keys("ctrl+u").typeLine("codes.txt")
	if d.m.scr != scrCodes {
		t.Fatalf("not on the codes screen:\n%s", d.screen())
	}
	d.mustNot("does not").must(filepath.Join(dir, "codes.txt"))
	if got := d.m.st.Answers.RecoveryCodesOut; got != filepath.Join(dir, "codes.txt") {
		t.Fatalf("codes file %q, want it in full", got)
	}
}

// A GUID-shaped client secret is stopped at its field (it is the
// secret's ID); the same answer given again is taken.
func TestGUIDSecretAtTheField(t *testing.T) {
	t.Parallel()
	d := newDriver(t, TUIOptions{}).keys("enter", "enter")
	d.typeLine("admin@example.com").typeLine("support@example.com").typeLine("alerts@example.com")
	d.keys("down", "enter").mustFocus(PageMS, "smtp.oauth.cloud").keys("enter")
	d.typeLine("contoso.onmicrosoft.com").typeLine("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee").typeLine("alerts@contoso.com")
	d.keys("enter").mustFocus(PageMSCredential, "smtp.oauth.client_secret")
	d.typeLine("11111111-2222-3333-4444-555555555555")
	d.mustFocus(PageMSCredential, "smtp.oauth.client_secret").must("looks like the secret's ID", "press Enter again").fits(80, 24)
	d.keys("enter").mustFocus(PageMSCredential, "smtp.oauth.client_secret_expires")
}

// An upgrade that normalises lists the change: a Microsoft 365 config
// saved with 465/tls is written with 587/starttls, and the review says so.
func TestReviewListsNormalisation(t *testing.T) {
	t.Parallel()
	prev := &config.Site{Version: 1,
		SMTP: config.SMTP{Enabled: true, Auth: config.AuthMicrosoft, Server: "smtp.office365.com", Port: 465, Security: config.SecurityTLS,
			Username: "alerts@contoso.com", From: "alerts@contoso.com", OAuth: &config.OAuth{Cloud: config.CloudGlobal,
				TenantID: "contoso.onmicrosoft.com", ClientID: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", ClientSecret: config.Secret{Value: "abc~Secret.Value-123"}}},
		Emails: &config.Emails{UIAdmin: "admin@contoso.com", UISupport: "support@contoso.com", AdmiralAlerts: "alerts@contoso.com"}}
	d := newDriver(t, TUIOptions{Prev: prev})
	d.run(d.m.openReview())
	d.reviewMust("~ smtp.port: 465 → 587", "~ smtp.security: tls → starttls").mustNot("none: the values are the same", "abc~Secret")
}
