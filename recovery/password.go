package recovery

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Password length limits, in characters (Unicode code points, not bytes).
const (
	// MinPasswordLength is the fewest characters a password may have.
	MinPasswordLength = 8
	// MaxPasswordLength is the most characters a password may have.
	MaxPasswordLength = 128
)

// classes records which kinds of character a password has.
type classes struct {
	lower, upper, digit, special, caseless, control bool
}

// classify sorts each character: a lower-case or upper-case letter, a
// letter without case (as in Chinese), a decimal digit, a control
// character, or special (anything else, a space included). Combining marks
// belong to the letter before them and count as nothing on their own.
func classify(password string) classes {
	var c classes
	for _, r := range password {
		switch {
		case unicode.IsLower(r):
			c.lower = true
		case unicode.IsUpper(r):
			c.upper = true
		case unicode.IsLetter(r):
			c.caseless = true
		case unicode.IsDigit(r):
			c.digit = true
		case unicode.IsControl(r):
			c.control = true
		case unicode.IsMark(r):
		default:
			c.special = true
		}
	}
	return c
}

// missing lists, in plain words, the character kinds a password lacks.
func (c classes) missing() []string {
	var m []string
	if !c.lower {
		m = append(m, "a lower-case letter")
	}
	if !c.upper {
		m = append(m, "an upper-case letter")
	}
	if !c.digit {
		m = append(m, "a digit")
	}
	if !c.special {
		m = append(m, "a special character (not a letter or digit)")
	}
	return m
}

// CheckPassword applies the product's password rules and returns every
// problem, each a short lower-case phrase ("needs a digit"); none means
// the password is acceptable:
//
//   - MinPasswordLength to MaxPasswordLength characters, counted as
//     Unicode code points;
//   - at least one lower-case letter, one upper-case letter, one digit and
//     one special character, in any script (see classify); no control
//     characters;
//   - not the username, compared without case, nor the username with only
//     digits, symbols or look-alike characters added;
//   - not a common password: the lower-cased password is looked up in the
//     embedded list, and so are the forms it reduces to with the digits and
//     symbols at its ends stripped and look-alikes (0 for o, @ for a, ...)
//     mapped back, so that "Password1!", "Welcome1!", "P@ssw0rd" and
//     "Qwerty123!" are refused although they have every kind of character.
func CheckPassword(username, password string) []string {
	var problems []string
	if !utf8.ValidString(password) {
		problems = append(problems, "is not valid UTF-8 text")
	}
	switch n := utf8.RuneCountInString(password); {
	case n < MinPasswordLength:
		problems = append(problems, fmt.Sprintf("must be at least %d characters long (it has %d)", MinPasswordLength, n))
	case n > MaxPasswordLength:
		problems = append(problems, fmt.Sprintf("must be at most %d characters long (it has %d)", MaxPasswordLength, n))
	}
	c := classify(password)
	for _, m := range c.missing() {
		problems = append(problems, "needs "+m)
	}
	if c.control {
		problems = append(problems, "must not contain control characters such as tabs or line breaks")
	}
	if invisible(password) {
		problems = append(problems, "must not contain invisible formatting characters (such as a zero-width space U+200B or a right-to-left override U+202E): nobody could type it again")
	}
	if username != "" {
		if strings.EqualFold(password, username) {
			problems = append(problems, "must not be the username")
		} else if slices.Contains(variants(password)[1:], strings.ToLower(username)) {
			problems = append(problems, "must not be the username with only digits, symbols or look-alike characters added")
		}
	}
	if word, exact, ok := commonMatch(password); ok {
		if exact {
			problems = append(problems, "is a common password")
		} else {
			problems = append(problems, fmt.Sprintf("is too close to the common password %q", word))
		}
	}
	return problems
}

// Strength rates a password from 0 (very weak) to 4 (strong) with a short
// hint for the wizard to show under the field, such as "weak: add a digit"
// or "strong". It does not know the username; CheckPassword decides what
// is accepted, and any password it refuses for length, kind of character
// or being common scores 0 or 1.
//
// Past the rules, the score estimates the bits a brute-force guesser faces:
// the length (a character repeating the one before it does not count) times
// log2 of the size of the alphabets used (26 lower-case, 26 upper-case,
// 10 digits, 33 special, 50 for letters without case). Under 60 bits is
// 2, under 80 is 3, and 80 or more is 4.
func Strength(password string) (score int, hint string) {
	n := utf8.RuneCountInString(password)
	switch {
	case n == 0:
		return 0, "very weak: empty"
	case n > MaxPasswordLength:
		return 0, fmt.Sprintf("too long: at most %d characters", MaxPasswordLength)
	}
	if _, _, ok := commonMatch(password); ok {
		return 0, "very weak: a common password"
	}
	if n < MinPasswordLength {
		return 0, fmt.Sprintf("too short: use at least %d characters", MinPasswordLength)
	}
	c := classify(password)
	if m := c.missing(); len(m) > 0 {
		return 1, "weak: add " + m[0]
	}
	switch bits := entropyBits(password, c); {
	case bits < 60:
		return 2, "fair: add length"
	case bits < 80:
		return 3, "good: more length makes it strong"
	default:
		return 4, "strong"
	}
}

func entropyBits(password string, c classes) float64 {
	pool := 0
	for _, k := range []struct {
		has  bool
		size int
	}{{c.lower, 26}, {c.upper, 26}, {c.digit, 10}, {c.special, 33}, {c.caseless, 50}} {
		if k.has {
			pool += k.size
		}
	}
	length, prev := 0, rune(-1)
	for _, r := range password {
		if r != prev {
			length++
		}
		prev = r
	}
	return float64(length) * math.Log2(float64(pool))
}

// invisible reports a Unicode format character (category Cf: zero-width
// spaces and joiners, bidi overrides, the BOM) or a line or paragraph
// separator: characters that show as nothing, or reorder what is shown.
func invisible(password string) bool {
	for _, r := range password {
		if unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029' {
			return true
		}
	}
	return false
}
