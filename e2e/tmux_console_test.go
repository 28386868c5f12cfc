package e2e

import (
	"crypto/sha256"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-sasl"

	"sitecfg/internal/smtptest"
	"sitecfg/internal/testkit"
	"sitecfg/internal/testpki"
	"sitecfg/recovery"
)

// The console experience (issue 11), driven through the built binary in
// tmux at 80×24, in a larger window with NO_COLOR=1, and on the Linux
// console (TERM=linux).

// screenEsc is the screen with its escape sequences (colours included).
func (s *tui) screenEsc() string { return s.tmux("capture-pane", "-p", "-e", "-t", s.session) }

// plainASCII fails the test if the screen shows anything a Linux console
// font lacks.
func (s *tui) plainASCII() {
	s.t.Helper()
	scr := s.screen()
	for i, r := range scr {
		if r >= utf8.RuneSelf {
			s.t.Fatalf("non-ASCII %q at %d on a TERM=linux screen:\n%s", r, i, scr)
		}
	}
}

// noColour fails the test if the screen uses colour.
func (s *tui) noColour() {
	s.t.Helper()
	if scr := s.screenEsc(); strings.Contains(scr, "[38;") || strings.Contains(scr, "[48;") {
		s.t.Fatalf("colour with NO_COLOR=1:\n%q", scr)
	}
}

func (tm termCase) check(s *tui) {
	s.t.Helper()
	if tm.ascii() {
		s.plainASCII()
	}
	if strings.Contains(strings.Join(tm.env, " "), "NO_COLOR=1") {
		s.noColour()
	}
}

// fillSMTPOnCA is fillSMTPOn with the CA file answer given.
func fillSMTPOnCA(s *tui, port int, ca string) {
	fillSMTPOnUntilPassword(s, port, ca)
	s.field("SMTP password", mailPass)
	fillSMTPOnAfterPassword(s)
}

// fillSMTPOnUntilPassword answers a first deploy with SMTP on and basic
// auth up to the SMTP password, which has the focus.
func fillSMTPOnUntilPassword(s *tui, port int, ca string) {
	s.waitFor("First deploy").keys("Enter")
	s.at("Send email through an SMTP server?").keys("Enter")
	s.field("UI admin email", "admin@example.com").field("UI primary customer support email", "support@example.com").
		field("Admiral alert email", "alerts@example.com")
	s.at("How does the server authenticate senders?").keys("Enter")
	s.field("SMTP server", "127.0.0.1")
	s.at("Secure connection").keys("Enter")
	s.field("Port", strconv.Itoa(port)).field("Extra CA certificate file (optional)", ca)
	s.field("SMTP username (optional)", mailUser).at("SMTP password")
}

// fillSMTPOnAfterPassword answers the rest, up to the review.
func fillSMTPOnAfterPassword(s *tui) {
	s.field("Sender (From) address", mailUser).field("Default recipients (optional)", "noc@example.com")
	s.waitFor("Check every value")
}

// Point 1: the passing check stays on screen — its steps, TLS, AUTH, and
// the test message's reply from the server — on the Done screen.
func TestConsoleShowsPassingCheck(t *testing.T) {
	slow(t, "drives the wizard in tmux")
	t.Parallel()
	for _, tm := range terms {
		t.Run(tm.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			ms := startMailServer(t, dir)
			cfg := filepath.Join(dir, "site-config.yaml")
			s := startTUIIn(t, tm, dir, "--config", cfg)
			fillSMTPOnCA(s, ms.Port, ms.CAFile)
			tm.check(s)
			s.keys("t").waitFor("[x] also send a test message").keys("Enter")
			s.waitFor("Saved.").waitFor(fmt.Sprintf("Live check of 127.0.0.1:%d passed", ms.Port)).
				waitFor("Authenticate").waitFor("test message to noc@example.com: accepted")
			tm.check(s)
			s.keys("Enter").mustExit(0)
		})
	}
}

// Point 4: with NO_COLOR=1 (and everywhere) the chosen button is marked
// in text, not by colour alone.
func TestConsoleSelectionWithoutColour(t *testing.T) {
	slow(t, "drives the wizard in tmux")
	t.Parallel()
	for _, tm := range terms {
		t.Run(tm.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			s := startTUIIn(t, tm, dir, "--config", filepath.Join(dir, "site-config.yaml"))
			s.waitFor("First deploy").keys("Enter")
			s.at("Send email through an SMTP server?").waitFor("[ Yes ]")
			if strings.Contains(s.screen(), "[ No ]") {
				t.Fatalf("both buttons marked:\n%s", s.screen())
			}
			s.keys("Right").waitFor("[ No ]")
			if strings.Contains(s.screen(), "[ Yes ]") {
				t.Fatalf("the marker did not move:\n%s", s.screen())
			}
			tm.check(s)
			s.keys("C-c").mustExit(130)
		})
	}
}

// Point 5: Ctrl+L draws the whole screen again after something else
// wrote on the terminal (a kernel message on the console).
func TestConsoleCtrlLRedraws(t *testing.T) {
	slow(t, "drives the wizard in tmux")
	t.Parallel()
	for _, tm := range terms {
		t.Run(tm.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			s := startTUIIn(t, tm, dir, "--config", filepath.Join(dir, "site-config.yaml"))
			s.waitFor("First deploy")
			tm.check(s)
			tty := strings.TrimSpace(s.tmux("display-message", "-p", "-t", s.session, "#{pane_tty}"))
			if err := os.WriteFile(tty, []byte("\x1b[5;1HKERNEL: scribbled over the screen"), 0); err != nil {
				t.Skipf("cannot write to the pane's terminal: %v", err)
			}
			s.waitFor("KERNEL: scribbled")
			s.keys("C-l")
			s.poll("the redraw", func() bool {
				scr := s.screen()
				return !strings.Contains(scr, "KERNEL") && strings.Contains(scr, "First deploy")
			})
			s.keys("C-c").mustExit(130)
		})
	}
}

// Point 6: a self-signed relay is not a dead end: the chain and its
// SHA-256 fingerprint are shown, and once the operator confirms, the
// certificate is saved next to the config, ca_file names it and the check
// passes.
func TestConsoleTrustThisCertificate(t *testing.T) {
	slow(t, "drives the wizard in tmux")
	t.Parallel()
	for _, tm := range terms {
		t.Run(tm.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			cert, err := testpki.SelfSignedServerCert(testpki.ServerCertOptions{CommonName: "relay.example.net"})
			if err != nil {
				t.Fatal(err)
			}
			ms := smtptest.Start(t, smtptest.Options{Dir: dir, Username: mailUser, Password: mailPass,
				Mechanisms: []string{sasl.Plain}, Timeout: 10 * time.Second, Certificate: &cert})
			cfg := filepath.Join(dir, "site-config.yaml")
			s := startTUIIn(t, tm, dir, "--config", cfg)
			fillSMTPOnCA(s, ms.Port, "")
			s.keys("Enter").waitFor("self-signed").waitFor("trust this certificate")
			tm.check(s)
			s.keys("t").waitFor("SHA-256 fingerprint").waitFor("relay.example.net")
			sum := sha256.Sum256(cert.Leaf.Raw)
			fp := strings.ToUpper(fmt.Sprintf("%X", sum[:2]))
			if want := fp[:2] + ":" + fp[2:4]; !strings.Contains(s.screen(), want) {
				t.Fatalf("fingerprint %s… not shown:\n%s", want, s.screen())
			}
			tm.check(s)
			s.keys("y").waitFor("Saved.").keys("Enter")
			s.mustExit(0)
			caFile := filepath.Join(dir, "site-config-smtp-ca.pem")
			if got := readYAML(t, cfg)["smtp"].(map[string]any)["ca_file"]; got != caFile {
				t.Fatalf("ca_file = %v, want %s", got, caFile)
			}
		})
	}
}

// Point 12: "save anyway" after a failed check is unmistakable on the
// screen and after exit, never a green "Saved.".
func TestConsoleSaveAnyway(t *testing.T) {
	slow(t, "drives the wizard in tmux")
	t.Parallel()
	for _, tm := range terms {
		t.Run(tm.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			cfg := filepath.Join(dir, "site-config.yaml")
			s := startTUIIn(t, tm, dir, "--config", cfg)
			fillSMTPOnCA(s, testkit.ClosedPort(t), "")
			s.keys("Enter").waitFor("Failed at").keys("s", "y")
			s.waitFor("SAVED WITHOUT A PASSING LIVE CHECK").waitFor("FAILED")
			if strings.Contains(s.screen(), "Saved.") {
				t.Fatalf("a failed check is shown as saved:\n%s", s.screen())
			}
			tm.check(s)
			s.keys("Enter").mustExit(0)
			s.waitFor("WARNING: saved WITHOUT a passing live check")
		})
	}
}

// Point 12: a config that cannot be read is not a "first deploy".
func TestConsoleUnreadableIsNotFirstDeploy(t *testing.T) {
	slow(t, "drives the wizard in tmux")
	t.Parallel()
	for _, tm := range terms {
		t.Run(tm.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			cfg := filepath.Join(dir, "site-config.yaml")
			if err := os.WriteFile(cfg, []byte("version: 1\nsmtp: [broken\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			s := startTUIIn(t, tm, dir, "--config", cfg)
			s.waitFor("Type yes to replace it")
			s.tmux("send-keys", "-t", s.session, "-l", "yes")
			s.keys("Enter").waitFor("Welcome").waitFor("cannot be read")
			if strings.Contains(s.screen(), "First deploy") {
				t.Fatalf("an unreadable config is called a first deploy:\n%s", s.screen())
			}
			tm.check(s)
			s.keys("Enter").at("Send email through an SMTP server?").keys("n")
			s.field("UI admin username", "siteadmin").field("UI admin password", "Adm1n-Secret!x").field("Confirm the UI admin password", "Adm1n-Secret!x")
			s.field("UI primary customer support username", "csupport").field("UI primary customer support password", "Supp0rt-Secret!y").
				field("Confirm the UI primary customer support password", "Supp0rt-Secret!y")
			s.field("Save the admin's recovery codes to", "codes.txt")
			s.waitFor(" 10. ").keys("s").waitFor("Type one of the codes back")
			b, err := os.ReadFile(filepath.Join(dir, "codes.txt"))
			if err != nil {
				t.Fatal(err)
			}
			s.field("Type one of the codes back", strings.Fields(strings.SplitN(string(b), " 4. ", 2)[1])[0])
			s.waitFor("The existing file cannot be read").waitFor(".bak")
			tm.check(s)
			s.keys("Enter").waitFor("Saved.").keys("Enter").mustExit(0)
			if bak, _ := os.ReadFile(cfg + ".bak"); !strings.Contains(string(bak), "[broken") {
				t.Fatalf("the unreadable file was not kept as .bak: %q", bak)
			}
		})
	}
}

// Point 12: TERM=dumb says it switches to line prompts.
func TestConsoleDumbTerminalSaysSo(t *testing.T) {
	t.Parallel()
	r := runBin(t, t.TempDir(), []string{"TERM=dumb"}, "")
	if !strings.Contains(r.stdout, "TERM=dumb") || !strings.Contains(r.stdout, "line prompts") {
		t.Fatalf("exit %d, stdout:\n%s", r.code, r.stdout)
	}
}

// Point 2: a re-run with SMTP off keeps the admin's recovery codes by
// default, and the review says so; the saved codes keep working.
func TestConsoleRerunKeepsRecoveryCodes(t *testing.T) {
	slow(t, "drives the wizard in tmux")
	t.Parallel()
	for _, tm := range terms {
		t.Run(tm.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			cfg, codesFile := filepath.Join(dir, "site-config.yaml"), filepath.Join(dir, "codes.txt")
			codes := firstDeploySMTPOff(t, dir, cfg, codesFile)
			s := startTUIIn(t, tm, dir, "--config", cfg)
			rerunSMTPOffUntilCodes(s)
			s.waitFor("Keep the existing codes").keys("Enter")
			s.waitFor("Recovery codes: KEPT").waitFor("none: the values are the same")
			tm.check(s)
			s.keys("Enter").waitFor("Saved.").waitFor("recovery codes of siteadmin are kept").keys("Enter")
			s.mustExit(0)
			admin := readYAML(t, cfg)["users"].(map[string]any)["admin"].(map[string]any)
			var hashes []string
			for _, h := range admin["recovery_codes"].([]any) {
				hashes = append(hashes, h.(string))
			}
			if _, ok := recovery.Match(hashes, codes[5]); !ok {
				t.Fatal("the saved recovery codes stopped working after a re-run")
			}
		})
	}
}

// fillMicrosoftUntilCredential answers a first deploy with Microsoft 365
// up to the credential question, which has the focus next.
func fillMicrosoftUntilCredential(s *tui) {
	s.waitFor("First deploy").keys("Enter")
	s.at("Send email through an SMTP server?").keys("Enter")
	s.field("UI admin email", "admin@example.com").field("UI primary customer support email", "support@example.com").
		field("Admiral alert email", "alerts@example.com")
	s.at("How does the server authenticate senders?").keys("Down", "Enter")
	s.at("Microsoft cloud").keys("Enter")
	s.field("Directory (tenant) ID", "contoso.onmicrosoft.com").field("Application (client) ID", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee")
	s.field("Mailbox to send as", "alerts@contoso.com")
}

// fillMicrosoft answers a first deploy with Microsoft 365 up to the
// review.
func fillMicrosoft(s *tui) {
	fillMicrosoftUntilCredential(s)
	s.at("Credential").keys("Enter")
	s.field("Client secret (its Value, not its ID)", "Abc8Q~not-a-real-secret-value-0123456789").field("Client secret expiry date", "")
	s.field("Sender (From) address", "alerts@contoso.com").field("Default recipients (optional)", "noc-team-with-a-long-name@operations.contoso.com, oncall@contoso.com")
	s.waitFor("Check every value")
}

// Points 3 and 8: the Microsoft 365 review lists the server, port and
// security the cloud sets, and values in full; with no route to
// Microsoft the check says what is true and "edit" lands on the cloud.
func TestConsoleMicrosoftOffline(t *testing.T) {
	slow(t, "drives the wizard in tmux")
	t.Parallel()
	wrap := ""
	if _, err := net.LookupHost("smtp.office365.com"); err == nil {
		// This machine reaches Microsoft: run the wizard in a network
		// namespace of its own, which has no route anywhere.
		if err := exec.Command("unshare", "-rn", "true").Run(); err != nil {
			t.Skipf("this machine reaches Microsoft and cannot run the wizard without a network (unshare -rn: %v)", err)
		}
		wrap = "unshare -rn"
	}
	for _, tm := range terms {
		tm.wrap = wrap
		t.Run(tm.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			s := startTUIIn(t, tm, dir, "--config", filepath.Join(dir, "site-config.yaml"), "--timeout", "5s")
			fillMicrosoft(s)
			s.waitFor("SMTP server (set by the cloud)").keys("NPage", "NPage").waitFor("oncall@contoso.com")
			if scr := s.screen(); strings.Contains(scr, "…") || strings.Contains(scr, "...") {
				t.Fatalf("a value is cut short on the review:\n%s", scr)
			}
			tm.check(s)
			s.keys("Enter").waitFor("Failed at").waitFor("edit smtp.oauth.cloud")
			scr := s.screen()
			for _, bad := range []string{"does not exist in DNS", "IP address"} {
				if strings.Contains(scr, bad) {
					t.Fatalf("false advice %q for a host the cloud sets:\n%s", bad, scr)
				}
			}
			if !strings.Contains(scr, "cannot resolve") && !strings.Contains(scr, "cannot reach") && !strings.Contains(scr, "HTTPS_PROXY") {
				t.Fatalf("the failure does not say what is true:\n%s", scr)
			}
			tm.check(s)
			s.keys("e")
			s.at("Microsoft cloud")
			s.keys("C-c").mustExit(130)
		})
	}
}

// Point 10: a missing CA file, clear-text credentials to a remote host
// and a GUID-shaped secret are refused at the field, with the reason
// right under it.
func TestConsoleValidateAtTheField(t *testing.T) {
	slow(t, "drives the wizard in tmux")
	t.Parallel()
	for _, tm := range terms {
		t.Run(tm.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			ms := startMailServer(t, dir)
			s := startTUIIn(t, tm, dir, "--config", filepath.Join(dir, "site-config.yaml"))
			s.waitFor("First deploy").keys("Enter")
			s.at("Send email through an SMTP server?").keys("Enter")
			s.field("UI admin email", "admin@example.com").field("UI primary customer support email", "support@example.com").
				field("Admiral alert email", "alerts@example.com")
			s.at("How does the server authenticate senders?").keys("Enter")
			s.field("SMTP server", "mail.example.net")
			s.at("Secure connection").keys("Down", "Down", "Enter")
			s.field("Port", "25").field("Extra CA certificate file (optional)", "m.pem")
			s.waitFor("m.pem does not exist")
			nextTo(t, s, "Extra CA certificate file", "m.pem does not exist")
			tm.check(s)
			s.field("Extra CA certificate file (optional)", ms.CAFile)
			s.field("SMTP username (optional)", mailUser).field("SMTP password", mailPass)
			s.waitFor("security none would send")
			nextTo(t, s, "SMTP password", "security none would send")
			tm.check(s)
			s.keys("C-c").mustExit(130)
		})
	}
}

// The client certificate file is judged where it is typed, as the CA
// file is, and off the TUI's Update: a missing file and an expired
// certificate each bring the operator back to the field with the reason
// under it.
func TestConsoleCertificateAtTheField(t *testing.T) {
	slow(t, "drives the wizard in tmux")
	t.Parallel()
	tm := terms[0]
	dir := t.TempDir()
	key := testkit.RSAKey(t)
	now := time.Now()
	expired := testkit.WriteFile(t, dir, "expired.pem", testkit.CertPEM(testkit.ClientCert(t, key, now.AddDate(-2, 0, 0), now.Add(-time.Hour))),
		testkit.KeyPEM(t, key, "RSA PRIVATE KEY"))
	s := startTUIIn(t, tm, dir, "--config", filepath.Join(dir, "site-config.yaml"))
	fillMicrosoftUntilCredential(s)
	s.at("Credential").keys("Down", "Enter")
	const title = "Certificate file (PEM with private key)"
	s.field(title, "missing.pem")
	underField(t, s, title, "no such file or directory")
	s.field(title, expired)
	underField(t, s, title, "the client certificate expired on")
	s.keys("C-c").mustExit(130)
}

// underField fails unless what shows between the field's title and its
// input line ("> "), where the field's errors are.
func underField(t *testing.T, s *tui, title, what string) {
	t.Helper()
	s.poll(fmt.Sprintf("%q under the field %q", what, title), func() bool {
		at, found := -1, false
		for _, l := range strings.Split(s.screen(), "\n") {
			switch {
			case strings.Contains(l, title):
				at, found = 0, false
			case at >= 0 && strings.Contains(l, what):
				found = true
			case at >= 0 && strings.Contains(l, "> "):
				return found
			}
		}
		return false
	})
}

// nextTo fails unless the line with what is within four lines under the
// line with title.
func nextTo(t *testing.T, s *tui, title, what string) {
	t.Helper()
	// The field's check runs as a command: its finding may bring the
	// operator back to the field a moment after the screen first shows
	// it, so wait for the settled screen.
	s.poll(fmt.Sprintf("%q within four lines under %q", what, title), func() bool {
		at := -1
		for i, l := range strings.Split(s.screen(), "\n") {
			if strings.Contains(l, title) {
				at = i
			}
			if at >= 0 && strings.Contains(l, what) {
				return i-at <= 4
			}
		}
		return false
	})
}

// Point 7: keys typed ahead (a paste, a laggy SSH link) land in the field
// they were meant for, not in the one just left.
func TestConsoleTypeAhead(t *testing.T) {
	slow(t, "drives the wizard in tmux")
	t.Parallel()
	for _, tm := range terms {
		t.Run(tm.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			s := startTUIIn(t, tm, dir, "--config", filepath.Join(dir, "site-config.yaml"))
			s.waitFor("First deploy").keys("Enter")
			s.at("Send email through an SMTP server?").keys("Enter")
			s.at("UI admin email")
			// One write: three answers and their Enters arrive together.
			s.tmux("send-keys", "-t", s.session, "admin@example.com", "Enter", "support@example.com", "Enter", "alerts@example.com", "Enter")
			s.at("How does the server authenticate senders?")
			s.keys("BTab")
			s.at("Admiral alert email")
			scr := s.screen()
			for _, want := range []string{"> admin@example.com", "> support@example.com", "> alerts@example.com"} {
				if !strings.Contains(scr, want) {
					t.Fatalf("type-ahead went astray: no %q:\n%s", want, scr)
				}
			}
			tm.check(s)
			s.keys("C-c").mustExit(130)
		})
	}
}

// Point 13: the welcome of a re-run says when and by whom the config was
// last written, and its notes (here: a stored secret that cannot be
// resolved; the audit log's drift note arrives the same way).
func TestConsoleRerunWelcome(t *testing.T) {
	slow(t, "drives the wizard in tmux")
	t.Parallel()
	for _, tm := range terms {
		t.Run(tm.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			cfg := filepath.Join(dir, "site-config.yaml")
			old := `version: 1
written:
    at: 2026-01-05T08:00:00Z
    by: sitecfg v1.0.0
smtp:
    enabled: true
    auth: basic
    server: mail.example.com
    port: 587
    security: starttls
    username: alerts@example.com
    password: ${SITECFG_TEST_UNSET_PASSWORD}
    from: alerts@example.com
emails:
    ui_admin: admin@example.com
    ui_support: support@example.com
    admiral_alerts: alerts@example.com
`
			if err := os.WriteFile(cfg, []byte(old), 0o600); err != nil {
				t.Fatal(err)
			}
			s := startTUIIn(t, tm, dir, "--config", cfg)
			s.waitFor("An existing configuration").waitFor("written 2026-01-05 08:00 UTC with sitecfg v1.0.0").
				waitFor("Note:").waitFor("smtp.password cannot be kept")
			tm.check(s)
			s.keys("C-c").mustExit(130)
		})
	}
}

// Point 9: the codes file is offered next to the config and shown in
// full, a missing folder is refused at the field until fixed; once they
// are saved the codes are hidden while one is typed back (issue 23:
// typing back a code on the screen proves nothing), ctrl+r shows them.
func TestConsoleRecoveryCodesScreen(t *testing.T) {
	slow(t, "drives the wizard in tmux")
	t.Parallel()
	for _, tm := range terms {
		t.Run(tm.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			cfg := filepath.Join(dir, "site-config.yaml")
			s := startTUIIn(t, tm, dir, "--config", "site-config.yaml")
			s.waitFor("First deploy").keys("Enter")
			s.at("Send email through an SMTP server?").keys("n")
			s.field("UI admin username", "siteadmin").field("UI admin password", "Adm1n-Secret!x").field("Confirm the UI admin password", "Adm1n-Secret!x")
			s.field("UI primary customer support username", "csupport").field("UI primary customer support password", "Supp0rt-Secret!y").
				field("Confirm the UI primary customer support password", "Supp0rt-Secret!y")
			s.at("Save the admin's recovery codes to").waitFor("siteadmin-recovery-codes.txt")
			s.field("Save the admin's recovery codes to", "keys/codes.txt")
			s.waitFor("the folder")
			nextTo(t, s, "Save the admin's recovery codes to", "the folder")
			tm.check(s)
			if err := os.Mkdir(filepath.Join(dir, "keys"), 0o700); err != nil {
				t.Fatal(err)
			}
			s.keys("Enter").waitFor(" 10. ")
			if strings.Contains(s.screen(), "the folder") {
				t.Fatalf("the folder message stayed after the folder was made:\n%s", s.screen())
			}
			s.waitFor(filepath.Join(dir, "keys")).keys("s").waitFor("Type one of the codes back").waitFor("codes are hidden")
			s.keys("C-r").waitFor(" 10. ")
			tm.check(s)
			b, err := os.ReadFile(filepath.Join(dir, "keys", "codes.txt"))
			if err != nil {
				t.Fatal(err)
			}
			code := strings.Fields(strings.SplitN(string(b), " 4. ", 2)[1])[0]
			if !strings.Contains(s.screen(), code) {
				t.Fatalf("code %s is not on screen while it is asked for:\n%s", code, s.screen())
			}
			s.field("Type one of the codes back", code)
			s.waitFor("Recovery codes: 10 new codes").keys("Enter").waitFor("Saved.").keys("Enter")
			s.mustExit(0)
			if _, err := os.Stat(cfg); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// Point 5: --ascii asks for the plain console glyphs on any terminal.
func TestConsoleASCIIFlag(t *testing.T) {
	slow(t, "drives the wizard in tmux")
	t.Parallel()
	for _, size := range []termCase{{w: 80, h: 24}, {w: 132, h: 43}} {
		dir := t.TempDir()
		s := startTUIIn(t, size, dir, "--config", filepath.Join(dir, "site-config.yaml"), "--ascii")
		s.focus = "| "
		s.waitFor("First deploy").keys("Enter")
		s.at("Send email through an SMTP server?").waitFor("[ Yes ]")
		s.plainASCII()
		s.keys("C-c").mustExit(130)
	}
}

// Ctrl+V in a field pastes from the desktop clipboard (bubbles asks
// xclip, xsel or wl-paste), once, as the terminal's own paste does: huh v2.0.3 handed bubbles' paste to the
// focused field twice, so a pasted address (or password, or client
// secret) arrived doubled.
func TestConsolePasteFromDesktopClipboard(t *testing.T) {
	slow(t, "drives the wizard in tmux")
	t.Parallel()
	tm := terms[0]
	tm.env = fakeClipboard(t, "printf 'pasted@example.com'")
	dir := t.TempDir()
	s := startTUIIn(t, tm, dir, "--config", filepath.Join(dir, "site-config.yaml"))
	s.waitFor("First deploy").keys("Enter")
	s.at("Send email through an SMTP server?").keys("Enter")
	s.at("UI admin email").keys("C-u", "C-v")
	s.waitFor("pasted@example.com")
	s.keys("Enter").at("UI primary customer support email")
	// The terminal's own paste (bracketed: Shift+Insert, a right click)
	// arrives once too.
	s.tmux("set-buffer", "support@example.com")
	s.tmux("paste-buffer", "-p", "-t", s.session)
	s.waitFor("> support@example.com")
	s.keys("Enter").at("Admiral alert email")
	// The wrong clipboard (a log, a whole file) is refused at the field,
	// and the reason fits under it.
	wrong := filepath.Join(t.TempDir(), "clipboard")
	if err := os.WriteFile(wrong, []byte(strings.Repeat("x", 20000)+"@example.com"), 0o600); err != nil {
		t.Fatal(err)
	}
	s.tmux("load-buffer", wrong)
	s.tmux("paste-buffer", "-p", "-t", s.session)
	s.keys("Enter")
	underField(t, s, "Admiral alert email", "too long for an email address")
	s.keys("C-c").mustExit(130)
}

// A recovery code copied from the codes file and pasted with Ctrl+V is
// accepted (it too arrived doubled, and was refused).
func TestConsolePasteRecoveryCode(t *testing.T) {
	slow(t, "drives the wizard in tmux")
	t.Parallel()
	dir := t.TempDir()
	cfg, codesFile := filepath.Join(dir, "site-config.yaml"), filepath.Join(dir, "codes.txt")
	clipboard := fakeClipboard(t, fmt.Sprintf("sed -n 's/^ *4\\. //p' %q | tr -d '\\n'", codesFile))
	s := startTUIIn(t, termCase{w: 80, h: 24, env: clipboard}, dir, "--config", cfg)
	fillSMTPOffAccounts(s, codesFile)
	s.waitFor(" 10. ").keys("s").waitFor("Type one of the codes back")
	s.keys("C-v", "Enter")
	s.waitFor("users.admin.password")
	s.keys("C-c").mustExit(130)
}

// fakeClipboard makes an xclip whose output (for `xclip -out`) is what the
// shell command prints: the desktop clipboard, as bubbles reads it. It
// returns the environment that puts it first on the wizard's PATH (given
// to the wizard alone, not set in this process: the tests run in
// parallel).
func fakeClipboard(t *testing.T, paste string) []string {
	t.Helper()
	bin := t.TempDir()
	xclip := "#!/bin/sh\n[ \"$1\" = -out ] && " + paste + "\n"
	if err := os.WriteFile(filepath.Join(bin, "xclip"), []byte(xclip), 0o755); err != nil {
		t.Fatal(err)
	}
	return []string{"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"), "WAYLAND_DISPLAY="}
}

// A password pasted with the line break it was copied with (a line from
// a terminal or a password manager) is the password: the break is not
// kept as an invisible trailing space, and the live check passes.
func TestConsolePastedPasswordEndsAtTheLineBreak(t *testing.T) {
	slow(t, "drives the wizard in tmux")
	t.Parallel()
	tm := terms[0]
	dir := t.TempDir()
	ms := startMailServer(t, dir)
	cfg := filepath.Join(dir, "site-config.yaml")
	s := startTUIIn(t, tm, dir, "--config", cfg)
	fillSMTPOnUntilPassword(s, ms.Port, ms.CAFile)
	s.tmux("set-buffer", mailPass+"\n")
	s.tmux("paste-buffer", "-p", "-t", s.session)
	s.keys("Enter")
	fillSMTPOnAfterPassword(s)
	s.keys("Enter")
	s.waitFor("Saved.").keys("Enter")
	s.mustExit(0)
	if got := readYAML(t, cfg)["smtp"].(map[string]any)["password"]; got != mailPass {
		t.Errorf("password written: %q, want %q", got, mailPass)
	}
}
