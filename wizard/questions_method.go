package wizard

import (
	"errors"
	"strings"

	"sitecfg/config"
)

// methodUI is what the wizard knows about one auth method: how it is
// offered, what choosing it sets, and the questions it adds. Each method
// is one file (questions_<method>.go); its rules are config's
// (config/method_<method>.go).
type methodUI struct {
	method config.AuthMethod
	// label is how the method is offered.
	label string
	// choose, when set, runs when the operator picks the method.
	choose func(s *State)
	// resume, when set, runs on a re-run's answers with SMTP on and this
	// method, before any question is asked.
	resume func(s *State)
	// questions are the method's own questions (each shown only with it).
	questions func() []*Question
	// fixesServer: the method sets the server, port and security itself
	// (Microsoft 365's cloud), so the server page is not asked.
	fixesServer bool
}

// fixesServer reports whether method m sets the server itself.
func fixesServer(m config.AuthMethod) bool {
	ui := uiOf(m)
	return ui != nil && ui.fixesServer
}

// methodUIs are offered in this order.
var methodUIs = []methodUI{basicUI, microsoftUI, delegatedUI, oauth2UI, noneUI}

// uiOf is the wizard's side of method m, nil for an unknown one.
func uiOf(m config.AuthMethod) *methodUI {
	for i := range methodUIs {
		if methodUIs[i].method == m {
			return &methodUIs[i]
		}
	}
	return nil
}

// authQuestion asks for the auth method.
func authQuestion() *Question {
	var opts []Option
	for _, m := range methodUIs {
		opts = append(opts, Option{m.label, string(m.method)})
	}
	return &Question{ID: "smtp.auth", Page: PageMethod, Kind: KindSelect, Show: smtpOn,
		Title:   "How does the server authenticate senders?",
		Options: opts,
		Get:     func(s *State) string { return string(sm(s).Auth) },
		Set: func(s *State, v string) error {
			m := config.AuthMethod(strings.ToLower(strings.TrimSpace(v)))
			ui := uiOf(m)
			if ui == nil {
				return errors.New("choose " + methodList())
			}
			if m.IsOAuth() {
				// An OAuth method logs in with a token: a password (the
				// demo's, one typed for basic) is refused with it.
				s.oauth()
				sm(s).Password = config.Secret{}
			}
			if ui.choose != nil {
				ui.choose(s)
			}
			sm(s).Auth = m
			return nil
		}}
}

// methodList names the methods as the answers file spells them, in the
// order they are offered: "basic, microsoft-oauth, oauth2 or none".
func methodList() string {
	names := make([]string, len(methodUIs))
	for i, ui := range methodUIs {
		names[i] = string(ui.method)
	}
	last := len(names) - 1
	if last < 1 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:last], ", ") + " or " + names[last]
}

// mailboxQuestion is the mailbox an OAuth app sends as (the SMTP
// username), asked on the method's own page.
func mailboxQuestion(m config.AuthMethod, page Page) *Question {
	get, set := ruledText("smtp.username", func(s *State) *string { return &sm(s).Username })
	return &Question{ID: "smtp.username", Page: page, Kind: KindText, Show: method(m),
		Title: "Mailbox to send as", Help: "The SMTP username: the mailbox the app may send as.", Get: get, Set: set}
}
