package smtpauth_test

import (
	"strings"
	"testing"

	"sitecfg/internal/smtptest"
	"sitecfg/internal/testkit"
	"sitecfg/smtpauth"
)

// The caller's secrets (Settings.Secrets, which sitecfg builds from its
// table of secret fields) are scrubbed from the report wherever they show
// up, here echoed in the sender address.
func TestCallerSecretsAreScrubbed(t *testing.T) {
	const secret = "Caller-Secret-7Xq2"
	srv := startServer(t, smtptest.Options{Username: testUser, Password: testPass})
	s := srv.basic(smtpauth.SecurityStartTLS, testUser, testPass)
	s.From = secret + "@example.test"
	s.Envelope = fourAddresses

	r := run(t, s, smtpauth.Options{})
	wantOK(t, r)
	if !strings.Contains(transcript(r), secret) {
		t.Fatalf("the sender is not in the transcript, so the test proves nothing:\n%s", transcript(r))
	}

	s.Secrets = []string{secret}
	r = run(t, s, smtpauth.Options{})
	wantOK(t, r)
	testkit.NoSecret(t, reportText(t, r), secret, testPass)
	if !strings.Contains(transcript(r), "<redacted>@example.test") {
		t.Errorf("sender not redacted:\n%s", transcript(r))
	}
}
