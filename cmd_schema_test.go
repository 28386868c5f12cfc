package main

import (
	"bytes"
	"encoding/json"
	"testing"

	"sitecfg/config"
)

// `sitecfg schema` prints the answers file's schema, as JSON an editor
// can load, and its help says how to point an editor at it.
func TestSchemaCommand(t *testing.T) {
	code, out, errs := runCLI(t, "schema")
	if code != exitOK || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if !bytes.Equal([]byte(out), config.AnswersSchema()) {
		t.Error("sitecfg schema does not print config.AnswersSchema")
	}
	var s map[string]any
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if s["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema = %v", s["$schema"])
	}
	_, help, _ := runCLI(t, "schema", "--help")
	if !bytes.Contains([]byte(help), []byte("# yaml-language-server: $schema=")) {
		t.Errorf("the help does not show the yaml-language-server comment:\n%s", help)
	}
}
