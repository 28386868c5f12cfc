package smtpauth

import (
	"fmt"
	"strings"
	"time"

	"sitecfg/microsoft"
)

// diagnoseBannerReply explains a greeting that is not 220.
func (c *checker) diagnoseBannerReply(err error, since time.Time) *Diagnosis {
	se, ok := asSMTP(err)
	if !ok {
		return c.diagnoseIO(StepBanner, err, since)
	}
	// At Exchange Online a greeting's refusal has Exchange's reading
	// (421 4.3.2, 550 5.7.708); elsewhere 421 is any busy server.
	if microsoft.IsExchangeHost(c.s.Host) {
		if d := diagnoseExchange(c.s, StepBanner, se); d != nil {
			return d
		}
	}
	d := &Diagnosis{ServerSaid: replyText(se)}
	switch {
	case se.Code == 421:
		d.Code = CodeServerBusy
		d.Summary = fmt.Sprintf("%s is not taking connections now (421 at connect)", c.addr)
		d.Remedy = "the server is overloaded, shutting down, or limits connections from this address; retry later, and ask its administrator if it persists"
	case se.Code == 554:
		d.Code = CodeConnectionRejected
		d.Summary = fmt.Sprintf("%s refuses connections from this machine (554 at connect)", c.addr)
		d.Remedy = "the server's policy (blocklist, allowed networks) rejects this address; ask its administrator to allow it"
	default:
		return c.notSMTP(fmt.Sprintf("it greeted with %q, not 220", replyText(se)))
	}
	return d
}

// diagnoseAuth explains a failed AUTH exchange.
func (c *checker) diagnoseAuth(err error, mech, saslDetail string, since time.Time) *Diagnosis {
	se, ok := asSMTP(err)
	if !ok {
		if isTimeout(err) || isDropped(err) || err == errLineTooLong {
			d := c.diagnoseIO(StepAuth, err, since)
			if d.Code == CodeConnectionDropped {
				d.Summary = fmt.Sprintf("%s closed the connection during AUTH %s", c.addr, mech)
				d.Remedy = "the server hung up instead of answering the login; its logs say why (too many failed logins, a blocked address, a crash)"
			}
			return d
		}
		return &Diagnosis{Code: CodeAuthProtocol, Summary: fmt.Sprintf("the AUTH %s exchange went wrong: %v", mech, err),
			Remedy: "the server answered the login in a way this client does not understand; try another mechanism or ask its administrator"}
	}
	if d := diagnoseExchange(c.s, StepAuth, se); d != nil {
		if r, ok := c.m.(loginRefusalMethod); ok {
			return r.loginRefused(c.s, c.claims, d)
		}
		return d
	}
	said := replyText(se)
	if saslDetail != "" {
		said += " (SASL error: " + Printable(saslDetail) + ")"
	}
	d := &Diagnosis{ServerSaid: said}
	switch {
	// An error challenge means the server looked at the token and refused
	// it, whatever code follows (go-smtp, for one, says 454).
	case tokenOf(c.m) != nil && (se.Code == 535 || saslDetail != ""):
		d.Code, d.Field = CodeOAuthRejected, "smtp.username"
		d.Summary = fmt.Sprintf("the server refused the OAuth token for mailbox %q (%d %s)", c.s.Username, se.Code, enhanced(se))
		d.Remedy = "the token was issued but the mail server does not accept it for this mailbox: check that smtp.username is the mailbox the application may send as, and the token's scope and permissions"
	case se.Code == 535 || (se.Code == 534 && tokenOf(c.m) != nil):
		d.Code, d.Field = CodeAuthFailed, "smtp.password"
		d.Summary = fmt.Sprintf("the server refused the username or password for %q (%d %s)", c.s.Username, se.Code, enhanced(se))
		d.Remedy = "check smtp.username and smtp.password (credentials are case-sensitive)"
		if microsoft.IsExchangeHost(c.s.Host) {
			d.Remedy += "; Microsoft 365 is retiring basic authentication for SMTP: use auth: microsoft-oauth"
		}
	case se.Code == 454 || se.Code == 432:
		d.Code = CodeAuthTemporary
		d.Summary = "the server could not check the credentials just now (" + said + ")"
		d.Remedy = "retry in a minute; if it persists the server's authentication backend is down"
	case se.Code == 504:
		d.Code, d.Field = CodeMechanismNotOffered, "smtp.auth"
		d.Summary = fmt.Sprintf("the server refused the AUTH %s mechanism it advertised (%s)", mech, said)
		d.Remedy = "choose another authentication method, or ask the server's administrator"
	case se.Code == 523 || se.Code == 538 || enhanced(se) == "5.7.11":
		d.Code, d.Field = CodeAuthNeedsTLS, "smtp.security"
		d.Summary = "the server requires encryption before login (" + said + ")"
		d.Remedy = "set security: starttls (port 587) or tls (port 465)"
	default:
		d.Code = ReplyCode(se.Code, "")
		d.Summary = "the server refused the login: " + said
		d.Remedy = "read what the server said; its administrator can tell why"
	}
	return d
}

// diagnoseMessage explains a refusal while sending the test message.
func (c *checker) diagnoseMessage(err error, at string, since time.Time) *Diagnosis {
	se, ok := asSMTP(err)
	if !ok {
		return c.diagnoseIO(StepMessage, err, since)
	}
	if d := diagnoseExchange(c.s, StepMessage, se); d != nil {
		return d
	}
	said := replyText(se)
	d := &Diagnosis{ServerSaid: said, Code: ReplyCode(se.Code, "")}
	lower := strings.ToLower(said)
	needsAuth := se.Code == 530 || (strings.Contains(lower, "auth") && se.Code/100 == 5) ||
		strings.Contains(lower, "relay") || strings.Contains(lower, "access denied")
	switch {
	case needsAuth && !c.m.sendsCredentials(c.s):
		d.Code, d.Field = CodeAuthRequired, "smtp.auth"
		d.Summary = fmt.Sprintf("the server refused the message at %s without a login: it does not relay for this machine unauthenticated (%s)", at, said)
		d.Remedy = "use auth: basic (or OAuth) with a mailbox's credentials, or ask the server's administrator to allow relaying from this machine's address"
	case needsAuth:
		d.Code, d.Field = CodeRelayDenied, "smtp.default_recipients"
		d.Summary = fmt.Sprintf("the server refused the message at %s (%s)", at, said)
		d.Remedy = "the logged-in account may not send to these recipients or from this address; check smtp.from and the recipients with the server's administrator"
	case at == "MAIL FROM":
		d.Code, d.Field = CodeSenderRejected, "smtp.from"
		d.Summary = fmt.Sprintf("the server refused the sender %q (%s)", c.s.From, said)
		d.Remedy = "use a From address the account may send as (often the mailbox itself)"
	case at == "RCPT TO":
		d.Code, d.Field = CodeRecipientsRejected, "smtp.default_recipients"
		d.Summary = fmt.Sprintf("the server refused every recipient (first: %s)", said)
		d.Remedy = "check the recipient addresses; the server may only deliver to some domains"
	default:
		d.Code = CodeMessageRejected
		d.Summary = fmt.Sprintf("the server refused the test message at %s (%s)", at, said)
		d.Remedy = "read what the server said; a content filter or size limit may be the cause"
	}
	return d
}
