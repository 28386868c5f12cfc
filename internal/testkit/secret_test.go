package testkit

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
)

// recorder is a testing.TB that keeps what a helper reports instead of
// failing the test.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

// NoSecret catches a secret in every form a careless transcript or log
// would show it, and passes output that only looks alike.
func TestNoSecret(t *testing.T) {
	const sec = "Canary-Passw0rd-7f3e!"
	std, url := base64.StdEncoding.EncodeToString, base64.URLEncoding.EncodeToString
	tests := []struct {
		name   string
		output string
		caught bool
	}{
		{"clear text", "S: 535 bad password " + sec + " for you", true},
		{"base64 alone", "C: " + std([]byte(sec)), true},
		{"AUTH PLAIN blob", "C: AUTH PLAIN " + std([]byte("\x00alerts@example.com\x00"+sec)), true},
		{"XOAUTH2 blob", "C: " + std([]byte("user=a@example.com\x01auth=Bearer "+sec+"\x01\x01")), true},
		{"URL alphabet", url([]byte("ab" + sec + "\xff\xfe")), true},
		{"redacted", "C: AUTH PLAIN <redacted>\nS: 235 2.7.0 ok", false},
		{"a different secret", std([]byte("\x00alerts@example.com\x00Canary-Passw0rd-7f3f!")), false},
		{"a prefix only", "Canary-Passw0rd", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &recorder{TB: t}
			NoSecret(r, tt.output, sec, "")
			if caught := len(r.errors) > 0; caught != tt.caught {
				t.Fatalf("caught = %v, want %v (%q)", caught, tt.caught, r.errors)
			}
			for _, e := range r.errors {
				if strings.Contains(e, sec[3:]) {
					t.Errorf("the message repeats the secret: %s", e)
				}
			}
		})
	}
}

// Every alignment of the secret inside a blob is caught.
func TestNoSecretEveryAlignment(t *testing.T) {
	const sec = "0123456789abcdef"
	for n := range 7 {
		blob := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("x", n) + sec + "tail"))
		r := &recorder{TB: t}
		NoSecret(r, blob, sec)
		if len(r.errors) == 0 {
			t.Errorf("prefix of %d bytes: %s not caught", n, blob)
		}
	}
}
