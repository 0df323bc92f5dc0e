package textenc

import "strings"

// PercentDecode is the URL Standard's percent-decode of the bytes of s:
// each "%" followed by two ASCII hex digits becomes the byte they name, and
// every other byte, a "%" that does not start such an escape included, is
// kept. The result may be any bytes, not necessarily UTF-8 (run
// [UTF8DecodeWithoutBOM] over it for the spec's "string percent-decode").
// s itself is returned, without allocating, when it holds no "%".
//
// Spec: https://url.spec.whatwg.org/#percent-decode
func PercentDecode(s string) string { return percentDecode(s, false) }

// PercentDecodeForm is percent-decode as the
// application/x-www-form-urlencoded parser runs it on a name or value: each
// "+" is first replaced with a space, then the bytes are percent-decoded as
// by [PercentDecode] (an escaped "%2B" stays a "+"). s itself is returned,
// without allocating, when it holds neither "+" nor "%".
//
// Spec: https://url.spec.whatwg.org/#concept-urlencoded-parser
func PercentDecodeForm(s string) string { return percentDecode(s, true) }

// percentDecode is PercentDecode, with plusAsSpace PercentDecodeForm: one
// pass, as replacing "+" cannot make or break an escape.
func percentDecode(s string, plusAsSpace bool) string {
	if strings.IndexByte(s, '%') < 0 && (!plusAsSpace || strings.IndexByte(s, '+') < 0) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '+':
			if plusAsSpace {
				c = ' '
			}
		case '%':
			if i+2 < len(s) {
				hi, ok1 := Unhex(s[i+1])
				lo, ok2 := Unhex(s[i+2])
				if ok1 && ok2 {
					c = hi<<4 | lo
					i += 2
				}
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// Unhex returns the value of the ASCII hex digit c (0-9, a-f, A-F), and
// false when c is not one.
//
// Spec: https://infra.spec.whatwg.org/#ascii-hex-digit
func Unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
