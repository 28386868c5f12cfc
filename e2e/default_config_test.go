package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Without --config and SITECFG_CONFIG, every command means the file the
// cluster reads, /etc/sitecfg/site-config.yaml — never a file in whatever
// folder the operator happens to be in (a run from /root wrote
// /root/site-config.yaml, which the cluster never reads).
func TestDefaultConfigPath(t *testing.T) {
	dir := t.TempDir()
	// A config in the working folder must not be the one used.
	if err := os.WriteFile(dir+"/site-config.yaml", []byte("version: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const def = "/etc/sitecfg/site-config.yaml"
	env := []string{"SITECFG_CONFIG="}
	if _, err := os.Stat(def); err == nil {
		t.Skipf("%s exists on this machine: the test must not read or write it", def)
	}
	r := runBin(t, dir, env, "", "check")
	if r.code != 5 || !strings.Contains(r.stderr, def) {
		t.Errorf("check without --config: exit %d, want 5 naming %s\n%s", r.code, def, r.stderr)
	}
	r = runBin(t, dir, env, "", "--help")
	if !strings.Contains(r.stdout+r.stderr, def) {
		t.Errorf("--help does not name the default config %s:\n%s", def, r.stdout)
	}
	r = runBin(t, dir, env, "", "check", "--help")
	if !strings.Contains(r.stdout+r.stderr, def) {
		t.Errorf("check --help does not name the default config %s:\n%s", def, r.stdout)
	}
	r = runBin(t, dir, append(env, "SITECFG_CONFIG="+dir+"/other.yaml"), "", "check")
	if !strings.Contains(r.stderr, dir+"/other.yaml") {
		t.Errorf("SITECFG_CONFIG is not the config used:\n%s", r.stderr)
	}
}

// recovery-codes without --out writes NAME-recovery-codes.txt next to the
// config (the file the wizard offers), not in the working folder.
func TestRecoveryCodesDefaultOutIsNextToTheConfig(t *testing.T) {
	dir, path, _ := setupLocalUsers(t)
	elsewhere := t.TempDir()
	codes := filepath.Join(dir, "siteadmin-recovery-codes.txt")
	if err := os.Remove(codes); err != nil {
		t.Fatal(err)
	}
	r := runBin(t, elsewhere, nil, "", "recovery-codes", "--user", "siteadmin", "--config", path)
	if r.code != 0 {
		t.Fatalf("recovery-codes: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if got := readCodes(t, codes); len(got) != 10 {
		t.Errorf("%s holds %d codes, want 10", codes, len(got))
	}
	if _, err := os.Stat(filepath.Join(elsewhere, "siteadmin-recovery-codes.txt")); err == nil {
		t.Error("the codes were written in the working folder too")
	}
}
