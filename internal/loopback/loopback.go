// Package loopback is the one definition of "this machine" for host names
// taken from settings: where a credential may travel without TLS. It does
// no I/O: a name that needs DNS (or /etc/hosts) to resolve is not
// loopback, however it is spelt.
package loopback

import (
	"net"
	"strings"
)

// Host reports whether host names this machine without a lookup:
// "localhost" (any case, with or without a trailing dot) or a loopback IP
// literal (127.0.0.0/8, ::1, IPv4-mapped forms), IPv6 bracketed or not.
// Names under .localhost are not: they resolve through DNS or the hosts
// file, which may send them elsewhere.
func Host(host string) bool {
	h := strings.TrimSpace(host)
	if strings.EqualFold(strings.TrimSuffix(h, "."), "localhost") {
		return true
	}
	if strings.HasPrefix(h, "[") && strings.HasSuffix(h, "]") {
		h = h[1 : len(h)-1]
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
