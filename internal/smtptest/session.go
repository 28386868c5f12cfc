package smtptest

import (
	"crypto/subtle"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// session is one SMTP connection.
type session struct {
	s    *Server
	c    *smtp.Conn
	user string
	from string
	to   []string
}

func (ss *session) AuthMechanisms() []string { return ss.s.o.Mechanisms }

func (ss *session) Auth(mech string) (sasl.Server, error) {
	s, o := ss.s, ss.s.o
	if !slices.Contains(o.Mechanisms, mech) {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	if o.DropAuth {
		return dropServer{ss.c}, nil
	}
	ok := func(user string) {
		ss.user = user
		s.loggedIn(mech, user)
	}
	password := func(user, pass string) error {
		if o.AuthError != nil {
			return o.AuthError
		}
		u := subtle.ConstantTimeCompare([]byte(user), []byte(s.Username))
		p := subtle.ConstantTimeCompare([]byte(pass), []byte(s.Password))
		if u&p != 1 {
			return smtp.ErrAuthFailed
		}
		ok(user)
		return nil
	}
	token := func(user, tok string) bool {
		return o.Tokens != nil && user == s.Username && slices.Contains(o.Tokens(), tok)
	}
	switch mech {
	case sasl.Plain:
		return sasl.NewPlainServer(func(identity, user, pass string) error {
			if identity != "" && identity != user {
				return smtp.ErrAuthFailed
			}
			return password(user, pass)
		}), nil
	case sasl.Login:
		return &loginServer{check: password}, nil
	case xoauth2:
		return &xoauth2Server{check: func(user, tok string) error {
			if o.AuthError != nil {
				return o.AuthError
			}
			if !token(user, tok) {
				return smtp.ErrAuthFailed
			}
			ok(user)
			return nil
		}}, nil
	case sasl.OAuthBearer:
		return sasl.NewOAuthBearerServer(func(opts sasl.OAuthBearerOptions) *sasl.OAuthBearerError {
			if !token(opts.Username, opts.Token) {
				return &sasl.OAuthBearerError{Status: "invalid_token", Schemes: "bearer"}
			}
			ok(opts.Username)
			return nil
		}), nil
	}
	return nil, smtp.ErrAuthUnknownMechanism
}

// authorized is nil once the client has logged in, or when the server
// takes anonymous mail.
func (ss *session) authorized() error {
	if ss.user == "" && !ss.s.o.AllowAnonymous {
		return smtp.ErrAuthRequired
	}
	return nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if err := ss.authorized(); err != nil {
		return err
	}
	if e := ss.s.o.MailError; e != nil {
		return e
	}
	ss.from, ss.to = from, nil
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if err := ss.authorized(); err != nil {
		return err
	}
	if h := ss.c.Hostname(); ss.s.o.StrictHELO && !strings.HasPrefix(h, "[") && !strings.Contains(h, ".") {
		return &smtp.SMTPError{Code: 504, EnhancedCode: smtp.EnhancedCode{5, 5, 2}, Message: "<" + h + ">: Helo command rejected: need fully-qualified hostname"}
	}
	if ss.s.reject[to] {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user: " + to}
	}
	if m := ss.s.o.MaxRecipients; m > 0 && len(ss.to) >= m {
		return &smtp.SMTPError{Code: 452, EnhancedCode: smtp.EnhancedCode{4, 5, 3}, Message: "Too many recipients"}
	}
	if ss.s.deferTo[to] {
		return &smtp.SMTPError{Code: 450, EnhancedCode: smtp.EnhancedCode{4, 2, 0}, Message: "<" + to + ">: Recipient address rejected: Greylisted, try again later"}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	if err := ss.authorized(); err != nil {
		return err
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if e := ss.s.o.DataError; e != nil {
		return e
	}
	ss.s.record(Message{From: ss.from, To: append([]string(nil), ss.to...), Data: b, User: ss.user, At: time.Now()})
	return nil
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }
