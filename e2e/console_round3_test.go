package e2e

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
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
		if !strings.Contains(r.stdout, "\"-\" clears an optional one") {
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
