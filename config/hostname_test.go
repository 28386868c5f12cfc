package config

import (
	"testing"

	"sitecfg/internal/hostname"
)

// smtp.ehlo_name is held to the rule the live check applies to the
// machine's own name: one rule, accepted and refused alike.
func TestEHLONameRuleIsTheCheckRule(t *testing.T) {
	for _, name := range []string{
		"node1.cluster.example.com", "mail-1.example.com.", "host", "[192.0.2.10]", "[IPv6:2001:db8::1]",
		"", "a_b.example.com", "-a.example.com", "1.2.3.4", "[2001:db8::1]", "[IPv6:192.0.2.1]",
		"[999.1.1.1]", "a..b", "with space.example", "[ipv6:2001:db8::1]", "2001:db8::1", "[]",
	} {
		if got, want := ValidateEHLOName(name) == nil, hostname.ValidEHLO(name); got != want {
			t.Errorf("ValidateEHLOName(%q) accepts: %v; the check's rule: %v", name, got, want)
		}
	}
}
