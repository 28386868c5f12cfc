package config

import (
	"fmt"
	"unicode"
)

// invisible returns the first control or format character of s (a bidi
// override such as U+202E, a zero-width space U+200B, ESC, CSI): none
// belongs in an address or a username, and each can make one identifier
// look like another, or act on the terminal that prints it.
func invisible(s string) (rune, bool) {
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029' {
			return r, true
		}
	}
	return 0, false
}

// refuseInvisible is the error for an identifier holding an invisible
// character, nil when there is none.
func refuseInvisible(what, s string) error {
	if r, bad := invisible(s); bad {
		return fmt.Errorf("%s holds the invisible or control character %U: type it again without it", what, r)
	}
	return nil
}
