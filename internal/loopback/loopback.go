// Package loopback holds the one definition of "this machine" that the
// rules and the live check share: where credentials may travel in clear
// text.
package loopback

import (
	"net"
	"strings"
)

// Host reports whether host is "localhost" (any case, a trailing dot
// allowed) or a loopback IPv4/IPv6 literal, bracketed or not. Names under
// .localhost are not: they are resolved through DNS or /etc/hosts and
// could leave the machine.
func Host(host string) bool {
	h := strings.TrimSpace(host)
	if strings.HasPrefix(h, "[") && strings.HasSuffix(h, "]") {
		h = h[1 : len(h)-1]
	}
	if strings.EqualFold(strings.TrimSuffix(h, "."), "localhost") {
		return true
	}
	if i := strings.IndexByte(h, '%'); i >= 0 {
		h = h[:i] // a zone does not change whether the address is loopback
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
