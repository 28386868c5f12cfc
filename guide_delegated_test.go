package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sitecfg/config"
)

// guide microsoft on a microsoft-delegated config prints the delegated
// set-up, in every cloud: a public client app with the redirect URI
// http://localhost under Mobile and desktop applications, the delegated
// SMTP.Send, SMTP AUTH for the mailbox, then sitecfg signin with the
// same --config; --script does it in PowerShell, safe to run twice.
func TestGuideDelegated(t *testing.T) {
	for _, c := range config.Clouds {
		t.Run(string(c), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "site-config.yaml")
			site := &config.Site{Version: 1, SMTP: config.SMTP{Enabled: true, Auth: config.AuthDelegated, Server: c.SMTPHost(), Port: 587,
				Security: config.SecurityStartTLS, Username: "alerts@contoso.com", From: "alerts@contoso.com",
				OAuth: &config.OAuth{Cloud: c, TenantID: "11111111-2222-3333-4444-555555555555", ClientID: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"}},
				Emails: &config.Emails{UIAdmin: "a@contoso.com", UISupport: "s@contoso.com", AdmiralAlerts: "h@contoso.com"}}
			data, err := config.Marshal(site)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			code, out, errs := runCLI(t, "guide", "microsoft", "--config", path)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			for _, want := range []string{"Mobile and desktop applications", "http://localhost", "Delegated permissions → SMTP.Send",
				"Grant admin consent", "Allow public client flows", "Set-CASMailbox -Identity 'alerts@contoso.com' -SmtpClientAuthenticationDisabled $false",
				"sitecfg signin --config " + path, c.Portal(), "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"} {
				if !strings.Contains(out, want) {
					t.Errorf("guide lacks %q:\n%s", want, out)
				}
			}
			if strings.Contains(out, "SMTP.SendAsApp") || strings.Contains(out, "client secret\n") {
				t.Errorf("the delegated guide speaks of the app-only set-up:\n%s", out)
			}
			if env := c.ExchangeEnvironment(); env != "" && !strings.Contains(out, "-ExchangeEnvironmentName "+env) {
				t.Errorf("guide does not connect to the %s cloud", c)
			}
			code, script, errs := runCLI(t, "guide", "microsoft", "--script", "--config", path)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			for _, want := range []string{"PublicClient @{ RedirectUris", "IsFallbackPublicClient", "'SMTP.Send'", "ConsentType AllPrincipals",
				"Set-CASMailbox -Identity $Mailbox", "sitecfg signin --config " + path, "[string]$ClientId = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee'"} {
				if !strings.Contains(script, want) {
					t.Errorf("script lacks %q", want)
				}
			}
			if env := c.GraphEnvironment(); env != "" && !strings.Contains(script, "Connect-MgGraph -Environment "+env) {
				t.Errorf("script does not connect Graph to the %s cloud", c)
			}
		})
	}
}
