package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"sitecfg/audit"
	"sitecfg/config"
	"sitecfg/health"
	"sitecfg/pipeline"
	"sitecfg/smtpauth"
)

// driftNotes are the wizard welcome's words when the config was edited
// outside sitecfg since sitecfg last wrote it.
func driftNotes(path string) []string {
	d, err := audit.DriftNow(path)
	if err != nil || d == nil {
		return nil
	}
	if d.Current == "" {
		return []string{d.Message(path)}
	}
	// The operator is in the wizard already: "re-run sitecfg" is not
	// the way on from here.
	return []string{path + " was edited outside sitecfg since " + d.Since.UTC().Format("2006-01-02 15:04 MST") +
		" (its SHA-256 is not the one sitecfg recorded): the wizard starts from the file as it is now; review the values, and saving takes the change over"}
}

// checkMetrics writes `check --metrics`: the check's outcome (success is
// exit code 0), what the saved answers say about credential expiry, and
// drift.
func checkMetrics(file string, e *env, code int, a *config.Answers, report *smtpauth.Report, drift *audit.Drift) error {
	m := health.Metrics{Success: code == exitOK, At: e.now(), ChangedOutside: drift != nil}
	if a != nil {
		m.SMTPEnabled = a.SMTP.Enabled
		m.Expiries = health.Expiries(a)
	}
	if report != nil {
		m.Duration = report.Duration
	}
	return m.WriteTextfile(file)
}

// notifyCheck is `check --notify` once the live check passed: the notices
// the saved answers call for (health.Notices) that were not sent in the
// last week, sent as one message through the configured server to the UI
// admin email, and remembered in the audit log. It returns what it sent.
func notifyCheck(ctx context.Context, e *env, path string, a *config.Answers, timeout time.Duration) ([]health.Notice, error) {
	host, _ := os.Hostname()
	w := health.Where{Host: host, ConfigPath: path}
	// Decided, sent and recorded under a lock of its own: parallel runs
	// send one notice, not one each (the config's lock stays free for
	// writers while the message goes out).
	real, err := config.RealPath(path)
	if err != nil {
		return nil, err
	}
	nl, err := config.AcquireContext(ctx, real+".notify", timeout+5*time.Second)
	if err != nil {
		return nil, fmt.Errorf("another check --notify is sending: %w", err)
	}
	defer nl.Release()
	log, err := audit.Read(path)
	if err != nil {
		return nil, fmt.Errorf("read the audit log: %w", err)
	}
	now := e.now()
	var due []health.Notice
	for _, n := range health.Notices(a, now, w) {
		// An entry from the future (a clock set back, a forged line) is
		// not a notice sent: it would silence every one until then.
		if last := log.LastNotifiedBefore(n.Key, now); !last.IsZero() && now.Sub(last) < health.NotifyEvery {
			continue
		}
		due = append(due, n)
	}
	if len(due) == 0 {
		return nil, nil
	}
	if a.Emails.UIAdmin == "" {
		return nil, errors.New("no UI admin email (emails.ui_admin) to send the expiry notice to")
	}
	s, err := pipeline.CheckSettings(a, true)
	if err != nil {
		return nil, err
	}
	subject, text := health.Message(due, w)
	s.Recipients = []string{a.Emails.UIAdmin}
	s.Message = &smtpauth.Message{Subject: subject, Text: text}
	rep, err := smtpauth.Check(ctx, s, smtpauth.Options{Timeout: timeout})
	if err != nil {
		return nil, err
	}
	if !rep.OK {
		msg := "the server did not take it"
		if rep.Diagnosis != nil {
			msg = rep.Diagnosis.Summary
		}
		return nil, fmt.Errorf("could not send the notice to the UI admin email: %s", msg)
	}
	entry := audit.Entry{Command: "check --notify", Result: exitOK}
	entry.Who(now)
	for _, n := range due {
		entry.Notified = append(entry.Notified, n.Key)
	}
	if l, err := config.Acquire(path, lockWait); err == nil {
		defer l.Release()
	}
	if err := audit.Append(path, entry); err != nil {
		return due, fmt.Errorf("the notice was sent but not remembered (it will be sent again): %w", err)
	}
	return due, nil
}
