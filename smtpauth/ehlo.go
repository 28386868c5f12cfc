package smtpauth

import (
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

// HostEHLOName is this machine's host name when it is fully qualified (it
// has a dot, is a valid host name and is not a localhost name), the EHLO
// name a check uses by default; ok is false otherwise.
func HostEHLOName() (name string, ok bool) {
	h, err := os.Hostname()
	if err != nil {
		return "", false
	}
	h = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), ".")
	if !strings.Contains(h, ".") || !ValidEHLOName(h) || isLocalhostName(h) {
		return "", false
	}
	return h, true
}

// DefaultEHLOName is the name a check sends in EHLO when none is
// configured: the machine's fully qualified host name (HostEHLOName), else
// the address literal of the connection's local address ("[192.0.2.10]",
// "[IPv6:2001:db8::1]"). Never "localhost": strict servers (Postfix with
// reject_non_fqdn_helo_hostname, many corporate relays) refuse it.
func DefaultEHLOName(local net.Addr) string {
	if h, ok := HostEHLOName(); ok {
		return h
	}
	return AddressLiteral(local)
}

// AddressLiteral is the RFC 5321 address literal of addr's IP
// ("[192.0.2.10]", "[IPv6:2001:db8::1]"); "[127.0.0.1]" when addr has
// no IP.
func AddressLiteral(addr net.Addr) string {
	var ip net.IP
	switch a := addr.(type) {
	case *net.TCPAddr:
		ip = a.IP
	default:
		if addr != nil {
			if host, _, err := net.SplitHostPort(addr.String()); err == nil {
				ip = net.ParseIP(host)
			}
		}
	}
	if ip == nil {
		return "[127.0.0.1]"
	}
	if v4 := ip.To4(); v4 != nil {
		return "[" + v4.String() + "]"
	}
	return "[IPv6:" + ip.String() + "]"
}

// ValidEHLOName reports whether name may be sent in EHLO: a host name
// (letters, digits and hyphens in dot-separated labels, not all digits)
// or an address literal ("[192.0.2.10]", "[IPv6:2001:db8::1]").
func ValidEHLOName(name string) bool {
	if strings.HasPrefix(name, "[") && strings.HasSuffix(name, "]") {
		in := name[1 : len(name)-1]
		if v6, ok := strings.CutPrefix(in, "IPv6:"); ok {
			ip := net.ParseIP(v6)
			return ip != nil && ip.To4() == nil
		}
		ip := net.ParseIP(in)
		return ip != nil && ip.To4() != nil
	}
	n := strings.TrimSuffix(name, ".")
	if n == "" || len(n) > 253 {
		return false
	}
	for _, l := range strings.Split(n, ".") {
		if !isLabel(l) {
			return false
		}
	}
	_, err := strconv.Atoi(strings.ReplaceAll(n, ".", ""))
	return err != nil
}

// isLabel reports whether l is a DNS label: 1–63 letters, digits and
// hyphens, not starting or ending with a hyphen.
func isLabel(l string) bool {
	if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for i := 0; i < len(l); i++ {
		ch := l[i]
		if !('a' <= ch && ch <= 'z' || 'A' <= ch && ch <= 'Z' || '0' <= ch && ch <= '9' || ch == '-') {
			return false
		}
	}
	return true
}

// isLocalhostName reports names that say "this machine" to every server.
func isLocalhostName(h string) bool {
	return h == "localhost" || strings.HasPrefix(h, "localhost.") || strings.HasSuffix(h, ".localhost")
}

// ehloName is the name this check sends in EHLO.
func (c *checker) ehloName() string {
	if c.s.EHLOName != "" {
		return c.s.EHLOName
	}
	if c.defaultEHLO == "" {
		c.defaultEHLO = DefaultEHLOName(c.conn.raw.LocalAddr())
	}
	return c.defaultEHLO
}

// diagnoseHello explains a refused EHLO or HELO (step is StepEHLO, or
// StepTLS for the EHLO after STARTTLS); other failures are diagnoseIO's.
func (c *checker) diagnoseHello(step StepName, err error, since time.Time) *Diagnosis {
	se, ok := asSMTP(err)
	if !ok || se.Code/100 != 5 && se.Code != 450 {
		return c.diagnoseIO(step, err, since)
	}
	return c.ehloRefused(se)
}
