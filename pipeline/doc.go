// Package pipeline is the one path every front end takes from answers to
// a written site config: open the saved file, prepare the answers
// (defaults, stored secrets kept on a re-run, every rule of package config
// at one clock), build the live check's settings and run it, then commit —
// under the config's lock, only if the file is still the one this run
// read, with passwords hashed, recovery codes issued and the config
// written atomically.
//
// apply, check, the full-screen wizard and the line prompts each call it
// and re-implement none of it; they differ only in how they ask and how
// they show the outcome. The package has no user interface; the network is
// reached only through smtpauth.Check.
package pipeline
