package smtpauth_test

// Integration tests against REAL mail servers: Dovecot's submission service
// and Postfix's smtpd (each with STARTTLS on one port and implicit TLS on
// another; AUTH PLAIN/LOGIN against a passwd-file user, XOAUTH2/OAUTHBEARER
// against Dovecot's oauth2 passdb, which Postfix uses too), relaying accepted
// mail to Postfix's smtp-sink, which stores each message as a file.
// .ci/mta/start.sh DIR starts all of it and writes DIR/env; point
// SITECFG_MTA_ENV at that file:
//
//	sudo bash .ci/mta/install.sh            # once per machine
//	sudo bash .ci/mta/start.sh /tmp/mta
//	SITECFG_MTA_ENV=/tmp/mta/env go test ./smtpauth -run MTA -v
//	sudo bash .ci/mta/stop.sh /tmp/mta
//
// Without SITECFG_MTA_ENV these tests skip, except in CI (CI=true), where a
// missing server is a failure: CI must never pass by skipping them.
//
// Assertions on diagnoses are deliberately loose: the step, the answers-file
// field where it is part of the contract, and any one of a few words — the
// code smtpauth uses today (diagnose*.go) first, then words any good
// explanation contains — so that they test behaviour, not wording.

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"sitecfg/smtpauth"
)

// mtaEnv is what .ci/mta/start.sh wrote to DIR/env.
type mtaEnv struct {
	Servers          []mtaServer // Dovecot first, then Postfix when started
	CAFile           string      // the throwaway CA that signed the servers' certificate
	User, Password   string
	MailDir          string   // where smtp-sink stores each relayed message
	IntrospectListen string   // where Dovecot POSTs tokens for RFC 7662 introspection ("" if no OAuth)
	Logs             []string // server logs, tails shown when a test fails
}

// mtaServer is one submission server: the same user, CA and sink.
type mtaServer struct {
	Name         string // "dovecot", "postfix"
	StartTLSAddr string // plain connect, then STARTTLS
	TLSAddr      string // implicit TLS
}

const mtaEnvVar = "SITECFG_MTA_ENV"

// realMTA loads the environment written by .ci/mta/start.sh, or skips (fails
// in CI) when there is none.
func realMTA(tb testing.TB) mtaEnv {
	tb.Helper()
	path := os.Getenv(mtaEnvVar)
	if path == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("real MTA not started: run .ci/mta/start.sh DIR and set %s=DIR/env", mtaEnvVar)
		}
		tb.Skipf("no real MTA: set %s (see .ci/mta/start.sh)", mtaEnvVar)
	}
	vals, err := mtaReadEnvFile(path)
	if err != nil {
		tb.Fatalf("%s=%s: %v (run .ci/mta/start.sh)", mtaEnvVar, path, err)
	}
	for _, k := range []string{
		"SITECFG_MTA_STARTTLS_ADDR", "SITECFG_MTA_TLS_ADDR", "SITECFG_MTA_CA_FILE",
		"SITECFG_MTA_USER", "SITECFG_MTA_PASSWORD", "SITECFG_MTA_MAILDIR",
	} {
		if vals[k] == "" {
			tb.Fatalf("%s: %s is missing or empty", path, k)
		}
	}
	e := mtaEnv{
		Servers: []mtaServer{{
			Name:         "dovecot",
			StartTLSAddr: vals["SITECFG_MTA_STARTTLS_ADDR"],
			TLSAddr:      vals["SITECFG_MTA_TLS_ADDR"],
		}},
		CAFile:           vals["SITECFG_MTA_CA_FILE"],
		User:             vals["SITECFG_MTA_USER"],
		Password:         vals["SITECFG_MTA_PASSWORD"],
		MailDir:          vals["SITECFG_MTA_MAILDIR"],
		IntrospectListen: vals["SITECFG_MTA_INTROSPECT_LISTEN"],
	}
	if a, b := vals["SITECFG_MTA_POSTFIX_STARTTLS_ADDR"], vals["SITECFG_MTA_POSTFIX_TLS_ADDR"]; a != "" && b != "" {
		e.Servers = append(e.Servers, mtaServer{Name: "postfix", StartTLSAddr: a, TLSAddr: b})
	}
	for _, k := range []string{"SITECFG_MTA_LOG", "SITECFG_MTA_POSTFIX_LOG"} {
		if vals[k] != "" {
			e.Logs = append(e.Logs, vals[k])
		}
	}
	// A stale env file (servers stopped since) would otherwise show up as a
	// confusing "connection refused" diagnosis in every test.
	for _, srv := range e.Servers {
		for _, addr := range []string{srv.StartTLSAddr, srv.TLSAddr} {
			c, err := net.DialTimeout("tcp", addr, 3*time.Second)
			if err != nil {
				tb.Fatalf("real MTA (%s) in %s is not running (%v): run .ci/mta/start.sh again", srv.Name, path, err)
			}
			c.Close()
		}
	}
	return e
}

// mtaEachServer runs f as a parallel subtest for each submission server.
func mtaEachServer(t *testing.T, f func(t *testing.T, e mtaEnv, srv mtaServer)) {
	t.Helper()
	t.Parallel()
	e := realMTA(t)
	for _, srv := range e.Servers {
		t.Run(srv.Name, func(t *testing.T) {
			t.Parallel()
			f(t, e, srv)
		})
	}
}

// mtaReadEnvFile parses KEY=value lines (blank lines and # comments ignored).
func mtaReadEnvFile(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	vals := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("not KEY=value: %q", line)
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
			v = v[1 : len(v)-1]
		}
		vals[strings.TrimSpace(strings.TrimPrefix(k, "export "))] = v
	}
	return vals, sc.Err()
}

func mtaSplitAddr(tb testing.TB, addr string) (string, int) {
	tb.Helper()
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		tb.Fatalf("address %q: %v", addr, err)
	}
	port, err := strconv.Atoi(p)
	if err != nil {
		tb.Fatalf("address %q: %v", addr, err)
	}
	return host, port
}

// basicSettings: AUTH with the test user's password, trusting the test CA.
func (e mtaEnv) basicSettings(tb testing.TB, addr string, sec smtpauth.Security) smtpauth.Settings {
	host, port := mtaSplitAddr(tb, addr)
	return smtpauth.Settings{
		Host:     host,
		Port:     port,
		Security: sec,
		CAFile:   e.CAFile,
		Method:   smtpauth.MethodBasic,
		Username: e.User,
		Password: e.Password,
		From:     e.User,
	}
}

// mtaCheck runs smtpauth.Check and, when the test fails, logs the report
// and the tails of the servers' logs: a failure against a real server must be
// explainable from the CI log alone.
func mtaCheck(t *testing.T, e mtaEnv, s smtpauth.Settings, o smtpauth.Options) *smtpauth.Report {
	t.Helper()
	if o.Timeout == 0 {
		o.Timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.Timeout+10*time.Second)
	defer cancel()
	start := time.Now()
	r, err := smtpauth.Check(ctx, s, o)
	if err != nil {
		t.Fatalf("Check returned an error (misuse?): %v", err)
	}
	if r == nil {
		t.Fatal("Check returned a nil report")
	}
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		js, _ := json.MarshalIndent(r, "", "  ")
		t.Logf("report (%v):\n%s", time.Since(start).Round(time.Millisecond), js)
		for _, log := range e.Logs {
			if b, err := os.ReadFile(log); err == nil {
				lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
				if len(lines) > 15 {
					lines = lines[len(lines)-15:]
				}
				t.Logf("tail of %s:\n%s", log, strings.Join(lines, "\n"))
			}
		}
	})
	return r
}

func mtaWantOK(t *testing.T, r *smtpauth.Report) {
	t.Helper()
	if !r.OK {
		d := r.Diagnosis
		if d == nil {
			t.Fatalf("check failed without a diagnosis")
		}
		t.Fatalf("check failed at %s: %s [%s]: %s (server said %q)", d.Step, d.Code, d.Summary, d.Remedy, d.ServerSaid)
	}
	if r.Diagnosis != nil {
		t.Errorf("OK report carries a diagnosis: %+v", *r.Diagnosis)
	}
}

// mtaWantStepsOK asserts that each named step ran and succeeded.
func mtaWantStepsOK(t *testing.T, r *smtpauth.Report, names ...smtpauth.StepName) {
	t.Helper()
	for _, n := range names {
		found := false
		for _, st := range r.Steps {
			if st.Name == n {
				found = true
				if st.Status != smtpauth.StatusOK && st.Status != smtpauth.StatusWarning {
					t.Errorf("step %s: status %s (%s), want ok", n, st.Status, st.Detail)
				}
			}
		}
		if !found {
			t.Errorf("step %s missing from the report", n)
		}
	}
}

// mtaDiagText is everything a diagnosis says, lower-cased, for loose matching.
func mtaDiagText(d *smtpauth.Diagnosis) string {
	return strings.ToLower(strings.Join([]string{d.Code, d.Summary, d.Field, d.Remedy, d.ServerSaid, strings.Join(d.Commands, " ")}, " | "))
}

// mtaWantFailure asserts a failed check whose diagnosis is at one of steps and
// mentions at least one of words (case-insensitive; none given: any text).
func mtaWantFailure(t *testing.T, r *smtpauth.Report, steps []smtpauth.StepName, words ...string) *smtpauth.Diagnosis {
	t.Helper()
	if r.OK {
		t.Fatalf("check passed, want a failure at %v", steps)
	}
	d := r.Diagnosis
	if d == nil {
		t.Fatal("failed check without a diagnosis")
	}
	t.Logf("diagnosis: step=%s code=%s field=%s: %s", d.Step, d.Code, d.Field, d.Summary)
	if d.Code == "" || d.Summary == "" || d.Remedy == "" {
		t.Errorf("diagnosis lacks a code, summary or remedy: %+v", *d)
	}
	stepOK := false
	for _, s := range steps {
		stepOK = stepOK || d.Step == s
	}
	if !stepOK {
		t.Errorf("diagnosis at step %q, want one of %v: %+v", d.Step, steps, *d)
	}
	if len(words) > 0 {
		text := mtaDiagText(d)
		hit := false
		for _, w := range words {
			hit = hit || strings.Contains(text, strings.ToLower(w))
		}
		if !hit {
			t.Errorf("diagnosis mentions none of %q:\n code=%s\n summary=%s\n field=%s\n remedy=%s", words, d.Code, d.Summary, d.Field, d.Remedy)
		}
	}
	return d
}

// mtaWantField asserts that the diagnosis points at one of the answers-file
// fields (SPEC.md paths: a stable contract, unlike the wording).
func mtaWantField(t *testing.T, d *smtpauth.Diagnosis, fields ...string) {
	t.Helper()
	for _, f := range fields {
		if d.Field == f {
			return
		}
	}
	t.Errorf("diagnosis %s points at field %q, want one of %q", d.Code, d.Field, fields)
}

// mtaWantNoSecret asserts that a secret appears nowhere in the report, neither
// as is nor base64-encoded inside an AUTH line.
func mtaWantNoSecret(t *testing.T, r *smtpauth.Report, secrets ...string) {
	t.Helper()
	js, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	all := string(js)
	for _, sec := range secrets {
		if sec == "" {
			continue
		}
		if strings.Contains(all, sec) {
			t.Errorf("report contains a secret in clear text (%.4s…)", sec)
		}
		for _, enc := range []string{
			base64.StdEncoding.EncodeToString([]byte(sec)),
		} {
			if strings.Contains(all, enc) {
				t.Errorf("report contains a secret, base64-encoded")
			}
		}
	}
	for _, line := range r.Transcript {
		up := strings.ToUpper(line)
		if strings.HasPrefix(up, "C: AUTH ") {
			// AUTH MECH [initial-response]: the response must be redacted.
			if f := strings.Fields(line); len(f) > 3 && !strings.Contains(line, "redacted") {
				t.Errorf("transcript AUTH line not redacted: %q", line)
			}
		}
	}
}

func mtaTag(tb testing.TB) string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		tb.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// mtaWaitForMessage polls the sink's folder until a stored message contains
// marker (and the file has stopped growing), and returns it.
func mtaWaitForMessage(t *testing.T, dir, marker string, within time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(within)
	lastSize := map[string]int{}
	for {
		var found string
		_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || found != "" {
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil || !strings.Contains(string(b), marker) {
				return nil
			}
			// smtp-sink writes as it receives: take the file once its size
			// is the same on two polls in a row.
			if lastSize[p] == len(b) {
				found = string(b)
			}
			lastSize[p] = len(b)
			return nil
		})
		if found != "" {
			return found
		}
		if time.Now().After(deadline) {
			t.Fatalf("no message containing %q arrived in %s within %v", marker, dir, within)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// --- basic AUTH ---------------------------------------------------------------

// STARTTLS, certificate checked against the CA given in CAFile, AUTH PLAIN
// (or whatever smtpauth prefers among PLAIN/LOGIN), a test message — which
// must really arrive at the far end of the relay.
func TestMTAStartTLSAuthAndMessageArrives(t *testing.T) {
	mtaEachServer(t, func(t *testing.T, e mtaEnv, srv mtaServer) {
		rcpt := "noc+" + srv.Name + "-" + mtaTag(t) + "@example.test"
		s := e.basicSettings(t, srv.StartTLSAddr, smtpauth.SecurityStartTLS)
		s.SendTest = true
		s.Recipients = []string{rcpt}

		var mu sync.Mutex
		var seen []smtpauth.Step
		r := mtaCheck(t, e, s, smtpauth.Options{OnStep: func(st smtpauth.Step) {
			mu.Lock()
			seen = append(seen, st)
			mu.Unlock()
		}})
		mtaWantOK(t, r)
		mtaWantStepsOK(t, r, smtpauth.StepConnect, smtpauth.StepBanner, smtpauth.StepEHLO, smtpauth.StepTLS, smtpauth.StepAuth, smtpauth.StepMessage)
		mtaWantNoSecret(t, r, e.Password, "\x00"+e.User+"\x00"+e.Password)
		if r.Server != srv.StartTLSAddr {
			t.Errorf("report server = %q, want %q", r.Server, srv.StartTLSAddr)
		}
		accepted := false
		for _, rr := range r.Recipients {
			accepted = accepted || (strings.EqualFold(rr.Address, rcpt) && rr.Accepted)
		}
		if !accepted {
			t.Errorf("recipient %s not reported accepted: %+v", rcpt, r.Recipients)
		}
		mu.Lock()
		if len(seen) == 0 {
			t.Error("Options.OnStep was never called")
		}
		mu.Unlock()
		// The transcript shows that TLS really was negotiated with STARTTLS.
		if tr := strings.ToUpper(strings.Join(r.Transcript, "\n")); !strings.Contains(tr, "STARTTLS") {
			t.Errorf("transcript shows no STARTTLS:\n%s", tr)
		}

		// The message went through the server, was relayed to the sink, and
		// the sink stored it: envelope recipient and sender as given, with a
		// Subject, submitted over TLS with AUTH ("ESMTPSA" in Received:).
		msg := mtaWaitForMessage(t, e.MailDir, "<"+rcpt+">", 10*time.Second)
		if !strings.Contains(msg, "X-Mail-Args: <"+e.User+">") {
			t.Errorf("stored message has another envelope sender than %s:\n%s", e.User, msg)
		}
		if !strings.Contains(msg, "\nSubject: ") {
			t.Errorf("stored message has no Subject header:\n%s", msg)
		}
		if !receivedTLSAuth.MatchString(msg) {
			t.Errorf("stored message was not submitted over TLS with AUTH (no \"with ESMTPSA\" in Received):\n%s", msg)
		}
	})
}

// receivedTLSAuth matches the protocol a server writes in its Received:
// header for a message submitted over TLS with AUTH (RFC 3848, RFC 6531).
var receivedTLSAuth = regexp.MustCompile(`with (ESMTP|UTF8SMTP)SA\b`)

// Implicit TLS ("SSL", port 465 style) with the same user, and a message.
func TestMTAImplicitTLS(t *testing.T) {
	mtaEachServer(t, func(t *testing.T, e mtaEnv, srv mtaServer) {
		r := mtaCheck(t, e, e.basicSettings(t, srv.TLSAddr, smtpauth.SecurityTLS), smtpauth.Options{})
		mtaWantOK(t, r)
		mtaWantStepsOK(t, r, smtpauth.StepConnect, smtpauth.StepTLS, smtpauth.StepBanner, smtpauth.StepAuth)
		mtaWantNoSecret(t, r, e.Password)

		rcpt := "oncall+" + srv.Name + "-" + mtaTag(t) + "@example.test"
		s := e.basicSettings(t, srv.TLSAddr, smtpauth.SecurityTLS)
		s.SendTest, s.Recipients = true, []string{rcpt}
		mtaWantOK(t, mtaCheck(t, e, s, smtpauth.Options{}))
		mtaWaitForMessage(t, e.MailDir, "<"+rcpt+">", 10*time.Second)
	})
}

// A wrong password: 535 5.7.8 (after the auth failure delay); the diagnosis
// is at the AUTH step and points at the credentials.
func TestMTAWrongPassword(t *testing.T) {
	mtaEachServer(t, func(t *testing.T, e mtaEnv, srv mtaServer) {
		s := e.basicSettings(t, srv.StartTLSAddr, smtpauth.SecurityStartTLS)
		s.Password = "wrong-" + mtaTag(t)
		r := mtaCheck(t, e, s, smtpauth.Options{})
		d := mtaWantFailure(t, r, []smtpauth.StepName{smtpauth.StepAuth}, "auth-failed", "535", "password", "credential", "username")
		if d.Field != "" && !strings.Contains(d.Field, "password") && !strings.Contains(d.Field, "username") {
			t.Errorf("diagnosis points at field %q, want smtp.password or smtp.username", d.Field)
		}
		mtaWantNoSecret(t, r, s.Password)
	})
}

// An unknown user fails the same way (the server does not tell which).
func TestMTAUnknownUser(t *testing.T) {
	mtaEachServer(t, func(t *testing.T, e mtaEnv, srv mtaServer) {
		s := e.basicSettings(t, srv.StartTLSAddr, smtpauth.SecurityStartTLS)
		s.Username = "nobody-" + mtaTag(t) + "@example.test"
		r := mtaCheck(t, e, s, smtpauth.Options{})
		mtaWantFailure(t, r, []smtpauth.StepName{smtpauth.StepAuth}, "auth-failed", "535", "password", "credential", "username")
	})
}

// auth: none against a submission server: the server wants AUTH before it
// takes mail, so the test message is refused (Dovecot: 530 5.7.0 at MAIL;
// Postfix: 554 5.7.1 "Access denied" at RCPT).
func TestMTANoAuthIsRefused(t *testing.T) {
	mtaEachServer(t, func(t *testing.T, e mtaEnv, srv mtaServer) {
		s := e.basicSettings(t, srv.StartTLSAddr, smtpauth.SecurityStartTLS)
		s.Method, s.Username, s.Password = smtpauth.MethodNone, "", ""
		s.SendTest, s.Recipients = true, []string{"noc+" + mtaTag(t) + "@example.test"}
		r := mtaCheck(t, e, s, smtpauth.Options{})
		mtaWantFailure(t, r, []smtpauth.StepName{smtpauth.StepMessage, smtpauth.StepAuth},
			"auth-required", "530", "554", "auth", "relay", "denied", "rejected")
	})
}

// --- wrong security setting for the port ---------------------------------------

// security: starttls against the implicit-TLS port. The server waits for a
// TLS ClientHello, the client for a 220 greeting: the diagnosis must say to
// use implicit TLS (security: tls), not merely "timeout".
func TestMTAStartTLSAgainstImplicitTLSPort(t *testing.T) {
	mtaEachServer(t, func(t *testing.T, e mtaEnv, srv mtaServer) {
		r := mtaCheck(t, e, e.basicSettings(t, srv.TLSAddr, smtpauth.SecurityStartTLS), smtpauth.Options{Timeout: 20 * time.Second})
		d := mtaWantFailure(t, r,
			[]smtpauth.StepName{smtpauth.StepConnect, smtpauth.StepBanner, smtpauth.StepEHLO, smtpauth.StepTLS},
			"port-wants-implicit-tls", "implicit", "security: tls", "ssl", "465")
		mtaWantField(t, d, "smtp.security")
		if r.Duration > 25*time.Second {
			t.Errorf("check took %v, beyond its 20 s timeout", r.Duration)
		}
	})
}

// security: tls against the STARTTLS port. The TLS handshake reads
// "220 localhost ... ready": the diagnosis must say to use STARTTLS.
func TestMTAImplicitTLSAgainstStartTLSPort(t *testing.T) {
	mtaEachServer(t, func(t *testing.T, e mtaEnv, srv mtaServer) {
		r := mtaCheck(t, e, e.basicSettings(t, srv.StartTLSAddr, smtpauth.SecurityTLS), smtpauth.Options{Timeout: 20 * time.Second})
		d := mtaWantFailure(t, r,
			[]smtpauth.StepName{smtpauth.StepTLS, smtpauth.StepConnect, smtpauth.StepBanner},
			"port-wants-starttls", "starttls", "587")
		mtaWantField(t, d, "smtp.security")
	})
}

// security: none with a password on the STARTTLS port: neither server offers
// AUTH before TLS, so the password is never sent.
func TestMTANoTLSButPassword(t *testing.T) {
	mtaEachServer(t, func(t *testing.T, e mtaEnv, srv mtaServer) {
		r := mtaCheck(t, e, e.basicSettings(t, srv.StartTLSAddr, smtpauth.SecurityNone), smtpauth.Options{})
		d := mtaWantFailure(t, r,
			[]smtpauth.StepName{smtpauth.StepAuth, smtpauth.StepEHLO, smtpauth.StepTLS},
			"auth-not-offered", "starttls", "tls", "security")
		mtaWantField(t, d, "smtp.security")
		mtaWantNoSecret(t, r, e.Password, "\x00"+e.User+"\x00"+e.Password)
	})
}

// --- certificates ------------------------------------------------------------------

// Without the test CA the server's certificate cannot be verified: a
// certificate diagnosis at the TLS step (never a silent fallback), and the
// password is not sent.
func TestMTAUntrustedCertificate(t *testing.T) {
	mtaEachServer(t, func(t *testing.T, e mtaEnv, srv mtaServer) {
		for _, tc := range []struct {
			name string
			addr string
			sec  smtpauth.Security
		}{
			{"starttls", srv.StartTLSAddr, smtpauth.SecurityStartTLS},
			{"implicit-tls", srv.TLSAddr, smtpauth.SecurityTLS},
		} {
			t.Run(tc.name, func(t *testing.T) {
				s := e.basicSettings(t, tc.addr, tc.sec)
				s.CAFile = ""
				r := mtaCheck(t, e, s, smtpauth.Options{})
				d := mtaWantFailure(t, r, []smtpauth.StepName{smtpauth.StepTLS}, "cert-untrusted", "certif", "x509", "authority", "ca_file")
				mtaWantField(t, d, "smtp.ca_file")
				for _, st := range r.Steps {
					if st.Name == smtpauth.StepAuth && st.Status == smtpauth.StatusOK {
						t.Error("AUTH ran over a connection whose certificate failed verification")
					}
				}
				mtaWantNoSecret(t, r, e.Password, "\x00"+e.User+"\x00"+e.Password)
			})
		}
	})
}

// The CA given as a pool (RootCAs) works as well as the file.
func TestMTARootCAsPool(t *testing.T) {
	mtaEachServer(t, func(t *testing.T, e mtaEnv, srv mtaServer) {
		pem, err := os.ReadFile(e.CAFile)
		if err != nil {
			t.Fatal(err)
		}
		s := e.basicSettings(t, srv.StartTLSAddr, smtpauth.SecurityStartTLS)
		s.CAFile = ""
		s.RootCAs = mtaPoolFromPEM(t, pem)
		mtaWantOK(t, mtaCheck(t, e, s, smtpauth.Options{}))
	})
}

// --- OAuth 2.0: XOAUTH2 and OAUTHBEARER, tokens checked by Dovecot's oauth2 passdb -

// mtaIDP is a tiny OAuth 2.0 provider: a client-credentials token endpoint
// (HTTPS, on loopback) and the RFC 7662 introspection endpoint that Dovecot
// calls (plain HTTP on the fixed loopback address from start.sh).
type mtaIDP struct {
	clientID, clientSecret, scope, mailbox string

	mu       sync.Mutex
	tokens   map[string]bool // issued token -> active
	inactive bool            // issue tokens that introspection then calls inactive
	tokenSrv *httptest.Server
}

func mtaStartIDP(t *testing.T, e mtaEnv) *mtaIDP {
	t.Helper()
	if e.IntrospectListen == "" {
		t.Skip("start.sh did not set up the oauth2 passdb (no SITECFG_MTA_INTROSPECT_LISTEN)")
	}
	p := &mtaIDP{
		clientID:     "sitecfg-test-" + mtaTag(t),
		clientSecret: "s3cret-" + mtaTag(t),
		scope:        "smtp.send",
		mailbox:      e.User,
		tokens:       map[string]bool{},
	}

	p.tokenSrv = httptest.NewTLSServer(http.HandlerFunc(p.serveToken))
	t.Cleanup(p.tokenSrv.Close)

	ln, err := net.Listen("tcp", e.IntrospectListen)
	if err != nil {
		t.Fatalf("introspection endpoint %s: %v (another test run holding it?)", e.IntrospectListen, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/introspect", p.serveIntrospect)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return p
}

// serveToken: POST grant_type=client_credentials, client credentials in the
// body or as HTTP Basic auth (RFC 6749 §2.3.1 allows both).
func (p *mtaIDP) serveToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	writeJSON := func(code int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_ = json.NewEncoder(w).Encode(v)
	}
	if g := r.PostForm.Get("grant_type"); g != "client_credentials" {
		writeJSON(http.StatusBadRequest, map[string]string{"error": "unsupported_grant_type", "error_description": "got " + g})
		return
	}
	if id != p.clientID || secret != p.clientSecret {
		writeJSON(http.StatusUnauthorized, map[string]string{"error": "invalid_client", "error_description": "Client authentication failed."})
		return
	}
	tok := "at-" + mtaRandHex(24)
	p.mu.Lock()
	p.tokens[tok] = !p.inactive
	p.mu.Unlock()
	writeJSON(http.StatusOK, map[string]any{
		"access_token": tok,
		"token_type":   "Bearer",
		"expires_in":   3600,
		"scope":        p.scope,
	})
}

// serveIntrospect answers Dovecot's POST token=... (RFC 7662).
func (p *mtaIDP) serveIntrospect(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	tok := r.PostForm.Get("token")
	p.mu.Lock()
	active, known := p.tokens[tok]
	p.mu.Unlock()
	resp := map[string]any{"active": false}
	if known && active {
		resp = map[string]any{
			"active":    true,
			"username":  p.mailbox,
			"client_id": p.clientID,
			"scope":     p.scope,
			"exp":       time.Now().Add(time.Hour).Unix(),
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(resp)
}

func (p *mtaIDP) setInactive(v bool) {
	p.mu.Lock()
	p.inactive = v
	p.mu.Unlock()
}

func (p *mtaIDP) issuedTokens() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var toks []string
	for tok := range p.tokens {
		toks = append(toks, tok)
	}
	return toks
}

func (p *mtaIDP) settings(t *testing.T, e mtaEnv, addr string, sec smtpauth.Security, mech string) (smtpauth.Settings, smtpauth.Options) {
	host, port := mtaSplitAddr(t, addr)
	s := smtpauth.Settings{
		Host:         host,
		Port:         port,
		Security:     sec,
		CAFile:       e.CAFile,
		Method:       smtpauth.MethodOAuth2,
		Username:     p.mailbox,
		TokenURL:     p.tokenSrv.URL + "/token",
		Scope:        p.scope,
		ClientID:     p.clientID,
		ClientSecret: p.clientSecret,
		Mechanism:    mech,
		From:         p.mailbox,
	}
	// The token endpoint's certificate is httptest's own: trust it through
	// the HTTP client, as an operator's system roots would trust a real IdP.
	return s, smtpauth.Options{HTTPClient: p.tokenSrv.Client()}
}

// One test owns the fixed introspection address, so its cases run in turn.
// Postfix offers the same mechanisms (it asks Dovecot's auth service), so
// both servers are checked.
func TestMTAOAuth(t *testing.T) {
	e := realMTA(t)
	p := mtaStartIDP(t, e)

	for _, srv := range e.Servers {
		t.Run(srv.Name, func(t *testing.T) {
			for _, mech := range []string{"xoauth2", "oauthbearer"} {
				t.Run(mech, func(t *testing.T) {
					rcpt := "oauth+" + srv.Name + "-" + mech + "-" + mtaTag(t) + "@example.test"
					s, o := p.settings(t, e, srv.StartTLSAddr, smtpauth.SecurityStartTLS, mech)
					s.SendTest, s.Recipients = true, []string{rcpt}
					r := mtaCheck(t, e, s, o)
					mtaWantOK(t, r)
					mtaWantStepsOK(t, r, smtpauth.StepTLS, smtpauth.StepToken, smtpauth.StepAuth, smtpauth.StepMessage)
					if tr := strings.ToUpper(strings.Join(r.Transcript, "\n")); !strings.Contains(tr, "AUTH "+strings.ToUpper(mech)) {
						t.Errorf("transcript shows no AUTH %s", strings.ToUpper(mech))
					}
					mtaWantNoSecret(t, r, append(p.issuedTokens(), p.clientSecret)...)
					mtaWaitForMessage(t, e.MailDir, "<"+rcpt+">", 10*time.Second)
				})
			}

			t.Run("xoauth2-implicit-tls", func(t *testing.T) {
				s, o := p.settings(t, e, srv.TLSAddr, smtpauth.SecurityTLS, "xoauth2")
				mtaWantOK(t, mtaCheck(t, e, s, o))
			})

			// A token is issued but the mail server rejects it (introspection
			// says inactive): the server sends the RFC 7628 JSON error
			// challenge, the client must answer it, then 535.
			for _, mech := range []string{"xoauth2", "oauthbearer"} {
				t.Run("token-rejected-"+mech, func(t *testing.T) {
					p.setInactive(true)
					defer p.setInactive(false)
					s, o := p.settings(t, e, srv.StartTLSAddr, smtpauth.SecurityStartTLS, mech)
					r := mtaCheck(t, e, s, o)
					mtaWantFailure(t, r, []smtpauth.StepName{smtpauth.StepAuth}, "oauth-rejected", "535", "token", "oauth", "mailbox", "permission")
					mtaWantStepsOK(t, r, smtpauth.StepToken)
					mtaWantNoSecret(t, r, append(p.issuedTokens(), p.clientSecret)...)
				})
			}

			// The token is valid, but for another mailbox than the one named
			// in AUTH.
			t.Run("wrong-mailbox", func(t *testing.T) {
				s, o := p.settings(t, e, srv.StartTLSAddr, smtpauth.SecurityStartTLS, "xoauth2")
				s.Username = "someone-else@example.test"
				s.From = s.Username
				r := mtaCheck(t, e, s, o)
				mtaWantFailure(t, r, []smtpauth.StepName{smtpauth.StepAuth}, "oauth-rejected", "535", "token", "oauth", "mailbox", "username")
			})
		})
	}

	// The IdP refuses the client secret: a token-step diagnosis, and the
	// mail server is never asked.
	t.Run("bad-client-secret", func(t *testing.T) {
		s, o := p.settings(t, e, e.Servers[0].StartTLSAddr, smtpauth.SecurityStartTLS, "xoauth2")
		s.ClientSecret = "wrong-" + mtaTag(t)
		r := mtaCheck(t, e, s, o)
		d := mtaWantFailure(t, r, []smtpauth.StepName{smtpauth.StepToken}, "token-invalid-client", "invalid_client", "secret", "client")
		mtaWantField(t, d, "smtp.oauth.client_secret", "smtp.oauth.client_id")
		mtaWantNoSecret(t, r, s.ClientSecret)
		for _, st := range r.Steps {
			if st.Name == smtpauth.StepAuth && st.Status == smtpauth.StatusOK {
				t.Error("AUTH succeeded without a token")
			}
		}
	})
}

func mtaRandHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

func mtaPoolFromPEM(t *testing.T, pem []byte) *x509.CertPool {
	t.Helper()
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("no PEM certificate in the CA file")
	}
	return pool
}
