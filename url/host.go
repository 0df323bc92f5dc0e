package url

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"

	"github.com/webnet-go/webnet/internal/textenc"
)

// idnaProfile is UTS #46 configured as the URL Standard's "domain to ASCII"
// and "domain to Unicode" with beStrict false: non-transitional processing,
// CheckHyphens false, CheckBidi true, CheckJoiners true, UseSTD3ASCIIRules
// false, VerifyDnsLength false. MapForLookup turns on the UTS #46 mapping
// and label validation; the options after it override the flags it sets.
// A *idna.Profile is immutable and safe for concurrent use.
var idnaProfile = idna.New(
	idna.MapForLookup(),
	idna.BidiRule(),
	idna.Transitional(false),
	idna.CheckHyphens(false),
	idna.CheckJoiners(true),
	idna.StrictDomainName(false),
	idna.VerifyDNSLength(false),
	idna.RemoveLeadingDots(false),
)

// isForbiddenHostByte reports whether b is a forbidden host code point.
//
// Spec: https://url.spec.whatwg.org/#forbidden-host-code-point
func isForbiddenHostByte(b byte) bool {
	switch b {
	case 0, '\t', '\n', '\r', ' ', '#', '/', ':', '<', '>', '?', '@', '[', '\\', ']', '^', '|':
		return true
	}
	return false
}

// isForbiddenDomainByte reports whether b is a forbidden domain code point.
//
// Spec: https://url.spec.whatwg.org/#forbidden-domain-code-point
func isForbiddenDomainByte(b byte) bool {
	return isForbiddenHostByte(b) || b < 0x20 || b == '%' || b == 0x7F
}

// parseHost is the host parser. It returns the host serialized (the host
// serializer's output), which is all a URL record keeps of a host. The result
// is input itself when that is already the serialization.
//
// Spec: https://url.spec.whatwg.org/#concept-host-parser
func parseHost(input string, isOpaque bool) (string, errCode) {
	if len(input) > 0 && input[0] == '[' {
		if input[len(input)-1] != ']' || len(input) < 2 {
			return "", codeIPv6Unclosed
		}
		addr, code := parseIPv6(input[1 : len(input)-1])
		if code != codeOK {
			return "", code
		}
		var buf [48]byte
		out := append(buf[:0], '[')
		out = appendIPv6(out, &addr)
		out = append(out, ']')
		if string(out) == input {
			return input, codeOK
		}
		return string(out), codeOK
	}
	if isOpaque {
		return parseOpaqueHost(input)
	}
	// UTF-8 decode without BOM of the percent-decoding: invalid sequences
	// become U+FFFD, which domain to ASCII then rejects. (The input itself
	// is valid UTF-8 already.)
	domain := input
	if strings.IndexByte(input, '%') >= 0 {
		domain = toScalarValues(percentDecode(input))
	}
	asciiDomain, code := domainToASCII(domain)
	if code != codeOK {
		return "", code
	}
	if endsInANumber(asciiDomain) {
		v, code := parseIPv4(asciiDomain)
		if code != codeOK {
			return "", code
		}
		var buf [15]byte
		out := appendIPv4(buf[:0], v)
		if string(out) == asciiDomain {
			return asciiDomain, codeOK
		}
		return string(out), codeOK
	}
	return asciiDomain, codeOK
}

// domainToASCII is the URL Standard's "domain to ASCII" with beStrict false.
// An ASCII domain takes the fast path the standard allows: it is only
// ASCII-lowercased (and checked for forbidden domain code points), without
// UTS #46 processing.
//
// Spec: https://url.spec.whatwg.org/#concept-domain-to-ascii
func domainToASCII(domain string) (string, errCode) {
	// One pass classifies the bytes: a non-ASCII domain goes through UTS #46;
	// in an ASCII one, forbidden code points fail (lowering cannot change
	// that) and upper-case letters need lowering.
	var class uint8
	for i := 0; i < len(domain); i++ {
		class |= hostByteClass[domain[i]]
	}
	switch {
	case class&classNonASCII != 0:
		return domainToASCIISlow(domain)
	case class&classForbiddenDomain != 0:
		return "", codeDomainInvalidCP
	case domain == "":
		return "", codeDomainToASCII
	case class&classUpper != 0:
		return textenc.LowerASCII(domain), codeOK
	}
	return domain, codeOK
}

// domainToASCIISlow runs UTS #46 ToASCII on a domain with non-ASCII code
// points.
func domainToASCIISlow(domain string) (string, errCode) {
	result, err := idnaProfile.ToASCII(uts46Update(domain))
	if err != nil || result == "" {
		return "", codeDomainToASCII
	}
	for i := 0; i < len(result); i++ {
		if isForbiddenDomainByte(result[i]) {
			return "", codeDomainInvalidCP
		}
	}
	return result, codeOK
}

// The classes of hostByteClass.
const (
	classUpper uint8 = 1 << iota
	classForbiddenDomain
	classNonASCII
)

// hostByteClass classifies the bytes of an ASCII domain.
var hostByteClass = func() (t [256]uint8) {
	for b := 0; b < 256; b++ {
		switch {
		case b >= utf8.RuneSelf:
			t[b] = classNonASCII
		case isForbiddenDomainByte(byte(b)):
			t[b] = classForbiddenDomain
		case 'A' <= b && b <= 'Z':
			t[b] = classUpper
		}
	}
	return t
}()

// DomainToASCII converts a domain to its ASCII form the way the URL parser
// does for the host of a special URL: UTS #46 mapping and validation,
// non-transitional, with Punycode for non-ASCII labels, and rejection of the
// forbidden domain code points. It is Node's url.domainToASCII, except that a
// failure is an error wrapping [ErrInvalidURL] (Node returns "").
//
// The input is a domain, not a host: it is not percent-decoded and is never
// taken for an IP address.
//
// Spec: https://url.spec.whatwg.org/#concept-domain-to-ascii
func DomainToASCII(domain string) (string, error) {
	r, code := domainToASCII(toScalarValues(domain))
	if code != codeOK {
		return "", fmt.Errorf("%w: domain %q: %s", ErrInvalidURL, shorten(domain), code)
	}
	return r, nil
}

// DomainToUnicode converts a domain to its Unicode form: UTS #46 ToUnicode
// with the URL Standard's flags, so "xn--bcher-kva.example" becomes
// "bücher.example". It is Node's url.domainToUnicode. When UTS #46 records
// an error the result is still returned (the spec's result carries its
// errors along), together with an error wrapping [ErrInvalidURL].
//
// Spec: https://url.spec.whatwg.org/#concept-domain-to-unicode
func DomainToUnicode(domain string) (string, error) {
	r, err := idnaProfile.ToUnicode(uts46Update(toScalarValues(domain)))
	if err != nil {
		return r, fmt.Errorf("%w: domain %q: domain-to-Unicode: %v", ErrInvalidURL, shorten(domain), err)
	}
	return r, nil
}

// parseOpaqueHost is the opaque-host parser.
//
// Spec: https://url.spec.whatwg.org/#concept-opaque-host-parser
func parseOpaqueHost(input string) (string, errCode) {
	for i := 0; i < len(input); i++ {
		if isForbiddenHostByte(input[i]) {
			return "", codeHostInvalidCP
		}
	}
	return percentEncode(input, setC0Control), codeOK
}

// endsInANumber is the ends-in-a-number checker.
//
// Spec: https://url.spec.whatwg.org/#ends-in-a-number-checker
func endsInANumber(input string) bool {
	last := input
	if strings.HasSuffix(last, ".") {
		if len(last) == 1 {
			return false
		}
		last = last[:len(last)-1]
	}
	if i := strings.LastIndexByte(last, '.'); i >= 0 {
		last = last[i+1:]
	}
	if last == "" {
		return false
	}
	allDigits := true
	for i := 0; i < len(last); i++ {
		if !isASCIIDigit(last[i]) {
			allDigits = false
			break
		}
	}
	if allDigits {
		return true
	}
	_, _, ok := parseIPv4Number(last)
	return ok
}

// ipv4Overflow is larger than any valid IPv4 part; the number parser
// saturates there so that arbitrarily long digit strings cannot overflow.
const ipv4Overflow = 1 << 40

// parseIPv4Number is the IPv4 number parser. It returns the number, whether a
// validation error (non-decimal notation) occurred, and false on failure.
//
// Spec: https://url.spec.whatwg.org/#ipv4-number-parser
func parseIPv4Number(input string) (n uint64, validationError bool, ok bool) {
	if input == "" {
		return 0, false, false
	}
	radix := uint64(10)
	if len(input) >= 2 && input[0] == '0' && input[1]|0x20 == 'x' {
		validationError, radix, input = true, 16, input[2:]
	} else if len(input) >= 2 && input[0] == '0' {
		validationError, radix, input = true, 8, input[1:]
	}
	if input == "" {
		return 0, true, true
	}
	for i := 0; i < len(input); i++ {
		// A hex digit's value is at least the radix unless it is a digit
		// of that radix ("a" in decimal, "8" in octal).
		d, ok := textenc.Unhex(input[i])
		if !ok || uint64(d) >= radix {
			return 0, false, false
		}
		if n < ipv4Overflow {
			n = n*radix + uint64(d)
		}
	}
	return n, validationError, true
}

// parseIPv4 is the IPv4 parser.
//
// Spec: https://url.spec.whatwg.org/#concept-ipv4-parser
func parseIPv4(input string) (uint32, errCode) {
	s := input
	if strings.HasSuffix(s, ".") {
		s = s[:len(s)-1] // IPv4-empty-part validation error; drop the empty last part
	}
	if strings.Count(s, ".") > 3 {
		return 0, codeIPv4TooManyParts
	}
	var numbers [4]uint64
	n := 0
	for part := range strings.SplitSeq(s, ".") {
		v, _, ok := parseIPv4Number(part)
		if !ok {
			return 0, codeIPv4NonNumericPart
		}
		numbers[n] = v
		n++
	}
	for i := 0; i < n-1; i++ {
		if numbers[i] > 255 {
			return 0, codeIPv4OutOfRangePart
		}
	}
	if numbers[n-1] >= 1<<(8*(5-n)) {
		return 0, codeIPv4OutOfRangePart
	}
	ipv4 := numbers[n-1]
	for i := 0; i < n-1; i++ {
		ipv4 += numbers[i] << (8 * (3 - i))
	}
	return uint32(ipv4), codeOK
}

// appendIPv4 appends the IPv4 serializer's output for v.
//
// Spec: https://url.spec.whatwg.org/#concept-ipv4-serializer
func appendIPv4(dst []byte, v uint32) []byte {
	for i := 3; i >= 0; i-- {
		dst = strconv.AppendUint(dst, uint64(v>>(8*i)&0xFF), 10)
		if i > 0 {
			dst = append(dst, '.')
		}
	}
	return dst
}

// parseIPv6 is the IPv6 parser.
//
// Spec: https://url.spec.whatwg.org/#concept-ipv6-parser
func parseIPv6(input string) ([8]uint16, errCode) {
	var address [8]uint16
	pieceIndex, compress := 0, -1
	p := 0
	c := func() int {
		if p < len(input) {
			return int(input[p])
		}
		return eof
	}
	if c() == ':' {
		if p+1 >= len(input) || input[p+1] != ':' {
			return address, codeIPv6InvalidCompress
		}
		p += 2
		pieceIndex++
		compress = pieceIndex
	}
	for c() != eof {
		if pieceIndex == 8 {
			return address, codeIPv6TooManyPieces
		}
		if c() == ':' {
			if compress != -1 {
				return address, codeIPv6MultipleCompress
			}
			p++
			pieceIndex++
			compress = pieceIndex
			continue
		}
		value, length := 0, 0
		for length < 4 && p < len(input) {
			d, ok := textenc.Unhex(input[p])
			if !ok {
				break
			}
			value = value*16 + int(d)
			p++
			length++
		}
		if c() == '.' {
			if length == 0 {
				return address, codeIPv4InIPv6InvalidCP
			}
			p -= length
			if pieceIndex > 6 {
				return address, codeIPv4InIPv6TooMany
			}
			numbersSeen := 0
			for c() != eof {
				ipv4Piece := -1
				if numbersSeen > 0 {
					if c() == '.' && numbersSeen < 4 {
						p++
					} else {
						return address, codeIPv4InIPv6InvalidCP
					}
				}
				if c() == eof || !isASCIIDigit(byte(c())) {
					return address, codeIPv4InIPv6InvalidCP
				}
				for c() != eof && isASCIIDigit(byte(c())) {
					number := c() - '0'
					switch ipv4Piece {
					case -1:
						ipv4Piece = number
					case 0:
						return address, codeIPv4InIPv6InvalidCP
					default:
						ipv4Piece = ipv4Piece*10 + number
					}
					if ipv4Piece > 255 {
						return address, codeIPv4InIPv6OutOfRange
					}
					p++
				}
				address[pieceIndex] = address[pieceIndex]*0x100 + uint16(ipv4Piece)
				numbersSeen++
				if numbersSeen == 2 || numbersSeen == 4 {
					pieceIndex++
				}
			}
			if numbersSeen != 4 {
				return address, codeIPv4InIPv6TooFew
			}
			break
		} else if c() == ':' {
			p++
			if c() == eof {
				return address, codeIPv6InvalidCP
			}
		} else if c() != eof {
			return address, codeIPv6InvalidCP
		}
		address[pieceIndex] = uint16(value)
		pieceIndex++
	}
	if compress != -1 {
		swaps := pieceIndex - compress
		pieceIndex = 7
		for pieceIndex != 0 && swaps > 0 {
			address[pieceIndex], address[compress+swaps-1] = address[compress+swaps-1], address[pieceIndex]
			pieceIndex--
			swaps--
		}
	} else if pieceIndex != 8 {
		return address, codeIPv6TooFewPieces
	}
	return address, codeOK
}

// appendIPv6 appends the IPv6 serializer's output for address: lower-case
// hex pieces, the first longest run of two or more zero pieces compressed
// to "::".
//
// Spec: https://url.spec.whatwg.org/#concept-ipv6-serializer
func appendIPv6(dst []byte, address *[8]uint16) []byte {
	compress, bestLen := -1, 1
	for i := 0; i < 8; {
		if address[i] != 0 {
			i++
			continue
		}
		j := i
		for j < 8 && address[j] == 0 {
			j++
		}
		if j-i > bestLen {
			compress, bestLen = i, j-i
		}
		i = j
	}
	ignore0 := false
	for i := 0; i < 8; i++ {
		if ignore0 && address[i] == 0 {
			continue
		}
		ignore0 = false
		if compress == i {
			if i == 0 {
				dst = append(dst, "::"...)
			} else {
				dst = append(dst, ':')
			}
			ignore0 = true
			continue
		}
		dst = strconv.AppendUint(dst, uint64(address[i]), 16)
		if i != 7 {
			dst = append(dst, ':')
		}
	}
	return dst
}

// uts46Outdated is true while golang.org/x/net/idna runs on its Unicode 15.0
// IDNA tables, which it does before Go 1.27. The URL Standard follows the
// current UTS #46 (revision 33 and later, Unicode 16 and 17).
const uts46Outdated = idna.UnicodeVersion < "16"

// uts46Update brings the IDNA mapping of s up to date before x/net/idna sees
// it, for the code points that exist in Unicode 15.0 but whose UTS #46
// status changed since: they are mapped or dropped here as the current
// IdnaMappingTable says, so that the Unicode 15.0 tables see only code points
// whose status did not change. The list is the difference between the
// Unicode 15.0 and 17.0 tables of x/net/idna, restricted to code points
// assigned in Unicode 15.0 (computed with golang.org/x/text/unicode/rangetable):
// 24 code points became ignored, 46 became mapped, U+1E9E changed its
// mapping from "ss" to "ß", and U+1806 became valid, which a pre-mapping
// cannot express (see the package documentation's deviations).
func uts46Update(s string) string {
	if !uts46Outdated {
		return s
	}
	var b []byte
	for i, r := range s {
		repl, ok := uts46Updated(r)
		if !ok {
			if b != nil {
				b = utf8.AppendRune(b, r)
			}
			continue
		}
		if b == nil {
			b = make([]byte, 0, len(s))
			b = append(b, s[:i]...)
		}
		b = append(b, repl...)
	}
	if b == nil {
		return s
	}
	return string(b)
}

// uts46Updated returns the current UTS #46 mapping of r ("" for an ignored
// code point) when it differs from the Unicode 15.0 tables.
func uts46Updated(r rune) (string, bool) {
	if r < 0x04C0 {
		return "", false
	}
	switch {
	case 0x10A0 <= r && r <= 0x10C5: // Georgian capital letters (Asomtavruli)
		return string(r - 0x10A0 + 0x2D00), true
	case 0x2061 <= r && r <= 0x2063, 0x206A <= r && r <= 0x206F, 0x1D173 <= r && r <= 0x1D17A:
		return "", true
	}
	switch r {
	case 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x3164, 0xFFA0:
		return "", true
	case 0x04C0:
		return "\u04CF", true
	case 0x1E9E:
		return "\u00DF", true
	case 0x2132:
		return "\u214E", true
	case 0x2183:
		return "\u2184", true
	case 0x2F868:
		return "\u36FC", true
	case 0x2F874:
		return "\u5F53", true
	case 0x2F91F:
		return "\U000243AB", true
	case 0x2F95F:
		return "\u7AEE", true
	case 0x2F9BF:
		return "\u45D7", true
	}
	return "", false
}
