package e2e

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"sitecfg/config"
	"sitecfg/internal/testkit"
)

var codeRE = regexp.MustCompile(`\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b`)

// setupLocalUsers applies the SMTP-off answers and returns the config
// path, the codes and the passwords used.
func setupLocalUsers(t *testing.T) (dir, path string, codes []string) {
	t.Helper()
	dir = t.TempDir()
	answers := copyAnswers(t, dir, "smtp-off.yaml")
	env := []string{"ADMIN_PASSWORD=Canary-Admin-Pw-91!", "SUPPORT_PASSWORD=Canary-Supp-Pw-37!"}
	r := runBin(t, dir, env, "", "apply", "--answers", answers)
	if r.code != 0 {
		t.Fatalf("apply: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	return dir, filepath.Join(dir, "site-config.yaml"), readCodes(t, filepath.Join(dir, "siteadmin-recovery-codes.txt"))
}

func readCodes(t *testing.T, file string) []string {
	t.Helper()
	fi, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("codes file mode %o, want 0600", fi.Mode().Perm())
	}
	f, _ := os.Open(file)
	defer f.Close()
	var codes []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		codes = append(codes, codeRE.FindAllString(sc.Text(), -1)...)
	}
	if len(codes) != 10 {
		t.Fatalf("%d codes in %s, want 10", len(codes), file)
	}
	return codes
}

func TestNoPlaintextCodeOrPasswordOnDiskOrOutput(t *testing.T) {
	slow(t, "hashes passwords: about a second of CPU per run")
	t.Parallel()
	dir, path, codes := setupLocalUsers(t)
	raw, _ := os.ReadFile(path)
	secrets := append([]string{"Canary-Admin-Pw-91!", "Canary-Supp-Pw-37!"}, codes...)
	for _, c := range codes {
		secrets = append(secrets, strings.ReplaceAll(c, "-", ""), strings.ToLower(c))
	}
	testkit.NoSecret(t, string(raw), secrets...)
	s, _, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Users.Admin.RecoveryCodes) != 10 || !strings.HasPrefix(s.Users.Admin.PasswordHash, "$argon2id$") || !strings.HasPrefix(s.Users.Admin.RecoveryCodes[0], "$argon2id$") {
		t.Errorf("admin account: %+v", s.Users.Admin)
	}
	// Redeem a code typed in lower case without dashes; scan every output.
	r := runBin(t, dir, nil, strings.ToLower(strings.ReplaceAll(codes[3], "-", ""))+"\nNew-Passw0rd-Canary\nNew-Passw0rd-Canary\n", "reset-password", "--user", "SiteAdmin")
	if r.code != 0 {
		t.Fatalf("reset: %d\n%s", r.code, r.stderr)
	}
	raw, _ = os.ReadFile(path)
	testkit.NoSecret(t, r.stdout+"\n"+r.stderr+"\n"+string(raw), append(secrets, "New-Passw0rd-Canary")...)
	// The same code again: exit 3, nothing changes.
	before, _ := os.ReadFile(path)
	r = runBin(t, dir, nil, codes[3]+"\nOther-Passw0rd-1\nOther-Passw0rd-1\n", "reset-password", "--user", "siteadmin")
	if r.code != 3 || !strings.Contains(r.stderr, "not valid") {
		t.Fatalf("reused code: exit %d\n%s", r.code, r.stderr)
	}
	after, _ := os.ReadFile(path)
	if string(before) != string(after) {
		t.Error("a rejected code changed the config")
	}
}

func TestRegeneratedCodesRejectOldOnes(t *testing.T) {
	slow(t, "hashes passwords: about a second of CPU per run")
	t.Parallel()
	dir, path, old := setupLocalUsers(t)
	out := filepath.Join(dir, "new-codes.txt")
	r := runBin(t, dir, nil, "", "recovery-codes", "--user", "siteadmin", "--out", out, "--config", path)
	if r.code != 0 {
		t.Fatalf("recovery-codes: %d\n%s", r.code, r.stderr)
	}
	fresh := readCodes(t, out)
	content, _ := os.ReadFile(out)
	for _, want := range []string{"siteadmin", "Generated", "ONCE"} {
		if !strings.Contains(string(content), want) {
			t.Errorf("codes file lacks %q", want)
		}
	}
	// Refuses to overwrite without --force.
	if r := runBin(t, dir, nil, "", "recovery-codes", "--user", "siteadmin", "--out", out); r.code == 0 || !strings.Contains(r.stderr, "--force") {
		t.Errorf("overwrote without --force: %d %s", r.code, r.stderr)
	}
	if again := readCodes(t, out); again[0] != fresh[0] {
		t.Error("refused run still changed the file")
	}
	for _, c := range old[:3] {
		r := runBin(t, dir, nil, c+"\nNew-Passw0rd-x1\nNew-Passw0rd-x1\n", "reset-password", "--user", "siteadmin")
		if r.code != 3 {
			t.Errorf("old code %s accepted after regeneration (exit %d)", c, r.code)
		}
	}
	r = runBin(t, dir, nil, " "+strings.ToLower(fresh[0])+" \nNew-Passw0rd-x1\nNew-Passw0rd-x1\n", "reset-password", "--user", "siteadmin")
	if r.code != 0 {
		t.Errorf("new code refused: %d %s", r.code, r.stderr)
	}
	// Three wrong codes in a row slow the next attempt down.
	if !strings.Contains(r.stderr, "Too many wrong codes: waiting") {
		t.Errorf("no slow-down after three wrong codes:\n%s", r.stderr)
	}
	// The support user has no codes; a bad new password changes nothing.
	if r := runBin(t, dir, nil, "", "recovery-codes", "--user", "csupport", "--out", filepath.Join(dir, "x.txt")); r.code != 3 {
		t.Errorf("codes for support: exit %d", r.code)
	}
	r = runBin(t, dir, nil, fresh[1]+"\nweak\nweak\n", "reset-password", "--user", "siteadmin")
	if r.code != 3 {
		t.Errorf("weak password: exit %d", r.code)
	}
	r = runBin(t, dir, nil, fresh[1]+"\nNew-Passw0rd-x2\nNew-Passw0rd-x3\n", "reset-password", "--user", "siteadmin")
	if r.code != 3 || !strings.Contains(r.stderr, "do not match") {
		t.Errorf("mismatch: exit %d %s", r.code, r.stderr)
	}
	// fresh[1] was not consumed by the failed attempts.
	r = runBin(t, dir, nil, fresh[1]+"\nNew-Passw0rd-x2\nNew-Passw0rd-x2\n", "reset-password", "--user", "siteadmin")
	if r.code != 0 {
		t.Errorf("code consumed by a failed attempt: exit %d %s", r.code, r.stderr)
	}
}

func TestParallelRedemptionSucceedsOnce(t *testing.T) {
	slow(t, "hashes passwords: about a second of CPU per run")
	t.Parallel()
	dir, path, codes := setupLocalUsers(t)
	const n = 20
	var wg sync.WaitGroup
	results := make([]runResult, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = runBin(t, dir, nil, codes[0]+"\nParallel-Passw0rd-1\nParallel-Passw0rd-1\n", "reset-password", "--user", "siteadmin")
		}()
	}
	wg.Wait()
	ok := 0
	for i, r := range results {
		switch r.code {
		case 0:
			ok++
		case 3:
		default:
			t.Errorf("process %d: exit %d\n%s", i, r.code, r.stderr)
		}
	}
	if ok != 1 {
		t.Fatalf("%d processes redeemed the same code, want exactly 1", ok)
	}
	s, _, err := config.Load(path)
	if err != nil {
		t.Fatalf("config not valid after the race: %v", err)
	}
	if len(s.Users.Admin.RecoveryCodes) != 9 {
		t.Errorf("%d codes left, want 9", len(s.Users.Admin.RecoveryCodes))
	}
}
