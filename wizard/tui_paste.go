package wizard

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/atotto/clipboard"
)

// forForm is how a message reaches a huh form, in one place for every
// form the wizard shows: Ctrl+V (bubbles' text input pastes the desktop
// clipboard with it) becomes a command that reads the clipboard
// (pasteClipboard), and a paste loses its final line break (trimPaste).
// A nil message means "do not pass it on; run the command".
func forForm(msg tea.Msg) (tea.Msg, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "ctrl+v" {
		return nil, pasteClipboard
	}
	return trimPaste(msg), nil
}

// pasteClipboard reads the desktop clipboard (xclip, xsel, wl-paste…, as
// bubbles' text input does for Ctrl+V) and hands its text to the form as
// one paste, which huh gives to the focused field once. Left to bubbles,
// Ctrl+V answers with a message of bubbles' own that huh's group
// (v2.0.3) passes to the focused field twice: the text arrived doubled —
// a pasted password or client secret then fails for no visible reason.
// With no clipboard program, or an empty clipboard, nothing is pasted.
func pasteClipboard() tea.Msg {
	text, err := clipboard.ReadAll()
	if err != nil || text == "" {
		return nil
	}
	return tea.PasteMsg{Content: text}
}

// trimPaste drops the line break that ends a pasted text (a line copied
// from a terminal, a password manager or `xclip < file` usually has
// one): every field is one line, and bubbles would turn it into a space
// — a trailing space in a pasted password or client secret that nobody
// can see, and the live check then fails on it. Other messages pass.
func trimPaste(msg tea.Msg) tea.Msg {
	if p, ok := msg.(tea.PasteMsg); ok {
		p.Content = strings.TrimRight(p.Content, "\r\n")
		return p
	}
	return msg
}
