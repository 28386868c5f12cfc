package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sitecfg/config"
	"sitecfg/recovery"
)

// An unattended re-run (the same answers file, during an upgrade) keeps
// the admin's recovery codes: the ones stored offline keep working, the
// codes file is not replaced, and the output says so (the same answers
// write nothing at all: see TestApplyIsIdempotent).
func TestApplyRerunKeepsRecoveryCodes(t *testing.T) {
	slow(t, "hashes passwords: about a second of CPU per run")
	t.Parallel()
	dir, path, codes := setupLocalUsers(t)
	codesFile := filepath.Join(dir, "siteadmin-recovery-codes.txt")
	before, _ := os.ReadFile(codesFile)
	env := []string{"ADMIN_PASSWORD=Canary-Admin-Pw-91!", "SUPPORT_PASSWORD=Canary-Supp-Pw-37!"}
	r := runBin(t, dir, env, "", "apply", "--answers", filepath.Join(dir, "smtp-off.yaml"), "--json")
	if r.code != 0 {
		t.Fatalf("re-run: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	var res struct {
		Written          bool   `json:"written"`
		RecoveryCodesOut string `json:"recovery_codes_out"`
		Kept             bool   `json:"recovery_codes_kept"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	// The same answers as the saved config: nothing to write (apply is
	// idempotent), and the codes are kept.
	if res.Written || !res.Kept || res.RecoveryCodesOut != "" {
		t.Errorf("JSON: %+v", res)
	}
	if after, _ := os.ReadFile(codesFile); string(after) != string(before) {
		t.Error("the codes file was replaced by a re-run")
	}
	site, _, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	admin, _ := site.Account("siteadmin")
	for _, c := range codes {
		if _, ok := recovery.Match(admin.RecoveryCodes, c); !ok {
			t.Fatalf("code %s no longer works after a re-run", c)
		}
	}
	r = runBin(t, dir, env, "", "apply", "--answers", filepath.Join(dir, "smtp-off.yaml"))
	if r.code != 0 || !strings.Contains(r.stdout, "recovery codes of siteadmin are kept") {
		t.Errorf("text output does not say the codes are kept: %d\n%s", r.code, r.stdout)
	}
}
