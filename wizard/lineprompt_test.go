package wizard

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"sitecfg/config"
	"sitecfg/smtpauth"
)

// smtpOnAnswers are a basic-auth run's answers up to the review, in the
// order the questions come.
func smtpOnAnswers(port string) []string {
	return []string{
		"y", "admin@example.com", "support@example.com", "alerts@example.com",
		"1", "127.0.0.1", "starttls", port, "", "user@example.com", "S3cret-pass",
		"sender@example.com", "noc@example.com, NOC@example.com",
	}
}

func join(parts ...[]string) []string { return slices.Concat(parts...) }

func TestRunLinesSMTPOn(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		input    []string
		fail     []*smtpauth.Diagnosis
		wantErr  error
		checks   int
		want     func(t *testing.T, r linesRun, fc *fakeCheck)
		inScreen []string
	}{
		{name: "basic, every answer at once over a pipe",
			input:  join(smtpOnAnswers("2525"), []string{"", "y", "y"}),
			checks: 1, inScreen: []string{"== SMTP server ==", "[587]", "connect: ok", "Live check passed"},
			want: func(t *testing.T, r linesRun, fc *fakeCheck) {
				s := r.site.SMTP
				if !s.Enabled || s.Auth != config.AuthBasic || s.Server != "127.0.0.1" || s.Port != 2525 ||
					s.Security != config.SecurityStartTLS || s.Username != "user@example.com" || s.Password.Value != "S3cret-pass" ||
					s.From != "sender@example.com" || !slices.Equal(s.DefaultRecipients, []string{"noc@example.com"}) {
					t.Errorf("smtp = %+v", s)
				}
				if e := r.site.Emails; e == nil || e.UIAdmin != "admin@example.com" || e.AdmiralAlerts != "alerts@example.com" {
					t.Errorf("emails = %+v", e)
				}
				c := fc.calls[0]
				if !c.SendTest || !slices.Equal(c.Recipients, []string{"noc@example.com"}) || c.Password != "S3cret-pass" {
					t.Errorf("check settings = %+v", c)
				}
				if r.out.Unverified || r.out.Report == nil || !r.out.Report.OK {
					t.Errorf("outcome = %+v", r.out)
				}
			}},
		{name: "options by name or number, yes/no words",
			input: []string{"YES", "admin@example.com", "support@example.com", "alerts@example.com",
				"BASIC", "mail.example.com", "2", "", "", "", "", "sender@example.com", "", "", "yes", "no"},
			checks: 1,
			want: func(t *testing.T, r linesRun, fc *fakeCheck) {
				if s := r.site.SMTP; s.Security != config.SecurityTLS || s.Port != 465 || s.Server != "mail.example.com" || s.Username != "" {
					t.Errorf("smtp = %+v", s)
				}
				if fc.calls[0].SendTest {
					t.Error("a test message was sent although declined")
				}
			}},
		{name: "invalid answers are asked again",
			input: []string{"maybe", "y", "not-an-email", "admin@example.com", "ADMIN@example.com", "support@example.com", "alerts@example.com",
				"7", "1", "bad host!", "127.0.0.1", "", "99999", "abc", "2525", "", "", "", "sender@example.com", "x@y, nope", "", "", "y", "n"},
			checks: 1, inScreen: []string{"Not accepted: answer yes or no", "choose a number from 1 to 5", "is the same address as emails.ui_admin"},
			want: func(t *testing.T, r linesRun, fc *fakeCheck) {
				if n := strings.Count(r.screen, "Not accepted"); n != 8 {
					t.Errorf("%d answers refused, want 8", n)
				}
				if s := r.site.SMTP; s.Port != 2525 || len(s.DefaultRecipients) != 0 {
					t.Errorf("smtp = %+v", s)
				}
			}},
		{name: "an arrow key typed into an answer is refused, a password's too (a serial line)",
			input:  join(smtpOnAnswers("2525")[:10], []string{"S3cret-pass\x1b[D", "S3cret-pass"}, smtpOnAnswers("2525")[11:], []string{"", "y", "n"}),
			checks: 1, inScreen: []string{"Not accepted: the answer holds a control character (an arrow or function key"},
			want: func(t *testing.T, r linesRun, fc *fakeCheck) {
				if strings.Contains(r.screen, "S3cret") {
					t.Error("the refused password was echoed")
				}
				if p := r.site.SMTP.Password.Value; p != "S3cret-pass" {
					t.Errorf("password = %q", p)
				}
			}},
		{name: "input ends half-way: error names the field, nothing written",
			input:   smtpOnAnswers("2525")[:8],
			wantErr: ErrInputEnded, inScreen: []string{"Extra CA certificate file"},
			want: func(t *testing.T, r linesRun, fc *fakeCheck) {
				if got := r.err.Error(); got != "input ended before smtp.ca_file was answered" {
					t.Errorf("error = %q", got)
				}
			}},
		{name: "live check declined: written, said loudly",
			input:  join(smtpOnAnswers("2525"), []string{"", "n"}),
			checks: 0, inScreen: []string{"WARNING: skipping the live check"},
			want: func(t *testing.T, r linesRun, fc *fakeCheck) {
				if !r.out.Unverified {
					t.Error("not marked unverified")
				}
			}},
		{name: "a value changed from the review",
			input:  join(smtpOnAnswers("2525"), []string{"smtp.port", "2626", "", "y", "n"}),
			checks: 1, inScreen: []string{"Port (smtp.port): 2525", "Port (smtp.port): 2626"},
			want: func(t *testing.T, r linesRun, fc *fakeCheck) {
				if r.site.SMTP.Port != 2626 {
					t.Errorf("port = %d", r.site.SMTP.Port)
				}
			}},
		{name: "failed check: edit the field it names, then it passes",
			input:  join(smtpOnAnswers("2525"), []string{"", "y", "n", "e", "2727", "", "y", "n"}),
			fail:   []*smtpauth.Diagnosis{{Step: smtpauth.StepConnect, Summary: "connection refused", Field: "smtp.port", Remedy: "check the port"}},
			checks: 2, inScreen: []string{"Live check FAILED at step connect: connection refused", "e = edit smtp.port (Port)", "What to do: check the port"},
			want: func(t *testing.T, r linesRun, fc *fakeCheck) {
				if r.site.SMTP.Port != 2727 || fc.calls[1].Port != 2727 || r.out.Unverified {
					t.Errorf("port = %d, checked %d, unverified %v", r.site.SMTP.Port, fc.calls[1].Port, r.out.Unverified)
				}
			}},
		{name: "failed check: retry",
			input:  join(smtpOnAnswers("2525"), []string{"", "y", "n", "x", "r"}),
			fail:   []*smtpauth.Diagnosis{{Step: smtpauth.StepBanner, Summary: "timed out"}},
			checks: 2, inScreen: []string{"answer e, r, s or q"}},
		{name: "failed check: quit writes nothing",
			input:   join(smtpOnAnswers("2525"), []string{"", "y", "n", "q"}),
			fail:    []*smtpauth.Diagnosis{{Step: smtpauth.StepAuth, Summary: "535 authentication failed", Field: "smtp.password"}},
			wantErr: ErrNotSaved, checks: 1, inScreen: []string{"Nothing was written"}},
		{name: "failed check: save anyway, warned",
			input:  join(smtpOnAnswers("2525"), []string{"", "y", "n", "s"}),
			fail:   []*smtpauth.Diagnosis{{Step: smtpauth.StepAuth, Summary: "535 authentication failed"}},
			checks: 1, inScreen: []string{"WARNING: saving settings that FAILED"},
			want: func(t *testing.T, r linesRun, fc *fakeCheck) {
				if !r.out.Unverified {
					t.Error("not marked unverified")
				}
			}},
		{name: "clear-text credentials refused at the password",
			input: []string{"y", "admin@example.com", "support@example.com", "alerts@example.com",
				"basic", "smtp.example.com", "none", "", "user", "pw", "", "sender@example.com", "",
				"smtp.security", "starttls", "", "", "", "y", "n"},
			checks: 1, inScreen: []string{"Not accepted: security none would send credentials in clear text to smtp.example.com"},
			want: func(t *testing.T, r linesRun, fc *fakeCheck) {
				if s := r.site.SMTP; s.Security != config.SecurityStartTLS || s.Port != 587 {
					t.Errorf("smtp = %+v", s)
				}
			}},
		{name: "microsoft 365",
			input: []string{"y", "admin@example.com", "support@example.com", "alerts@example.com",
				"2", "1", "contoso.onmicrosoft.com", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "alerts@contoso.com", "", "abc~Secret.Value-123", "2099-06-30",
				"alerts@contoso.com", "", "", "y", "n"},
			checks: 1, inScreen: []string{"== Microsoft 365 (OAuth 2.0) ==", "The client secret expires in "},
			want: func(t *testing.T, r linesRun, fc *fakeCheck) {
				s := r.site.SMTP
				if s.Auth != config.AuthMicrosoft || s.Server != "smtp.office365.com" || s.Port != 587 || s.OAuth == nil ||
					s.OAuth.ClientSecret.Value != "abc~Secret.Value-123" || s.Username != "alerts@contoso.com" {
					t.Errorf("smtp = %+v oauth %+v", s, s.OAuth)
				}
				if c := fc.calls[0]; c.TokenURL == "" || c.ClientSecret != "abc~Secret.Value-123" {
					t.Errorf("check settings = %+v", c)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fc := &fakeCheck{fail: tt.fail}
			r := runLinesWith(t, ans(tt.input...), fc, nil)
			if !errors.Is(r.err, tt.wantErr) || (tt.wantErr == nil) != (r.err == nil) {
				t.Fatalf("err = %v, want %v\n%s", r.err, tt.wantErr, r.screen)
			}
			if tt.wantErr != nil && r.site != nil {
				t.Error("a config was written although the run failed")
			}
			if tt.wantErr == nil && r.site == nil {
				t.Fatalf("no config written\n%s", r.screen)
			}
			if fc.count() != tt.checks {
				t.Errorf("%d checks ran, want %d", fc.count(), tt.checks)
			}
			for _, s := range tt.inScreen {
				if !strings.Contains(r.screen, s) {
					t.Errorf("output lacks %q", s)
				}
			}
			if strings.Contains(r.screen, "S3cret-pass") || strings.Contains(r.screen, "abc~Secret") {
				t.Error("a secret was printed")
			}
			if tt.want != nil && !t.Failed() {
				tt.want(t, r, fc)
			}
			if t.Failed() {
				t.Logf("output:\n%s", r.screen)
			}
		})
	}
}

// A re-run starts from the saved values: Enter keeps each of them, and a
// stored secret is kept without being shown.
func TestRunLinesRerunKeepsStored(t *testing.T) {
	t.Parallel()
	a := config.Answers{Version: 1, SMTP: config.SMTP{Enabled: true, Auth: config.AuthBasic, Server: "127.0.0.1", Port: 2525,
		Security: config.SecurityStartTLS, Username: "user@example.com", Password: config.Secret{Value: "Old-Pass-1"}, From: "sender@example.com"},
		Emails: config.Emails{UIAdmin: "a@example.com", UISupport: "s@example.com", AdmiralAlerts: "h@example.com"}}
	prev := a.Build(nil, time.Now(), "test")
	fc := &fakeCheck{}
	r := runLinesWith(t, ans(make([]string, 16)...), fc, func(o *LineOptions) { o.Prev = prev })
	if r.err != nil {
		t.Fatalf("err = %v\n%s", r.err, r.screen)
	}
	if got := r.site.SMTP.Password.Value; got != "Old-Pass-1" || fc.calls[0].Password != "Old-Pass-1" {
		t.Errorf("password = %q, checked with %q", got, fc.calls[0].Password)
	}
	for _, s := range []string{"SMTP password (stored — press Enter to keep): ", "No changes from the saved configuration", "stored, unchanged"} {
		if !strings.Contains(r.screen, s) {
			t.Errorf("output lacks %q", s)
		}
	}
	if strings.Contains(r.screen, "Old-Pass-1") {
		t.Error("the stored password was printed")
	}
}
