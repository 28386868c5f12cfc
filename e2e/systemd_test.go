package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The example units in contrib/systemd: a daily timer for a oneshot
// service running `check --metrics … --notify`, with OnFailure= left to
// the operator. They pass `systemd-analyze verify` (with ExecStart
// pointed at the binary just built, which verify requires to exist);
// where systemd-analyze is missing the test skips, except in CI.
func TestSystemdUnits(t *testing.T) {
	t.Parallel()
	svc, err := os.ReadFile(filepath.Join("..", "contrib", "systemd", "sitecfg-check.service"))
	if err != nil {
		t.Fatal(err)
	}
	timer, err := os.ReadFile(filepath.Join("..", "contrib", "systemd", "sitecfg-check.timer"))
	if err != nil {
		t.Fatal(err)
	}
	const exec0 = "ExecStart=/usr/local/bin/sitecfg check --metrics /var/lib/node_exporter/textfile_collector/sitecfg.prom --notify\n"
	for _, want := range []string{exec0, "Type=oneshot\n", "#OnFailure="} {
		if !strings.Contains(string(svc), want) {
			t.Errorf("the service lacks %q", want)
		}
	}
	for _, want := range []string{"OnCalendar=daily\n", "Persistent=true\n", "WantedBy=timers.target\n"} {
		if !strings.Contains(string(timer), want) {
			t.Errorf("the timer lacks %q", want)
		}
	}
	// The command line the service runs is one sitecfg accepts.
	args := strings.Fields(strings.TrimPrefix(strings.TrimSpace(exec0), "ExecStart=/usr/local/bin/sitecfg "))
	if r := runBin(t, t.TempDir(), nil, "", append(args, "--help")...); r.code != exitOK {
		t.Errorf("sitecfg %v refused: %s", args, r.stderr)
	}

	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("systemd-analyze is required in CI (.ci/mta/install.sh installs systemd)")
		}
		t.Skip("systemd-analyze not found: the unit files were not verified")
	}
	dir := t.TempDir()
	bin := sitecfgBin(t)
	os.WriteFile(filepath.Join(dir, "sitecfg-check.service"), []byte(strings.ReplaceAll(string(svc), "/usr/local/bin/sitecfg", bin)), 0o644)
	os.WriteFile(filepath.Join(dir, "sitecfg-check.timer"), timer, 0o644)
	cmd := exec.Command(analyze, "verify", filepath.Join(dir, "sitecfg-check.timer"), filepath.Join(dir, "sitecfg-check.service"))
	out, err := cmd.CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}
