package wizard

import (
	"testing"
	"time"

	"sitecfg/config"
	"sitecfg/smtpauth"
)

// A failed Microsoft 365 check shows, as apply and the line prompts do,
// the commands to paste and the set-up guide step.
func TestCheckFailureMicrosoftGuideStep(t *testing.T) {
	t.Parallel()
	d := newDriver(t, TUIOptions{})
	a := &d.m.st.Answers
	a.SMTP = config.SMTP{Enabled: true, Auth: config.AuthMicrosoft, Server: "smtp.office365.com", Port: 587, Security: config.SecurityStartTLS,
		Username: "alerts@contoso.com", From: "alerts@contoso.com", OAuth: &config.OAuth{Cloud: config.CloudGlobal,
			TenantID: "contoso.onmicrosoft.com", ClientID: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", ClientSecret: config.Secret{Value: "abc~Secret.Value-1"}}}
	a.Emails = config.Emails{UIAdmin: "admin@contoso.com", UISupport: "support@contoso.com", AdmiralAlerts: "alerts@contoso.com"}
	d.fake.reports = []*smtpauth.Report{{Server: "smtp.office365.com:587",
		Steps: []smtpauth.Step{
			{Name: smtpauth.StepToken, Status: smtpauth.StatusOK, Duration: 80 * time.Millisecond},
			{Name: smtpauth.StepAuth, Status: smtpauth.StatusFailed, Duration: 40 * time.Millisecond, Detail: "535 5.7.3"},
		},
		Diagnosis: &smtpauth.Diagnosis{Step: smtpauth.StepAuth, Code: smtpauth.CodeExchangeAuthUnsuccessful,
			Summary:    "Exchange refused the token for mailbox alerts@contoso.com (535 5.7.3)",
			Remedy:     "register the app's service principal in Exchange Online",
			Commands:   []string{"New-ServicePrincipal -AppId aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee -ObjectId <Enterprise application object ID>"},
			ServerSaid: "535 5.7.3 Authentication unsuccessful"}}}
	d.run(d.m.startCheck())
	d.must("Failed at authenticate", "Commands (PowerShell, Exchange Online):", "New-ServicePrincipal",
		"Set-up guide: step 4 of 'sitecfg guide microsoft'").fits(80, 24)
	d.goldenScreen("check-failed-microsoft")
}
