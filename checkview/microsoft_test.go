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
		code   smtpauth.Code
		method smtpauth.Method
		step   microsoft.GuideStep
	}{
		{smtpauth.CodeExchangeBasicAuthRetired, smtpauth.MethodBasic, microsoft.GuideStepRegister},
		{smtpauth.CodeExchangeBasicAuthDisabled, smtpauth.MethodBasic, microsoft.GuideStepRegister},
		{smtpauth.CodeExchangeBasicAuthRetiring, smtpauth.MethodBasic, microsoft.GuideStepRegister},
		{smtpauth.CodeExchangeSendAsDeniedAtData, smtpauth.MethodMicrosoft, microsoft.GuideStepMailbox},
		{smtpauth.CodeExchangeSMTPAuthDisabled, smtpauth.MethodMicrosoft, microsoft.GuideStepSMTPAuth},
		{smtpauth.CodeExchangeSignInPolicy, smtpauth.MethodMicrosoft, microsoft.GuideStepSMTPAuth},
		{smtpauth.CodeAADSTS900432, smtpauth.MethodMicrosoft, microsoft.GuideStepRegister},
		{smtpauth.CodeAADSTS90038, smtpauth.MethodMicrosoft, microsoft.GuideStepRegister},
		{smtpauth.CodeAADSTS900382, smtpauth.MethodMicrosoft, microsoft.GuideStepRegister},
		{smtpauth.CodeAADSTS7000112, smtpauth.MethodMicrosoft, microsoft.GuideStepRegister},
		{smtpauth.CodeAADSTS500011, smtpauth.MethodMicrosoft, microsoft.GuideStepPermission},
		// Not the set-up's: no guide line.
		{smtpauth.CodeExchangeIPBlocked, smtpauth.MethodMicrosoft, 0},
		{smtpauth.CodeExchangeTenantBlocked, smtpauth.MethodMicrosoft, 0},
		{smtpauth.CodeExchangeSenderRestricted, smtpauth.MethodMicrosoft, 0},
		{smtpauth.CodeExchangeQuotaExceeded, smtpauth.MethodMicrosoft, 0},
		{smtpauth.CodeAADSTS53003, smtpauth.MethodMicrosoft, 0},
		{smtpauth.CodeExchangeSendAsDeniedAtData, smtpauth.MethodBasic, 0},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%v", tt.code, tt.method), func(t *testing.T) {
			d := NewDiagnosis(&smtpauth.Diagnosis{Code: tt.code, Summary: "s", Remedy: "r"}, tt.method)
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
