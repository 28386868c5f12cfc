package smtptest

import (
	"errors"
	"strings"

	"github.com/emersion/go-smtp"
)

// xoauth2 is the mechanism's name; go-sasl has no constant for it.
const xoauth2 = "XOAUTH2"

// loginServer is the server side of AUTH LOGIN (which go-sasl only
// implements for clients): "Username:", then "Password:".
type loginServer struct {
	check func(user, pass string) error
	user  string
	step  int
}

func (l *loginServer) Next(resp []byte) ([]byte, bool, error) {
	switch l.step {
	case 0:
		if resp != nil { // the username came with the command
			l.user, l.step = string(resp), 2
			return []byte("Password:"), false, nil
		}
		l.step = 1
		return []byte("Username:"), false, nil
	case 1:
		l.user, l.step = string(resp), 2
		return []byte("Password:"), false, nil
	case 2:
		l.step = 3
		return nil, true, l.check(l.user, string(resp))
	}
	return nil, false, errors.New("unexpected response")
}

// xoauth2Server is the server side of XOAUTH2 as Exchange speaks it: a
// refused token gets a JSON error challenge, and the refusal follows the
// client's (empty) answer to it.
type xoauth2Server struct {
	check  func(user, token string) error
	failed error
}

func (a *xoauth2Server) Next(resp []byte) ([]byte, bool, error) {
	if a.failed != nil {
		return nil, true, a.failed // the client acknowledged the error challenge
	}
	if resp == nil {
		return []byte{}, false, nil
	}
	parts := strings.Split(string(resp), "\x01")
	user, _ := strings.CutPrefix(parts[0], "user=")
	var token string
	if len(parts) > 1 {
		token, _ = strings.CutPrefix(parts[1], "auth=Bearer ")
	}
	if len(parts) != 4 || parts[2] != "" || parts[3] != "" {
		return nil, true, errors.New("malformed XOAUTH2 response")
	}
	if err := a.check(user, token); err != nil {
		a.failed = err
		return []byte(`{"status":"401","schemes":"bearer","scope":"https://outlook.office365.com/.default"}`), false, nil
	}
	return nil, true, nil
}

// dropServer hangs up as soon as the client's credentials arrive.
type dropServer struct{ c *smtp.Conn }

func (d dropServer) Next(resp []byte) ([]byte, bool, error) {
	if resp == nil {
		return []byte{}, false, nil
	}
	d.c.Conn().Close()
	return nil, true, errors.New("dropped")
}
