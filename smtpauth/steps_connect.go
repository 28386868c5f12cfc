package smtpauth

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// resolve is the resolve step.
func (c *checker) resolve() (string, *Diagnosis) {
	addrs, detail, err := resolve(c.ctx, c.s.Host, c.o.Dial != nil)
	if err != nil {
		if d := c.cancelled(); d != nil {
			return "", d
		}
		return "", c.diagnoseResolve(err)
	}
	c.addrs = addrs
	return detail, nil
}

// ConnectLimit bounds the connect step: a server that has not accepted
// the connection by then is behind a firewall that drops it, and waiting
// for the rest of the check's timeout tells nothing more. The whole check
// keeps its own timeout.
const ConnectLimit = 10 * time.Second

// connect is the connect step.
func (c *checker) connect() (string, *Diagnosis) {
	start := time.Now()
	ctx, cancel := context.WithTimeout(c.ctx, ConnectLimit)
	defer cancel()
	raw, addr, err := connect(ctx, c.dial, c.addrs, c.s.Port)
	if err != nil {
		return "", c.diagnoseConnect(err, start)
	}
	c.dialled = addr
	c.conn = newSMTPConn(guard(c.ctx, withQuickAck(raw)), c.tr)
	return "connected to " + raw.RemoteAddr().String(), nil
}

// banner is the banner step: the server's 220 greeting. Without implicit
// TLS, a server still silent after bannerGrace may be an implicit-TLS port
// waiting for our ClientHello: a probe on a second connection asks, while
// this one keeps waiting for the greeting until the check's deadline.
func (c *checker) banner() (string, *Diagnosis) {
	start := time.Now()
	implicit := c.s.Security == SecurityTLS
	var (
		mu      sync.Mutex
		reading = true
		probe   *tlsProbe
	)
	if !implicit {
		// A completed handshake ends the wait at once, unless the server
		// has started to say something on the first connection after all.
		found := func() {
			mu.Lock()
			defer mu.Unlock()
			if reading && len(c.conn.rec.firstBytes()) == 0 {
				_ = c.conn.conn.SetReadDeadline(time.Unix(1, 0))
			}
		}
		probe = startTLSProbe(c.ctx, bannerGrace(c.o.Timeout), c.dial, c.dialled, c.s.Host, c.tr, found)
		defer probe.stop()
	}
	// A server on an implicit-TLS port may answer plain text with a TLS
	// alert, which has no line end to wait for.
	err := errNotTLS
	if head, perr := c.conn.text.R.Peek(2); perr != nil || !isTLSRecord(head) {
		err = c.conn.readGreeting()
	}
	mu.Lock()
	reading = false
	mu.Unlock()
	_ = c.conn.conn.SetReadDeadline(time.Time{}) // back to the check's deadline
	if err == nil {
		return Printable(firstLine(c.conn.banner)), nil // a late greeting wins
	}
	if d := c.cancelled(); d != nil {
		return "", d
	}
	head := c.conn.rec.firstBytes()
	switch {
	case isTLSRecord(head):
		return "", c.wantsImplicitTLS(fmt.Sprintf("the server answered with TLS data (%s) instead of a greeting", Printable(string(head[:min(len(head), 5)]))))
	case len(head) == 0 && probe != nil && probe.stop() && interceptedBy(probe.leaf, c.s.Host):
		return "", c.intercepted(probe.leaf, fmt.Sprintf("no greeting from %s after %s; a second connection was answered with TLS", c.addr, c.elapsed(start)))
	case len(head) == 0 && probe != nil && probe.stop():
		return "", c.wantsImplicitTLS(fmt.Sprintf("no greeting from %s after %s, but a second connection completed a TLS handshake", c.addr, c.elapsed(start)))
	case isTimeout(err) && len(head) == 0 && !implicit:
		return "", &Diagnosis{
			Code:    CodeNoBanner,
			Field:   "smtp.port",
			Summary: fmt.Sprintf("no answer from %s after %s: the connection was accepted but the server sent no SMTP greeting", c.addr, c.elapsed(start)),
			Remedy:  "check that this is the mail server's SMTP port (587 for STARTTLS, 465 for implicit TLS, 25 for relays) and that nothing in between (firewall, proxy) holds the connection",
		}
	}
	return "", c.diagnoseBannerReply(err, start)
}

// wantsImplicitTLS is the diagnosis for STARTTLS (or no TLS) spoken to a
// port that expects a TLS handshake first.
func (c *checker) wantsImplicitTLS(what string) *Diagnosis {
	return &Diagnosis{
		Code:    CodePortWantsImplicitTLS,
		Field:   "smtp.security",
		Summary: what + ": this port expects implicit TLS",
		Remedy:  fmt.Sprintf("set security: tls (implicit TLS, \"SSL\", usually port 465) for port %d, or keep security: %s and use the server's STARTTLS port (usually 587)", c.s.Port, c.s.Security),
	}
}

// ehlo is the EHLO step.
func (c *checker) ehlo() (string, *Diagnosis) {
	start := time.Now()
	if err := c.conn.hello(c.ehloName()); err != nil {
		return "", c.diagnoseHello(StepEHLO, err, start)
	}
	return "as " + c.ehloName() + ": " + c.extensionsDetail(), nil
}

// extensionsDetail lists what EHLO offered.
func (c *checker) extensionsDetail() string {
	if c.conn.helo {
		return "the server only accepts HELO: no extensions (no STARTTLS, no AUTH)"
	}
	var keys []string
	for k, v := range c.conn.ext {
		if k == "AUTH" {
			k += " " + v
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) == 0 {
		return "no extensions offered"
	}
	return "offers " + strings.Join(keys, ", ")
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}
