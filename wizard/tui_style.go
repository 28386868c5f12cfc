package wizard

import (
	"fmt"
	"strings"
	"sync"

	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// styles are the wizard's screens' styles. Colour is decoration only:
// every state is also said in words or symbols, so the screens read the
// same without colour (and in the text goldens).
type styles struct {
	brand, title, dim, ok, warn, err, key lipgloss.Style
}

// style makes the styles on first use: a command that draws no screen
// does not touch lipgloss at start-up (issue 12, "commands that draw no TUI
// must not pay for it").
var style = sync.OnceValue(func() *styles {
	return &styles{
		brand: lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("#7571F9")),
		title: lipgloss.NewStyle().Bold(true),
		dim:   lipgloss.NewStyle().Foreground(lipgloss.Color("244")),
		ok:    lipgloss.NewStyle().Foreground(lipgloss.Color("#02BF87")),
		warn:  lipgloss.NewStyle().Foreground(lipgloss.Color("#E0A500")),
		err:   lipgloss.NewStyle().Foreground(lipgloss.Color("#ED567A")),
		key:   lipgloss.NewStyle().Bold(true),
	}
})

// theme is the forms' theme: huh's Charm theme, with the chosen Yes/No
// button marked in text ("[ Yes ]") so that the selection shows without
// colour (NO_COLOR, a monochrome console).
var theme = huh.ThemeFunc(func(isDark bool) *huh.Styles {
	t := huh.ThemeCharm(isDark)
	mark := func(s string) string { return "[ " + s + " ]" }
	pad := func(s string) string { return "  " + s + "  " }
	for _, fs := range []*huh.FieldStyles{&t.Focused, &t.Blurred} {
		fs.FocusedButton = fs.FocusedButton.Padding(0, 1).Transform(mark)
		fs.BlurredButton = fs.BlurredButton.Padding(0, 1).Transform(pad)
	}
	return t
})

// asciiFolds replace what a Linux console font (TERM=linux) or a serial
// terminal cannot show with plain ASCII; the braille spinner is swapped
// for a line spinner where the spinner is made.
var asciiFolds = sync.OnceValue(func() *strings.Replacer {
	return strings.NewReplacer(
		"✓", "+", "✗", "x", "•", "*", "…", "...", "→", "->", "←", "<-", "·", "-",
		"↑", "^", "↓", "v", "—", "-", "–", "-", "┃", "|", "│", "|", "─", "-",
		"╭", "+", "╮", "+", "╰", "+", "╯", "+", "├", "+", "┤", "+", "┬", "+", "┴", "+", "┼", "+",
		"▸", ">", "›", ">", "‹", "<", "\u2011", "-", "«", "<<", "»", ">>", "●", "*", "○", "o",
	)
})

// foldASCII is s with every glyph a plain console lacks replaced; any
// other non-ASCII rune left (a server's words, a name) is kept.
func foldASCII(s string) string { return asciiFolds().Replace(s) }

// header is the top line: where the operator is in the flow.
func (m *tuiModel) header() string {
	where := ""
	switch m.scr {
	case scrWelcome:
		where = "Welcome"
	case scrForm:
		pages := m.pages()
		i := indexOf(pages, m.pg.page)
		where = fmt.Sprintf("Step %d of %d · %s", i+1, len(pages), m.pg.page)
	case scrCodes:
		where = "Recovery codes"
	case scrReview:
		where = "Review"
	case scrCheck:
		where = "Live check"
	case scrDone:
		where = "Done"
	}
	left := style().brand.Render("sitecfg") + "  " + style().title.Render(where)
	right := style().dim.Render(m.o.ConfigPath)
	gap := m.w - lipgloss.Width(left) - lipgloss.Width(right) - 1
	if gap < 2 {
		return left
	}
	return left + strings.Repeat(" ", gap) + right
}

// keys renders the help line, "enter start · ctrl+c quit", wrapped to the
// terminal's width.
func (m *tuiModel) keys(pairs ...string) string {
	sep := style().dim.Render(" · ")
	var lines []string
	cur := ""
	for i := 0; i+1 < len(pairs); i += 2 {
		part := style().key.Render(pairs[i]) + " " + style().dim.Render(pairs[i+1])
		switch {
		case cur == "":
			cur = part
		case lipgloss.Width(cur)+3+lipgloss.Width(part) > m.w-1:
			lines = append(lines, cur)
			cur = part
		default:
			cur += sep + part
		}
	}
	return strings.Join(append(lines, cur), "\n")
}

// wrapText wraps plain or styled text to width, indenting continuation
// lines by indent spaces.
func wrapText(s string, width, indent int) string {
	if width <= indent+10 {
		return s
	}
	// ansi.Wrap always breaks after a hyphen, which splits dates, GUIDs
	// and file names: hide hyphens from it behind a non-breaking one.
	w := ansi.Wrap(strings.ReplaceAll(s, "-", "\u2011"), width-indent, "")
	w = strings.ReplaceAll(w, "\u2011", "-")
	if indent == 0 {
		return w
	}
	pad := strings.Repeat(" ", indent)
	lines := strings.Split(w, "\n")
	for i := range lines {
		if i > 0 {
			lines[i] = pad + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}

// fit clips a screen to the terminal: no line wider than w, no more than h
// lines, so nothing scrolls or wraps whatever the size.
func fit(s string, w, h int) string { return fitTail(s, w, h, "…") }

// fitTail is fit with the given mark for a clipped line.
func fitTail(s string, w, h int, tail string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if h > 0 && len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		l = strings.TrimRight(l, " ")
		if w > 0 && ansi.StringWidth(l) > w {
			l = ansi.Truncate(l, w, tail)
		}
		lines[i] = l
	}
	return strings.Join(lines, "\n")
}

// padTo puts footer at the bottom of an h-line body.
func padTo(body, footer string, h int) string {
	lines := strings.Split(strings.TrimRight(body, "\n"), "\n")
	room := h - lipgloss.Height(footer)
	if len(lines) > room && room > 1 {
		// Keep the keys visible: clip the body, and say it was clipped.
		lines = append(lines[:room-1], style().dim.Render("…"))
	}
	for len(lines) < room {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n") + "\n" + footer
}

func indexOf[T comparable](xs []T, x T) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}
