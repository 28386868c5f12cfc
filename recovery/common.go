package recovery

import (
	_ "embed"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

//go:generate go run ./internal/gencommon

// commonList is the list of common passwords: zxcvbn 4.4.2's "passwords"
// frequency list (Dropbox, MIT licence), 30,000 passwords from the Xato
// 10-million-password corpus, most common first, lower case, one per line.
// commonpasswords/README.md says more.
//
//go:embed commonpasswords/passwords.txt
var commonList string

// common is the list as a set, built on first use: most runs of the tool
// never check a password.
var common = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, strings.Count(commonList, "\n"))
	for w := range strings.Lines(commonList) {
		if w = strings.TrimSpace(w); w != "" {
			set[w] = struct{}{}
		}
	}
	return set
})

// minCore is the shortest stem, once digits and symbols at the ends are
// stripped, that is looked up in the list. A shorter stem ("Bob") leaves
// most of an 8-character password to its other characters.
const minCore = 4

// l33t maps the usual look-alike substitutions back to letters; 1, ! and |
// stand for i here and for l in l33tL.
var (
	l33t  = strings.NewReplacer("0", "o", "1", "i", "!", "i", "|", "i", "3", "e", "4", "a", "@", "a", "5", "s", "$", "s", "7", "t", "+", "t", "8", "b", "9", "g", "6", "g")
	l33tL = strings.NewReplacer("0", "o", "1", "l", "!", "l", "|", "l", "3", "e", "4", "a", "@", "a", "5", "s", "$", "s", "7", "t", "+", "t", "8", "b", "9", "g", "6", "g")
)

// variants returns password lower-cased and the forms it reduces to: with
// the digits and symbols at its end (and at both ends) stripped, and each
// of those with look-alike characters mapped back to letters. "Password1!",
// "P@ssw0rd" and "Qwerty123!" reduce to "password", "password" and
// "qwerty". The first element is the lower-cased password itself; the
// reduced forms are at least minCore characters long.
func variants(password string) []string {
	lower := strings.ToLower(password)
	out := []string{lower}
	notLetter := func(r rune) bool { return !unicode.IsLetter(r) }
	for _, base := range []string{lower, strings.TrimRightFunc(lower, notLetter), strings.TrimFunc(lower, notLetter)} {
		for _, v := range []string{base, l33t.Replace(base), l33tL.Replace(base)} {
			if utf8.RuneCountInString(v) >= minCore && !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
	}
	return out
}

// commonMatch looks password and its variants up in the list. exact is
// true when the lower-cased password itself is listed; otherwise word is
// the listed password it reduces to.
func commonMatch(password string) (word string, exact, ok bool) {
	set := common()
	for i, v := range variants(password) {
		if _, ok := set[v]; ok {
			return v, i == 0, true
		}
	}
	return "", false, false
}
