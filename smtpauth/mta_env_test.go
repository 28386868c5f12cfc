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
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
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

func mtaTag(tb testing.TB) string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		tb.Fatal(err)
	}
	return hex.EncodeToString(b)
}
