package e2e

import (
	"archive/tar"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"sitecfg/internal/testkit"
)

// untar returns the files of a tar.gz bundle.
func untar(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	files := map[string]string{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		files[h.Name] = string(b)
	}
	return files
}

func TestSupportBundleHoldsNoSecret(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	answers := filepath.Join(dir, "a.yaml")
	b, _ := os.ReadFile(testdata("answers", "basic-loopback.yaml"))
	os.WriteFile(answers, []byte(strings.Replace(string(b), "${SITECFG_TEST_SMTP_PASSWORD}", "Bundle-Canary-Secret-42", 1)), 0o600)
	if r := runBin(t, dir, []string{"SITECFG_TEST_PORT=" + strconv.Itoa(testkit.ClosedPort(t))}, "", "apply", "--answers", answers, "--skip-check"); r.code != 0 {
		t.Fatalf("apply: %d %s", r.code, r.stderr)
	}
	bundle := filepath.Join(dir, "bundle.tar.gz")
	r := runBin(t, dir, nil, "", "check", "--bundle", bundle, "--timeout", "5s")
	if r.code != 4 {
		t.Fatalf("check against a closed port: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	fi, err := os.Stat(bundle)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("bundle mode %o", fi.Mode().Perm())
	}
	files := untar(t, bundle)
	for _, name := range []string{"version.txt", "config-redacted.yaml", "check.json", "transcript.txt", "diagnosis.txt", "environment.txt"} {
		if _, ok := files["sitecfg-bundle/"+name]; !ok {
			t.Errorf("bundle lacks %s (has %v)", name, keys(files))
		}
	}
	for name, content := range files {
		t.Run(name, func(t *testing.T) {
			testkit.NoSecret(t, content, "Bundle-Canary-Secret-42")
			if strings.Contains(content, "$argon2id$") {
				t.Errorf("%s contains a password hash", name)
			}
		})
	}
	if !strings.Contains(files["sitecfg-bundle/config-redacted.yaml"], "${SMTP_PASSWORD}") {
		t.Errorf("config in bundle:\n%s", files["sitecfg-bundle/config-redacted.yaml"])
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
