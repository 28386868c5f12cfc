package testkit

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// -update is registered only in test binaries (a package under test may
// have registered its own).
func init() {
	if testing.Testing() && flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files in testdata/")
	}
}

// Update reports whether golden files are to be rewritten: go test
// -update, or SITECFG_UPDATE_GOLDEN set in the environment.
func Update() bool {
	f := flag.Lookup("update")
	return (f != nil && f.Value.String() == "true") || os.Getenv("SITECFG_UPDATE_GOLDEN") != ""
}

// Golden compares got with the golden file at path (relative to the
// package's folder, usually under testdata/), after rewriting the file
// with got when Update says so.
func Golden(t testing.TB, path, got string) {
	t.Helper()
	if Update() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
