package smtpauth

import (
	"fmt"
	"strings"

	"github.com/emersion/go-smtp"

	"sitecfg/microsoft"
)

// Placeholders in commands for values the check cannot know.
const (
	placeholderObjectID = "<Enterprise application object ID>"
	placeholderSPID     = "<service principal ID>"
)

// exchangeLimits are Exchange Online's limits on client submission.
const exchangeLimits = "Exchange Online allows a mailbox 10,000 recipients a day, 30 messages a minute and 3 concurrent connections"

// diagnoseExchange explains the replies Exchange Online (and servers that
// borrow its codes) gives, with the operator's own IDs filled into the
// commands. It returns nil for replies it does not know. Where one code
// has several causes (535 5.7.139, 554 5.2.0), the reply's text tells
// them apart; an unknown text gets the code's general reading.
func diagnoseExchange(s Settings, step StepName, se *smtp.SMTPError) *Diagnosis {
	mailbox := orDefault(s.Username, "<mailbox>")
	from := orDefault(s.From, "<from address>")
	clientID := orDefault(s.ClientID, "<client id>")
	text := strings.ToLower(se.Message)
	oauth := s.Method.IsOAuth()
	d := &Diagnosis{Step: step, ServerSaid: replyText(se)}
	sendAs := func(reply string) {
		d.Code = CodeExchangeSendAsDenied
		if se.Code == 554 {
			d.Code = CodeExchangeSendAsDeniedAtData
		}
		d.Field = "smtp.from"
		d.Summary = fmt.Sprintf("mailbox %s may not send as %s (%s)", mailbox, from, reply)
		d.Remedy = "set smtp.from to the mailbox itself, or give the mailbox Send As permission on the From address " +
			"(in Exchange Online PowerShell; it can take up to an hour to apply)"
		d.Commands = []string{fmt.Sprintf("Add-RecipientPermission -Identity %s -Trustee %s -AccessRights SendAs", from, mailbox)}
	}
	switch code := fmt.Sprintf("%d %s", se.Code, enhanced(se)); {
	case code == "550 5.7.30":
		d.Code, d.Field = CodeExchangeBasicAuthRetired, "smtp.auth"
		d.Summary = "Exchange Online refuses basic authentication for client submission in this tenant (550 5.7.30)"
		d.Remedy = "use auth: microsoft-oauth — an app registration with SMTP.SendAsApp, set up step by step by " + microsoft.GuideCommand +
			". " + microsoft.BasicAuthRetirement
	case code == "535 5.7.3" && oauth:
		d.Code = CodeExchangeAuthUnsuccessful
		d.Summary = "Exchange refused the token for mailbox " + mailbox + " (535 5.7.3): the app's service principal is not registered in Exchange, " +
			"was registered with the wrong object ID, or has no permission on the mailbox"
		d.Remedy = "in Exchange Online PowerShell (Connect-ExchangeOnline), register the app's service principal with the Object ID " +
			"from Entra → Enterprise applications (not the App registration's), then give it full access to the mailbox; " +
			"changes can take up to an hour to apply"
		d.Commands = []string{
			fmt.Sprintf("New-ServicePrincipal -AppId %s -ObjectId %s", clientID, placeholderObjectID),
			fmt.Sprintf("Get-ServicePrincipal | Where-Object AppId -eq '%s'", clientID),
			fmt.Sprintf("Add-MailboxPermission -Identity %s -User %s -AccessRights FullAccess", mailbox, placeholderSPID),
		}
	case code == "535 5.7.3":
		d.Code = CodeExchangeAuthUnsuccessful
		d.Field = "smtp.password"
		d.Summary = "authentication unsuccessful (535 5.7.3): the username or password is wrong, or basic authentication is disabled for this mailbox"
		d.Remedy = "check the username and password. " + microsoft.BasicAuthRetirement
	case code == "535 5.7.139" && strings.Contains(text, "basic authentication is disabled"):
		d.Code, d.Field = CodeExchangeBasicAuthDisabled, "smtp.auth"
		d.Summary = "basic authentication is disabled for this tenant (535 5.7.139)"
		d.Remedy = "use auth: microsoft-oauth (OAuth 2.0), set up step by step by " + microsoft.GuideCommand
	case code == "535 5.7.139" && strings.Contains(text, "did not meet the criteria"):
		d.Code = CodeExchangeSignInPolicy
		d.Summary = "the sign-in for " + mailbox + " was blocked by a sign-in policy (535 5.7.139): Conditional Access, " +
			"security defaults or an MFA requirement"
		d.Remedy = "in the Entra admin center, read this sign-in in the sign-in logs and review the Conditional Access policies " +
			"that apply to it; security defaults block basic authentication to SMTP altogether. Nothing in sitecfg's settings changes this"
	case code == "535 5.7.139" && strings.Contains(text, "security defaults"):
		d.Code, d.Field = CodeExchangeSecurityDefaults, "smtp.auth"
		d.Summary = "the sign-in for " + mailbox + " was blocked by the tenant's security defaults (535 5.7.139): they block basic authentication, " +
			"SMTP AUTH with a password included"
		d.Remedy = "use auth: microsoft-oauth (OAuth 2.0, which security defaults do not block), set up step by step by " + microsoft.GuideCommand +
			"; turning security defaults off for this would weaken every account of the tenant"
		if oauth {
			d.Code, d.Field = CodeExchangeSignInPolicy, ""
			d.Remedy = "security defaults block basic authentication, not OAuth: check that this login used the token (smtp.auth), " +
				"and read the sign-in in the Entra admin center's sign-in logs"
		}
	case code == "535 5.7.139" && (strings.Contains(text, "credentials were incorrect") || strings.Contains(text, "credentials are incorrect")):
		d.Code = CodeExchangeBadCredentials
		d.Field = "smtp.password"
		d.Summary = "Exchange Online says the credentials for " + mailbox + " were incorrect (535 5.7.139)"
		d.Remedy = "check smtp.username (the mailbox's address) and smtp.password; repeated failures can lock the account. " + microsoft.BasicAuthRetirement
		if oauth {
			d.Field = "smtp.username"
			d.Remedy = "the token was issued but Exchange does not take it for this mailbox: check that smtp.username is the mailbox " +
				"the app may send as"
		}
	case code == "535 5.7.139" && (strings.Contains(text, "account locked") || strings.Contains(text, "account is locked") || strings.Contains(text, "locked out")):
		d.Code = CodeExchangeAccountLocked
		d.Summary = "the account " + mailbox + " is locked (535 5.7.139): too many failed sign-ins (smart lockout), or an administrator blocked its sign-in"
		d.Remedy = "wait for the lockout to end, or in the Entra admin center open Users → " + mailbox + ": allow sign-in if it is blocked, " +
			"and read its sign-in logs for who failed to sign in; then correct the credentials of every client that uses this account"
	case code == "535 5.7.139" && strings.Contains(text, "smtpclientauthentication is disabled"):
		d.Code = CodeExchangeSMTPAuthDisabled
		d.Summary = "SMTP AUTH is disabled for mailbox " + mailbox + " (535 5.7.139)"
		if strings.Contains(text, "disabled for the tenant") {
			d.Summary = "SMTP AUTH is disabled for the tenant, and mailbox " + mailbox + " does not override it (535 5.7.139)"
		}
		d.Remedy = "enable SMTP AUTH for this mailbox only, in Exchange Online PowerShell: the mailbox's setting overrides the tenant's, " +
			"and Microsoft recommends leaving it off for the tenant and on for the mailboxes that need it; changes can take up to an hour to apply"
		d.Commands = []string{
			fmt.Sprintf("Set-CASMailbox -Identity %s -SmtpClientAuthenticationDisabled $false", mailbox),
			fmt.Sprintf("Get-CASMailbox -Identity %s | Format-List SmtpClientAuthenticationDisabled", mailbox),
		}
	case code == "535 5.7.139":
		// Exchange words 5.7.139 many ways; an unknown text gets the
		// code's general reading, and the checks that tell them apart.
		d.Code = CodeExchangeAuthPolicy
		d.Summary = "Exchange Online refused the login for " + mailbox + " (535 5.7.139): an authentication policy or the account's state, " +
			"not the credentials as such — read what it said below"
		d.Remedy = "check, in this order: SMTP AUTH allowed for the mailbox (Get-CASMailbox), sign-in not blocked and the account not locked " +
			"(Entra admin center → Users), and the sign-in logs for a Conditional Access or security-defaults block"
		d.Commands = []string{
			fmt.Sprintf("Get-CASMailbox -Identity %s | Format-List SmtpClientAuthenticationDisabled", mailbox),
			"Get-TransportConfig | Format-List SmtpClientAuthenticationDisabled",
		}
	case code == "530 5.7.57":
		d.Code = CodeExchangeNotAuthenticated
		d.Field = "smtp.auth"
		d.Summary = "the server will not take mail without authentication (530 5.7.57)"
		d.Remedy = "choose an authentication method (auth: microsoft-oauth for Microsoft 365) so the check authenticates after STARTTLS"
	case code == "550 5.7.60":
		sendAs("550 5.7.60")
	case code == "554 5.2.252" || (code == "554 5.2.0" && strings.Contains(text, "sendasdenied")):
		sendAs(code + " SendAsDenied")
	case code == "554 5.2.0" && strings.Contains(text, "submissionquotaexceeded"):
		d.Code = CodeExchangeQuotaExceeded
		d.Summary = "mailbox " + mailbox + " has reached its sending limit (554 5.2.0 SubmissionQuotaExceeded)"
		d.Remedy = exchangeLimits + " (the daily limit is over the last 24 hours): wait, and send to fewer recipients or from more than one mailbox"
	case code == "432 4.3.2":
		d.Code = CodeExchangeTooManyConnections
		d.Summary = "mailbox " + mailbox + " has too many concurrent connections (432 4.3.2)"
		d.Remedy = exchangeLimits + ": wait a minute and retry, and make sure the other senders using this mailbox do not hold connections open at once"
	case code == "421 4.7.66":
		d.Code = CodeExchangeTLSTooOld
		d.Summary = "the server refuses TLS below version 1.2 (421 4.7.66)"
		d.Remedy = "this check always uses TLS 1.2 or later; if you see this, a proxy in the path is downgrading TLS"
	case code == "550 5.7.708":
		d.Code = CodeExchangeIPBlocked
		d.Summary = "Exchange Online does not accept traffic from this machine's IP address (550 5.7.708): the address or the tenant has a low reputation, " +
			"which is common for new and trial tenants"
		d.Remedy = "no setting fixes this: open a case with Microsoft support (Microsoft 365 admin center → Support), quoting what the server said"
	case code == "550 5.7.705":
		d.Code = CodeExchangeTenantBlocked
		d.Summary = "the tenant is blocked from sending: it exceeded Exchange Online's outbound threshold (550 5.7.705), usually after spam from a compromised account"
		d.Remedy = "no setting fixes this: find and stop the cause (a compromised account, a bulk sender), then ask Microsoft support to lift the block"
	case code == "550 5.1.8":
		d.Code = CodeExchangeSenderRestricted
		d.Summary = "mailbox " + mailbox + " is restricted from sending: Exchange Online took it for a compromised account (550 5.1.8 bad outbound sender)"
		d.Remedy = "secure the account (new credentials, review its sign-ins), then unblock it in the Microsoft Defender portal: " +
			"Email & collaboration → Review → Restricted entities"
	case code == "550 5.7.512":
		d.Code, d.Field = CodeExchangeNoFromHeader, "smtp.from"
		d.Summary = "Exchange Online found no valid From header in the message (550 5.7.512)"
		d.Remedy = "set smtp.from to a plain address (name@domain); the test message carries it as From, so a gateway on the way that rewrites headers is the other suspect"
	case code == "550 5.7.750":
		d.Code, d.Field = CodeExchangeUnregisteredDomain, "smtp.from"
		d.Summary = fmt.Sprintf("Exchange Online does not send from %s: its domain is not registered in the tenant (550 5.7.750)", from)
		d.Remedy = "add and verify the domain as an accepted domain (Microsoft 365 admin center → Settings → Domains), " +
			"or send from an address in one of the tenant's domains"
		d.Commands = []string{"Get-AcceptedDomain"}
	case code == "550 5.7.68":
		d.Code, d.Field = CodeExchangeDirectSendRejected, "smtp.auth"
		d.Summary = "this organization refuses unauthenticated direct send (550 5.7.68, RejectDirectSend)"
		d.Remedy = "authenticate: auth: microsoft-oauth with server smtp.office365.com, port 587 and STARTTLS (" + microsoft.GuideCommand + ")"
	case se.Code == 451 && se.EnhancedCode[0] == 4 && se.EnhancedCode[1] == 7 && se.EnhancedCode[2] >= 500 && se.EnhancedCode[2] <= 699:
		d.Code = CodeExchangeThrottled
		d.Summary = fmt.Sprintf("Exchange Online has restricted this sender for now (%s): it saw suspicious or unusual activity, "+
			"or the tenant sends more than its reputation allows yet", code)
		d.Remedy = "a temporary restriction: retry later, and do not retry in a tight loop (that prolongs it); if it persists for hours, " +
			"check the mailbox for a compromise and open a case with Microsoft support"
	case code == "452 4.5.3":
		d.Code, d.Field = CodeExchangeTooManyRecipients, "smtp.default_recipients"
		d.Summary = "the server takes no more recipients for this message (452 4.5.3 too many recipients)"
		d.Remedy = "Exchange Online takes at most 500 recipients per message by default (the mailbox's RecipientLimits): " +
			"send to fewer addresses, or to a distribution group. " + exchangeLimits
		d.Commands = []string{fmt.Sprintf("Get-Mailbox -Identity %s | Format-List RecipientLimits", mailbox)}
	case code == "421 4.3.2":
		d.Code = CodeExchangeServiceUnavailable
		d.Summary = "Exchange Online is not taking this connection now (421 4.3.2 service not available)"
		d.Remedy = "the server that answered is busy or being taken out of service, or this address opens too many connections: " +
			"retry in a few minutes; if every try gets it, check for other clients holding connections from this address"
	case se.Code == 550 && (enhanced(se) == "5.7.501" || enhanced(se) == "5.7.502" || enhanced(se) == "5.7.503"):
		d.Code = CodeExchangeSpamBanned
		d.Summary = fmt.Sprintf("Exchange Online refuses mail from %s: the sending account is banned for spam (%s)", mailbox, code)
		d.Remedy = "no setting fixes this: find the cause (a compromised account, a bulk sender), secure the account, " +
			"then open a case with Microsoft support to lift the ban"
	case code == "554 5.6.211":
		d.Code = CodeExchangeInvalidMIME
		d.Summary = "Exchange Online refused the message's MIME structure (554 5.6.211 invalid MIME content)"
		d.Remedy = "the message is not valid MIME by Exchange's rules (a header or line too long, a bad encoding); " +
			"sitecfg's own test message is plain MIME, so a gateway or proxy on the way that rewrites messages is the first suspect"
	case code == "552 5.3.4":
		d.Code = CodeExchangeMessageTooLarge
		d.Summary = "the message is larger than the server takes (552 5.3.4 message too big)"
		d.Remedy = "Exchange Online's default limit is 35 MB per message, and an administrator may have set the mailbox's lower: " +
			"send smaller messages, or ask for a higher MaxSendSize"
		d.Commands = []string{fmt.Sprintf("Get-Mailbox -Identity %s | Format-List MaxSendSize", mailbox)}
	case se.Code == 534 && enhanced(se) == "5.7.9":
		d.Code = CodeAppPasswordRequired
		d.Field = "smtp.password"
		d.Summary = "the provider wants an application-specific password or OAuth for this account (534 5.7.9)"
		d.Remedy = "create an app password for this account, or use OAuth"
	default:
		return nil
	}
	return d
}

// exchangeBasicAuthWarning is the warning after basic authentication
// succeeded at Exchange Online (the basic method's authWarning): it works
// today, and Microsoft's timeline says for how long (the same words as the
// rules' warning). Nil for any other server.
func exchangeBasicAuthWarning(s Settings) *Diagnosis {
	if !microsoft.IsSubmissionHost(s.Host) {
		return nil
	}
	return &Diagnosis{
		Step: StepAuth, Code: CodeExchangeBasicAuthRetiring, Field: "smtp.auth",
		Summary: "basic authentication to Exchange Online worked today, but it is being retired",
		Remedy:  microsoft.BasicAuthRetirement,
	}
}

// exchangeNetwork rewords a resolve or connect failure when the server is
// one of Exchange Online's published hosts: the host exists, so the cause
// is this machine's DNS, firewall or proxy — not smtp.server, and never
// "use an IP address" (Exchange Online's addresses change and its
// certificate names the host).
func exchangeNetwork(s Settings, d *Diagnosis) *Diagnosis {
	if !microsoft.IsSubmissionHost(s.Host) || d == nil || d.Code == CodeCancelled {
		return d
	}
	d.Field = ""
	switch d.Code {
	case CodeDNSNotFound, CodeDNSFailed, CodeDNSTimeout:
		d.Summary = fmt.Sprintf("this machine could not look up Exchange Online's host %s", s.Host)
		d.Remedy = "Microsoft publishes this name, so the lookup fails on this side: check this machine's DNS servers (/etc/resolv.conf) " +
			"and that the firewall lets DNS out; do not put an IP address in its place"
	default:
		d.Remedy = fmt.Sprintf("a firewall or proxy between this machine and Exchange Online blocks outbound TCP port %d: "+
			"allow it to %s (Microsoft 365's \"SMTP client\" endpoints); do not put an IP address in its place", s.Port, s.Host)
	}
	return d
}
