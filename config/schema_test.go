package config

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

// compiledSchema compiles AnswersSchema as a draft 2020-12 schema (the
// compiler checks it against the meta-schema).
func compiledSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(AnswersSchema()))
	if err != nil {
		t.Fatalf("the schema is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource(SchemaID, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(SchemaID)
	if err != nil {
		t.Fatalf("the schema does not compile: %v", err)
	}
	return s
}

// schemaCheck validates answers-file YAML as yaml-language-server does:
// the YAML as JSON, against the schema.
func schemaCheck(t *testing.T, s *jsonschema.Schema, data []byte) error {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		return err
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("YAML to JSON: %v", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return s.Validate(inst)
}

// validatorErrors are the errors sitecfg itself finds in data: parsing
// and every rule.
func validatorErrors(data []byte, dir string) Problems {
	a, ps := ParseAnswers(data, dir)
	if ps.HasErrors() {
		return ps.Errors()
	}
	a.ApplyDefaults()
	return a.Validate(time.Now()).Errors()
}

// The answers files of testdata/ (the ones operators would write, and
// the CI's MTA answers) are valid; a file the schema refuses, sitecfg
// refuses too (the schema is never stricter than the validator).
func TestSchemaAndTestdataAnswers(t *testing.T) {
	s := compiledSchema(t)
	for _, env := range []string{"ADMIN_PASSWORD=Adm1n-Pass!x", "SUPPORT_PASSWORD=Supp0rt-Pass!y",
		"SITECFG_TEST_PORT=2525", "SITECFG_TEST_SMTP_PASSWORD=Relay-Pass-1!", "SMTP_PASSWORD=Relay-Pass-1!",
		"SMTP_OAUTH_CLIENT_SECRET=s3cr3t~value.xyz"} {
		k, v, _ := strings.Cut(env, "=")
		t.Setenv(k, v)
	}
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "answers", "*.yaml"))
	mta, _ := filepath.Glob(filepath.Join("..", "testdata", "mta", "*.yaml"))
	files = append(files, mta...)
	if len(files) < 10 {
		t.Fatalf("found only %d answers files", len(files))
	}
	schemaRefuses := map[string]bool{"bad-unknown-keys.yaml": true, "bad-port.yaml": true, "bad-yaml.yaml": true}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			err = schemaCheck(t, s, data)
			switch {
			case !strings.HasPrefix(name, "bad-") && err != nil:
				t.Errorf("the schema refuses a good answers file: %v", err)
			case schemaRefuses[name] && err == nil:
				t.Errorf("the schema accepts it; sitecfg refuses it: %v", validatorErrors(data, filepath.Dir(f)))
			case err != nil && len(validatorErrors(data, filepath.Dir(f))) == 0:
				t.Errorf("the schema refuses what sitecfg accepts: %v", err)
			}
		})
	}
}

// Each mistake the schema is there to catch — an unknown key at any
// level, a value of the wrong type or outside its enum, a missing
// required field — is refused by the schema and by sitecfg alike; and
// the edits that stay valid are accepted by both.
func TestSchemaAgreesWithTheValidator(t *testing.T) {
	s := compiledSchema(t)
	const on = `version: 1
smtp:
  enabled: true
  auth: basic
  server: smtp.example.com
  port: 587
  security: starttls
  username: alerts@example.com
  password: Relay-Pass-1!
  from: alerts@example.com
  default_recipients: [noc@example.com]
emails:
  ui_admin: admin@example.com
  ui_support: support@example.com
  admiral_alerts: cluster-health@example.com
`
	const off = `version: 1
smtp:
  enabled: false
users:
  admin:
    username: siteadmin
    password: Adm1n-Pass!x
  support:
    username: csupport
    password: Supp0rt-Pass!y
recovery_codes_out: ./codes.txt
`
	edit := func(doc, old, new string) string {
		if !strings.Contains(doc, old) {
			t.Fatalf("no %q in the base document", old)
		}
		return strings.Replace(doc, old, new, 1)
	}
	for _, tt := range []struct {
		name  string
		doc   string
		valid bool
	}{
		{"smtp on", on, true},
		{"smtp off", off, true},
		{"recipients as one string", edit(on, "[noc@example.com]", `"noc@example.com, oncall@example.com"`), true},
		{"port as a reference", edit(on, "port: 587", "port: ${SITECFG_SCHEMA_PORT}"), true},
		{"enabled: yes", edit(off, "enabled: false", "enabled: no"), true},
		{"oauth2", edit(edit(on, "  password: Relay-Pass-1!\n", ""), "  auth: basic\n", "  auth: oauth2\n  oauth:\n    client_id: app\n    client_secret: ${SITECFG_SCHEMA_SECRET}\n    token_url: https://idp.example.com/token\n    scope: smtp.send\n    mechanism: oauthbearer\n"), true},

		{"unknown top-level key", on + "smtp_server: x\n", false},
		{"unknown smtp key", edit(on, "  port: 587", "  prot: 587"), false},
		{"unknown oauth key", edit(on, "  auth: basic\n", "  oauth:\n    tenant: x\n"), false},
		{"unknown emails key", edit(on, "  ui_support:", "  ui_supprt:"), false},
		{"unknown users key", edit(off, "    username: csupport", "    user: csupport"), false},
		{"port is a word", edit(on, "port: 587", "port: submission"), false},
		{"port out of range", edit(on, "port: 587", "port: 70000"), false},
		{"port is a list", edit(on, "port: 587", "port: [587]"), false},
		{"enabled is not a boolean", edit(on, "enabled: true", "enabled: maybe"), false},
		{"auth not a method", edit(on, "auth: basic", "auth: ntlm"), false},
		{"security not a mode", edit(on, "security: starttls", "security: ssl3"), false},
		{"emails is a string", edit(on, "emails:\n  ui_admin: admin@example.com\n  ui_support: support@example.com\n  admiral_alerts: cluster-health@example.com\n", "emails: admin@example.com\n"), false},
		{"server is a mapping", edit(on, "server: smtp.example.com", "server: {host: smtp.example.com}"), false},
		{"missing version", edit(on, "version: 1\n", ""), false},
		{"missing smtp.enabled", edit(off, "  enabled: false\n", "  server: x\n"), false},
		{"missing emails with smtp on", strings.Split(on, "emails:")[0], false},
		{"missing users with smtp off", edit(off, "users:\n  admin:\n    username: siteadmin\n    password: Adm1n-Pass!x\n  support:\n    username: csupport\n    password: Supp0rt-Pass!y\n", ""), false},
		{"missing a password", edit(off, "    password: Supp0rt-Pass!y\n", ""), false},
		{"missing server with smtp on", edit(on, "  server: smtp.example.com\n", ""), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("SITECFG_SCHEMA_PORT", "2525")
			t.Setenv("SITECFG_SCHEMA_SECRET", "s3cr3t~value.xyz")
			schemaErr := schemaCheck(t, s, []byte(tt.doc))
			valErrs := validatorErrors([]byte(tt.doc), t.TempDir())
			if tt.valid {
				if schemaErr != nil {
					t.Errorf("the schema refuses it: %v", schemaErr)
				}
				if len(valErrs) > 0 {
					t.Errorf("sitecfg refuses it: %v", valErrs)
				}
				return
			}
			if schemaErr == nil {
				t.Errorf("the schema accepts it")
			}
			if len(valErrs) == 0 {
				t.Errorf("sitecfg accepts it")
			}
		})
	}
}

// Every key the schema names is one ParseAnswers knows (no "unknown
// key"), and the sections generated from the model's types have exactly
// the keys of those types.
func TestSchemaKeysAreTheParsersKeys(t *testing.T) {
	var schema map[string]any
	if err := json.Unmarshal(AnswersSchema(), &schema); err != nil {
		t.Fatal(err)
	}
	// A document with every key the schema names, each with a string
	// value: ParseAnswers may object to the values, not to the keys.
	var build func(props map[string]any) map[string]any
	build = func(props map[string]any) map[string]any {
		doc := map[string]any{}
		for k, v := range props {
			if sub, ok := v.(map[string]any)["properties"].(map[string]any); ok {
				doc[k] = build(sub)
			} else {
				doc[k] = "x"
			}
		}
		return doc
	}
	doc := build(schema["properties"].(map[string]any))
	b, _ := yaml.Marshal(doc)
	_, ps := ParseAnswers(b, t.TempDir())
	for _, p := range ps {
		if strings.Contains(p.Message, "unknown key") {
			t.Errorf("the schema names a key sitecfg does not know: %s: %s", p.Field, p.Message)
		}
	}
	keys := func(path ...string) []string {
		m := schema
		for _, k := range path {
			m = m["properties"].(map[string]any)[k].(map[string]any)
		}
		var out []string
		for k := range m["properties"].(map[string]any) {
			out = append(out, k)
		}
		sort.Strings(out)
		return out
	}
	for _, tt := range []struct {
		path []string
		want []string
	}{
		{nil, []string{"emails", "recovery_codes_out", "smtp", "users", "version"}},
		{[]string{"smtp"}, []string{"auth", "ca_file", "default_recipients", "ehlo_name", "enabled", "from", "oauth", "password", "port", "security", "server", "username"}},
		{[]string{"emails"}, []string{"admiral_alerts", "ui_admin", "ui_support"}},
		{[]string{"users", "admin"}, []string{"password", "username"}},
	} {
		if got := keys(tt.path...); !slices.Equal(got, tt.want) {
			t.Errorf("%v: keys %v, want %v", tt.path, got, tt.want)
		}
	}
	// The enums are the registries'.
	auth := schema["properties"].(map[string]any)["smtp"].(map[string]any)["properties"].(map[string]any)["auth"]
	b, _ = json.Marshal(auth)
	for _, m := range AuthMethods() {
		if !strings.Contains(string(b), `"`+string(m)+`"`) {
			t.Errorf("smtp.auth does not offer %s: %s", m, b)
		}
	}
}
