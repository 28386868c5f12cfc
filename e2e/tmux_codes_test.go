package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sitecfg/internal/testkit"
	"sitecfg/recovery"
)

// The codes saved to one file, then (back a page) to another, then the
// config written: the file the config's codes are in stays, the other is
// taken back, and nothing is left beside either. Ctrl+C before the write
// takes both back, not only the last.
func TestTUICodesSavedToTwoFiles(t *testing.T) {
	slow(t, "drives the wizard in tmux")
	t.Parallel()
	for _, end := range []string{"written", "Ctrl+C"} {
		t.Run(end, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			cfg := filepath.Join(dir, "site-config.yaml")
			first, second := filepath.Join(dir, "first.txt"), filepath.Join(dir, "second.txt")
			s := startTUI(t, dir, "--config", cfg)
			fillSMTPOffAccounts(s, first)
			s.waitFor(" 10. ").keys("s").waitFor("Type one of the codes back")
			if _, err := os.Stat(first); err != nil {
				t.Fatal(err)
			}
			s.keys("BTab").field("Save the admin's recovery codes to", second)
			s.waitFor(" 10. ").keys("s").waitFor("Type one of the codes back")
			codes := recovery.ParseCodesFile([]byte(testkit.ReadOr(t, second)))
			if len(codes) != 10 {
				t.Fatalf("the codes were not saved to %s", second)
			}
			want := map[string]bool{first: false, second: false}
			switch end {
			case "written":
				s.field("Type one of the codes back", codes[1])
				s.waitFor("users.admin.password").keys("Enter").waitFor("Saved.").keys("Enter")
				s.mustExit(0)
				want[second] = true
			case "Ctrl+C":
				s.keys("C-c")
				s.mustExit(130)
			}
			for p, stays := range want {
				if _, err := os.Stat(p); (err == nil) != stays {
					t.Errorf("%s there after the run (%s): %v, want %v", filepath.Base(p), end, err == nil, stays)
				}
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if n := e.Name(); strings.HasSuffix(n, ".replaced") || strings.HasSuffix(n, ".pending") || strings.Contains(n, ".tmp-") {
					t.Errorf("left behind: %s", n)
				}
			}
		})
	}
}
