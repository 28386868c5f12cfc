package smtpauth_test

// The benchmark the issue asks for: a full check (connect, banner, EHLO,
// STARTTLS, certificate verification, EHLO, AUTH PLAIN/LOGIN, QUIT; no
// message) against the real local mail servers started by .ci/mta/start.sh,
// to compare with what an operator would otherwise run,
// `swaks --quit-after AUTH`.
//
//	SITECFG_MTA_ENV=/tmp/mta/env go test ./smtpauth -run '^$' -bench CheckRealMTA
//
// measures smtpauth.Check in-process (no process start, no Go runtime
// start, system roots already loaded after the first run).
// .ci/mta/bench.sh measures whole processes side by side: this benchmark run
// once per process (-test.benchtime=1x) from a prebuilt test binary,
// `sitecfg check` when it builds, and swaks.

import (
	"context"
	"testing"
	"time"

	"sitecfg/smtpauth"
)

// BenchmarkCheckRealMTA/{dovecot,postfix}: STARTTLS + AUTH.
func BenchmarkCheckRealMTA(b *testing.B) {
	benchRealMTA(b, smtpauth.SecurityStartTLS)
}

// BenchmarkQuickAck/{dovecot,postfix}/{on,off}: the same check with and
// without TCP_QUICKACK (quickack_linux.go), counting stalls: checks whose
// TLS step (STARTTLS, handshake, EHLO) took 35 ms or more, which on
// loopback only the delayed-ACK stall explains. Reported as stalls/op.
func BenchmarkQuickAck(b *testing.B) {
	e := realMTA(b)
	for _, srv := range e.Servers {
		for _, on := range []bool{true, false} {
			name := srv.Name + "/off"
			if on {
				name = srv.Name + "/on"
			}
			b.Run(name, func(b *testing.B) {
				defer smtpauth.SetQuickAck(on)()
				s := e.basicSettings(b, srv.StartTLSAddr, smtpauth.SecurityStartTLS)
				o := smtpauth.Options{Timeout: 10 * time.Second}
				stalls := 0
				for b.Loop() {
					r, err := smtpauth.Check(context.Background(), s, o)
					if err != nil || !r.OK {
						b.Fatalf("check failed: %v %+v", err, r.Diagnosis)
					}
					for _, st := range r.Steps {
						if st.Name == smtpauth.StepTLS && st.Duration >= 35*time.Millisecond {
							stalls++
						}
					}
				}
				b.ReportMetric(float64(stalls)/float64(b.N), "stalls/op")
			})
		}
	}
}

// BenchmarkCheckRealMTAImplicitTLS/{dovecot,postfix}: implicit TLS + AUTH
// (one round trip fewer: no plain EHLO and STARTTLS).
func BenchmarkCheckRealMTAImplicitTLS(b *testing.B) {
	benchRealMTA(b, smtpauth.SecurityTLS)
}

func benchRealMTA(b *testing.B, sec smtpauth.Security) {
	e := realMTA(b)
	for _, srv := range e.Servers {
		b.Run(srv.Name, func(b *testing.B) {
			addr := srv.StartTLSAddr
			if sec == smtpauth.SecurityTLS {
				addr = srv.TLSAddr
			}
			s := e.basicSettings(b, addr, sec)
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
		})
	}
}
