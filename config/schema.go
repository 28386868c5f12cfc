package config

import (
	"encoding/json"
	"reflect"
	"strings"
)

// SchemaID is the answers file schema's identifier.
const SchemaID = "https://sitecfg.invalid/schema/answers-v1.json"

// AnswersSchema is the JSON Schema (draft 2020-12) of the answers file,
// for editors (yaml-language-server) and CI. The smtp, smtp.oauth and
// emails sections are generated from the SMTP, OAuth and Emails types
// (their yaml keys and Go types) and the enums from the method registry,
// Security, Clouds and Mechanism, so a field added there is in the schema
// too; a test checks it against ParseAnswers and Validate both ways.
//
// The schema says what a file may look like (keys, types, enums, what is
// required); the rules (addresses, passwords, Microsoft hosts…) are
// Validate's: a file the schema accepts may still be refused by apply.
func AnswersSchema() []byte {
	smtp := objectOf(reflect.TypeFor[SMTP](), "smtp")
	smtp["required"] = []string{"enabled"}
	emails := objectOf(reflect.TypeFor[Emails](), "emails")
	user := func(name string) map[string]any {
		return object(map[string]any{
			"username": described(str(), "users."+name+".username"),
			"password": described(secret(), "users."+name+".password"),
		}, "username", "password")
	}
	users := object(map[string]any{"admin": user("admin"), "support": user("support")}, "admin", "support")
	root := object(map[string]any{
		"version":            described(map[string]any{"const": Version}, "version"),
		"smtp":               described(smtp, "smtp"),
		"emails":             described(emails, "emails"),
		"users":              described(users, "users"),
		"recovery_codes_out": described(str(), "recovery_codes_out"),
	}, "version", "smtp")
	root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	root["$id"] = SchemaID
	root["title"] = "sitecfg answers file"
	root["description"] = "The answers of `sitecfg apply --answers FILE`. Any string may be ${ENV_VAR} or file:PATH; secrets should come that way."
	// SMTP on needs the notification emails and the server; SMTP off the
	// UI users and the file for the admin's recovery codes.
	root["if"] = map[string]any{
		"properties": map[string]any{"smtp": map[string]any{"properties": map[string]any{"enabled": map[string]any{"enum": []any{true, "true", "yes", "on"}}}}},
	}
	root["then"] = map[string]any{
		"required":   []string{"emails"},
		"properties": map[string]any{"smtp": map[string]any{"required": []string{"server", "from"}}},
	}
	root["else"] = map[string]any{"required": []string{"users", "recovery_codes_out"}}
	b, err := json.MarshalIndent(root, "", "  ")
	if err != nil {
		panic(err) // maps of strings, bools and numbers: cannot fail
	}
	return append(b, '\n')
}

// refPattern is a ${NAME} or file:PATH reference, which any value may be.
const refPattern = `^(\$\{[A-Za-z_][A-Za-z0-9_]*\}|file:.+)$`

var (
	typeSecret    = reflect.TypeFor[Secret]()
	typeAuth      = reflect.TypeFor[AuthMethod]()
	typeSecurity  = reflect.TypeFor[Security]()
	typeCloud     = reflect.TypeFor[Cloud]()
	typeMechanism = reflect.TypeFor[Mechanism]()
)

// objectOf is the schema of a struct's yaml keys; path names it in
// schemaDocs.
func objectOf(t reflect.Type, path string) map[string]any {
	props := map[string]any{}
	for i := range t.NumField() {
		f := t.Field(i)
		key, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if key == "" || key == "-" || !f.IsExported() {
			continue
		}
		props[key] = described(fieldSchema(f.Type, join(path, key)), join(path, key))
	}
	return object(props)
}

// fieldSchema is the schema of one value of Go type t, as ParseAnswers
// reads it.
func fieldSchema(t reflect.Type, path string) map[string]any {
	switch t {
	case typeSecret:
		return secret()
	case typeAuth:
		return enum(AuthMethods())
	case typeSecurity:
		return enum([]Security{SecurityStartTLS, SecurityTLS, SecurityNone})
	case typeCloud:
		return enum(Clouds)
	case typeMechanism:
		return enum([]Mechanism{MechXOAuth2, MechOAuthBearer})
	}
	switch t.Kind() {
	case reflect.Bool:
		// YAML 1.1 spellings are read too (yes/no, on/off).
		return map[string]any{"anyOf": []any{
			map[string]any{"type": "boolean"},
			map[string]any{"enum": []string{"true", "false", "yes", "no", "on", "off"}},
			ref(),
		}}
	case reflect.Int:
		n := map[string]any{"type": "integer"}
		if path == "smtp.port" {
			n["minimum"], n["maximum"] = 1, 65535
		}
		return map[string]any{"anyOf": []any{n, map[string]any{"type": "string", "pattern": `^\s*[0-9]+\s*$`}, ref()}}
	case reflect.Slice:
		// A YAML list, or one comma-separated string.
		return map[string]any{"anyOf": []any{
			map[string]any{"type": "array", "items": str()},
			str(),
			map[string]any{"type": "null"},
		}}
	case reflect.Pointer:
		return fieldSchema(t.Elem(), path)
	case reflect.Struct:
		return objectOf(t, path)
	}
	return str()
}

func object(props map[string]any, required ...string) map[string]any {
	o := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

func str() map[string]any { return map[string]any{"type": []string{"string", "null"}} }

func ref() map[string]any { return map[string]any{"type": "string", "pattern": refPattern} }

func secret() map[string]any {
	s := str()
	s["writeOnly"] = true
	return s
}

// enum is one of values, as spelled in the answers file (ParseAnswers
// lower-cases them), or a reference.
func enum[T ~string](values []T) map[string]any {
	vs := make([]string, len(values))
	for i, v := range values {
		vs[i] = string(v)
	}
	return map[string]any{"anyOf": []any{map[string]any{"type": "string", "enum": vs}, ref()}}
}

func described(s map[string]any, path string) map[string]any {
	if d, ok := schemaDocs[path]; ok {
		s["description"] = d
	}
	return s
}

// schemaDocs are the descriptions editors show beside a key.
var schemaDocs = map[string]string{
	"version":                          "The answers-file format version: 1.",
	"smtp":                             "The mail server settings.",
	"smtp.enabled":                     "true: the cluster sends email (emails: required); false: local UI accounts with recovery codes (users:, recovery_codes_out: required).",
	"smtp.auth":                        "How sitecfg logs in to the server: " + methodChoices + ".",
	"smtp.server":                      "Host name or IP address of the mail server.",
	"smtp.port":                        "1–65535; default 587 (starttls), 465 (tls), 25 (none).",
	"smtp.security":                    "starttls (default), tls (implicit TLS, \"SSL\") or none.",
	"smtp.ca_file":                     "An extra trust anchor (PEM file) for the server's certificate.",
	"smtp.ehlo_name":                   "The name sent in EHLO; default: this machine's fully qualified name.",
	"smtp.username":                    "basic: optional login; OAuth: the mailbox.",
	"smtp.password":                    "basic only. Give it as ${ENV_VAR} or file:PATH.",
	"smtp.from":                        "The sender (From) address.",
	"smtp.default_recipients":          "Who gets the cluster's email: a YAML list or one comma-separated string.",
	"smtp.oauth":                       "microsoft-oauth, microsoft-delegated and oauth2 only.",
	"smtp.oauth.cloud":                 "microsoft-*: the Microsoft cloud (default global).",
	"smtp.oauth.tenant_id":             "microsoft-*: the Directory (tenant) ID, a GUID or a domain name.",
	"smtp.oauth.client_id":             "The Application (client) ID.",
	"smtp.oauth.client_secret":         "The client secret's value (not its ID). Give it as ${ENV_VAR} or file:PATH.",
	"smtp.oauth.client_secret_expires": "When the client secret expires (YYYY-MM-DD): `check` warns as it nears.",
	"smtp.oauth.client_certificate":    "microsoft-oauth, instead of a secret: a PEM file with the certificate and its RSA key.",
	"smtp.oauth.refresh_token":         "microsoft-delegated only: written by `sitecfg signin`; it rotates at every use.",
	"smtp.oauth.refresh_token_expires": "microsoft-delegated only: when the refresh token expires (RFC 3339), written with it.",
	"smtp.oauth.token_url":             "oauth2 only: the token endpoint (https://).",
	"smtp.oauth.scope":                 "oauth2 only: the scope to ask for.",
	"smtp.oauth.mechanism":             "oauth2 only: xoauth2 or oauthbearer.",
	"emails":                           "The notification addresses (SMTP on): three different bare addresses.",
	"emails.ui_admin":                  "The UI admin's email.",
	"emails.ui_support":                "The UI primary customer support email.",
	"emails.admiral_alerts":            "Where the Admiral sends its alerts.",
	"users":                            "The UI accounts (SMTP off).",
	"users.admin.username":             "1–64 letters, digits, '.', '_', '-', starting with a letter.",
	"users.admin.password":             "8–128 characters with lower- and upper-case letters, a digit and a special character. Give it as ${ENV_VAR} or file:PATH.",
	"users.support.username":           "1–64 letters, digits, '.', '_', '-', starting with a letter; not the admin's.",
	"users.support.password":           "As the admin's. Give it as ${ENV_VAR} or file:PATH.",
	"recovery_codes_out":               "SMTP off: the file the admin's recovery codes are written to (mode 0600).",
}
