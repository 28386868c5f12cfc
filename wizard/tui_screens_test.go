package wizard

import (
	"errors"
	"strings"
	"testing"
	"time"

	"sitecfg/config"
	"sitecfg/smtpauth"
)

// fillBasic answers a first deploy with SMTP on and basic auth, up to the
// review.
func fillBasic(d *driver, port string) *driver {
	d.t.Helper()
	d.keys("enter").mustFocus(PageSMTP, "smtp.enabled")
	d.keys("enter").mustFocus(PageEmails, "emails.ui_admin")
	d.typeLine("admin@example.com").typeLine("support@example.com").typeLine("alerts@example.com")
	d.mustFocus(PageMethod, "smtp.auth").keys("enter")
	d.mustFocus(PageServer, "smtp.server").typeLine("mail.example.com")
	d.keys("enter") // security: STARTTLS
	d.mustFocus(PageServer, "smtp.port").typeLine(port)
	d.typeLine("") // no CA file
	d.mustFocus(PageBasic, "smtp.username").typeLine("alerts@example.com").typeLine("s3cret-Pass")
	d.mustFocus(PageDelivery, "smtp.from").typeLine("alerts@example.com").typeLine("noc@example.com, NOC@example.com")
	if d.m.scr != scrReview {
		d.t.Fatalf("not on the review:\n%s", d.screen())
	}
	return d
}

func TestWelcomeFirstDeploy(t *testing.T) {
	t.Parallel()
	d := newDriver(t, TUIOptions{ConfigPath: "/etc/site-config.yaml"})
	d.must("First deploy", "/etc/site-config.yaml", "enter start").fits(80, 24)
	d.keys("enter").must("Step 1 of", "Send email through an SMTP server?")
}

func TestWelcomeRerunShowsStampAndMigrations(t *testing.T) {
	t.Parallel()
	prev := &config.Site{Version: 1, Written: config.Stamp{At: time.Date(2025, 11, 2, 9, 30, 0, 0, time.UTC), By: "sitecfg v0.9.1"},
		SMTP:   config.SMTP{Enabled: true, Auth: config.AuthNone, Server: "relay.example.com", Port: 25, Security: config.SecurityNone, From: "a@example.com"},
		Emails: &config.Emails{UIAdmin: "a@example.com", UISupport: "s@example.com", AdmiralAlerts: "x@example.com"}}
	// Who wrote it is the audit log's (WrittenBy); with what, the file's stamp.
	d := newDriver(t, TUIOptions{Prev: prev, Migrations: []string{"smtp.host renamed to smtp.server"}, WrittenBy: "root@node1"})
	d.must("existing configuration", "2025-11-02 09:30 UTC by root@node1 with sitecfg v0.9.1", "older layout", "smtp.host renamed to smtp.server")
}

func TestBasicFlowChecksAndCommits(t *testing.T) {
	t.Parallel()
	d := fillBasic(newDriver(t, TUIOptions{}), "587")
	d.reviewMust("smtp.server", "mail.example.com", "smtp.password", MaskNew, "noc@example.com").
		must("[ ] also send a test message to noc@example.com").mustNot("s3cret-Pass").fits(80, 24)
	d.keys("t").must("[x] also send a test message")
	d.keys("enter").must("Saved.", "Wrote the site config", "  site-config.yaml")
	f := d.fake
	if len(f.checks) != 1 || f.checks[0].Port != 587 || f.checks[0].Password != "s3cret-Pass" || !f.checks[0].SendTest {
		t.Fatalf("check settings: %+v", f.checks)
	}
	if len(f.commits) != 1 {
		t.Fatalf("commits: %d", len(f.commits))
	}
	a := f.commits[0]
	if a.SMTP.Server != "mail.example.com" || a.SMTP.Port != 587 || len(a.SMTP.DefaultRecipients) != 1 || a.Emails.UIAdmin != "admin@example.com" {
		t.Fatalf("committed answers: %+v", a)
	}
	d.keys("enter")
	if !d.m.quitting || d.m.err != nil || d.m.written == nil {
		t.Fatalf("done: quitting=%v err=%v", d.m.quitting, d.m.err)
	}
}

func TestInvalidAnswerKeepsFocus(t *testing.T) {
	t.Parallel()
	d := newDriver(t, TUIOptions{}).keys("enter", "enter")
	d.typeLine("Admin <admin@example.com>").mustFocus(PageEmails, "emails.ui_admin").must("not a bare address")
	d.typeLine("admin@example.com").mustFocus(PageEmails, "emails.ui_support")
	d.typeLine("ADMIN@example.com").mustFocus(PageEmails, "emails.ui_support").must("must differ")
}

func TestPortFollowsSecurity(t *testing.T) {
	t.Parallel()
	d := newDriver(t, TUIOptions{}).keys("enter", "enter")
	d.typeLine("admin@example.com").typeLine("support@example.com").typeLine("alerts@example.com").keys("enter")
	d.typeLine("mail.example.com").keys("down", "enter").mustFocus(PageServer, "smtp.port")
	if d.m.st.Answers.SMTP.Port != 465 || !strings.Contains(d.screen(), "465") {
		t.Fatalf("port did not follow TLS:\n%s", d.screen())
	}
}

func TestShiftTabGoesBackAPage(t *testing.T) {
	t.Parallel()
	d := newDriver(t, TUIOptions{}).keys("enter", "enter").mustFocus(PageEmails, "emails.ui_admin")
	d.keys("shift+tab").mustFocus(PageSMTP, "smtp.enabled")
	d.keys("enter").typeLine("admin@example.com").keys("shift+tab").mustFocus(PageEmails, "emails.ui_admin")
	d.keys("shift+tab", "shift+tab")
	if d.m.scr != scrWelcome {
		t.Fatalf("want the welcome screen:\n%s", d.screen())
	}
}

func TestMicrosoftPageFixedHostAndGuide(t *testing.T) {
	t.Parallel()
	d := newDriver(t, TUIOptions{}).keys("enter", "enter")
	d.typeLine("admin@example.com").typeLine("support@example.com").typeLine("alerts@example.com")
	d.keys("down", "enter").mustFocus(PageMS, "smtp.oauth.cloud").must("SMTP.SendAsApp", "sitecfg guide microsoft").fits(80, 24)
	d.goldenScreen("form-microsoft")
	if s := d.m.st.Answers.SMTP; s.Server != "smtp.office365.com" || s.Port != 587 {
		t.Fatalf("microsoft defaults: %+v", s)
	}
	if indexOf(d.m.pages(), PageServer) >= 0 {
		t.Fatal("the server page is asked for microsoft-oauth")
	}
}

func TestCheckFailureEditFieldThenRetry(t *testing.T) {
	t.Parallel()
	d := fillBasic(newDriver(t, TUIOptions{}), "2525")
	d.fake.reports = []*smtpauth.Report{failReport("smtp.port")}
	d.keys("enter").must("Failed at connect", "nothing listens", "What to do:", "Field to fix: smtp.port",
		"The server said:", "e edit smtp.port", "r retry", "s save anyway", "q quit without saving").fits(80, 24)
	d.goldenScreen("check-failed")
	d.keys("e").mustFocus(PageServer, "smtp.port")
	d.fake.reports = nil // next check passes
	// Once the edited field is answered, the check runs again at once:
	// not through every later field.
	d.typeLine("587")
	d.must("Saved.", "passed")
	if n := len(d.fake.commits); n != 1 || d.fake.commits[0].SMTP.Port != 587 || d.fake.commits[0].SMTP.Password.Value != "s3cret-Pass" {
		t.Fatalf("commits: %d %+v", n, d.fake.commits)
	}
}

func TestCheckFailureSaveAnywayAndQuit(t *testing.T) {
	t.Parallel()
	d := fillBasic(newDriver(t, TUIOptions{}), "2525")
	d.fake.reports = []*smtpauth.Report{failReport("smtp.port")}
	d.keys("enter", "s").must("Save settings that failed the live check?")
	d.keys("n").must("e edit smtp.port")
	if len(d.fake.commits) != 0 {
		t.Fatal("saved without a yes")
	}
	d.keys("r").must("Failed at connect")
	if len(d.fake.checks) != 2 {
		t.Fatalf("retry ran %d checks", len(d.fake.checks))
	}
	d.keys("s", "y").must("SAVED WITHOUT A PASSING LIVE CHECK", "Live check of mail.example.com:2525 FAILED", "Wrote the site config")
	if len(d.fake.commits) != 1 {
		t.Fatal("save anyway did not save")
	}

	q := fillBasic(newDriver(t, TUIOptions{}), "2525")
	q.fake.reports = []*smtpauth.Report{failReport("smtp.port")}
	q.keys("enter").must("Failed at connect").keys("q") // q once the check has failed, not while it runs
	if !errors.Is(q.m.err, ErrNotSaved) || len(q.fake.commits) != 0 {
		t.Fatalf("quit: err=%v commits=%d", q.m.err, len(q.fake.commits))
	}
}

func TestCheckRunningShowsSteps(t *testing.T) {
	t.Parallel()
	d := fillBasic(newDriver(t, TUIOptions{}), "587")
	d.fake.gate = make(chan struct{})
	d.keys("enter").must("Live check of mail.example.com:587", "Resolve the host", "Connect", "Server greeting", "0s  gives up after 30 s", "ctrl+c").fits(80, 24)
	d.goldenScreen("check-running")
	d.keys("q")
	if d.m.quitting {
		t.Fatal("q quits while the check runs")
	}
	close(d.fake.gate)
	d.waitFor("the write", func() bool { return d.m.written != nil }).must("Saved.")
}

func TestReviewMicrosoftWarnings(t *testing.T) {
	t.Parallel()
	d := newDriver(t, TUIOptions{})
	a := &d.m.st.Answers
	a.SMTP = config.SMTP{Enabled: true, Auth: config.AuthMicrosoft, Server: "office365.microsoft.com", Port: 587, Security: config.SecurityStartTLS,
		Username: "alerts@contoso.com", From: "alerts@contoso.com", OAuth: &config.OAuth{Cloud: config.CloudGlobal,
			TenantID: "contoso.onmicrosoft.com", ClientID: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
			ClientSecret: config.Secret{Value: "11111111-2222-3333-4444-555555555555"}, ClientSecretExpires: "2026-03-20"}}
	a.Emails = config.Emails{UIAdmin: "admin@contoso.com", UISupport: "support@contoso.com", AdmiralAlerts: "alerts@contoso.com"}
	d.run(d.m.openReview())
	d.must("Warnings", "looks like the secret's ID", "host is smtp.office365.com", "in 19 days",
		"smtp.oauth.client_secret").mustNot("11111111-2222").fits(80, 24)
	d.goldenScreen("review-microsoft")
	// The secret's row is further down: scroll to it.
	d.reviewMust(MaskNew, "SMTP server (set by the cloud)", "office365.microsoft.com", "Port (set by the cloud)", "587",
		"Secure connection (set by the", "starttls")
	d.keys("pgdown", "pgdown").mustNot("11111111-2222").fits(80, 24)
}
