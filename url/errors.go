package url

import (
	"errors"
	"fmt"
)

// ErrInvalidURL is wrapped by every error that reports a URL the basic URL
// parser rejects: the Go twin of the TypeError that new URL(...) and the href
// setter throw. The wrapping error's message quotes the input (shortened when
// long) and names the validation error that made parsing fail, using the
// spec's name for it, for example:
//
//	url: invalid URL "http://[::1": IPv6-unclosed
//
// Test for it with errors.Is.
//
// Spec: https://url.spec.whatwg.org/#validation-error
var ErrInvalidURL = errors.New("url: invalid URL")

// errCode names a validation error of the URL Standard that is fatal, that is
// one after which the parser returns failure. The empty code means success.
type errCode string

// The fatal validation errors, named exactly as the URL Standard names them
// (https://url.spec.whatwg.org/#validation-error).
const (
	codeOK errCode = ""

	codeDomainToASCII        errCode = "domain-to-ASCII"
	codeDomainInvalidCP      errCode = "domain-invalid-code-point"
	codeHostInvalidCP        errCode = "host-invalid-code-point"
	codeIPv4TooManyParts     errCode = "IPv4-too-many-parts"
	codeIPv4NonNumericPart   errCode = "IPv4-non-numeric-part"
	codeIPv4OutOfRangePart   errCode = "IPv4-out-of-range-part"
	codeIPv6Unclosed         errCode = "IPv6-unclosed"
	codeIPv6InvalidCompress  errCode = "IPv6-invalid-compression"
	codeIPv6TooManyPieces    errCode = "IPv6-too-many-pieces"
	codeIPv6MultipleCompress errCode = "IPv6-multiple-compression"
	codeIPv6InvalidCP        errCode = "IPv6-invalid-code-point"
	codeIPv6TooFewPieces     errCode = "IPv6-too-few-pieces"
	codeIPv4InIPv6TooMany    errCode = "IPv4-in-IPv6-too-many-pieces"
	codeIPv4InIPv6InvalidCP  errCode = "IPv4-in-IPv6-invalid-code-point"
	codeIPv4InIPv6OutOfRange errCode = "IPv4-in-IPv6-out-of-range-part"
	codeIPv4InIPv6TooFew     errCode = "IPv4-in-IPv6-too-few-parts"
	codeMissingScheme        errCode = "missing-scheme-non-relative-URL"
	codeHostMissing          errCode = "host-missing"
	codePortOutOfRange       errCode = "port-out-of-range"
	codePortInvalid          errCode = "port-invalid"

	// codeSetterIgnored is returned when a setter's state override makes the
	// basic URL parser "return failure" without a named validation error
	// (for example a scheme with a code point that is not allowed). Setters
	// ignore failures, so it never reaches a caller.
	codeSetterIgnored errCode = "setter-value-ignored"
)

// maxQuoted bounds how much of a rejected input an error message quotes, so
// that a megabyte of garbage does not end up in a log line.
const maxQuoted = 128

// invalidURLError builds the error for input rejected with code.
func invalidURLError(input string, code errCode) error {
	return fmt.Errorf("%w %q: %s", ErrInvalidURL, shorten(input), code)
}

// invalidBaseError builds the error for a base URL rejected with code.
func invalidBaseError(base string, code errCode) error {
	return fmt.Errorf("%w: base %q: %s", ErrInvalidURL, shorten(base), code)
}

func shorten(s string) string {
	if len(s) <= maxQuoted {
		return s
	}
	// Cut on a code point boundary so %q does not show a torn sequence.
	cut := maxQuoted
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}
