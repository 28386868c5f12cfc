package wizard

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"charm.land/lipgloss/v2/table"
	"github.com/charmbracelet/x/ansi"

	"sitecfg/config"
)

// reviewModel is the review screen: every value in a table, what changes
// on a re-run, warnings, then the go-ahead.
type reviewModel struct {
	sendTest bool
	problems config.Problems
	offset   int
}

// openReview checks the whole answers value (the answers file's rules)
// and shows the review.
func (m *tuiModel) openReview() tea.Cmd {
	ps := m.st.Finish()
	if a := m.st.Answers.SMTP; a.Enabled && a.Auth.IsOAuth() {
		ps = append(ps, ExpiryProblems(a.OAuth, m.deps.Now())...)
	}
	m.rev.problems, m.rev.offset = ps, 0
	m.scr = scrReview
	return nil
}

func (m *tuiModel) updateReview(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	r := &m.rev
	h := m.reviewHeight()
	switch k.String() {
	case "up", "k":
		r.offset--
	case "down", "j":
		r.offset++
	case "pgup":
		r.offset -= h - 1
	case "pgdown", "space":
		r.offset += h - 1
	case "home":
		r.offset = 0
	case "t":
		if m.st.Answers.SMTP.Enabled {
			r.sendTest = !r.sendTest
		}
	case "e":
		return m.openPage(m.pages()[0], "")
	case "shift+tab":
		if !m.st.Answers.SMTP.Enabled {
			return m.openCodes()
		}
		pages := m.pages()
		last := pages[len(pages)-1]
		return m.openPage(last, lastID(m, last))
	case "enter":
		if errs := r.problems.Errors(); len(errs) > 0 {
			return m.editField(errs[0].Field)
		}
		if !m.st.Answers.SMTP.Enabled {
			return m.commit()
		}
		return m.startCheck()
	}
	r.clamp(h)
	return nil
}

// clamp keeps the scroll offset inside the content.
func (r *reviewModel) clamp(h int) {
	r.offset = max(0, r.offset)
	_ = h // the upper bound is applied when rendering, where the content is known
}

// reviewHeight is the room for the scrolled content (the keys take up to
// two lines).
func (m *tuiModel) reviewHeight() int { return max(3, m.bodyHeight()-2) }

func (m *tuiModel) viewReview() string {
	r := &m.rev
	a := m.st.Answers
	var pairs []string
	switch {
	case len(r.problems.Errors()) > 0:
		pairs = []string{"enter", "fix " + r.problems.Errors()[0].Field}
	case a.SMTP.Enabled:
		pairs = []string{"enter", "check & save", "t", "test message"}
	default:
		pairs = []string{"enter", "save"}
	}
	// The test message choice stays in sight under the scrolled part.
	fixed := ""
	if a.SMTP.Enabled {
		box := "[ ]"
		if r.sendTest {
			box = "[x]"
		}
		to := strings.Join(a.SMTP.DefaultRecipients, ", ")
		if to == "" {
			to = a.Emails.AdmiralAlerts
		}
		fixed = fmt.Sprintf("%s also send a test message to %s", box, to)
	}
	lines := strings.Split(m.reviewContent(), "\n")
	h := m.reviewHeight()
	if fixed != "" {
		h--
	}
	if len(lines) > h {
		pairs = append(pairs, "↑/↓", "scroll")
	}
	pairs = append(pairs, "shift+tab", "back", "e", "edit all", "ctrl+c", "quit")
	footer := m.keys(pairs...)
	h = m.bodyHeight() - lineCount(footer)
	if fixed != "" {
		h--
		footer = fixed + "\n" + footer
	}
	r.offset = min(r.offset, max(0, len(lines)-h))
	end := min(len(lines), r.offset+h)
	return padTo(strings.Join(lines[r.offset:end], "\n"), footer, m.bodyHeight())
}

// reviewContent is the whole review, before scrolling.
func (m *tuiModel) reviewContent() string {
	w := m.contentWidth()
	var b strings.Builder
	b.WriteString("Check every value; secrets are never shown.\n")
	b.WriteString(reviewTable(ReviewRows(m.st), w) + "\n")

	if m.o.Prev != nil {
		changes := Diff(m.o.Prev, m.st)
		b.WriteString("\n" + styleTitle.Render("Changes to the saved configuration") + "\n")
		if len(changes) == 0 {
			b.WriteString(styleDim.Render("  none: the values are the same") + "\n")
		}
		for _, c := range changes {
			var s string
			switch c.Kind {
			case Added:
				s = fmt.Sprintf("+ %s: %s (added)", c.Field, c.New)
			case Removed:
				s = fmt.Sprintf("- %s: %s (removed)", c.Field, c.Old)
			default:
				s = fmt.Sprintf("~ %s: %s → %s", c.Field, c.Old, c.New)
			}
			b.WriteString("  " + wrapText(s, w, 4) + "\n")
		}
	}
	if len(m.o.Migrations) > 0 {
		b.WriteString("\n" + styleWarn.Render("The saved file is in an older layout; it is migrated on save:") + "\n")
		for _, n := range m.o.Migrations {
			b.WriteString("  " + wrapText("• "+n, w, 4) + "\n")
		}
	}
	if ws := m.rev.problems.Warnings(); len(ws) > 0 {
		b.WriteString("\n" + styleWarn.Render("Warnings") + "\n")
		for _, p := range ws {
			b.WriteString("  " + wrapText(styleWarn.Render("!")+" "+p.String(), w, 4) + "\n")
		}
	}
	if es := m.rev.problems.Errors(); len(es) > 0 {
		b.WriteString("\n" + styleErr.Render("To fix before saving") + "\n")
		for _, p := range es {
			b.WriteString("  " + wrapText(styleErr.Render("✗")+" "+p.String(), w, 4) + "\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// reviewTable renders the rows as a two-column table no wider than w.
func reviewTable(rows []ReviewRow, w int) string {
	fw := 0
	for _, r := range rows {
		fw = max(fw, lipgloss.Width(r.Field))
	}
	vw := max(10, w-fw-7) // borders and padding
	t := table.New().Border(lipgloss.RoundedBorder()).BorderStyle(styleDim).
		Headers("Setting", "Value").
		StyleFunc(func(row, col int) lipgloss.Style {
			s := lipgloss.NewStyle().Padding(0, 1)
			if row == table.HeaderRow {
				return s.Bold(true)
			}
			return s
		})
	for _, r := range rows {
		t.Row(r.Field, ansi.Truncate(r.Value, vw, "…"))
	}
	return t.String()
}
