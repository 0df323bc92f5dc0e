package dataurl

import (
	"encoding/base64"
	"fmt"
)

// ForgivingBase64Decode decodes s as the Infra Standard's forgiving-base64,
// the decoder of data: URLs and window.atob: ASCII whitespace anywhere is
// ignored, padding is optional (but, if present, must make the length a
// multiple of four), and the unused bits of the last character are
// dropped without being checked. A failure wraps [ErrInvalidBase64] and
// says which rule s breaks.
//
// Spec: https://infra.spec.whatwg.org/#forgiving-base64-decode
func ForgivingBase64Decode(s string) ([]byte, error) {
	return forgivingBase64Decode([]byte(s))
}

// forgivingBase64Decode is ForgivingBase64Decode on bytes the caller hands
// over: data is modified in place.
func forgivingBase64Decode(data []byte) ([]byte, error) {
	// Remove all ASCII whitespace.
	n := 0
	for _, c := range data {
		if !isASCIIWhitespace(c) {
			data[n] = c
			n++
		}
	}
	data = data[:n]

	if len(data)%4 == 0 {
		for range 2 {
			if len(data) > 0 && data[len(data)-1] == '=' {
				data = data[:len(data)-1]
			}
		}
	}
	if len(data)%4 == 1 {
		return nil, fmt.Errorf("%w: its length leaves a single character in the last group", ErrInvalidBase64)
	}
	for i, c := range data {
		if !isBase64Char(c) {
			return nil, fmt.Errorf("%w: byte %#02x at offset %d is not in the base64 alphabet", ErrInvalidBase64, c, i)
		}
	}

	// What is left is unpadded standard base64 whose length is not 1
	// modulo 4: exactly what RawStdEncoding decodes, and its non-strict
	// mode drops the unused trailing bits just as the spec does.
	out := make([]byte, base64.RawStdEncoding.DecodedLen(len(data)))
	m, err := base64.RawStdEncoding.Decode(out, data)
	if err != nil {
		// Unreachable: the checks above leave only valid input.
		return nil, fmt.Errorf("%w: %w", ErrInvalidBase64, err)
	}
	return out[:m], nil
}

// isBase64Char reports whether c is in the base64 alphabet: ASCII
// alphanumerics, "+" and "/".
func isBase64Char(c byte) bool {
	return ('A' <= c && c <= 'Z') || ('a' <= c && c <= 'z') || ('0' <= c && c <= '9') || c == '+' || c == '/'
}
