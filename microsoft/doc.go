// Package microsoft holds what sitecfg knows about Microsoft 365 as data:
// the clouds (global and sovereign) with their Exchange Online SMTP hosts,
// Entra token endpoints, token resources and scopes, admin portals and
// Exchange PowerShell environment names, and the Entra ID / Exchange
// Online set-up guide built from them, with its numbered steps.
//
// It does no network I/O and has no user interface: it returns values and
// text that the callers (config rules, the live check, the guide command)
// use.
package microsoft
