package main

import (
	"sync"
	"testing"
	"time"

	"sitecfg/audit"
)

// Issue 22, point 9: a notice entry dated in the future (a clock set
// back, a forged line) does not silence the notices; four parallel runs
// send one message, decided and recorded under a lock.
func TestCheckNotifyStateIsHonest(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	expires := now.AddDate(0, 0, 10).Format(time.DateOnly)
	dir := t.TempDir()
	srv := oauthMailServer(t, dir)
	cfg := watchConfig(t, dir, srv, "", tokenServer(t).URL+"/token", expires, now)
	forged := audit.Entry{Time: now.AddDate(0, 3, 0), Command: "check --notify", Notified: []string{"client_secret:" + expires}}
	if err := audit.Append(cfg, forged); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	codes := make([]int, 4)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], _, _ = runAt(t, now, "", "check", "--config", cfg, "--notify")
		}()
	}
	wg.Wait()
	for i, c := range codes {
		if c != 0 {
			t.Errorf("run %d: exit %d", i, c)
		}
	}
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("%d messages from four parallel runs after a future-dated entry, want 1", n)
	}
}
