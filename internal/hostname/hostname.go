// Package hostname is the one definition of a host name and of the name a
// client may send in EHLO: config judges the settings an operator gives
// with it, smtpauth the machine's own name. It does no I/O and no lookup,
// and says nothing about whether a name resolves.
package hostname

import (
	"net"
	"strconv"
	"strings"
)

// These are character tests, not regular expressions: compiling a pattern
// costs more than every check a run makes.

// Valid reports whether s is a host name (RFC 1123): dot-separated labels
// of letters, digits and hyphens (see label), 253 characters at most, with
// an optional trailing dot. An all-numeric name is an IP address typo, not
// a host name.
func Valid(s string) bool {
	s = strings.TrimSuffix(s, ".")
	if s == "" || len(s) > 253 {
		return false
	}
	for _, l := range strings.Split(s, ".") {
		if !label(l) {
			return false
		}
	}
	_, err := strconv.Atoi(strings.ReplaceAll(s, ".", ""))
	return err != nil
}

// ValidEHLO reports whether name may be sent in EHLO (RFC 5321): a host
// name (Valid) or an address literal, "[192.0.2.10]" or
// "[IPv6:2001:db8::1]" — the tag spelt so, an IPv4 address never under it
// nor an IPv6 one without it.
func ValidEHLO(name string) bool {
	if !IsBracketed(name) {
		return Valid(name)
	}
	in := name[1 : len(name)-1]
	v6, isV6 := strings.CutPrefix(in, "IPv6:")
	if isV6 {
		in = v6
	}
	ip := net.ParseIP(in)
	return ip != nil && (ip.To4() == nil) == isV6
}

// IsBracketed reports whether s is written as an address literal, in
// square brackets, valid or not.
func IsBracketed(s string) bool {
	return len(s) >= 2 && s[0] == '[' && s[len(s)-1] == ']'
}

// label reports whether l is a DNS label: 1–63 letters, digits and
// hyphens, not starting or ending with a hyphen.
func label(l string) bool {
	if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
