package smtpauth

import (
	"strings"

	"github.com/emersion/go-sasl"
)

// loginClient is the client side of the LOGIN mechanism. go-sasl has one,
// but it sends the username as an initial response and insists on the
// exact prompt "Password:"; servers word their prompts differently, so this
// one answers by prompt when it can and by order otherwise.
type loginClient struct {
	user, pass string
	step       int
}

// Start implements sasl.Client.
func (a *loginClient) Start() (string, []byte, error) {
	return sasl.Login, nil, nil
}

// Next implements sasl.Client.
func (a *loginClient) Next(challenge []byte) ([]byte, error) {
	a.step++
	prompt := strings.ToLower(string(challenge))
	switch {
	case a.step > 2:
		return nil, sasl.ErrUnexpectedServerChallenge
	case strings.Contains(prompt, "pass"):
		return []byte(a.pass), nil
	case strings.Contains(prompt, "user"):
		return []byte(a.user), nil
	case a.step == 1:
		return []byte(a.user), nil
	default:
		return []byte(a.pass), nil
	}
}
