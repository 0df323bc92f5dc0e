package mimetype

import (
	"strings"
	"unicode/utf8"

	"github.com/webnet-go/webnet/internal/textenc"
)

// MIMEType is a MIME type record: a type, a subtype and the parameters.
//
// [Parse] and [Extract] fill Type and Subtype with lower-case HTTP tokens and
// Params with lower-cased, unique names in input order; the group predicates
// (such as [MIMEType.IsJSON]) compare the fields as stored, so a MIMEType
// built by hand must use lower case too. The zero value is not a valid MIME
// type (its serialization is "/"). A MIMEType is not safe for concurrent
// mutation.
//
// Spec: https://mimesniff.spec.whatwg.org/#mime-type
type MIMEType struct {
	// Type is the MIME type's type, e.g. "text".
	Type string
	// Subtype is the MIME type's subtype, e.g. "html".
	Subtype string
	// Params holds the parameters in order; names are unique and
	// lower-case. Nil when there are none.
	Params []Param
}

// Param is one parameter of a [MIMEType]: a lower-case name and its value,
// unquoted and unescaped.
//
// Spec: https://mimesniff.spec.whatwg.org/#parameters
type Param struct {
	Name, Value string
}

// Parse parses s as a MIME type and reports whether it is one. s is read as
// UTF-8 (a JavaScript string); a parameter value holding a code point above
// U+00FF, or an invalid byte, makes that parameter be skipped, as the spec
// skips any invalid parameter. On failure the result is nil.
//
// Parse allocates one object for the record and its first two parameters;
// strings are slices of s unless they need lower-casing or unescaping.
//
// Spec: https://mimesniff.spec.whatwg.org/#parse-a-mime-type
func Parse(s string) (*MIMEType, bool) {
	return parse(s, false)
}

// parse is "parse a MIME type". With isomorphic set, each byte of input is
// one code point (Fetch's isomorphic decode of a header value); otherwise
// input is UTF-8.
func parse(input string, isomorphic bool) (*MIMEType, bool) {
	input = trimHTTPWhitespace(input)

	// The type: code points up to "/", which must follow.
	slash := strings.IndexByte(input, '/')
	if slash < 0 {
		return nil, false
	}
	typ := input[:slash]
	if !isToken(typ) {
		return nil, false
	}

	// The subtype: code points up to ";", less trailing HTTP whitespace.
	rest := input[slash+1:]
	var sub string
	if semi := strings.IndexByte(rest, ';'); semi >= 0 {
		sub, rest = rest[:semi], rest[semi:]
	} else {
		sub, rest = rest, ""
	}
	sub = trimRightHTTPWhitespace(sub)
	if !isToken(sub) {
		return nil, false
	}

	// The parameters. At the top of each round rest is empty or starts
	// with ";".
	var buf [4]Param
	params := buf[:0]
	for rest != "" {
		rest = trimLeftHTTPWhitespace(rest[1:])

		var name string
		if i := strings.IndexAny(rest, ";="); i >= 0 {
			name, rest = rest[:i], rest[i:]
		} else {
			name, rest = rest, ""
		}
		if rest != "" {
			if rest[0] == ';' {
				continue
			}
			rest = rest[1:] // "="
		}
		if rest == "" {
			break
		}

		var value string
		if rest[0] == '"' {
			value, rest = collectQuotedValue(rest)
			if i := strings.IndexByte(rest, ';'); i >= 0 {
				rest = rest[i:]
			} else {
				rest = ""
			}
		} else {
			if i := strings.IndexByte(rest, ';'); i >= 0 {
				value, rest = rest[:i], rest[i:]
			} else {
				value, rest = rest, ""
			}
			value = trimRightHTTPWhitespace(value)
			if value == "" {
				continue
			}
		}

		if isToken(name) && isQuotedStringTokens(value, isomorphic) && indexParam(params, name) < 0 {
			params = append(params, Param{Name: textenc.LowerASCII(name), Value: value})
		}
	}

	// Type and subtype are adjacent in input: lower-case them together, so
	// that an upper-case essence costs one allocation, not two.
	essence := textenc.LowerASCII(input[:len(typ)+1+len(sub)])
	return newMIMEType(essence[:len(typ)], essence[len(typ)+1:], params), true
}

// newMIMEType allocates the record, with up to two parameters in the same
// allocation. The Params slice has no spare capacity, so appending to it
// never writes into memory another copy shares.
func newMIMEType(typ, sub string, params []Param) *MIMEType {
	switch len(params) {
	case 0:
		return &MIMEType{Type: typ, Subtype: sub}
	case 1:
		c := &struct {
			m MIMEType
			p [1]Param
		}{}
		c.p = [1]Param(params)
		c.m = MIMEType{Type: typ, Subtype: sub, Params: c.p[:]}
		return &c.m
	case 2:
		c := &struct {
			m MIMEType
			p [2]Param
		}{}
		c.p = [2]Param(params)
		c.m = MIMEType{Type: typ, Subtype: sub, Params: c.p[:]}
		return &c.m
	default:
		return &MIMEType{Type: typ, Subtype: sub, Params: append([]Param(nil), params...)}
	}
}

// collectQuotedValue is "collect an HTTP quoted string" with the
// extract-value flag set; s starts with `"`. It returns the value and the
// input after the closing quote (or "" when the string is unterminated).
// The value is a slice of s unless it contained an escape.
//
// Spec: https://fetch.spec.whatwg.org/#collect-an-http-quoted-string
func collectQuotedValue(s string) (value, rest string) {
	start := 1 // the start of the run not yet appended
	var b []byte
	i := 1
	for {
		j := strings.IndexAny(s[i:], `"\`)
		if j < 0 || (s[i+j] == '\\' && i+j+1 == len(s)) {
			// Past the end, or a backslash ending the input, which is
			// kept as a literal backslash.
			return joinRun(b, s[start:]), ""
		}
		i += j
		if s[i] == '"' {
			return joinRun(b, s[start:i]), s[i+1:]
		}
		// A backslash: drop it and take the next code point literally.
		// Taking one byte is enough: any continuation bytes of a UTF-8
		// sequence are neither `"` nor `\`, so the next run takes them.
		b = append(b, s[start:i]...)
		b = append(b, s[i+1])
		i += 2
		start = i
	}
}

func joinRun(b []byte, run string) string {
	if b == nil {
		return run
	}
	return string(append(b, run...))
}

// String returns the serialization of m: "type/subtype" followed by
// ";name=value" for each parameter, where a value that is empty or not
// made only of HTTP token code points is quoted, with `"` and `\` escaped.
//
// Spec: https://mimesniff.spec.whatwg.org/#serialize-a-mime-type
func (m *MIMEType) String() string {
	n := len(m.Type) + 1 + len(m.Subtype)
	for _, p := range m.Params {
		n += 2 + len(p.Name) + len(p.Value)
		if needsQuoting(p.Value) {
			n += 2 + strings.Count(p.Value, `"`) + strings.Count(p.Value, `\`)
		}
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteString(m.Type)
	b.WriteByte('/')
	b.WriteString(m.Subtype)
	for _, p := range m.Params {
		b.WriteByte(';')
		b.WriteString(p.Name)
		b.WriteByte('=')
		if !needsQuoting(p.Value) {
			b.WriteString(p.Value)
			continue
		}
		b.WriteByte('"')
		v := p.Value
		for {
			i := strings.IndexAny(v, `"\`)
			if i < 0 {
				break
			}
			b.WriteString(v[:i])
			b.WriteByte('\\')
			b.WriteByte(v[i])
			v = v[i+1:]
		}
		b.WriteString(v)
		b.WriteByte('"')
	}
	return b.String()
}

func needsQuoting(v string) bool { return !isToken(v) }

// Essence returns "type/subtype", m without its parameters.
//
// Spec: https://mimesniff.spec.whatwg.org/#mime-type-essence
func (m *MIMEType) Essence() string {
	return m.Type + "/" + m.Subtype
}

// hasEssence reports whether m's essence is typ/sub, without allocating.
func (m *MIMEType) hasEssence(typ, sub string) bool {
	return m.Type == typ && m.Subtype == sub
}

// Param returns the value of the parameter name (matched ASCII
// case-insensitively) and whether m has it.
//
// Spec: https://mimesniff.spec.whatwg.org/#parameters
func (m *MIMEType) Param(name string) (string, bool) {
	if i := indexParam(m.Params, name); i >= 0 {
		return m.Params[i].Value, true
	}
	return "", false
}

// SetParam sets the parameter name (lower-cased) to value: in place when m
// has it, else appended after the others, as setting an entry of the
// spec's ordered map does. It does not validate; a name or value that
// [Parse] would reject serializes as given.
//
// Spec: https://infra.spec.whatwg.org/#map-set
func (m *MIMEType) SetParam(name, value string) {
	if i := indexParam(m.Params, name); i >= 0 {
		m.Params[i].Value = value
		return
	}
	m.Params = append(m.Params, Param{Name: textenc.LowerASCII(name), Value: value})
}

// indexParam returns the index of the parameter called name, compared ASCII
// case-insensitively with the lower-case names of params, or -1.
func indexParam(params []Param, name string) int {
	for i := range params {
		if equalFoldASCII(params[i].Name, name) {
			return i
		}
	}
	return -1
}

// isHTTPWhitespace reports whether c is HTTP whitespace: TAB, LF, CR or
// SPACE.
//
// Spec: https://fetch.spec.whatwg.org/#http-whitespace
func isHTTPWhitespace(c byte) bool {
	return c == '\t' || c == '\n' || c == '\r' || c == ' '
}

func trimHTTPWhitespace(s string) string {
	return trimRightHTTPWhitespace(trimLeftHTTPWhitespace(s))
}

func trimLeftHTTPWhitespace(s string) string {
	i := 0
	for i < len(s) && isHTTPWhitespace(s[i]) {
		i++
	}
	return s[i:]
}

func trimRightHTTPWhitespace(s string) string {
	i := len(s)
	for i > 0 && isHTTPWhitespace(s[i-1]) {
		i--
	}
	return s[:i]
}

// tokenTable marks the HTTP token code points: ASCII alphanumerics and
// !#$%&'*+-.^_`|~.
//
// Spec: https://mimesniff.spec.whatwg.org/#http-token-code-point
var tokenTable = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
		t[c-'a'+'A'] = true
	}
	for _, c := range "!#$%&'*+-.^_`|~" {
		t[c] = true
	}
	return t
}()

// isToken reports whether s is non-empty and made only of HTTP token code
// points.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !tokenTable[s[i]] {
			return false
		}
	}
	return true
}

// isQuotedStringTokens reports whether s is made only of HTTP quoted-string
// token code points: TAB, U+0020 to U+007E and U+0080 to U+00FF. With
// isomorphic set each byte is a code point, so every byte 0x80-0xFF
// qualifies; otherwise s is decoded as UTF-8 and an invalid byte counts as
// U+FFFD.
//
// Spec: https://mimesniff.spec.whatwg.org/#http-quoted-string-token-code-point
func isQuotedStringTokens(s string, isomorphic bool) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && c != '\t') || c == 0x7F {
				return false
			}
			i++
			continue
		}
		if isomorphic {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r > 0xFF { // including utf8.RuneError
			return false
		}
		i += size
	}
	return true
}

// equalFoldASCII reports whether a and b are equal under ASCII case
// folding.
//
// Spec: https://infra.spec.whatwg.org/#ascii-case-insensitive
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x == y {
			continue
		}
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
