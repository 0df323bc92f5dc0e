// Package httpmethod holds the Fetch Standard's rules for request methods,
// shared by fetch and xhr.
package httpmethod

import "strings"

// Normalize upper-cases DELETE, GET, HEAD, OPTIONS, POST and PUT given in
// any case, and returns other methods unchanged.
//
// Spec: https://fetch.spec.whatwg.org/#concept-method-normalize
func Normalize(m string) string {
	for _, n := range [...]string{"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"} {
		if strings.EqualFold(m, n) {
			return n
		}
	}
	return m
}

// Forbidden reports CONNECT, TRACE and TRACK, case-insensitively.
//
// Spec: https://fetch.spec.whatwg.org/#forbidden-method
func Forbidden(m string) bool {
	return strings.EqualFold(m, "CONNECT") || strings.EqualFold(m, "TRACE") || strings.EqualFold(m, "TRACK")
}
