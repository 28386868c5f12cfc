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
				"Cloud Application Administrator", "Role Management", "-Trustee " + orPlaceholder(tt.in.Mailbox, "<mailbox>") + " -AccessRights SendAs",
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
