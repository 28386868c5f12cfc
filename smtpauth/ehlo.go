package smtpauth

import (
	"net"
	"os"
	"strings"
	"time"

	"sitecfg/internal/hostname"
)

// HostEHLOName is this machine's host name when it is fully qualified (it
// has a dot, may be sent in EHLO by the rule smtp.ehlo_name is held to —
// hostname.ValidEHLO — and is not a localhost name), the EHLO name a check
// uses by default; ok is false otherwise.
func HostEHLOName() (name string, ok bool) {
	h, err := os.Hostname()
	if err != nil {
		return "", false
	}
	h = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), ".")
	if !strings.Contains(h, ".") || !hostname.ValidEHLO(h) || isLocalhostName(h) {
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
