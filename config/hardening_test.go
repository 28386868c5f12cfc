package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sitecfg/internal/testkit"
)

// allText is every problem as an operator would see it.
func allText(ps Problems) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.String() + "\n")
	}
	return b.String()
}

// Issue 10, point 8: no problem ever prints a secret field's value, nor a
// value that came from ${ENV} or file: — including what YAML would take
// for an alias, an anchor or a tag in an unquoted password.
func TestNoProblemPrintsASecretOrAReferencedValue(t *testing.T) {
	dir := t.TempDir()
	secretFile := filepath.Join(dir, "shadow")
	os.WriteFile(secretFile, []byte("root:$6$File-Secret-77:19000:0:99999:7:::\n"), 0o600)
	t.Setenv("SMTP_PASSWORD", "Env-Secret!Pass-2026")
	base := "version: 1\nsmtp:\n  enabled: true\n  auth: basic\n  server: smtp.example.com\n  username: a@example.com\n  from: a@example.com\n" +
		"emails:\n  ui_admin: a@example.com\n  ui_support: b@example.com\n  admiral_alerts: c@example.com\n"
	tests := []struct {
		name, yaml, secret string
		wantError          bool
	}{
		{"alias", base + "  password: *Relay-Pass-2026\n", "Relay-Pass-2026", true},
		{"alias after the anchor", base + "  from: &Relay-Pass-2026 a@example.com\n  password: *Relay-Pass-2026\n", "Relay-Pass-2026", true},
		{"anchor", base + "  password: &Relay-Pass-2026\n", "Relay-Pass-2026", true},
		{"anchor with a value", base + "  password: &Relay-Pass-2026 rest\n", "Relay-Pass-2026", true},
		{"tag", base + "  password: !Relay-Pass-2026\n", "Relay-Pass-2026", true},
		{"env into port", base + "  password: x\n  port: ${SMTP_PASSWORD}\n", "Env-Secret!Pass-2026", true},
		{"env into server", strings.Replace(base, "smtp.example.com", "${SMTP_PASSWORD}", 1), "Env-Secret!Pass-2026", true},
		{"env into an email", strings.Replace(base, "ui_admin: a@example.com", "ui_admin: ${SMTP_PASSWORD}", 1), "Env-Secret!Pass-2026", true},
		{"file into port", base + "  port: file:" + secretFile + "\n", "File-Secret-77", true},
		{"file into tenant", base + "  oauth:\n    tenant_id: file:" + secretFile + "\n", "File-Secret-77", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, ps := ParseAnswers([]byte(tt.yaml), dir)
			if !ps.HasErrors() {
				a.ApplyDefaults()
				ps = append(ps, a.Validate(time.Now())...)
			}
			if tt.wantError && !ps.HasErrors() {
				t.Fatalf("accepted (password %q)", a.SMTP.Password.Value)
			}
			testkit.NoSecret(t, allText(ps), tt.secret)
			if strings.Contains(allText(ps), "Relay-Pass") {
				t.Errorf("part of the value is shown:\n%s", allText(ps))
			}
		})
	}
}

// Issue 10, point 9: credentials in token_url (user information, query)
// are not exported.
func TestExportHidesTokenURLCredentials(t *testing.T) {
	for _, u := range []string{
		"https://user:Url-Secret-99@idp.example.com/token",
		"https://idp.example.com/token?code=Url-Secret-99",
		"https://idp.example.com/token#Url-Secret-99",
	} {
		s := sampleSite("smtp.example.com")
		s.SMTP.Auth = AuthOAuth2
		s.SMTP.OAuth = &OAuth{TokenURL: u, ClientID: "c", ClientSecret: Secret{Value: "Client-Secret-1"}, Scope: "smtp"}
		out, err := Export(s)
		if err != nil {
			t.Fatal(err)
		}
		testkit.NoSecret(t, string(out), "Url-Secret-99", "Client-Secret-1")
		if !strings.Contains(string(out), "${"+EnvOAuthTokenURL+"}") {
			t.Errorf("token URL not replaced by a reference:\n%s", out)
		}
	}
	s := sampleSite("smtp.example.com")
	s.SMTP.OAuth = &OAuth{TokenURL: "https://idp.example.com/token"}
	out, _ := Export(s)
	if !strings.Contains(string(out), "https://idp.example.com/token") {
		t.Error("a plain token URL is exported as it is")
	}
}

// Issue 10, point 13: a value is bounded wherever it comes from, and so
// are the problems listed.
func TestValuesAndProblemsAreBounded(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("HUGE", strings.Repeat("x", 100<<10))
	a, ps := ParseAnswers([]byte("version: 1\nsmtp:\n  enabled: true\n  password: ${HUGE}\n"), dir)
	if !strings.Contains(allText(ps), "at most 64 KiB") || a.SMTP.Password.Value != "" {
		t.Errorf("a 100 KiB variable was taken: %q", allText(ps))
	}
	long := strings.Repeat("y", 1<<20)
	_, ps = ParseAnswers([]byte("version: 1\nsmtp:\n  enabled: true\n  port: "+long+"\n"), dir)
	if n := len(allText(ps)); n > 5000 {
		t.Errorf("a 1 MiB value is echoed: %d bytes of problems", n)
	}
	var b strings.Builder
	b.WriteString("version: 1\nsmtp:\n  enabled: false\n")
	for i := range 5000 {
		b.WriteString("unknown" + strings.Repeat("z", i%7) + string(rune('a'+i%26)) + ":\n")
	}
	_, ps = ParseAnswers([]byte(b.String()), dir)
	if len(ps) > MaxProblems+1 || !strings.Contains(ps[len(ps)-1].Message, "not listed") {
		t.Errorf("%d problems listed", len(ps))
	}
}

// Nit: an IPv6 address literal stays valid once lower-cased.
func TestIPv6LiteralAnyCase(t *testing.T) {
	for _, e := range []string{"noc@[IPv6:::1]", "noc@[ipv6:::1]", NormalizeEmail("NOC@[IPv6:2001:DB8::1]")} {
		if err := ValidateEmail(e); err != nil {
			t.Errorf("%s: %v", e, err)
		}
	}
}

// Nit: recovery_codes_out is relative to the answers file, as every other
// path is.
func TestRecoveryCodesOutIsRelativeToTheAnswersFile(t *testing.T) {
	a, _ := ParseAnswers([]byte("version: 1\nsmtp:\n  enabled: false\nrecovery_codes_out: ./codes.txt\n"), "/srv/answers")
	if a.RecoveryCodesOut != "/srv/answers/codes.txt" {
		t.Errorf("recovery_codes_out = %q", a.RecoveryCodesOut)
	}
}

// Nit: passwords with invisible characters are refused.
func TestPasswordWithInvisibleCharacters(t *testing.T) {
	for _, pw := range []string{"Good-Pass\u200b-2026", "Good-Pass\u202e-2026"} {
		if err := ValidatePassword("siteadmin", pw); err == nil {
			t.Errorf("%q accepted", pw)
		}
	}
}

// Nit: after switching the SMTP password from plain text to ${ENV}, the
// .bak does not keep the plain text.
func TestBackupDropsAPlaintextSecretNoLongerStored(t *testing.T) {
	path := filepath.Join(t.TempDir(), "site.yaml")
	l, err := Acquire(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	old := sampleSite("smtp.example.com")
	old.SMTP.Password = Secret{Value: "Plain-Stored-Pass-31"}
	if _, err := l.Save(old); err != nil {
		t.Fatal(err)
	}
	next := sampleSite("smtp.example.com") // stores ${SMTP_PASSWORD}
	if _, err := l.SaveDropping(next); err != nil {
		t.Fatal(err)
	}
	bak, _ := os.ReadFile(path + ".bak")
	testkit.NoSecret(t, string(bak), "Plain-Stored-Pass-31")
	if !strings.Contains(string(bak), "smtp.example.com") {
		t.Errorf("backup lost the rest:\n%s", bak)
	}
	// The same plain text kept: the backup is the previous file as is.
	if _, err := l.Save(old); err != nil {
		t.Fatal(err)
	}
	prev, _ := os.ReadFile(path)
	if _, err := l.SaveDropping(old); err != nil {
		t.Fatal(err)
	}
	if bak, _ := os.ReadFile(path + ".bak"); string(bak) != string(prev) {
		t.Error("backup changed although no secret was dropped")
	}
}

// Issue 10, points 12 and 13: a client certificate that is a FIFO or
// /dev/zero is refused at once.
func TestClientCertificateFromAFIFOOrDevice(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "cert.pem")
	if err := mkfifo(fifo); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{fifo, "/dev/zero"} {
		start := time.Now()
		_, err := LoadClientCertificate(p)
		if err == nil || !strings.Contains(err.Error(), "not a regular file") || time.Since(start) > time.Second {
			t.Errorf("%s: %v after %v", p, err, time.Since(start))
		}
	}
}

// An address longer than SMTP allows (64 characters before the @, 254 in
// all) is refused where it is typed, without echoing a value pasted by
// mistake whole; the longest valid ones pass.
func TestEmailLengthLimits(t *testing.T) {
	local64 := strings.Repeat("a", 64)
	longest := local64 + "@" + strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + "." + strings.Repeat("d", 57) + ".com"
	for _, ok := range []string{local64 + "@example.com", longest} {
		if err := ValidateEmail(ok); err != nil {
			t.Errorf("%d characters refused: %v", len(ok), err)
		}
	}
	for _, bad := range []string{
		strings.Repeat("a", 65) + "@example.com",
		local64 + "@" + strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + "." + strings.Repeat("d", 58) + ".com", // 255 in all
		strings.Repeat("x", 20000) + "@example.com", // a paste gone wrong
	} {
		err := ValidateEmail(bad)
		if err == nil || !strings.Contains(err.Error(), "too long for an email address") || len(err.Error()) > 200 {
			t.Errorf("%d characters: %v", len(bad), err)
		}
	}
}
