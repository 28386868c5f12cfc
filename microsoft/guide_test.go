package microsoft

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"sitecfg/internal/testkit"
)

func TestGuideGolden(t *testing.T) {
	tests := []struct {
		name string
		in   GuideInput
	}{
		{"global", GuideInput{Cloud: CloudGlobal, TenantID: "11111111-2222-3333-4444-555555555555", ClientID: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", Mailbox: "alerts@contoso.com"}},
		{"gcchigh", GuideInput{Cloud: CloudGCCHigh, TenantID: "contoso.onmicrosoft.us", ClientID: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", Mailbox: "alerts@contoso.us"}},
		{"dod", GuideInput{Cloud: CloudDoD, TenantID: "contoso.onmicrosoft.us", ClientID: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", Mailbox: "alerts@contoso.mil"}},
		{"china", GuideInput{Cloud: CloudChina, TenantID: "contoso.partner.onmschina.cn", ClientID: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", Mailbox: "alerts@contoso.cn"}},
		{"placeholders", GuideInput{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Guide(tt.in)
			cloud := tt.in.Cloud
			if !cloud.Known() {
				cloud = CloudGlobal
			}
			// Graph and Exchange sign in to the operator's cloud.
			for _, want := range []string{"Connect-MgGraph" + envFlag(" -Environment ", cloud.GraphEnvironment()) + " -TenantId",
				"Connect-ExchangeOnline" + envFlag(" -ExchangeEnvironmentName ", cloud.ExchangeEnvironment()) + "\n", cloud.Portal() + " → Entra ID → App registrations",
				"Cloud Application Administrator", "Role Management", "-Trustee " + psArg(tt.in.Mailbox, "<mailbox>") + " -AccessRights SendAs",
				"Get-CASMailbox -Identity", "Get-TransportConfig", "RBAC for Applications", "shared mailbox"} {
				if !strings.Contains(got, want) {
					t.Errorf("guide lacks %q", want)
				}
			}
			if strings.Contains(got, "$sp.Id -AccessRights SendAs") || strings.Contains(got, "Privileged Role Administrator") {
				t.Error("the old trustee or roles")
			}
			testkit.Golden(t, filepath.Join("testdata", "guide", tt.name+".txt"), got)
			for _, v := range []string{tt.in.TenantID, tt.in.ClientID, tt.in.Mailbox} {
				if v != "" && !strings.Contains(got, v) {
					t.Errorf("guide does not fill in %q", v)
				}
			}
			for _, line := range strings.Split(got, "\n") {
				if len([]rune(line)) > 130 {
					t.Errorf("line too long to paste comfortably (%d): %s", len(line), line)
				}
			}
		})
	}
}

// Every step constant is printed, numbered, in order.
func TestGuideStepsPrinted(t *testing.T) {
	got := Guide(GuideInput{})
	at := 0
	for s := GuideStepRegister; s <= GuideStepCheck; s++ {
		i := strings.Index(got[at:], fmt.Sprintf("\n%d. ", s))
		if i < 0 {
			t.Fatalf("step %d is not printed after step %d", s, s-1)
		}
		at += i + 1
	}
}

func envFlag(flag, env string) string {
	if env == "" {
		return ""
	}
	return flag + env
}

// The script, per cloud: golden, signed in to the operator's cloud, find
// before create at every step, and no secret written to a config.
func TestScriptGolden(t *testing.T) {
	tests := []struct {
		name string
		in   GuideInput
	}{
		{"global", GuideInput{Cloud: CloudGlobal, TenantID: "11111111-2222-3333-4444-555555555555", ClientID: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", Mailbox: "alerts@contoso.com"}},
		{"gcchigh", GuideInput{Cloud: CloudGCCHigh, TenantID: "contoso.onmicrosoft.us", ClientID: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", Mailbox: "alerts@contoso.us"}},
		{"dod", GuideInput{Cloud: CloudDoD, TenantID: "contoso.onmicrosoft.us", Mailbox: "alerts@contoso.mil"}},
		{"china", GuideInput{Cloud: CloudChina, TenantID: "contoso.partner.onmschina.cn", ClientID: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", Mailbox: "o'brien@contoso.cn"}},
		{"placeholders", GuideInput{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Script(tt.in)
			testkit.Golden(t, filepath.Join("testdata", "script", tt.name+".ps1"), got)
			cloud := tt.in.Cloud
			if !cloud.Known() {
				cloud = CloudGlobal
			}
			for _, want := range []string{
				"Connect-MgGraph" + envFlag(" -Environment ", cloud.GraphEnvironment()) + " -TenantId $TenantId",
				"Connect-ExchangeOnline" + envFlag(" -ExchangeEnvironmentName ", cloud.ExchangeEnvironment()) + " -ShowBanner",
				"[string]$Mailbox = " + psQuote(tt.in.Mailbox), "[string]$TenantId = " + psQuote(tt.in.TenantID),
				"server: " + cloud.SMTPHost(), "cloud: " + string(cloud), "client_secret: `${SMTP_OAUTH_CLIENT_SECRET}",
				"New-ServicePrincipal -AppId $app.AppId -ObjectId $sp.Id", "Add-MailboxPermission -Identity $Mailbox -User $exoSp.Identity -AccessRights FullAccess",
				"Set-CASMailbox -Identity $Mailbox -SmtpClientAuthenticationDisabled $false", "New-MgServicePrincipalAppRoleAssignment",
			} {
				if !strings.Contains(got, want) {
					t.Errorf("script lacks %q", want)
				}
			}
			// Find or create: each thing made is looked for first.
			for made, lookedFor := range map[string]string{
				"New-MgApplication":                       "Get-MgApplication -Filter \"displayName eq '$AppName'\"",
				"New-MgServicePrincipal":                  "$sp = Get-MgServicePrincipal",
				"Add-MgApplicationPassword":               "$existing = $app.PasswordCredentials",
				"-KeyCredentials $keys":                   "$uploaded = $current",
				"New-MgServicePrincipalAppRoleAssignment": "$granted = Get-MgServicePrincipalAppRoleAssignment",
				"New-ServicePrincipal -AppId":             "$exoSp = Get-ServicePrincipal",
				"Add-MailboxPermission":                   "$full = Get-MailboxPermission",
			} {
				i, j := strings.Index(got, lookedFor), strings.Index(got, made)
				if i < 0 || j < 0 || i > j {
					t.Errorf("%q is not looked for (%q) before it is made", made, lookedFor)
				}
			}
			// The secret goes to the console only, never into an answers
			// fragment or a file.
			if strings.Contains(got, "Out-File") || strings.Contains(got, "Set-Content") || strings.Contains(got, "client_secret: $") {
				t.Error("the script writes a secret somewhere")
			}
		})
	}
}

func TestPSQuote(t *testing.T) {
	if got := psQuote(" o'brien@x.com "); got != "'o''brien@x.com'" {
		t.Errorf("psQuote = %s", got)
	}
}

// Issue 22, point 5: PowerShell ends a single-quoted string at ASCII '
// and at U+2018–U+201B: every one of them is doubled, so a value cannot
// end the string and run what follows.
func TestPSQuoteDoublesEveryQuote(t *testing.T) {
	in := "a\u2019+$(Remove-Item x)+\u2019b\u2018c\u201ad\u201be'f"
	want := "'a\u2019\u2019+$(Remove-Item x)+\u2019\u2019b\u2018\u2018c\u201a\u201ad\u201b\u201be''f'"
	if got := psQuote(in); got != want {
		t.Errorf("psQuote = %s, want %s", got, want)
	}
	if !strings.Contains(Script(GuideInput{Mailbox: "x\u2019y@contoso.com"}), "[string]$Mailbox = 'x\u2019\u2019y@contoso.com'") {
		t.Error("the script does not double ’")
	}
}
