package wizard

import (
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"sitecfg/config"
)

// fillOff answers a first deploy with SMTP off, up to the codes screen.
func fillOff(d *driver) *driver {
	d.t.Helper()
	d.keys("enter").mustFocus(PageSMTP, "smtp.enabled").keys("n")
	d.mustFocus(PageAdmin, "users.admin.username").typeLine("siteadmin").typeLine("Adm1n-Secret!x").typeLine("Adm1n-Secret!x")
	d.mustFocus(PageSupport, "users.support.username").typeLine("csupport").typeLine("Supp0rt-Secret!y").typeLine("Supp0rt-Secret!y")
	d.mustFocus(PageCodes, "recovery_codes_out").typeLine("/root/codes.txt")
	if d.m.scr != scrCodes {
		d.t.Fatalf("not on the codes screen:\n%s", d.screen())
	}
	return d
}

func TestSMTPOffRecoveryCodes(t *testing.T) {
	t.Parallel()
	d := fillOff(newDriver(t, TUIOptions{}))
	d.must(`Recovery codes for the UI admin "siteadmin"`, "CODE-0001-XXXX-XXXX", "CODE-0010-XXXX-XXXX", "/root/codes.txt", "s save").fits(80, 24)
	d.goldenScreen("codes")
	d.keys("enter") // enter saves too
	if got := d.fake.codes["/root/codes.txt"]; len(got) != 10 {
		t.Fatalf("codes written: %v", got)
	}
	// Typing back a code still on the screen would prove nothing: they
	// are hidden, and ctrl+r shows them again.
	d.must("Saved to /root/codes.txt", "Type one of the codes back", "codes are hidden", "ctrl+r show the codes").
		mustNot("CODE-0001-XXXX-XXXX").fits(80, 24)
	d.goldenScreen("codes-typeback")
	d.keys("ctrl+r").must("CODE-0001-XXXX-XXXX", "CODE-0010-XXXX-XXXX", "ctrl+r hide the codes").fits(80, 24)
	d.keys("ctrl+r").mustNot("CODE-0001-XXXX-XXXX")
	d.typeLine("not-a-code").must("not one of the codes")
	if d.m.scr != scrCodes {
		t.Fatal("left the codes screen with a wrong code")
	}
	d.typeLine("code0004xxxx-xxxx") // case and dashes do not matter
	if d.m.scr != scrReview {
		t.Fatalf("not on the review:\n%s", d.screen())
	}
	d.must("users.admin.password", MaskNew, "recovery_codes_out", "/root/codes.txt", "enter save").mustNot("Adm1n-Secret", "test message").fits(80, 24)
	d.goldenScreen("review-smtp-off")
	d.keys("enter").must("Saved.", "Recovery codes for siteadmin", "  /root/codes.txt")
	if len(d.fake.checks) != 0 || len(d.fake.commits) != 1 {
		t.Fatalf("checks %d commits %d", len(d.fake.checks), len(d.fake.commits))
	}
	if o := d.fake.opts[0]; len(o.Codes) != 10 || o.Codes[0] != "CODE-0001-XXXX-XXXX" {
		t.Fatalf("commit did not get the saved codes: %+v", o)
	}
	if a := d.fake.commits[0]; a.Users.Admin.Password.Value != "Adm1n-Secret!x" || a.SMTP.Enabled {
		t.Fatalf("answers: %+v", a.Users)
	}
}

func TestCodesFileExistsAsksToReplace(t *testing.T) {
	t.Parallel()
	d := newDriver(t, TUIOptions{})
	d.fake.exists = map[string]bool{"/root/codes.txt": true}
	fillOff(d).keys("s").must("/root/codes.txt already exists", "o replace the file")
	d.keys("o").must("Type one of the codes back")
	// Going back to change the file, then returning, keeps the same codes
	// but asks to save them again.
	d.keys("shift+tab").mustFocus(PageCodes, "recovery_codes_out").typeLine("/root/other.txt")
	d.must("CODE-0001-XXXX-XXXX", "s save")
}

func TestWeakPasswordShowsStrengthAndError(t *testing.T) {
	t.Parallel()
	d := newDriver(t, TUIOptions{}).keys("enter", "n").typeLine("siteadmin")
	d.send(tea.KeyPressMsg{Code: 'x', Text: "short"}).must("Strength")
	d.keys("enter").mustFocus(PageAdmin, "users.admin.password")
}

func rerunSite() *config.Site {
	return &config.Site{Version: 1, Written: config.Stamp{At: time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC), By: "sitecfg v1.0.0"},
		SMTP: config.SMTP{Enabled: true, Auth: config.AuthBasic, Server: "mail.example.com", Port: 587, Security: config.SecurityStartTLS,
			Username: "alerts@example.com", Password: config.Secret{Value: "old-Secret-1"}, From: "alerts@example.com",
			DefaultRecipients: []string{"noc@example.com"}},
		Emails: &config.Emails{UIAdmin: "admin@example.com", UISupport: "support@example.com", AdmiralAlerts: "alerts@example.com"}}
}

func TestRerunPrefilledShowsChanges(t *testing.T) {
	t.Parallel()
	d := newDriver(t, TUIOptions{Prev: rerunSite()})
	d.must("An existing configuration", "2026-01-05 08:00 UTC with sitecfg v1.0.0")
	d.goldenScreen("welcome-rerun")
	d.keys("enter", "enter", "enter", "enter", "enter", "enter") // SMTP, 3 emails, method
	d.mustFocus(PageServer, "smtp.server").must("mail.example.com").keys("enter", "enter")
	d.mustFocus(PageServer, "smtp.port").typeLine("2525").keys("enter")
	d.mustFocus(PageBasic, "smtp.username").keys("enter").must("stored — leave empty to keep")
	d.goldenScreen("form-credentials")
	d.keys("enter", "enter", "enter")
	if d.m.scr != scrReview {
		t.Fatalf("not on the review:\n%s", d.screen())
	}
	d.must("~ smtp.port: 587 → 2525").reviewMust(MaskUnchanged).mustNot("old-Secret-1").fits(80, 24)
	d.goldenScreen("review-rerun")
	d.keys("enter").must("Saved.", "site-config.yaml.bak").fits(80, 24).goldenScreen("done-rerun")
	if c := d.fake.checks[0]; c.Password != "old-Secret-1" || c.Port != 2525 {
		t.Fatalf("the kept password or new port did not reach the check: %+v", c)
	}
}

func TestCtrlCAnywhereWritesNothing(t *testing.T) {
	t.Parallel()
	steps := map[string]func(d *driver){
		"welcome": func(d *driver) {},
		"form":    func(d *driver) { d.keys("enter", "enter") },
		"codes":   func(d *driver) { fillOff(d) },
		"review":  func(d *driver) { fillBasic(d, "587") },
		"check": func(d *driver) {
			fillBasic(d, "587")
			d.fake.gate = make(chan struct{})
			d.keys("enter")
		},
	}
	for name, to := range steps {
		t.Run(name, func(t *testing.T) {
			d := newDriver(t, TUIOptions{})
			to(d)
			d.keys("ctrl+c")
			if !d.m.quitting || !errors.Is(d.m.err, ErrCancelled) || len(d.fake.commits) != 0 {
				t.Fatalf("quitting=%v err=%v commits=%d", d.m.quitting, d.m.err, len(d.fake.commits))
			}
			if d.m.chk.cancel != nil {
				t.Fatal("the running check was not stopped")
			}
		})
	}
}

func TestScreensFitAndResize(t *testing.T) {
	t.Parallel()
	d := newDriver(t, TUIOptions{Prev: rerunSite(), Migrations: []string{"smtp.host renamed to smtp.server", "smtp.tls: true became smtp.security: starttls"}})
	d.fits(80, 24).goldenScreen("welcome")
	d.keys("enter", "enter").fits(80, 24).goldenScreen("form-emails")
	for _, size := range [][2]int{{60, 20}, {100, 30}, {80, 24}} {
		d.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]}).fits(size[0], size[1]).must("UI admin email")
	}
	d.keys("enter", "enter", "enter", "enter", "enter", "enter", "enter", "enter", "enter", "enter", "enter", "enter")
	if d.m.scr != scrReview {
		t.Fatalf("not on the review:\n%s", d.screen())
	}
	d.send(tea.WindowSizeMsg{Width: 60, Height: 16}).fits(60, 16).must("pgup/pgdn scroll", "↑/↓ choose")
	for range 30 {
		d.m.Update(key("down"))
	}
	d.fits(60, 16).must("also send a test message")
	if !strings.Contains(d.screen(), "Migrat") && !strings.Contains(d.screen(), "migrat") {
		t.Errorf("the migration is not shown at the end of the review:\n%s", d.screen())
	}
}
