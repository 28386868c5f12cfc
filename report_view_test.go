package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"path/filepath"
	"sitecfg/internal/testkit"
	"strings"
	"testing"
	"time"

	"sitecfg/config"
	"sitecfg/smtpauth"
	"sitecfg/wizard"
)

// msFailure is a failed Microsoft 365 check whose diagnosis has every
// part: what to do, a field, commands, the server's words, a guide step.
func msFailure() *smtpauth.Report {
	return &smtpauth.Report{Server: "smtp.office365.com:587", Method: smtpauth.MethodMicrosoft,
		Steps: []smtpauth.Step{
			{Name: smtpauth.StepResolve, Status: smtpauth.StatusOK, Duration: time.Millisecond},
			{Name: smtpauth.StepAuth, Status: smtpauth.StatusFailed, Duration: 40 * time.Millisecond, Detail: "535 5.7.3"},
		},
		Diagnosis: &smtpauth.Diagnosis{Step: smtpauth.StepAuth, Code: smtpauth.CodeExchangeAuthUnsuccessful, Field: "smtp.username",
			Summary:    "Exchange refused the token for mailbox alerts@contoso.com (535 5.7.3)",
			Remedy:     "register the app's service principal in Exchange Online",
			Commands:   []string{"New-ServicePrincipal -AppId aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee -ObjectId <Enterprise application object ID>"},
			ServerSaid: "535 5.7.3 Authentication unsuccessful"}}
}

// diagnosisBlock is the lines from the one starting with heading up to
// the first blank line or prompt.
func diagnosisBlock(t *testing.T, out, heading string) []string {
	t.Helper()
	i := strings.Index(out, heading)
	if i < 0 {
		t.Fatalf("no %q in:\n%s", heading, out)
	}
	var block []string
	for _, l := range strings.Split(out[i:], "\n")[1:] {
		if !strings.HasPrefix(l, "  ") {
			break
		}
		block = append(block, l)
	}
	return block
}

// The text of apply and check and the line prompts show the same
// diagnosis lines for the same failed check: field, commands, guide step.
func TestSameDiagnosisInTextAndLinePrompts(t *testing.T) {
	var text bytes.Buffer
	printReport(&text, msFailure())
	textLines := diagnosisBlock(t, text.String(), "Check failed at auth: ")

	out := &testkit.Buffer{}
	_, err := wizard.RunLines(context.Background(), wizard.LineOptions{
		In: &quitAfterFailure{out: out}, Out: out, InFD: -1,
		ConfigPath: filepath.Join(t.TempDir(), "site-config.yaml"), Prev: msSite(),
		Check: func(context.Context, smtpauth.Settings, smtpauth.Options) (*smtpauth.Report, error) {
			return msFailure(), nil
		},
	})
	if !errors.Is(err, wizard.ErrNotSaved) {
		t.Fatalf("line prompts ended with %v, want ErrNotSaved\n%s", err, out)
	}
	promptLines := diagnosisBlock(t, out.String(), "Live check FAILED at step auth: ")

	if strings.Join(textLines, "\n") != strings.Join(promptLines, "\n") {
		t.Errorf("the diagnosis differs:\n--- apply/check\n%s\n--- line prompts\n%s", strings.Join(textLines, "\n"), strings.Join(promptLines, "\n"))
	}
	for _, want := range []string{
		"  Field to fix: smtp.username",
		"  Commands (PowerShell, Exchange Online):",
		"    New-ServicePrincipal -AppId aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
		"  Set-up guide: step 4 of 'sitecfg guide microsoft'",
	} {
		if !strings.Contains(strings.Join(textLines, "\n"), want) {
			t.Errorf("the diagnosis lacks %q:\n%s", want, strings.Join(textLines, "\n"))
		}
	}
}

// msSite is a saved Microsoft 365 configuration, so that Enter keeps every
// answer.
func msSite() *config.Site {
	a := config.Answers{Version: 1,
		SMTP: config.SMTP{Enabled: true, Auth: config.AuthMicrosoft, Server: "smtp.office365.com", Port: 587, Security: config.SecurityStartTLS,
			Username: "alerts@contoso.com", From: "alerts@contoso.com", OAuth: &config.OAuth{Cloud: config.CloudGlobal, Mechanism: config.MechXOAuth2,
				TenantID: "contoso.onmicrosoft.com", ClientID: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", ClientSecret: config.Secret{Value: "abc~Stored.Secret-1"}}},
		Emails: config.Emails{UIAdmin: "a@contoso.com", UISupport: "s@contoso.com", AdmiralAlerts: "h@contoso.com"}}
	return a.Build(nil, time.Now(), "test")
}

// quitAfterFailure answers Enter (keep the saved value, take the default)
// to every prompt, and q once the failed check asks what now.
type quitAfterFailure struct {
	out   *testkit.Buffer
	reads int
}

func (q *quitAfterFailure) Read(p []byte) (int, error) {
	q.reads++
	switch {
	case q.reads > 200:
		return 0, io.EOF
	case strings.HasSuffix(strings.TrimSpace(q.out.String()), "Choose e, r, s or q:"):
		return copy(p, "q\n"), nil
	}
	return copy(p, "\n"), nil
}

// The mail server could not be reached but the token was fetched and
// refused: both failures are shown, the token's as "Also failed", in the
// same lines by apply/check and the line prompts.
func TestAlsoFailedInTextAndLinePrompts(t *testing.T) {
	rep := func() *smtpauth.Report {
		r := msFailure()
		r.Steps = []smtpauth.Step{
			{Name: smtpauth.StepResolve, Status: smtpauth.StatusOK, Duration: time.Millisecond},
			{Name: smtpauth.StepConnect, Status: smtpauth.StatusFailed, Duration: 2 * time.Second, Detail: "no answer"},
			{Name: smtpauth.StepToken, Status: smtpauth.StatusFailed, Duration: 90 * time.Millisecond, Detail: "AADSTS7000215"},
		}
		r.Diagnosis = &smtpauth.Diagnosis{Step: smtpauth.StepConnect, Code: smtpauth.CodeConnectTimeout, Field: "smtp.oauth.cloud",
			Summary: "this host cannot reach smtp.office365.com on port 587", Remedy: "allow outbound TCP 587"}
		r.Also = []smtpauth.Diagnosis{{Step: smtpauth.StepToken, Code: smtpauth.CodeAADSTS7000215, Field: "smtp.oauth.client_secret",
			Summary: "the identity provider refused the client secret (AADSTS7000215: invalid client secret)", Remedy: "copy the secret's Value, not its ID"}}
		return r
	}
	var text bytes.Buffer
	printReport(&text, rep())
	textLines := diagnosisBlock(t, text.String(), "Also failed at token: ")

	out := &testkit.Buffer{}
	_, err := wizard.RunLines(context.Background(), wizard.LineOptions{
		In: &quitAfterFailure{out: out}, Out: out, InFD: -1,
		ConfigPath: filepath.Join(t.TempDir(), "site-config.yaml"), Prev: msSite(),
		Check: func(context.Context, smtpauth.Settings, smtpauth.Options) (*smtpauth.Report, error) {
			return rep(), nil
		},
	})
	if !errors.Is(err, wizard.ErrNotSaved) {
		t.Fatalf("line prompts ended with %v, want ErrNotSaved\n%s", err, out)
	}
	promptLines := diagnosisBlock(t, out.String(), "Also failed at step token: ")
	if strings.Join(textLines, "\n") != strings.Join(promptLines, "\n") {
		t.Errorf("the diagnosis differs:\n--- apply/check\n%s\n--- line prompts\n%s", strings.Join(textLines, "\n"), strings.Join(promptLines, "\n"))
	}
	for _, want := range []string{"  Field to fix: smtp.oauth.client_secret", "  Set-up guide: step 2 of 'sitecfg guide microsoft'"} {
		if !strings.Contains(strings.Join(textLines, "\n"), want) {
			t.Errorf("the token's failure lacks %q:\n%s", want, text.String())
		}
	}
	if !strings.Contains(text.String(), "Check failed at connect: ") {
		t.Errorf("the SMTP failure is not the check's:\n%s", text.String())
	}
}
