package testkit

import (
	"encoding/base64"
	"strings"
	"testing"
)

// minCore is the shortest base64 run NoSecret looks for: shorter runs
// turn up by chance in ciphertext and long outputs.
const minCore = 8

// NoSecret fails the test when output holds any of the secrets: as is, or
// base64-encoded (standard or URL alphabet) anywhere inside a longer
// blob, such as an AUTH PLAIN response ("\0user\0secret") or an XOAUTH2
// one ("user=…\x01auth=Bearer secret\x01\x01"), whatever the secret's
// alignment in it. Empty secrets are skipped. The message names the
// secret by its first three characters only.
func NoSecret(t testing.TB, output string, secrets ...string) {
	t.Helper()
	for _, sec := range secrets {
		if sec == "" {
			continue
		}
		for _, f := range secretForms(sec) {
			if i := strings.Index(output, f.text); i >= 0 {
				t.Errorf("a secret (%.3s…) is in the output %s, at byte %d of %d", sec, f.how, i, len(output))
				break
			}
		}
	}
}

type secretForm struct{ text, how string }

// secretForms are the strings that give sec away: sec itself and, for each
// base64 alphabet and each of the three alignments sec can have in a
// blob, the run of base64 characters that depends on sec alone.
func secretForms(sec string) []secretForm {
	forms := []secretForm{{sec, "in clear text"}}
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
		for shift := range 3 {
			b := enc.EncodeToString([]byte(strings.Repeat("\x00", shift) + sec))
			// Character i carries bits 6i…6i+5 of the blob; keep those
			// that fall wholly inside sec's bytes.
			from, to := (8*shift+5)/6, 8*(shift+len(sec))/6
			if to-from >= minCore {
				forms = append(forms, secretForm{b[from:to], "base64-encoded"})
			}
		}
	}
	return forms
}
