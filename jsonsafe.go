package main

import (
	"bytes"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// terminalSafeJSON is encoded JSON with the characters a terminal acts on
// or that reorder or hide text — C1 controls (U+0080–U+009F, CSI among
// them), format characters (U+202E, U+200B) and the line separators —
// written as \uXXXX escapes: the same JSON value, safe to print. The
// encoder already escapes C0 controls; these can only occur inside
// strings, where the escape means the same character.
func terminalSafeJSON(b []byte) []byte {
	if !bytes.ContainsFunc(b, jsonUnsafe) {
		return b
	}
	out := make([]byte, 0, len(b)+32)
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if jsonUnsafe(r) && size > 1 {
			out = fmt.Appendf(out, `\u%04x`, r)
		} else {
			out = append(out, b[:size]...)
		}
		b = b[size:]
	}
	return out
}

func jsonUnsafe(r rune) bool {
	return (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Cf, r)
}
