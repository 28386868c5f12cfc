package smtpauth_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-sasl"

	"sitecfg/internal/smtptest"
	"sitecfg/internal/testkit"
	"sitecfg/smtpauth"
)

// Hostile and broken servers. Every test also asserts that the password
// never crossed the wire in clear text.

func TestNoBanner(t *testing.T) {
	t.Parallel()
	srv := scriptServer(t, func(c net.Conn) { _, _ = io.Copy(io.Discard, c) })
	const timeout = 2 * time.Second
	start := time.Now()
	r := run(t, srv.basic(smtpauth.SecurityStartTLS, testUser, testPass), smtpauth.Options{Timeout: timeout})
	took := time.Since(start)
	d := wantDiag(t, r, smtpauth.StepBanner, "no-banner", "smtp.port")
	if !strings.Contains(d.Summary, "no answer from "+srv.addr()+" after ") {
		t.Errorf("summary = %q", d.Summary)
	}
	if took > timeout+500*time.Millisecond {
		t.Errorf("check took %v with a %v timeout", took, timeout)
	}
	if tr := transcript(r); !strings.Contains(tr, "C: [probe] ") || strings.Contains(tr, "TLS handshake completed") {
		t.Errorf("want a probe that found no TLS:\n%s", tr)
	}
	testkit.NoSecret(t, srv.wire.String(), testPass)
}

// A server that accepts and hangs up at once (a firewall, a TCP wrapper,
// a blocklist) fails the check at the banner, at once: the check used to
// wait forever for the implicit-TLS probe it had itself stopped — and,
// since it waited outside any context, ignored Ctrl+C and SIGTERM too.
func TestHangsUpAtOnce(t *testing.T) {
	t.Parallel()
	srv := scriptServer(t, func(c net.Conn) {})
	r := checkOrHang(t, srv.basic(smtpauth.SecurityStartTLS, testUser, testPass))
	d := wantDiag(t, r, smtpauth.StepBanner, "connection-dropped", "")
	if !strings.Contains(d.Summary, "closed the connection") {
		t.Errorf("summary = %q", d.Summary)
	}
	testkit.NoSecret(t, srv.wire.String(), testPass)
}

// checkOrHang runs a check with a 5 s timeout and fails the test if it
// has not returned long after that: the check is stuck.
func checkOrHang(t *testing.T, s smtpauth.Settings) *smtpauth.Report {
	t.Helper()
	done := make(chan *smtpauth.Report, 1)
	go func() {
		r, _ := smtpauth.Check(context.Background(), s, smtpauth.Options{Timeout: 5 * time.Second})
		done <- r
	}()
	select {
	case r := <-done:
		if r == nil {
			t.Fatal("no report")
		}
		return r
	case <-time.After(30 * time.Second):
		t.Fatal("the check never returned")
	}
	return nil
}

// A server that hangs up at any early step ends the check there, with a
// diagnosis, never a wait: after its greeting, after the EHLO reply, after
// "220 ready" for TLS, in the middle of the TLS handshake.
func TestHangsUpAtEachStep(t *testing.T) {
	line := func(r *bufio.Reader) { _, _ = r.ReadString('\n') }
	for _, tt := range []struct {
		name string
		step smtpauth.StepName
		hang func(c net.Conn, r *bufio.Reader)
	}{
		{"after the greeting", smtpauth.StepEHLO, func(c net.Conn, r *bufio.Reader) {
			_, _ = io.WriteString(c, "220 mail.example.test ESMTP\r\n")
			line(r)
		}},
		{"after the EHLO reply", smtpauth.StepTLS, func(c net.Conn, r *bufio.Reader) {
			_, _ = io.WriteString(c, "220 mail.example.test ESMTP\r\n")
			line(r)
			_, _ = io.WriteString(c, "250-mail.example.test\r\n250 STARTTLS\r\n")
			line(r)
		}},
		{"in the TLS handshake", smtpauth.StepTLS, func(c net.Conn, r *bufio.Reader) {
			_, _ = io.WriteString(c, "220 mail.example.test ESMTP\r\n")
			line(r)
			_, _ = io.WriteString(c, "250-mail.example.test\r\n250 STARTTLS\r\n")
			line(r)
			_, _ = io.WriteString(c, "220 2.0.0 Ready to start TLS\r\n")
			_, _ = r.Read(make([]byte, 64)) // part of the ClientHello
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := scriptServer(t, func(c net.Conn) { tt.hang(c, bufio.NewReader(c)) })
			r := checkOrHang(t, srv.basic(smtpauth.SecurityStartTLS, testUser, testPass))
			if r.OK || r.Diagnosis == nil || r.Diagnosis.Step != tt.step {
				t.Fatalf("want a failure at %s, got %+v", tt.step, r)
			}
			testkit.NoSecret(t, srv.wire.String(), testPass)
		})
	}
}

func TestBusyAtConnect(t *testing.T) {
	srv := scriptServer(t, func(c net.Conn) {
		_, _ = io.WriteString(c, "421 4.3.2 Service not available, closing transmission channel\r\n")
	})
	r := run(t, srv.basic(smtpauth.SecurityStartTLS, testUser, testPass), smtpauth.Options{})
	d := wantDiag(t, r, smtpauth.StepBanner, "server-busy", "")
	if !strings.HasPrefix(d.ServerSaid, "421 4.3.2") {
		t.Errorf("server said %q", d.ServerSaid)
	}
	testkit.NoSecret(t, srv.wire.String(), testPass)
}

func TestGarbageNotSMTP(t *testing.T) {
	srv := scriptServer(t, func(c net.Conn) {
		_, _ = io.WriteString(c, "SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13\r\n")
		_, _ = io.Copy(io.Discard, c)
	})
	r := run(t, srv.basic(smtpauth.SecurityStartTLS, testUser, testPass), smtpauth.Options{})
	d := wantDiag(t, r, smtpauth.StepBanner, "not-smtp", "smtp.port")
	if !strings.Contains(d.Summary, "does not look like an SMTP server") || !strings.Contains(d.Summary, "SSH") {
		t.Errorf("summary = %q", d.Summary)
	}
	testkit.NoSecret(t, srv.wire.String(), testPass)
}

// A reply line of several megabytes: refused after 64 KiB, the check ends
// promptly, and the transcript keeps only the start of the line.
func TestHugeReplyLine(t *testing.T) {
	srv := scriptServer(t, func(c net.Conn) {
		_, _ = io.WriteString(c, "220-")
		chunk := strings.Repeat("A", 64<<10)
		for range 8 * 16 { // 8 MiB
			if _, err := io.WriteString(c, chunk); err != nil {
				return
			}
		}
		_, _ = io.WriteString(c, "\r\n220 ok\r\n")
	})
	r := run(t, srv.basic(smtpauth.SecurityStartTLS, testUser, testPass), smtpauth.Options{})
	wantDiag(t, r, smtpauth.StepBanner, "line-too-long", "smtp.port")
	size := 0
	for _, l := range r.Transcript {
		size += len(l)
	}
	if size > 4096 {
		t.Errorf("transcript holds %d bytes", size)
	}
	testkit.NoSecret(t, srv.wire.String(), testPass)
}

// The server offers AUTH in clear text but no STARTTLS: security starttls
// must stop before AUTH (downgrade protection).
func TestStartTLSMissing(t *testing.T) {
	srv := startServer(t, smtptest.Options{NoTLS: true, AllowInsecureAuth: true, Username: testUser, Password: testPass})
	r := run(t, srv.basic(smtpauth.SecurityStartTLS, testUser, testPass), smtpauth.Options{})
	wantDiag(t, r, smtpauth.StepTLS, "starttls-missing", "smtp.security")
	noAuthSent(t, r)
	testkit.NoSecret(t, srv.wire.String(), testPass)
}

// certTest runs a check against a server with cert (nil: one the test CA
// signed for 127.0.0.1), the test CA trusted or not.
func certTest(t *testing.T, cert *tls.Certificate, pool bool, code, field string, words ...string) {
	t.Helper()
	srv := startServer(t, smtptest.Options{Certificate: cert, Username: testUser, Password: testPass})
	s := srv.basic(smtpauth.SecurityStartTLS, testUser, testPass)
	if !pool {
		s.RootCAs = x509.NewCertPool() // neither the test CA nor the system roots
	}
	r := run(t, s, smtpauth.Options{})
	d := wantDiag(t, r, smtpauth.StepTLS, code, field)
	for _, w := range words {
		if !strings.Contains(d.Summary+d.Remedy, w) {
			t.Errorf("diagnosis does not mention %q:\n %s\n %s", w, d.Summary, d.Remedy)
		}
	}
	noAuthSent(t, r)
	testkit.NoSecret(t, srv.wire.String(), testPass)
}

func TestCertSelfSigned(t *testing.T) {
	certTest(t, selfSignedCert(t), true, "cert-self-signed", "smtp.ca_file",
		"self-signed", `subject "CN=localhost"`, "for names: localhost, 127.0.0.1")
}

func TestCertUntrusted(t *testing.T) {
	certTest(t, nil, false, "cert-untrusted", "smtp.ca_file",
		"unknown authority", `issuer "CN=sitecfg test CA"`, "smtp.ca_file")
}

func TestCertExpired(t *testing.T) {
	certTest(t, expiredCert(t), true, "cert-expired", "",
		"expired", "renew")
}

func TestCertWrongHost(t *testing.T) {
	certTest(t, wrongHostCert(t), true, "cert-wrong-host", "smtp.server",
		`not valid for "127.0.0.1"`, "for names: mail.example.org")
}

func TestTLS10Only(t *testing.T) {
	srv := startServer(t, smtptest.Options{MinTLSVersion: tls.VersionTLS10, MaxTLSVersion: tls.VersionTLS10, Username: testUser, Password: testPass})
	r := run(t, srv.basic(smtpauth.SecurityStartTLS, testUser, testPass), smtpauth.Options{})
	d := wantDiag(t, r, smtpauth.StepTLS, "tls-too-old", "")
	if !strings.Contains(d.Summary, "only offers TLS below 1.2") {
		t.Errorf("summary = %q", d.Summary)
	}
	testkit.NoSecret(t, srv.wire.String(), testPass)
}

func TestAuthNotAdvertised(t *testing.T) {
	srv := startServer(t, smtptest.Options{Mechanisms: []string{}})
	r := run(t, srv.basic(smtpauth.SecurityStartTLS, testUser, testPass), smtpauth.Options{})
	wantDiag(t, r, smtpauth.StepAuth, "auth-not-offered", "smtp.auth")
	noAuthSent(t, r)
	testkit.NoSecret(t, srv.wire.String(), testPass)
}

// security: none against a STARTTLS server on loopback: it offers AUTH only
// after TLS, and the diagnosis says to use STARTTLS.
func TestNoTLSServerWantsStartTLS(t *testing.T) {
	srv := startServer(t, smtptest.Options{Username: testUser, Password: testPass})
	r := run(t, srv.basic(smtpauth.SecurityNone, testUser, testPass), smtpauth.Options{})
	wantDiag(t, r, smtpauth.StepAuth, "auth-not-offered", "smtp.security")
	testkit.NoSecret(t, srv.wire.String(), testPass)
}

// security: none to a machine that is not this one: the password is never
// sent, even though the server offers AUTH in clear text.
func TestCleartextCredentialsRefused(t *testing.T) {
	srv := startServer(t, smtptest.Options{NoTLS: true, AllowInsecureAuth: true, Username: testUser, Password: testPass})
	s := srv.basic(smtpauth.SecurityNone, testUser, testPass)
	s.Host = "mail.example.test"
	o := smtpauth.Options{Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		c, err := d.DialContext(ctx, network, srv.addr())
		if err != nil {
			return nil, err
		}
		return remoteConn{c}, nil // as if the server were elsewhere
	}}
	r := run(t, s, o)
	wantDiag(t, r, smtpauth.StepAuth, "cleartext-credentials", "smtp.security")
	noAuthSent(t, r)
	testkit.NoSecret(t, srv.wire.String(), testPass)

	// The same server on loopback may have them (a local relay).
	r = run(t, srv.basic(smtpauth.SecurityNone, testUser, testPass), smtpauth.Options{})
	wantOK(t, r)
}

type remoteConn struct{ net.Conn }

func (remoteConn) RemoteAddr() net.Addr {
	return &net.TCPAddr{IP: net.IPv4(192, 0, 2, 25), Port: 25}
}

func TestDroppedDuringAuth(t *testing.T) {
	srv := startServer(t, smtptest.Options{Mechanisms: []string{sasl.Login}, DropAuth: true, Username: testUser, Password: testPass})
	r := run(t, srv.basic(smtpauth.SecurityStartTLS, testUser, testPass), smtpauth.Options{})
	d := wantDiag(t, r, smtpauth.StepAuth, "connection-dropped", "")
	if !strings.Contains(d.Summary, "during AUTH LOGIN") {
		t.Errorf("summary = %q", d.Summary)
	}
	testkit.NoSecret(t, srv.wire.String(), testPass)
}

// security: tls against a STARTTLS port: the handshake reads "220 …".
func TestImplicitTLSAgainstStartTLSPort(t *testing.T) {
	srv := startServer(t, smtptest.Options{Username: testUser, Password: testPass})
	r := run(t, srv.basic(smtpauth.SecurityTLS, testUser, testPass), smtpauth.Options{})
	d := wantDiag(t, r, smtpauth.StepTLS, "port-wants-starttls", "smtp.security")
	if !strings.Contains(d.Remedy, "starttls") || !strings.Contains(d.Remedy, "587") {
		t.Errorf("remedy = %q", d.Remedy)
	}
	testkit.NoSecret(t, srv.wire.String(), testPass)
}

// security: starttls against an implicit-TLS port: the server waits for a
// ClientHello, the client for a greeting; a TLS probe on a second
// connection, started after a short grace, tells why within seconds rather
// than most of the timeout.
func TestStartTLSAgainstImplicitTLSPort(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name    string
		timeout time.Duration
		within  time.Duration // an operator would notice a longer wait
	}{
		{"default timeout", smtpauth.DefaultTimeout, 8 * time.Second},
		{"short timeout", 3 * time.Second, 3*time.Second + 500*time.Millisecond},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := startServer(t, smtptest.Options{ImplicitTLS: true, Username: testUser, Password: testPass})
			start := time.Now()
			r := run(t, srv.basic(smtpauth.SecurityStartTLS, testUser, testPass), smtpauth.Options{Timeout: tt.timeout})
			took := time.Since(start)
			d := wantDiag(t, r, smtpauth.StepBanner, "port-wants-implicit-tls", "smtp.security")
			if !strings.Contains(d.Remedy, "security: tls") || !strings.Contains(d.Remedy, "465") {
				t.Errorf("remedy = %q", d.Remedy)
			}
			if !strings.Contains(d.Summary, "TLS handshake") {
				t.Errorf("summary = %q", d.Summary)
			}
			if took > tt.within {
				t.Errorf("check took %v with a %v timeout, want under %v", took, tt.timeout, tt.within)
			}
			tr := transcript(r)
			if !strings.Contains(tr, "C: [probe] ") || !strings.Contains(tr, "S: [probe] TLS handshake completed") {
				t.Errorf("transcript does not show the probe:\n%s", tr)
			}
			noAuthSent(t, r)
			testkit.NoSecret(t, srv.wire.String(), testPass)
		})
	}
}

// A plain server that greets only after 2 s, past the grace: the probe
// finds no TLS there, and the late greeting still wins.
func TestSlowGreeting(t *testing.T) {
	t.Parallel()
	backend := startServer(t, smtptest.Options{Username: testUser, Password: testPass})
	srv := scriptServer(t, func(c net.Conn) {
		b, err := net.Dial("tcp", backend.addr())
		if err != nil {
			return
		}
		defer b.Close()
		// Hold the greeting back (it waits in b) past the banner grace
		// (a quarter of the timeout below, 1.5 s); whatever the client
		// sends meanwhile (only the probe does) goes on to the server.
		_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
		if _, err := io.Copy(b, c); !errors.Is(err, os.ErrDeadlineExceeded) {
			return // the client hung up
		}
		_ = c.SetReadDeadline(time.Time{})
		go func() { _, _ = io.Copy(b, c); b.Close() }()
		_, _ = io.Copy(c, b)
	})
	r := run(t, srv.basic(smtpauth.SecurityStartTLS, testUser, testPass), smtpauth.Options{Timeout: 6 * time.Second})
	wantOK(t, r)
	if tr := transcript(r); !strings.Contains(tr, "C: [probe] ") || strings.Contains(tr, "TLS handshake completed") {
		t.Errorf("want a probe that found no TLS:\n%s", tr)
	}
	testkit.NoSecret(t, srv.wire.String(), testPass)
}

// A server that answers a plain-text client with a TLS alert.
func TestTLSRecordInsteadOfBanner(t *testing.T) {
	srv := scriptServer(t, func(c net.Conn) {
		_, _ = c.Write([]byte{0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46})
		_, _ = bufio.NewReader(c).ReadString('\n')
	})
	r := run(t, srv.basic(smtpauth.SecurityStartTLS, testUser, testPass), smtpauth.Options{})
	wantDiag(t, r, smtpauth.StepBanner, "port-wants-implicit-tls", "smtp.security")
	testkit.NoSecret(t, srv.wire.String(), testPass)
}

func TestConnectionRefused(t *testing.T) {
	s := smtpauth.Settings{Host: "127.0.0.1", Port: testkit.ClosedPort(t), Security: smtpauth.SecurityStartTLS, Method: smtpauth.MethodNone}
	r := run(t, s, smtpauth.Options{})
	wantDiag(t, r, smtpauth.StepConnect, "connect-refused", "smtp.port")
}

func TestDNSFailure(t *testing.T) {
	t.Parallel()
	s := smtpauth.Settings{Host: "no-such-host.invalid", Port: 587, Security: smtpauth.SecurityStartTLS, Method: smtpauth.MethodNone}
	r := run(t, s, smtpauth.Options{Timeout: 5 * time.Second})
	d := r.Diagnosis
	if d == nil || d.Step != smtpauth.StepResolve || d.Field != "smtp.server" || !strings.HasPrefix(string(d.Code), "dns-") {
		t.Fatalf("diagnosis = %+v", d)
	}
}

// Cancelling the caller's context stops a check at once.
func TestCancel(t *testing.T) {
	t.Parallel()
	srv := scriptServer(t, func(c net.Conn) { _, _ = io.Copy(io.Discard, c) })
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	r, err := smtpauth.Check(ctx, srv.basic(smtpauth.SecurityStartTLS, "", ""), smtpauth.Options{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("cancelled check took %v", took)
	}
	if r.Diagnosis == nil || r.Diagnosis.Code != "cancelled" {
		t.Errorf("diagnosis = %+v", r.Diagnosis)
	}
}

// stallInHandshake is a server that offers STARTTLS, accepts it, reads
// the ClientHello and never answers it.
func stallInHandshake(c net.Conn) {
	r := bufio.NewReader(c)
	_, _ = io.WriteString(c, "220 mx.test ESMTP\r\n")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		switch strings.ToUpper(strings.Fields(line + " x")[0]) {
		case "EHLO":
			_, _ = io.WriteString(c, "250-mx.test\r\n250 STARTTLS\r\n")
		case "STARTTLS":
			_, _ = io.WriteString(c, "220 go ahead\r\n")
			_, _ = io.Copy(io.Discard, r)
			return
		}
	}
}

// The handshake has no context of its own: the check's timeout and the
// caller's cancellation reach it through the guarded connection, at once.
func TestHandshakeTimeoutAndCancel(t *testing.T) {
	t.Parallel()
	srv := scriptServer(t, stallInHandshake)
	start := time.Now()
	r := run(t, srv.basic(smtpauth.SecurityStartTLS, testUser, testPass), smtpauth.Options{Timeout: time.Second})
	wantDiag(t, r, smtpauth.StepTLS, "timeout", "")
	if took := time.Since(start); took > 1500*time.Millisecond {
		t.Errorf("a 1 s check stalled in the handshake took %v", took)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	o := smtpauth.Options{Timeout: 10 * time.Second, OnStep: func(st smtpauth.Step) {
		if st.Name == smtpauth.StepEHLO {
			time.AfterFunc(200*time.Millisecond, cancel) // by then the handshake waits
		}
	}}
	start = time.Now()
	r, err := smtpauth.Check(ctx, srv.basic(smtpauth.SecurityStartTLS, testUser, testPass), o)
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("a check cancelled in the handshake took %v", took)
	}
	if r.Diagnosis == nil || r.Diagnosis.Code != "cancelled" || r.Diagnosis.Step != smtpauth.StepTLS {
		t.Errorf("diagnosis = %+v", r.Diagnosis)
	}
	testkit.NoSecret(t, srv.wire.String(), testPass)
}

// A host that never accepts the connection (a firewall dropping SYNs).
func TestBlackholedHost(t *testing.T) {
	t.Parallel()
	s := smtpauth.Settings{Host: "192.0.2.1", Port: 587, Security: smtpauth.SecurityStartTLS, Method: smtpauth.MethodNone}
	o := smtpauth.Options{Timeout: time.Second, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}}
	start := time.Now()
	r := run(t, s, o)
	d := wantDiag(t, r, smtpauth.StepConnect, "connect-timeout", "smtp.server")
	if !strings.Contains(d.Summary, "no answer from 192.0.2.1:587 after 1 s") {
		t.Errorf("summary = %q", d.Summary)
	}
	if took := time.Since(start); took > 1500*time.Millisecond {
		t.Errorf("took %v", took)
	}
}

// A server that greets, then falls silent.
func TestSilentAfterBanner(t *testing.T) {
	t.Parallel()
	srv := scriptServer(t, func(c net.Conn) {
		_, _ = io.WriteString(c, "220 mx.test ESMTP\r\n")
		_, _ = io.Copy(io.Discard, c)
	})
	r := run(t, srv.basic(smtpauth.SecurityStartTLS, testUser, testPass), smtpauth.Options{Timeout: time.Second})
	d := wantDiag(t, r, smtpauth.StepEHLO, "timeout", "")
	if !strings.Contains(d.Summary, "no answer from "+srv.addr()+" after ") {
		t.Errorf("summary = %q", d.Summary)
	}
	testkit.NoSecret(t, srv.wire.String(), testPass)
}
