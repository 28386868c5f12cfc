package recovery

import (
	"math"
	"regexp"
	"strings"
	"testing"
)

var displayed = regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$`)

func TestGenerate(t *testing.T) {
	for _, n := range []int{0, 1, DefaultCount, 100} {
		codes, err := Generate(n)
		if err != nil {
			t.Fatalf("Generate(%d): %v", n, err)
		}
		if len(codes) != n {
			t.Fatalf("Generate(%d) gave %d codes", n, len(codes))
		}
		seen := map[string]bool{}
		for _, c := range codes {
			if !displayed.MatchString(c) {
				t.Errorf("code %q is not shown as XXXX-XXXX-XXXX-XXXX in Crockford base32", c)
			}
			if got := len(Normalize(c)); got != CodeLength || CodeLength != 16 {
				t.Errorf("code %q has %d symbols, want 16", c, got)
			}
			if !Valid(c) {
				t.Errorf("Valid(%q) = false", c)
			}
			if seen[c] {
				t.Errorf("code %q repeated", c)
			}
			seen[c] = true
		}
	}
}

func TestGenerateRejectsNegativeCount(t *testing.T) {
	if _, err := Generate(-1); err == nil {
		t.Fatal("Generate(-1) gave no error")
	}
}

// TestCodeEntropy checks that a code carries at least 80 bits: the alphabet
// has 32 distinct symbols, none of them ambiguous, and 32^16 = 2^80.
func TestCodeEntropy(t *testing.T) {
	distinct := map[rune]bool{}
	for _, r := range Alphabet {
		distinct[r] = true
	}
	if len(distinct) != 32 || len(Alphabet) != 32 {
		t.Fatalf("alphabet has %d distinct symbols, want 32", len(distinct))
	}
	if strings.ContainsAny(Alphabet, "ILOU") {
		t.Errorf("alphabet %q has an ambiguous letter", Alphabet)
	}
	if bits := float64(CodeLength) * math.Log2(float64(len(distinct))); bits < 80 {
		t.Errorf("a code carries %.1f bits, want at least 80", bits)
	}
	// Every symbol shows up: the encoding uses the whole alphabet.
	codes, err := Generate(200)
	if err != nil {
		t.Fatal(err)
	}
	used := map[rune]bool{}
	for _, c := range codes {
		for _, r := range Normalize(c) {
			used[r] = true
		}
	}
	if len(used) != 32 {
		t.Errorf("200 codes used %d of the 32 symbols", len(used))
	}
}

func TestNormalize(t *testing.T) {
	const want = "7KQ2M9XD4TPAWR3C"
	tests := []struct {
		name, in, want string
	}{
		{"as shown", "7KQ2-M9XD-4TPA-WR3C", want},
		{"lower case", "7kq2-m9xd-4tpa-wr3c", want},
		{"no dashes", "7KQ2M9XD4TPAWR3C", want},
		{"spaces", " 7KQ2 M9XD 4TPA WR3C ", want},
		{"tabs and mixed", "7kq2\tM9xd - 4TPA wr3c\n", want},
		{"o is zero", "o0O0", "0000"},
		{"i and l are one", "iIlL1", "11111"},
		{"other characters kept", "7KQ2_M9XD", "7KQ2_M9XD"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestValid(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"7KQ2-M9XD-4TPA-WR3C", true},
		{"7kq2 m9xd 4tpa wr3c", true},
		{"7KQ2-M9XD-4TPA-WR3O", true}, // O read as 0
		{"7KQ2-M9XD-4TPA-WR3", false},
		{"7KQ2-M9XD-4TPA-WR3CC", false},
		{"7KQ2-M9XD-4TPA-WR3U", false}, // U is not in the alphabet
		{"7KQ2-M9XD-4TPA-WR3#", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Valid(tt.in); got != tt.want {
				t.Errorf("Valid(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestFormat(t *testing.T) {
	tests := []struct{ in, want string }{
		{"7kq2m9xd4tpawr3c", "7KQ2-M9XD-4TPA-WR3C"},
		{"7KQ2-M9XD-4TPA-WR3C", "7KQ2-M9XD-4TPA-WR3C"},
		{" 7kq2 m9xd 4tpa wr3c ", "7KQ2-M9XD-4TPA-WR3C"},
		{"abcdef", "ABCD-EF"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Format(tt.in); got != tt.want {
				t.Errorf("Format(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
