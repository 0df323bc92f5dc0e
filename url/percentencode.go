package url

import (
	"strings"

	"github.com/webnet-go/webnet/internal/textenc"
)

// encodeSet is a bit mask naming one of the URL Standard's percent-encode
// sets. Each byte value of encodeTable has the bit of every set it belongs to.
type encodeSet uint8

// The percent-encode sets of the URL Standard. Every set contains every code
// point above U+007E, so for UTF-8 input every byte >= 0x80 is in every set,
// which is what lets the parser percent-encode byte by byte.
const (
	// Spec: https://url.spec.whatwg.org/#c0-control-percent-encode-set
	setC0Control encodeSet = 1 << iota
	// Spec: https://url.spec.whatwg.org/#fragment-percent-encode-set
	setFragment
	// Spec: https://url.spec.whatwg.org/#query-percent-encode-set
	setQuery
	// Spec: https://url.spec.whatwg.org/#special-query-percent-encode-set
	setSpecialQuery
	// Spec: https://url.spec.whatwg.org/#path-percent-encode-set
	setPath
	// Spec: https://url.spec.whatwg.org/#userinfo-percent-encode-set
	setUserinfo
	// Spec: https://url.spec.whatwg.org/#component-percent-encode-set
	setComponent
	// Spec: https://url.spec.whatwg.org/#application-x-www-form-urlencoded-percent-encode-set
	setFormURLEncoded
)

// encodeTable[b] holds the sets byte b belongs to. It is computed once and
// only read afterwards.
var encodeTable = buildEncodeTable()

func buildEncodeTable() (t [256]encodeSet) {
	add := func(set encodeSet, chars string) {
		for i := 0; i < len(chars); i++ {
			t[chars[i]] |= set
		}
	}
	for b := 0; b < 256; b++ {
		if b < 0x20 || b > 0x7E {
			// The C0 control percent-encode set: C0 controls and all code
			// points greater than U+007E (~); every other set contains it.
			t[b] = setC0Control | setFragment | setQuery | setSpecialQuery | setPath |
				setUserinfo | setComponent | setFormURLEncoded
		}
	}
	add(setFragment, " \"<>`")
	add(setQuery|setSpecialQuery|setPath|setUserinfo|setComponent|setFormURLEncoded, " \"#<>")
	add(setSpecialQuery, "'")
	add(setPath|setUserinfo|setComponent|setFormURLEncoded, "?^`{}")
	add(setUserinfo|setComponent|setFormURLEncoded, "/:;=@[\\]^|")
	add(setComponent|setFormURLEncoded, "$%&+,")
	add(setFormURLEncoded, "!'()~")
	return t
}

// inSet reports whether byte b is in set.
func inSet(b byte, set encodeSet) bool { return encodeTable[b]&set != 0 }

const upperHex = "0123456789ABCDEF"

// appendPercentEncoded appends s to dst, UTF-8 percent-encoding every byte in
// set ("%XX" with upper-case hex digits).
//
// Spec: https://url.spec.whatwg.org/#string-utf-8-percent-encode
func appendPercentEncoded(dst []byte, s string, set encodeSet) []byte {
	for i := 0; i < len(s); i++ {
		b := s[i]
		if encodeTable[b]&set != 0 {
			dst = append(dst, '%', upperHex[b>>4], upperHex[b&15])
		} else {
			dst = append(dst, b)
		}
	}
	return dst
}

// percentEncode returns s UTF-8 percent-encoded with set. It returns s itself,
// without allocating, when no byte needs encoding. s must be valid UTF-8 (the
// parser guarantees it), which makes byte-wise encoding equal to the spec's
// code point-wise "UTF-8 percent-encode".
//
// Spec: https://url.spec.whatwg.org/#string-utf-8-percent-encode
func percentEncode(s string, set encodeSet) string {
	i := 0
	for i < len(s) && encodeTable[s[i]]&set == 0 {
		i++
	}
	if i == len(s) {
		return s
	}
	n := 0
	for j := i; j < len(s); j++ {
		if encodeTable[s[j]]&set != 0 {
			n++
		}
	}
	b := make([]byte, 0, len(s)+2*n)
	b = append(b, s[:i]...)
	b = appendPercentEncoded(b, s[i:], set)
	return string(b)
}

// percentEncodeAfterEncoding is the URL Standard's "percent-encode after
// encoding" for the UTF-8 encoding with spaceAsPlus false, as the query state
// uses it: UTF-8 is the only encoding this package supports, so it equals
// UTF-8 percent-encoding the scalar value string input.
//
// Spec: https://url.spec.whatwg.org/#string-percent-encode-after-encoding
func percentEncodeAfterEncoding(input string, set encodeSet) string {
	return percentEncode(toScalarValues(input), set)
}

// percentDecode returns the bytes of s with every "%XX" (two hex digits)
// replaced by the byte it names; a "%" not followed by two hex digits stays as
// it is. It returns s itself when s holds no "%". The result is that of
// textenc.PercentDecode (whose hex-digit helper it uses), but built in a byte
// slice, which stays on the stack for a short string: that takes about a
// sixth fewer instructions on the short components [URL.NetURL] decodes for
// every fetch.
//
// Spec: https://url.spec.whatwg.org/#percent-decode
func percentDecode(s string) string {
	i := strings.IndexByte(s, '%')
	if i < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	b = append(b, s[:i]...)
	for ; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+2 < len(s) {
			hi, ok1 := textenc.Unhex(s[i+1])
			lo, ok2 := textenc.Unhex(s[i+2])
			if ok1 && ok2 {
				b = append(b, hi<<4|lo)
				i += 2
				continue
			}
		}
		b = append(b, c)
	}
	return string(b)
}
