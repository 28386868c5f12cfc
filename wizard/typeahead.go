package wizard

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// Type-ahead. huh moves the focus to the next field with a command, so
// the move lands one message after the Enter that asked for it; keys
// already on their way (a paste, a laggy SSH link, a fast typist) would go
// into the field just left and make a valid-looking wrong answer. So from
// an accepted Enter until the focus has moved, keys are held, then
// replayed in order where the focus now is. A timer lets them go if the
// focus never moves. The review opens the same way, one message late (its
// rules look at files, in a command), and keys wait for it likewise.

// typeAhead is the focus a hold waits to see change, and the keys held.
type typeAhead struct {
	scr  screen
	pg   *pageModel
	idx  int
	seq  int
	keys []tea.KeyPressMsg
	// review, when set, is the review opening the keys wait for instead
	// of a focus move (its rules are checked as a command).
	review *reviewOpening
}

// typeAheadTimeout releases held keys if the focus has not moved by then.
const typeAheadTimeout = 300 * time.Millisecond

// typeAheadExpired lets the keys of hold seq go.
type typeAheadExpired struct{ seq int }

// holdFocus starts holding keys: the focus on the current page is about
// to move on from field idx.
func (m *tuiModel) holdFocus(idx int) tea.Cmd {
	m.holdSeq++
	seq := m.holdSeq
	m.hold = &typeAhead{scr: m.scr, pg: m.pg, idx: idx, seq: seq}
	return tea.Tick(typeAheadTimeout, func(time.Time) tea.Msg { return typeAheadExpired{seq: seq} })
}

// holdForReview holds keys until the review o opens (or the operator is
// taken elsewhere): they are meant for it. Keys an earlier hold kept stay
// first in line.
func (m *tuiModel) holdForReview(o *reviewOpening) tea.Cmd {
	var held []tea.KeyPressMsg
	if m.hold != nil {
		held = m.hold.keys
	}
	tick := m.holdFocus(-1)
	m.hold.review, m.hold.keys = o, held
	return tick
}

// holdKey keeps a key while a hold is on (Ctrl+C is never held); it
// reports whether it did.
func (m *tuiModel) holdKey(msg tea.Msg) bool {
	h := m.hold
	if h == nil {
		return false
	}
	switch msg := msg.(type) {
	case typeAheadExpired:
		if msg.seq == h.seq {
			h.idx = -2 // moved, as far as the hold is concerned
		}
	case tea.KeyPressMsg:
		if msg.String() != "ctrl+c" {
			h.keys = append(h.keys, msg)
			return true
		}
	}
	return false
}

// releaseHeld replays the held keys once the focus has moved (or the
// hold expired), each as if it had just arrived.
func (m *tuiModel) releaseHeld() tea.Cmd {
	h := m.hold
	if h == nil || !m.focusMoved(h) {
		return nil
	}
	m.hold = nil
	var cmds []tea.Cmd
	for i, k := range h.keys {
		if m.hold != nil {
			// A replayed Enter moved the focus again: the rest waits for it.
			m.hold.keys = append(m.hold.keys, h.keys[i:]...)
			break
		}
		cmds = append(cmds, m.update(k))
	}
	return tea.Batch(cmds...)
}

// focusMoved reports whether the focus is no longer where h started.
func (m *tuiModel) focusMoved(h *typeAhead) bool {
	if h.review != nil && h.idx != -2 {
		return m.rev.opening != h.review || m.scr != h.scr || m.pg != h.pg
	}
	if h.idx == -2 || m.scr != h.scr || m.scr != scrForm || m.pg != h.pg {
		return true
	}
	if i := m.pg.focused(); i != h.idx {
		return true
	}
	// The answer was refused after all: the keys go back to the field.
	return m.pg.binds[h.idx].field.Error() != nil
}
