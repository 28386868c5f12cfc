package testkit

import (
	"os"
	"path/filepath"
	"testing"
)

// Golden passes on the file's contents, fails on anything else, and with
// the update switch writes the file (folders included) first.
func TestGolden(t *testing.T) {
	path := filepath.Join(t.TempDir(), "testdata", "golden", "screen.txt")

	t.Setenv("SITECFG_UPDATE_GOLDEN", "1")
	Golden(t, path, "hello\n")
	if b, err := os.ReadFile(path); err != nil || string(b) != "hello\n" {
		t.Fatalf("update wrote %q, %v", b, err)
	}

	t.Setenv("SITECFG_UPDATE_GOLDEN", "")
	Golden(t, path, "hello\n")
	r := &recorder{TB: t}
	Golden(r, path, "goodbye\n")
	if len(r.errors) != 1 {
		t.Errorf("a different text: %q", r.errors)
	}
	if b, _ := os.ReadFile(path); string(b) != "hello\n" {
		t.Errorf("the golden file changed without -update: %q", b)
	}
}
