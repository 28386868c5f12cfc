package main

import (
	"bytes"
	"strings"
	"testing"

	"sitecfg/microsoft"
	"sitecfg/smtpauth"
)

// apply's and check's text names the guide step of the Microsoft
// diagnoses: the OAuth ones with Microsoft settings, and the ones that
// retire basic authentication whatever the method. The reminder after a
// basic check that passed is said once.
func TestMicrosoftDiagnosesInText(t *testing.T) {
	fail := func(m smtpauth.Method, code smtpauth.Code) *smtpauth.Report {
		return &smtpauth.Report{Server: "smtp.office365.com:587", Method: m,
			Steps:     []smtpauth.Step{{Name: smtpauth.StepAuth, Status: smtpauth.StatusFailed}},
			Diagnosis: &smtpauth.Diagnosis{Step: smtpauth.StepAuth, Code: code, Summary: "refused", Remedy: "fix it"}}
	}
	tests := []struct {
		name string
		r    *smtpauth.Report
		want string
	}{
		{"550 5.7.30 with basic", fail(smtpauth.MethodBasic, smtpauth.CodeExchangeBasicAuthRetired), "  Set-up guide: step 1 of 'sitecfg guide microsoft'"},
		{"SendAsDenied at DATA", fail(smtpauth.MethodMicrosoft, smtpauth.CodeExchangeSendAsDeniedAtData), "  Set-up guide: step 5 of 'sitecfg guide microsoft'"},
		{"5.7.139 sign-in policy", fail(smtpauth.MethodMicrosoft, smtpauth.CodeExchangeSignInPolicy), "  Set-up guide: step 6 of 'sitecfg guide microsoft'"},
		{"AADSTS900432", fail(smtpauth.MethodMicrosoft, smtpauth.CodeAADSTS900432), "  Set-up guide: step 1 of 'sitecfg guide microsoft'"},
		{"AADSTS500011", fail(smtpauth.MethodMicrosoft, smtpauth.CodeAADSTS500011), "  Set-up guide: step 3 of 'sitecfg guide microsoft'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			printReport(&b, tt.r)
			if !strings.Contains(b.String(), tt.want+"\n") {
				t.Errorf("output lacks %q:\n%s", tt.want, b.String())
			}
		})
	}

	passed := &smtpauth.Report{OK: true, Server: "smtp.office365.com:587", Method: smtpauth.MethodBasic,
		Steps: []smtpauth.Step{{Name: smtpauth.StepAuth, Status: smtpauth.StatusWarning}},
		Warnings: []smtpauth.Diagnosis{{Step: smtpauth.StepAuth, Code: smtpauth.CodeExchangeBasicAuthRetiring, Field: "smtp.auth",
			Summary: "basic authentication to Exchange Online worked today, but it is being retired", Remedy: microsoft.BasicAuthRetirement}}}
	var b bytes.Buffer
	printReport(&b, passed)
	if n := strings.Count(b.String(), "end of December 2026"); n != 1 || !strings.Contains(b.String(), "Set-up guide: step 1") {
		t.Errorf("the timeline is said %d times:\n%s", n, b.String())
	}
}
