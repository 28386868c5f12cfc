package smtpauth

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/oauth2"
)

// TokenStore keeps a rotating refresh token (microsoft-delegated) where
// it is stored: the check redeems the stored token through it, so that
// the redemption and the storing of the new token are one step under
// the store's lock, and two runs redeeming at once never leave the older
// token stored.
type TokenStore interface {
	// Rotate calls redeem with the stored refresh token and stores the
	// new one redeem returns ("" stores nothing), all under the store's
	// lock. An error from redeem is returned as it is.
	Rotate(ctx context.Context, redeem func(stored string) (next string, err error)) error
}

// errNotSignedIn is a delegated check without a refresh token.
var errNotSignedIn = errors.New("not signed in")

// refreshGrant is the OAuth 2.0 refresh token grant (RFC 6749 section 6)
// of a public client: no client secret, the client ID in the body. Every
// redemption returns a new refresh token, which replaces the stored one
// (Settings.TokenStore) and is reported (Report.RefreshToken).
type refreshGrant struct{}

// token implements grant.
func (refreshGrant) token(ctx context.Context, s Settings, hc *http.Client, tr *transcript, _ time.Time) (*oauth2.Token, error) {
	cfg := oauth2.Config{
		ClientID: s.ClientID,
		Endpoint: oauth2.Endpoint{TokenURL: s.TokenURL, AuthStyle: oauth2.AuthStyleInParams},
		Scopes:   strings.Fields(s.Scope),
	}
	ctx = recordingContext(ctx, hc, tr)
	redeem := func(rt string) (*oauth2.Token, error) {
		if rt == "" {
			return nil, errNotSignedIn
		}
		tr.addSecret(rt)
		tok, err := cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: rt}).Token()
		if err != nil {
			return nil, safeURLError(err)
		}
		if tok.RefreshToken == rt {
			// golang.org/x/oauth2 keeps the old one when none came back.
			tok.RefreshToken = ""
		}
		if tok.RefreshToken != "" {
			tr.addSecret(tok.RefreshToken)
		}
		return tok, nil
	}
	if s.TokenStore == nil {
		return redeem(s.RefreshToken)
	}
	var tok *oauth2.Token
	err := s.TokenStore.Rotate(ctx, func(stored string) (string, error) {
		var err error
		if tok, err = redeem(stored); err != nil {
			return "", err
		}
		return tok.RefreshToken, nil
	})
	return tok, err
}

// IDTokenUser is the signed-in user's name (preferred_username) in the
// ID token of a token response, "" when there is none. The ID token comes
// from the token endpoint over TLS, so it is read without verifying its
// signature; it names the user, it proves nothing to sitecfg.
func IDTokenUser(tok *oauth2.Token) string {
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return ""
	}
	var mc jwt.MapClaims
	if _, _, err := jwt.NewParser().ParseUnverified(raw, &mc); err != nil {
		return ""
	}
	user, _ := mc["preferred_username"].(string)
	return user
}
