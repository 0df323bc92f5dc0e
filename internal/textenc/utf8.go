package textenc

import (
	"strings"
	"unicode/utf8"
)

// UTF8Decode is the Encoding Standard's "UTF-8 decode": one leading byte
// order mark (EF BB BF) is removed, then b is decoded as by
// [UTF8DecodeWithoutBOM]. The result is valid UTF-8. A valid string input
// (after the BOM) comes back as a substring of b, without allocating.
//
// Spec: https://encoding.spec.whatwg.org/#utf-8-decode
func UTF8Decode[T string | []byte](b T) string {
	if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		b = b[3:]
	}
	return UTF8DecodeWithoutBOM(b)
}

// UTF8DecodeWithoutBOM is the Encoding Standard's "UTF-8 decode without
// BOM": b is run through the UTF-8 decoder with replacement error handling,
// so each maximal subpart of an ill-formed sequence becomes one U+FFFD (Go's
// utf8.DecodeRune would give one per byte: "\xE2\x82" is one U+FFFD here,
// two there). A byte order mark is kept, as U+FEFF. The result is valid
// UTF-8; a valid string input comes back as it is, without allocating.
//
// Spec: https://encoding.spec.whatwg.org/#utf-8-decode-without-bom
func UTF8DecodeWithoutBOM[T string | []byte](b T) string {
	switch v := any(b).(type) {
	case string:
		if utf8.ValidString(v) {
			return v
		}
	case []byte:
		if utf8.Valid(v) {
			return string(v)
		}
	}
	return replaceInvalid(b, false)
}

// USVString converts s as WebIDL converts a JavaScript string to a
// USVString, taking s's ill-formed UTF-8 as what a JavaScript string with
// lone surrogates becomes in Go: the 3-byte encoding of a surrogate code
// point (ED A0..BF 80..BF, as WTF-8 writes a lone surrogate and CESU-8 each
// half of a pair) is one code unit in JavaScript and becomes one U+FFFD;
// every other ill-formed sequence becomes U+FFFD as [UTF8DecodeWithoutBOM]
// replaces it. The result is a scalar value string (valid UTF-8); valid s
// comes back as it is, without allocating.
//
// Deviation: a CESU-8 surrogate pair gives two U+FFFD, where JavaScript
// would join the pair into one code point.
//
// Spec: https://webidl.spec.whatwg.org/#es-USVString
func USVString(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return replaceInvalid(s, true)
}

// replaceInvalid runs the Encoding Standard's UTF-8 decoder, error mode
// replacement, over b. With surrogates, a whole encoded surrogate (ED
// A0..BF 80..BF) is one error, as USVString wants, instead of the decoder's
// three.
//
// Spec: https://encoding.spec.whatwg.org/#utf-8-decoder
func replaceInvalid[T string | []byte](b T, surrogates bool) string {
	var out strings.Builder
	out.Grow(len(b) + 2*utf8.UTFMax)
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			out.WriteByte(c)
			i++
			continue
		}
		if surrogates && c == 0xED && i+2 < len(b) && inRange(b[i+1], 0xA0, 0xBF) && inRange(b[i+2], 0x80, 0xBF) {
			out.WriteRune(utf8.RuneError)
			i += 3
			continue
		}
		// The decoder's "bytes needed" for this lead byte, and the bounds
		// of the first continuation byte.
		needed := 0
		lower, upper := byte(0x80), byte(0xBF)
		switch {
		case inRange(c, 0xC2, 0xDF):
			needed = 1
		case c == 0xE0:
			needed, lower = 2, 0xA0
		case c == 0xED:
			needed, upper = 2, 0x9F
		case inRange(c, 0xE1, 0xEF):
			needed = 2
		case c == 0xF0:
			needed, lower = 3, 0x90
		case c == 0xF4:
			needed, upper = 3, 0x8F
		case inRange(c, 0xF1, 0xF3):
			needed = 3
		default:
			out.WriteRune(utf8.RuneError)
			i++
			continue
		}
		j := i + 1
		for ; j <= i+needed; j++ {
			if j >= len(b) || !inRange(b[j], lower, upper) {
				break
			}
			lower, upper = 0x80, 0xBF
		}
		if j == i+needed+1 {
			for k := i; k < j; k++ {
				out.WriteByte(b[k])
			}
		} else {
			// The lead byte and the continuation bytes accepted so far are
			// one error; the byte that broke the sequence, if any, is
			// decoded afresh.
			out.WriteRune(utf8.RuneError)
		}
		i = j
	}
	return out.String()
}

func inRange(c, lo, hi byte) bool { return lo <= c && c <= hi }
