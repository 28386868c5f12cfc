package wizard

import (
	"testing"

	"sitecfg/smtpauth"
)

// A refused EHLO name takes the operator to the advanced EHLO question
// (not asked until then), prefilled with the default; what is typed
// reaches the next check.
func TestCheckFailureOpensEHLOName(t *testing.T) {
	t.Parallel()
	d := fillBasic(newDriver(t, TUIOptions{}), "2525")
	d.fake.reports = []*smtpauth.Report{failReport("smtp.ehlo_name")}
	d.keys("enter").must("Field to fix: smtp.ehlo_name", "e edit smtp.ehlo_name").fits(80, 24)
	d.keys("e").mustFocus(PageServer, "smtp.ehlo_name").must("EHLO name (advanced, optional)")
	d.fake.reports = nil // next check passes
	// Once answered, the check runs again at once (not through every
	// later field).
	d.keys("ctrl+u").typeLine("node1.cluster.example.com")
	d.must("Saved.", "passed")
	if c := d.fake.checks[len(d.fake.checks)-1]; c.EHLOName != "node1.cluster.example.com" {
		t.Fatalf("the check ran with EHLO name %q", c.EHLOName)
	}
}

// "edit all" in the review walks the advanced questions too.
func TestEditAllIncludesEHLOName(t *testing.T) {
	t.Parallel()
	d := fillBasic(newDriver(t, TUIOptions{}), "2525")
	d.keys("a").mustFocus(PageSMTP, "smtp.enabled").keys("enter")
	d.mustFocus(PageEmails, "emails.ui_admin").keys("enter", "enter", "enter")
	d.mustFocus(PageMethod, "smtp.auth").keys("enter")
	d.mustFocus(PageServer, "smtp.server").keys("enter", "enter", "enter", "enter")
	d.mustFocus(PageServer, "smtp.ehlo_name")
}
