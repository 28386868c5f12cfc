package pipeline

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"sitecfg/config"
	"sitecfg/recovery"
)

// The same UI passwords as the saved hashes verify are the same answers:
// no change, and the saved hashes are what a write would keep. Another
// password is one masked change; a first deploy adds every value.
func TestPlanComparesAnswersNotHashes(t *testing.T) {
	const adminPw, supportPw = "Adm1n-Secret!x", "Supp0rt-Secret!y"
	adminHash, err := recovery.Hash(adminPw)
	if err != nil {
		t.Fatal(err)
	}
	supportHash, err := recovery.Hash(supportPw)
	if err != nil {
		t.Fatal(err)
	}
	codes, err := recovery.HashCodes([]string{"7KQ2-M9XD-4TPA-WR3C"})
	if err != nil {
		t.Fatal(err)
	}
	made := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	saved := &config.Site{Version: 1, Users: &config.Accounts{
		Admin:   &config.Account{Username: "siteadmin", PasswordHash: adminHash, RecoveryCodes: codes, RecoveryCodesCreated: &made},
		Support: &config.Account{Username: "csupport", PasswordHash: supportHash}}}
	path := filepath.Join(t.TempDir(), "site-config.yaml")
	data, err := config.Marshal(saved)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	answers := func(support string) *config.Answers {
		a := &config.Answers{Version: 1, RecoveryCodesOut: filepath.Join(t.TempDir(), "codes.txt")}
		a.Users.Admin = config.UserAnswer{Username: "siteadmin", Password: config.Secret{Value: adminPw}}
		a.Users.Support = config.UserAnswer{Username: "csupport", Password: config.Secret{Value: support}}
		return a
	}
	plan := func(run *Run, a *config.Answers) Plan {
		t.Helper()
		a.KeepCodes = a.CanKeepCodes(run.Prev)
		if ps := run.Prepare(a).Errors(); len(ps) > 0 {
			t.Fatalf("prepare: %v", ps)
		}
		run.KeepSamePasswords(a)
		return run.Plan(a)
	}
	run, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p := plan(run, answers(supportPw)); p.Changed || len(p.Changes) > 0 {
		t.Errorf("the same answers: %+v", p)
	}
	p := plan(run, answers("N3w-Supp0rt!Pass"))
	if !p.Changed || len(p.Changes) != 1 || p.Changes[0].Field != "users.support.password_hash" || p.Changes[0].New != MaskNew {
		t.Errorf("a new support password: %+v", p)
	}

	first, err := Open(filepath.Join(t.TempDir(), "none.yaml"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	p = plan(first, answers(supportPw))
	if !p.Changed || !p.FirstDeploy || len(p.Changes) < 5 {
		t.Errorf("a first deploy: %+v", p)
	}
	for _, c := range p.Changes {
		if c.Kind != Added {
			t.Errorf("a first deploy %s %s", c.Kind, c.Field)
		}
		if c.New == adminPw || c.New == supportPw {
			t.Errorf("%s shows a password", c.Field)
		}
	}
}
