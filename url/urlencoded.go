package url

import (
	"strings"
	"unicode/utf8"
)

// This file holds the application/x-www-form-urlencoded parser and
// serializer of the URL Standard. Its helpers carry a "form" prefix: the
// general percent-encode sets of the URL parser live in percentencode.go.

// ParseURLEncoded runs the application/x-www-form-urlencoded parser on s and
// returns the name-value pairs in order. It never fails: "+" becomes a space,
// a "%" that does not start a valid escape is kept as is, and bytes that are
// not valid UTF-8 after percent-decoding become U+FFFD, as the UTF-8 decoder
// of the Encoding Standard does (one U+FFFD per maximal invalid subpart).
// Empty sequences between "&"s are skipped, so ParseURLEncoded("") and
// ParseURLEncoded("&&") return no pairs (nil).
//
// s is read as a byte sequence: unlike [NewSearchParams], s may start with
// "?" and that "?" is part of the first name. The fetch body code uses this
// parser for application/x-www-form-urlencoded bodies, whose charset
// parameter is ignored (the parser always decodes UTF-8).
//
// Every returned name and value is valid UTF-8, and
// ParseURLEncoded(SerializeURLEncoded(ParseURLEncoded(s))) equals
// ParseURLEncoded(s).
//
// Spec: https://url.spec.whatwg.org/#concept-urlencoded-parser
func ParseURLEncoded(s string) [][2]string {
	if s == "" {
		return nil
	}
	out := make([][2]string, 0, strings.Count(s, "&")+1)
	for s != "" {
		seq, rest, _ := strings.Cut(s, "&")
		s = rest
		if seq == "" {
			continue
		}
		name, value, _ := strings.Cut(seq, "=")
		out = append(out, [2]string{formDecode(name), formDecode(value)})
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// SerializeURLEncoded runs the application/x-www-form-urlencoded serializer
// on pairs: names and values are UTF-8 percent-encoded with the
// application/x-www-form-urlencoded percent-encode set (every byte except
// ASCII alphanumerics and "*-._" becomes "%XX" with upper-case hex digits),
// a space becomes "+", and the pairs are joined as "name=value" with "&".
// No pairs give "". The order of pairs is kept (unlike
// [net/url.Values.Encode], which sorts by key).
//
// The spec's input is a list of scalar value strings. A name or value that
// is not valid UTF-8 is first made one the way WebIDL converts a JavaScript
// string to a USVString: the 3-byte encoding of a surrogate (ED A0..BF xx,
// as WTF-8 and CESU-8 write lone or paired surrogates) becomes one U+FFFD,
// and every other invalid sequence becomes U+FFFD as the Encoding Standard's
// UTF-8 decoder replaces it. So SerializeURLEncoded(pairs) equals
// NewSearchParamsFromPairs(pairs).String().
//
// Spec: https://url.spec.whatwg.org/#concept-urlencoded-serializer
func SerializeURLEncoded(pairs [][2]string) string {
	return formSerialize(pairs, false)
}

// formSerialize is the serializer; scalar tells that every name and value
// is known to be valid UTF-8 already (a SearchParams' list), which saves
// checking them again.
func formSerialize(pairs [][2]string, scalar bool) string {
	if len(pairs) == 0 {
		return ""
	}
	// The exact length when every string is valid UTF-8, so the builder
	// allocates once.
	n := len(pairs)*2 - 1
	for _, p := range pairs {
		n += formEncodedLen(p[0]) + formEncodedLen(p[1])
	}
	var b strings.Builder
	b.Grow(n)
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		name, value := p[0], p[1]
		if !scalar {
			name, value = formUSVString(name), formUSVString(value)
		}
		formEncode(&b, name)
		b.WriteByte('=')
		formEncode(&b, value)
	}
	return b.String()
}

// formEncodedLen returns the length of s after formEncode.
func formEncodedLen(s string) int {
	n := len(s)
	for i := 0; i < len(s); i++ {
		if c := s[i]; !formIsSafe(c) && c != ' ' {
			n += 2
		}
	}
	return n
}

// The application/x-www-form-urlencoded percent-encode set, inverted: the
// bytes it leaves alone are ASCII alphanumerics and "*", "-", ".", "_".
// (The set is the component percent-encode set plus "!", "'" to ")" and
// "~"; space is handled apart, as "+".) Stored as two 64-bit masks so the
// table is a constant.
//
// Spec: https://url.spec.whatwg.org/#application-x-www-form-urlencoded-percent-encode-set
const (
	formSafeLow  = 1<<'*' | 1<<'-' | 1<<'.' | (1<<10-1)<<'0'
	formSafeHigh = (1<<26-1)<<('A'-64) | 1<<('_'-64) | (1<<26-1)<<('a'-64)
)

// formIsSafe reports whether c is written as itself by the
// application/x-www-form-urlencoded serializer.
func formIsSafe(c byte) bool {
	switch {
	case c < 64:
		return formSafeLow>>c&1 != 0
	case c < 128:
		return formSafeHigh>>(c-64)&1 != 0
	}
	return false
}

const formUpperHex = "0123456789ABCDEF"

// formEncode writes the scalar value string s percent-encoded after
// encoding with UTF-8, with the application/x-www-form-urlencoded
// percent-encode set and spaceAsPlus true.
//
// Spec: https://url.spec.whatwg.org/#string-percent-encode-after-encoding
func formEncode(b *strings.Builder, s string) {
	start := 0 // s[start:i] is a run of bytes written as themselves
	for i := 0; i < len(s); i++ {
		c := s[i]
		if formIsSafe(c) {
			continue
		}
		b.WriteString(s[start:i])
		start = i + 1
		if c == ' ' {
			b.WriteByte('+')
			continue
		}
		b.WriteByte('%')
		b.WriteByte(formUpperHex[c>>4])
		b.WriteByte(formUpperHex[c&0xF])
	}
	b.WriteString(s[start:])
}

// formDecode turns one name or value of the parser into a string: "+"
// becomes a space, the result is percent-decoded, and the bytes are decoded
// as UTF-8 without BOM, with replacement.
//
// Spec: https://url.spec.whatwg.org/#concept-urlencoded-parser
func formDecode(s string) string {
	if strings.IndexByte(s, '+') < 0 && strings.IndexByte(s, '%') < 0 {
		if utf8.ValidString(s) {
			return s
		}
		return formDecodeUTF8(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '+':
			c = ' '
		case '%':
			if i+2 < len(s) {
				hi, ok1 := formUnhex(s[i+1])
				lo, ok2 := formUnhex(s[i+2])
				if ok1 && ok2 {
					c = hi<<4 | lo
					i += 2
				}
			}
		}
		b.WriteByte(c)
	}
	out := b.String()
	if utf8.ValidString(out) {
		return out
	}
	return formDecodeUTF8(out)
}

// formUnhex returns the value of the ASCII hex digit c.
func formUnhex(c byte) (byte, bool) {
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

// formDecodeUTF8 runs the Encoding Standard's UTF-8 decoder, error mode
// replacement, on b: each maximal subpart of an ill-formed sequence becomes
// one U+FFFD. (Go's utf8.DecodeRune reports one error per byte instead, so
// "\xE2\x82" would give two U+FFFD where the standard gives one.) No BOM is
// stripped.
//
// Spec: https://encoding.spec.whatwg.org/#utf-8-decoder
func formDecodeUTF8[T string | []byte](b T) string {
	return formReplaceInvalid(b, false)
}

// formUSVString returns s made into a scalar value string, the way WebIDL
// converts a JavaScript string to a USVString: the 3-byte encoding of a
// surrogate code point (ED A0..BF 80..BF, which WTF-8 uses for a lone
// surrogate and CESU-8 for each half of a pair) is one code unit in
// JavaScript and becomes one U+FFFD; any other ill-formed sequence becomes
// U+FFFD as the UTF-8 decoder replaces it. Valid UTF-8 is returned as is
// without allocating.
//
// Spec: https://webidl.spec.whatwg.org/#es-USVString
func formUSVString(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return formReplaceInvalid(s, true)
}

// formReplaceInvalid is the decoder behind formDecodeUTF8 and
// formUSVString; surrogates selects the one-U+FFFD-per-surrogate rule.
func formReplaceInvalid[T string | []byte](b T, surrogates bool) string {
	var out strings.Builder
	out.Grow(len(b) + 8)
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			out.WriteByte(c)
			i++
			continue
		}
		if surrogates && c == 0xED && i+2 < len(b) &&
			0xA0 <= b[i+1] && b[i+1] <= 0xBF && 0x80 <= b[i+2] && b[i+2] <= 0xBF {
			out.WriteRune(utf8.RuneError)
			i += 3
			continue
		}
		need := 0
		lo, hi := byte(0x80), byte(0xBF)
		switch {
		case 0xC2 <= c && c <= 0xDF:
			need = 1
		case 0xE0 <= c && c <= 0xEF:
			need = 2
			if c == 0xE0 {
				lo = 0xA0
			} else if c == 0xED {
				hi = 0x9F
			}
		case 0xF0 <= c && c <= 0xF4:
			need = 3
			if c == 0xF0 {
				lo = 0x90
			} else if c == 0xF4 {
				hi = 0x8F
			}
		default:
			out.WriteRune(utf8.RuneError)
			i++
			continue
		}
		j := i + 1
		valid := true
		for range need {
			if j >= len(b) || b[j] < lo || b[j] > hi {
				valid = false
				break
			}
			lo, hi = 0x80, 0xBF
			j++
		}
		if valid {
			for k := i; k < j; k++ {
				out.WriteByte(b[k])
			}
		} else {
			// The lead byte and the continuation bytes accepted so far
			// form one error; the offending byte is decoded afresh.
			out.WriteRune(utf8.RuneError)
		}
		i = j
	}
	return out.String()
}
