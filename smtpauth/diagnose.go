package smtpauth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"os"
	"strings"
	"syscall"
	"time"
)

// isTimeout reports whether err is a deadline or timeout.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) ||
		(errors.As(err, &ne) && ne.Timeout())
}

// isDropped reports whether err means the server closed the connection.
func isDropped(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, net.ErrClosed)
}

// cancelled is the diagnosis when the caller cancelled the check (rather
// than it timing out), or nil.
func (c *checker) cancelled() *Diagnosis {
	if c.parent.Err() == nil || errors.Is(c.parent.Err(), context.DeadlineExceeded) {
		return nil
	}
	return &Diagnosis{Code: CodeCancelled, Summary: "the check was cancelled", Remedy: "run the check again"}
}

// noAnswer is the wording for every timeout: the operator learns which
// server kept silent, and for how long.
func (c *checker) noAnswer(step StepName, since time.Time) *Diagnosis {
	return &Diagnosis{
		Code:    CodeTimeout,
		Summary: fmt.Sprintf("no answer from %s after %s (during %s)", c.addr, c.elapsed(since), step),
		Remedy:  "the server stopped answering: check that it is up and not overloaded, and that no firewall or proxy drops the connection; a longer timeout may help a slow server",
	}
}

// diagnoseResolve explains a failed DNS lookup.
func (c *checker) diagnoseResolve(err error) *Diagnosis {
	return exchangeNetwork(c.s, c.diagnoseResolveAny(err))
}

func (c *checker) diagnoseResolveAny(err error) *Diagnosis {
	d := &Diagnosis{Code: CodeDNSFailed, Field: "smtp.server", ServerSaid: err.Error()}
	var de *net.DNSError
	switch {
	case errors.As(err, &de) && de.IsNotFound:
		d.Code = CodeDNSNotFound
		d.Summary = fmt.Sprintf("the server name %q does not exist in DNS", c.s.Host)
		d.Remedy = "check the spelling of smtp.server, or use the server's IP address"
	case isTimeout(err):
		d.Code = CodeDNSTimeout
		d.Summary = fmt.Sprintf("looking up %q timed out", c.s.Host)
		d.Remedy = "check this machine's DNS servers (/etc/resolv.conf) and that they are reachable"
	default:
		d.Summary = fmt.Sprintf("could not look up %q: %v", c.s.Host, err)
		d.Remedy = "check smtp.server and this machine's DNS configuration"
	}
	return d
}

// diagnoseConnect explains a failed TCP connection.
func (c *checker) diagnoseConnect(err error, since time.Time) *Diagnosis {
	return exchangeNetwork(c.s, c.diagnoseConnectAny(err, since))
}

func (c *checker) diagnoseConnectAny(err error, since time.Time) *Diagnosis {
	if d := c.cancelled(); d != nil {
		return d
	}
	d := &Diagnosis{ServerSaid: err.Error()}
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		d.Code, d.Field = CodeConnectRefused, "smtp.port"
		d.Summary = fmt.Sprintf("%s refused the connection: nothing listens on port %d there", c.addr, c.s.Port)
		d.Remedy = "check smtp.port (587 for STARTTLS, 465 for implicit TLS, 25 for relays) and smtp.server, and that the mail service is running"
	case isTimeout(err):
		d.Code, d.Field = CodeConnectTimeout, "smtp.server"
		d.Summary = fmt.Sprintf("no answer from %s after %s: the connection was never accepted", c.addr, c.elapsed(since))
		d.Remedy = "a firewall is probably dropping the connection (outbound port " + fmt.Sprint(c.s.Port) + " is often blocked); check the address, the port and the firewalls in between"
	case errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH):
		d.Code, d.Field = CodeConnectUnreachable, "smtp.server"
		d.Summary = fmt.Sprintf("%s is unreachable from this machine (no route)", c.addr)
		d.Remedy = "check smtp.server and this machine's network and routes"
	default:
		d.Code, d.Field = CodeConnectFailed, "smtp.server"
		d.Summary = fmt.Sprintf("could not connect to %s: %v", c.addr, err)
		d.Remedy = "check smtp.server and smtp.port"
	}
	return d
}

// diagnoseIO explains an error in the SMTP conversation that no more
// specific rule covers.
func (c *checker) diagnoseIO(step StepName, err error, since time.Time) *Diagnosis {
	if d := c.cancelled(); d != nil {
		return d
	}
	var pe textproto.ProtocolError
	switch {
	case errors.Is(err, errLineTooLong):
		return &Diagnosis{
			Code:    CodeLineTooLong,
			Summary: "the server sent a reply line longer than 64 KiB (SMTP allows 512 bytes): this does not look like an SMTP server",
			Field:   "smtp.port",
			Remedy:  "check smtp.server and smtp.port point at the mail server's SMTP service",
		}
	case isTimeout(err):
		return c.noAnswer(step, since)
	case isDropped(err):
		return &Diagnosis{
			Code:    CodeConnectionDropped,
			Summary: fmt.Sprintf("%s closed the connection during %s", c.addr, step),
			Remedy:  "the server hung up without an SMTP reply; its logs say why (a policy, a blocklist, too many failed logins, a crash)",
		}
	case errors.As(err, &pe):
		return c.notSMTP(pe.Error())
	}
	if se, ok := asSMTP(err); ok {
		if d := diagnoseExchange(c.s, step, se); d != nil {
			return d
		}
		return &Diagnosis{
			Code:       ReplyCode(se.Code, ""),
			Summary:    fmt.Sprintf("the server refused at %s: %s", step, replyText(se)),
			Remedy:     "read what the server said; its administrator can tell why",
			ServerSaid: replyText(se),
		}
	}
	return &Diagnosis{Code: CodeIOError, Summary: fmt.Sprintf("%s failed: %v", step, err), Remedy: "retry; if it persists, check the network path to the server"}
}

// notSMTP is the diagnosis for a peer that does not speak SMTP.
func (c *checker) notSMTP(detail string) *Diagnosis {
	head := string(c.conn.rec.firstBytes())
	like := ""
	for _, p := range []struct{ prefix, proto string }{
		{"HTTP/", "a web server"}, {"SSH-", "an SSH server"}, {"+OK", "a POP3 server"}, {"* OK", "an IMAP server"},
	} {
		if strings.HasPrefix(head, p.prefix) {
			like = " (it looks like " + p.proto + ")"
		}
	}
	return &Diagnosis{
		Code:       CodeNotSMTP,
		Field:      "smtp.port",
		Summary:    fmt.Sprintf("%s does not look like an SMTP server%s: %s", c.addr, like, detail),
		Remedy:     "check smtp.server and smtp.port: an SMTP server greets with a line starting 220",
		ServerSaid: Printable(strings.TrimSpace(firstLine(head))),
	}
}
