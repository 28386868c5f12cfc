package smtpauth

import (
	"strconv"
	"strings"
	"testing"
)

// Every refusal of the delegated sign-in the issue lists is said with
// its own cause and a way out; the sign-in ones name the command.
func TestSignInRefusals(t *testing.T) {
	const again = "sitecfg signin --config /etc/sitecfg/site-config.yaml"
	for n, want := range map[int]string{
		700082: "expired", 50173: "password", 70043: "sign-in frequency", 70044: "sign-in frequency",
		65001: "consented", 90094: "admin to consent", 90008: "admin to consent", 50076: "multi-factor", 50079: "multi-factor",
		53003: "Conditional Access", 7000218: "public client flows", 700025: "public client", 50011: "redirect URI",
		500113: "redirect URI", 70000: "expired or was already used", 54005: "already used", 65004: "declined",
	} {
		d := DiagnoseSignIn("invalid_grant", "AADSTS"+strconv.Itoa(n)+": words that change. Trace ID: x", again)
		if d.Code != AADSTSCode(n) || !strings.Contains(d.Summary, want) || d.Remedy == "" || strings.Contains(d.Summary, "Trace ID") {
			t.Errorf("AADSTS%d: %+v", n, d)
		}
		if n != 7000218 && n != 700025 && !strings.Contains(d.Remedy, again) {
			t.Errorf("AADSTS%d: the way out does not name %q: %s", n, again, d.Remedy)
		}
	}
	if d := DiagnoseSignIn("access_denied", "the user said no", again); !strings.Contains(d.Summary, "declined") || !strings.Contains(d.Remedy, again) {
		t.Errorf("access_denied: %+v", d)
	}
}
