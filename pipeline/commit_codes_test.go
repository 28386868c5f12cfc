package pipeline

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"sitecfg/config"
	"sitecfg/internal/testkit"
	"sitecfg/recovery"
)

// savedWithCodes writes an SMTP-off config whose admin holds codes, and
// their codes file beside it; it returns the config's and the file's
// paths.
func savedWithCodes(t *testing.T, codes []string) (path, codesFile string) {
	t.Helper()
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
	dir := t.TempDir()
	path, codesFile = filepath.Join(dir, "site-config.yaml"), filepath.Join(dir, "codes.txt")
	data, err := config.Marshal(prev)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(codesFile, recovery.CodesFileContent("siteadmin", codes, made), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, codesFile
}

func firstCode(t *testing.T, file string) string {
	t.Helper()
	codes := recovery.ParseCodesFile([]byte(testkit.ReadOr(t, file)))
	if len(codes) == 0 {
		return ""
	}
	return codes[0]
}

// A front end writes its codes before the config (Run.WriteCodes) over the
// file whose codes the config holds; Commit keeps it: what it replaced is
// gone, and the front end's clean-up when the program ends (Undo) no
// longer takes it back.
func TestCommitKeepsTheFrontEndsCodesFile(t *testing.T) {
	working, _ := recovery.Generate(recovery.DefaultCount)
	newer, _ := recovery.Generate(recovery.DefaultCount)
	path, codesFile := savedWithCodes(t, working)
	run, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	f, err := run.WriteCodes(codesFile, "siteadmin", newer, run.Now(), true)
	if err != nil {
		t.Fatal(err)
	}
	if got := firstCode(t, recovery.ReplacedPath(codesFile)); got != working[0] {
		t.Fatalf("the codes the config holds do not wait beside the file: %q", got)
	}
	a := run.Prev.Answers()
	a.KeepCodes = false
	a.RecoveryCodesOut = codesFile
	w, err := run.Commit(a, CommitOptions{Codes: newer, CodesFile: f, By: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if w.CodesFile != codesFile {
		t.Errorf("written %+v", w)
	}
	if err := f.Undo(); err != nil {
		t.Fatal(err)
	}
	if got := firstCode(t, codesFile); got != newer[0] {
		t.Errorf("the codes file holds %q after the config was written, want the new codes", got)
	}
	if got := testkit.ReadOr(t, recovery.ReplacedPath(codesFile)); got != "<none>" {
		t.Error("the replaced codes are still beside the file")
	}
}

// A run killed after writing its codes over the file, before its config
// write, left the codes the config holds beside it: the next run's
// WriteCodes puts them back first, so that replacing the file asks again
// and the operator's codes are not written over unseen.
func TestWriteCodesPutsBackWhatAKilledRunReplaced(t *testing.T) {
	working, _ := recovery.Generate(recovery.DefaultCount)
	killed, _ := recovery.Generate(recovery.DefaultCount)
	newer, _ := recovery.Generate(recovery.DefaultCount)
	path, codesFile := savedWithCodes(t, working)
	if _, err := recovery.WriteCodesFile(codesFile, "siteadmin", killed, time.Now(), true); err != nil {
		t.Fatal(err)
	}
	// Killed here: no Keep, no Undo.
	run, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := run.WriteCodes(codesFile, "siteadmin", newer, run.Now(), false); !errors.Is(err, os.ErrExist) {
		t.Fatalf("WriteCodes over the put-back file: %v", err)
	}
	if got := firstCode(t, codesFile); got != working[0] {
		t.Errorf("the codes file holds %q, want the codes the config holds", got)
	}
	if got := testkit.ReadOr(t, recovery.ReplacedPath(codesFile)); got != "<none>" {
		t.Error("the replaced codes are still beside the file")
	}
}
