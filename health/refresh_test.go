package health

import (
	"strings"
	"testing"
	"time"

	"sitecfg/config"
)

// A delegated sign-in's refresh token has an expiry like any credential:
// the metric's kind refresh_token, and a notice within NotifyDays that
// says the check renews it and how to sign in again.
func TestRefreshTokenExpiry(t *testing.T) {
	now := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	a := &config.Answers{SMTP: config.SMTP{Enabled: true, Auth: config.AuthDelegated,
		OAuth: &config.OAuth{Cloud: config.CloudGlobal, RefreshTokenExpires: "2026-12-20T05:00:00Z"}},
		Emails: config.Emails{UIAdmin: "admin@contoso.test"}}
	xs := Expiries(a)
	if len(xs) != 1 || xs[0].Kind != KindRefreshToken || !xs[0].At.Equal(time.Date(2026, 12, 20, 5, 0, 0, 0, time.UTC)) {
		t.Fatalf("expiries %+v", xs)
	}
	text, err := Metrics{Success: true, At: now, Expiries: xs, SMTPEnabled: true}.Text()
	if err != nil || !strings.Contains(string(text), `sitecfg_credential_expiry_timestamp_seconds{kind="refresh_token"} 1.7977428e+09`) {
		t.Errorf("metrics:\n%s", text)
	}
	ns := Notices(a, now, Where{Host: "node1", ConfigPath: "/etc/sitecfg/site-config.yaml"})
	if len(ns) != 1 || !strings.Contains(ns[0].Subject, "Microsoft 365 sign-in expires on 2026-12-20, in 12 days") ||
		!strings.Contains(ns[0].Text, "sitecfg signin --config /etc/sitecfg/site-config.yaml") {
		t.Fatalf("notices %+v", ns)
	}
	// Far off: no notice.
	a.SMTP.OAuth.RefreshTokenExpires = "2027-03-07T05:00:00Z"
	if ns := Notices(a, now, Where{}); len(ns) != 0 {
		t.Errorf("notices %+v", ns)
	}
}
