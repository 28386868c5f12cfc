package e2e

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"go.yaml.in/yaml/v3"

	"sitecfg/internal/smtptest"
	"sitecfg/internal/testkit"
)

// These tests drive the built binary in a real terminal (tmux, 80×24),
// the way an operator does: keys in, screen text out.

// tui is one wizard run in its own tmux server.
type tui struct {
	t                       *testing.T
	sock, session, exitFile string
	// focus is how huh marks the focused field: "┃ ", or "| " in ASCII
	// mode (TERM=linux, --ascii).
	focus string
}

// term is the terminal a test runs the wizard in: its size and the
// environment (NO_COLOR=1, TERM=linux).
type termCase struct {
	name string
	w, h int
	env  []string
	// wrap runs the binary under another command (unshare -rn: no network).
	wrap string
	// bin is the binary to run (default sitecfgBin).
	bin string
}

// terms are the terminals every console test runs in: the classic
// 80×24, a larger window without colour, and the Linux console.
var terms = []termCase{
	{name: "80x24", w: 80, h: 24},
	{name: "120x40-NO_COLOR", w: 120, h: 40, env: []string{"NO_COLOR=1"}},
	{name: "80x24-TERM=linux", w: 80, h: 24, env: []string{"TERM=linux"}},
}

// ascii reports whether the wizard draws in ASCII in this terminal.
func (tm termCase) ascii() bool { return slices.Contains(tm.env, "TERM=linux") }

// startTUI runs `sitecfg args...` in dir inside tmux; the exit code lands
// in a file and the pane stays up afterwards.
func startTUI(t *testing.T, dir string, args ...string) *tui {
	t.Helper()
	return startTUIIn(t, termCase{w: 80, h: 24}, dir, args...)
}

var (
	// terminals bounds the tests running wizards in tmux at once to the
	// CPUs: the keys are sent as typed, and a wizard starved of the CPU
	// falls behind them. The other tests fill the rest of -parallel.
	terminals = make(chan struct{}, runtime.GOMAXPROCS(0))
	holding   sync.Map // the *testing.T holding a place in terminals
)

// terminalSlot waits for a place in terminals for t, which keeps it until
// it ends (a test may run the wizard several times).
func terminalSlot(t *testing.T) {
	if _, held := holding.LoadOrStore(t, true); held {
		return
	}
	terminals <- struct{}{}
	t.Cleanup(func() { <-terminals; holding.Delete(t) })
}

// startTUIIn is startTUI in the terminal tm.
func startTUIIn(t *testing.T, tm termCase, dir string, args ...string) *tui {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil && os.Getenv("CI") == "true" {
		t.Fatal("tmux is required in CI")
	} else if err != nil {
		t.Skip("tmux not installed")
	}
	terminalSlot(t)
	sock := fmt.Sprintf("sitecfg-e2e-%d-%d", os.Getpid(), time.Now().UnixNano())
	// The exit file is this run's own: a test that runs the wizard again in
	// the same folder must not read the code an earlier run left there.
	s := &tui{t: t, sock: sock, session: "w", exitFile: filepath.Join(dir, ".exit-"+sock), focus: "┃ "}
	if tm.ascii() {
		s.focus = "| "
	}
	env := ""
	for _, e := range tm.env {
		env += shellQuote(e) + " "
	}
	bin := tm.bin
	if bin == "" {
		bin = sitecfgBin(t)
	}
	script := fmt.Sprintf("cd %q && env %s%s %q %s; echo EXIT=$? > %q; exec sleep 600", dir, env, tm.wrap, bin, strings.Join(args, " "), s.exitFile)
	s.tmux("-f", "/dev/null", "new-session", "-d", "-x", strconv.Itoa(tm.w), "-y", strconv.Itoa(tm.h), "-s", s.session, "sh", "-c", script)
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", s.sock, "kill-server").Run() })
	return s
}

func (s *tui) tmux(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", s.sock}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (s *tui) screen() string { return s.tmux("capture-pane", "-p", "-t", s.session) }

// poll checks cond until it holds, failing the test after 15 seconds.
func (s *tui) poll(what string, cond func() bool) {
	s.t.Helper()
	for deadline := time.Now().Add(15 * time.Second); !cond(); time.Sleep(40 * time.Millisecond) {
		if time.Now().After(deadline) {
			s.t.Fatalf("timed out waiting for %s; the screen:\n%s", what, s.screen())
		}
	}
}

// waitFor polls the screen until it shows want.
func (s *tui) waitFor(want string) *tui {
	s.t.Helper()
	s.poll(strconv.Quote(want), func() bool { return strings.Contains(s.screen(), want) })
	return s
}

// keys sends tmux key names (Enter, BTab, C-c, C-u, Down, y...).
func (s *tui) keys(keys ...string) *tui {
	s.t.Helper()
	for _, k := range keys {
		s.tmux("send-keys", "-t", s.session, k)
		time.Sleep(30 * time.Millisecond) // one key per frame, as typed
	}
	return s
}

// field waits for the field to have the focus (huh marks it with ┃),
// replaces its text and presses Enter.
func (s *tui) field(title, text string) *tui {
	s.t.Helper()
	s.at(title)
	s.keys("C-u")
	if text != "" {
		s.tmux("send-keys", "-t", s.session, "-l", text)
	}
	return s.keys("Enter")
}

// at waits for the field with that title to have the focus.
func (s *tui) at(title string) *tui {
	s.t.Helper()
	return s.waitFor(s.focus + title)
}

// exitCode waits for the program to end and returns its exit code.
func (s *tui) exitCode() (code int) {
	s.t.Helper()
	s.poll("the wizard to exit", func() bool {
		b, err := os.ReadFile(s.exitFile)
		rest, ok := strings.CutPrefix(string(b), "EXIT=")
		code, _ = strconv.Atoi(strings.TrimSpace(rest))
		return err == nil && ok && strings.HasSuffix(rest, "\n")
	})
	return code
}

func (s *tui) mustExit(want int) {
	s.t.Helper()
	if code := s.exitCode(); code != want {
		s.t.Fatalf("exit %d, want %d; the screen:\n%s", code, want, s.screen())
	}
}

const (
	mailUser = "alerts@example.com"
	mailPass = "S3cret-pass!"
)

// startMailServer runs an SMTP server on loopback: STARTTLS with a
// certificate from a test CA (written to dir/ca.pem), AUTH PLAIN after
// TLS with mailUser and mailPass.
func startMailServer(t *testing.T, dir string) *smtptest.Server {
	t.Helper()
	return smtptest.Start(t, smtptest.Options{Dir: dir, Username: mailUser, Password: mailPass,
		Mechanisms: []string{sasl.Plain}, Timeout: 10 * time.Second})
}

// fillSMTPOn answers the pages of a first deploy with SMTP on and basic
// auth against ms, with the given port, up to the review.
func fillSMTPOn(s *tui, ms *smtptest.Server, port int) {
	s.waitFor("First deploy").keys("Enter")
	s.at("Send email through an SMTP server?").keys("Enter")
	s.field("UI admin email", "admin@example.com").field("UI primary customer support email", "support@example.com").
		field("Admiral alert email", "alerts@example.com")
	s.at("How does the server authenticate senders?").keys("Enter")
	s.field("SMTP server", "127.0.0.1")
	s.at("Secure connection").keys("Enter")
	s.field("Port", strconv.Itoa(port)).field("Extra CA certificate file (optional)", ms.CAFile)
	s.field("SMTP username (optional)", mailUser).field("SMTP password", mailPass)
	s.field("Sender (From) address", mailUser).field("Default recipients (optional)", "noc@example.com")
	s.waitFor("Check every value")
}

// fillSMTPOffAccounts answers a first deploy with SMTP off: the two
// accounts and where the admin's recovery codes are saved.
func fillSMTPOffAccounts(s *tui, codesFile string) {
	s.waitFor("First deploy").keys("Enter")
	s.waitFor("┃ Send email through an SMTP server?").keys("n")
	s.field("UI admin username", "siteadmin").field("UI admin password", "Adm1n-Secret!x").field("Confirm the UI admin password", "Adm1n-Secret!x")
	s.field("UI primary customer support username", "csupport").field("UI primary customer support password", "Supp0rt-Secret!y").
		field("Confirm the UI primary customer support password", "Supp0rt-Secret!y")
	s.field("Save the admin's recovery codes to", codesFile)
}

// readYAML parses a written config, dropping the written.at stamp and
// the random written.nonce.
func readYAML(t *testing.T, path string) map[string]any {
	t.Helper()
	var m map[string]any
	b, err := os.ReadFile(path)
	if err = errors.Join(err, yaml.Unmarshal(b, &m)); err != nil {
		t.Fatal(err)
	}
	if w, ok := m["written"].(map[string]any); ok {
		delete(w, "at")
		delete(w, "nonce")
	}
	return m
}

func TestTUIFirstDeploySMTPBasic(t *testing.T) {
	slow(t, "drives the wizard in tmux")
	t.Parallel()
	dir := t.TempDir()
	ms := startMailServer(t, dir)
	cfg := filepath.Join(dir, "site-config.yaml")
	s := startTUI(t, dir, "--config", cfg)
	fillSMTPOn(s, ms, ms.Port)
	s.waitFor("smtp.password").waitFor("•••• (new)").keys("Enter")
	s.waitFor("Saved.").waitFor("  " + cfg).keys("Enter")
	s.mustExit(0)
	want := map[string]any{
		"version": 1,
		"written": map[string]any{"by": "sitecfg " + sitecfgVersion(t), "refs": "mapping"},
		"smtp": map[string]any{"enabled": true, "auth": "basic", "server": "127.0.0.1", "port": ms.Port,
			"security": "starttls", "ca_file": ms.CAFile, "username": mailUser, "password": mailPass,
			"from": mailUser, "default_recipients": []any{"noc@example.com"}},
		"emails": map[string]any{"ui_admin": "admin@example.com", "ui_support": "support@example.com", "admiral_alerts": "alerts@example.com"},
	}
	if got := readYAML(t, cfg); !reflect.DeepEqual(got, want) {
		t.Fatalf("written config:\n got %#v\nwant %#v", got, want)
	}
	if fi, _ := os.Stat(cfg); fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", fi.Mode())
	}
}

func TestTUISMTPOffRecoveryCodes(t *testing.T) {
	slow(t, "drives the wizard in tmux")
	t.Parallel()
	dir := t.TempDir()
	cfg, codesFile := filepath.Join(dir, "site-config.yaml"), filepath.Join(dir, "codes.txt")
	s := startTUI(t, dir, "--config", cfg)
	fillSMTPOffAccounts(s, codesFile)
	s.waitFor(" 10. ").keys("s").waitFor("Type one of the codes back")
	b, err := os.ReadFile(codesFile)
	if err != nil {
		t.Fatal(err)
	}
	codes := regexp.MustCompile(`(?m)^\s*\d+\. (\S+)$`).FindAllStringSubmatch(string(b), -1)
	if len(codes) != 10 {
		t.Fatalf("codes file:\n%s", b)
	}
	s.field("Type one of the codes back", strings.ToLower(strings.ReplaceAll(codes[3][1], "-", "")))
	s.waitFor("users.admin.password").keys("Enter")
	s.waitFor("Saved.").keys("Enter")
	s.mustExit(0)
	if fi, _ := os.Stat(codesFile); fi.Mode().Perm() != 0o600 {
		t.Fatalf("codes file mode %v", fi.Mode())
	}
	raw, _ := os.ReadFile(cfg)
	testkit.NoSecret(t, string(raw), "Adm1n-Secret!x", "Supp0rt-Secret!y", codes[0][1], strings.ReplaceAll(codes[0][1], "-", ""))
	m := readYAML(t, cfg)
	admin := m["users"].(map[string]any)["admin"].(map[string]any)
	hashes, _ := admin["recovery_codes"].([]any)
	if len(hashes) != 10 {
		t.Fatalf("recovery code hashes: %v", admin)
	}
	for _, h := range append(hashes, admin["password_hash"]) {
		if !strings.HasPrefix(fmt.Sprint(h), "$argon2id$") {
			t.Fatalf("not an argon2id hash: %v", h)
		}
	}
}

func TestTUIRerunChangesPort(t *testing.T) {
	slow(t, "drives the wizard in tmux")
	t.Parallel()
	dir := t.TempDir()
	ms := startMailServer(t, dir)
	cfg := filepath.Join(dir, "site-config.yaml")
	old := fmt.Sprintf(`version: 1
written:
    at: 2026-01-05T08:00:00Z
    by: sitecfg v1.0.0
smtp:
    enabled: true
    auth: basic
    server: 127.0.0.1
    port: 2526
    security: starttls
    ca_file: %s
    username: %s
    password: %s
    from: %s
emails:
    ui_admin: admin@example.com
    ui_support: support@example.com
    admiral_alerts: alerts@example.com
`, ms.CAFile, mailUser, mailPass, mailUser)
	if err := os.WriteFile(cfg, []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	s := startTUI(t, dir, "--config", cfg)
	s.waitFor("2026-01-05 08:00 UTC with sitecfg v1.0.0").keys("Enter")
	s.waitFor("┃ Send email").keys("Enter")
	s.waitFor("┃ UI admin email").keys("Enter", "Enter", "Enter")
	s.waitFor("┃ How does the server").keys("Enter")
	s.waitFor("┃ SMTP server").keys("Enter")
	s.waitFor("┃ Secure connection").keys("Enter")
	s.field("Port", strconv.Itoa(ms.Port))
	s.waitFor("┃ Extra CA").keys("Enter")
	s.waitFor("┃ SMTP username").keys("Enter")
	s.waitFor("stored — leave empty to keep").keys("Enter")
	s.waitFor("┃ Sender").keys("Enter", "Enter")
	s.waitFor(fmt.Sprintf("~ smtp.port: 2526 → %d", ms.Port)).keys("NPage").waitFor("stored, unchanged").keys("Enter")
	s.waitFor("Saved.").waitFor(cfg + ".bak").keys("Enter")
	s.mustExit(0)
	if bak, _ := os.ReadFile(cfg + ".bak"); string(bak) != old {
		t.Fatalf(".bak is not the old file:\n%s", bak)
	}
	smtpCfg := readYAML(t, cfg)["smtp"].(map[string]any)
	if smtpCfg["port"] != ms.Port || smtpCfg["password"] != mailPass {
		t.Fatalf("new config smtp: %v", smtpCfg)
	}
}

// Point 11 of the console issue, in every terminal of terms.
func TestTUIFailedCheckEditField(t *testing.T) {
	slow(t, "drives the wizard in tmux")
	t.Parallel()
	for _, tm := range terms {
		t.Run(tm.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			ms := startMailServer(t, dir)
			cfg := filepath.Join(dir, "site-config.yaml")
			s := startTUIIn(t, tm, dir, "--config", cfg)
			closed := testkit.ClosedPort(t)
			fillSMTPOn(s, ms, closed)
			s.keys("Enter").waitFor("Failed at").waitFor("q quit without saving")
			if _, err := os.Stat(cfg); !errors.Is(err, os.ErrNotExist) {
				t.Fatal("a config was written after a failed check")
			}
			// Edit lands on the field the diagnosis names and, once it is
			// answered, goes straight back to the check: not through every later
			// field.
			s.waitFor("edit smtp.port").keys("e")
			s.field("Port", strconv.Itoa(ms.Port))
			s.waitFor("Saved.").waitFor(fmt.Sprintf("Live check of 127.0.0.1:%d passed", ms.Port)).keys("Enter")
			s.mustExit(0)
			if p := readYAML(t, cfg)["smtp"].(map[string]any)["port"]; p != ms.Port {
				t.Fatalf("port %v", p)
			}
		})
	}
}

func TestTUICtrlCWritesNothing(t *testing.T) {
	slow(t, "drives the wizard in tmux")
	t.Parallel()
	dir := t.TempDir()
	s := startTUI(t, dir, "--config", filepath.Join(dir, "site-config.yaml"))
	s.waitFor("First deploy").keys("Enter")
	s.waitFor("┃ Send email").keys("Enter")
	s.field("UI admin email", "admin@example.com")
	s.waitFor("┃ UI primary customer support email").keys("C-c")
	s.mustExit(130)
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
	if scr := s.screen(); !strings.Contains(scr, "cancelled") {
		t.Errorf("no cancel message on the restored screen:\n%s", scr)
	}
}

func TestWizardWithoutTerminal(t *testing.T) {
	t.Parallel()
	r := runBin(t, t.TempDir(), nil, "")
	if r.code != 2 || !strings.Contains(r.stderr, "--accessible") || !strings.Contains(r.stderr, "apply --answers FILE") {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
}
