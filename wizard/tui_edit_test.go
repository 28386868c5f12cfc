package wizard

import (
	"testing"

	"sitecfg/smtpauth"
)

// From a failed check, choosing implicit TLS changes port 587 to 465:
// the edit goes on to the port, which says so, and the check only runs
// once the port is answered too.
func TestEditShowsTheChangeItMakes(t *testing.T) {
	t.Parallel()
	d := fillBasic(newDriver(t, TUIOptions{}), "587")
	d.fake.reports = []*smtpauth.Report{failReport("smtp.security")}
	d.keys("enter").must("e edit smtp.security")
	d.keys("e").mustFocus(PageServer, "smtp.security")
	d.fake.reports = nil
	checks := len(d.fake.checks)
	d.keys("down", "enter").mustFocus(PageServer, "smtp.port").must("Changed from 587 to 465", "Enter keeps it").fits(80, 24)
	if len(d.fake.checks) != checks {
		t.Fatal("the check ran before the changed port was seen")
	}
	d.keys("enter").must("Saved.", "passed")
	if c := d.fake.checks[len(d.fake.checks)-1]; c.Port != 465 || c.Security != smtpauth.SecurityTLS {
		t.Fatalf("checked with %d %s", c.Port, c.Security)
	}
}

// On the review, ↓ chooses a row and e edits only that one: once it is
// answered the review comes back, with the new value.
func TestReviewEditsOneRow(t *testing.T) {
	t.Parallel()
	d := fillBasic(newDriver(t, TUIOptions{}), "2525")
	d.must("> Send email", "e edit smtp.enabled", "a edit all")
	for range 5 {
		d.keys("down")
	}
	d.must("> SMTP server", "e edit smtp.server")
	d.keys("e").mustFocus(PageServer, "smtp.server")
	d.keys("ctrl+u").typeLine("relay.example.com")
	if d.m.scr != scrReview {
		t.Fatalf("not back on the review:\n%s", d.screen())
	}
	d.must("relay.example.com", "> SMTP server")
	if len(d.fake.checks) != 0 {
		t.Fatal("the edit ran the check")
	}
}
