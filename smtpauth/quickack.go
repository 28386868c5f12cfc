package smtpauth

import (
	"net"

	"sitecfg/internal/quickack"
)

// quickAck turns TCP_QUICKACK on before every read (package quickack says
// why). Variable so tests can measure without it.
var quickAck = true

// withQuickAck wraps c for quick ACKs unless a test turned them off.
func withQuickAck(c net.Conn) net.Conn {
	if !quickAck {
		return c
	}
	return quickack.Wrap(c)
}
