package hostname

import (
	"math/rand/v2"
	"regexp"
	"testing"
)

// Moved from smtpauth (ValidEHLOName), whose rule this is.
func TestValidEHLO(t *testing.T) {
	for name, want := range map[string]bool{
		"node1.cluster.example.com": true, "mail-1.example.com.": true, "host": true,
		"[192.0.2.10]": true, "[IPv6:2001:db8::1]": true,
		"": false, "a_b.example.com": false, "-a.example.com": false, "1.2.3.4": false, "[2001:db8::1]": false,
		"[IPv6:192.0.2.1]": false, "[999.1.1.1]": false, "a..b": false, "with space.example": false,
		"[ipv6:2001:db8::1]": false, "[IPv6:::ffff:192.0.2.1]": false, "[]": false, "[": false, "2001:db8::1": false,
	} {
		if got := ValidEHLO(name); got != want {
			t.Errorf("ValidEHLO(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestValid(t *testing.T) {
	long := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = 'a'
		}
		return string(b)
	}
	for name, want := range map[string]bool{
		"smtp.example.com": true, "smtp.example.com.": true, "localhost": true, "xn--bcher-kva.example": true,
		long(63) + ".example": true, long(64) + ".example": false,
		"": false, ".": false, "a..b": false, ".a": false, "a-.b": false, "1.2.3.4": false, "123": false,
		"1a.example": true, "[192.0.2.10]": false, "smtp.example.com:587": false, "bücher.example": false,
	} {
		if got := Valid(name); got != want {
			t.Errorf("Valid(%q) = %v, want %v", name, got, want)
		}
	}
	name := long(63) + "." + long(63) + "." + long(63) + "." + long(61)
	if !Valid(name) || Valid(name+"a") {
		t.Errorf("253 characters are a host name, 254 are not")
	}
}

// Moved from config's TestCharacterRulesMatchTheirPatterns: the character
// test replaced a regular expression, which is its oracle on hand-picked
// edge cases and on many random strings over the interesting alphabet.
func TestLabelMatchesItsPattern(t *testing.T) {
	oldLabel := regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)
	edge := []string{"", "a", "-", "a-", "-a", "a-b", "0", "9abc", "Zz9", "a_b", "a.b", "ä", "a b",
		"x" + string(make([]byte, 62)), "${}", "${A}", "admin", "Admin.User_1-x", "1admin", "_admin"}
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
	for _, s := range cases {
		if got, want := label(s), oldLabel.MatchString(s); got != want {
			t.Errorf("label(%q) = %v, the pattern says %v", s, got, want)
		}
	}
}
