package smtpauth_test

import (
	"bufio"
	"encoding/base64"
	"net"
	"strings"
	"testing"

	"github.com/emersion/go-smtp"

	"sitecfg/internal/smtptest"
	"sitecfg/internal/testkit"
	"sitecfg/smtpauth"
)

// Distinctive secrets go through success and failure paths; none may show
// in the transcript, the diagnoses or the JSON.
func TestCanarySecretsNeverReported(t *testing.T) {
	e := startEntra(t)
	check := func(t *testing.T, s smtpauth.Settings, o smtpauth.Options) {
		t.Helper()
		r := run(t, s, o)
		testkit.NoSecret(t, reportText(t, r), append(e.tokens(), s.Password, s.ClientSecret)...)
	}
	t.Run("basic-ok", func(t *testing.T) {
		srv := startServer(t, smtptest.Options{Username: testUser, Password: testPass})
		s := srv.basic(smtpauth.SecurityStartTLS, testUser, testPass)
		s.SendTest, s.Recipients = true, []string{"noc@example.test"}
		check(t, s, smtpauth.Options{})
	})
	t.Run("basic-login-wrong", func(t *testing.T) {
		srv := startServer(t, smtptest.Options{Username: testUser, Password: "other", Mechanisms: []string{"LOGIN"}})
		check(t, srv.basic(smtpauth.SecurityStartTLS, testUser, testPass), smtpauth.Options{})
	})
	t.Run("oauth-ok", func(t *testing.T) {
		e.setMode("")
		s, o := e.settings(startExchange(t, e, smtptest.Options{}))
		check(t, s, o)
	})
	t.Run("oauth-535-5.7.3", func(t *testing.T) {
		e.setMode("")
		s, o := e.settings(startExchange(t, e, smtptest.Options{AuthError: &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 3}, Message: "Authentication unsuccessful"}}))
		check(t, s, o)
	})
	t.Run("oauth-bad-secret", func(t *testing.T) {
		e.setMode("7000215")
		s, o := e.settings(startExchange(t, e, smtptest.Options{}))
		check(t, s, o)
	})
	// A server that echoes the credentials back in its refusal, decoded
	// and encoded: the report must still not show them.
	t.Run("echoing-server", func(t *testing.T) {
		srv := scriptServer(t, echoServer)
		// Usernames of each length mod 3 put the password at every
		// alignment inside the echoed base64 blob.
		for _, user := range []string{"a@example.test", "ab@example.test", "abc@example.test"} {
			check(t, srv.basic(smtpauth.SecurityNone, user, testPass), smtpauth.Options{})
		}
	})
}

// echoServer offers AUTH PLAIN in clear text (acceptable on loopback) and
// answers it by echoing the credentials.
func echoServer(c net.Conn) {
	br := bufio.NewReader(c)
	w := func(s string) { _, _ = c.Write([]byte(s + "\r\n")) }
	w("220 echo.test ESMTP")
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimSpace(line)
		switch f := strings.Fields(line); {
		case len(f) > 0 && strings.EqualFold(f[0], "EHLO"):
			w("250-echo.test")
			w("250 AUTH PLAIN")
		case len(f) == 3 && strings.EqualFold(f[0], "AUTH"):
			dec, _ := base64.StdEncoding.DecodeString(f[2])
			w("535 5.7.8 bad credentials " + f[2] + " " + strings.ReplaceAll(string(dec), "\x00", " "))
		default:
			w("221 bye")
			return
		}
	}
}
