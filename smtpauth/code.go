package smtpauth

import (
	"fmt"
	"strings"

	"sitecfg/microsoft"
)

// Code identifies a diagnosis, stably: scripts read it from --json, and
// each code that concerns the Microsoft set-up names its guide step
// (GuideStep). Every code the check produces is a constant below or made
// by one of the constructors (AADSTSCode, TokenErrorCode, ReplyCode).
type Code string

// Codes of a check that could not run or did not finish.
const (
	CodeInvalidSettings Code = "invalid-settings" // the Settings cannot describe a check (Check's error is non-nil)
	CodeCancelled       Code = "cancelled"        // the caller cancelled the check
	CodeTimeout         Code = "timeout"          // the server stopped answering
)

// Codes of the resolve and connect steps.
const (
	CodeDNSFailed          Code = "dns-failed"
	CodeDNSNotFound        Code = "dns-not-found"
	CodeDNSTimeout         Code = "dns-timeout"
	CodeConnectRefused     Code = "connect-refused"
	CodeConnectTimeout     Code = "connect-timeout"
	CodeConnectUnreachable Code = "connect-unreachable"
	CodeConnectFailed      Code = "connect-failed"
)

// Codes of the SMTP conversation: a silent, hostile or not-SMTP server.
const (
	CodeLineTooLong        Code = "line-too-long"
	CodeConnectionDropped  Code = "connection-dropped"
	CodeIOError            Code = "io-error"
	CodeNotSMTP            Code = "not-smtp"
	CodeNoBanner           Code = "no-banner"
	CodeServerBusy         Code = "server-busy"
	CodeConnectionRejected Code = "connection-rejected"
)

// Codes of the TLS step and the server's certificate.
const (
	CodePortWantsImplicitTLS Code = "port-wants-implicit-tls"
	CodePortWantsSTARTTLS    Code = "port-wants-starttls"
	CodeSTARTTLSMissing      Code = "starttls-missing"
	CodeTLSNotTLS            Code = "tls-not-tls"
	CodeTLSTooOld            Code = "tls-too-old"
	CodeTLSDropped           Code = "tls-dropped"
	CodeTLSFailed            Code = "tls-failed"
	CodeTLSIntercepted       Code = "tls-intercepted" // a proxy or firewall answered TLS in the server's place
	CodeCAFileUnreadable     Code = "ca-file-unreadable"
	CodeCertInvalid          Code = "cert-invalid"
	CodeCertWrongHost        Code = "cert-wrong-host"
	CodeCertExpired          Code = "cert-expired"
	CodeCertSelfSigned       Code = "cert-self-signed"
	CodeCertUntrusted        Code = "cert-untrusted"
	CodeCertExpiresSoon      Code = "cert-expires-soon" // a warning
)

// Codes of the token step.
const (
	CodeCleartextTokenURL        Code = "cleartext-token-url"
	CodeClientAssertionFailed    Code = "client-assertion-failed"
	CodeTokenEndpointUnreachable Code = "token-endpoint-unreachable"
	CodeTokenEndpointTimeout     Code = "token-endpoint-timeout"
	CodeTokenRedirect            Code = "token-redirect"
	CodeTokenResponseInvalid     Code = "token-response-invalid"
	CodeTokenEmpty               Code = "token-empty"
	CodeTokenExpired             Code = "token-expired"
	CodeWrongAudience            Code = "wrong-audience"
	CodeMissingSendAsApp         Code = "missing-sendasapp"
)

// Codes of the AUTH step.
const (
	CodeCleartextCredentials Code = "cleartext-credentials"
	CodeAuthNotOffered       Code = "auth-not-offered"
	CodeMechanismNotOffered  Code = "mechanism-not-offered"
	CodeAuthProtocol         Code = "auth-protocol"
	CodeOAuthRejected        Code = "oauth-rejected"
	CodeAuthFailed           Code = "auth-failed"
	CodeAuthTemporary        Code = "auth-temporary"
	CodeAuthNeedsTLS         Code = "auth-needs-tls"
)

// Codes of EHLO and of the envelope step (MAIL FROM, RCPT TO, RSET).
const (
	CodeEHLORejected      Code = "ehlo-rejected"      // the server refused the EHLO/HELO name
	CodeRecipientUnknown  Code = "recipient-unknown"  // no such mailbox
	CodeRecipientRefused  Code = "recipient-refused"  // refused for another reason
	CodeSenderDeferred    Code = "sender-deferred"    // a warning: 4xx at MAIL FROM
	CodeRecipientDeferred Code = "recipient-deferred" // a warning: 4xx at RCPT TO (greylisting)
)

// Codes of the test message and QUIT.
const (
	CodeNoFrom             Code = "no-from"
	CodeNoRecipients       Code = "no-recipients"
	CodeAuthRequired       Code = "auth-required"
	CodeRelayDenied        Code = "relay-denied"
	CodeSenderRejected     Code = "sender-rejected"
	CodeRecipientsRejected Code = "recipients-rejected"
	CodeMessageRejected    Code = "message-rejected"
	CodeRecipientRejected  Code = "recipient-rejected" // a warning
	CodeQuitFailed         Code = "quit-failed"        // a warning
)

// Exchange Online replies (and servers that borrow its codes), explained
// with the operator's own IDs filled into the commands.
const (
	CodeExchangeAuthUnsuccessful   Code = "smtp-535-5.7.3"   // token or password refused
	CodeExchangeSMTPAuthDisabled   Code = "smtp-535-5.7.139" // "SmtpClientAuthentication is disabled" for the mailbox or tenant
	CodeExchangeNotAuthenticated   Code = "smtp-530-5.7.57"  // mail without a login
	CodeExchangeSendAsDenied       Code = "smtp-550-5.7.60"  // From is not the mailbox
	CodeExchangeTooManyConnections Code = "smtp-432-4.3.2"
	CodeExchangeTLSTooOld          Code = "smtp-421-4.7.66"
	CodeAppPasswordRequired        Code = "smtp-534-5.7.9"

	// Basic authentication's retirement in Exchange Online.
	CodeExchangeBasicAuthRetired  Code = "smtp-550-5.7.30"                      // basic auth no longer accepted for client submission
	CodeExchangeBasicAuthDisabled Code = "smtp-535-5.7.139-basic-auth-disabled" // basic auth off for the tenant (policy)
	CodeExchangeBasicAuthRetiring Code = "exchange-basic-auth-retiring"         // a warning: basic auth worked, for now

	// 535 5.7.139 by its text: SMTP AUTH off for the tenant (CodeExchangeSMTPAuthDisabled
	// also covers the mailbox), a sign-in policy, security defaults, bad
	// credentials, a locked account, or none of these (the general reading).
	CodeExchangeSignInPolicy     Code = "smtp-535-5.7.139-sign-in-policy"    // Conditional Access, security defaults
	CodeExchangeSecurityDefaults Code = "smtp-535-5.7.139-security-defaults" // "user is locked by your organization's security defaults policy"
	CodeExchangeBadCredentials   Code = "smtp-535-5.7.139-credentials"       // "the user credentials were incorrect"
	CodeExchangeAccountLocked    Code = "smtp-535-5.7.139-account-locked"    // "account locked"
	CodeExchangeAuthPolicy       Code = "smtp-535-5.7.139-other"             // a text none of the others matches

	// Refusals of the sender or the message.
	CodeExchangeSendAsDeniedAtData Code = "smtp-554-5.2.252" // SendAsDenied (also 554 5.2.0 …SendAsDeniedException)
	CodeExchangeIPBlocked          Code = "smtp-550-5.7.708" // traffic not accepted from this IP
	CodeExchangeTenantBlocked      Code = "smtp-550-5.7.705" // tenant exceeded its threshold
	CodeExchangeSenderRestricted   Code = "smtp-550-5.1.8"   // bad outbound sender: restricted as compromised
	CodeExchangeNoFromHeader       Code = "smtp-550-5.7.512" // no valid From header
	CodeExchangeUnregisteredDomain Code = "smtp-550-5.7.750" // From in a domain the tenant has not registered
	CodeExchangeQuotaExceeded      Code = "smtp-554-5.2.0-submission-quota"
	CodeExchangeDirectSendRejected Code = "smtp-550-5.7.68"      // RejectDirectSend
	CodeExchangeSpamBanned         Code = "smtp-550-5.7.501-503" // spam abuse detected, banned sender
	CodeExchangeInvalidMIME        Code = "smtp-554-5.6.211"     // invalid MIME content
	CodeExchangeMessageTooLarge    Code = "smtp-552-5.3.4"       // message too big

	// Temporary refusals.
	CodeExchangeThrottled          Code = "smtp-451-4.7.500-699" // sender temporarily restricted (ASxxx)
	CodeExchangeTooManyRecipients  Code = "smtp-452-4.5.3"       // too many recipients
	CodeExchangeServiceUnavailable Code = "smtp-421-4.3.2"       // service not available, at connect or later

	// Entra's sign-in endpoint cannot be reached from this machine (DNS,
	// firewall, proxy).
	CodeEntraUnreachable Code = "entra-unreachable"
)

// Entra (Microsoft identity platform) errors that have their own
// diagnosis; AADSTSCode makes the code of any other.
const (
	CodeAADSTS7000215 Code = "aadsts7000215" // the secret's ID instead of its value
	CodeAADSTS7000222 Code = "aadsts7000222" // the secret has expired
	CodeAADSTS7000218 Code = "aadsts7000218" // no client credential sent
	CodeAADSTS700016  Code = "aadsts700016"  // no such application in the tenant
	CodeAADSTS90002   Code = "aadsts90002"   // tenant not found
	CodeAADSTS900023  Code = "aadsts900023"  // tenant ID malformed
	CodeAADSTS70011   Code = "aadsts70011"   // invalid scope
	CodeAADSTS1002012 Code = "aadsts1002012" // invalid scope
	CodeAADSTS700027  Code = "aadsts700027"  // certificate not registered
	CodeAADSTS700024  Code = "aadsts700024"  // assertion outside its time range (clock)
	CodeAADSTS7000274 Code = "aadsts7000274" // certificate outside its validity
	CodeAADSTS1000502 Code = "aadsts1000502" // certificate outside its validity
	CodeAADSTS7000214 Code = "aadsts7000214" // certificate revoked
	CodeAADSTS7000277 Code = "aadsts7000277" // certificate revoked
	CodeAADSTS700023  Code = "aadsts700023"  // assertion audience does not match the tenant (with a certificate)
	CodeAADSTS900432  Code = "aadsts900432"  // cross-cloud request: the app lives in another cloud
	CodeAADSTS7000112 Code = "aadsts7000112" // the application is disabled
	CodeAADSTS53003   Code = "aadsts53003"   // blocked by Conditional Access
	CodeAADSTS500011  Code = "aadsts500011"  // resource principal (Exchange Online) not found in the tenant
	CodeAADSTS90038   Code = "aadsts90038"   // national-cloud redirection: wrong cloud
	CodeAADSTS900382  Code = "aadsts900382"  // national-cloud redirection: wrong cloud
	CodeAADSTS7000229 Code = "aadsts7000229" // no service principal in the tenant: consent never granted
)

// Token refusals without an AADSTS number, by their RFC 6749 error;
// TokenErrorCode makes the code of any other.
const (
	CodeTokenInvalidClient      Code = "token-invalid-client"
	CodeTokenUnauthorizedClient Code = "token-unauthorized-client"
	CodeTokenInvalidScope       Code = "token-invalid-scope"
	CodeTokenRefused            Code = "token-refused" // no error code at all
)

// AADSTSCode is the code of Entra error AADSTSn, for example
// AADSTSCode(7000215) == CodeAADSTS7000215.
func AADSTSCode(n int) Code { return Code(fmt.Sprintf("aadsts%d", n)) }

// TokenErrorCode is the code of a token request refused with the OAuth
// error oauthErr (RFC 6749 section 5.2) and no AADSTS number, for example
// TokenErrorCode("invalid_client") == CodeTokenInvalidClient.
func TokenErrorCode(oauthErr string) Code {
	return Code("token-" + strings.ReplaceAll(orDefault(oauthErr, "refused"), "_", "-"))
}

// ReplyCode is the code of an SMTP reply that no more specific rule
// explains: "smtp-550", or with an enhanced status code "smtp-535-5.7.3".
func ReplyCode(code int, enhanced string) Code {
	if enhanced == "" {
		return Code(fmt.Sprintf("smtp-%d", code))
	}
	return Code(fmt.Sprintf("smtp-%d-%s", code, enhanced))
}

// guideSteps is the step of 'sitecfg guide microsoft' each code concerns.
var guideSteps = map[Code]microsoft.GuideStep{
	CodeAADSTS700016:            microsoft.GuideStepRegister,
	CodeAADSTS90002:             microsoft.GuideStepRegister,
	CodeAADSTS900023:            microsoft.GuideStepRegister,
	CodeAADSTS700023:            microsoft.GuideStepRegister,
	CodeTokenUnauthorizedClient: microsoft.GuideStepRegister,
	CodeAADSTS900432:            microsoft.GuideStepRegister,
	CodeAADSTS7000112:           microsoft.GuideStepRegister,
	CodeAADSTS90038:             microsoft.GuideStepRegister,
	CodeAADSTS900382:            microsoft.GuideStepRegister,

	// The way from basic authentication to OAuth starts at the top.
	CodeExchangeBasicAuthRetired:  microsoft.GuideStepRegister,
	CodeExchangeBasicAuthDisabled: microsoft.GuideStepRegister,
	CodeExchangeBasicAuthRetiring: microsoft.GuideStepRegister,
	CodeExchangeSecurityDefaults:  microsoft.GuideStepRegister,

	CodeAADSTS7000215:         microsoft.GuideStepSecret,
	CodeAADSTS7000222:         microsoft.GuideStepSecret,
	CodeAADSTS7000218:         microsoft.GuideStepSecret,
	CodeAADSTS700027:          microsoft.GuideStepSecret,
	CodeAADSTS7000274:         microsoft.GuideStepSecret,
	CodeAADSTS1000502:         microsoft.GuideStepSecret,
	CodeAADSTS7000214:         microsoft.GuideStepSecret,
	CodeAADSTS7000277:         microsoft.GuideStepSecret,
	CodeClientAssertionFailed: microsoft.GuideStepSecret,
	CodeTokenInvalidClient:    microsoft.GuideStepSecret,

	CodeMissingSendAsApp:  microsoft.GuideStepPermission,
	CodeWrongAudience:     microsoft.GuideStepPermission,
	CodeAADSTS70011:       microsoft.GuideStepPermission,
	CodeAADSTS1002012:     microsoft.GuideStepPermission,
	CodeTokenInvalidScope: microsoft.GuideStepPermission,
	CodeAADSTS500011:      microsoft.GuideStepPermission,
	CodeAADSTS7000229:     microsoft.GuideStepPermission,

	CodeExchangeAuthUnsuccessful:   microsoft.GuideStepPrincipal,
	CodeExchangeSendAsDenied:       microsoft.GuideStepMailbox,
	CodeExchangeSendAsDeniedAtData: microsoft.GuideStepMailbox,
	CodeExchangeSMTPAuthDisabled:   microsoft.GuideStepSMTPAuth,
	CodeExchangeSignInPolicy:       microsoft.GuideStepSMTPAuth,
	CodeExchangeAuthPolicy:         microsoft.GuideStepSMTPAuth,
}

// basicToOAuth are the codes that say basic authentication is over at
// Exchange Online: they point at the guide whatever the method, since the
// guide is the way to microsoft-oauth.
var basicToOAuth = map[Code]bool{
	CodeExchangeBasicAuthRetired: true, CodeExchangeBasicAuthDisabled: true, CodeExchangeBasicAuthRetiring: true,
	CodeExchangeSecurityDefaults: true,
}

// Microsoft reports whether the diagnosis concerns the Microsoft 365
// set-up whatever the auth method: basic authentication refused or
// retiring at Exchange Online, whose fix is the guide's OAuth set-up.
// Front ends name the guide step for these even when the settings are
// not microsoft-oauth.
func (c Code) Microsoft() bool { return basicToOAuth[c] }

// GuideStep is the step of 'sitecfg guide microsoft' the diagnosis
// concerns, or 0 when none does. It only means something when the
// settings are Microsoft 365's.
func (c Code) GuideStep() microsoft.GuideStep { return guideSteps[c] }
