// Command minclient is the yardstick of .ci/mta/bench.sh: the smallest Go
// program, standard library only (net/smtp), that does what `sitecfg check`
// does on the wire — connect, EHLO, STARTTLS, verify the certificate
// against one CA file, EHLO, AUTH PLAIN, MAIL FROM, RCPT TO for each
// address, RSET, QUIT — with the Postfix delayed-ACK stall removed the
// same way (TCP_QUICKACK before each read, Linux), and nothing else: no
// diagnosis, no transcript, no configuration file.
//
//	minclient -addr 127.0.0.2:10587 -ca ca.crt -user U -from F -to a,b,c,d
//
// The password comes from $MINCLIENT_PASSWORD. Exit status 0 when every
// step succeeded.
package main

import (
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"net"
	"net/smtp"
	"os"
	"sitecfg/internal/quickack"
	"strings"
	"time"
)

func main() {
	addr := flag.String("addr", "", "host:port of a STARTTLS submission server")
	caFile := flag.String("ca", "", "PEM file of the CA that signed the server's certificate")
	user := flag.String("user", "", "AUTH PLAIN username")
	from := flag.String("from", "", "MAIL FROM address")
	to := flag.String("to", "", "comma-separated RCPT TO addresses")
	quickAck := flag.Bool("quickack", true, "set TCP_QUICKACK before each read (Linux)")
	flag.Parse()
	if err := run(*addr, *caFile, *user, os.Getenv("MINCLIENT_PASSWORD"), *from, strings.Split(*to, ","), *quickAck); err != nil {
		fmt.Fprintln(os.Stderr, "minclient:", err)
		os.Exit(1)
	}
}

func run(addr, caFile, user, pass, from string, to []string, quickAck bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return err
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		return fmt.Errorf("%s: no certificate", caFile)
	}
	conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		return err
	}
	if quickAck {
		conn = quickack.Wrap(conn)
	}
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Hello("[127.0.0.1]"); err != nil {
		return err
	}
	if err := c.StartTLS(&tls.Config{ServerName: host, RootCAs: roots, MinVersion: tls.VersionTLS12}); err != nil {
		return err
	}
	if err := c.Auth(smtp.PlainAuth("", user, pass, host)); err != nil {
		return err
	}
	if err := c.Mail(from); err != nil {
		return err
	}
	for _, r := range to {
		if err := c.Rcpt(r); err != nil {
			return err
		}
	}
	if err := c.Reset(); err != nil {
		return err
	}
	return c.Quit()
}
