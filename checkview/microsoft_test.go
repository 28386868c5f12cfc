package checkview

import (
	"fmt"
	"testing"

	"sitecfg/microsoft"
	"sitecfg/smtpauth"
)

// Every Exchange and Entra diagnosis of issue 13 names its guide step in
// the lines every front end prints; the ones that lead from basic
// authentication to OAuth do so whatever the method.
func TestMicrosoftDiagnosesNameTheirGuideStep(t *testing.T) {
	tests := []struct {
		code        smtpauth.Code
		isMicrosoft bool
		step        microsoft.GuideStep
	}{
		{smtpauth.CodeExchangeBasicAuthRetired, false, microsoft.GuideStepRegister},
		{smtpauth.CodeExchangeBasicAuthDisabled, false, microsoft.GuideStepRegister},
		{smtpauth.CodeExchangeBasicAuthRetiring, false, microsoft.GuideStepRegister},
		{smtpauth.CodeExchangeSendAsDeniedAtData, true, microsoft.GuideStepMailbox},
		{smtpauth.CodeExchangeSMTPAuthDisabled, true, microsoft.GuideStepSMTPAuth},
		{smtpauth.CodeExchangeSignInPolicy, true, microsoft.GuideStepSMTPAuth},
		{smtpauth.CodeAADSTS900432, true, microsoft.GuideStepRegister},
		{smtpauth.CodeAADSTS90038, true, microsoft.GuideStepRegister},
		{smtpauth.CodeAADSTS900382, true, microsoft.GuideStepRegister},
		{smtpauth.CodeAADSTS7000112, true, microsoft.GuideStepRegister},
		{smtpauth.CodeAADSTS500011, true, microsoft.GuideStepPermission},
		// Not the set-up's: no guide line.
		{smtpauth.CodeExchangeIPBlocked, true, 0},
		{smtpauth.CodeExchangeTenantBlocked, true, 0},
		{smtpauth.CodeExchangeSenderRestricted, true, 0},
		{smtpauth.CodeExchangeQuotaExceeded, true, 0},
		{smtpauth.CodeAADSTS53003, true, 0},
		{smtpauth.CodeExchangeSendAsDeniedAtData, false, 0},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%v", tt.code, tt.isMicrosoft), func(t *testing.T) {
			d := NewDiagnosis(&smtpauth.Diagnosis{Code: tt.code, Summary: "s", Remedy: "r"}, tt.isMicrosoft)
			want := fmt.Sprintf("  Set-up guide: step %d of 'sitecfg guide microsoft'", tt.step)
			found := ""
			for _, l := range d.Details() {
				if l.Label == LabelGuide {
					found = l.String()
				}
			}
			if tt.step == 0 && found != "" || tt.step != 0 && found != want {
				t.Errorf("guide line %q, want step %d", found, tt.step)
			}
		})
	}
}
