package wizard

import (
	"fmt"
	"slices"
	"strconv"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"sitecfg/recovery"
)

// pageHelp is shown under a page's title.
func pageHelp(p Page) string {
	switch p {
	case PageMS:
		return "Set up Entra ID and Exchange Online first: register an app, create a client secret " +
			"(copy its Value), register its service principal in Exchange Online " +
			"(New-ServicePrincipal), give it the mailbox (App RBAC, or SMTP.SendAsApp " +
			"with FullAccess) and allow it SMTP AUTH (Set-CASMailbox). " +
			"Step by step, with your IDs filled in: sitecfg guide microsoft."
	case PageCodes:
		return "Recovery codes let the admin reset a forgotten password without email. " +
			"Ten one-time codes are made next; you save them and type one back."
	}
	return ""
}

// pagesOf lists the pages that have questions to ask, in flow order. It
// is recomputed from the answers each time a page is left, so pages come
// and go as the answers change.
func pagesOf(qs []*Question, s *State) []Page {
	var out []Page
	for _, q := range Visible(qs, s) {
		if p := q.Page; indexOf(out, p) < 0 {
			out = append(out, p)
		}
	}
	return out
}

func (m *tuiModel) pages() []Page { return pagesOf(m.qs, m.st) }

// binding ties one question to its huh field.
type binding struct {
	q     *Question
	field huh.Field
	input *huh.Input
	sel   *huh.Select[string]
	text  string // Input and Select value
	on    bool   // Confirm value
	note  string // the description shown (password strength)
	// loaded is the answer last loaded into the field, to notice when
	// another answer changed this one (the port follows the security).
	loaded string
	// describe sets the field's description; shownErr is the error last
	// put there, under the field's title, where the operator is typing.
	describe func(string)
	shownErr string
	// auto says how another answer on the page changed this one (the
	// port follows the security), shown under the field until it is
	// answered.
	auto string
}

// noteFor is the description b shows: the question's help (for a UI
// password, with its strength) and, under it, the answer's error.
func (b *binding) noteFor(err string) string {
	note := b.q.Help
	if isUserPassword(b.q) {
		note = strengthNote(b.q, b.text)
	}
	for _, l := range []string{b.auto, err} {
		if l == "" {
			continue
		}
		if note != "" {
			note += "\n"
		}
		if l == err {
			l = "✗ " + l
		}
		note += l
	}
	return note
}

// pageModel is one page: a huh form of one group.
type pageModel struct {
	page  Page
	form  *huh.Form
	binds []*binding
}

// openPage shows page p, with the focus on the field focus (its ID) or
// on the first field.
func (m *tuiModel) openPage(p Page, focus string) tea.Cmd {
	pg := &pageModel{page: p}
	var fields []huh.Field
	for _, q := range Visible(m.qs, m.st) {
		if q.Page == p {
			b := m.newBinding(q)
			pg.binds = append(pg.binds, b)
			fields = append(fields, b.field)
		}
	}
	if len(fields) == 0 {
		return m.nextAfter(p)
	}
	g := huh.NewGroup(fields...).Title(string(p))
	if h := pageHelp(p); h != "" {
		g.Description(h)
	}
	// Errors show under the field they are about (binding.noteFor), not
	// at the foot of the page.
	pg.form = huh.NewForm(g).WithTheme(theme).WithShowHelp(true).WithShowErrors(false)
	m.pg, m.scr = pg, scrForm
	pg.resize(m.w, m.bodyHeight())
	cmds := []tea.Cmd{pg.form.Init()}
	for i, b := range pg.binds {
		if b.q.ID == focus {
			for range i {
				cmds = append(cmds, pg.form.NextField())
			}
			break
		}
	}
	return tea.Batch(cmds...)
}

func (pg *pageModel) resize(w, h int) {
	// huh puts a blank line above its help that its height does not count,
	// and an error can take a second line there.
	pg.form.WithWidth(max(20, min(w, 100)-2)).WithHeight(h - 2)
}

// newBinding builds the huh field for a question. Its Validate stores the
// answer with the question's Set — the validators the answers file uses —
// so an answer is judged as the field is left.
func (m *tuiModel) newBinding(q *Question) *binding {
	b := &binding{q: q}
	switch q.Kind {
	case KindConfirm:
		b.on, _ = parseBool(q.Get(m.st))
		c := huh.NewConfirm().Key(q.ID).Title(q.Title).Description(q.Help).
			Affirmative("Yes").Negative("No").Value(&b.on).
			Validate(func(v bool) error { return m.setAnswer(b, strconv.FormatBool(v)) })
		b.field, b.describe = c, func(d string) { c.Description(d) }
	case KindSelect:
		b.text, b.loaded = q.Get(m.st), q.Get(m.st)
		opts := make([]huh.Option[string], len(q.Options))
		for i, o := range q.Options {
			opts[i] = huh.NewOption(o.Label, o.Value)
		}
		b.sel = huh.NewSelect[string]().Key(q.ID).Title(q.Title).Description(q.Help).
			Options(opts...).Value(&b.text).
			Validate(func(v string) error { return m.setAnswer(b, v) })
		b.field, b.describe = b.sel, func(d string) { b.sel.Description(d) }
	default:
		b.text = q.Get(m.st)
		if q.Kind == KindPassword && b.text == storedSecret(q.ID, m.st) {
			b.text = "" // a kept secret is never put back into a field
		}
		b.loaded = q.Get(m.st)
		b.input = huh.NewInput().Key(q.ID).Title(q.Title).Description(q.Help).
			Value(&b.text).Validate(func(v string) error { return m.setAnswer(b, v) })
		if q.Kind == KindPassword {
			b.input.EchoMode(huh.EchoModePassword)
			if q.SecretStored(m.st) {
				b.input.Placeholder("stored — leave empty to keep")
			}
		}
		b.field, b.describe = b.input, func(d string) { b.input.Description(d) }
	}
	return b
}

// setAnswer stores one answer and refreshes the page's other fields whose
// answers it changed.
func (m *tuiModel) setAnswer(b *binding, v string) error {
	if err := b.q.Set(m.st, v); err != nil {
		return err
	}
	if b.q.Check != nil {
		// Looked at again even when unchanged: the operator may have
		// fixed the file meanwhile (made the folder).
		delete(m.fieldErr, b.q.ID)
		m.toCheck = append(m.toCheck, b.q)
	}
	b.auto = "" // answered: whatever changed it was seen
	if m.pg == nil {
		return nil
	}
	after := false
	for _, o := range m.pg.binds {
		if o == b {
			after = true
		}
		if o == b || o.q.Secret || o.q.Kind == KindConfirm {
			continue
		}
		if cur := o.q.Get(m.st); cur != o.loaded {
			// A change the wizard makes is said under the field, and an
			// edit of b goes on to it: nothing runs before it is seen.
			if o.loaded != "" {
				o.auto = fmt.Sprintf("! Changed from %s to %s to follow %q: Enter keeps it, or type another.", o.loaded, shownValue(cur), b.q.Title)
				if m.editing == b.q.ID && after {
					m.editing = o.q.ID
				}
			}
			o.text, o.loaded = cur, cur
			if o.input != nil {
				o.input.Value(&o.text)
			} else if o.sel != nil {
				o.sel.Value(&o.text)
			}
		}
	}
	return nil
}

// shownValue is an answer as a note quotes it.
func shownValue(v string) string {
	if v == "" {
		return "(empty)"
	}
	return v
}

// strengthNote is the password field's description: its rules and how
// strong the typed password is.
func strengthNote(q *Question, pw string) string {
	if pw == "" {
		return q.Help
	}
	score, hint := recovery.Strength(pw)
	note := fmt.Sprintf("Strength %d/4", score)
	if hint != "" {
		note += ": " + hint
	}
	return q.Help + "\n" + note
}

func isUserPassword(q *Question) bool {
	return q.ID == "users.admin.password" || q.ID == "users.support.password"
}

// updateForm runs the page's form. shift+tab on the first field goes back
// a page; a completed form moves on to the next page that applies.
func (m *tuiModel) updateForm(msg tea.Msg) tea.Cmd {
	pg := m.pg
	if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "shift+tab" && pg.focused() == 0 {
		// Keep what is valid on this field; nothing else needs checking
		// to go back.
		b := pg.binds[0]
		if b.q.Kind == KindConfirm {
			_ = m.setAnswer(b, strconv.FormatBool(b.on))
		} else {
			_ = m.setAnswer(b, b.text)
		}
		m.editing = "" // going back a page: the operator walks the flow again
		return m.prevBefore(pg.page)
	}
	msg, paste := forForm(msg)
	if paste != nil {
		return paste
	}
	before := pg.focused()
	_, cmd := pg.form.Update(msg)
	if k, ok := msg.(tea.KeyPressMsg); ok && before >= 0 && submits(pg.binds[before].q, k.String()) &&
		pg.form.State == huh.StateNormal && m.pg == pg && m.scr == scrForm && before >= 0 &&
		pg.focused() == before && pg.binds[before].field.Error() == nil {
		// Accepted: huh moves the focus on with a command. Until it
		// has, keys typed ahead are held for the next field.
		cmd = tea.Batch(cmd, m.holdFocus(before))
	}
	if checks := m.runChecks(); checks != nil {
		return tea.Batch(checks, m.afterFormUpdate(cmd))
	}
	return m.afterFormUpdate(cmd)
}

// afterFormUpdate ends an edit, shows errors under their fields and
// moves on from a completed page.
func (m *tuiModel) afterFormUpdate(cmd tea.Cmd) tea.Cmd {
	pg := m.pg
	if m.editing != "" {
		if done := m.editDone(); done != nil {
			return done
		}
	}
	m.describeErrors()
	if pg.form.State == huh.StateCompleted {
		if id := m.newlyShown(pg); id != "" {
			// An answer on this page showed another of its questions (a
			// re-run's "make new codes" shows the codes file): the page
			// is laid out again, with the focus there.
			return m.openPage(pg.page, id)
		}
		return m.nextAfter(pg.page)
	}
	return cmd
}

// newlyShown is the first question of pg's page that the answers show now
// but that was hidden when the page was laid out ("" when none): a page's
// fields are fixed while it is on screen.
func (m *tuiModel) newlyShown(pg *pageModel) string {
	for _, q := range Visible(m.qs, m.st) {
		if q.Page != pg.page {
			continue
		}
		if !slices.ContainsFunc(pg.binds, func(b *binding) bool { return b.q == q }) {
			return q.ID
		}
	}
	return ""
}

// describeErrors puts each field's error (and a UI password's strength)
// in its description, under its title, and takes it away once fixed.
func (m *tuiModel) describeErrors() {
	pg := m.pg
	changed := false
	for _, b := range pg.binds {
		msg := ""
		if err := b.field.Error(); err != nil {
			msg = err.Error()
		} else if fe, ok := m.fieldErr[b.q.ID]; ok {
			msg = fe.err.Error()
		}
		if note := b.noteFor(msg); note != b.note || msg != b.shownErr {
			b.note, b.shownErr = note, msg
			b.describe(note)
			changed = true
		}
	}
	if changed {
		pg.form.Update(redraw{}) // the group caches its view
	}
}

// redraw makes the form rebuild its view.
type redraw struct{}

// focused is the index of the focused field.
func (pg *pageModel) focused() int {
	f := pg.form.GetFocusedField()
	for i, b := range pg.binds {
		if b.field == f {
			return i
		}
	}
	return -1
}

// nextAfter opens the page after p, or what follows the last page: the
// recovery codes (SMTP off), then the review.
func (m *tuiModel) nextAfter(p Page) tea.Cmd {
	if cmd := m.backToFieldError(); cmd != nil {
		return cmd
	}
	pages := m.pages()
	if i := indexOf(pages, p); i >= 0 && i+1 < len(pages) {
		return m.openPage(pages[i+1], "")
	}
	if !m.st.Answers.SMTP.Enabled && !m.st.KeepsCodes() {
		return m.openCodes()
	}
	return m.openReview()
}

// prevBefore opens the page before p (the welcome screen before the first).
func (m *tuiModel) prevBefore(p Page) tea.Cmd {
	pages := m.pages()
	i := indexOf(pages, p)
	switch {
	case i > 0:
		return m.openPage(pages[i-1], lastID(m, pages[i-1]))
	case i < 0 && len(pages) > 0:
		return m.openPage(pages[len(pages)-1], "")
	}
	m.scr = scrWelcome
	return nil
}

// lastID is the ID of the last question on page p, to land on when going
// back.
func lastID(m *tuiModel, p Page) string {
	id := ""
	for _, q := range Visible(m.qs, m.st) {
		if q.Page == p {
			id = q.ID
		}
	}
	return id
}

// viewForm is the page's form.
func (m *tuiModel) viewForm() string { return m.pg.form.View() }

// submits reports whether key answers q and moves the focus on: Enter or
// Tab, and for a yes/no question also y and n.
func submits(q *Question, key string) bool {
	switch key {
	case "enter", "tab":
		return true
	case "y", "n", "Y", "N":
		return q.Kind == KindConfirm
	}
	return false
}
