package wizard

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"sitecfg/config"
	"sitecfg/internal/testkit"
	"sitecfg/smtpauth"
)

// feed is an input that the test writes to while RunLines reads it, the
// way an operator types: Read blocks until a line arrives or it is closed.
type feed struct {
	mu     sync.Mutex
	cond   *sync.Cond
	buf    bytes.Buffer
	closed bool
}

func newFeed(lines ...string) *feed {
	f := &feed{}
	f.cond = sync.NewCond(&f.mu)
	f.send(lines...)
	return f
}

func (f *feed) send(lines ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, l := range lines {
		f.buf.WriteString(l + "\n")
	}
	f.cond.Broadcast()
}

func (f *feed) close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed = true
	f.cond.Broadcast()
}

func (f *feed) Read(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for f.buf.Len() == 0 && !f.closed {
		f.cond.Wait()
	}
	if f.buf.Len() == 0 {
		return 0, io.EOF
	}
	return f.buf.Read(p)
}

// lineScreen is RunLines' output, safe to read while it is written.
type lineScreen struct{ testkit.Buffer }

// waitFor waits until the output contains want and returns the output.
func (s *lineScreen) waitFor(t *testing.T, want string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if out := s.String(); strings.Contains(out, want) {
			return out
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %q; output:\n%s", want, s.String())
	return ""
}

// fakeCheck stands in for smtpauth.Check: it reports each step through
// OnStep and passes or fails as told, recording what it was asked.
type fakeCheck struct {
	mu    sync.Mutex
	calls []smtpauth.Settings
	// fail, when set, is the diagnosis of the first len(fail) calls.
	fail []*smtpauth.Diagnosis
}

func (f *fakeCheck) check(ctx context.Context, s smtpauth.Settings, o smtpauth.Options) (*smtpauth.Report, error) {
	f.mu.Lock()
	n := len(f.calls)
	f.calls = append(f.calls, s)
	f.mu.Unlock()
	r := &smtpauth.Report{Server: s.Host, Method: s.Method, OK: true}
	for _, name := range []smtpauth.StepName{smtpauth.StepConnect, smtpauth.StepTLS, smtpauth.StepAuth} {
		st := smtpauth.Step{Name: name, Status: smtpauth.StatusOK}
		if o.OnStep != nil {
			o.OnStep(smtpauth.Step{Name: name, Status: smtpauth.StatusRunning})
			o.OnStep(st)
		}
		r.Steps = append(r.Steps, st)
	}
	if n < len(f.fail) {
		r.OK, r.Diagnosis = false, f.fail[n]
	}
	return r, ctx.Err()
}

func (f *fakeCheck) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

// linesRun is one finished RunLines.
type linesRun struct {
	out    *Outcome
	err    error
	screen string
	path   string
	site   *config.Site // the written config, nil if none
}

// runLinesWith runs RunLines on in with a fake check, writing to a fresh
// folder.
func runLinesWith(t *testing.T, in io.Reader, fc *fakeCheck, mod func(*LineOptions)) linesRun {
	t.Helper()
	dir := t.TempDir()
	scr := &lineScreen{}
	o := LineOptions{In: in, Out: scr, InFD: -1, ConfigPath: filepath.Join(dir, "site-config.yaml"), Check: fc.check}
	if mod != nil {
		mod(&o)
	}
	out, err := RunLines(context.Background(), o)
	r := linesRun{out: out, err: err, screen: scr.String(), path: o.ConfigPath}
	if s, _, lerr := config.Load(o.ConfigPath); lerr == nil {
		r.site = s
	}
	return r
}

// ans joins answers into what an operator would paste: one per line.
func ans(lines ...string) io.Reader { return strings.NewReader(strings.Join(lines, "\n") + "\n") }
