package smtpauth

import (
	"fmt"

	"github.com/emersion/go-smtp"
)

// Placeholders in commands for values the check cannot know.
const (
	placeholderObjectID = "<Enterprise application object ID>"
	placeholderSPID     = "<service principal ID>"
)

// diagnoseExchange explains the replies Exchange Online (and servers that
// borrow its codes) gives, with the operator's own IDs filled into the
// commands. It returns nil for replies it does not know.
func diagnoseExchange(s Settings, step StepName, se *smtp.SMTPError) *Diagnosis {
	mailbox := orDefault(s.Username, "<mailbox>")
	clientID := orDefault(s.ClientID, "<client id>")
	d := &Diagnosis{Step: step, ServerSaid: replyText(se)}
	switch code := fmt.Sprintf("%d %s", se.Code, enhanced(se)); {
	case code == "535 5.7.3" && tokenOf(methodFor(s.Method)) != nil:
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
		d.Remedy = "check the username and password; Microsoft 365 is retiring basic authentication for SMTP, use auth: microsoft-oauth there"
	case code == "535 5.7.139":
		d.Code = CodeExchangeSMTPAuthDisabled
		d.Summary = "SMTP AUTH is disabled for mailbox " + mailbox + " or for the tenant (535 5.7.139), or Security defaults block it"
		d.Remedy = "enable authenticated SMTP for the mailbox (and, if disabled tenant-wide, for the tenant) in Exchange Online PowerShell"
		d.Commands = []string{
			fmt.Sprintf("Set-CASMailbox -Identity %s -SmtpClientAuthenticationDisabled $false", mailbox),
			"Set-TransportConfig -SmtpClientAuthenticationDisabled $false",
		}
	case code == "530 5.7.57":
		d.Code = CodeExchangeNotAuthenticated
		d.Field = "smtp.auth"
		d.Summary = "the server will not take mail without authentication (530 5.7.57)"
		d.Remedy = "choose an authentication method (auth: microsoft-oauth for Microsoft 365) so the check authenticates after STARTTLS"
	case code == "550 5.7.60":
		d.Code = CodeExchangeSendAsDenied
		d.Field = "smtp.from"
		d.Summary = fmt.Sprintf("mailbox %s may not send as %s (550 5.7.60)", mailbox, orDefault(s.From, "the From address"))
		d.Remedy = "set smtp.from to the mailbox itself, or give the mailbox Send As permission on the From address"
		d.Commands = []string{
			fmt.Sprintf("Add-RecipientPermission -Identity %s -Trustee %s -AccessRights SendAs", orDefault(s.From, "<from address>"), mailbox),
		}
	case code == "432 4.3.2":
		d.Code = CodeExchangeTooManyConnections
		d.Summary = "the mailbox has too many concurrent connections (432 4.3.2)"
		d.Remedy = "wait a minute and retry; make sure other senders using this mailbox do not hold many connections open at once"
	case code == "421 4.7.66":
		d.Code = CodeExchangeTLSTooOld
		d.Summary = "the server refuses TLS below version 1.2 (421 4.7.66)"
		d.Remedy = "this check always uses TLS 1.2 or later; if you see this, a proxy in the path is downgrading TLS"
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
