package smtpauth

import (
	"net"
	"strings"
	"testing"
)

// A failed lookup of Exchange Online's published host is this machine's
// DNS: no field to fix, and never "use the IP address". Any other host
// keeps the usual reading.
func TestExchangeLookupFailure(t *testing.T) {
	notFound := &net.DNSError{Err: "no such host", Name: "smtp.office365.com", IsNotFound: true}
	c := &checker{s: Settings{Host: "smtp.office365.com", Port: 587}}
	d := c.diagnoseResolve(notFound)
	if d.Code != CodeDNSNotFound || d.Field != "" || strings.Contains(d.Remedy, "IP address") && !strings.Contains(d.Remedy, "do not put an IP address") ||
		!strings.Contains(d.Remedy, "DNS") {
		t.Errorf("Exchange lookup: %+v", d)
	}
	c.s.Host = "smtp.example.com"
	if d := c.diagnoseResolve(notFound); d.Field != "smtp.server" || !strings.Contains(d.Remedy, "spelling") {
		t.Errorf("other lookup: %+v", d)
	}
}
