package url

import (
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/webnet-go/webnet/internal/textenc"
)

// record is the URL Standard's URL record, the data a [URL] wraps. Its
// strings are usually substrings of the parser's input or of a URL's href,
// so building one rarely allocates.
//
// The path is kept serialized: an opaque path as is, a list of segments as
// "/" followed by each segment ("" is the empty list, "/" the list holding
// one empty segment). Segments never contain "/", so the list operations
// (append, shorten, the first segment) work on the string directly.
//
// Spec: https://url.spec.whatwg.org/#concept-url
type record struct {
	scheme   string
	username string
	password string
	host     string // serialized host; meaningful only when hasHost
	path     string
	query    string // meaningful only when hasQuery
	fragment string // meaningful only when hasFragment
	port     int32  // -1 is null

	hasHost     bool // host is non-null ("" is then the empty host)
	opaque      bool // path is an opaque path
	hasQuery    bool
	hasFragment bool
}

// includesCredentials reports whether r's username or password is non-empty.
//
// Spec: https://url.spec.whatwg.org/#include-credentials
func (r *record) includesCredentials() bool { return r.username != "" || r.password != "" }

// cannotHaveUsernamePasswordPort reports whether r's host is null or empty or
// its scheme is "file".
//
// Spec: https://url.spec.whatwg.org/#cannot-have-a-username-password-port
func (r *record) cannotHaveUsernamePasswordPort() bool {
	return !r.hasHost || r.host == "" || r.scheme == "file"
}

// firstSegment returns path[0] of a non-opaque path, or false for the
// empty list.
func firstSegment(path string) (string, bool) {
	if path == "" {
		return "", false
	}
	rest := path[1:]
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		return rest[:i], true
	}
	return rest, true
}

// needsDotPrefix reports whether the serializer must write "/." before the
// path, which keeps a path starting with an empty segment from being read
// back as a host.
//
// Spec: https://url.spec.whatwg.org/#url-serializing (step 3)
func (r *record) needsDotPrefix() bool {
	return !r.hasHost && !r.opaque && len(r.path) > 1 && r.path[0] == '/' && r.path[1] == '/'
}

// specialScheme returns whether scheme is special and its default port (-1
// for none).
//
// Spec: https://url.spec.whatwg.org/#special-scheme
func specialScheme(scheme string) (special bool, defaultPort int32) {
	switch scheme {
	case "http", "ws":
		return true, 80
	case "https", "wss":
		return true, 443
	case "ftp":
		return true, 21
	case "file":
		return true, -1
	}
	return false, -1
}

// state is a state of the basic URL parser, used as its state override.
type state uint8

// The states of the basic URL parser.
//
// Spec: https://url.spec.whatwg.org/#concept-basic-url-parser
const (
	stateNone state = iota
	stateSchemeStart
	stateScheme
	stateNoScheme
	stateSpecialRelativeOrAuthority
	statePathOrAuthority
	stateRelative
	stateRelativeSlash
	stateSpecialAuthoritySlashes
	stateSpecialAuthorityIgnoreSlashes
	stateAuthority
	stateHost
	stateHostname
	statePort
	stateFile
	stateFileSlash
	stateFileHost
	statePathStart
	statePath
	stateOpaquePath
	stateQuery
	stateFragment
)

// span accumulates one component while it is parsed. As long as what was
// appended is one contiguous piece of a single string (the usual case: the
// input needs no rewriting) it is only a view of that string; the first
// append that breaks contiguity copies it into its own buffer.
type span struct {
	src    string
	lo, hi int
	buf    []byte
	copied bool
}

func sameString(a, b string) bool {
	return len(a) == len(b) && unsafe.StringData(a) == unsafe.StringData(b)
}

// set makes the span a view of s.
func (sp *span) set(s string) { *sp = span{src: s, hi: len(s)} }

func (sp *span) len() int {
	if sp.copied {
		return len(sp.buf)
	}
	return sp.hi - sp.lo
}

// materialize switches the span to its own buffer, with room for extra
// more bytes.
func (sp *span) materialize(extra int) {
	if sp.copied {
		return
	}
	n := sp.hi - sp.lo
	b := make([]byte, n, n+extra+16)
	copy(b, sp.src[sp.lo:sp.hi])
	sp.buf, sp.copied, sp.src = b, true, ""
}

// appendView appends s[lo:hi], extending the view when it continues it.
func (sp *span) appendView(s string, lo, hi int) {
	if lo >= hi {
		return
	}
	if !sp.copied {
		if sp.hi == sp.lo {
			sp.src, sp.lo, sp.hi = s, lo, hi
			return
		}
		if sp.hi == lo && sameString(sp.src, s) {
			sp.hi = hi
			return
		}
		// Room for the rest of s too: later appends usually come from it.
		sp.materialize(len(s) - lo)
	}
	sp.buf = append(sp.buf, s[lo:hi]...)
}

// appendString appends a string that is not a piece of the input.
func (sp *span) appendString(s string) {
	sp.materialize(len(s))
	sp.buf = append(sp.buf, s...)
}

// appendEncoded appends s[lo:hi] percent-encoded with set.
func (sp *span) appendEncoded(s string, lo, hi int, set encodeSet) {
	for lo < hi {
		i := lo
		for i < hi && encodeTable[s[i]]&set == 0 {
			i++
		}
		sp.appendView(s, lo, i)
		if i == hi {
			return
		}
		// A run of bytes to encode; a non-ASCII code point is encoded byte
		// by byte, which is its UTF-8 percent-encoding.
		sp.materialize(3*(hi-i) + len(s) - hi)
		for i < hi && encodeTable[s[i]]&set != 0 {
			b := s[i]
			sp.buf = append(sp.buf, '%', upperHex[b>>4], upperHex[b&15])
			i++
		}
		lo = i
	}
}

func (sp *span) truncate(n int) {
	if sp.copied {
		sp.buf = sp.buf[:n]
	} else {
		sp.hi = sp.lo + n
	}
}

// from returns the bytes from offset i on, as a string that is only valid
// until the next append.
func (sp *span) from(i int) string {
	if sp.copied {
		return unsafe.String(unsafe.SliceData(sp.buf[i:]), len(sp.buf)-i)
	}
	return sp.src[sp.lo+i : sp.hi]
}

func (sp *span) setByte(i int, b byte) {
	sp.materialize(0)
	sp.buf[i] = b
}

// string returns the accumulated bytes. The span must not be used afterwards:
// a copied span hands its buffer over to the string.
func (sp *span) string() string {
	if sp.copied {
		if len(sp.buf) == 0 {
			return ""
		}
		return unsafe.String(unsafe.SliceData(sp.buf), len(sp.buf))
	}
	return sp.src[sp.lo:sp.hi]
}

// shortenPath removes the last segment of the path being built, except the
// drive letter of a file URL whose path is just that.
//
// Spec: https://url.spec.whatwg.org/#shorten-a-urls-path
func shortenPath(path *span, scheme string) {
	cur := path.from(0)
	if scheme == "file" && len(cur) == 3 && isNormalizedWindowsDriveLetter(cur[1:]) {
		return
	}
	if i := strings.LastIndexByte(cur, '/'); i >= 0 {
		path.truncate(i)
	}
}

func isASCIIAlpha(b byte) bool { return 'a' <= b|0x20 && b|0x20 <= 'z' }

func isASCIIDigit(b byte) bool { return '0' <= b && b <= '9' }

// isWindowsDriveLetter reports whether s is an ASCII alpha followed by ":"
// or "|".
//
// Spec: https://url.spec.whatwg.org/#windows-drive-letter
func isWindowsDriveLetter(s string) bool {
	return len(s) == 2 && isASCIIAlpha(s[0]) && (s[1] == ':' || s[1] == '|')
}

// Spec: https://url.spec.whatwg.org/#normalized-windows-drive-letter
func isNormalizedWindowsDriveLetter(s string) bool {
	return len(s) == 2 && isASCIIAlpha(s[0]) && s[1] == ':'
}

// Spec: https://url.spec.whatwg.org/#start-with-a-windows-drive-letter
func startsWithWindowsDriveLetter(s string) bool {
	if len(s) < 2 || !isWindowsDriveLetter(s[:2]) {
		return false
	}
	if len(s) == 2 {
		return true
	}
	switch s[2] {
	case '/', '\\', '?', '#':
		return true
	}
	return false
}

// isSingleDot reports whether a segment is "." or "%2e", ASCII
// case-insensitively.
//
// Spec: https://url.spec.whatwg.org/#single-dot-path-segment
func isSingleDot(s string) bool {
	switch len(s) {
	case 1:
		return s[0] == '.'
	case 3:
		return s[0] == '%' && s[1] == '2' && s[2]|0x20 == 'e'
	}
	return false
}

// isDoubleDot reports whether a segment is "..", ".%2e", "%2e." or
// "%2e%2e", ASCII case-insensitively.
//
// Spec: https://url.spec.whatwg.org/#double-dot-path-segment
func isDoubleDot(s string) bool {
	switch len(s) {
	case 2:
		return s == ".."
	case 4:
		return s[0] == '.' && isSingleDot(s[1:]) || s[3] == '.' && isSingleDot(s[:3])
	case 6:
		return isSingleDot(s[:3]) && isSingleDot(s[3:])
	}
	return false
}

// toScalarValues returns s with every byte that is not part of a valid UTF-8
// sequence replaced by U+FFFD, the scalar value string the spec's algorithms
// take. It returns s itself when s is valid UTF-8.
func toScalarValues(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, r := range s { // an invalid byte ranges as utf8.RuneError, width 1
		b.WriteRune(r)
	}
	return b.String()
}

// cleanInput prepares parser input: invalid UTF-8 becomes U+FFFD, leading
// and trailing C0 controls and spaces are removed when trim is set (a parse
// without a URL to modify), and every ASCII tab or newline is removed.
//
// Spec: https://url.spec.whatwg.org/#concept-basic-url-parser (steps 1-2)
func cleanInput(s string, trim bool) string {
	var class uint8
	for i := 0; i < len(s); i++ {
		class |= inputClass[s[i]]
	}
	if class&classNonASCII != 0 {
		s = toScalarValues(s)
	}
	if class&classControlOrSpace == 0 {
		return s
	}
	if trim {
		lo, hi := 0, len(s)
		for lo < hi && s[lo] <= ' ' {
			lo++
		}
		for hi > lo && s[hi-1] <= ' ' {
			hi--
		}
		s = s[lo:hi]
	}
	if strings.ContainsAny(s, "\t\n\r") {
		b := make([]byte, 0, len(s))
		for i := 0; i < len(s); i++ {
			if c := s[i]; c != '\t' && c != '\n' && c != '\r' {
				b = append(b, c)
			}
		}
		s = string(b)
	}
	return s
}

// classControlOrSpace marks the bytes cleanInput may have to remove: C0
// controls and space. (classNonASCII marks the bytes of non-ASCII code
// points.)
const classControlOrSpace uint8 = 1 << 7

// inputClass classifies the bytes of parser input for cleanInput.
var inputClass = func() (t [256]uint8) {
	for b := 0; b < 256; b++ {
		if b <= ' ' {
			t[b] = classControlOrSpace
		} else if b >= utf8.RuneSelf {
			t[b] = classNonASCII
		}
	}
	return t
}()

// pathStop[special][b] reports whether byte b ends a run of path bytes that
// are copied as they are: it is percent-encoded in paths, or it ends a
// segment ("/", and "\" in a special URL's path).
var pathStop = func() (t [2][256]bool) {
	for b := 0; b < 256; b++ {
		stop := inSet(byte(b), setPath) || b == '/'
		t[0][b] = stop
		t[1][b] = stop || b == '\\'
	}
	return t
}()

// eof stands for the EOF code point.
const eof = -1

// parser holds the variables of one run of the basic URL parser.
type parser struct {
	in       string
	override state

	// The records are copied in and out so that the caller's records do not
	// escape to the heap through the parser. run works on pointers to them.
	baseRec, urlRec record
	hasBase         bool

	special     bool  // url is special
	defaultPort int32 // url's scheme's default port

	path, query, fragment span
	queryUsed, fragUsed   bool
}

// setScheme sets url's scheme and the derived flags.
func (ps *parser) setScheme(s string) {
	ps.urlRec.scheme = s
	ps.special, ps.defaultPort = specialScheme(s)
}

// basicParse runs the basic URL parser on input (already cleaned with
// cleanInput) with an optional base, modifying url in place, and returns the
// fatal validation error, if any. With a state override the changes made
// before a failure stay, as the spec's in-place algorithm leaves them.
//
// Spec: https://url.spec.whatwg.org/#concept-basic-url-parser
func basicParse(input string, base, url *record, override state) errCode {
	var ps parser
	ps.in, ps.override, ps.urlRec = input, override, *url
	if base != nil {
		ps.baseRec, ps.hasBase = *base, true
	}
	ps.special, ps.defaultPort = specialScheme(url.scheme)
	ps.path.set(url.path)
	code := ps.run()
	ps.urlRec.path = ps.path.string()
	if ps.queryUsed {
		ps.urlRec.query = ps.query.string()
	}
	if ps.fragUsed {
		ps.urlRec.fragment = ps.fragment.string()
	}
	*url = ps.urlRec
	return code
}

func (ps *parser) startQuery() {
	ps.urlRec.query, ps.urlRec.hasQuery = "", true
	ps.query = span{}
	ps.queryUsed = true
}

func (ps *parser) startFragment() {
	ps.urlRec.fragment, ps.urlRec.hasFragment = "", true
	ps.fragment = span{}
	ps.fragUsed = true
}

// setPath replaces the path being built with s.
func (ps *parser) setPath(s string) { ps.path.set(s) }

func (ps *parser) run() errCode {
	in, url := ps.in, &ps.urlRec
	var base *record
	if ps.hasBase {
		base = &ps.baseRec
	}
	st := ps.override
	if st == stateNone {
		st = stateSchemeStart
	}
	// schemeStart is where the scheme begins in the input. segStart is
	// where the path segment being parsed began in the input, or -1 when no
	// segment is open; segMark is the length of the path before it (where
	// its "/" is). pendLo:pendHi is the file host state's buffer when the
	// Windows drive letter quirk hands it over to the path state.
	schemeStart := 0
	segStart, segMark := -1, 0
	pendLo, pendHi := 0, 0

	at := func(i int) int {
		if i >= 0 && i < len(in) {
			return int(in[i])
		}
		return eof
	}

	for p := 0; ; p++ {
		c := at(p)
		switch st {
		case stateSchemeStart:
			if c != eof && isASCIIAlpha(byte(c)) {
				st = stateScheme
				// The scheme state scans on from the next code point.
				schemeStart = p
			} else if ps.override == stateNone {
				st = stateNoScheme
				p--
			} else {
				return codeSetterIgnored
			}

		case stateScheme:
			for p < len(in) && isSchemeByte(in[p]) {
				p++
			}
			c = at(p)
			if c == ':' {
				buf := textenc.LowerASCII(in[schemeStart:p])
				if ps.override != stateNone {
					bufSpecial, _ := specialScheme(buf)
					if ps.special != bufSpecial {
						return codeOK
					}
					if (url.includesCredentials() || url.port >= 0) && buf == "file" {
						return codeOK
					}
					if url.scheme == "file" && url.hasHost && url.host == "" {
						return codeOK
					}
				}
				ps.setScheme(buf)
				if ps.override != stateNone {
					if url.port == ps.defaultPort {
						url.port = -1
					}
					return codeOK
				}
				switch {
				case buf == "file":
					st = stateFile
				case ps.special && base != nil && base.scheme == buf:
					st = stateSpecialRelativeOrAuthority
				case ps.special:
					st = stateSpecialAuthoritySlashes
				case at(p+1) == '/':
					st = statePathOrAuthority
					p++
				default:
					url.opaque = true
					ps.setPath("")
					st = stateOpaquePath
				}
			} else if ps.override == stateNone {
				st = stateNoScheme
				p = -1 // start over from the first code point
			} else {
				return codeSetterIgnored
			}

		case stateNoScheme:
			if base == nil || base.opaque && c != '#' {
				return codeMissingScheme
			}
			switch {
			case base.opaque && c == '#':
				ps.setScheme(base.scheme)
				ps.setPath(base.path)
				url.opaque = true
				url.query, url.hasQuery = base.query, base.hasQuery
				ps.startFragment()
				st = stateFragment
			case base.scheme != "file":
				st = stateRelative
				p--
			default:
				st = stateFile
				p--
			}

		case stateSpecialRelativeOrAuthority:
			if c == '/' && at(p+1) == '/' {
				st = stateSpecialAuthorityIgnoreSlashes
				p++
			} else {
				st = stateRelative
				p--
			}

		case statePathOrAuthority:
			if c == '/' {
				st = stateAuthority
			} else {
				st = statePath
				p--
			}

		case stateRelative:
			ps.setScheme(base.scheme)
			switch {
			case c == '/':
				st = stateRelativeSlash
			case ps.special && c == '\\':
				st = stateRelativeSlash
			default:
				url.username, url.password = base.username, base.password
				url.host, url.hasHost, url.port = base.host, base.hasHost, base.port
				ps.setPath(base.path)
				url.query, url.hasQuery = base.query, base.hasQuery
				switch {
				case c == '?':
					ps.startQuery()
					st = stateQuery
				case c == '#':
					ps.startFragment()
					st = stateFragment
				case c != eof:
					url.query, url.hasQuery = "", false
					shortenPath(&ps.path, url.scheme)
					st = statePath
					p--
				}
			}

		case stateRelativeSlash:
			switch {
			case ps.special && (c == '/' || c == '\\'):
				st = stateSpecialAuthorityIgnoreSlashes
			case c == '/':
				st = stateAuthority
			default:
				url.username, url.password = base.username, base.password
				url.host, url.hasHost, url.port = base.host, base.hasHost, base.port
				st = statePath
				p--
			}

		case stateSpecialAuthoritySlashes:
			st = stateSpecialAuthorityIgnoreSlashes
			if c == '/' && at(p+1) == '/' {
				p++
			} else {
				p--
			}

		case stateSpecialAuthorityIgnoreSlashes:
			if c != '/' && c != '\\' {
				st = stateAuthority
				p--
			}

		case stateAuthority:
			// The authority runs to the first "/", "?", "#" (or "\" for a
			// special URL); its last "@" ends the credentials. Every earlier
			// "@" is encoded as %40 and every ":" after the first as %3A,
			// which is what the spec's buffer juggling amounts to.
			end := p
			if strings.IndexByte(in[p:], '@') >= 0 {
				for end < len(in) && !isAuthorityEnd(in[end], ps.special) {
					end++
				}
			}
			if i := strings.LastIndexByte(in[p:end], '@'); i >= 0 {
				userinfo := in[p : p+i]
				if j := strings.IndexByte(userinfo, ':'); j >= 0 {
					url.username = percentEncode(userinfo[:j], setUserinfo)
					url.password = percentEncode(userinfo[j+1:], setUserinfo)
				} else {
					url.username = percentEncode(userinfo, setUserinfo)
				}
				if p+i+1 == end {
					return codeHostMissing
				}
				p += i + 1
			}
			st = stateHost
			p--

		case stateHost, stateHostname:
			if ps.override != stateNone && url.scheme == "file" {
				st = stateFileHost
				p--
				continue
			}
			start := p
			insideBrackets := false
			for p < len(in) {
				b := in[p]
				if b == ':' && !insideBrackets || isAuthorityEnd(b, ps.special) {
					break
				}
				if b == '[' {
					insideBrackets = true
				} else if b == ']' {
					insideBrackets = false
				}
				p++
			}
			buf := in[start:p]
			if at(p) == ':' {
				if buf == "" {
					return codeHostMissing
				}
				if ps.override == stateHostname {
					return codeSetterIgnored
				}
				host, code := parseHost(buf, !ps.special)
				if code != codeOK {
					return code
				}
				url.host, url.hasHost = host, true
				st = statePort
			} else {
				if ps.special && buf == "" {
					return codeHostMissing
				}
				if ps.override != stateNone && buf == "" && (url.includesCredentials() || url.port >= 0) {
					return codeSetterIgnored
				}
				host, code := parseHost(buf, !ps.special)
				if code != codeOK {
					return code
				}
				url.host, url.hasHost = host, true
				st = statePathStart
				if ps.override != stateNone {
					return codeOK
				}
				p--
			}

		case statePort:
			start := p
			port := 0
			for p < len(in) && isASCIIDigit(in[p]) {
				if port <= 0xFFFF {
					port = port*10 + int(in[p]-'0')
				}
				p++
			}
			c = at(p)
			if c == eof || c == '/' || c == '?' || c == '#' || ps.special && c == '\\' || ps.override != stateNone {
				if p > start {
					if port > 0xFFFF {
						return codePortOutOfRange
					}
					if int32(port) == ps.defaultPort {
						url.port = -1
					} else {
						url.port = int32(port)
					}
					if ps.override != stateNone {
						return codeOK
					}
				}
				if ps.override != stateNone {
					return codeSetterIgnored
				}
				st = statePathStart
				p--
			} else {
				return codePortInvalid
			}

		case stateFile:
			ps.setScheme("file")
			url.host, url.hasHost = "", true
			switch {
			case c == '/' || c == '\\':
				st = stateFileSlash
			case base != nil && base.scheme == "file":
				url.host, url.hasHost = base.host, base.hasHost
				ps.setPath(base.path)
				url.query, url.hasQuery = base.query, base.hasQuery
				switch {
				case c == '?':
					ps.startQuery()
					st = stateQuery
				case c == '#':
					ps.startFragment()
					st = stateFragment
				case c != eof:
					url.query, url.hasQuery = "", false
					if !startsWithWindowsDriveLetter(in[p:]) {
						shortenPath(&ps.path, "file")
					} else {
						ps.setPath("")
					}
					st = statePath
					p--
				}
			default:
				st = statePath
				p--
			}

		case stateFileSlash:
			if c == '/' || c == '\\' {
				st = stateFileHost
			} else {
				if base != nil && base.scheme == "file" {
					url.host, url.hasHost = base.host, base.hasHost
					if !startsWithWindowsDriveLetter(in[p:]) {
						if seg, ok := firstSegment(base.path); ok && !base.opaque && isNormalizedWindowsDriveLetter(seg) {
							ps.path.appendView(base.path, 0, 1+len(seg))
						}
					}
				}
				st = statePath
				p--
			}

		case stateFileHost:
			start := p
			for p < len(in) {
				b := in[p]
				if b == '/' || b == '\\' || b == '?' || b == '#' {
					break
				}
				p++
			}
			buf := in[start:p]
			p-- // the terminator is looked at again by the next state
			switch {
			case ps.override == stateNone && isWindowsDriveLetter(buf):
				// The buffer is not reset: the path state takes it over.
				pendLo, pendHi = start, start+2
				st = statePath
			case buf == "":
				url.host, url.hasHost = "", true
				if ps.override != stateNone {
					return codeOK
				}
				st = statePathStart
			default:
				host, code := parseHost(buf, !ps.special)
				if code != codeOK {
					return code
				}
				if host == "localhost" {
					host = ""
				}
				url.host, url.hasHost = host, true
				if ps.override != stateNone {
					return codeOK
				}
				st = statePathStart
			}

		case statePathStart:
			switch {
			case ps.special:
				st = statePath
				if c != '/' && c != '\\' {
					p--
				}
			case ps.override == stateNone && c == '?':
				ps.startQuery()
				st = stateQuery
			case ps.override == stateNone && c == '#':
				ps.startFragment()
				st = stateFragment
			case c != eof:
				st = statePath
				if c != '/' {
					p--
				}
			case ps.override != stateNone && !url.hasHost:
				ps.path.appendString("/")
			}

		case statePath:
			if segStart < 0 {
				// Open a segment: the serialized path gets "/" and then the
				// segment's code points.
				segStart = p
				segMark = ps.path.len()
				if pendHi > pendLo {
					segStart = pendLo
				}
				if segStart > 0 && in[segStart-1] == '/' {
					ps.path.appendView(in, segStart-1, segStart)
				} else {
					ps.path.appendString("/")
				}
				if pendHi > pendLo {
					ps.path.appendView(in, pendLo, pendHi)
					pendLo, pendHi = 0, 0
				}
			}
			// Consume the segment up to its end, encoding as needed.
			stop := &pathStop[0]
			if ps.special {
				stop = &pathStop[1]
			}
			for p < len(in) {
				b := in[p]
				if b == '/' || ps.special && b == '\\' || ps.override == stateNone && (b == '?' || b == '#') {
					break
				}
				q := p
				for q < len(in) && !stop[in[q]] {
					q++
				}
				if q > p {
					ps.path.appendView(in, p, q)
					p = q
					continue
				}
				// A run of bytes to percent-encode.
				for q < len(in) && encodeTable[in[q]]&setPath != 0 && !(ps.override == stateNone && (in[q] == '?' || in[q] == '#')) {
					q++
				}
				ps.path.appendEncoded(in, p, q, setPath)
				p = q
			}
			c = at(p)
			seg := ps.path.from(segMark + 1)
			slash := c == '/' || ps.special && c == '\\'
			switch {
			case isDoubleDot(seg):
				ps.path.truncate(segMark)
				shortenPath(&ps.path, url.scheme)
				if !slash {
					ps.path.appendString("/")
				}
			case isSingleDot(seg):
				ps.path.truncate(segMark)
				if !slash {
					ps.path.appendString("/")
				}
			default:
				if url.scheme == "file" && segMark == 0 && isWindowsDriveLetter(seg) && seg[1] != ':' {
					ps.path.setByte(segMark+2, ':')
				}
			}
			segStart = -1
			switch c {
			case '?':
				ps.startQuery()
				st = stateQuery
			case '#':
				ps.startFragment()
				st = stateFragment
			}

		case stateOpaquePath:
			for p < len(in) {
				b := in[p]
				if b == '?' || b == '#' {
					break
				}
				if b == ' ' {
					if n := at(p + 1); n == '?' || n == '#' {
						ps.path.appendString("%20")
					} else {
						ps.path.appendView(in, p, p+1)
					}
					p++
					continue
				}
				q := p
				for q < len(in) && encodeTable[in[q]]&setC0Control == 0 && in[q] != '?' && in[q] != '#' && in[q] != ' ' {
					q++
				}
				if q > p {
					ps.path.appendView(in, p, q)
					p = q
					continue
				}
				ps.path.appendEncoded(in, p, p+1, setC0Control)
				p++
			}
			switch at(p) {
			case '?':
				ps.startQuery()
				st = stateQuery
			case '#':
				ps.startFragment()
				st = stateFragment
			}

		case stateQuery:
			end := len(in)
			ps.queryUsed = true // the search setter enters with the query set to ""
			if ps.override == stateNone {
				if i := strings.IndexByte(in[p:], '#'); i >= 0 {
					end = p + i
				}
			}
			set := setQuery
			if ps.special {
				set = setSpecialQuery
			}
			ps.query.appendEncoded(in, p, end, set)
			p = end
			if p < len(in) {
				ps.startFragment()
				st = stateFragment
			}

		case stateFragment:
			ps.fragUsed = true // the hash setter enters with the fragment set to ""
			ps.fragment.appendEncoded(in, p, len(in), setFragment)
			p = len(in)
		}
		if p >= len(in) {
			return codeOK
		}
	}
}

func isSchemeByte(b byte) bool {
	return isASCIIAlpha(b) || isASCIIDigit(b) || b == '+' || b == '-' || b == '.'
}

// isAuthorityEnd reports whether b ends the authority (and the host and port
// within it).
func isAuthorityEnd(b byte, special bool) bool {
	return b == '/' || b == '?' || b == '#' || special && b == '\\'
}
