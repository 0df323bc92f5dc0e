package dataurl

import (
	"errors"
	"strings"

	"github.com/webnet-go/webnet/internal/mimetype"
	"github.com/webnet-go/webnet/internal/textenc"
)

// Errors returned by [Process] and [ForgivingBase64Decode]. The spec calls
// each a failure; fetch reports it as a network error wrapping the cause.
var (
	// ErrNotDataURL means the URL's scheme is not "data".
	ErrNotDataURL = errors.New("dataurl: not a data: URL")
	// ErrNoComma means the data: URL has no comma ending its MIME type.
	ErrNoComma = errors.New("dataurl: data: URL has no comma")
	// ErrInvalidBase64 means a ";base64" body (or the input of
	// ForgivingBase64Decode) is not forgiving-base64; the wrapping error
	// says which rule it breaks.
	ErrInvalidBase64 = errors.New("dataurl: invalid base64")
)

// Result is what the data: URL processor returns: the MIME type and the
// body. The caller owns both.
//
// Spec: https://fetch.spec.whatwg.org/#data-url-struct
type Result struct {
	// MIMEType is the parsed MIME type, text/plain;charset=US-ASCII when
	// the URL gives none or an invalid one. Never nil.
	MIMEType *mimetype.MIMEType
	// Body is the percent-decoded (and, for ";base64", base64-decoded)
	// body. Never nil.
	Body []byte
}

// Process runs the data: URL processor on href, the serialization of a
// parsed data: URL (as url.URL.Href returns it; the fragment, if any, is
// dropped here). It fails with [ErrNotDataURL], [ErrNoComma] or an error
// wrapping [ErrInvalidBase64].
//
// Spec: https://fetch.spec.whatwg.org/#data-url-processor
func Process(href string) (*Result, error) {
	// The URL serializer writes the scheme in lower case; the first "#"
	// of a serialized URL starts its fragment.
	input, ok := strings.CutPrefix(href, "data:")
	if !ok {
		return nil, ErrNotDataURL
	}
	if i := strings.IndexByte(input, '#'); i >= 0 {
		input = input[:i]
	}

	mimeType, encodedBody, ok := strings.Cut(input, ",")
	if !ok {
		return nil, ErrNoComma
	}
	mimeType = trimASCIIWhitespace(mimeType)
	// Percent-decoded into a new slice: body is ours to modify.
	body := []byte(textenc.PercentDecode(encodedBody))

	if rest, ok := cutBase64Suffix(mimeType); ok {
		// The spec isomorphic-decodes the body to a string, one code point
		// per byte; forgiving-base64 accepts only ASCII, so decoding the
		// bytes themselves is the same. body is ours to modify.
		decoded, err := forgivingBase64Decode(body)
		if err != nil {
			return nil, err
		}
		body = decoded
		mimeType = rest
	}

	var mt *mimetype.MIMEType
	if strings.HasPrefix(mimeType, ";") {
		mt, ok = mimetype.Parse("text/plain" + mimeType)
	} else {
		mt, ok = mimetype.Parse(mimeType)
	}
	if !ok {
		mt = &mimetype.MIMEType{Type: "text", Subtype: "plain",
			Params: []mimetype.Param{{Name: "charset", Value: "US-ASCII"}}}
	}
	return &Result{MIMEType: mt, Body: body}, nil
}

// cutBase64Suffix reports whether mimeType ends with ";", zero or more
// spaces and "base64" (ASCII case-insensitive), and returns it without
// that suffix.
func cutBase64Suffix(mimeType string) (string, bool) {
	const suffix = "base64"
	n := len(mimeType) - len(suffix)
	if n < 1 || !equalFoldASCII(mimeType[n:], suffix) {
		return "", false
	}
	rest := strings.TrimRight(mimeType[:n], " ")
	if !strings.HasSuffix(rest, ";") {
		return "", false
	}
	return rest[:len(rest)-1], true
}

// isASCIIWhitespace reports whether c is ASCII whitespace: TAB, LF, FF, CR
// or SPACE.
//
// Spec: https://infra.spec.whatwg.org/#ascii-whitespace
func isASCIIWhitespace(c byte) bool {
	return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '
}

func trimASCIIWhitespace(s string) string {
	for s != "" && isASCIIWhitespace(s[0]) {
		s = s[1:]
	}
	for s != "" && isASCIIWhitespace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// equalFoldASCII reports whether s matches the lower-case ASCII string
// lower ASCII case-insensitively.
//
// Spec: https://infra.spec.whatwg.org/#ascii-case-insensitive
func equalFoldASCII(s, lower string) bool {
	if len(s) != len(lower) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}
