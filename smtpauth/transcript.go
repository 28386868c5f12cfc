package smtpauth

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// maxLineBytes is the longest reply line accepted from a server. RFC 5321
// allows 512 octets; anything near this limit is not an SMTP server, and
// refusing it keeps a hostile server from filling memory.
const maxLineBytes = 64 << 10

// maxRecordedLine is how much of one line the transcript keeps.
const maxRecordedLine = 512

// maxTranscriptLines bounds the transcript itself (a server can send many
// short lines as easily as one long one).
const maxTranscriptLines = 2000

// headBytes is how much of the start of a server's output is kept apart
// from the transcript, to tell what kind of server it is.
const headBytes = 80

// redacted replaces every credential in the transcript.
const redacted = "<redacted>"

// errLineTooLong is returned when a server sends a line longer than
// maxLineBytes.
var errLineTooLong = errors.New("server sent a line longer than 64 KiB")

// transcript is the conversation, one line per entry. It is shared by the
// recorders of one check (the plain connection, then TLS on top of it) and
// by the token fetch.
type transcript struct {
	mu      sync.Mutex
	lines   []string
	extra   int   // lines dropped beyond maxTranscriptLines
	secrets forms // scrubbed from every line before it is cut
}

// newTranscript is a transcript that scrubs the given secrets (and any
// added later with addSecret) from every line.
func newTranscript(secrets ...string) *transcript {
	return &transcript{secrets: secretForms(nil, secrets...)}
}

// addSecret adds a value learnt during the check (a token, a client
// assertion) to those scrubbed from later lines.
func (t *transcript) addSecret(s string) {
	t.mu.Lock()
	t.secrets = secretForms(t.secrets, s)
	t.mu.Unlock()
}

// forms are the forms of every secret the transcript scrubs.
func (t *transcript) forms() forms {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.secrets[:len(t.secrets):len(t.secrets)]
}

// add records one line: secrets scrubbed from the whole line first, then
// made printable, then cut to maxRecordedLine — cutting first could
// leave part of an echoed secret that no longer matches it.
func (t *transcript) add(prefix, line string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.lines) >= maxTranscriptLines {
		t.extra++
		return
	}
	t.lines = append(t.lines, prefix+recordable(t.secrets.replace(line)))
}

// recordable is line made printable and cut to maxRecordedLine bytes,
// saying how long it was.
func recordable(line string) string {
	total := len(line)
	if total > maxRecordedLine {
		cut := maxRecordedLine
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		line = line[:cut]
	}
	line = Printable(line)
	if total > maxRecordedLine {
		line += fmt.Sprintf(" … (%d bytes)", total)
	}
	return line
}

// absorb appends o's lines (scrubbed of o's secrets already) and learns
// o's secrets: the token request, recorded apart while the SMTP steps
// ran, joins the conversation at the token step.
func (t *transcript) absorb(o *transcript) {
	if o == nil || o == t {
		return
	}
	lines, secrets := o.snapshot(), o.forms()
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, l := range lines {
		if len(t.lines) >= maxTranscriptLines {
			t.extra++
			continue
		}
		t.lines = append(t.lines, l)
	}
	t.secrets = append(t.secrets[:len(t.secrets):len(t.secrets)], secrets...)
}

func (t *transcript) snapshot() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := append([]string(nil), t.lines...)
	if t.extra > 0 {
		out = append(out, fmt.Sprintf("… %d more lines not recorded", t.extra))
	}
	return out
}

// recorder wraps a connection, writing every line read ("S: ") and written
// ("C: ") to the transcript, and failing reads of over-long lines. While
// redacting, the client's lines are replaced so that no SASL response ever
// reaches the transcript.
type recorder struct {
	net.Conn
	t *transcript

	mu        sync.Mutex
	redacting bool
	tooLong   bool
	in, out   lineBuf
	head      []byte // the first bytes read, to recognise TLS, SSH or HTTP
}

func newRecorder(c net.Conn, t *transcript) *recorder {
	return &recorder{Conn: c, t: t}
}

// setRedacting turns redaction of client lines on or off.
func (r *recorder) setRedacting(on bool) {
	r.mu.Lock()
	r.redacting = on
	r.mu.Unlock()
}

// firstBytes returns up to the first headBytes bytes the server sent.
func (r *recorder) firstBytes() []byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]byte(nil), r.head...)
}

func (r *recorder) Read(b []byte) (int, error) {
	r.mu.Lock()
	stop := r.tooLong
	r.mu.Unlock()
	if stop {
		return 0, errLineTooLong
	}
	n, err := r.Conn.Read(b)
	if n > 0 {
		r.mu.Lock()
		defer r.mu.Unlock()
		if len(r.head) < headBytes {
			r.head = append(r.head, b[:min(n, headBytes-len(r.head))]...)
		}
		if r.in.feed(b[:n], func(l string) { r.t.add("S: ", l) }) {
			r.tooLong = true
			r.t.add("S: ", r.in.pending()+" …")
			return 0, errLineTooLong
		}
	}
	return n, err
}

func (r *recorder) Write(b []byte) (int, error) {
	r.mu.Lock()
	red := r.redacting
	r.out.feed(b, func(l string) {
		if red {
			l = redactClientLine(l)
		}
		r.t.add("C: ", l)
	})
	r.mu.Unlock()
	return r.Conn.Write(b)
}

// redactClientLine keeps the command and mechanism of an AUTH line and
// replaces everything else a client says during authentication.
func redactClientLine(l string) string {
	if l == "*" || l == "" {
		return l // cancelling, or acknowledging an error challenge
	}
	f := strings.Fields(l)
	if len(f) >= 2 && strings.EqualFold(f[0], "AUTH") {
		if len(f) == 2 {
			return f[0] + " " + f[1]
		}
		return f[0] + " " + f[1] + " " + redacted
	}
	return redacted
}

// lineBuf splits a byte stream into lines of at most maxLineBytes. The
// whole line is kept so that the transcript can scrub secrets before it
// cuts it.
type lineBuf struct {
	buf   []byte
	total int // bytes in the current line, kept or not
}

// feed adds b, calling emit for each complete line. It reports whether the
// current line has grown beyond maxLineBytes.
func (lb *lineBuf) feed(b []byte, emit func(string)) bool {
	for _, c := range b {
		if c == '\n' {
			emit(lb.pending())
			lb.buf, lb.total = lb.buf[:0], 0
			continue
		}
		lb.total++
		if len(lb.buf) < maxLineBytes {
			lb.buf = append(lb.buf, c)
		}
		if lb.total > maxLineBytes {
			return true
		}
	}
	return false
}

// pending is the current (incomplete) line as received (the transcript
// makes it printable).
func (lb *lineBuf) pending() string {
	return strings.TrimSuffix(string(lb.buf), "\r")
}

// Printable is s safe to show on a terminal: control characters (C0
// except tab and newline, DEL, C1 — ESC and CSI start the sequences that
// clear a screen, set a window title or write the clipboard), Unicode
// format characters (bidi overrides such as U+202E, zero-width spaces)
// and invalid UTF-8 are shown escaped (\x1b, \u202e). Every string a
// server supplies goes through it before it is displayed.
func Printable(s string) string {
	clean := true
	for _, r := range s {
		if unsafeRune(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < 0x100 && unsafeRune(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// unsafeRune is a character Printable escapes.
func unsafeRune(r rune) bool {
	switch {
	case r == '\t' || r == '\n':
		return false
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		return true
	case r == utf8.RuneError:
		return true
	}
	return unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}
