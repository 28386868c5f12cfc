package e2e

import (
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"sitecfg/internal/testkit"
)

// Issue 23, the console round 3: what an operator meets on the second
// and third try. These drive the built binary, piped and in tmux.

// An optional line-prompt answer never traps the operator: a CA file that
// does not exist is refused and not offered again, so Enter leaves it
// empty; "-" clears a value already given; with security none the CA file
// is not asked.
func TestLinePromptsOptionalAnswers(t *testing.T) {
	t.Parallel()
	srv := startSMTP(t)
	head := []string{"yes", "admin@example.com", "support@example.com", "alerts@example.com", "basic", srv.Host}

	t.Run("a refused CA file is not the default", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		in := append(append([]string{}, head...), "starttls", strconv.Itoa(srv.Port), filepath.Join(dir, "nope.pem"), "")
		r := runBin(t, dir, nil, strings.Join(in, "\n")+"\n", "--accessible", "--config", filepath.Join(dir, "c.yaml"))
		if !strings.Contains(r.stdout, "nope.pem does not exist") {
			t.Fatalf("the missing CA file was not refused:\n%s", r.stdout)
		}
		if strings.Contains(r.stdout, "[/") {
			t.Errorf("the refused path is offered as the default:\n%s", r.stdout)
		}
		// Enter moved on to the credentials; the input then ended there.
		if !strings.Contains(r.stderr, "input ended before smtp.username") {
			t.Errorf("Enter did not leave the CA file empty: stderr %q\n%s", r.stderr, r.stdout)
		}
	})

	t.Run("dash clears, from the review", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		in := append(append([]string{}, head...), "starttls", strconv.Itoa(srv.Port), srv.CAFile, srv.Username, srv.Password,
			"sender@example.com", "noc@example.com", "smtp.ca_file", "-", "smtp.default_recipients", "-")
		r := runBin(t, dir, nil, strings.Join(in, "\n")+"\n", "--accessible", "--config", filepath.Join(dir, "c.yaml"))
		if !strings.Contains(r.stdout, "Type - to clear an optional answer.") {
			t.Errorf("the welcome does not say what - does:\n%s", r.stdout)
		}
		if !strings.Contains(r.stdout, "Extra CA certificate file (optional) ["+srv.CAFile+"; - clears]: ") {
			t.Errorf("the prompt does not say - clears:\n%s", r.stdout)
		}
		review := r.stdout[strings.LastIndex(r.stdout, "== Review =="):]
		for _, want := range []string{"(smtp.ca_file): (none)", "(smtp.default_recipients): (none)"} {
			if !strings.Contains(review, want) {
				t.Errorf("the last review lacks %q:\n%s", want, review)
			}
		}
	})

	t.Run("security none does not ask for a CA file", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		in := append(append([]string{}, head...), "none", "25")
		r := runBin(t, dir, nil, strings.Join(in, "\n")+"\n", "--accessible", "--config", filepath.Join(dir, "c.yaml"))
		if strings.Contains(r.stdout, "Extra CA certificate") || !strings.Contains(r.stderr, "before smtp.username") {
			t.Errorf("stderr %q\n%s", r.stderr, r.stdout)
		}
	})
}

// longRecipients are 15 long default recipients, as a NOC list is.
func longRecipients() string {
	var rs []string
	for i := 1; i <= 15; i++ {
		rs = append(rs, fmt.Sprintf("very-long-recipient-name-%d@notifications.example-cluster.com", i))
	}
	return strings.Join(rs, ",")
}

// At 80×24 on the Linux console without colour, 15 long default
// recipients leave the review its table (the test-message line counts
// them), and the last screen keeps the path written in sight with every
// step row in full; at a smaller size the last screen scrolls with the
// keys its footer names, the path still in sight.
func TestConsoleLongListsAt80x24(t *testing.T) {
	slow(t, "drives the wizard in tmux")
	t.Parallel()
	for _, h := range []int{24, 17} {
		t.Run(fmt.Sprintf("80x%d", h), func(t *testing.T) {
			t.Parallel()
			tm := termCase{w: 80, h: h, env: []string{"TERM=linux", "NO_COLOR=1"}}
			dir := t.TempDir()
			ms := startMailServer(t, dir)
			cfg := filepath.Join(dir, "site-config.yaml")
			s := startTUIIn(t, tm, dir, "--config", cfg)
			fillSMTPOnUntilPassword(s, ms.Port, ms.CAFile)
			s.field("SMTP password", mailPass).field("Sender (From) address", mailUser).field("Default recipients (optional)", longRecipients())
			s.waitFor("Check every value").waitFor("also send a test message to the 15 default recipients")
			if rows := strings.Count(s.screen(), "(smtp."); rows < 5 && h == 24 {
				t.Errorf("the review shows %d table rows:\n%s", rows, s.screen())
			}
			s.keys("t").waitFor("[x] also send").keys("Enter")
			s.waitFor("Wrote the site config (mode 0600):").waitFor(cfg)
			tm.check(s)
			scr := s.screen()
			if h == 24 {
				for _, want := range []string{"Saved.", "QUIT", "accepted for 15 of 15 recipients"} {
					if !strings.Contains(scr, want) {
						t.Errorf("the last screen lacks %q:\n%s", want, scr)
					}
				}
				for _, l := range strings.Split(scr, "\n") {
					if strings.HasSuffix(strings.TrimSpace(l), "...") && !strings.Contains(l, "EHLO") {
						t.Errorf("a row is cut short: %q\n%s", l, scr)
					}
				}
				if strings.Count(scr, "2.0.0") > 1 {
					t.Errorf("the server's reply is shown more than once:\n%s", scr)
				}
			} else {
				s.waitFor("pgup/pgdn scroll").waitFor("more lines below")
				s.keys("PageDown", "PageDown", "PageDown").waitFor("QUIT").waitFor("more lines above").waitFor(cfg)
				s.keys("Home").waitFor("Saved.")
			}
			s.keys("Enter").mustExit(0)
		})
	}
}

// On the review, ↓ chooses a row and e edits just that one; choosing
// implicit TLS there changes port 587 to 465, which the port field says
// (the edit goes on to it) before Enter brings the review back — nothing
// runs meanwhile.
func TestConsoleReviewEditsOneRow(t *testing.T) {
	slow(t, "drives the wizard in tmux")
	t.Parallel()
	tm := termCase{w: 80, h: 24, env: []string{"TERM=linux", "NO_COLOR=1"}}
	dir := t.TempDir()
	s := startTUIIn(t, tm, dir, "--config", filepath.Join(dir, "site-config.yaml"))
	fillSMTPOnUntilPassword(s, 587, "")
	s.field("SMTP password", mailPass)
	fillSMTPOnAfterPassword(s)
	s.waitFor("> Send email").waitFor("e edit smtp.enabled").waitFor("a edit all")
	for range 6 {
		s.keys("Down")
	}
	s.waitFor("> Secure connection").waitFor("e edit smtp.security").keys("e")
	s.at("Secure connection").keys("Down", "Enter")
	s.at("Port").waitFor("Changed from 587 to 465")
	tm.check(s)
	s.keys("Enter").waitFor("Check every value").waitFor("> Secure connection")
	if scr := s.screen(); !strings.Contains(scr, "| tls") || !strings.Contains(scr, "| 465") {
		t.Errorf("the review does not show the edit:\n%s", scr)
	}
	s.keys("C-c").mustExit(130)
}

// Piped line prompts whose input ends after a failed check exit 4 (the
// check failed), not 3; nothing is written.
func TestLinePromptsEndAfterFailedCheck(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "c.yaml")
	in := []string{"yes", "admin@example.com", "support@example.com", "alerts@example.com", "none", "127.0.0.1", "none",
		strconv.Itoa(testkit.ClosedPort(t)), "sender@example.com", "", "", "y", "n"}
	r := runBin(t, dir, nil, strings.Join(in, "\n")+"\n", "--accessible", "--config", cfg)
	if r.code != 4 || !strings.Contains(r.stdout, "Live check FAILED") || !strings.Contains(r.stdout, "Nothing was written.") {
		t.Fatalf("exit %d, want 4; stderr %q\n%s", r.code, r.stderr, r.stdout)
	}
	if _, err := os.Stat(cfg); err == nil {
		t.Error("a config was written")
	}
}

// Every command the guide prints carries the --config the operator gave.
func TestGuideCarriesConfigFlag(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "my site.yaml")
	r := runBin(t, dir, nil, "", "guide", "microsoft", "--config", cfg)
	for _, want := range []string{"sitecfg check --send-test --config '" + cfg + "'", "sitecfg guide microsoft --script --config '" + cfg + "'"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the guide lacks %q:\n%s", want, r.stdout)
		}
	}
	if r := runBin(t, dir, nil, "", "guide", "microsoft"); !strings.Contains(r.stdout, "sitecfg check --send-test\n") {
		t.Errorf("without --config the guide adds one:\n%s", r.stdout)
	}
}

// Prefill and explain: the sender is offered from the username, the
// Admiral alert email says what it receives, the review lists the
// lower-casing of an address, and a re-run's welcome names who wrote the
// config (the audit log's user@host) and with what.
func TestLinePromptsPrefillAndExplain(t *testing.T) {
	t.Parallel()
	srv := startSMTP(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "c.yaml")
	in := []string{"yes", "Admin@Example.com", "support@example.com", "alerts@example.com", "basic", srv.Host, "starttls",
		strconv.Itoa(srv.Port), srv.CAFile, srv.Username, srv.Password, "", "", "", "n"}
	r := runBin(t, dir, nil, strings.Join(in, "\n")+"\n", "--accessible", "--config", cfg)
	for _, want := range []string{
		"Receives the cluster's health alerts (Admiral).",
		"Sender (From) address [" + srv.Username + "]: ",
		"Stored in normal form", "emails.ui_admin: Admin@Example.com -> admin@example.com",
		"(smtp.from): " + srv.Username,
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the line prompts lack %q:\n%s", want, r.stdout)
		}
	}
	if r.code != 0 {
		t.Fatalf("exit %d: %s\n%s", r.code, r.stderr, r.stdout)
	}
	who, _ := user.Current()
	host, _ := os.Hostname()
	r = runBin(t, dir, nil, "", "--accessible", "--config", cfg)
	if want := " by " + who.Username + "@" + host + " with sitecfg "; !strings.Contains(r.stdout, want) {
		t.Errorf("the re-run's welcome lacks %q:\n%s", want, r.stdout)
	}
}

// reset-password says whose password it resets, in which file, and
// judges the code before asking for a new password: a wrong code is said
// at once (the new password never asked), and still counts.
func TestResetPasswordChecksTheCodeFirst(t *testing.T) {
	slow(t, "hashes passwords: about a second of CPU per run")
	t.Parallel()
	dir, path, codes := setupLocalUsers(t)
	s := startSession(t, dir, "reset-password", "--user", "siteadmin", "--config", path)
	s.waitFor("Resetting the UI password of siteadmin in " + path)
	s.waitFor("Recovery code: ")
	s.send("WRONG-CODE-0000")
	if code := s.exit(); code != 3 || !strings.Contains(s.text(), "not valid") || strings.Contains(s.text(), "New password") {
		t.Fatalf("exit %d, want 3 before any new password is asked:\n%s", code, s.text())
	}
	if n := failures(path, "siteadmin"); n != 1 {
		t.Errorf("%d failures counted, want 1", n)
	}
	s = startSession(t, dir, "reset-password", "--user", "siteadmin", "--config", path)
	s.waitFor("Recovery code: ")
	s.send(codes[0])
	s.waitFor("New password: ")
	s.send("New-Passw0rd-r3", "New-Passw0rd-r3")
	if code := s.exit(); code != 0 || !strings.Contains(s.text(), "was reset") {
		t.Fatalf("exit %d:\n%s", code, s.text())
	}
}

// recovery-codes writes next to the config by default; the file there
// (the wizard's, or apply's) holds the old codes, so a script is refused
// without --force and a terminal is asked; the new file names the config
// and the host it belongs to.
func TestRecoveryCodesReplaceNextToConfig(t *testing.T) {
	slow(t, "hashes recovery codes, and drives a terminal in tmux")
	t.Parallel()
	dir, path, old := setupLocalUsers(t)
	file := filepath.Join(dir, "siteadmin-recovery-codes.txt")
	other := t.TempDir() // run from another folder: the file is still next to the config
	r := runBin(t, other, nil, "", "recovery-codes", "--user", "siteadmin", "--config", path)
	if r.code != exitIO || !strings.Contains(r.stderr, file+" already exists") || !strings.Contains(r.stderr, "--force") {
		t.Fatalf("piped, over the old file: exit %d\n%s", r.code, r.stderr)
	}
	s := startTUI(t, other, "recovery-codes", "--user", "siteadmin", "--config", path)
	s.waitFor("already exists").waitFor("Replace it? [y/N]").keys("y", "Enter")
	s.mustExit(0)
	codes := readCodes(t, file)
	if len(codes) != 10 || codes[0] == old[0] {
		t.Fatalf("the codes file was not replaced: %v", codes)
	}
	host, _ := os.Hostname()
	if b, _ := os.ReadFile(file); !strings.Contains(string(b), "For the config "+path+" on "+host+".") {
		t.Errorf("the codes file does not name its config and host:\n%s", b)
	}
	if _, err := os.Stat(filepath.Join(other, "siteadmin-recovery-codes.txt")); err == nil {
		t.Error("codes written to the working folder")
	}
}

// On the "type one back" screen the codes are hidden (ctrl+r shows them
// again); Ctrl+C there says the codes just shown are void.
func TestConsoleTypeBackHidesCodes(t *testing.T) {
	slow(t, "drives the wizard in tmux")
	t.Parallel()
	tm := termCase{w: 80, h: 24, env: []string{"TERM=linux", "NO_COLOR=1"}}
	dir := t.TempDir()
	codesFile := filepath.Join(dir, "codes.txt")
	s := startTUIIn(t, tm, dir, "--config", filepath.Join(dir, "site-config.yaml"))
	s.waitFor("First deploy").keys("Enter")
	s.at("Send email through an SMTP server?").keys("n")
	s.field("UI admin username", "siteadmin").field("UI admin password", "Adm1n-Secret!x").field("Confirm the UI admin password", "Adm1n-Secret!x")
	s.field("UI primary customer support username", "csupport").field("UI primary customer support password", "Supp0rt-Secret!y").
		field("Confirm the UI primary customer support password", "Supp0rt-Secret!y")
	s.field("Save the admin's recovery codes to", codesFile)
	s.waitFor(" 10. ").keys("s").waitFor("Type one of the codes back").waitFor("codes are hidden")
	codes := readCodes(t, codesFile)
	if scr := s.screen(); strings.Contains(scr, codes[0]) {
		t.Fatalf("the codes are still on the type-back screen:\n%s", scr)
	}
	s.keys("C-r").waitFor(codes[0])
	tm.check(s)
	s.keys("C-c").mustExit(130)
	if scr := s.screen(); !strings.Contains(scr, "the recovery codes just shown are void") {
		t.Errorf("Ctrl+C does not say the codes are void:\n%s", scr)
	}
	if _, err := os.Stat(codesFile); err == nil {
		t.Error("the codes file of a cancelled run is left")
	}
}
