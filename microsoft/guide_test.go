package microsoft

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// golden compares got with testdata/NAME; -update (or
// SITECFG_UPDATE_GOLDEN=1) rewrites the file.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update || os.Getenv("SITECFG_UPDATE_GOLDEN") != "" {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestGuideGolden(t *testing.T) {
	tests := []struct {
		name string
		in   GuideInput
	}{
		{"global", GuideInput{Cloud: CloudGlobal, TenantID: "11111111-2222-3333-4444-555555555555", ClientID: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", Mailbox: "alerts@contoso.com"}},
		{"gcchigh", GuideInput{Cloud: CloudGCCHigh, TenantID: "contoso.onmicrosoft.us", ClientID: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", Mailbox: "alerts@contoso.us"}},
		{"placeholders", GuideInput{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Guide(tt.in)
			golden(t, filepath.Join("guide", tt.name+".txt"), got)
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
