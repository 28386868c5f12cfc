package recovery

import (
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"strings"
	"unicode"
)

// DefaultCount is how many recovery codes an admin gets at a time.
const DefaultCount = 10

// Alphabet is Crockford's base32 alphabet, in which codes are written: the
// digits and the upper-case letters without I, L, O and U, so that no two
// symbols are easily confused.
const Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

const (
	// CodeBits is the entropy of one recovery code.
	CodeBits = 80
	// CodeLength is the number of symbols in a code, dashes not counted:
	// 80 bits at 5 bits per symbol.
	CodeLength = CodeBits / 5
	// groupLen is how many symbols Format puts between dashes.
	groupLen = 4
)

var crockford = base32.NewEncoding(Alphabet).WithPadding(base32.NoPadding)

// Generate returns n distinct recovery codes from the system's
// cryptographic random source, each CodeBits bits written as CodeLength
// Crockford base32 symbols and grouped for display by Format
// (for example 7KQ2-M9XD-4TPA-WR3C).
func Generate(n int) ([]string, error) {
	if n < 0 {
		return nil, fmt.Errorf("generate recovery codes: negative count %d", n)
	}
	codes := make([]string, 0, n)
	seen := make(map[string]bool, n)
	raw := make([]byte, CodeBits/8)
	for len(codes) < n {
		if _, err := rand.Read(raw); err != nil {
			return nil, fmt.Errorf("generate recovery codes: %w", err)
		}
		c := crockford.EncodeToString(raw)
		// A repeat has probability about n²/2^81; it is cheaper to
		// rule out than to reason about a set with one code twice.
		if seen[c] {
			continue
		}
		seen[c] = true
		codes = append(codes, Format(c))
	}
	return codes, nil
}

// Normalize returns code as it is stored and compared: upper case, without
// dashes or white space, with Crockford's look-alikes mapped (O to 0, I and
// L to 1). It does not check the result; see Valid.
func Normalize(code string) string {
	var b strings.Builder
	b.Grow(len(code))
	for _, r := range code {
		switch r = unicode.ToUpper(r); {
		case r == '-' || unicode.IsSpace(r):
		case r == 'O':
			b.WriteByte('0')
		case r == 'I' || r == 'L':
			b.WriteByte('1')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Valid reports whether code, once normalized, has the shape of a recovery
// code: CodeLength symbols of Alphabet. It says nothing about whether the
// code is one of a user's.
func Valid(code string) bool {
	n := Normalize(code)
	if len(n) != CodeLength {
		return false
	}
	for i := range len(n) {
		if strings.IndexByte(Alphabet, n[i]) < 0 {
			return false
		}
	}
	return true
}

// Format returns code normalized and grouped for reading: four symbols,
// a dash, four more, and so on.
func Format(code string) string {
	n := []rune(Normalize(code))
	var b strings.Builder
	for i, r := range n {
		if i > 0 && i%groupLen == 0 {
			b.WriteByte('-')
		}
		b.WriteRune(r)
	}
	return b.String()
}
