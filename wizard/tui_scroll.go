package wizard

import (
	"fmt"
	"strings"
)

// scroller is where a screen taller than the terminal is scrolled to. A
// screen that scrolls says so in its footer (scrollKeys), and the keys it
// names move it: ↑/↓ (k/j), PgUp/PgDn, Home/End.
type scroller struct{ offset int }

// scrollKeys are the footer's key pairs for a screen that scrolls.
var scrollKeys = []string{"↑/↓ pgup/pgdn", "scroll"}

// key moves the offset for a scrolling key, page lines being one screen,
// and reports whether k was one.
func (s *scroller) key(k string, page int) bool {
	switch k {
	case "up", "k":
		s.offset--
	case "down", "j":
		s.offset++
	case "pgup":
		s.offset -= max(1, page-1)
	case "pgdown":
		s.offset += max(1, page-1)
	case "home":
		s.offset = 0
	case "end":
		s.offset = 1 << 20
	default:
		return false
	}
	s.offset = max(0, s.offset)
	return true
}

// view fits body, then pinned, then the footer into h lines. pinned and
// the footer always show; body scrolls when it does not fit, with a line
// saying how much more there is above or below. footer gets whether the
// body scrolls (to name the keys).
func (s *scroller) view(body, pinned string, footer func(scrolls bool) string, h int) string {
	lines := strings.Split(strings.TrimRight(body, "\n"), "\n")
	var pin []string
	if pinned != "" {
		pin = strings.Split(strings.TrimRight(pinned, "\n"), "\n")
	}
	room := h - len(pin) - lineCount(footer(false))
	scrolls := len(lines) > room
	f := footer(scrolls)
	if !scrolls {
		return padTo(strings.Join(append(lines, pin...), "\n"), f, h)
	}
	room = max(3, h-len(pin)-lineCount(f))
	// The marker lines take room of their own: at the bottom the "above"
	// marker and room-1 lines show.
	s.offset = min(s.offset, max(0, len(lines)-room))
	var out []string
	start := s.offset
	if start > 0 {
		out = append(out, style().dim.Render(fmt.Sprintf("↑ %d more lines above", start+1)))
		start++
	}
	end := min(len(lines), start+room-len(out))
	if end < len(lines) {
		end--
	}
	out = append(out, lines[start:end]...)
	if end < len(lines) {
		out = append(out, style().dim.Render(fmt.Sprintf("↓ %d more lines below (↓ or pgdn)", len(lines)-end)))
	}
	return padTo(strings.Join(append(out, pin...), "\n"), f, h)
}
