package wizard

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"

	"sitecfg/config"
	"sitecfg/recovery"
	"sitecfg/smtpauth"
)

// fakeDeps stand in for the network and the disk.
type fakeDeps struct {
	mu      sync.Mutex
	reports []*smtpauth.Report // returned in turn; the last one repeats
	checks  []smtpauth.Settings
	gate    chan struct{} // when set, the check waits on it after two steps
	commits []*config.Answers
	opts    []CommitOptions
	codes   map[string][]string
	exists  map[string]bool
	// path and prev are the config the commits go to.
	path string
	prev *config.Site
}

func (f *fakeDeps) deps() TUIDeps {
	return TUIDeps{
		Check: func(ctx context.Context, s smtpauth.Settings, o smtpauth.Options) (*smtpauth.Report, error) {
			f.mu.Lock()
			f.checks = append(f.checks, s)
			r := okReport(s)
			if len(f.reports) > 0 {
				r = f.reports[0]
				if len(f.reports) > 1 {
					f.reports = f.reports[1:]
				}
			}
			// As smtpauth.Check does, the report carries the method checked.
			r.Method = s.Method
			gate := f.gate
			f.mu.Unlock()
			for i, st := range r.Steps {
				if o.OnStep != nil {
					o.OnStep(smtpauth.Step{Name: st.Name, Status: smtpauth.StatusRunning, Detail: "gives up after 30 s"})
				}
				if i == 2 && gate != nil {
					<-gate
				}
				if o.OnStep != nil {
					o.OnStep(st)
				}
			}
			return r, nil
		},
		Commit: func(a *config.Answers, o CommitOptions) (*Written, error) {
			f.mu.Lock()
			defer f.mu.Unlock()
			path, prev := f.path, f.prev
			c := *a
			f.commits = append(f.commits, &c)
			f.opts = append(f.opts, o)
			w := &Written{Path: path}
			if prev != nil {
				w.Backup = path + ".bak"
			}
			return w, nil
		},
		GenerateCodes: func(n int) ([]string, error) {
			out := make([]string, n)
			for i := range out {
				out[i] = fmt.Sprintf("CODE-%04d-XXXX-XXXX", i+1)
			}
			return out, nil
		},
		WriteCodes: func(path, user string, codes []string, at time.Time, overwrite bool) (*recovery.CodesFile, error) {
			f.mu.Lock()
			defer f.mu.Unlock()
			if f.exists[path] && !overwrite {
				return nil, fmt.Errorf("%s already exists: %w", path, os.ErrExist)
			}
			if f.codes == nil {
				f.codes = map[string][]string{}
			}
			f.codes[path] = codes
			return &recovery.CodesFile{Path: path}, nil
		},
		Now: func() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) },
	}
}

func okReport(s smtpauth.Settings) *smtpauth.Report {
	names := []smtpauth.StepName{smtpauth.StepResolve, smtpauth.StepConnect, smtpauth.StepBanner, smtpauth.StepEHLO, smtpauth.StepTLS, smtpauth.StepAuth, smtpauth.StepQuit}
	r := &smtpauth.Report{OK: true, Server: fmt.Sprintf("%s:%d", s.Host, s.Port)}
	for i, n := range names {
		r.Steps = append(r.Steps, smtpauth.Step{Name: n, Status: smtpauth.StatusOK, Duration: time.Duration(i+1) * time.Millisecond})
	}
	return r
}

func failReport(field string) *smtpauth.Report {
	return &smtpauth.Report{OK: false, Server: "mail.example.com:2525",
		Steps: []smtpauth.Step{
			{Name: smtpauth.StepResolve, Status: smtpauth.StatusOK, Duration: time.Millisecond, Detail: "127.0.0.1"},
			{Name: smtpauth.StepConnect, Status: smtpauth.StatusFailed, Duration: 3 * time.Millisecond, Detail: "connection refused"},
		},
		Diagnosis: &smtpauth.Diagnosis{Step: smtpauth.StepConnect, Code: "connect-refused", Field: field,
			Summary:    "nothing listens on mail.example.com port 2525",
			Remedy:     "check the port: 587 for STARTTLS, 465 for implicit TLS",
			ServerSaid: "dial tcp 127.0.0.1:2525: connect: connection refused"}}
}
