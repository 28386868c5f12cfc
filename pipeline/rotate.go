package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"sitecfg/config"
	"sitecfg/smtpauth"
)

// RotationWait bounds how long a redemption waits for another run that
// holds the config's lock (a concurrent check rotating the same token).
var RotationWait = 30 * time.Second

// SignInCommand is the command that signs in again for the config at
// path.
func SignInCommand(path string) string { return "sitecfg signin --config " + path }

// holdsToken reports whether the answers' refresh token is the one the
// saved config holds (so redeeming it must rotate the saved one).
func (r *Run) holdsToken(a *config.Answers) bool {
	if r.Prev == nil || r.Prev.SMTP.OAuth == nil || a.SMTP.OAuth == nil || !a.SMTP.Enabled {
		return false
	}
	cur, saved := a.SMTP.OAuth.RefreshToken, r.Prev.SMTP.OAuth.RefreshToken
	return cur.Value != "" && cur.Value == saved.Value && r.Prev.SMTP.Auth == a.SMTP.Auth
}

// rotation is the saved config as the store of its rotating refresh
// token (smtpauth.TokenStore).
type rotation struct{ r *Run }

func (r *Run) rotation() smtpauth.TokenStore { return rotation{r} }

// errNoTokenStored is a config that no longer holds a refresh token of
// its own by the time the lock is taken.
var errNoTokenStored = errors.New("the saved config holds no refresh token any more")

// Rotate implements smtpauth.TokenStore. Under the config's lock (waiting
// up to RotationWait for another run) it reads the token the file holds
// now — a concurrent run may have rotated it since this run read the
// file — lets redeem trade it for a new one, and writes the new one and
// its expiry (now + 90 days) atomically, recording the write in the run's
// journal (the audit log) while the lock is held, so the write is never
// taken for drift. The run then expects the file it wrote. A token held
// by reference (${ENV}, file:) is redeemed but the reference is kept
// (the rules warn about it). A kill at any moment leaves a working token:
// Entra does not revoke the redeemed one, and the write is atomic.
func (ro rotation) Rotate(ctx context.Context, redeem func(string) (string, error)) error {
	r := ro.r
	lock, err := config.AcquireContext(ctx, r.Path, RotationWait)
	if err != nil {
		return fmt.Errorf("rotate the refresh token: %w", err)
	}
	defer lock.Release()
	before, err := config.ReadConfigFile(lock.Path())
	if err != nil {
		return fmt.Errorf("rotate the refresh token: %w", err)
	}
	site, _, err := config.Parse(before)
	if err != nil {
		return fmt.Errorf("rotate the refresh token: %s: %w", r.Path, err)
	}
	if site.SMTP.OAuth == nil {
		return errNoTokenStored
	}
	site.ResolveSecrets()
	stored := site.SMTP.OAuth.RefreshToken
	next, err := redeem(stored.Value)
	if err != nil || next == "" || stored.Ref != "" {
		return err
	}
	site.SMTP.OAuth.RefreshToken = config.Secret{Value: next}
	site.SMTP.OAuth.RefreshTokenExpires = config.RefreshExpiry(r.now())
	if _, err := lock.Save(site); err != nil {
		return fmt.Errorf("store the new refresh token: %w", err)
	}
	Record(r.journal, lock.Path(), before)
	if after, err := os.ReadFile(lock.Path()); err == nil {
		r.read = after
	}
	if r.Prev != nil && r.Prev.SMTP.OAuth != nil {
		r.Prev.SMTP.OAuth.RefreshToken = site.SMTP.OAuth.RefreshToken
		r.Prev.SMTP.OAuth.RefreshTokenExpires = site.SMTP.OAuth.RefreshTokenExpires
	}
	return nil
}

// keepRotated puts the new refresh token a check's redemption returned
// into the answers, with its expiry, so that a commit writes it (a
// reference is kept as it is).
func keepRotated(a *config.Answers, rep *smtpauth.Report, r *Run) {
	if rep == nil || rep.RefreshToken == "" || a.SMTP.OAuth == nil || a.SMTP.OAuth.RefreshToken.Ref != "" {
		return
	}
	now := time.Now()
	if r != nil {
		now = r.now()
	}
	a.SMTP.OAuth.RefreshToken = config.Secret{Value: rep.RefreshToken}
	a.SMTP.OAuth.RefreshTokenExpires = config.RefreshExpiry(now)
}
