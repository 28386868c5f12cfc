package wizard

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"sitecfg/config"
)

// Editing one field from the check or the review, and the checks of
// answers that only the file system can judge (Question.Check), which
// run as commands and bring the operator back to the field.

// editField opens the page of the question with that field path with the
// focus on it; every other answer is kept. Once that field (and its
// confirmation) is answered, the wizard returns to the review, and from
// there to the check when the edit began on the check screen.
func (m *tuiModel) editField(field string, fromCheck bool) tea.Cmd {
	q := Find(m.qs, m.st, field)
	if q == nil {
		m.editing = ""
		return m.openPage(m.pages()[0], "")
	}
	m.editing, m.editFromCheck = q.ID, fromCheck
	return m.openPage(q.Page, q.ID)
}

// editDone ends an edit once the edited field was answered: the focus
// moved past it (and past its confirmation) or the page is complete.
func (m *tuiModel) editDone() tea.Cmd {
	pg := m.pg
	at := -1
	for i, b := range pg.binds {
		if b.q.ID == m.editing {
			at = i
		}
	}
	i := pg.focused()
	moved := at >= 0 && i > at && !strings.HasSuffix(pg.binds[i].q.ID, "_confirm")
	if pg.form.State != huh.StateCompleted && !moved {
		return nil
	}
	if pg.form.State != huh.StateCompleted {
		// The fields after it keep their answers; store what is shown.
		for _, b := range pg.binds[at+1 : i] {
			_ = m.setAnswer(b, b.text)
		}
	}
	fromCheck := m.editFromCheck
	m.editing, m.editFromCheck = "", false
	// The review's check of the answers decides where the edit leads
	// (reviewChecked): a question still to answer, the review, or the
	// check again.
	return m.checkForReview(true, fromCheck)
}

// unanswered is the first visible question on a page not yet visited
// since the answers changed, or nil: a page whose every question
// applies but whose required answers are empty (ps are the rules'
// findings about the answers as they are).
func (m *tuiModel) unanswered(ps config.Problems) *Question {
	for _, p := range ps.Errors() {
		if q := Find(m.qs, m.st, p.Field); q != nil && q.Get(m.st) == "" && !q.SecretStored(m.st) {
			return q
		}
	}
	return nil
}

// fieldCheckMsg is what a question's Check found about an answer.
type fieldCheckMsg struct {
	id, answer string
	err        error
}

// runChecks runs the Check of every question just answered, each as a
// command: the disk is looked at off Update.
func (m *tuiModel) runChecks() tea.Cmd {
	var cmds []tea.Cmd
	for _, q := range m.toCheck {
		id, ans, check := q.ID, q.Get(m.st), q.Check
		cmds = append(cmds, func() tea.Msg { return fieldCheckMsg{id: id, answer: ans, err: check(ans)} })
	}
	m.toCheck = nil
	return tea.Batch(cmds...)
}

// fieldChecked takes a Check's finding: a problem brings the operator
// back to the field, with the problem under it; an answer changed since
// is judged again by its own check.
func (m *tuiModel) fieldChecked(msg fieldCheckMsg) tea.Cmd {
	q := Find(m.qs, m.st, msg.id)
	if q == nil || q.ID != msg.id || q.Get(m.st) != msg.answer {
		return nil
	}
	if msg.err == nil {
		delete(m.fieldErr, msg.id)
		if m.scr == scrForm {
			m.describeErrors()
		}
		return nil
	}
	m.fieldErr[msg.id] = msg
	if m.scr == scrForm && m.pg.page == q.Page {
		if i := m.pg.focused(); i >= 0 && m.pg.binds[i].q.ID == q.ID {
			m.describeErrors()
			return nil
		}
	}
	if m.scr == scrCheck {
		m.chk.stop()
	}
	cmd := m.openPage(q.Page, q.ID)
	m.describeErrors()
	return cmd
}

// backToFieldError opens the field whose Check found its answer wrong,
// if one still applies, with the problem under it; nil when none.
func (m *tuiModel) backToFieldError() tea.Cmd {
	for _, q := range Visible(m.qs, m.st) {
		if fe, ok := m.fieldErr[q.ID]; ok && fe.answer == q.Get(m.st) {
			cmd := m.openPage(q.Page, q.ID)
			m.describeErrors()
			return cmd
		}
	}
	return nil
}
