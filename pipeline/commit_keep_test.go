package pipeline

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"sitecfg/config"
	"sitecfg/recovery"
)

// A re-run that keeps the recovery codes writes the saved hashes back
// untouched: the codes the admin holds keep working; the review's
// changes list no new codes.
func TestCommitKeepsCodes(t *testing.T) {
	codes := []string{"7KQ2-M9XD-4TPA-WR3C", "AAAA-BBBB-CCCC-DDDD"}
	hashes, err := recovery.HashCodes(codes)
	if err != nil {
		t.Fatal(err)
	}
	pw, err := recovery.Hash("Adm1n-Secret!x")
	if err != nil {
		t.Fatal(err)
	}
	made := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	prev := &config.Site{Version: 1, SMTP: config.SMTP{Enabled: false}, Users: &config.Accounts{
		Admin:   &config.Account{Username: "siteadmin", PasswordHash: pw, RecoveryCodes: hashes, RecoveryCodesCreated: &made},
		Support: &config.Account{Username: "csupport", PasswordHash: pw}}}
	path := filepath.Join(t.TempDir(), "site-config.yaml")
	data, err := config.Marshal(prev)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	run, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := run.Prev.Answers()
	a.KeepCodes = true
	if ps := run.Prepare(a).Errors(); len(ps) > 0 {
		t.Fatalf("prepare: %v", ps)
	}
	for _, c := range run.Changes(a, false) {
		t.Errorf("a kept run changes %s", c.Field)
	}
	w, err := run.Commit(a, CommitOptions{By: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if !w.CodesKept || w.CodesFile != "" || w.Codes != nil {
		t.Fatalf("written %+v", w)
	}
	site, _, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(site.Users.Admin.RecoveryCodes, hashes) || !site.Users.Admin.RecoveryCodesCreated.Equal(made) {
		t.Fatalf("codes not kept: %+v", site.Users.Admin)
	}
}
