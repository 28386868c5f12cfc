package smtptest_test

import (
	"crypto/tls"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"sitecfg/internal/smtptest"
	"sitecfg/internal/testkit"
)

const (
	user = "alerts@example.test"
	pass = "Canary-Passw0rd-7f3e!"
)

// clientTLS trusts only the server's CA, read from its CA file.
func clientTLS(t *testing.T, s *smtptest.Server) *tls.Config {
	t.Helper()
	b, err := os.ReadFile(s.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &tls.Config{ServerName: s.Host}
	cfg.RootCAs = s.CA.Pool()
	if !cfg.RootCAs.AppendCertsFromPEM(b) {
		t.Fatal("the CA file holds no certificate")
	}
	return cfg
}

// code is the SMTP reply code of err, or 0.
func code(err error) int {
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		return se.Code
	}
	return 0
}

// The zero options make a submission server: AUTH only after STARTTLS,
// MAIL only after AUTH, PLAIN and LOGIN with the credentials, mail kept,
// and no secret on the wire.
func TestSubmissionServer(t *testing.T) {
	s := smtptest.Start(t, smtptest.Options{Username: user, Password: pass})

	plain, err := smtp.Dial(s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := plain.Extension("AUTH"); ok {
		t.Error("AUTH offered before STARTTLS")
	}
	if err := plain.Mail("x@example.test", nil); code(err) != smtp.ErrAuthRequired.Code {
		t.Errorf("MAIL without AUTH: %v, want %v", err, smtp.ErrAuthRequired)
	}
	plain.Close()

	for _, tt := range []struct {
		name string
		auth sasl.Client
		code int
	}{
		{"PLAIN", sasl.NewPlainClient("", user, pass), 0},
		{"LOGIN", sasl.NewLoginClient(user, pass), 0},
		{"wrong password", sasl.NewPlainClient("", user, pass+"x"), 535},
		{"other identity", sasl.NewPlainClient("boss@example.test", user, pass), 535},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := smtp.DialStartTLS(s.Addr, clientTLS(t, s))
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if err := c.Auth(tt.auth); code(err) != tt.code || (tt.code == 0) != (err == nil) {
				t.Fatalf("AUTH: %v, want %d", err, tt.code)
			}
			if tt.code == 0 {
				if err := c.SendMail("from@example.test", []string{"to@example.test"}, strings.NewReader("Subject: "+tt.name+"\r\n\r\nhi\r\n")); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
	msgs := s.Messages()
	if len(msgs) != 2 || msgs[0].User != user || msgs[0].From != "from@example.test" || !strings.Contains(string(msgs[1].Data), "Subject: LOGIN") {
		t.Errorf("messages = %+v", msgs)
	}
	if l := strings.Join(s.Logins(), " "); l != "PLAIN:"+user+" LOGIN:"+user {
		t.Errorf("logins = %s", l)
	}
	testkit.NoSecret(t, s.Wire.String(), pass)
}

// The options tests ask for: a relay in clear text (whose wire shows the
// password), implicit TLS, refused recipients, AUTH, MAIL and DATA
// replies, bearer tokens.
func TestOptions(t *testing.T) {
	t.Run("clear-text relay", func(t *testing.T) {
		s := smtptest.Start(t, smtptest.Options{NoTLS: true, AllowInsecureAuth: true, AllowAnonymous: true, Username: user, Password: pass})
		c, err := smtp.Dial(s.Addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if ok, _ := c.Extension("STARTTLS"); ok || s.CA != nil || s.CAFile != "" {
			t.Error("STARTTLS offered, or a CA made")
		}
		if err := c.Auth(sasl.NewPlainClient("", user, pass)); err != nil {
			t.Fatal(err)
		}
		r := &recorder{TB: t}
		testkit.NoSecret(r, s.Wire.String(), pass)
		if !r.failed {
			t.Error("the wire recorder did not see the clear-text password")
		}
	})
	t.Run("implicit TLS", func(t *testing.T) {
		s := smtptest.Start(t, smtptest.Options{ImplicitTLS: true, Username: user, Password: pass})
		c, err := smtp.DialTLS(s.Addr, clientTLS(t, s))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := c.Auth(sasl.NewPlainClient("", user, pass)); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("replies", func(t *testing.T) {
		authErr := &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 139}, Message: "SmtpClientAuthentication is disabled"}
		s := smtptest.Start(t, smtptest.Options{Username: user, Password: pass, AuthError: authErr})
		c, err := smtp.DialStartTLS(s.Addr, clientTLS(t, s))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		var se *smtp.SMTPError
		if err := c.Auth(sasl.NewPlainClient("", user, pass)); !errors.As(err, &se) || se.EnhancedCode != authErr.EnhancedCode {
			t.Errorf("AUTH: %v, want %v", err, authErr)
		}

		s = smtptest.Start(t, smtptest.Options{AllowAnonymous: true, RejectRecipients: []string{"gone@example.test"},
			DataError: &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 60}, Message: "not as this sender"}})
		c, err = smtp.DialStartTLS(s.Addr, clientTLS(t, s))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := c.Mail("a@example.test", nil); err != nil {
			t.Fatal(err)
		}
		if err := c.Rcpt("gone@example.test", nil); code(err) != 550 || !strings.Contains(err.Error(), "no such user") {
			t.Errorf("RCPT gone: %v", err)
		}
		if err := c.Rcpt("noc@example.test", nil); err != nil {
			t.Fatal(err)
		}
		w, err := c.Data()
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.WriteString(w, "Subject: x\r\n\r\nx\r\n")
		if err := w.Close(); code(err) != 550 {
			t.Errorf("DATA: %v, want 550", err)
		}
		if len(s.Messages()) != 0 {
			t.Error("a refused message was kept")
		}

		s = smtptest.Start(t, smtptest.Options{MailError: &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 57}, Message: "not authenticated"}, AllowAnonymous: true})
		c, err = smtp.DialStartTLS(s.Addr, clientTLS(t, s))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := c.Mail("a@example.test", nil); code(err) != 530 {
			t.Errorf("MAIL: %v, want 530", err)
		}
	})
	t.Run("bearer tokens", func(t *testing.T) {
		s := smtptest.Start(t, smtptest.Options{Username: user, Mechanisms: []string{sasl.OAuthBearer},
			Tokens: func() []string { return []string{"good-token"} }})
		for _, tt := range []struct {
			token string
			ok    bool
		}{{"good-token", true}, {"bad-token", false}} {
			c, err := smtp.DialStartTLS(s.Addr, clientTLS(t, s))
			if err != nil {
				t.Fatal(err)
			}
			err = c.Auth(sasl.NewOAuthBearerClient(&sasl.OAuthBearerOptions{Username: user, Token: tt.token}))
			if (err == nil) != tt.ok {
				t.Errorf("token %s: %v", tt.token, err)
			}
			c.Close()
		}
		if l := s.Logins(); len(l) != 1 || l[0] != "OAUTHBEARER:"+user {
			t.Errorf("logins = %q", l)
		}
	})
}

// A scripted server says exactly what the handler writes and records what
// the client sends.
func TestScriptServer(t *testing.T) {
	s := smtptest.StartScript(t, func(c net.Conn) {
		_, _ = io.WriteString(c, "421 4.3.2 busy\r\n")
		_, _ = io.Copy(io.Discard, c)
	})
	c, err := net.Dial("tcp", s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	b := make([]byte, 64)
	n, _ := c.Read(b)
	if string(b[:n]) != "421 4.3.2 busy\r\n" {
		t.Errorf("server said %q", b[:n])
	}
	_, _ = io.WriteString(c, "QUIT\r\n")
	for deadline := time.Now().Add(5 * time.Second); s.Wire.String() == "" && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if w := s.Wire.String(); w != "QUIT\r\n" {
		t.Errorf("wire = %q", w)
	}
}

// recorder is a testing.TB that notes a failure instead of failing.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper()               {}
func (r *recorder) Errorf(string, ...any) { r.failed = true }
