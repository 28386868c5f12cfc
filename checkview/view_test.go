package checkview

import (
	"slices"
	"strings"
	"testing"
	"time"

	"sitecfg/microsoft"
	"sitecfg/smtpauth"
)

func report() *smtpauth.Report {
	return &smtpauth.Report{Server: "smtp.office365.com:587", Duration: 1234567 * time.Microsecond,
		Steps: []smtpauth.Step{
			{Name: smtpauth.StepResolve, Status: smtpauth.StatusOK, Duration: 1400 * time.Microsecond, Detail: "1.2.3.4"},
			{Name: smtpauth.StepTLS, Status: smtpauth.StatusWarning, Duration: 2 * time.Millisecond},
			{Name: smtpauth.StepAuth, Status: smtpauth.StatusFailed, Duration: 3 * time.Millisecond, Detail: "535 5.7.139"},
		},
		Recipients: []smtpauth.RecipientResult{{Address: "a@x.com", Accepted: true, Reply: "250 ok"}, {Address: "b@x.com", Reply: "550 no"}},
		Warnings:   []smtpauth.Diagnosis{{Step: smtpauth.StepTLS, Code: smtpauth.CodeCertExpiresSoon, Summary: "expires soon", Remedy: "renew it"}},
		Diagnosis: &smtpauth.Diagnosis{Step: smtpauth.StepAuth, Code: smtpauth.CodeExchangeSMTPAuthDisabled, Summary: "SMTP AUTH is disabled",
			Remedy: "enable it", Commands: []string{"Set-CASMailbox -Identity a@x.com -SmtpClientAuthenticationDisabled $false"},
			ServerSaid: " 535 5.7.139 disabled \n"},
	}
}

func TestNew(t *testing.T) {
	ms := report()
	ms.Method = smtpauth.MethodMicrosoft
	v := New(ms)
	if v.Server != "smtp.office365.com:587" || v.OK || v.Took != 1235*time.Millisecond || len(v.Rows) != 3 || v.Failure == nil {
		t.Fatalf("view = %+v", v)
	}
	r := v.Rows[0]
	if r.Took != time.Millisecond || r.Word() != "ok" || r.Glyph() != "✓" || r.Label() != "Resolve the host" || r.Detail != "1.2.3.4" {
		t.Errorf("row = %+v %s %s %s", r, r.Word(), r.Glyph(), r.Label())
	}
	if w := v.Rows[2].Word(); w != "FAILED" {
		t.Errorf("failed row says %q", w)
	}
	if got := v.Recipients[1].Line(); got != "test message to b@x.com: REJECTED 550 no" {
		t.Errorf("recipient line %q", got)
	}
	for rc, want := range map[Recipient]string{
		{Step: smtpauth.StepEnvelope, Address: "a@x.com", Field: "emails.ui_admin", Accepted: true, Reply: "250 2.1.5 Ok"}:           "envelope: emails.ui_admin a@x.com: accepted 250 2.1.5 Ok",
		{Step: smtpauth.StepEnvelope, Address: "b@x.com", Field: "smtp.default_recipients[0]", Reply: "550 5.1.1 unknown"}:           "envelope: smtp.default_recipients[0] b@x.com: REJECTED 550 5.1.1 unknown",
		{Step: smtpauth.StepEnvelope, Address: "c@x.com", Field: "emails.ui_support", Deferred: true, Reply: "450 4.2.0 greylisted"}: "envelope: emails.ui_support c@x.com: deferred 450 4.2.0 greylisted",
	} {
		if got := rc.Line(); got != want {
			t.Errorf("recipient line %q, want %q", got, want)
		}
	}
	if l := StepLabel(smtpauth.StepEnvelope); l != "Envelope" {
		t.Errorf("envelope label %q", l)
	}
	if len(v.Warnings) != 1 || v.Warnings[0].GuideStep != 0 {
		t.Errorf("warnings = %+v", v.Warnings)
	}
	var lines []string
	for _, l := range v.Failure.Details() {
		lines = append(lines, l.String())
	}
	want := []string{
		"  What to do: enable it",
		"  Commands (PowerShell, Exchange Online):",
		"    Set-CASMailbox -Identity a@x.com -SmtpClientAuthenticationDisabled $false",
		"  The server said: 535 5.7.139 disabled",
		"  Set-up guide: step 6 of 'sitecfg guide microsoft'",
	}
	if !slices.Equal(lines, want) {
		t.Errorf("details:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if v.Failure.GuideStep != microsoft.GuideStepSMTPAuth || v.Failure.Where() != "authenticate" {
		t.Errorf("failure = %+v at %q", v.Failure, v.Failure.Where())
	}
}

// The guide is Microsoft's: other settings never point at it.
func TestNoGuideStepOutsideMicrosoft(t *testing.T) {
	r := report()
	r.Method = smtpauth.MethodBasic
	v := New(r)
	for _, l := range v.Failure.Details() {
		if l.Label == LabelGuide {
			t.Errorf("guide line for a non-Microsoft check: %s", l)
		}
	}
}

func TestStepPhrase(t *testing.T) {
	for n, want := range map[smtpauth.StepName]string{
		smtpauth.StepConnect: "connect", smtpauth.StepToken: "OAuth token", smtpauth.StepEHLO: "EHLO",
		smtpauth.StepResolve: "resolve the host", "custom": "custom",
	} {
		if got := StepPhrase(n); got != want {
			t.Errorf("StepPhrase(%s) = %q, want %q", n, got, want)
		}
	}
}
