package smtpauth

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"strconv"
	"strings"

	"github.com/emersion/go-smtp"
)

// smtpConn is the client side of one SMTP conversation. It is written here
// rather than taken from go-smtp's Client because the check needs what that
// client hides: each step on its own (banner apart from EHLO), the TLS
// handshake under our control (so a certificate failure is seen as such,
// before any command is sent over it), the transcript above TLS rather than
// under it, and exact knowledge of which lines carry credentials. Replies are
// still returned as go-smtp's *smtp.SMTPError, so callers branch on Code and
// EnhancedCode as they would with go-smtp.
type smtpConn struct {
	raw  *guardedConn // the TCP connection, under the check's deadline
	conn net.Conn     // raw, or TLS on top of it
	rec  *recorder
	text *textproto.Conn
	tr   *transcript
	tls  *tls.ConnectionState // nil until TLS is up

	ext    map[string]string // EHLO keywords, upper-cased
	helo   bool              // the server only took HELO
	banner string
}

func newSMTPConn(raw *guardedConn, tr *transcript) *smtpConn {
	c := &smtpConn{raw: raw, tr: tr}
	c.attach(raw)
	return c
}

// attach makes conn the one commands go over (after a TLS handshake).
func (c *smtpConn) attach(conn net.Conn) {
	c.conn = conn
	c.rec = newRecorder(conn, c.tr)
	c.text = textproto.NewConn(c.rec)
	if tc, ok := conn.(*tls.Conn); ok {
		st := tc.ConnectionState()
		c.tls = &st
	}
}

// readGreeting reads the 220 banner.
func (c *smtpConn) readGreeting() error {
	_, msg, err := c.readReply(220)
	c.banner = msg
	return err
}

// maxReplyLines bounds a multi-line reply (an EHLO has a dozen).
const maxReplyLines = 1000

// readReply reads one (possibly multi-line) reply and, unless expect is 0,
// turns a code other than expect into an *smtp.SMTPError. As in
// net/textproto, an expect below 10 or 100 matches a code's first one or
// two digits. textproto.Reader.ReadResponse is not used: on a line such as
// "SSH-2.0-…" it takes the dash for a continuation and waits for more.
func (c *smtpConn) readReply(expect int) (int, string, error) {
	var lines []string
	code := 0
	for {
		line, err := c.readLine()
		if err != nil {
			return 0, "", err
		}
		n, ok := replyCode(line)
		switch {
		case !ok:
			return 0, "", textproto.ProtocolError("not an SMTP reply: " + quoteStart(line))
		case code != 0 && n != code:
			return 0, "", textproto.ProtocolError("reply code changed within a reply: " + quoteStart(line))
		case len(lines) >= maxReplyLines:
			return 0, "", textproto.ProtocolError("reply of more than 1000 lines")
		}
		code = n
		if len(line) > 4 {
			lines = append(lines, line[4:])
		} else {
			lines = append(lines, "")
		}
		if len(line) == 3 || line[3] == ' ' {
			break
		}
	}
	msg := strings.Join(lines, "\n")
	if expect != 0 && !codeMatches(code, expect) {
		return code, msg, toSMTPError(code, msg)
	}
	return code, msg, nil
}

// readLine reads one line ending in LF. A line cut short by the deadline,
// a reset or the end of the connection is an error, never a reply:
// bufio's ReadLine (under textproto's) would return the fragment ("220 s")
// and drop the error. Its length is bounded by the recorder
// (maxLineBytes).
func (c *smtpConn) readLine() (string, error) {
	line, err := c.text.R.ReadString('\n')
	if err != nil {
		if line != "" && errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return "", err
	}
	line = strings.TrimSuffix(line, "\n")
	return strings.TrimSuffix(line, "\r"), nil
}

// replyCode parses the three digits that start a reply line and checks
// what follows them.
func replyCode(line string) (int, bool) {
	if len(line) < 3 || (len(line) > 3 && line[3] != ' ' && line[3] != '-') {
		return 0, false
	}
	for _, ch := range line[:3] {
		if ch < '0' || ch > '9' {
			return 0, false
		}
	}
	n, _ := strconv.Atoi(line[:3])
	return n, n >= 200 && n < 600
}

func codeMatches(code, expect int) bool {
	switch {
	case expect < 10:
		return code/100 == expect
	case expect < 100:
		return code/10 == expect
	}
	return code == expect
}

// quoteStart quotes the beginning of a line for an error message.
func quoteStart(line string) string {
	if len(line) > 80 {
		line = line[:80] + "…"
	}
	return strconv.Quote(line)
}

// cmd sends one command line and reads the reply. An expect of 0 accepts
// any code.
func (c *smtpConn) cmd(expect int, format string, args ...any) (int, string, error) {
	id, err := c.text.Cmd(format, args...)
	if err != nil {
		return 0, "", err
	}
	c.text.StartResponse(id)
	defer c.text.EndResponse(id)
	return c.readReply(expect)
}

// hello sends EHLO (HELO if the server refuses EHLO) and records the
// extensions offered.
func (c *smtpConn) hello(name string) error {
	_, msg, err := c.cmd(250, "EHLO %s", name)
	var se *smtp.SMTPError
	if errors.As(err, &se) && (se.Code == 500 || se.Code == 502) {
		c.ext, c.helo = map[string]string{}, true
		_, _, err = c.cmd(250, "HELO %s", name)
		return err
	}
	if err != nil {
		return err
	}
	c.ext = map[string]string{}
	lines := strings.Split(msg, "\n")
	for _, l := range lines[1:] {
		k, v, _ := strings.Cut(strings.TrimSpace(l), " ")
		if k == "" {
			continue // a blank line ("250-") offers nothing
		}
		c.ext[strings.ToUpper(k)] = v
	}
	return nil
}

// has reports whether EHLO offered the extension.
func (c *smtpConn) has(ext string) bool {
	_, ok := c.ext[strings.ToUpper(ext)]
	return ok
}

// authMechs are the SASL mechanisms offered, upper-cased. Some old servers
// announce them as "AUTH=PLAIN LOGIN" too.
func (c *smtpConn) authMechs() []string {
	var out []string
	seen := map[string]bool{}
	for _, k := range []string{"AUTH", "AUTH=PLAIN", "AUTH=LOGIN"} {
		v, ok := c.ext[k]
		if !ok {
			continue
		}
		if m, found := strings.CutPrefix(k, "AUTH="); found {
			v = m + " " + v
		}
		for _, m := range strings.Fields(strings.ToUpper(v)) {
			if !seen[m] {
				seen[m] = true
				out = append(out, m)
			}
		}
	}
	return out
}

// startTLS sends STARTTLS and expects 220; the handshake is the caller's.
func (c *smtpConn) startTLS() error {
	_, _, err := c.cmd(220, "STARTTLS")
	return err
}

// remoteIsLoopback reports whether the peer is this machine. It looks at
// the connected address, not at the name the operator typed.
func (c *smtpConn) remoteIsLoopback() bool {
	if a, ok := c.raw.RemoteAddr().(*net.TCPAddr); ok {
		return a.IP.IsLoopback()
	}
	host, _, err := net.SplitHostPort(c.raw.RemoteAddr().String())
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// quit sends QUIT.
func (c *smtpConn) quit() error {
	_, _, err := c.cmd(221, "QUIT")
	return err
}

func (c *smtpConn) close() error {
	return c.conn.Close()
}

// toSMTPError turns a reply into go-smtp's error type, parsing the enhanced
// status code when there is one (RFC 2034 puts it on every line).
func toSMTPError(code int, msg string) *smtp.SMTPError {
	e := &smtp.SMTPError{Code: code, Message: msg}
	first, rest, ok := strings.Cut(msg, " ")
	if !ok {
		return e
	}
	parts := strings.Split(first, ".")
	if len(parts) != 3 {
		return e
	}
	var ec smtp.EnhancedCode
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil {
			return e
		}
		ec[i] = n
	}
	e.EnhancedCode = ec
	e.Message = strings.ReplaceAll(rest, "\n"+first+" ", "\n")
	return e
}

// replyText is a reply as the server wrote it, on one line.
func replyText(se *smtp.SMTPError) string {
	msg := strings.ReplaceAll(se.Message, "\n", " ")
	if se.EnhancedCode != (smtp.EnhancedCode{}) && se.EnhancedCode != smtp.NoEnhancedCode {
		return fmt.Sprintf("%d %d.%d.%d %s", se.Code, se.EnhancedCode[0], se.EnhancedCode[1], se.EnhancedCode[2], msg)
	}
	return fmt.Sprintf("%d %s", se.Code, msg)
}

// enhanced formats an enhanced status code as "5.7.3", or "" when absent.
func enhanced(se *smtp.SMTPError) string {
	if se.EnhancedCode == (smtp.EnhancedCode{}) || se.EnhancedCode == smtp.NoEnhancedCode {
		return ""
	}
	return fmt.Sprintf("%d.%d.%d", se.EnhancedCode[0], se.EnhancedCode[1], se.EnhancedCode[2])
}
