package config

import (
	"strings"
	"testing"
)

// Issue 22, point 3: a hand-edited site config whose password YAML reads
// as an alias, an anchor or a tag is refused naming the field, without
// the value in the error, and never read as an empty password.
func TestSiteConfigRefusesAnchorsAliasesAndTagsWithoutEchoing(t *testing.T) {
	t.Parallel()
	base, err := Marshal(sampleSite("mail.example.com"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"password: *Secret-Canary-91",
		"password: &Secret-Canary-91",
		"password: !!int Secret-Canary-91",
		"password: !Secret-Canary-91",
		"password: &a Secret-Canary-91",
	} {
		data := setPassword(t, string(base), line)
		_, _, err := Parse([]byte(data))
		if err == nil {
			t.Errorf("%s: accepted", line)
			continue
		}
		if strings.Contains(err.Error(), "Secret-Canary") || strings.Contains(err.Error(), "Canary") {
			t.Errorf("%s: the error echoes the value: %v", line, err)
		}
		if !strings.Contains(err.Error(), "smtp.password") {
			t.Errorf("%s: the error does not name the field: %v", line, err)
		}
	}
	// A value of the wrong type is not quoted back either.
	data := strings.Replace(string(base), "port: 587", "port: Secret-Canary-92", 1)
	if _, _, err := Parse([]byte(data)); err == nil || strings.Contains(err.Error(), "Canary") {
		t.Errorf("wrong type: %v", err)
	}
}

// setPassword replaces the smtp.password line of a marshalled config.
func setPassword(t *testing.T, data, line string) string {
	t.Helper()
	lines := strings.Split(data, "\n")
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "password:") {
			lines[i] = l[:len(l)-len(strings.TrimLeft(l, " "))] + line
			return strings.Join(lines, "\n")
		}
	}
	t.Fatalf("no password line in\n%s", data)
	return ""
}

// Issue 22, point 4: a plain string is always literal, a reference is a
// one-key mapping, and an older file's reference strings are read as
// references once, as a migration.
func TestSecretReferencesAreMappings(t *testing.T) {
	t.Parallel()
	for _, pw := range []string{"file:Hunter2-Secret!", "${NAME}", "plain"} {
		s := sampleSite("mail.example.com")
		s.SMTP.Password = Secret{Value: pw}
		data, err := Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		back, info, err := Parse(data)
		if err != nil {
			t.Fatal(err)
		}
		if back.SMTP.Password != (Secret{Value: pw}) || len(info.Migrations) != 0 {
			t.Errorf("%q came back as %#v (migrations %v)", pw, back.SMTP.Password, info.Migrations)
		}
	}
	for ref, want := range map[string]string{"${SMTP_PASSWORD}": "{env: SMTP_PASSWORD}", "file:/run/secrets/smtp": "{file: /run/secrets/smtp}"} {
		s := sampleSite("mail.example.com")
		s.SMTP.Password = Secret{Ref: ref}
		data, _ := Marshal(s)
		if !strings.Contains(string(data), "password: "+want) {
			t.Errorf("%s written as\n%s", ref, data)
		}
		back, _, err := Parse(data)
		if err != nil || back.SMTP.Password != (Secret{Ref: ref}) {
			t.Errorf("%s read back as %#v, %v", ref, back.SMTP.Password, err)
		}
		// An earlier version wrote the reference as a string, and no
		// refs marker: read as the reference, noted as a migration.
		old := strings.Replace(setPassword(t, string(data), "password: "+ref), "  refs: mapping\n", "", 1)
		back, info, err := Parse([]byte(old))
		if err != nil || back.SMTP.Password != (Secret{Ref: ref}) || len(info.Migrations) != 1 || !strings.Contains(info.Migrations[0], want) {
			t.Errorf("older %s read as %#v, %v, %v", ref, back.SMTP.Password, info.Migrations, err)
		}
	}
	for _, bad := range []string{"{env: 'NOT A NAME'}", "{file: ''}", "{env: A, file: /b}", "{value: x}", "[a]"} {
		s := sampleSite("mail.example.com")
		s.SMTP.Password = Secret{Value: "x"}
		data, _ := Marshal(s)
		if _, _, err := Parse([]byte(setPassword(t, string(data), "password: "+bad))); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}
