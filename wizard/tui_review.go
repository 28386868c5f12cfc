package wizard

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"charm.land/lipgloss/v2/table"
	"github.com/charmbracelet/x/ansi"

	"sitecfg/config"
	"sitecfg/pipeline"
)

// reviewModel is the review screen: every value in a table, what changes
// on a re-run, warnings, then the go-ahead.
type reviewModel struct {
	sendTest bool
	problems config.Problems
	offset   int
	// rows and expiry are computed when the review opens.
	rows    []ReviewRow
	changes []Change
	expiry  *pipeline.Expiry
}

// openReview checks the whole answers value (the answers file's rules)
// and shows the review.
func (m *tuiModel) openReview() tea.Cmd {
	now := m.deps.Now()
	ps := m.st.Finish(now)
	// Computed here, once: the view does no file I/O.
	m.rev.problems, m.rev.offset = ps, 0
	m.rev.expiry = pipeline.CredentialExpiry(&m.st.Answers, now)
	m.rev.rows, m.rev.changes = ReviewRows(m.st), changesOf(m.run, m.st)
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
		m.st.openAllAdvanced(m.qs) // "edit all" includes the advanced questions
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
	section := func(title string, items []string) {
		b.WriteString(title + "\n")
		for _, it := range items {
			b.WriteString("  " + wrapText(it, w, 4) + "\n")
		}
	}
	// What needs attention comes before the full table.
	if es := m.rev.problems.Errors(); len(es) > 0 {
		var items []string
		for _, p := range es {
			items = append(items, styleErr.Render("✗")+" "+p.String())
		}
		section(styleErr.Render("To fix before saving"), items)
	}
	if m.o.Prev != nil {
		items := []string{styleDim.Render("none: the values are the same")}
		if changes := m.rev.changes; len(changes) > 0 {
			items = items[:0]
			for _, c := range changes {
				switch c.Kind {
				case Added:
					items = append(items, fmt.Sprintf("+ %s: %s (added)", c.Field, c.New))
				case Removed:
					items = append(items, fmt.Sprintf("- %s: %s (removed)", c.Field, c.Old))
				default:
					items = append(items, fmt.Sprintf("~ %s: %s → %s", c.Field, c.Old, c.New))
				}
			}
		}
		section(styleTitle.Render("Changes to the saved configuration"), items)
	}
	if ws := m.rev.problems.Warnings(); len(ws) > 0 {
		var items []string
		for _, p := range ws {
			items = append(items, styleWarn.Render("!")+" "+p.String())
		}
		section(styleWarn.Render("Warnings"), items)
	}
	b.WriteString(reviewTable(m.rev.rows, w) + "\n")
	if x := m.rev.expiry; x != nil && x.Days > config.ExpiryWarnDays {
		if x.What == "client secret" {
			b.WriteString(wrapText(fmt.Sprintf("The client secret expires on %s, in %d days; sitecfg check warns %d days before.", x.Date, x.Days, config.ExpiryWarnDays), w, 0) + "\n")
		} else {
			b.WriteString(wrapText(fmt.Sprintf("The client certificate expires in %d days; sitecfg check warns %d days before.", x.Days, config.ExpiryWarnDays), w, 0) + "\n")
		}
	}
	if c := m.codes; !m.st.Answers.SMTP.Enabled && c.confirmed {
		b.WriteString(wrapText(styleOK.Render("✓")+fmt.Sprintf(" %d recovery codes saved to %s and confirmed; only their hashes go into the config.", len(c.codes), c.path), w, 2) + "\n")
	}
	if len(m.o.Migrations) > 0 {
		var items []string
		for _, n := range m.o.Migrations {
			items = append(items, "• "+n)
		}
		section(styleWarn.Render("The saved file is in an older layout; it is migrated on save:"), items)
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
		StyleFunc(func(row, col int) lipgloss.Style {
			if col == 0 {
				return lipgloss.NewStyle().Padding(0, 1).Foreground(lipgloss.Color("244"))
			}
			return lipgloss.NewStyle().Padding(0, 1)
		})
	for _, r := range rows {
		t.Row(r.Field, ansi.Truncate(r.Value, vw, "…"))
	}
	return t.String()
}
