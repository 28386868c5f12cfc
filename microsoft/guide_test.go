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
			// App RBAC where it covers SMTP, with the test that verifies it;
			// SMTP.SendAsApp with FullAccess everywhere.
			rbac := strings.Contains(got, "New-ManagementRoleAssignment -App $exoSp.AppId -Role 'Application SMTP.SendAsApp'") &&
				strings.Contains(got, "Test-ServicePrincipalAuthorization -Identity $exoSp.AppId")
			if rbac != cloud.AppRBACForSMTP() || !strings.Contains(got, "-AccessRights FullAccess") {
				t.Errorf("App RBAC offered: %v, want %v", rbac, cloud.AppRBACForSMTP())
			}
			// Graph and Exchange in separate sessions; security defaults are
			// about basic authentication.
			if !strings.Contains(got, "in a new PowerShell session") || strings.Contains(got, "Security defaults and Conditional Access can still block") ||
				!strings.Contains(got, "Exchange Administrator") {
				t.Error("one session for both modules, or security defaults said to block OAuth")
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
				"New-ServicePrincipal -AppId $AppId -ObjectId $ObjectId", "Add-MailboxPermission -Identity $Mailbox -User $exoSp.Identity -AccessRights FullAccess",
				"Set-CASMailbox -Identity $Mailbox -SmtpClientAuthenticationDisabled $false", "New-MgServicePrincipalAppRoleAssignment",
				// App RBAC: the scope, the role on it, the test.
				"New-ManagementScope -Name $scope -RecipientRestrictionFilter", "-Role 'Application SMTP.SendAsApp' -CustomResourceScope $scope",
				"Test-ServicePrincipalAuthorization -Identity $AppId -Resource $Mailbox",
				// The certificate's key is tested with the static form of the extension method.
				"[System.Security.Cryptography.X509Certificates.RSACertificateExtensions]::GetRSAPublicKey($cert)",
				// Exchange in a child pwsh; the roles of each half.
				"& (Get-Process -Id $PID).Path -NoProfile -Command $exchangeHalf -args", "Cloud Application Administrator", "Exchange Administrator",
				// A wrong object ID is replaced; an expired secret too; replication is waited for.
				"$registered -notcontains $ObjectId", "Remove-ServicePrincipal -Identity $exoSp.Identity", "Remove-MgApplicationPassword -ApplicationId $app.Id -KeyId $old.KeyId",
				"Invoke-WhenReplicated { New-ServicePrincipal",
			} {
				if !strings.Contains(got, want) {
					t.Errorf("script lacks %q", want)
				}
			}
			// Find or create: each thing made is looked for first.
			for made, lookedFor := range map[string]string{
				"New-MgApplication":                       "$tagged = @(Get-MgApplication -Filter \"tags/any(t:t eq 'sitecfg-smtp')\")",
				"New-MgServicePrincipal":                  "$sp = Get-MgServicePrincipal",
				"Add-MgApplicationPassword":               "$existing = $ours",
				"New-ManagementScope":                     "Get-ManagementScope -Identity $scope",
				"New-ManagementRoleAssignment -Name":      "Get-ManagementRoleAssignment -Identity $scope",
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
			// PowerShell binds no extension method; the Exchange module is
			// never loaded beside Graph's (no #Requires for it), and each
			// half connects in its own part of the script.
			if strings.Contains(got, "$cert.GetRSAPublicKey()") || strings.Contains(got, "#Requires -Modules") {
				t.Error("an extension method called on the object, or both modules required in one session")
			}
			half := strings.Index(got, "$exchangeHalf = {")
			graph := strings.Index(got, "if ($Part -ne 'Exchange') {")
			if exo := strings.Index(got, "Connect-ExchangeOnline"); half < 0 || graph < 0 || exo < half || exo > graph || strings.Index(got, "Connect-MgGraph") < graph {
				t.Error("Connect-ExchangeOnline outside the Exchange half, or Connect-MgGraph before the Entra half")
			}
			// App RBAC is the default where it covers SMTP.
			access := "'SendAsApp'"
			if cloud.AppRBACForSMTP() {
				access = "'Rbac'"
			}
			if !strings.Contains(got, "[string]$Access = "+access) {
				t.Errorf("-Access does not default to %s", access)
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
	for in, want := range map[string]string{
		" o'brien@x.com ": "'o''brien@x.com'",
		// PowerShell ends a single-quoted string at the typographic
		// single quotes too.
		"o\u2018b\u2019c\u201ad\u201be": "'o\u2018\u2018b\u2019\u2019c\u201a\u201ad\u201b\u201be'",
	} {
		if got := psQuote(in); got != want {
			t.Errorf("psQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

// The App RBAC commands: the scope holds exactly the mailbox, whatever
// its address holds, and the role is assigned on it.
func TestRBACCommands(t *testing.T) {
	got := RBACCommands("c1", "o'brien$x@contoso.com")
	want := []string{
		"$scope = 'sitecfg SMTP o''brien$x@contoso.com'",
		"New-ManagementScope -Name $scope -RecipientRestrictionFilter \"PrimarySmtpAddress -eq 'o''brien`$x@contoso.com'\"",
		"New-ManagementRoleAssignment -App c1 -Role 'Application SMTP.SendAsApp' -CustomResourceScope $scope",
		"Test-ServicePrincipalAuthorization -Identity c1 -Resource 'o''brien$x@contoso.com' | Format-Table",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("RBACCommands:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !CloudGlobal.AppRBACForSMTP() || CloudGCCHigh.AppRBACForSMTP() || CloudDoD.AppRBACForSMTP() || CloudChina.AppRBACForSMTP() {
		t.Error("App RBAC for SMTP is the worldwide service's only")
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
