package mimetype

import (
	"iter"
	"strings"
)

// Extract returns the MIME type that a request or response with the given
// Content-Type header values has, and false when there is none (no values,
// or none that parses to a MIME type other than */*).
//
// values are the Content-Type header values in header-list order, such as
// http.Header.Values("Content-Type"). As the spec's "get, decode, and
// split" does, they are combined with ", " and split again on commas outside
// HTTP quoted strings, so one value may hold several MIME types and a quoted
// string may span values. The last MIME type wins; a charset parameter is
// carried over from an earlier value with the same essence when the last
// one has none.
//
// Header values are bytes: each byte is one code point (isomorphic decode),
// and the result keeps the bytes as they were.
//
// Spec: https://fetch.spec.whatwg.org/#concept-header-extract-mime-type
func Extract(values []string) (*MIMEType, bool) {
	if len(values) == 0 {
		return nil, false
	}
	combined := values[0]
	if len(values) > 1 {
		combined = strings.Join(values, ", ")
	}

	var (
		mimeType            *MIMEType
		essType, essSubtype string
		haveEssence         bool
		charset             string
		haveCharset         bool
	)
	for value := range SplitHeaderValue(combined) {
		t, ok := parse(value, true)
		if !ok || t.hasEssence("*", "*") {
			continue
		}
		mimeType = t
		if !haveEssence || !t.hasEssence(essType, essSubtype) {
			charset, haveCharset = t.Param("charset")
			essType, essSubtype, haveEssence = t.Type, t.Subtype, true
		} else if _, ok := t.Param("charset"); !ok && haveCharset {
			t.SetParam("charset", charset)
		}
	}
	return mimeType, mimeType != nil
}

// SplitHeaderValue yields the values of a combined header value, split on
// commas that are not inside an HTTP quoted string, each with leading and
// trailing tabs and spaces removed. The values are slices of s.
//
// Spec: https://fetch.spec.whatwg.org/#header-value-get-decode-and-split
func SplitHeaderValue(s string) iter.Seq[string] {
	return func(yield func(string) bool) {
		start, i := 0, 0
		for {
			for i < len(s) && s[i] != '"' && s[i] != ',' {
				i++
			}
			if i < len(s) && s[i] == '"' {
				i = skipQuotedString(s, i)
				if i < len(s) {
					continue
				}
			}
			if !yield(strings.Trim(s[start:i], "\t ")) || i >= len(s) {
				return
			}
			i++ // the ","
			start = i
		}
	}
}

// skipQuotedString returns the index just past the HTTP quoted string that
// starts at s[i] (a `"`): after its closing quote, or len(s) when it is not
// closed. This is "collect an HTTP quoted string" without the extract-value
// flag, where the result is the input it spans.
//
// Spec: https://fetch.spec.whatwg.org/#collect-an-http-quoted-string
func skipQuotedString(s string, i int) int {
	i++
	for {
		j := strings.IndexAny(s[i:], `"\`)
		if j < 0 {
			return len(s)
		}
		i += j
		if s[i] == '"' {
			return i + 1
		}
		if i+1 >= len(s) {
			return len(s)
		}
		i += 2
	}
}

// LegacyEncodingLabel returns the charset parameter of m, the label that
// Fetch's "legacy extract an encoding" passes to the Encoding Standard's
// "get an encoding", or "" when m is nil (extraction failed) or has no
// charset parameter. The caller resolves the label (for example with
// golang.org/x/text/encoding/htmlindex) and falls back to its default
// encoding when the result is "" or an unknown label.
//
// Spec: https://fetch.spec.whatwg.org/#legacy-extract-an-encoding
func LegacyEncodingLabel(m *MIMEType) string {
	if m == nil {
		return ""
	}
	label, _ := m.Param("charset")
	return label
}
