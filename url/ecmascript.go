package url

import (
	"errors"
	"fmt"
	"math/bits"
	"strings"
	"unicode/utf8"

	"github.com/webnet-go/webnet/internal/textenc"
)

// This file holds ECMAScript's global URI functions (ECMA-262 "URI Handling
// Functions"). They predate the URL Standard and follow RFC 2396, so their
// sets differ from the URL Standard's percent-encode sets: encodeURI leaves
// "[" and "]" escaped in an IPv6 host, for one. Helpers carry an "ecma"
// prefix.

// ErrURIError is the URIError of ECMAScript. EncodeURI and
// EncodeURIComponent return an error wrapping it when the input is not
// valid UTF-8 (the Go form of JavaScript's lone surrogate, including the
// 3-byte encoding of a surrogate that WTF-8 and CESU-8 write); DecodeURI
// and DecodeURIComponent when the input holds a malformed escape or
// escapes that are not valid UTF-8 (including the encoding of a surrogate,
// such as "%ED%A0%80"). Test with errors.Is.
//
// Spec: https://tc39.es/ecma262/multipage/fundamental-objects.html#sec-native-error-types-used-in-this-standard-urierror
var ErrURIError = errors.New("url: URIError: URI malformed")

// ecmaURIReserved is ECMAScript's uriReserved plus "#": what encodeURI
// leaves alone and decodeURI leaves escaped on top of the unreserved set.
const ecmaURIReserved = ";/?:@&=+$,#"

// The unescaped sets as bit masks over ASCII (low: bytes 0-63, high: bytes
// 64-127). encodeURIComponent's is uriUnreserved: ASCII alphanumerics and
// the marks "-_.!~*'()"; encodeURI's adds ecmaURIReserved.
const (
	ecmaComponentLow  = 1<<'!' | 1<<'\'' | 1<<'(' | 1<<')' | 1<<'*' | 1<<'-' | 1<<'.' | (1<<10-1)<<'0'
	ecmaComponentHigh = (1<<26-1)<<('A'-64) | 1<<('_'-64) | (1<<26-1)<<('a'-64) | 1<<('~'-64)
	ecmaURILow        = ecmaComponentLow | 1<<';' | 1<<'/' | 1<<'?' | 1<<':' | 1<<'&' | 1<<'=' | 1<<'+' | 1<<'$' | 1<<',' | 1<<'#'
	ecmaURIHigh       = ecmaComponentHigh | 1<<('@'-64)
)

// ecmaIsUnescaped reports whether the byte c is in the unescaped set given
// by its masks.
func ecmaIsUnescaped(c byte, low, high uint64) bool {
	switch {
	case c < 64:
		return low>>c&1 != 0
	case c < 128:
		return high>>(c-64)&1 != 0
	}
	return false
}

// EncodeURI returns s with every character escaped as "%XX" (upper-case hex
// digits, one escape per UTF-8 byte) except ASCII alphanumerics,
// "-_.!~*'()" and the URI syntax characters ";/?:@&=+$,#", like
// encodeURI(s). It suits a whole URL: EncodeURI("https://site.com/привет")
// is "https://site.com/%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82", and "%"
// itself is escaped as "%25", so an already-escaped URL is escaped twice.
// Use [EncodeURIComponent] for one component.
//
// JavaScript throws a URIError for a lone surrogate. A Go string holds
// UTF-8, where the counterpart of a lone surrogate is an ill-formed
// sequence (an invalid byte, or the 3-byte encoding of a surrogate, ED
// A0..BF xx, that WTF-8 and CESU-8 write, lone or paired): for such input
// EncodeURI returns "" and an error wrapping [ErrURIError] that names the
// byte offset.
//
// Spec: https://tc39.es/ecma262/multipage/global-object.html#sec-encodeuri-uri
func EncodeURI(s string) (string, error) {
	return ecmaEncode("EncodeURI", s, ecmaURILow, ecmaURIHigh)
}

// EncodeURIComponent returns s with every character escaped as "%XX"
// (upper-case hex digits, one escape per UTF-8 byte) except ASCII
// alphanumerics and "-_.!~*'()", like encodeURIComponent(s). It suits one
// component, such as a query value: EncodeURIComponent("Rock&Roll") is
// "Rock%26Roll", where EncodeURI leaves the "&". Unlike the
// application/x-www-form-urlencoded serializer ([SearchParams.String]), it
// writes a space as "%20", not "+", and leaves "!'()~" alone.
//
// As for [EncodeURI], input that is not valid UTF-8 (a lone surrogate, in
// JavaScript's terms) gives "" and an error wrapping [ErrURIError].
//
// Spec: https://tc39.es/ecma262/multipage/global-object.html#sec-encodeuricomponent-uricomponent
func EncodeURIComponent(s string) (string, error) {
	return ecmaEncode("EncodeURIComponent", s, ecmaComponentLow, ecmaComponentHigh)
}

// ecmaEncode is ECMAScript's Encode abstract operation, the unescaped set
// (uriUnreserved plus extraUnescaped) given as masks.
//
// Spec: https://tc39.es/ecma262/multipage/global-object.html#sec-encode
func ecmaEncode(fn, s string, low, high uint64) (string, error) {
	n := len(s)
	for i := 0; i < len(s); i++ {
		if !ecmaIsUnescaped(s[i], low, high) {
			n += 2
		}
	}
	if n == len(s) {
		return s, nil // all ASCII, so valid UTF-8
	}
	if !utf8.ValidString(s) {
		at := 0
		for at < len(s) {
			r, size := utf8.DecodeRuneInString(s[at:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			at += size
		}
		return "", ecmaError(fn, s, at, "not valid UTF-8 (a lone surrogate in JavaScript terms)")
	}
	var b strings.Builder
	b.Grow(n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if ecmaIsUnescaped(c, low, high) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upperHex[c>>4])
		b.WriteByte(upperHex[c&0xF])
	}
	return b.String(), nil
}

// DecodeURI reverses [EncodeURI], like decodeURI(s): each "%XX" escape (or
// run of escapes forming one UTF-8 encoded character) is replaced by its
// character, except escapes of the URI syntax characters ";/?:@&=+$,#",
// which are kept as they are written ("%2F" and "%2f" stay). Characters
// that are not escapes are copied unchanged.
//
// The error wraps [ErrURIError] when a "%" is not followed by two hex
// digits, when an escaped byte cannot start a UTF-8 sequence or the
// sequence is cut short, or when the bytes are not valid UTF-8: overlong
// forms, code points above U+10FFFF and surrogates ("%ED%A0%80") are
// rejected, as in JavaScript.
//
// Deviation: bytes outside escapes are copied as they are, even when they
// are not valid UTF-8, as JavaScript copies a lone surrogate; only escaped
// bytes are checked.
//
// Spec: https://tc39.es/ecma262/multipage/global-object.html#sec-decodeuri-encodeduri
func DecodeURI(s string) (string, error) {
	return ecmaDecode(s, ecmaURIReserved, "decodeURI")
}

// DecodeURIComponent reverses [EncodeURIComponent], like
// decodeURIComponent(s): every "%XX" escape, or run of escapes forming one
// UTF-8 encoded character, is replaced by its character. Unlike the
// application/x-www-form-urlencoded parser ([ParseURLEncoded]), "+" stays
// "+" and malformed input is an error, not U+FFFD.
//
// The error wraps [ErrURIError] on the same conditions as [DecodeURI]:
// DecodeURIComponent("%") and DecodeURIComponent("%ED%A0%80") fail.
//
// Deviation: bytes outside escapes are copied as they are, as for
// [DecodeURI].
//
// Spec: https://tc39.es/ecma262/multipage/global-object.html#sec-decodeuricomponent-encodeduricomponent
func DecodeURIComponent(s string) (string, error) {
	return ecmaDecode(s, "", "decodeURIComponent")
}

// ecmaDecode is ECMAScript's Decode abstract operation with
// preserveEscapeSet; fn names the caller in errors.
//
// Spec: https://tc39.es/ecma262/multipage/global-object.html#sec-decode
func ecmaDecode(s, preserveEscapeSet, fn string) (string, error) {
	k := strings.IndexByte(s, '%')
	if k < 0 {
		return s, nil
	}
	n := len(s)
	if preserveEscapeSet == "" {
		// Exact when every escape is valid: each turns 3 bytes into 1.
		n -= 2 * strings.Count(s[k:], "%")
	}
	var b strings.Builder
	b.Grow(max(n, 0))
	b.WriteString(s[:k])
	for ; k < len(s); k++ {
		if s[k] != '%' {
			// Copy the run up to the next escape at once.
			j := strings.IndexByte(s[k:], '%')
			if j < 0 {
				b.WriteString(s[k:])
				break
			}
			b.WriteString(s[k : k+j])
			k += j
		}
		start := k
		octet, ok := ecmaHexOctet(s, k)
		if !ok {
			return "", ecmaError(fn, s, start, "malformed escape")
		}
		k += 2
		n := bits.LeadingZeros8(^octet) // the number of leading 1 bits
		if n == 0 {
			if strings.IndexByte(preserveEscapeSet, octet) >= 0 {
				b.WriteString(s[start : k+1])
			} else {
				b.WriteByte(octet)
			}
			continue
		}
		if n == 1 || n > 4 {
			return "", ecmaError(fn, s, start, "escaped byte cannot start a UTF-8 sequence")
		}
		var octets [4]byte
		octets[0] = octet
		for j := 1; j < n; j++ {
			k++
			if k >= len(s) || s[k] != '%' {
				return "", ecmaError(fn, s, start, "UTF-8 sequence cut short")
			}
			cont, ok := ecmaHexOctet(s, k)
			if !ok {
				return "", ecmaError(fn, s, k, "malformed escape")
			}
			octets[j] = cont
			k += 2
		}
		// utf8.DecodeRune rejects overlong forms, surrogates, code points
		// above U+10FFFF and bad continuation bytes, each as a 1-byte
		// RuneError; a well-formed U+FFFD decodes with size 3.
		if _, size := utf8.DecodeRune(octets[:n]); size != n {
			return "", ecmaError(fn, s, start, "escapes are not valid UTF-8")
		}
		b.Write(octets[:n])
	}
	return b.String(), nil
}

// ecmaHexOctet parses the two hex digits after the "%" at s[k].
func ecmaHexOctet(s string, k int) (byte, bool) {
	if k+2 >= len(s) {
		return 0, false
	}
	hi, ok1 := textenc.Unhex(s[k+1])
	lo, ok2 := textenc.Unhex(s[k+2])
	return hi<<4 | lo, ok1 && ok2
}

// ecmaError builds a URIError naming the function, the reason and the
// offending escape.
func ecmaError(fn, s string, at int, why string) error {
	end := min(at+12, len(s))
	return fmt.Errorf("%w: %s: %s at byte %d (%q)", ErrURIError, fn, why, at, s[at:end])
}
