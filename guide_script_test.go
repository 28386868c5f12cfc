package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sitecfg/microsoft"
)

// guide microsoft --script prints the script with the saved config's
// cloud, IDs and mailbox, and never its secret.
func TestGuideScriptFromConfig(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "site-config.yaml")
	const secret = "Zx8Q~guide-script-canary-secret"
	cfg := `version: 1
smtp:
  enabled: true
  auth: microsoft-oauth
  server: smtp.office365.us
  port: 587
  security: starttls
  username: alerts@contoso.us
  from: alerts@contoso.us
  oauth:
    cloud: usgov-gcchigh
    tenant_id: contoso.onmicrosoft.us
    client_id: aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee
    client_secret: ` + secret + `
emails:
  ui_admin: admin@contoso.us
  ui_support: support@contoso.us
  admiral_alerts: health@contoso.us
`
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "guide", "microsoft", "--script", "--config", path)
	if code != exitOK || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	want := microsoft.Script(microsoft.GuideInput{Cloud: microsoft.CloudGCCHigh, TenantID: "contoso.onmicrosoft.us",
		ClientID: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", Mailbox: "alerts@contoso.us"})
	if out != want {
		t.Errorf("the script differs from microsoft.Script's:\n%s", out)
	}
	if strings.Contains(out, secret) || !strings.Contains(out, "Connect-MgGraph -Environment USGov") {
		t.Errorf("script:\n%s", out)
	}
	// Without a config: placeholders, said on stderr.
	code, out, errs = runCLI(t, "guide", "microsoft", "--script", "--config", filepath.Join(dir, "none.yaml"))
	if code != exitOK || !strings.Contains(errs, "placeholders") || !strings.Contains(out, "[string]$TenantId = ''") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}
