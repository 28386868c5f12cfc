package smtpauth_test

// Tests against real mail servers; how to start them, and how these tests
// skip without them, is in mta_env_test.go.

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sitecfg/internal/testkit"
	"sitecfg/smtpauth"
)

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
	return strings.ToLower(strings.Join([]string{string(d.Code), d.Summary, d.Field, d.Remedy, d.ServerSaid, strings.Join(d.Commands, " ")}, " | "))
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
// fields (the documented field paths: a stable contract, unlike the wording).
func mtaWantField(t *testing.T, d *smtpauth.Diagnosis, fields ...string) {
	t.Helper()
	for _, f := range fields {
		if d.Field == f {
			return
		}
	}
	t.Errorf("diagnosis %s points at field %q, want one of %q", d.Code, d.Field, fields)
}

// mtaWantNoSecret asserts that a secret appears nowhere in the report,
// neither as is nor base64-encoded, and that every AUTH line with a
// response is redacted.
func mtaWantNoSecret(t *testing.T, r *smtpauth.Report, secrets ...string) {
	t.Helper()
	testkit.NoSecret(t, reportText(t, r), secrets...)
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
