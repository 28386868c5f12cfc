package wizard

import (
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"charm.land/lipgloss/v2/table"

	"sitecfg/config"
	"sitecfg/pipeline"
)

// reviewModel is the review screen: every value in a table, what changes
// on a re-run, warnings, then the go-ahead.
type reviewModel struct {
	sendTest bool
	problems config.Problems
	offset   int
	// sel is the row chosen with ↑/↓, which e edits; follow keeps it in
	// sight (set by ↑/↓, cleared by scrolling a page).
	sel    int
	follow bool
	// rows and expiry are computed when the review opens; editable is,
	// for each row, the question that e opens for it.
	rows     []ReviewRow
	editable []string
	changes  []Change
	expiry   *pipeline.Expiry
	// opening is the review whose rules are being checked (nil: none);
	// seq numbers the openings.
	opening *reviewOpening
	seq     int
}

// reviewOpening is a review on its way: where the operator was when it
// was asked for, and what follows once the rules have been checked.
type reviewOpening struct {
	seq int
	scr screen
	pg  *pageModel
	// afterEdit: an edit from the review or the check ended; a question
	// the edit brought in that nobody answered yet comes first.
	// thenCheck: the edit began on the check screen, which runs again
	// when nothing is wrong.
	afterEdit, thenCheck bool
}

// reviewCheckedMsg is what the rules found about the answers a review
// opening took, and the credential's expiry.
type reviewCheckedMsg struct {
	seq      int
	problems config.Problems
	expiry   *pipeline.Expiry
}

// openReview checks the whole answers value (the answers file's rules)
// and shows the review.
func (m *tuiModel) openReview() tea.Cmd { return m.checkForReview(false, false) }

// checkForReview readies the answers and checks them as a command: the
// rules look at files (the CA file's type, the client certificate), as a
// question's Check does, and Update does no I/O. The review opens when
// the findings come back (reviewChecked); keys typed meanwhile are held
// for it.
func (m *tuiModel) checkForReview(afterEdit, thenCheck bool) tea.Cmd {
	if !afterEdit {
		if cmd := m.backToFieldError(); cmd != nil {
			return cmd
		}
	}
	m.st.normalize()
	m.rev.seq++
	o := &reviewOpening{seq: m.rev.seq, scr: m.scr, pg: m.pg, afterEdit: afterEdit, thenCheck: thenCheck}
	m.rev.opening = o
	// A copy, as the check and the write take: Update owns m.st.
	a, now := m.st.Answers, m.deps.Now()
	check := func() tea.Msg {
		return reviewCheckedMsg{seq: o.seq, problems: a.Validate(now), expiry: pipeline.CredentialExpiry(&a, now)}
	}
	return tea.Batch(check, m.holdForReview(o))
}

// reviewChecked opens the review with the rules' findings, unless the
// operator was taken elsewhere meanwhile (a question's Check found its
// answer wrong).
func (m *tuiModel) reviewChecked(msg reviewCheckedMsg) tea.Cmd {
	o := m.rev.opening
	if o == nil || o.seq != msg.seq {
		return nil
	}
	m.rev.opening = nil
	if m.scr != o.scr || m.pg != o.pg {
		return nil
	}
	if o.afterEdit {
		// A new auth method (say) brings questions nobody answered yet:
		// then the flow goes on through them as usual.
		if next := m.unanswered(msg.problems); next != nil {
			return m.openPage(next.Page, next.ID)
		}
		if cmd := m.backToFieldError(); cmd != nil {
			return cmd
		}
	}
	r := &m.rev
	// Computed here, once: the view does no file I/O.
	r.problems, r.offset, r.expiry = msg.problems, 0, msg.expiry
	r.rows, r.changes = ReviewRows(m.st), changesOf(m.run, m.st)
	r.editable, r.sel = editableFields(m.qs, m.st, r.rows), min(r.sel, max(0, len(r.rows)-1))
	r.follow = true
	m.scr = scrReview
	if o.thenCheck && len(r.problems.Errors()) == 0 && m.st.Answers.SMTP.Enabled {
		return m.startCheck()
	}
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
		// ↑/↓ choose a row; past the first or the last they show what
		// is above or below the table.
		if r.sel > 0 {
			r.sel, r.follow = r.sel-1, true
		} else {
			r.offset, r.follow = 0, false
		}
	case "down", "j":
		if r.sel < len(r.rows)-1 {
			r.sel, r.follow = r.sel+1, true
		} else {
			r.offset, r.follow = 1<<20, false
		}
	case "pgup":
		r.offset, r.follow = r.offset-(h-1), false
	case "pgdown", "space":
		r.offset, r.follow = r.offset+(h-1), false
	case "home":
		r.offset, r.follow = 0, false
	case "t":
		if m.st.Answers.SMTP.Enabled {
			r.sendTest = !r.sendTest
		}
	case "e":
		// One row: its page opens on it, and once it is answered the
		// review comes back.
		if r.sel < len(r.editable) && r.editable[r.sel] != "" {
			return m.editField(r.editable[r.sel], false)
		}
	case "a":
		m.st.openAllAdvanced(m.qs) // "edit all" includes the advanced questions
		return m.openPage(m.pages()[0], "")
	case "shift+tab":
		if !m.st.Answers.SMTP.Enabled && !m.st.KeepsCodes() {
			return m.openCodes()
		}
		pages := m.pages()
		last := pages[len(pages)-1]
		return m.openPage(last, lastID(m, last))
	case "enter":
		if errs := r.problems.Errors(); len(errs) > 0 {
			return m.editField(errs[0].Field, false)
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
		// A long list is counted, not listed: the table above lists it,
		// and this line must leave room for the table.
		if n := len(a.SMTP.DefaultRecipients); n > 1 && len(box+" also send a test message to "+to) > m.contentWidth() {
			to = fmt.Sprintf("the %d default recipients", n)
		}
		fixed = wrapText(fmt.Sprintf("%s also send a test message to %s", box, to), m.contentWidth(), 4)
	}
	lines := strings.Split(m.reviewContent(), "\n")
	h := m.reviewHeight()
	if fixed != "" {
		h -= lineCount(fixed)
	}
	if len(lines) > h {
		pairs = append(pairs, "pgup/pgdn", "scroll")
	}
	if r.sel < len(r.editable) && r.editable[r.sel] != "" {
		pairs = append(pairs, "↑/↓", "choose", "e", "edit "+r.editable[r.sel])
	}
	pairs = append(pairs, "a", "edit all", "shift+tab", "back", "ctrl+c", "quit")
	footer := m.keys(pairs...)
	h = m.bodyHeight() - lineCount(footer)
	if fixed != "" {
		h -= lineCount(fixed)
		footer = fixed + "\n" + footer
	}
	if r.follow {
		// The chosen row (two lines when its label wraps) stays in sight.
		if at := selectedLine(lines); at >= 0 {
			r.offset = min(r.offset, at)
			r.offset = max(r.offset, at+2-h)
		}
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
			items = append(items, style().err.Render("✗")+" "+p.String())
		}
		section(style().err.Render("To fix before saving"), items)
	}
	if m.o.Unreadable {
		section(style().warn.Render("The existing file cannot be read"), []string{"it is replaced by these values and kept as " + m.o.ConfigPath + ".bak"})
	}
	if m.o.Prev != nil {
		items := []string{style().dim.Render("none: the values are the same")}
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
		section(style().title.Render("Changes to the saved configuration"), items)
	}
	if ws := m.rev.problems.Warnings(); len(ws) > 0 {
		var items []string
		for _, p := range ws {
			items = append(items, style().warn.Render("!")+" "+p.String())
		}
		section(style().warn.Render("Warnings"), items)
	}
	if ns := Normalised(m.qs, m.st); len(ns) > 0 {
		section(style().title.Render("Stored in normal form (addresses in lower case, duplicates dropped)"), ns)
	}
	b.WriteString(reviewTable(m.rev.rows, m.rev.sel, w) + "\n")
	if x := m.rev.expiry; x != nil && x.Days > config.ExpiryWarnDays {
		if x.What == "client secret" {
			b.WriteString(wrapText(fmt.Sprintf("The client secret expires on %s, in %d days; sitecfg check warns %d days before.", x.Date, x.Days, config.ExpiryWarnDays), w, 0) + "\n")
		} else {
			b.WriteString(wrapText(fmt.Sprintf("The client certificate expires in %d days; sitecfg check warns %d days before.", x.Days, config.ExpiryWarnDays), w, 0) + "\n")
		}
	}
	if !m.st.Answers.SMTP.Enabled {
		text, warn := codesStatement(m.st, m.codes.confirmed, len(m.codes.codes), m.codes.path)
		mark := style().ok.Render("✓")
		if warn {
			mark = style().warn.Render("!")
		}
		b.WriteString(wrapText(mark+" "+text, w, 2) + "\n")
	}
	if len(m.o.Migrations) > 0 {
		var items []string
		for _, n := range m.o.Migrations {
			items = append(items, "• "+n)
		}
		section(style().warn.Render("The saved file is in an older layout; it is migrated on save:"), items)
	}
	return strings.TrimRight(b.String(), "\n")
}

// reviewTable renders the rows as a table no wider than w, labelled as
// the questions were, each with its field path (the path the diagnoses
// and the answers file use): a column of its own when there is room,
// else after the label. Values are shown in full, wrapped: never cut
// short.
func reviewTable(rows []ReviewRow, sel, w int) string {
	lw, fw := 0, 0
	rows = slices.Clone(rows)
	if sel >= 0 && sel < len(rows) {
		rows[sel].Label = selMark + rows[sel].Label
	}
	for _, r := range rows {
		lw, fw = max(lw, lipgloss.Width(r.Label)), max(fw, lipgloss.Width(r.Field))
	}
	wide := w >= lw+fw+40
	if !wide {
		lw = min(lw+fw+3, max(16, w/2-4))
	}
	vw := max(10, w-lw-7) // borders and padding
	if wide {
		vw = max(10, w-lw-fw-10)
	}
	t := table.New().Border(lipgloss.RoundedBorder()).BorderStyle(style().dim).
		StyleFunc(func(row, col int) lipgloss.Style { return lipgloss.NewStyle().Padding(0, 1) })
	for _, r := range rows {
		if wide {
			t.Row(r.Label, style().dim.Render(r.Field), wrapText(r.Value, vw, 0))
			continue
		}
		t.Row(wrapText(r.Label+" "+style().dim.Render("("+r.Field+")"), lw, 0), wrapText(r.Value, vw, 0))
	}
	return t.String()
}

// selMark starts the label of the row chosen on the review: plain text,
// seen without colour and on any console.
const selMark = "> "

// selectedLine is the index of the line the chosen row starts on, or -1.
func selectedLine(lines []string) int {
	for i, l := range lines {
		if strings.Contains(l, "│ "+selMark) || strings.Contains(l, "| "+selMark) {
			return i
		}
	}
	return -1
}

// editableFields is, for each review row, the field e opens: the row's
// own question, or for a value another answer sets (the server that the
// Microsoft cloud fixes) the question before it that sets it.
func editableFields(qs []*Question, s *State, rows []ReviewRow) []string {
	asked := map[string]bool{}
	for _, q := range Visible(qs, s) {
		asked[q.ID] = true
	}
	out := make([]string, len(rows))
	last := ""
	for i, r := range rows {
		if asked[r.Field] {
			last = r.Field
		}
		out[i] = last
	}
	return out
}

// codesStatement says what the write does with the admin's recovery
// codes: keeps the saved ones, or replaces them with the new ones (which
// stops the old ones working). warn marks a replacement.
func codesStatement(s *State, confirmed bool, n int, path string) (text string, warn bool) {
	saved, at := s.SavedCodes()
	when := ""
	if !at.IsZero() {
		when = " made " + at.UTC().Format("2006-01-02")
	}
	switch {
	case s.KeepsCodes():
		return fmt.Sprintf("Recovery codes: KEPT. The %d saved codes%s keep working; no new codes are made.", saved, when), false
	case saved > 0 && confirmed:
		return fmt.Sprintf("Recovery codes: REPLACED. %d new codes, saved to %s and confirmed; the %d saved codes%s stop working.", n, path, saved, when), true
	case saved > 0:
		return fmt.Sprintf("Recovery codes: REPLACED by new codes; the %d saved codes%s stop working.", saved, when), true
	case confirmed:
		return fmt.Sprintf("Recovery codes: %d new codes saved to %s and confirmed; only their hashes go into the config.", n, path), false
	}
	return "Recovery codes: new codes are made and saved before the write.", false
}
