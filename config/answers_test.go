package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseAnswersPositionsAndUnknownKeys(t *testing.T) {
	y := `version: 1
smtp:
  enabled: true
  auth: basic
  sever: smtp.example.com
  port: 587
  from: a@example.com
  oauth:
    tennant_id: x
emails:
  ui_admin: admin@example.com
  ui_suport: s@example.com
frobnicate: 1
`
	_, ps := ParseAnswers([]byte(y), "")
	want := map[string]struct {
		line, col int
		hint      string
	}{
		"smtp.sever":            {5, 3, `did you mean "server"?`},
		"smtp.oauth.tennant_id": {9, 5, `did you mean "tenant_id"?`},
		"emails.ui_suport":      {12, 3, `did you mean "ui_support"?`},
		"frobnicate":            {13, 1, ""},
	}
	for field, w := range want {
		got := ps.For(field)
		if len(got) != 1 {
			t.Errorf("%s: want one problem, got %v", field, got)
			continue
		}
		p := got[0]
		if p.Line != w.line || p.Column != w.col {
			t.Errorf("%s at %d:%d, want %d:%d", field, p.Line, p.Column, w.line, w.col)
		}
		if !strings.Contains(p.Message, "unknown key") || (w.hint != "" && !strings.Contains(p.Message, w.hint)) {
			t.Errorf("%s: message %q, want unknown key %s", field, p.Message, w.hint)
		}
		if !strings.Contains(p.String(), "line ") {
			t.Errorf("rendered problem lacks a position: %s", p)
		}
	}
}

func TestParseAnswersValueErrorsCarryTheirLine(t *testing.T) {
	a, ps := check(t, edit(basicOn, "port:", "port: 70000"))
	_ = a
	got := ps.For("smtp.port")
	if len(got) == 0 || got[0].Line != 6 || got[0].Column != 3 {
		t.Fatalf("port error position: %v", got)
	}
}

func TestReferences(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "secret.txt"), []byte("from-a-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SITECFG_TEST_PW", "from-the-env")
	y := edit(basicOn, "password:", "password: ${SITECFG_TEST_PW}", "username:", "username: file:secret.txt")
	a, ps := ParseAnswers([]byte(y), dir)
	if len(ps) != 0 {
		t.Fatal(ps)
	}
	if a.SMTP.Password.Value != "from-the-env" || a.SMTP.Password.Ref != "${SITECFG_TEST_PW}" {
		t.Errorf("env secret = %#v (value %q)", a.SMTP.Password, a.SMTP.Password.Value)
	}
	if a.SMTP.Username != "from-a-file" {
		t.Errorf("file value = %q (trailing newline must be dropped)", a.SMTP.Username)
	}
	// A file: secret is stored as an absolute reference.
	y = edit(basicOn, "password:", "password: file:secret.txt")
	a, _ = ParseAnswers([]byte(y), dir)
	if a.SMTP.Password.Ref != "file:"+filepath.Join(dir, "secret.txt") {
		t.Errorf("file ref = %q", a.SMTP.Password.Ref)
	}
}

func TestUnresolvableReferencesNameTheField(t *testing.T) {
	y := edit(basicOn, "password:", "password: ${SITECFG_SURELY_UNSET_VAR}", "from:", "from: file:/nonexistent/x")
	_, ps := ParseAnswers([]byte(y), t.TempDir())
	pw := ps.For("smtp.password")
	if len(pw) == 0 || !strings.Contains(pw[0].Message, "SITECFG_SURELY_UNSET_VAR is not set") {
		t.Errorf("unset variable: %v", pw)
	}
	fr := ps.For("smtp.from")
	if len(fr) == 0 || !strings.Contains(fr[0].Message, "cannot read") || fr[0].Line != 10 {
		t.Errorf("unreadable file: %v", fr)
	}
}

func TestBrokenYAML(t *testing.T) {
	for name, y := range map[string]string{
		"tabs":        "version: 1\nsmtp:\n\tenabled: true\n",
		"unclosed":    "version: 1\nsmtp: [\n",
		"scalar root": "hello",
		"list root":   "- a\n- b\n",
		"empty":       "",
		"duplicate":   "version: 1\nversion: 1\nsmtp:\n  enabled: false\n",
	} {
		t.Run(name, func(t *testing.T) {
			a, ps := ParseAnswers([]byte(y), "")
			if a == nil {
				t.Fatal("nil answers")
			}
			if !ps.HasErrors() {
				t.Fatalf("no error for %q", y)
			}
		})
	}
}

func TestWarnsAboutIgnoredSections(t *testing.T) {
	_, ps := check(t, usersOff+"emails:\n  ui_admin: a@example.com\n")
	if len(ps.Warnings().For("emails")) == 0 {
		t.Errorf("emails with SMTP off should warn: %v", ps)
	}
	if ps.HasErrors() {
		t.Errorf("unexpected errors: %v", ps.Error())
	}
}

func TestSecretNeverFormatsItsValue(t *testing.T) {
	s := Secret{Value: "canary-value-123"}
	for _, out := range []string{s.String(), s.GoString()} {
		if strings.Contains(out, "canary") {
			t.Errorf("secret leaked through formatting: %s", out)
		}
	}
}
