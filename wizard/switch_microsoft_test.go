package wizard

import (
	"strings"
	"testing"
	"time"

	"sitecfg/config"
	"sitecfg/microsoft"
	"sitecfg/smtpauth"
)

// exchangeBasicSite is a saved config that sends through Exchange Online
// with basic authentication.
func exchangeBasicSite() *config.Site {
	a := config.Answers{Version: 1, SMTP: config.SMTP{Enabled: true, Auth: config.AuthBasic, Server: "smtp.office365.com", Port: 587,
		Security: config.SecurityStartTLS, Username: "alerts@contoso.com", Password: config.Secret{Value: "Old-Basic-Pass-1"},
		From: "alerts@contoso.com", DefaultRecipients: []string{"noc@contoso.com"}},
		Emails: config.Emails{UIAdmin: "admin@contoso.com", UISupport: "support@contoso.com", AdmiralAlerts: "health@contoso.com"}}
	return a.Build(nil, time.Now(), "sitecfg v1.0.0")
}

// The line prompts offer the switch after the basic credentials; taking
// it asks the Microsoft 365 questions with the mailbox kept, and writes
// microsoft-oauth without the old password.
func TestLinesOfferSwitchToMicrosoft(t *testing.T) {
	t.Parallel()
	fc := &fakeCheck{}
	in := ans("", "", "", "", "", // SMTP on, three emails, the method (basic)
		"", "", "", "", // server, security, port, CA file
		"", "", // username, password (stored)
		"y",                                    // the offer
		"",                                     // cloud: global
		"11111111-2222-3333-4444-555555555555", // tenant
		"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", // client
		"",                                     // mailbox: kept
		"",                                     // credential: secret
		"abc~Q8Q~realsecretvalue", "",          // secret, expiry
		"", "", // from, recipients
		"", "", "", "", "", "") // review, test message, …
	r := runLinesWith(t, in, fc, func(o *LineOptions) { o.Prev = exchangeBasicSite() })
	if r.err != nil {
		t.Fatalf("err = %v\n%s", r.err, r.screen)
	}
	for _, want := range []string{"== " + string(PageSwitchMS) + " ==", "Switch to Microsoft 365 OAuth 2.0", "end of December 2026",
		"Mailbox to send as [alerts@contoso.com]"} {
		if !strings.Contains(r.screen, want) {
			t.Errorf("output lacks %q:\n%s", want, r.screen)
		}
	}
	s := r.site.SMTP
	if s.Auth != config.AuthMicrosoft || s.Username != "alerts@contoso.com" || s.From != "alerts@contoso.com" || !s.Password.IsZero() ||
		s.Server != "smtp.office365.com" || s.OAuth == nil || s.OAuth.Cloud != config.CloudGlobal {
		t.Errorf("written: %+v %+v", s, s.OAuth)
	}
	if c := fc.calls[0]; c.Method != smtpauth.MethodMicrosoft || c.Username != "alerts@contoso.com" || c.Password != "" {
		t.Errorf("checked with %+v", c)
	}
	if strings.Contains(r.screen, "Old-Basic-Pass-1") {
		t.Error("the stored password was printed")
	}
}

// Declined, nothing changes, and the review says why basic is a risk.
func TestLinesDeclineSwitchToMicrosoft(t *testing.T) {
	t.Parallel()
	fc := &fakeCheck{}
	in := ans("", "", "", "", "", "", "", "", "", "", "", "n", "", "", "", "", "", "", "", "")
	r := runLinesWith(t, in, fc, func(o *LineOptions) { o.Prev = exchangeBasicSite() })
	if r.err != nil {
		t.Fatalf("err = %v\n%s", r.err, r.screen)
	}
	if s := r.site.SMTP; s.Auth != config.AuthBasic || s.Password.Value != "Old-Basic-Pass-1" {
		t.Errorf("written: %+v", s)
	}
	if !strings.Contains(r.screen, microsoft.BasicAuthRetirement[:60]) {
		t.Errorf("the retirement warning is not shown:\n%s", r.screen)
	}
}

// The TUI offers the same on its own page; taking it leads to the
// Microsoft 365 page with the mailbox kept, and going back to decline it
// restores basic.
func TestTUIOfferSwitchToMicrosoft(t *testing.T) {
	t.Parallel()
	d := newDriver(t, TUIOptions{Prev: exchangeBasicSite()})
	d.keys("enter", "enter", "enter", "enter", "enter", "enter") // welcome, SMTP, 3 emails, method
	d.mustFocus(PageServer, "smtp.server").keys("enter", "enter", "enter", "enter")
	d.mustFocus(PageBasic, "smtp.username").keys("enter", "enter")
	d.mustFocus(PageSwitchMS, switchToMicrosoftID).must("Switch to Microsoft 365 OAuth", "end of December 2026").fits(80, 24)
	d.goldenScreen("form-switch-microsoft")
	d.keys("y")
	d.mustFocus(PageMS, "smtp.oauth.cloud")
	s := d.m.st.Answers.SMTP
	if s.Auth != config.AuthMicrosoft || s.Username != "alerts@contoso.com" || s.From != "alerts@contoso.com" || !s.Password.IsZero() ||
		s.Server != "smtp.office365.com" || s.Port != 587 {
		t.Fatalf("after the switch: %+v", s)
	}
	// Back, and decline: basic again, with its stored password.
	d.keys("shift+tab").mustFocus(PageSwitchMS, switchToMicrosoftID).keys("n")
	if s := d.m.st.Answers.SMTP; s.Auth != config.AuthBasic || s.Password.Value != "Old-Basic-Pass-1" {
		t.Fatalf("after declining: %+v", s)
	}
	if d.m.scr == scrForm && d.m.pg.page == PageMS {
		t.Fatal("the Microsoft 365 page after declining")
	}
	// Take it again and fill the Microsoft 365 pages to the review.
	d.keys("shift+tab").mustFocus(PageSwitchMS, switchToMicrosoftID).keys("y")
	d.mustFocus(PageMS, "smtp.oauth.cloud").keys("enter")
	d.typeLine("11111111-2222-3333-4444-555555555555").typeLine("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee")
	d.mustFocus(PageMS, "smtp.username").must("alerts@contoso.com").keys("enter", "enter")
	d.mustFocus(PageMSCredential, "smtp.oauth.client_secret").typeLine("abc~Q8Q~realsecretvalue").keys("enter")
	d.mustFocus(PageDelivery, "smtp.from").must("alerts@contoso.com").keys("enter", "enter")
	if d.m.scr != scrReview {
		t.Fatalf("not on the review:\n%s", d.screen())
	}
	d.must("microsoft-oauth").mustNot(switchToMicrosoftID, "Old-Basic-Pass-1", "end of December 2026")
}

// The offer's Set: the cloud follows the host, the mailbox is the
// username or else the sender, and declining restores the answers.
func TestSwitchToMicrosoftSet(t *testing.T) {
	t.Parallel()
	q := switchToMicrosoftQuestion()
	tests := []struct {
		name             string
		smtp             config.SMTP
		cloud            config.Cloud
		server, username string
	}{
		{"none, GCC High host, mailbox from From", config.SMTP{Enabled: true, Auth: config.AuthNone, Server: "outlook.office365.us", Port: 25,
			Security: config.SecurityNone, From: "alerts@contoso.us"}, config.CloudGCCHigh, "outlook.office365.us", "alerts@contoso.us"},
		{"basic, legacy host", config.SMTP{Enabled: true, Auth: config.AuthBasic, Server: microsoft.LegacyHost, Port: 587,
			Security: config.SecurityStartTLS, Username: "a@contoso.com", Password: config.Secret{Value: "p"}, From: "b@contoso.com"},
			config.CloudGlobal, "smtp.office365.com", "a@contoso.com"},
		{"basic, DoD", config.SMTP{Enabled: true, Auth: config.AuthBasic, Server: "outlook-dod.office365.us", Port: 587,
			Security: config.SecurityStartTLS, Username: "a@contoso.mil", From: "a@contoso.mil"}, config.CloudDoD, "outlook-dod.office365.us", "a@contoso.mil"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &State{Answers: config.Answers{Version: 1, SMTP: tt.smtp}}
			if !q.Applies(s) {
				t.Fatal("not offered")
			}
			if err := q.Set(s, "yes"); err != nil {
				t.Fatal(err)
			}
			a := s.Answers.SMTP
			if a.Auth != config.AuthMicrosoft || a.OAuth.Cloud != tt.cloud || a.Server != tt.server || a.Username != tt.username ||
				a.From == "" || a.Port != 587 || a.Security != config.SecurityStartTLS || !a.Password.IsZero() {
				t.Errorf("switched: %+v %+v", a, a.OAuth)
			}
			if !q.Applies(s) || q.Get(s) != "true" {
				t.Error("the offer left its page once taken")
			}
			if err := q.Set(s, "no"); err != nil {
				t.Fatal(err)
			}
			if got := s.Answers.SMTP; got.Auth != tt.smtp.Auth || got.Server != tt.smtp.Server || got.Password != tt.smtp.Password || got.Port != tt.smtp.Port {
				t.Errorf("declined: %+v", got)
			}
		})
	}
	for _, host := range []string{"smtp.example.com", "contoso-com.mail.protection.outlook.com"} {
		if q.Applies(&State{Answers: config.Answers{SMTP: config.SMTP{Enabled: true, Auth: config.AuthNone, Server: host}}}) {
			t.Errorf("offered for %s", host)
		}
	}
}
