package wizard

import (
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"sitecfg/config"
	"sitecfg/internal/fileread"
	"sitecfg/smtpauth"
)

// serverQuestions are the server, security, port and extra CA (every
// method but Microsoft 365, whose cloud fixes them).
func serverQuestions() []*Question {
	notMS := func(s *State) bool { return smtpOn(s) && !fixesServer(s.Answers.SMTP.Auth) }
	getCA, setCA := text(func(s *State) *string { return &sm(s).CAFile }, nil)
	return []*Question{
		{ID: "smtp.server", Page: PageServer, Kind: KindText, Show: notMS,
			Title: "SMTP server", Help: "Host name or IP address, without the port.",
			Get: func(s *State) string { return sm(s).Server },
			Set: func(s *State, v string) error {
				if err := config.ValidateServer(v); err != nil {
					return err
				}
				sm(s).Server = config.NormalizeHost(v)
				s.typedAs("smtp.server", v, sm(s).Server)
				return nil
			}},
		{ID: "smtp.security", Page: PageServer, Kind: KindSelect, Show: notMS,
			Title: "Secure connection",
			Options: []Option{
				{"STARTTLS (usually port 587)", string(config.SecurityStartTLS)},
				{"Implicit TLS / SSL (usually port 465)", string(config.SecurityTLS)},
				{"None — only for a relay on this host", string(config.SecurityNone)},
			},
			Get: func(s *State) string { return string(sm(s).Security) },
			Set: func(s *State, v string) error {
				sec := config.Security(strings.ToLower(strings.TrimSpace(v)))
				switch sec {
				case config.SecurityStartTLS, config.SecurityTLS, config.SecurityNone:
				default:
					return errors.New("choose starttls, tls or none")
				}
				was := sm(s).Security
				sm(s).Security = sec
				if err := clearText(s); err != nil {
					sm(s).Security = was
					return err
				}
				// The port follows the security choice unless it was changed by hand.
				if p := sm(s).Port; p == 0 || p == was.DefaultPort() {
					sm(s).Port = sec.DefaultPort()
				}
				return nil
			}},
		{ID: "smtp.port", Page: PageServer, Kind: KindText, Show: notMS,
			Title: "Port",
			Get: func(s *State) string {
				if sm(s).Port == 0 {
					return ""
				}
				return strconv.Itoa(sm(s).Port)
			},
			Set: func(s *State, v string) error {
				p, err := config.ParsePort(v)
				if err == nil {
					sm(s).Port = p
				}
				return err
			}},
		// No TLS, no certificate to trust: not asked with security none,
		// unless it already holds a value (then it is shown, to be cleared).
		{ID: "smtp.ca_file", Page: PageServer, Kind: KindText,
			Show: func(s *State) bool {
				return notMS(s) && (sm(s).Security != config.SecurityNone || sm(s).CAFile != "")
			},
			Title: "Extra CA certificate file (optional)", Help: "PEM file, for a server whose certificate is signed by a private CA.", Get: getCA,
			Set: setCA, Check: CheckCAFile},
		ehloQuestion(func(s *State) bool {
			return notMS(s) && (sm(s).EHLOName != "" || s.AdvancedOpen("smtp.ehlo_name"))
		}),
	}
}

// ehloQuestion is the advanced, optional EHLO name: asked once it holds a
// value or something points at it (a refused EHLO name's diagnosis, the
// review), prefilled with the default when this machine has a fully
// qualified name. Keeping that default stores nothing, so a config copied
// to another node follows that node's name.
func ehloQuestion(show func(*State) bool) *Question {
	help := "The name this machine gives the server in EHLO. Leave it for the default: this machine's fully qualified name, " +
		"else its address on the connection as [192.0.2.10]; never localhost, which strict servers refuse."
	return &Question{ID: "smtp.ehlo_name", Page: PageServer, Kind: KindText, Show: show, Advanced: true,
		Title: "EHLO name (advanced, optional)", Help: help,
		Get: func(s *State) string {
			if v := sm(s).EHLOName; v != "" {
				return v
			}
			h, _ := smtpauth.HostEHLOName()
			return h
		},
		Set: func(s *State, v string) error {
			v = strings.TrimSpace(v)
			if h, ok := smtpauth.HostEHLOName(); ok && strings.EqualFold(strings.TrimSuffix(v, "."), h) {
				v = ""
			}
			return ruled(s, "smtp.ehlo_name", &sm(s).EHLOName, v)
		}}
}

// deliveryQuestions are the sender and the default recipients (SMTP on).
func deliveryQuestions() []*Question {
	return []*Question{
		{ID: "smtp.from", Page: PageDelivery, Kind: KindText, Show: smtpOn,
			Title: "Sender (From) address", Help: "Prefilled with the SMTP username when it is an address: with Microsoft 365 the mailbox itself.",
			// Until one is given, the sender offered is the username (the
			// mailbox), which Enter then keeps.
			Get: func(s *State) string {
				if f := sm(s).From; f != "" {
					return f
				}
				if u := config.NormalizeEmail(sm(s).Username); config.ValidateEmail(u) == nil {
					return u
				}
				return ""
			},
			Set: func(s *State, v string) error {
				if err := ruled(s, "smtp.from", &sm(s).From, config.NormalizeEmail(v)); err != nil {
					return err
				}
				s.typedAs("smtp.from", v, sm(s).From)
				return nil
			}},
		{ID: "smtp.default_recipients", Page: PageDelivery, Kind: KindText, Show: smtpOn,
			Title: "Default recipients (optional)", Help: "Comma-separated addresses; duplicates are dropped.",
			Get: func(s *State) string { return strings.Join(sm(s).DefaultRecipients, ", ") },
			Set: func(s *State, v string) error {
				rs := config.ParseRecipients(v)
				for _, r := range rs {
					if err := config.ValidateEmail(r); err != nil {
						return err
					}
				}
				sm(s).DefaultRecipients = rs
				// Spacing is not a normalisation worth a line; case and
				// duplicates are.
				var raw []string
				for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' }) {
					if f = strings.TrimSpace(f); f != "" {
						raw = append(raw, f)
					}
				}
				s.typedAs("smtp.default_recipients", strings.Join(raw, ", "), strings.Join(rs, ", "))
				return nil
			}},
	}
}

// CheckCAFile judges an extra CA file where it is typed: it must read
// and hold at least one PEM certificate. Empty is fine (optional).
func CheckCAFile(p string) error {
	if p == "" {
		return nil
	}
	// Bounded, and a FIFO or a device refused at once (package fileread).
	data, err := fileread.Regular(p, fileread.PEM)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s does not exist: give the path of the CA's certificate (PEM), or leave it empty", p)
	case err != nil:
		return fmt.Errorf("%s cannot be read: %v", p, err)
	}
	if !x509.NewCertPool().AppendCertsFromPEM(data) {
		return fmt.Errorf("%s holds no PEM certificate (-----BEGIN CERTIFICATE-----)", p)
	}
	return nil
}
