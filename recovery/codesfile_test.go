package recovery

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"sitecfg/internal/testkit"
)

// codesFor makes n codes and the hashes a config would hold of them.
func codesFor(t *testing.T) (codes, hashes []string) {
	t.Helper()
	codes, err := Generate(DefaultCount)
	if err != nil {
		t.Fatal(err)
	}
	if hashes, err = HashCodes(codes); err != nil {
		t.Fatal(err)
	}
	return codes, hashes
}

// Replacing a codes file keeps what it held on disk until the run ends:
// Undo puts it back, Keep (the config now holds the new codes) removes
// it. A second write in the same run keeps the oldest content.
func TestReplacedCodesWaitOnDisk(t *testing.T) {
	at := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	for _, end := range []string{"undo", "keep"} {
		t.Run(end, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "codes.txt")
			old := string(CodesFileContent("siteadmin", []string{"AAAAAAAAAAAAAAAA"}, at))
			if err := os.WriteFile(path, []byte(old), 0o600); err != nil {
				t.Fatal(err)
			}
			codes, _ := codesFor(t)
			f, err := WriteCodesFile(path, "siteadmin", codes, at, true)
			if err != nil {
				t.Fatal(err)
			}
			if got := testkit.ReadOr(t, ReplacedPath(path)); got != old {
				t.Fatalf("replaced file = %q, want the old content", got)
			}
			if fi, err := os.Stat(ReplacedPath(path)); err != nil || fi.Mode().Perm() != 0o600 {
				t.Fatalf("replaced file mode: %v %v", fi, err)
			}
			// Written again in the same run (the admin renamed).
			if _, err := WriteCodesFile(path, "admin2", codes, at, true); err != nil {
				t.Fatal(err)
			}
			if got := testkit.ReadOr(t, ReplacedPath(path)); got != old {
				t.Fatalf("a second write replaced the kept content with %q", got)
			}
			switch end {
			case "undo":
				if err := f.Undo(); err != nil {
					t.Fatal(err)
				}
				if got := testkit.ReadOr(t, path); got != old {
					t.Errorf("after Undo the file holds %q", got)
				}
			case "keep":
				if err := f.Keep(); err != nil {
					t.Fatal(err)
				}
				if got := testkit.ReadOr(t, path); got == old {
					t.Error("Keep put the old codes back")
				}
			}
			if got := testkit.ReadOr(t, ReplacedPath(path)); got != "<none>" {
				t.Errorf("after %s the replaced file is still there: %q", end, got)
			}
		})
	}
}

// A run killed after writing its codes over a file whose codes the config
// holds: the next run's reconcile puts those codes back. Once the config
// holds the new codes (killed after the write), the kept file is stale and
// is removed.
func TestReconcilePutsBackReplacedCodes(t *testing.T) {
	at := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	working, hashes := codesFor(t)
	newer, newHashes := codesFor(t)
	for _, tt := range []struct {
		name         string
		configHashes []string
		want         string // "working" or "newer": what path holds after
	}{
		{"config not written", hashes, "working"},
		{"config written", newHashes, "newer"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "codes.txt")
			if err := os.WriteFile(path, CodesFileContent("siteadmin", working, at), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := WriteCodesFile(path, "siteadmin", newer, at, true); err != nil {
				t.Fatal(err)
			}
			// Killed here: no Undo, no Keep.
			if _, err := ReconcileCodesFile(path, tt.configHashes); err != nil {
				t.Fatal(err)
			}
			want := working
			if tt.want == "newer" {
				want = newer
			}
			if got := ParseCodesFile([]byte(testkit.ReadOr(t, path))); len(got) == 0 || got[0] != want[0] {
				t.Errorf("the codes file holds %v, want the %s codes", got, tt.want)
			}
			if got := testkit.ReadOr(t, ReplacedPath(path)); got != "<none>" {
				t.Errorf("the replaced file is still there after reconcile")
			}
		})
	}
}
