package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"sitecfg/internal/testkit"
	"sitecfg/recovery"
)

// smtpOffUntilReview drives a first SMTP-off deploy through the codes
// screen to the review; it returns the codes as saved.
func smtpOffUntilReview(t *testing.T, s *tui, codesFile string) []string {
	t.Helper()
	fillSMTPOffAccounts(s, codesFile)
	s.waitFor(" 10. ").keys("s").waitFor("Type one of the codes back")
	b, err := os.ReadFile(codesFile)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, m := range regexp.MustCompile(`(?m)^\s*\d+\. (\S+)$`).FindAllStringSubmatch(string(b), -1) {
		codes = append(codes, m[1])
	}
	if len(codes) != 10 {
		t.Fatalf("codes file:\n%s", b)
	}
	s.field("Type one of the codes back", codes[3])
	s.waitFor("users.admin.password")
	return codes
}

// firstDeploySMTPOff writes an SMTP-off config through the wizard and
// returns the recovery codes it saved to codesFile.
func firstDeploySMTPOff(t *testing.T, dir, cfg, codesFile string) []string {
	t.Helper()
	s := startTUI(t, dir, "--config", cfg)
	codes := smtpOffUntilReview(t, s, codesFile)
	s.keys("Enter").waitFor("Saved.").keys("Enter")
	s.mustExit(0)
	return codes
}

// rerunSMTPOffUntilCodes takes a re-run of an SMTP-off config through the
// account pages unchanged, to the recovery-codes choice.
func rerunSMTPOffUntilCodes(s *tui) {
	s.waitFor("An existing configuration").keys("Enter")
	s.at("Send email through an SMTP server?").keys("Enter")
	for _, f := range []string{"UI admin username", "UI admin password", "Confirm the UI admin password", "UI primary customer support username", "UI primary customer support password", "Confirm the UI primary customer support password"} {
		s.at(f).keys("Enter")
	}
	s.at("The admin's recovery codes")
}

// Ctrl+C on the last screen, after "Saved", ends a run that wrote the
// config: exit 0, and the codes file whose hashes the config holds stays.
func TestTUICtrlCAfterSavedKeepsCodes(t *testing.T) {
	slow(t, "drives the wizard in tmux")
	t.Parallel()
	dir := t.TempDir()
	cfg, codesFile := filepath.Join(dir, "site-config.yaml"), filepath.Join(dir, "codes.txt")
	s := startTUI(t, dir, "--config", cfg)
	codes := smtpOffUntilReview(t, s, codesFile)
	s.keys("Enter").waitFor("Saved.").keys("C-c")
	s.mustExit(0)
	if _, err := os.Stat(codesFile); err != nil {
		t.Fatalf("the codes file is gone after Ctrl+C on the last screen: %v", err)
	}
	m := readYAML(t, cfg)
	admin := m["users"].(map[string]any)["admin"].(map[string]any)
	var hashes []string
	for _, h := range admin["recovery_codes"].([]any) {
		hashes = append(hashes, h.(string))
	}
	if _, ok := recovery.Match(hashes, codes[0]); !ok {
		t.Fatal("the saved codes do not match the hashes in the config")
	}
	if scr := s.screen(); strings.Contains(scr, "cancelled") {
		t.Errorf("a written config is reported as cancelled:\n%s", scr)
	}
}

// Ctrl+C on the review, before anything is written, takes back the codes
// file this run created, and leaves a file it replaced as it was. So does
// the terminal going away (SIGHUP: an SSH connection dropped, a console
// window closed): the operator's earlier codes are not lost to it.
func TestTUIEndBeforeWriteTakesBackCodes(t *testing.T) {
	slow(t, "drives the wizard in tmux")
	t.Parallel()
	for _, end := range []struct {
		name string
		do   func(s *tui)
	}{
		{"Ctrl+C", func(s *tui) { s.keys("C-c"); s.mustExit(130) }},
		{"hang-up", func(s *tui) { s.hangUp() }},
	} {
		t.Run(end.name+"/created", func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			cfg, codesFile := filepath.Join(dir, "site-config.yaml"), filepath.Join(dir, "codes.txt")
			s := startTUI(t, dir, "--config", cfg)
			smtpOffUntilReview(t, s, codesFile)
			end.do(s)
			for _, p := range []string{cfg, codesFile} {
				if _, err := os.Stat(p); err == nil {
					t.Errorf("%s left behind after %s before the write", filepath.Base(p), end.name)
				}
			}
		})
		t.Run(end.name+"/replaced", func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			cfg, codesFile := filepath.Join(dir, "site-config.yaml"), filepath.Join(dir, "codes.txt")
			const old = "the operator's earlier codes\n"
			if err := os.WriteFile(codesFile, []byte(old), 0o600); err != nil {
				t.Fatal(err)
			}
			s := startTUI(t, dir, "--config", cfg)
			fillSMTPOffAccounts(s, codesFile)
			s.waitFor(" 10. ").keys("s").waitFor("already exists").keys("o").waitFor("Type one of the codes back")
			end.do(s)
			if b, _ := os.ReadFile(codesFile); string(b) != old {
				t.Errorf("the replaced codes file was not restored:\n%s", b)
			}
		})
	}
}

// hangUp closes the wizard's terminal, as a dropped SSH connection or a
// closed console window does (the kernel sends SIGHUP), and waits until
// the program has ended.
func (s *tui) hangUp() {
	s.t.Helper()
	pid := s.pid()
	s.tmux("kill-session", "-t", s.session)
	deadline := time.Now().Add(15 * time.Second)
	for running(pid) {
		if time.Now().After(deadline) {
			s.t.Fatalf("the wizard (pid %d) still runs 15 s after its terminal went away", pid)
		}
		time.Sleep(40 * time.Millisecond)
	}
}

// running says whether process pid exists and is not a zombie (an orphan
// waits for its new parent to reap it, which may be slow in a container).
func running(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	// pid (comm) state ...: comm may hold spaces and parentheses.
	rest := string(b[strings.LastIndexByte(string(b), ')')+1:])
	return !strings.HasPrefix(strings.TrimSpace(rest), "Z")
}

// pid is the wizard's process: the child of the pane's shell (read from
// /proc, so that the test needs no procps).
func (s *tui) pid() int {
	s.t.Helper()
	pane := strings.TrimSpace(s.tmux("display", "-p", "-t", s.session, "#{pane_pid}"))
	b, err := os.ReadFile("/proc/" + pane + "/task/" + pane + "/children")
	pid, convErr := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || convErr != nil {
		s.t.Fatalf("the wizard's process under the pane's shell %s: %q, %v", pane, b, err)
	}
	return pid
}

// A re-run that makes new codes writes them over the codes file before the
// config — and that file holds the codes the saved config works with. The
// run is killed (kill -9, a power cut) on the review: the codes the config
// holds are not lost. They wait beside the file, and the next run puts
// them back (here a run that keeps the codes).
func TestTUIKilledAfterReplacingCodesLosesNone(t *testing.T) {
	slow(t, "drives the wizard in tmux")
	t.Parallel()
	dir := t.TempDir()
	cfg, codesFile := filepath.Join(dir, "site-config.yaml"), filepath.Join(dir, "siteadmin-recovery-codes.txt")
	working := firstDeploySMTPOff(t, dir, cfg, codesFile)
	saved, err := os.ReadFile(codesFile)
	if err != nil {
		t.Fatal(err)
	}

	s := startTUI(t, dir, "--config", cfg)
	rerunSMTPOffUntilCodes(s)
	s.keys("Down", "Enter")
	s.at("Save the admin's recovery codes to").waitFor("siteadmin-recover").keys("Enter") // shown now, prefilled
	s.waitFor(" 10. ").keys("s").waitFor("already exists").keys("o").waitFor("Type one of the codes back")
	newer := recovery.ParseCodesFile([]byte(testkit.ReadOr(t, codesFile)))
	if len(newer) != 10 || newer[0] == working[0] {
		t.Fatalf("the new codes were not written: %v", newer)
	}
	s.field("Type one of the codes back", newer[2]).waitFor("Recovery codes: REPLACED")
	if err := syscall.Kill(s.pid(), syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	s.exitCode()

	s = startTUI(t, dir, "--config", cfg)
	rerunSMTPOffUntilCodes(s)
	s.waitFor("Keep the existing codes").keys("Enter")
	s.waitFor("Recovery codes: KEPT").keys("Enter").waitFor("Saved.").keys("Enter")
	s.mustExit(0)
	if got := testkit.ReadOr(t, codesFile); got != string(saved) {
		t.Fatalf("the codes file does not hold the codes the config works with:\n%s", got)
	}
	if got := testkit.ReadOr(t, recovery.ReplacedPath(codesFile)); got != "<none>" {
		t.Errorf("%s left behind", recovery.ReplacedPath(codesFile))
	}
}
