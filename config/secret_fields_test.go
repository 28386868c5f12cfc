package config

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// modelFields lists the yaml field paths of t's struct fields, and the
// path of every field of type Secret.
func modelFields(t reflect.Type, prefix string, paths, secrets *[]string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	for i := range t.NumField() {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("yaml"), ",")
		if name == "" || name == "-" {
			continue
		}
		path := prefix + name
		*paths = append(*paths, path)
		ft := sf.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch {
		case ft == reflect.TypeFor[Secret]():
			*secrets = append(*secrets, path)
		case ft.Kind() == reflect.Struct && ft != reflect.TypeFor[time.Time]():
			modelFields(ft, path+".", paths, secrets)
		}
	}
}

// Every secret of the model is in secretFields, and only fields of the
// model are: a Secret field, or one whose name says secret, that is left
// out of the table fails here — add its line to secretFields.
func TestSecretFieldsCoverTheModel(t *testing.T) {
	var paths, secrets []string
	modelFields(reflect.TypeFor[Site](), "", &paths, &secrets)
	modelFields(reflect.TypeFor[legacySite](), "", &paths, &secrets)
	if len(secrets) < 2 {
		t.Fatalf("the walk found only %v: it no longer reads the model", secrets)
	}
	for _, p := range secrets {
		f, ok := secretFieldAt(p)
		if !ok || f.in == nil {
			t.Errorf("%s is a Secret but has no line, or no in, in secretFields", p)
		}
	}
	for _, p := range paths {
		if _, ok := secretFieldAt(p); looksSecret(p) && !ok {
			t.Errorf("%s looks secret but is not in secretFields", p)
		}
	}
	for _, f := range secretFields {
		if !slices.Contains(paths, f.path) {
			t.Errorf("secretFields names %s, which is no field of the model", f.path)
		}
		if f.in != nil && (f.env == "" || f.keep == nil) {
			t.Errorf("%s: an SMTP secret needs an environment variable for export and a rule for re-runs", f.path)
		}
	}
}

// Each SMTP secret of the table is honoured everywhere: resolved from its
// reference, exported as its variable, kept on a re-run by some method,
// dropped from the backup, handed to the live check to scrub, masked in
// the review.
func TestSecretFieldsAreHonoured(t *testing.T) {
	for _, f := range secretFields {
		t.Run(f.path, func(t *testing.T) {
			if !IsSecretField(f.path) {
				t.Errorf("the review would show %s", f.path)
			}
			if f.in == nil {
				return
			}
			value := "Plain-" + strings.ReplaceAll(f.path, ".", "-") + "-9q"
			site := func(auth AuthMethod, sec Secret) *Site {
				s := &Site{Version: Version, SMTP: SMTP{Enabled: true, Auth: auth, Server: "smtp.example.com", Port: 587,
					Username: "mailer@example.com", OAuth: &OAuth{}}}
				*f.in(&s.SMTP) = sec
				return s
			}

			out, err := Export(site(AuthBasic, Secret{Value: value}))
			if err != nil || strings.Contains(string(out), value) || !strings.Contains(string(out), "${"+f.env+"}") {
				t.Errorf("export (err %v) prints the value or not ${%s}:\n%s", err, f.env, out)
			}

			t.Setenv("SITECFG_TEST_SECRET", value)
			s := site(AuthBasic, Secret{Ref: "${SITECFG_TEST_SECRET}"})
			if ps := s.ResolveSecrets(); len(ps) != 0 || f.in(&s.SMTP).Value != value {
				t.Errorf("not resolved: %v, %q", ps, f.in(&s.SMTP).Value)
			}

			if !slices.Contains(site(AuthBasic, Secret{Value: value}).SMTP.SecretValues(), value) {
				t.Error("not among the values the live check scrubs")
			}

			kept := false
			for _, m := range AuthMethods() {
				prev := site(m, Secret{Value: value})
				a := prev.Answers()
				a.SMTP.OAuth = &OAuth{}
				if sec, ok := a.KeptSecret(prev, f.path); ok {
					kept = true
					if sec.Value != value {
						t.Errorf("%s keeps %q", m, sec.Value)
					}
					a.KeepStored(prev)
					if f.in(&a.SMTP).Value != value {
						t.Errorf("%s: KeptSecret keeps it, KeepStored does not", m)
					}
				}
			}
			if !kept {
				t.Error("no method keeps it on a re-run")
			}

			old, err := Marshal(site(AuthBasic, Secret{Value: value}))
			if err != nil {
				t.Fatal(err)
			}
			if b := dropPlaintext(old, site(AuthBasic, Secret{Ref: "${SITECFG_TEST_SECRET}"})); strings.Contains(string(b), value) {
				t.Errorf("the backup keeps the plain text:\n%s", b)
			}
		})
	}
}
