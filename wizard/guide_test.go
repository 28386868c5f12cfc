package wizard

import (
	"path/filepath"
	"strings"
	"testing"

	"sitecfg/config"
	"sitecfg/internal/testkit"
)

func TestMicrosoftGuideGolden(t *testing.T) {
	tests := []struct {
		name string
		in   GuideInput
	}{
		{"global", GuideInput{Cloud: config.CloudGlobal, TenantID: "11111111-2222-3333-4444-555555555555", ClientID: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", Mailbox: "alerts@contoso.com"}},
		{"gcchigh", GuideInput{Cloud: config.CloudGCCHigh, TenantID: "contoso.onmicrosoft.us", ClientID: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", Mailbox: "alerts@contoso.us"}},
		{"placeholders", GuideInput{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := MicrosoftGuide(tt.in)
			testkit.Golden(t, filepath.Join("..", "testdata", "golden", "guide", tt.name+".txt"), got)
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

func TestGuideStepForDiagnoses(t *testing.T) {
	for code, want := range map[string]int{
		"aadsts7000215":      GuideStepSecret,
		"aadsts700016":       GuideStepRegister,
		"missing-sendasapp":  GuideStepPermission,
		"smtp-535-5.7.3":     GuideStepPrincipal,
		"smtp-535-5.7.139":   GuideStepSMTPAuth,
		"smtp-550-5.7.60":    GuideStepMailbox,
		"connection-refused": 0,
	} {
		if got := GuideStepFor(code); got != want {
			t.Errorf("GuideStepFor(%q) = %d, want %d", code, got, want)
		}
	}
}
