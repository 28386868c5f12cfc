package smtpauth

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// bannerGraceMax bounds bannerGrace.
const bannerGraceMax = 3 * time.Second

// bannerGrace is how long the banner step waits for a greeting before it
// also probes the port for implicit TLS on a second connection: 3 s, or a
// quarter of the timeout when that is shorter. Servers greet within a
// second or two unless overloaded or deliberately slow; those are not
// given up on (the first connection keeps waiting and a greeting still
// wins), and an operator who set security: starttls for port 465 learns
// why within seconds instead of most of the timeout.
func bannerGrace(timeout time.Duration) time.Duration {
	return min(timeout/4, bannerGraceMax)
}

// tlsProbe asks, on a second connection, whether a port that has not
// greeted answers a TLS handshake. It runs beside the wait for the
// greeting and only ever ends that wait when the handshake completes.
type tlsProbe struct {
	cancel  context.CancelFunc
	timer   *time.Timer   // runs the probe when the grace period is over
	done    chan struct{} // closed when the probe has finished or will never run
	started atomic.Bool
	stopped sync.Once

	// Set before done is closed.
	ok      bool
	version uint16
	// leaf is the certificate the handshake presented.
	leaf *x509.Certificate
}

// startTLSProbe starts a probe of addr that waits for after, then tries a
// TLS handshake, noting it in tr. found is called when the handshake
// completes; it must not block. Nothing runs until after has passed: a
// server that greets in time (nearly all) costs a timer, not a goroutine.
func startTLSProbe(ctx context.Context, after time.Duration, dial func(context.Context, string, string) (net.Conn, error), addr, host string, tr *transcript, found func()) *tlsProbe {
	ctx, cancel := context.WithCancel(ctx)
	p := &tlsProbe{cancel: cancel, done: make(chan struct{})}
	p.timer = time.AfterFunc(after, func() {
		defer close(p.done)
		if ctx.Err() != nil {
			return
		}
		p.started.Store(true)
		tr.add("C: ", fmt.Sprintf("[probe] no greeting after %s: trying a TLS handshake on a second connection to %s (nothing else is sent on it)", seconds(after), addr))
		v, leaf, err := probeImplicitTLS(ctx, dial, addr, host)
		switch {
		case err == nil:
			p.ok, p.version, p.leaf = true, v, leaf
			tr.add("S: ", fmt.Sprintf("[probe] TLS handshake completed (%s): %s speaks implicit TLS; probe connection closed", tls.VersionName(v), addr))
			found()
		case ctx.Err() != nil:
			tr.add("S: ", "[probe] stopped before the handshake completed")
		default:
			tr.add("S: ", "[probe] no TLS handshake: "+Printable(err.Error()))
		}
	})
	return p
}

// stop ends the probe, if still running, and waits for it. It reports
// whether a TLS handshake completed before that. It may be called more
// than once (banner asks, then its deferred call ends it): a second call
// must not wait for a probe that the first one kept from ever running.
func (p *tlsProbe) stop() bool {
	p.stopped.Do(func() {
		p.cancel()
		if p.timer.Stop() {
			close(p.done) // it will never run
		}
	})
	<-p.done
	return p.ok
}

// probeImplicitTLS runs a TLS handshake with addr and returns the version
// agreed and the certificate presented. It is only used to explain a silent server (STARTTLS configured
// against an implicit-TLS port): no SMTP command and no credential is ever
// sent over it, and the connection is closed straight after the handshake,
// which is why skipping verification is harmless here.
func probeImplicitTLS(ctx context.Context, dial func(context.Context, string, string) (net.Conn, error), addr, host string) (uint16, *x509.Certificate, error) {
	c, err := dial(ctx, "tcp", addr)
	if err != nil {
		return 0, nil, err
	}
	defer c.Close() // the TCP connection: not even a close_notify is sent
	if dl, ok := ctx.Deadline(); ok {
		_ = c.SetDeadline(dl)
	}
	tc := tls.Client(c, &tls.Config{ServerName: host, InsecureSkipVerify: true}) //nolint:gosec // detection only, see above
	if err := tc.HandshakeContext(ctx); err != nil {
		return 0, nil, err
	}
	cs := tc.ConnectionState()
	var leaf *x509.Certificate
	if len(cs.PeerCertificates) > 0 {
		leaf = cs.PeerCertificates[0]
	}
	return cs.Version, leaf, nil
}
