package wizard

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"sitecfg/checkview"
	"sitecfg/pipeline"
	"sitecfg/smtpauth"
)

// checkLoop asks about the test message, runs the live check and, when it
// fails, offers to edit the field it points to, retry, save anyway or
// quit. again is set when a field was edited: the caller reviews again.
func (l *lines) checkLoop() (out *Outcome, again bool, err error) {
	to := pipeline.TestRecipients(&l.st.Answers)
	sendTest := false
	if len(to) > 0 {
		sendTest, err = l.yesNo("Send a test message to "+strings.Join(to, ", ")+"?", l.o.SendTest, "the test-message question was answered")
		if err != nil {
			return nil, false, err
		}
	}
	for {
		rep, err := l.check(sendTest)
		if err != nil {
			return nil, false, err
		}
		out = &Outcome{Report: rep}
		if rep.OK {
			out, err = l.commit(out, false)
			return out, false, err
		}
		choice, q, err := l.afterFailure(rep)
		if errors.Is(err, ErrInputEnded) {
			// The input ended on a failed check: that the check failed is
			// the outcome (exit 4), not that an answer was missing.
			l.printf("Nothing was written.\n")
			return nil, false, fmt.Errorf("%w (%v)", ErrNotSaved, err)
		}
		if err != nil {
			return nil, false, err
		}
		switch choice {
		case "e":
			l.page = ""
			return nil, true, l.edit(q)
		case "s":
			l.printf("\nWARNING: saving settings that FAILED the live check. Mail may not be delivered;\n"+
				"fix them and run 'sitecfg check --config %s'.\n", l.o.ConfigPath)
			out, err = l.commit(out, true)
			return out, false, err
		case "q":
			l.printf("Nothing was written.\n")
			return nil, false, ErrNotSaved
		}
		// "r": the loop runs the check again.
	}
}

// check runs the live check (package pipeline, as every front end does),
// printing each step as it finishes and then the diagnosis.
func (l *lines) check(sendTest bool) (*smtpauth.Report, error) {
	a := &l.st.Answers
	l.printf("\nChecking %s:%d ...\n", a.SMTP.Server, a.SMTP.Port)
	// OnStep is called from the checking goroutine: serialise the output.
	var mu sync.Mutex
	printed := 0
	rep, _ := pipeline.Check(l.ctx, a, pipeline.CheckOptions{SendTest: sendTest, Timeout: l.o.CheckTimeout, Check: l.o.Check, Run: l.run,
		OnStep: func(s smtpauth.Step) {
			if s.Status == smtpauth.StatusRunning {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			l.printStep(s)
			printed++
		}})
	if l.ctx.Err() != nil {
		return nil, cancelled(l.ctx)
	}
	mu.Lock()
	defer mu.Unlock()
	if printed == 0 {
		for _, s := range rep.Steps {
			l.printStep(s)
		}
	}
	for _, rc := range rep.Recipients {
		l.printf("  %s\n", checkview.Recipient(rc).Line())
	}
	for i := range rep.Warnings {
		l.printDiagnosis("Warning", &rep.Warnings[i])
	}
	switch {
	case rep.OK:
		l.printf("Live check passed in %s.\n", rep.Duration.Round(time.Millisecond))
	case rep.Diagnosis != nil:
		l.printDiagnosis("Live check FAILED", rep.Diagnosis)
		for i := range rep.Also {
			l.printDiagnosis("Also failed", &rep.Also[i])
		}
	default:
		l.printf("Live check FAILED.\n")
	}
	return rep, nil
}

// printStep prints one step as a line: its name, status, time and detail.
func (l *lines) printStep(s smtpauth.Step) {
	row := checkview.NewRow(s)
	line := fmt.Sprintf("  %s: %s (%s)", row.Name, row.Word(), row.Took)
	if row.Detail != "" {
		line += " — " + row.Detail
	}
	l.printf("%s\n", line)
}

// printDiagnosis prints a failure or warning: a heading, then checkview's
// lines (what to do, field, commands, what the server said, guide step),
// the same as apply's and check's.
func (l *lines) printDiagnosis(title string, d *smtpauth.Diagnosis) {
	v := checkview.NewDiagnosis(d, l.st.Answers.SMTP.Auth)
	if v.Step != "" {
		l.printf("%s at step %s: %s\n", title, v.Step, v.Summary)
	} else {
		l.printf("%s: %s\n", title, v.Summary)
	}
	for _, line := range v.Details() {
		l.printf("%s\n", line)
	}
}

// afterFailure asks what to do after a failed check: e (edit the field
// the diagnosis names, or one the operator types), r, s or q.
func (l *lines) afterFailure(rep *smtpauth.Report) (string, *Question, error) {
	var q *Question
	if d := rep.Diagnosis; d != nil && d.Field != "" {
		q = Find(l.qs, l.st, fieldOf(d.Field))
	}
	l.printf("\nWhat now?\n")
	if q != nil {
		l.printf("  e = edit %s (%s)\n", q.ID, q.Title)
	} else {
		l.printf("  e = edit a field\n")
	}
	trust := checkview.NewTrust(rep.Diagnosis)
	choices := "e, r, s or q"
	if trust != nil {
		l.printf("  t = trust this certificate (after comparing its fingerprint)\n")
		choices = "e, r, t, s or q"
	}
	l.printf("  r = retry the check\n  s = save anyway (the settings stay unverified)\n  q = quit without saving\n")
	for {
		l.printf("Choose %s: ", choices)
		line, err := l.in.read(l.ctx, false)
		if err != nil {
			return "", nil, l.inputError(err, "a choice was made after the failed check")
		}
		switch c := strings.ToLower(strings.TrimSpace(line)); c {
		case "r", "s", "q":
			return c, nil, nil
		case "t":
			if trust == nil {
				l.printf("Not accepted: answer %s.\n", choices)
				continue
			}
			ok, err := l.trust(trust)
			if err != nil || ok {
				return "r", nil, err
			}
		case "e":
			if q != nil {
				return c, q, nil
			}
			if q, err := l.askField(); err != nil || q != nil {
				return c, q, err
			}
		default:
			l.printf("Not accepted: answer %s.\n", choices)
		}
	}
}

// askField asks which field to edit; nil when the answer names none.
func (l *lines) askField() (*Question, error) {
	l.printf("Which field (for example smtp.port)? ")
	line, err := l.in.read(l.ctx, false)
	if err != nil {
		return nil, l.inputError(err, "the field to edit was named")
	}
	q := Find(l.qs, l.st, strings.TrimSpace(line))
	if q == nil {
		l.printf("There is no field %q here.\n", strings.TrimSpace(line))
	}
	return q, nil
}

// trust shows the chain and the fingerprint of an untrusted certificate
// and, once the operator says they compared it, saves it next to the
// config and names it in smtp.ca_file. ok says it was trusted.
func (l *lines) trust(t *checkview.Trust) (ok bool, err error) {
	l.printf("\nSHA-256 fingerprint of the certificate to trust:\n  %s\n  %s\n%s\n", t.FingerprintLines()[0], t.FingerprintLines()[1], checkview.CompareHint)
	for _, line := range t.AnchorLines() {
		l.printf("%s\n", line)
	}
	l.printf("The certificate chain the server presented:\n")
	for _, line := range t.Lines() {
		l.printf("  %s\n", line)
	}
	yes, err := l.yesNo("Does the fingerprint match? Trust this certificate (saved as "+TrustFile(l.o.ConfigPath)+")?", false, "trusting the certificate was confirmed or refused")
	if err != nil || !yes {
		return false, err
	}
	path, err := saveTrust(l.o.ConfigPath, t)
	if err != nil {
		l.printf("Could not save it: %v.\n", err)
		return false, nil
	}
	l.st.Answers.SMTP.CAFile = path
	l.printf("Saved %s; smtp.ca_file now names it. Checking again.\n", path)
	return true, nil
}
