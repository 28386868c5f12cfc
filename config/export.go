package config

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Export renders a saved config as an answers file. No secret is printed:
// a stored value becomes an ${ENV_VAR} reference (a stored reference is
// kept as it is), and UI passwords — only hashes are stored — become
// ${ADMIN_PASSWORD} and ${SUPPORT_PASSWORD}. Which fields are secret,
// and the variable each becomes, is secretFields'.
func Export(s *Site) ([]byte, error) {
	type user struct {
		Username string `yaml:"username"`
		Password string `yaml:"password"`
	}
	type users struct {
		Admin   *user `yaml:"admin,omitempty"`
		Support *user `yaml:"support,omitempty"`
	}
	type answers struct {
		Version          int     `yaml:"version"`
		SMTP             SMTP    `yaml:"smtp"`
		Emails           *Emails `yaml:"emails,omitempty"`
		Users            *users  `yaml:"users,omitempty"`
		RecoveryCodesOut string  `yaml:"recovery_codes_out,omitempty"`
	}
	out := answers{Version: Version, SMTP: s.SMTP}
	if s.SMTP.Enabled {
		if s.SMTP.OAuth != nil {
			o := *s.SMTP.OAuth
			if URLHasCredentials(o.TokenURL) {
				o.TokenURL = "${" + envFor("smtp.oauth.token_url") + "}"
			}
			out.SMTP.OAuth = &o
		}
		for _, f := range secretFields {
			if f.in == nil {
				continue
			}
			if p := f.in(&out.SMTP); p != nil {
				*p = exportSecret(*p, f.env)
			}
		}
		out.Emails = s.Emails
	} else {
		out.SMTP = SMTP{Enabled: false}
		if s.Users != nil {
			out.Users = &users{}
			if u := s.Users.Admin; u != nil {
				out.Users.Admin = &user{u.Username, "${" + envFor("users.admin.password_hash") + "}"}
				out.RecoveryCodesOut = "./" + strings.ToLower(u.Username) + "-recovery-codes.txt"
			}
			if u := s.Users.Support; u != nil {
				out.Users.Support = &user{u.Username, "${" + envFor("users.support.password_hash") + "}"}
			}
		}
	}
	var b bytes.Buffer
	b.WriteString("# sitecfg answers file exported from the saved configuration.\n")
	b.WriteString("# Secrets are not included: set the ${...} environment variables before `sitecfg apply`.\n")
	var doc yaml.Node
	if err := doc.Encode(out); err != nil {
		return nil, err
	}
	answerRefs(&doc)
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return escapeInvisible(b.Bytes()), nil
}

// answerRefs turns the site config's reference mappings ({env: NAME},
// {file: PATH}, see Secret.MarshalYAML) into the answers file's strings,
// ${NAME} and file:PATH. Only a Secret encodes as such a one-key mapping.
func answerRefs(n *yaml.Node) {
	for _, c := range n.Content {
		if c.Kind == yaml.MappingNode && len(c.Content) == 2 {
			switch k, v := c.Content[0].Value, c.Content[1].Value; k {
			case "env":
				*c = yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "${" + v + "}"}
				continue
			case "file":
				*c = yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "file:" + v}
				continue
			}
		}
		if c.Kind == yaml.ScalarNode {
			if _, bad := invisible(c.Value); bad {
				// Escaped below: only a double-quoted scalar can be.
				c.Style = yaml.DoubleQuotedStyle
			}
		}
		answerRefs(c)
	}
}

// escapeInvisible writes each format character the YAML encoder left as
// it is (U+202E, U+200B: YAML counts them printable) as a \u escape. Only
// a double-quoted scalar holds one (answerRefs), where the escape means
// the same character: what export prints cannot reorder or hide text on
// the terminal.
func escapeInvisible(b []byte) []byte {
	var out bytes.Buffer
	for _, r := range string(b) {
		if _, bad := invisible(string(r)); bad && r > 0x7f {
			fmt.Fprintf(&out, `\u%04X`, r)
			continue
		}
		out.WriteRune(r)
	}
	return out.Bytes()
}

// URLHasCredentials reports whether raw may carry a credential: user
// information (user:password@), a query or a fragment (?key=…), or is not
// a URL at all. Such a URL is exported as a reference, never printed.
func URLHasCredentials(raw string) bool {
	if raw == "" {
		return false
	}
	u, err := url.Parse(raw)
	return err != nil || u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || u.Opaque != ""
}

func exportSecret(s Secret, env string) Secret {
	switch {
	case s.Ref != "":
		return Secret{Ref: s.Ref}
	case s.Value != "":
		return Secret{Ref: "${" + env + "}"}
	}
	return Secret{}
}
