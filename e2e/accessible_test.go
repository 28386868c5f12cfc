package e2e

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"sitecfg/config"
	"sitecfg/internal/testkit"
	"sitecfg/recovery"
	"sitecfg/wizard"
)

// These tests drive `sitecfg --accessible` and `sitecfg demo` with stdin
// a pipe, as a script, a serial console or a screen reader's terminal
// would, against a real SMTP server (STARTTLS with a certificate made for
// the test and given as ca_file, AUTH PLAIN/LOGIN) in this process.

func startSMTP(t *testing.T) *wizard.DemoServer {
	t.Helper()
	srv, err := wizard.StartDemoServer(wizard.DemoServerOptions{Dir: t.TempDir(), Username: "relay@example.com", Password: "Relay-Pass-1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// accessibleAnswers are a basic-auth run against srv, one answer a line;
// bad is typed first where given, to be refused and asked again.
func accessibleAnswers(srv *wizard.DemoServer, bad bool) []string {
	maybe := func(wrong string) []string {
		if bad {
			return []string{wrong}
		}
		return nil
	}
	var a []string
	add := func(s ...string) { a = append(a, s...) }
	add(maybe("perhaps")...)
	add("yes")
	add(maybe("admin")...)
	add("Admin@Example.com", "support@example.com")
	add(maybe("admin@example.com")...) // already the UI admin email
	add("alerts@example.com")
	add(maybe("9")...)
	add("basic", srv.Host, "starttls")
	add(maybe("70000")...)
	add(strconv.Itoa(srv.Port), srv.CAFile, srv.Username, srv.Password,
		"sender@example.com", "noc@example.com, oncall@example.com, NOC@example.com",
		"", "y", "y")
	return a
}

func TestAccessibleOverPipe(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		answers func(*wizard.DemoServer) []string
		code    int
		stdout  []string
		stderr  string
	}{
		{name: "all answers at once", answers: func(s *wizard.DemoServer) []string { return accessibleAnswers(s, false) },
			stdout: []string{"auth: ok", "Live check passed", "Wrote "}},
		{name: "invalid answers are asked again", answers: func(s *wizard.DemoServer) []string { return accessibleAnswers(s, true) },
			stdout: []string{"Not accepted: answer yes or no", "is the same address as emails.ui_admin", "choose a number from 1 to 5", "Live check passed"}},
		{name: "input ends half-way", answers: func(s *wizard.DemoServer) []string { return accessibleAnswers(s, false)[:7] },
			code: exitInvalid, stderr: "input ended before smtp.port was answered"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := startSMTP(t)
			dir := t.TempDir()
			cfg := filepath.Join(dir, "site-config.yaml")
			r := runBin(t, dir, nil, strings.Join(tt.answers(srv), "\n")+"\n", "--accessible", "--config", cfg)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.stderr) {
				t.Fatalf("exit %d, want %d; stderr %q\nstdout:\n%s", r.code, tt.code, r.stderr, r.stdout)
			}
			for _, s := range tt.stdout {
				if !strings.Contains(r.stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, r.stdout)
				}
			}
			if strings.Contains(r.stdout, srv.Password) {
				t.Error("the SMTP password was printed")
			}
			site, _, err := config.Load(cfg)
			if tt.code != 0 {
				if !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("a config was written: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			s := site.SMTP
			if !s.Enabled || s.Server != "127.0.0.1" || s.Port != srv.Port || s.CAFile != srv.CAFile || s.Username != srv.Username ||
				s.Password.Value != srv.Password || s.From != "sender@example.com" ||
				strings.Join(s.DefaultRecipients, ",") != "noc@example.com,oncall@example.com" {
				t.Errorf("smtp = %+v", s)
			}
			if site.Emails == nil || site.Emails.UIAdmin != "admin@example.com" {
				t.Errorf("emails = %+v", site.Emails)
			}
			if fi, err := os.Stat(cfg); err != nil || fi.Mode().Perm() != 0o600 {
				t.Errorf("config mode: %v %v", fi.Mode(), err)
			}
			if n := len(srv.Messages()); n != 1 {
				t.Errorf("%d test messages received, want 1", n)
			}
		})
	}
}

// session is the binary running with its stdin a pipe the test writes to
// as the prompts appear.
type session struct {
	t     *testing.T
	cmd   *exec.Cmd
	stdin io.WriteCloser
	out   testkit.Buffer // stdout and stderr
	done  chan error
}

func (s *session) text() string { return s.out.String() }

func startSession(t *testing.T, dir string, args ...string) *session {
	t.Helper()
	s := &session{t: t, cmd: exec.Command(sitecfgBin(t), args...), done: make(chan error, 1)}
	s.cmd.Dir = dir
	s.cmd.Stdout, s.cmd.Stderr = &s.out, &s.out
	var err error
	if s.stdin, err = s.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.done <- s.cmd.Wait() }()
	t.Cleanup(func() { _ = s.cmd.Process.Kill() })
	return s
}

func (s *session) send(lines ...string) {
	s.t.Helper()
	if _, err := io.WriteString(s.stdin, strings.Join(lines, "\n")+"\n"); err != nil {
		s.t.Fatal(err)
	}
}

func (s *session) waitFor(want string) string {
	s.t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if out := s.text(); strings.Contains(out, want) {
			return out
		}
	}
	s.t.Fatalf("timed out waiting for %q:\n%s", want, s.text())
	return ""
}

func (s *session) exit() int {
	s.t.Helper()
	select {
	case err := <-s.done:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		} else if err != nil {
			s.t.Fatal(err)
		}
		return 0
	case <-time.After(20 * time.Second):
		s.t.Fatalf("still running:\n%s", s.text())
	}
	return -1
}

// SMTP off over a pipe: the codes are shown, saved 0600 and typed back;
// the config holds only their hashes.
func TestAccessibleSMTPOffOverPipe(t *testing.T) {
	slow(t, "hashes passwords: about a second of CPU per run")
	t.Parallel()
	dir := t.TempDir()
	cfg, codesFile := filepath.Join(dir, "site-config.yaml"), filepath.Join(dir, "codes.txt")
	s := startSession(t, dir, "--accessible", "--config", cfg)
	s.send("n", "siteadmin", "Kq7#vLm2pX", "Kq7#vLm2pX", "csupport", "Zr4$wNb8tY", "Zr4$wNb8tY", codesFile)
	out := s.waitFor("Type one of the codes back")
	codes := regexp.MustCompile(`(?m)^\s+\d+\. ([0-9A-Z]{4}(?:-[0-9A-Z]{4})+)$`).FindAllStringSubmatch(out, -1)
	if len(codes) != recovery.DefaultCount {
		t.Fatalf("%d codes shown:\n%s", len(codes), out)
	}
	s.send(codes[2][1], "")
	s.stdin.Close()
	if code := s.exit(); code != 0 {
		t.Fatalf("exit %d:\n%s", code, s.text())
	}
	if fi, err := os.Stat(codesFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("codes file: %v %v", fi, err)
	}
	site, _, err := config.Load(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if site.Users == nil || len(site.Users.Admin.RecoveryCodes) != recovery.DefaultCount {
		t.Fatalf("users = %+v", site.Users)
	}
	if _, ok := recovery.Match(site.Users.Admin.RecoveryCodes, codes[5][1]); !ok {
		t.Error("a shown code does not match the stored hashes")
	}
	raw, _ := os.ReadFile(cfg)
	if bytes.Contains(raw, []byte(codes[0][1])) || bytes.Contains(raw, []byte("Kq7#vLm2pX")) {
		t.Error("the config holds a code or a password in clear")
	}
}

// Ctrl+C at a prompt: exit 130, nothing written.
func TestAccessibleInterrupt(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "site-config.yaml")
	s := startSession(t, dir, "--accessible", "--config", cfg)
	s.send("y")
	s.waitFor("UI admin email")
	if err := s.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if code := s.exit(); code != exitCancel {
		t.Fatalf("exit %d, want %d:\n%s", code, exitCancel, s.text())
	}
	if _, err := os.Stat(cfg); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("config written: %v", err)
	}
}

// `sitecfg demo --accessible` with nothing but Enter on a pipe: the README's
// first command works with no setup, and shows the message received.
func TestDemoOverPipe(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	r := runBin(t, dir, nil, strings.Repeat("\n", 20), "demo", "--accessible", "--dir", dir)
	if r.code != 0 {
		t.Fatalf("exit %d: %s\n%s", r.code, r.stderr, r.stdout)
	}
	for _, want := range []string{"password:  demo-", "Live check passed", "Wrote ", "as the demo server received it", "From: alerts@sitecfg.test", "To: noc@sitecfg.test"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	site, _, err := config.Load(filepath.Join(dir, "site-config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if s := site.SMTP; s.Server != "127.0.0.1" || s.Security != config.SecurityStartTLS || s.CAFile != filepath.Join(dir, "demo-ca.pem") || s.Username != "demo@sitecfg.test" {
		t.Errorf("smtp = %+v", s)
	}
}

// `sitecfg demo` in a real terminal (tmux): the full-screen wizard,
// prefilled for the demo server, Enter on every page, then check & save;
// the test message is shown once the wizard ends.
func TestDemoInTerminal(t *testing.T) {
	slow(t, "drives the wizard in tmux")
	t.Parallel()
	dir := t.TempDir()
	s := startTUI(t, dir, "demo", "--dir", dir)
	s.waitFor("Note: demo").waitFor("First deploy").keys("Enter")
	// Enter, then wait for the screen to take it (no fixed sleep).
	for i, scr := 0, s.screen(); !strings.Contains(scr, "check & save"); i++ {
		if i == 40 {
			t.Fatalf("never reached the review:\n%s", scr)
		}
		s.keys("Enter")
		prev := scr
		s.poll("the screen to change after Enter", func() bool { scr = s.screen(); return scr != prev })
	}
	s.keys("Enter").waitFor("Saved.").keys("Enter")
	s.mustExit(0)
	if scr := s.screen(); !strings.Contains(scr, "--- end of message ---") || !strings.Contains(scr, "scratch folder "+dir) {
		t.Errorf("after the wizard:\n%s", scr)
	}
	site, _, err := config.Load(filepath.Join(dir, "site-config.yaml"))
	if err != nil || site.SMTP.CAFile != filepath.Join(dir, "demo-ca.pem") {
		t.Fatalf("config: %v %+v", err, site)
	}
	// Run again on the same folder: the demo starts from its own answers,
	// and says the earlier run's config is there and will be replaced.
	s = startTUI(t, dir, "demo", "--dir", dir)
	s.waitFor("Note: demo")
	if scr := s.screen(); !strings.Contains(scr, "A configuration is already in") || strings.Contains(scr, "First deploy") {
		t.Errorf("the second demo's welcome:\n%s", scr)
	}
	s.keys("C-c")
	s.mustExit(130)
}
