package config

import (
	"math/rand/v2"
	"regexp"
	"testing"
)

// The character tests replaced regular expressions (compiled at every
// start, they cost more than the checks). The patterns they replaced are
// the oracle: on hand-picked edge cases and on many random strings over
// the interesting alphabet, both must say the same. (The DNS label's
// pattern is checked where the rule now lives, internal/hostname.)
var (
	oldUsername = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9._-]{0,63}$`)
	oldGUID     = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	oldEnvRef   = regexp.MustCompile(`^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$`)
)

func TestCharacterRulesMatchTheirPatterns(t *testing.T) {
	edge := []string{"", "a", "-", "a-", "-a", "a-b", "0", "9abc", "Zz9", "a_b", "a.b", "ä", "a b",
		"x" + string(make([]byte, 62)), "${}", "${A}", "${_}", "${1A}", "${A1}", "${A-B}", "$A", "${A", "A}", "${${A}}",
		"0123abcd-ABCD-ef01-2345-6789abcdef01", "0123abcd-ABCD-ef01-2345-6789abcdef0g", "0123abcd_ABCD-ef01-2345-6789abcdef01",
		"0123abcd-ABCD-ef01-2345-6789abcdef012", "admin", "Admin.User_1-x", "1admin", "_admin"}
	long := make([]byte, 70)
	for i := range long {
		long[i] = 'a'
	}
	for n := 60; n <= 70; n++ {
		edge = append(edge, string(long[:n]), "a"+string(long[:n-2])+"-b")
	}
	const alphabet = "aZ09-_.${}x "
	r := rand.New(rand.NewPCG(1, 2))
	cases := append([]string{}, edge...)
	for range 20000 {
		b := make([]byte, r.IntN(12))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		cases = append(cases, string(b), "${"+string(b)+"}")
	}
	guidChars := "0a-F"
	for range 5000 {
		b := []byte("0123abcd-ABCD-ef01-2345-6789abcdef01")
		b[r.IntN(len(b))] = guidChars[r.IntN(len(guidChars))]
		cases = append(cases, string(b))
	}
	for _, s := range cases {
		if got, want := isUsername(s) && len(s) <= 64, oldUsername.MatchString(s); got != want {
			t.Errorf("isUsername(%q) = %v, the pattern says %v", s, got, want)
		}
		if got, want := IsGUID(s), oldGUID.MatchString(s); got != want {
			t.Errorf("IsGUID(%q) = %v, the pattern says %v", s, got, want)
		}
		name, got := envRef(s)
		m := oldEnvRef.FindStringSubmatch(s)
		if got != (m != nil) || got && name != m[1] {
			t.Errorf("envRef(%q) = %q, %v; the pattern says %q", s, name, got, m)
		}
	}
}
