package url

import (
	"strings"

	"github.com/webnet-go/webnet/internal/textenc"
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
			name, value = textenc.USVString(name), textenc.USVString(value)
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

// formIsSafe reports whether c is written as itself by the
// application/x-www-form-urlencoded serializer: it is not in the
// application/x-www-form-urlencoded percent-encode set, so it is an ASCII
// alphanumeric or one of "*", "-", ".", "_". (Space is in the set; the
// serializer writes it as "+".)
//
// Spec: https://url.spec.whatwg.org/#application-x-www-form-urlencoded-percent-encode-set
func formIsSafe(c byte) bool { return encodeTable[c]&setFormURLEncoded == 0 }

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
		b.WriteByte(upperHex[c>>4])
		b.WriteByte(upperHex[c&0xF])
	}
	b.WriteString(s[start:])
}

// formDecode turns one name or value of the parser into a string: "+"
// becomes a space, the result is percent-decoded, and the bytes are decoded
// as UTF-8 without BOM, with replacement.
//
// Spec: https://url.spec.whatwg.org/#concept-urlencoded-parser
func formDecode(s string) string {
	return textenc.UTF8DecodeWithoutBOM(textenc.PercentDecodeForm(s))
}
