package smtpauth

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
	"time"
)

// DefaultTimeout bounds a check when Options.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// ErrInvalidSettings is wrapped by the error Check returns when the
// settings cannot describe a check at all (misuse, not a failed check).
var ErrInvalidSettings = errors.New("invalid settings")

// Check runs the live check: resolve, connect, banner, EHLO, TLS (STARTTLS
// or implicit), the OAuth token, AUTH, the envelope (MAIL FROM and RCPT TO
// for every address in Settings.Envelope, then RSET), the test message
// when asked, QUIT.
// It never returns a nil Report; the error is only non-nil for misuse
// (invalid Settings), never for a failed check, which is reported in
// Report.Diagnosis. The whole check is bounded by Options.Timeout, and by
// ctx.
func Check(ctx context.Context, s Settings, o Options) (*Report, error) {
	start := time.Now()
	r := &Report{Server: net.JoinHostPort(s.Host, strconv.Itoa(s.Port)), Method: s.Method, Transcript: []string{}, Steps: []Step{}}
	if err := validate(s); err != nil {
		r.Diagnosis = &Diagnosis{Code: CodeInvalidSettings, Summary: err.Error(), Remedy: "fix the settings before checking them"}
		return r, fmt.Errorf("%w: %v", ErrInvalidSettings, err)
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Dial == nil {
		o.Dial = testDial(s.Host)
	}
	cctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	c := &checker{s: s, m: methodFor(s.Method), o: o, r: r, tr: newTranscript(s.secrets()...), ctx: cctx, parent: ctx, addr: r.Server}
	c.tlsConfig = sync.OnceValues(func() (*tls.Config, error) { return tlsConfig(s, o.Now) })
	if s.Security != SecurityNone {
		// The TLS settings — the CA file read and parsed, or the system
		// store loaded (hundreds of certificates) — are made ready while
		// connecting, not after the server says "go ahead".
		go c.tlsConfig()
	}
	c.dial = o.Dial
	if c.dial == nil {
		d := &net.Dialer{}
		c.dial = d.DialContext
	}
	c.startToken()
	c.run()
	c.waitToken(cancel)
	if c.conn != nil {
		_ = c.conn.close()
	}
	r.Transcript = c.tr.snapshot()
	r.OK = r.Diagnosis == nil
	r.Duration = time.Since(start)
	scrub(r, c.tr.forms())
	return r, nil
}

// validate rejects settings that no check could run with.
func validate(s Settings) error {
	switch {
	case s.Host == "":
		return errors.New("no server")
	case s.Port < 1 || s.Port > 65535:
		return fmt.Errorf("port %d out of range 1-65535", s.Port)
	}
	switch s.Security {
	case SecurityStartTLS, SecurityTLS, SecurityNone:
	default:
		return fmt.Errorf("unknown security %q (want starttls, tls or none)", s.Security)
	}
	m := methodFor(s.Method)
	if m == nil {
		return fmt.Errorf("unknown auth method %q", s.Method)
	}
	return m.validate(s)
}

// checker holds the state of one check as it runs.
type checker struct {
	s      Settings
	m      method // chosen by s.Method
	o      Options
	r      *Report
	tr     *transcript
	ctx    context.Context // bounded by the timeout
	parent context.Context // the caller's, to tell cancelling from timing out
	addr   string
	dial   func(context.Context, string, string) (net.Conn, error)

	// tlsConfig is the TLS client configuration, worked out once.
	tlsConfig func() (*tls.Config, error)

	addrs   []string
	dialled string // the address the connection was dialled with
	conn    *smtpConn
	token   string
	claims  *tokenClaims // the token's, when it is a JWT
	// tokenCh brings the token request started with the check
	// (startToken), until the token step takes it.
	tokenCh chan tokenResult
	// defaultEHLO is DefaultEHLOName of the connection, once worked out.
	defaultEHLO string

	warnings []Diagnosis // of the running step
}

// run runs the steps in order, stopping at the first failure.
func (c *checker) run() {
	steps := []struct {
		name StepName
		do   func() (string, *Diagnosis)
		when bool
	}{
		{StepResolve, c.resolve, true},
		{StepConnect, c.connect, true},
		{StepTLS, c.implicitTLS, c.s.Security == SecurityTLS},
		{StepBanner, c.banner, true},
		{StepEHLO, c.ehlo, true},
		{StepTLS, c.startTLS, c.s.Security == SecurityStartTLS},
		{StepToken, c.fetchToken, tokenOf(c.m) != nil},
		{StepAuth, c.auth, c.m.sendsCredentials(c.s)},
		{StepEnvelope, c.envelope, c.s.From != "" && len(c.s.Envelope) > 0},
		{StepMessage, c.message, c.s.SendTest},
		{StepQuit, c.quit, true},
	}
	for i, st := range steps {
		if st.when && !c.step(st.name, st.do) {
			// The token does not need the mail server: when SMTP failed
			// first, it is still fetched and judged, and reported too.
			for _, later := range steps[i+1:] {
				if later.name == StepToken && later.when && c.r.Diagnosis.Code != CodeCancelled {
					c.tokenAlone()
				}
			}
			return
		}
	}
}

// step runs one step, reporting its start and end through Options.OnStep.
// A step returns its detail, or the diagnosis of its failure.
func (c *checker) step(name StepName, do func() (string, *Diagnosis)) bool {
	if c.o.OnStep != nil {
		// A running step says when it gives up, for a screen to show
		// beside the time it has taken so far.
		c.o.OnStep(Step{Name: name, Status: StatusRunning, Detail: "gives up after " + seconds(c.limit(name))})
	}
	start := time.Now()
	c.warnings = nil
	detail, d := do()
	d = reword(c.s, d)
	st := Step{Name: name, Status: StatusOK, Duration: time.Since(start), Detail: detail}
	switch {
	case d != nil:
		st.Status = StatusFailed
		if st.Detail == "" {
			st.Detail = d.Summary
		}
		if d.Step == "" {
			d.Step = name
		}
		c.r.Diagnosis = d
	case len(c.warnings) > 0:
		st.Status = StatusWarning
	}
	c.r.Warnings = append(c.r.Warnings, c.warnings...)
	st.Detail = c.tr.forms().scrub(st.Detail)
	c.r.Steps = append(c.r.Steps, st)
	if c.o.OnStep != nil {
		c.o.OnStep(st)
	}
	return d == nil
}

// limit is how long step name may take at most: what is left of the
// check's timeout, and no more than ConnectLimit to connect.
func (c *checker) limit(name StepName) time.Duration {
	left := c.o.Timeout
	if dl, ok := c.ctx.Deadline(); ok {
		left = time.Until(dl).Round(time.Second)
	}
	if name == StepConnect {
		left = min(left, ConnectLimit)
	}
	return max(0, left)
}

// warn adds a warning to the running step.
func (c *checker) warn(d Diagnosis) {
	c.warnings = append(c.warnings, d)
}

// elapsed is how long the check has run, for "no answer after N s".
func (c *checker) elapsed(since time.Time) string {
	return seconds(time.Since(since))
}

func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Round(100*time.Millisecond).Seconds(), 'f', -1, 64) + " s"
}
