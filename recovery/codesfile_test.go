package recovery

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
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

// Keep and Undo are final: once the config holds the codes (Keep), an
// Undo — the front end's clean-up when the program ends, Ctrl+C on the
// last screen — leaves the file; an undone file is not kept either. A
// created file is removed by Undo, a replaced one put back.
func TestCodesFileStates(t *testing.T) {
	at := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	old := string(CodesFileContent("siteadmin", []string{"AAAAAAAAAAAAAAAA"}, at))
	for _, tt := range []struct {
		name    string
		existed bool
		ends    []string // the calls, in order
		want    string   // "new", "old" or "<none>": what path holds after
	}{
		{"created/keep", false, []string{"keep"}, "new"},
		{"created/undo", false, []string{"undo"}, "<none>"},
		{"created/keep, undo", false, []string{"keep", "undo"}, "new"},
		{"created/undo, keep", false, []string{"undo", "keep"}, "<none>"},
		{"replaced/keep", true, []string{"keep"}, "new"},
		{"replaced/undo", true, []string{"undo"}, "old"},
		{"replaced/keep, undo", true, []string{"keep", "undo"}, "new"},
		{"replaced/undo, undo", true, []string{"undo", "undo"}, "old"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "codes.txt")
			if tt.existed {
				if err := os.WriteFile(path, []byte(old), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			f, err := WriteCodesFile(path, "siteadmin", []string{"BBBBBBBBBBBBBBBB"}, at, tt.existed)
			if err != nil {
				t.Fatal(err)
			}
			newer := testkit.ReadOr(t, path)
			if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
				t.Fatalf("codes file mode: %v %v", fi, err)
			}
			if _, err := os.Lstat(ReplacedPath(path)); err != nil {
				t.Fatalf("nothing waits beside the written file: %v", err)
			}
			for _, end := range tt.ends {
				var err error
				if end == "keep" {
					err = f.Keep()
				} else {
					err = f.Undo()
				}
				if err != nil {
					t.Fatalf("%s: %v", end, err)
				}
			}
			want := map[string]string{"new": newer, "old": old, "<none>": "<none>"}[tt.want]
			if got := testkit.ReadOr(t, path); got != want {
				t.Errorf("the file holds %q, want the %s content", got, tt.want)
			}
			if got := testkit.ReadOr(t, ReplacedPath(path)); got != "<none>" {
				t.Errorf("left beside the file: %q", got)
			}
		})
	}
	var zero CodesFile // written nothing: nothing to keep or undo
	if zero.Keep() != nil || zero.Undo() != nil {
		t.Error("the zero CodesFile did something")
	}
}

// A codes file path that is not a regular file is refused, whether or not
// replacing is allowed (a FIFO there was read, and waited on, forever).
func TestWriteCodesFileRefusesNonRegular(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip(err)
	}
	for _, path := range []string{fifo, dir} {
		for _, overwrite := range []bool{false, true} {
			if _, err := WriteCodesFile(path, "siteadmin", []string{"BBBBBBBBBBBBBBBB"}, time.Now(), overwrite); err == nil || !strings.Contains(err.Error(), "not a regular file") {
				t.Errorf("%s (overwrite %v): %v", path, overwrite, err)
			}
		}
	}
	if got := testkit.ReadOr(t, ReplacedPath(fifo)); got != "<none>" {
		t.Errorf("a refused write left %q beside it", got)
	}
}

// A run is killed at each stage of writing its codes (CodesFile), on a
// re-run that replaces the codes file the config holds the codes of, and
// on one that creates it: the next run's reconcile leaves the codes file
// holding the codes the config holds — the old ones before the config
// write, the new ones after it — or, when the config holds none of the
// created file's, no file; nothing is left beside it.
func TestReconcileAfterAKillAtEachStage(t *testing.T) {
	at := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	working, hashes := codesFor(t)
	newer, newHashes := codesFor(t)
	// The stages, in the order a run goes through them; each sets the
	// disk as that run leaves it and says whether the config was written.
	stages := []struct {
		name string
		at   func(t *testing.T, path string) (configWritten bool)
	}{
		{"before the write", func(t *testing.T, path string) bool { return false }},
		{"old file set aside", func(t *testing.T, path string) bool {
			f := &CodesFile{Path: path}
			if _, err := f.setAside(ReplacedPath(path)); err != nil {
				t.Fatal(err)
			}
			return false
		}},
		{"codes half written", func(t *testing.T, path string) bool {
			f := &CodesFile{Path: path}
			if _, err := f.setAside(ReplacedPath(path)); err != nil {
				t.Fatal(err)
			}
			tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp-123456")
			if err := os.WriteFile(tmp, CodesFileContent("siteadmin", newer, at)[:40], 0o600); err != nil {
				t.Fatal(err)
			}
			return false
		}},
		{"codes written", func(t *testing.T, path string) bool {
			if _, err := WriteCodesFile(path, "siteadmin", newer, at, true); err != nil {
				t.Fatal(err)
			}
			return false
		}},
		{"config written", func(t *testing.T, path string) bool {
			if _, err := WriteCodesFile(path, "siteadmin", newer, at, true); err != nil {
				t.Fatal(err)
			}
			return true
		}},
		{"kept", func(t *testing.T, path string) bool {
			f, err := WriteCodesFile(path, "siteadmin", newer, at, true)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.Keep(); err != nil {
				t.Fatal(err)
			}
			return true
		}},
	}
	for _, existed := range []bool{true, false} {
		for _, st := range stages {
			name := map[bool]string{true: "replaced/", false: "created/"}[existed] + st.name
			t.Run(name, func(t *testing.T) {
				dir := t.TempDir()
				path := filepath.Join(dir, "codes.txt")
				if existed {
					if err := os.WriteFile(path, CodesFileContent("siteadmin", working, at), 0o600); err != nil {
						t.Fatal(err)
					}
				}
				configHashes := hashes
				if !existed {
					configHashes = nil // a first deploy
				}
				if st.at(t, path) {
					configHashes = newHashes
				}
				// Killed here; the next run:
				if _, err := ReconcileCodesFile(path, configHashes); err != nil {
					t.Fatal(err)
				}
				got := ParseCodesFile([]byte(testkit.ReadOr(t, path)))
				switch {
				case len(configHashes) == 0:
					if len(got) != 0 {
						t.Errorf("codes no config holds are left: %v", got)
					}
				case len(got) == 0 || !holds(configHashes, got):
					t.Errorf("the codes file holds %v, not the config's codes", got)
				}
				entries, _ := os.ReadDir(dir)
				for _, e := range entries {
					if e.Name() != "codes.txt" {
						t.Errorf("left behind: %s", e.Name())
					}
				}
			})
		}
	}
}

// The previous version staged new codes in ".FILE.pending" until its
// config was written; a run of it killed there left them. The next run
// (this version) moves them into place if the config holds them, and
// removes them otherwise: an upgrade loses no codes, and leaves none.
func TestReconcileLegacyPending(t *testing.T) {
	at := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	working, hashes := codesFor(t)
	pendingCodes, pendingHashes := codesFor(t)
	for _, tt := range []struct {
		name         string
		configHashes []string
		want         []string
	}{
		{"config written", pendingHashes, pendingCodes},
		{"config not written", hashes, working},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "codes.txt")
			pending := filepath.Join(filepath.Dir(path), ".codes.txt.pending")
			if err := os.WriteFile(path, CodesFileContent("siteadmin", working, at), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(pending, CodesFileContent("siteadmin", pendingCodes, at), 0o600); err != nil {
				t.Fatal(err)
			}
			changed, err := ReconcileCodesFile(path, tt.configHashes)
			if err != nil {
				t.Fatal(err)
			}
			got := ParseCodesFile([]byte(testkit.ReadOr(t, path)))
			if len(got) == 0 || got[0] != tt.want[0] || changed != (tt.want[0] == pendingCodes[0]) {
				t.Errorf("the codes file holds %v (changed %v), want %v", got, changed, tt.want)
			}
			if got := testkit.ReadOr(t, pending); got != "<none>" {
				t.Errorf("the pending file is still there")
			}
		})
	}
}
