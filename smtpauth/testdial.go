//go:build !sitecfg_e2e

package smtpauth

import (
	"context"
	"net"
)

// testDial is nil in every build but the end-to-end tests' own
// (testdial_e2e.go): a shipped binary always dials the configured server.
func testDial(string) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return nil
}
