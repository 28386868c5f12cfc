package config

import (
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"sitecfg/internal/hostname"
	"sitecfg/internal/loopback"
)

// The field validators below are shared by every front end: the answers
// file, the wizard's fields and the line prompts all call them, so a value
// is judged the same way wherever it was typed.

// NormalizeEmail trims and lower-cases an address.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ValidateEmail accepts a bare address (no display name, no angle
// brackets) whose domain is a valid host name or a bracketed IP literal.
func ValidateEmail(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return errors.New("an email address is required")
	}
	if err := refuseInvisible("the address", s); err != nil {
		return err
	}
	if at := strings.LastIndexByte(s, '@'); len(s) > maxAddress || at > maxLocalPart {
		return fmt.Errorf("%s is too long for an email address: at most %d characters before the @ and %d in all (RFC 5321)",
			quoteStart(s), maxLocalPart, maxAddress)
	}
	if strings.ContainsAny(s, "<>\"") || strings.ContainsAny(s, " \t") {
		return fmt.Errorf("%q is not a bare address: give only name@domain, no display name", s)
	}
	at := strings.LastIndexByte(s, '@')
	if at > 0 && strings.HasPrefix(s[at+1:], "[") && strings.HasSuffix(s, "]") {
		// An address literal: net/mail cannot parse an IPv6 one (the
		// colons), so the local part is checked on its own.
		lit := s[at+2 : len(s)-1]
		if len(lit) > 5 && strings.EqualFold(lit[:5], "IPv6:") {
			// The tag is case-insensitive (RFC 5321): a stored,
			// lower-cased address must pass again.
			if ip := net.ParseIP(lit[5:]); ip == nil || ip.To4() != nil {
				return fmt.Errorf("%q has an invalid IP literal as its domain", s)
			}
		} else if ip := net.ParseIP(lit); ip == nil || ip.To4() == nil {
			return fmt.Errorf("%q has an invalid IP literal as its domain", s)
		}
		local := s[:at] + "@example.com"
		if a, err := mail.ParseAddress(local); err != nil || a.Name != "" || a.Address != local {
			return fmt.Errorf("%q is not a valid email address", s)
		}
		return nil
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return fmt.Errorf("%q is not a valid email address", s)
	}
	domain := s[at+1:]
	if !hostname.Valid(domain) || !strings.Contains(domain, ".") {
		return fmt.Errorf("%q has no valid domain after the @ (expected something like example.com)", s)
	}
	return nil
}

// An address's limits (RFC 5321, 4.5.3.1): a mail server refuses a
// longer one in MAIL FROM or RCPT TO.
const (
	maxLocalPart = 64
	maxAddress   = 254
)

// quoteStart quotes s, or its start when it is long: a value pasted by
// mistake is not echoed whole.
func quoteStart(s string) string {
	const keep = 40
	if len(s) <= keep {
		return strconv.Quote(s)
	}
	return fmt.Sprintf("%q… (%d characters)", runeStart(s, keep), utf8.RuneCountInString(s))
}

// The rules below are character tests, not regular expressions: compiling
// a pattern costs more than every check a run makes, and `check` is
// measured against a bare client (docs/live-check.md).

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// NormalizeHost strips brackets from an IPv6 literal and trims spaces.
func NormalizeHost(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		s = s[1 : len(s)-1]
	}
	return strings.ToLower(s)
}

// ValidateServer accepts a host name or an IPv4/IPv6 literal.
func ValidateServer(s string) error {
	h := NormalizeHost(s)
	if h == "" {
		return errors.New("a server host name or IP address is required")
	}
	if net.ParseIP(h) != nil {
		return nil
	}
	if strings.Contains(h, ":") {
		return fmt.Errorf("%q is not a valid host: give the port in its own field", s)
	}
	if !hostname.Valid(h) {
		return fmt.Errorf("%q is not a valid host name or IP address", s)
	}
	return nil
}

// ValidateEHLOName accepts the name sent in EHLO (smtp.ehlo_name): a host
// name or an RFC 5321 address literal ("[192.0.2.10]",
// "[IPv6:2001:db8::1]"). The rule is hostname.ValidEHLO, the one the
// live check applies to the machine's own name; this says why a name
// fails it.
func ValidateEHLOName(s string) error {
	switch {
	case hostname.ValidEHLO(s):
		return nil
	case hostname.IsBracketed(s):
		return fmt.Errorf("%q is not a valid address literal: write [192.0.2.10] or [IPv6:2001:db8::1]", s)
	case net.ParseIP(s) != nil:
		return fmt.Errorf("%q is an IP address: in EHLO it is written as an address literal, [%s]", s, addrLiteralPrefix(s)+s)
	default:
		return fmt.Errorf("%q is not a valid host name or address literal", s)
	}
}

func addrLiteralPrefix(ip string) string {
	if strings.Contains(ip, ":") {
		return "IPv6:"
	}
	return ""
}

// IsLoopback reports whether host is localhost or a loopback IP literal:
// the one definition the rules and the live check share. Names under
// .localhost are not loopback here: they are resolved through DNS or
// /etc/hosts and could leave the machine.
func IsLoopback(host string) bool { return loopback.Host(host) }

// ValidatePort accepts 1–65535.
func ValidatePort(p int) error {
	if p < 1 || p > 65535 {
		return fmt.Errorf("port %d is out of range: must be between 1 and 65535", p)
	}
	return nil
}

// ParsePort parses a typed port number.
func ParsePort(s string) (int, error) {
	p, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("%q is not a port number", s)
	}
	return p, ValidatePort(p)
}

// isUsername: a letter, then letters, digits, '.', '_' and '-'.
func isUsername(s string) bool {
	if s == "" || !isAlnum(s[0]) || '0' <= s[0] && s[0] <= '9' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '.' && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

// ValidateUsername accepts 1–64 letters, digits, '.', '_', '-', starting
// with a letter.
func ValidateUsername(s string) error {
	switch {
	case s == "":
		return errors.New("a username is required")
	case len(s) > 64:
		return fmt.Errorf("username is %d characters long: at most 64", len(s))
	case !isUsername(s):
		return fmt.Errorf("username %q must start with a letter and use only letters, digits, '.', '_' and '-'", s)
	}
	return nil
}

// IsGUID reports whether s looks like a GUID:
// xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx in hexadecimal digits.
func IsGUID(s string) bool {
	s = strings.TrimSpace(s)
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch i {
		case 8, 13, 18, 23:
			if s[i] != '-' {
				return false
			}
		default:
			if !isHex(s[i]) {
				return false
			}
		}
	}
	return true
}

// ValidateTenant accepts a GUID or a domain name (contoso.onmicrosoft.com).
func ValidateTenant(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return errors.New("the Directory (tenant) ID is required")
	}
	if IsGUID(s) || (hostname.Valid(s) && strings.Contains(s, ".")) {
		return nil
	}
	return fmt.Errorf("%q is neither a GUID nor a domain name: copy the Directory (tenant) ID from the app registration's Overview", s)
}

// ValidateClientID accepts a GUID.
func ValidateClientID(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return errors.New("the Application (client) ID is required")
	}
	if !IsGUID(s) {
		return fmt.Errorf("%q is not a GUID: copy the Application (client) ID from the app registration's Overview", s)
	}
	return nil
}

// ValidateTokenURL requires https, except to a loopback host.
func ValidateTokenURL(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return errors.New("a token URL is required")
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("%q is not an http(s) URL", s)
	}
	if u.Scheme == "http" && !IsLoopback(u.Hostname()) {
		return fmt.Errorf("token URL must use https:// (plain http is only allowed to a loopback address)")
	}
	return nil
}

// ParseRecipients splits a comma-separated list, lower-cases each address
// and drops duplicates, keeping the first occurrence's order.
func ParseRecipients(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' }) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return DedupeEmails(out)
}

// DedupeEmails lower-cases and removes case-insensitive duplicates.
func DedupeEmails(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, a := range in {
		a = NormalizeEmail(a)
		if a == "" || seen[a] {
			continue
		}
		seen[a] = true
		out = append(out, a)
	}
	return out
}

// ValidateExpiry accepts an ISO date (YYYY-MM-DD) or empty.
func ValidateExpiry(s string) error {
	if s == "" {
		return nil
	}
	if _, err := parseDate(s); err != nil {
		return fmt.Errorf("%q is not a date: use YYYY-MM-DD", s)
	}
	return nil
}
