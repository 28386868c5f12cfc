package main

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sitecfg/audit"
	"sitecfg/config"
	"sitecfg/internal/smtptest"
	"sitecfg/internal/testkit"
)

// Canary secrets: none of them may appear in any output, metrics file,
// audit line or notice.
const (
	canarySMTPPw        = "Canary-Watch-Smtp-Pw-31!"
	canaryClientSecret  = "Canary-Watch-Client-Secret-64"
	canaryToken         = "Canary-Watch-Access-Token-27"
	watchMailbox        = "alerts@example.com"
	watchUIAdmin        = "admin@example.com"
	watchServerHostName = "127.0.0.1"
)

// runAt runs the command line in-process at a given clock.
func runAt(t *testing.T, now time.Time, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb,
		getenv: func(string) string { return "" }, now: func() time.Time { return now }}
	code = run(context.Background(), args, e)
	return code, out.String(), errb.String()
}

// watchConfig writes answers for srv into dir and applies them (without a
// check), so the config and its audit log exist as after a real deploy.
// With a non-empty expires the answers use OAuth 2.0 client credentials
// against tokenURL, the secret expiring that day; otherwise basic auth
// with password pw.
func watchConfig(t *testing.T, dir string, srv *smtptest.Server, pw, tokenURL, expires string, now time.Time) string {
	t.Helper()
	auth := fmt.Sprintf("auth: basic\n  password: %q", pw)
	if expires != "" {
		auth = fmt.Sprintf(`auth: oauth2
  oauth:
    token_url: %s
    scope: smtp.send
    mechanism: xoauth2
    client_id: sitecfg-test-app
    client_secret: %s
    client_secret_expires: %s`, tokenURL, canaryClientSecret, expires)
	}
	y := fmt.Sprintf(`version: 1
smtp:
  enabled: true
  %s
  server: %s
  port: %d
  security: starttls
  ca_file: %s
  username: %s
  from: %s
emails:
  ui_admin: %s
  ui_support: support@example.com
  admiral_alerts: health@example.com
`, auth, watchServerHostName, srv.Port, srv.CAFile, watchMailbox, watchMailbox, watchUIAdmin)
	answers := filepath.Join(dir, "answers.yaml")
	if err := os.WriteFile(answers, []byte(y), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "site-config.yaml")
	if code, out, errs := runAt(t, now, "", "apply", "--answers", answers, "--config", cfg, "--skip-check"); code != 0 {
		t.Fatalf("apply: %d\n%s%s", code, out, errs)
	}
	return cfg
}

// tokenServer is an OAuth 2.0 token endpoint on loopback handing out
// canaryToken for the canary client secret.
func tokenServer(t *testing.T) *httptest.Server {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		id, secret, _ := r.BasicAuth()
		if id == "" {
			id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
		}
		if id != "sitecfg-test-app" || secret != canaryClientSecret {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":"invalid_client"}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":%q,"token_type":"Bearer","expires_in":3600}`, canaryToken)
	}))
	t.Cleanup(ts.Close)
	return ts
}

func oauthMailServer(t *testing.T, dir string) *smtptest.Server {
	return smtptest.Start(t, smtptest.Options{Dir: dir, Username: watchMailbox, Mechanisms: []string{"XOAUTH2"},
		Tokens: func() []string { return []string{canaryToken} }, Timeout: 10 * time.Second})
}

// `check --metrics` for a passing, a failing and an expiring
// configuration: the file parses with expfmt and holds what happened;
// it is 0644, replaces the previous file whole, and holds no secret,
// address or host name.
func TestCheckMetrics(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	expires := now.AddDate(0, 0, 10).Format(time.DateOnly)
	expiryAt, _ := time.Parse(time.DateOnly, expires)
	tests := []struct {
		name    string
		oauth   bool
		pw      string
		code    int
		success float64
		expiry  float64 // 0: no expiry series
	}{
		{name: "passing", pw: canarySMTPPw, code: exitOK, success: 1},
		{name: "failing", pw: "Canary-Watch-Wrong-Pw-9!", code: exitCheck, success: 0},
		{name: "expiring", oauth: true, code: exitOK, success: 1, expiry: float64(expiryAt.AddDate(0, 0, 1).Unix())},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			var srv *smtptest.Server
			var cfg string
			if tt.oauth {
				srv = oauthMailServer(t, dir)
				cfg = watchConfig(t, dir, srv, "", tokenServer(t).URL+"/token", expires, now)
			} else {
				srv = smtptest.Start(t, smtptest.Options{Dir: dir, Username: watchMailbox, Password: canarySMTPPw, Timeout: 10 * time.Second})
				cfg = watchConfig(t, dir, srv, tt.pw, "", "", now)
			}
			promDir := filepath.Join(dir, "textfile_collector")
			os.Mkdir(promDir, 0o755)
			prom := filepath.Join(promDir, "sitecfg.prom")
			os.WriteFile(prom, []byte("stale content from an earlier run\n"), 0o644)

			code, stdout, stderr := runAt(t, now, "", "check", "--config", cfg, "--metrics", prom)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tt.code, stdout, stderr)
			}
			got := testkit.Textfile(t, prom)
			want := map[string]float64{
				"sitecfg_check_success":           tt.success,
				"sitecfg_check_timestamp_seconds": float64(now.Unix()),
				"sitecfg_config_changed_outside":  0,
				"sitecfg_smtp_enabled":            1,
			}
			if tt.expiry != 0 {
				want[`sitecfg_credential_expiry_timestamp_seconds{kind="client_secret"}`] = tt.expiry
			}
			// Issue 22, point 14: the certificate ca_file trusts, when the
			// config names one.
			if site, _, err := config.Load(cfg); err == nil && site.SMTP.CAFile != "" {
				b, _ := os.ReadFile(site.SMTP.CAFile)
				blk, _ := pem.Decode(b)
				c, err := x509.ParseCertificate(blk.Bytes)
				if err != nil {
					t.Fatal(err)
				}
				want[`sitecfg_credential_expiry_timestamp_seconds{kind="server_certificate"}`] = float64(c.NotAfter.Unix())
			}
			for k, v := range want {
				if g, ok := got[k]; !ok || g != v {
					t.Errorf("%s = %v (present %v), want %v", k, g, ok, v)
				}
			}
			if d, ok := got["sitecfg_check_duration_seconds"]; !ok || d <= 0 || d > 30 {
				t.Errorf("duration %v", d)
			}
			if len(got) != len(want)+1 {
				t.Errorf("series: %v", got)
			}
			fi, err := os.Stat(prom)
			if err != nil || fi.Mode().Perm() != 0o644 {
				t.Errorf("mode: %v %v", fi.Mode(), err)
			}
			if entries, _ := os.ReadDir(promDir); len(entries) != 1 {
				t.Errorf("left beside the textfile: %v", entries)
			}
			raw, _ := os.ReadFile(prom)
			host, _ := os.Hostname()
			for _, leak := range []string{watchServerHostName, "example.com", "@", host, dir} {
				if strings.Contains(string(raw), leak) {
					t.Errorf("the metrics file holds %q:\n%s", leak, raw)
				}
			}
			testkit.NoSecret(t, string(raw)+stdout+stderr, canarySMTPPw, canaryClientSecret, canaryToken)
		})
	}
}

// A config that cannot be checked at all still writes the textfile,
// failing, so an alert fires.
func TestCheckMetricsWithoutConfig(t *testing.T) {
	dir := t.TempDir()
	prom := filepath.Join(dir, "sitecfg.prom")
	code, _, _ := runAt(t, time.Now(), "", "check", "--config", filepath.Join(dir, "missing.yaml"), "--metrics", prom)
	if code != exitIO {
		t.Fatalf("exit %d", code)
	}
	if got := testkit.Textfile(t, prom); got["sitecfg_check_success"] != 0 || len(got) == 0 {
		t.Errorf("metrics: %v", got)
	}
}

// Drift: a hand edit is seen by check (words, JSON and metric), history
// and the wizard's welcome; the next write clears it.
func TestDriftAfterHandEditClearedByNextWrite(t *testing.T) {
	now := time.Date(2026, 11, 29, 8, 15, 0, 0, time.UTC)
	dir := t.TempDir()
	srv := smtptest.Start(t, smtptest.Options{Dir: dir, Username: watchMailbox, Password: canarySMTPPw, Timeout: 10 * time.Second})
	cfg := watchConfig(t, dir, srv, canarySMTPPw, "", "", now)
	prom := filepath.Join(dir, "sitecfg.prom")
	const said = "edited outside sitecfg since 2026-11-29 08:15 UTC"

	code, _, stderr := runAt(t, now.Add(time.Hour), "", "check", "--config", cfg, "--metrics", prom)
	if code != 0 || strings.Contains(stderr, "outside sitecfg") || testkit.Textfile(t, prom)["sitecfg_config_changed_outside"] != 0 {
		t.Fatalf("drift before any edit: exit %d\n%s", code, stderr)
	}

	b, _ := os.ReadFile(cfg)
	os.WriteFile(cfg, bytes.Replace(b, []byte("from: alerts@example.com"), []byte("from: noc@example.com"), 1), 0o600)

	code, _, stderr = runAt(t, now.Add(2*time.Hour), "", "check", "--config", cfg, "--metrics", prom)
	if code != 0 || !strings.Contains(stderr, said) {
		t.Errorf("check after a hand edit: exit %d\n%s", code, stderr)
	}
	if v := testkit.Textfile(t, prom)["sitecfg_config_changed_outside"]; v != 1 {
		t.Errorf("metric after a hand edit: %v", v)
	}
	_, stdout, _ := runAt(t, now.Add(2*time.Hour), "", "check", "--config", cfg, "--json")
	var res struct {
		ChangedOutside *audit.Drift `json:"changed_outside"`
	}
	if json.Unmarshal([]byte(stdout), &res); res.ChangedOutside == nil || !res.ChangedOutside.Since.Equal(now) {
		t.Errorf("check --json: %s", stdout)
	}
	if _, stdout, _ := runAt(t, now, "", "history", "--config", cfg); !strings.Contains(stdout, said) {
		t.Errorf("history:\n%s", stdout)
	}
	// The wizard's welcome, as line prompts; input ends at once.
	if _, stdout, _ := runAt(t, now, "", "--accessible", "--config", cfg); !strings.Contains(stdout, said) ||
		strings.Contains(stdout, "re-run sitecfg") || !strings.Contains(stdout, "saving takes the change over") {
		t.Errorf("the wizard's welcome (inside the wizard, never \"re-run sitecfg\"):\n%s", stdout)
	}

	// The next write takes the edit over: no drift any more.
	if code, out, errs := runAt(t, now.Add(3*time.Hour), "", "apply", "--answers", filepath.Join(dir, "answers.yaml"), "--config", cfg, "--skip-check"); code != 0 {
		t.Fatalf("apply: %d %s%s", code, out, errs)
	}
	code, _, stderr = runAt(t, now.Add(4*time.Hour), "", "check", "--config", cfg, "--metrics", prom)
	if code != 0 || strings.Contains(stderr, "outside sitecfg") || testkit.Textfile(t, prom)["sitecfg_config_changed_outside"] != 0 {
		t.Errorf("drift after the next write: exit %d\n%s", code, stderr)
	}
	_, stdout, _ = runAt(t, now, "", "history", "--config", cfg)
	if lines := strings.Split(stdout, "\n"); strings.Contains(stdout, "edited outside sitecfg since") || !strings.HasSuffix(lines[0], "(took over an edit made outside sitecfg)") ||
		strings.Contains(stdout[len(lines[0]):], "took over") {
		t.Errorf("history after the next write:\n%s", stdout)
	}
}

// `check --notify` with a client secret expiring in 10 days: one message
// through the configured server to the UI admin, saying what expires
// when and what to do; not again the same week (even from a new run of
// the process: the audit log remembers), again after a week.
func TestCheckNotifyOncePerWeek(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	expires := now.AddDate(0, 0, 10).Format(time.DateOnly)
	dir := t.TempDir()
	srv := oauthMailServer(t, dir)
	cfg := watchConfig(t, dir, srv, "", tokenServer(t).URL+"/token", expires, now)

	var outputs strings.Builder
	notify := func(at time.Time) int {
		code, stdout, stderr := runAt(t, at, "", "check", "--config", cfg, "--notify")
		outputs.WriteString(stdout + stderr)
		if code != 0 {
			t.Fatalf("check --notify: exit %d\n%s%s", code, stdout, stderr)
		}
		return len(srv.Messages())
	}
	if n := notify(now); n != 1 {
		t.Fatalf("%d messages after the first run, want 1", n)
	}
	m := srv.Messages()[0]
	if len(m.To) != 1 || m.To[0] != watchUIAdmin || m.From != watchMailbox {
		t.Errorf("envelope: from %s to %v", m.From, m.To)
	}
	body := string(m.Data)
	for _, want := range []string{"client secret", "expires on " + expires, "in 10 days", "Create a new client secret", "sitecfg check --config " + cfg} {
		if !strings.Contains(body, want) {
			t.Errorf("the notice lacks %q:\n%s", want, body)
		}
	}
	if n := notify(now.Add(24 * time.Hour)); n != 1 {
		t.Errorf("%d messages the next day, want still 1", n)
	}
	if n := notify(now.Add(6*24*time.Hour + 23*time.Hour)); n != 1 {
		t.Errorf("%d messages within the week, want still 1", n)
	}
	// After a week, again; --json says what was sent.
	code, stdout, _ := runAt(t, now.Add(7*24*time.Hour+time.Minute), "", "check", "--config", cfg, "--notify", "--json")
	var res struct {
		OK       bool     `json:"ok"`
		Notified []string `json:"notified"`
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil || code != 0 || !res.OK || len(res.Notified) != 1 || res.Notified[0] != "client_secret:"+expires || len(srv.Messages()) != 2 {
		t.Errorf("after a week, --json: exit %d, %d messages (want 2), %v\n%s", code, len(srv.Messages()), err, stdout)
	}
	outputs.WriteString(stdout)
	log, _ := os.ReadFile(audit.Path(cfg))
	var all strings.Builder
	for _, msg := range srv.Messages() {
		all.Write(msg.Data)
	}
	testkit.NoSecret(t, outputs.String()+string(log)+all.String(), canaryClientSecret, canaryToken)
	if l, _ := audit.Read(cfg); l.LastNotified("client_secret:" + expires).IsZero() {
		t.Errorf("the audit log does not remember the notice:\n%s", log)
	}
	// A check without --notify sends nothing.
	code, _, _ = runAt(t, now.Add(8*24*time.Hour), "", "check", "--config", cfg)
	if code != 0 || len(srv.Messages()) != 2 {
		t.Errorf("plain check: exit %d, %d messages", code, len(srv.Messages()))
	}
}
