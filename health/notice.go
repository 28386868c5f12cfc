package health

import (
	"fmt"
	"strings"
	"time"

	"sitecfg/config"
)

// NotifyDays is how close to its expiry a credential earns a notice.
const NotifyDays = config.ExpiryWarnDays

// NotifyEvery is how often the same notice is sent at most.
const NotifyEvery = 7 * 24 * time.Hour

// KeyExchangeBasicAuth names the notice about Exchange Online retiring
// basic authentication for SMTP.
const KeyExchangeBasicAuth = "exchange_basic_auth"

// Notice is one thing an administrator must do before email breaks.
type Notice struct {
	// Key names the notice for "at most once a week": the credential's
	// kind and expiry date ("client_secret:2026-12-15"), so that a new
	// credential is a new notice, or KeyExchangeBasicAuth.
	Key string
	// Subject is one line; Text says what expires when and what to do.
	Subject string
	Text    string
}

// Where says where the notices are about: the machine and the config, so
// that the steps name the right command.
type Where struct {
	Host, ConfigPath string
}

// Notices are what prepared answers call for at now: each credential
// that stops working within NotifyDays (or already has), and Exchange
// Online's retirement of basic authentication when the answers use it.
func Notices(a *config.Answers, now time.Time, w Where) []Notice {
	if a == nil || !a.SMTP.Enabled {
		return nil
	}
	var out []Notice
	for _, x := range Expiries(a) {
		days := x.DaysLeft(now)
		if days > NotifyDays {
			continue
		}
		out = append(out, expiryNotice(a, x, days, w))
	}
	if a.SMTP.RetiringAtExchange() {
		out = append(out, basicAuthNotice(w))
	}
	return out
}

func expiryNotice(a *config.Answers, x Expiry, days int, w Where) Notice {
	if x.Kind == KindRefreshToken {
		return refreshNotice(x, days, w)
	}
	if x.Kind == KindServerCertificate {
		return trustedNotice(a, x, days, w)
	}
	what := "client secret"
	if x.Kind == KindClientCertificate {
		what = "client certificate"
	}
	when := x.when(days)
	where := a.SMTP.CredentialPlace()
	if where == "" {
		where = "at your OAuth provider"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "The OAuth %s that %s uses to send this cluster's email %s.\n", what, w.Host, when)
	b.WriteString("When it has expired, the cluster can no longer send email.\n\nWhat to do:\n")
	if x.Kind == KindClientCertificate {
		fmt.Fprintf(&b, "1. Create a new certificate and upload its public part %s.\n", where)
		fmt.Fprintf(&b, "2. On %s, point smtp.oauth.client_certificate at the new PEM file (certificate and key): run sitecfg --config %s\n", w.Host, w.ConfigPath)
	} else {
		fmt.Fprintf(&b, "1. Create a new client secret %s and copy its value.\n", where)
		fmt.Fprintf(&b, "2. On %s, enter it with its expiry date: run sitecfg --config %s\n", w.Host, w.ConfigPath)
	}
	fmt.Fprintf(&b, "3. Prove it: sitecfg check --config %s\n", w.ConfigPath)
	fmt.Fprintf(&b, "4. Then remove the old %s %s.\n", what, where)
	return Notice{
		Key:     x.Kind + ":" + x.Date,
		Subject: fmt.Sprintf("sitecfg on %s: the SMTP %s %s", w.Host, what, when),
		Text:    b.String(),
	}
}

// refreshNotice is the notice for a delegated sign-in whose refresh
// token nears its expiry: every check renews it, so it nears only when
// the checks stopped or were refused.
func refreshNotice(x Expiry, days int, w Where) Notice {
	when := x.when(days)
	var b strings.Builder
	fmt.Fprintf(&b, "The Microsoft 365 sign-in (refresh token) that %s uses to send this cluster's email %s.\n", w.Host, when)
	b.WriteString("Every sitecfg check renews it; when it has expired, the cluster can no longer send email.\n\nWhat to do:\n")
	fmt.Fprintf(&b, "1. On %s, run the daily check (sitecfg check --config %s), which renews it; if Entra refuses it, go on:\n", w.Host, w.ConfigPath)
	fmt.Fprintf(&b, "2. Sign in again as the mailbox: sitecfg signin --config %s\n", w.ConfigPath)
	fmt.Fprintf(&b, "3. Prove it: sitecfg check --config %s\n", w.ConfigPath)
	return Notice{
		Key:     x.Kind + ":" + x.Date,
		Subject: fmt.Sprintf("sitecfg on %s: the Microsoft 365 sign-in %s", w.Host, when),
		Text:    b.String(),
	}
}

func basicAuthNotice(w Where) Notice {
	var b strings.Builder
	fmt.Fprintf(&b, "%s sends this cluster's email through Exchange Online with basic authentication (username and password).\n", w.Host)
	b.WriteString("Microsoft disables SMTP AUTH basic authentication by default for existing tenants at the end of December 2026;\n")
	b.WriteString("admins can turn it back on only until a final removal date to be announced in the second half of 2027.\n\nWhat to do:\n")
	fmt.Fprintf(&b, "1. Set up Microsoft 365 OAuth for SMTP: sitecfg guide microsoft --config %s\n", w.ConfigPath)
	fmt.Fprintf(&b, "2. On %s, choose \"microsoft-oauth\": run sitecfg --config %s\n", w.Host, w.ConfigPath)
	fmt.Fprintf(&b, "3. Prove it: sitecfg check --config %s\n", w.ConfigPath)
	return Notice{
		Key:     KeyExchangeBasicAuth,
		Subject: fmt.Sprintf("sitecfg on %s: Exchange Online is retiring basic authentication for SMTP", w.Host),
		Text:    b.String(),
	}
}

// Message is one short message holding every notice, and the note that
// it comes at most once a week.
func Message(ns []Notice, w Where) (subject, text string) {
	if len(ns) == 1 {
		subject = ns[0].Subject
	} else {
		subject = fmt.Sprintf("sitecfg on %s: %d things to do before this cluster's email stops working", w.Host, len(ns))
	}
	var b strings.Builder
	for i, n := range ns {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(n.Text)
	}
	fmt.Fprintf(&b, "\n-- \nSent by sitecfg check --notify on %s (config %s). Each reminder comes at most once a week.\n", w.Host, w.ConfigPath)
	return subject, b.String()
}

// when says when x expires, days from now: "expires on DATE, in N days",
// "expires today (DATE)" or "expired on DATE".
func (x Expiry) when(days int) string {
	switch {
	case days < 0:
		return fmt.Sprintf("expired on %s", x.Date)
	case days == 0:
		return fmt.Sprintf("expires today (%s)", x.Date)
	}
	return fmt.Sprintf("expires on %s, in %d days", x.Date, days)
}
