package microsoft

import "strings"

// RBACRole is the Exchange Online management role that lets an app send
// over SMTP as the mailboxes of the scope it is assigned on (RBAC for
// Applications, "Configure SMTP onboarding to App RBAC"). Such an app
// needs no SMTP.SendAsApp API permission, and Microsoft advises against
// adding one: with it in the token Exchange checks mailbox permissions.
const RBACRole = "Application SMTP.SendAsApp"

// RBACScope is the name of the management scope that the guide, the
// script and the live check's remedies make for mailbox.
func RBACScope(mailbox string) string { return "sitecfg SMTP " + mailbox }

// RBACCommands are the Exchange Online PowerShell commands, ready to
// paste in order, that let app (the client ID, or a PowerShell expression
// for it) send as mailbox through App RBAC: a management scope holding
// only the mailbox, the role assigned on it, and the test that shows the
// assignment reaches the mailbox (InScope True). The app's service
// principal must be registered in Exchange first (New-ServicePrincipal).
func RBACCommands(app, mailbox string) []string {
	resource := mailbox
	if !isPlaceholder(mailbox) {
		resource = psQuote(mailbox)
	}
	return []string{
		"$scope = " + psQuote(RBACScope(mailbox)),
		"New-ManagementScope -Name $scope -RecipientRestrictionFilter " + mailboxFilter(mailbox),
		"New-ManagementRoleAssignment -App " + app + " -Role " + psQuote(RBACRole) + " -CustomResourceScope $scope",
		"Test-ServicePrincipalAuthorization -Identity " + app + " -Resource " + resource + " | Format-Table",
	}
}

// mailboxFilter is the OPATH recipient filter for exactly mailbox, as a
// PowerShell double-quoted string: OPATH quotes its value in single
// quotes (doubled inside), PowerShell's backtick escapes what a
// double-quoted string would expand.
func mailboxFilter(mailbox string) string {
	opath := "PrimarySmtpAddress -eq '" + strings.ReplaceAll(strings.TrimSpace(mailbox), "'", "''") + "'"
	return `"` + strings.NewReplacer("`", "``", "$", "`$", `"`, "`\"", "\u201c", "`\u201c", "\u201d", "`\u201d", "\u201e", "`\u201e").Replace(opath) + `"`
}

// isPlaceholder reports a <placeholder> that stands for a value the
// commands cannot know yet: shown as it is, never quoted.
func isPlaceholder(v string) bool {
	return strings.HasPrefix(v, "<") && strings.HasSuffix(v, ">")
}
