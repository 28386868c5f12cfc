package checkview

import (
	"strings"
	"testing"

	"sitecfg/smtpauth"
)

// Issue 10, point 10: whatever a report holds, the view shows no escape
// sequence, C1 control or bidi override raw.
func TestViewMakesServerStringsPrintable(t *testing.T) {
	const esc = "\x1b]0;title\x07\x1b[2J\u009b32m\u202eok"
	r := &smtpauth.Report{
		Server: "mx" + esc,
		Steps:  []smtpauth.Step{{Name: smtpauth.StepEHLO, Status: smtpauth.StatusOK, Detail: "X-" + esc}},
		Diagnosis: &smtpauth.Diagnosis{Step: smtpauth.StepAuth, Summary: "535 " + esc, Remedy: esc,
			ServerSaid: "535 " + esc, Commands: []string{esc}},
		Recipients: []smtpauth.RecipientResult{{Address: "a@example.com", Reply: "250 " + esc}},
	}
	v := New(r)
	var b strings.Builder
	b.WriteString(v.Server)
	for _, row := range v.Rows {
		b.WriteString(row.Detail)
	}
	for _, rc := range v.Recipients {
		b.WriteString(rc.Line())
	}
	for _, d := range v.Failure.Details() {
		b.WriteString(d.String())
	}
	b.WriteString(v.Failure.Summary)
	for _, bad := range []string{"\x1b", "\x07", "\u009b", "\u202e"} {
		if strings.Contains(b.String(), bad) {
			t.Errorf("%q shown raw", bad)
		}
	}
	if !strings.Contains(b.String(), `\x1b`) || !strings.Contains(b.String(), `\u202e`) {
		t.Errorf("escapes not shown: %s", b.String())
	}
}
