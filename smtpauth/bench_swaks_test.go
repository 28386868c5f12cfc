package smtpauth_test

// The benchmark the issue asks for: a full check (connect, banner, EHLO,
// STARTTLS, certificate verification, EHLO, AUTH PLAIN/LOGIN, QUIT; no
// message) against the real local mail server started by .ci/mta/start.sh,
// to compare with what an operator would otherwise run,
// `swaks --quit-after AUTH`.
//
//	SITECFG_MTA_ENV=/tmp/mta/env go test ./smtpauth -run '^$' -bench CheckRealMTA
//
// measures smtpauth.Check in-process (no process start, no Go runtime
// start). .ci/mta/bench.sh measures whole processes side by side: this
// benchmark run once per process (-test.benchtime=1x) from a prebuilt test
// binary, `sitecfg check` when it builds, and swaks.

import (
	"context"
	"testing"
	"time"

	"sitecfg/smtpauth"
)

func BenchmarkCheckRealMTA(b *testing.B) {
	e := realMTA(b)
	s := e.basicSettings(b, e.StartTLSAddr, smtpauth.SecurityStartTLS)
	o := smtpauth.Options{Timeout: 10 * time.Second}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		r, err := smtpauth.Check(ctx, s, o)
		if err != nil {
			b.Fatal(err)
		}
		if !r.OK {
			b.Fatalf("check failed: %+v", r.Diagnosis)
		}
	}
}

// The same over implicit TLS (one round trip fewer: no plain EHLO/STARTTLS).
func BenchmarkCheckRealMTAImplicitTLS(b *testing.B) {
	e := realMTA(b)
	s := e.basicSettings(b, e.TLSAddr, smtpauth.SecurityTLS)
	o := smtpauth.Options{Timeout: 10 * time.Second}
	ctx := context.Background()
	for b.Loop() {
		r, err := smtpauth.Check(ctx, s, o)
		if err != nil {
			b.Fatal(err)
		}
		if !r.OK {
			b.Fatalf("check failed: %+v", r.Diagnosis)
		}
	}
}
