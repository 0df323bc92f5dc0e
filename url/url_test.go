package url

import (
	"encoding/json"
	"errors"
	neturl "net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseComponents(t *testing.T) {
	t.Parallel()
	u, err := Parse("HTTPS://user:pa%20ss@EXAMPLE.com:8443/a/./b/../c%7e?q=1 2#frag ment")
	require.NoError(t, err)
	assert.Equal(t, "https://user:pa%20ss@example.com:8443/a/c%7e?q=1%202#frag%20ment", u.Href())
	assert.Equal(t, u.Href(), u.String())
	assert.Equal(t, "https:", u.Protocol())
	assert.Equal(t, "user", u.Username())
	assert.Equal(t, "pa%20ss", u.Password())
	assert.Equal(t, "example.com:8443", u.Host())
	assert.Equal(t, "example.com", u.Hostname())
	assert.Equal(t, "8443", u.Port())
	assert.Equal(t, "/a/c%7e", u.Pathname())
	assert.Equal(t, "?q=1%202", u.Search())
	assert.Equal(t, "#frag%20ment", u.Hash())
	assert.Equal(t, "https://example.com:8443", u.Origin().String())
}

func TestParseKeepsNormalizedInput(t *testing.T) {
	t.Parallel()
	in := "https://example.com/a?b#c"
	u, err := Parse(in)
	require.NoError(t, err)
	// A normalized input is its own serialization: no copy is made.
	assert.Equal(t, in, u.Href())
}

func TestParseWithBaseAndMethod(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, base, want string }{
		{"sibling", "tester", "https://javascript.info/profile/admin", "https://javascript.info/profile/tester"},
		{"absolute path", "/profile/admin", "https://javascript.info", "https://javascript.info/profile/admin"},
		{"parent", "../x?y", "http://h/a/b/c", "http://h/a/x?y"},
		{"scheme-relative", "//other.example/p", "https://h/a", "https://other.example/p"},
		{"fragment only", "#top", "https://h/a?q", "https://h/a?q#top"},
		{"absolute ignores base", "wss://w/", "https://h/a", "wss://w/"},
		{"file drive letter", "C|/x", "file:///D:/y", "file:///C:/x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			u, err := ParseWithBase(tt.in, tt.base)
			require.NoError(t, err)
			assert.Equal(t, tt.want, u.Href())
			assert.True(t, CanParseWithBase(tt.in, tt.base))

			base, err := Parse(tt.base)
			require.NoError(t, err)
			before := base.Href()
			v, err := base.Parse(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, v.Href())
			assert.Equal(t, before, base.Href(), "the base must not change")
		})
	}
}

func TestParseWithInvalidBase(t *testing.T) {
	t.Parallel()
	_, err := ParseWithBase("x", "not a url")
	require.ErrorIs(t, err, ErrInvalidURL)
	assert.Contains(t, err.Error(), "base")
	assert.Contains(t, err.Error(), "missing-scheme-non-relative-URL")
	assert.False(t, CanParseWithBase("x", "not a url"))
}

// Every failure wraps ErrInvalidURL and names the validation error.
func TestParseErrorsNameTheReason(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, code string }{
		{"", "missing-scheme-non-relative-URL"},
		{"/relative", "missing-scheme-non-relative-URL"},
		{"http://", "host-missing"},
		{"http://user@/x", "host-missing"},
		{"http://h:65536/", "port-out-of-range"},
		{"http://h:99999999999999999999999999/", "port-out-of-range"},
		{"http://h:8o/", "port-invalid"},
		{"http://[::1/", "IPv6-unclosed"},
		{"http://[:1]/", "IPv6-invalid-compression"},
		{"http://[1:2:3:4:5:6:7:8:9]/", "IPv6-too-many-pieces"},
		{"http://[1::2::3]/", "IPv6-multiple-compression"},
		{"http://[1:2:3]/", "IPv6-too-few-pieces"},
		{"http://[1:x::]/", "IPv6-invalid-code-point"},
		{"http://[::1.2.3.4.5]/", "IPv4-in-IPv6-invalid-code-point"},
		{"http://[::1.2.3.256]/", "IPv4-in-IPv6-out-of-range-part"},
		{"http://[::1.2.3]/", "IPv4-in-IPv6-too-few-parts"},
		{"http://[1:2:3:4:5:6:7:1.2.3.4]/", "IPv4-in-IPv6-too-many-pieces"},
		{"http://1.2.3.4.5/", "IPv4-too-many-parts"},
		{"http://1.2.3.09/", "IPv4-non-numeric-part"},
		{"http://256.1.1.1/", "IPv4-out-of-range-part"},
		{"http://a<b/", "domain-invalid-code-point"},
		{"http://%00/", "domain-invalid-code-point"},
		{"http://\u00ad/", "domain-to-ASCII"},
		{"http://xn--a.\u00df/", "domain-to-ASCII"},
		{"sc://a b/", "host-invalid-code-point"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			u, err := Parse(tt.in)
			require.Error(t, err, "got %v", u)
			assert.ErrorIs(t, err, ErrInvalidURL)
			assert.True(t, strings.HasSuffix(err.Error(), ": "+tt.code), "error %q should name %s", err, tt.code)
			assert.False(t, CanParse(tt.in))
		})
	}
}

// Bad input never panics: every input either parses to a URL whose href
// parses back to itself, or fails with an error naming why.
func TestBadInputNeverPanics(t *testing.T) {
	t.Parallel()
	labels := strings.Repeat("a.", 10000) + "com"
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"invalid UTF-8 in path", "http://h/\xff\xfe\x80", true},
		{"invalid UTF-8 in host", "http://\xff/", false},
		{"invalid UTF-8 in opaque host", "sc://\xc3/", true},
		{"invalid UTF-8 in scheme position", "\xffhttp://h/", false},
		{"truncated UTF-8 everywhere", "http://u\xe2\x82:p\xe2@h/\xe2?\xe2#\xe2", true},
		{"NUL bytes", "http://h/\x00?\x00#\x00", true},
		{"huge port", "http://h:" + strings.Repeat("9", 100000) + "/", false},
		{"port of zeros", "http://h:" + strings.Repeat("0", 100000) + "80/", true},
		{"10000-label host", "http://" + labels + "/", true},
		{"10000-label host with IDN", "http://" + labels + ".b\u00fccher/", true},
		{"10000-label IPv4-like host", "http://" + strings.Repeat("1.", 10000) + "1/", false},
		{"1 MB path", "http://h/" + strings.Repeat("a/", 1<<19), true},
		{"1 MB of dot segments", "http://h/" + strings.Repeat("../", 350000), true},
		{"1 MB query to encode", "http://h/?" + strings.Repeat("\u00e9 ", 1<<18), true},
		{"1 MB host", "http://" + strings.Repeat("x", 1<<20) + "/", true},
		{"1 MB opaque path", "mailto:" + strings.Repeat("x ", 1<<19) + "y", true},
		{"1 MB of at signs", "http://" + strings.Repeat("@", 1<<20) + "h/", true},
		{"1 MB of garbage", strings.Repeat("\x01[:%", 1<<18), false},
		{"long IPv6", "http://[" + strings.Repeat("1:", 100000) + "1]/", false},
		{"long IPv4 number", "http://0x" + strings.Repeat("f", 100000) + "/", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			u, err := Parse(tt.in)
			if !tt.ok {
				require.Error(t, err)
				assert.ErrorIs(t, err, ErrInvalidURL)
				assert.Less(t, len(err.Error()), 400, "the error message must not quote the whole input")
				return
			}
			require.NoError(t, err)
			v, err := Parse(u.Href())
			require.NoError(t, err)
			assert.Equal(t, u.Href(), v.Href())
			assert.True(t, strings.HasPrefix(u.Href(), u.Protocol()))
		})
	}
}

func TestInvalidUTF8BecomesReplacementCharacter(t *testing.T) {
	t.Parallel()
	u, err := Parse("http://h/a\xffb?\xff#\xff")
	require.NoError(t, err)
	assert.Equal(t, "http://h/a%EF%BF%BDb?%EF%BF%BD#%EF%BF%BD", u.Href())
}

func TestSearchParamsIsLive(t *testing.T) {
	t.Parallel()
	u, err := Parse("https://google.com/search")
	require.NoError(t, err)
	p := u.SearchParams()
	assert.Same(t, p, u.SearchParams(), "SearchParams must return the same object")

	p.Set("q", "test me!")
	assert.Equal(t, "https://google.com/search?q=test+me%21", u.Href())
	p.Set("tbs", "qdr:y")
	assert.Equal(t, "https://google.com/search?q=test+me%21&tbs=qdr%3Ay", u.Href())

	u.SetSearch("?a=1&b=2")
	v, ok := p.Get("b")
	assert.True(t, ok)
	assert.Equal(t, "2", v)
	assert.Equal(t, 2, p.Size())

	p.Delete("a")
	p.Delete("b")
	assert.Equal(t, "https://google.com/search", u.Href(), "an empty list removes the '?'")

	require.NoError(t, u.SetHref("https://x.example/?k=v#h"))
	v, ok = p.Get("k")
	assert.True(t, ok)
	assert.Equal(t, "v", v)

	u.SetSearch("")
	assert.Equal(t, 0, p.Size())
	assert.Equal(t, "https://x.example/#h", u.Href())

	// A failing SetHref leaves both alone.
	u.SetSearch("z=1")
	require.ErrorIs(t, u.SetHref("::"), ErrInvalidURL)
	assert.Equal(t, "https://x.example/?z=1#h", u.Href())
	assert.True(t, p.Has("z"))
}

func TestSearchParamsOnOpaquePath(t *testing.T) {
	t.Parallel()
	u, err := Parse("sc:space ?query")
	require.NoError(t, err)
	assert.Equal(t, "sc:space%20?query", u.Href())
	u.SearchParams().Delete("query")
	assert.Equal(t, "sc:space%20", u.Href())
	v, err := Parse(u.Href())
	require.NoError(t, err)
	assert.Equal(t, u.Href(), v.Href())
}

func TestSettersOnZeroURLDoNothing(t *testing.T) {
	t.Parallel()
	var u URL
	u.SetProtocol("https")
	u.SetUsername("a")
	u.SetPassword("b")
	u.SetHost("h")
	u.SetHostname("h")
	u.SetPort("1")
	u.SetPathname("/p")
	u.SetSearch("q")
	u.SetHash("f")
	assert.Equal(t, "", u.Href())
	assert.Equal(t, "", u.Protocol())
	assert.Equal(t, "", u.Host())
	assert.Equal(t, "", u.Search())
	assert.Equal(t, "", u.Hash())
	assert.True(t, u.Origin().Opaque())
	u.SearchParams().Append("a", "b") // a live view of a zero URL writes nowhere
	assert.Equal(t, "", u.Href())

	require.NoError(t, u.SetHref("http://example.com/"))
	assert.Equal(t, "http://example.com/", u.Href())
}

func TestSetters(t *testing.T) {
	t.Parallel()
	u, err := Parse("http://example.com:8080/p?q#f")
	require.NoError(t, err)
	u.SetProtocol("https")
	u.SetUsername("us er")
	u.SetPassword("p@ss")
	u.SetHostname("EXAMPLE.org")
	u.SetPort("443")
	u.SetPathname("/a b/../c")
	u.SetSearch("x=1 2")
	u.SetHash("#top")
	assert.Equal(t, "https://us%20er:p%40ss@example.org/c?x=1%202#top", u.Href())

	u.SetHost("[::1]:8443")
	assert.Equal(t, "[::1]:8443", u.Host())
	u.SetPort("")
	assert.Equal(t, "[::1]", u.Host())

	// Values the setter algorithms reject leave the URL alone.
	before := u.Href()
	u.SetProtocol("mailto") // special to non-special
	u.SetPort("99999")      // out of range
	u.SetHostname("a:1")    // a port in the hostname setter
	u.SetHost("bad host")   // forbidden code point
	u.SetProtocol("1https") // not a scheme
	u.SetPort("nonsense")   // no digits
	u.SetHostname("")       // special URLs need a host
	assert.Equal(t, before, u.Href())

	m, err := Parse("mailto:someone@example.com")
	require.NoError(t, err)
	m.SetHost("example.org")
	m.SetPathname("/x")
	m.SetUsername("u")
	assert.Equal(t, "mailto:someone@example.com", m.Href(), "an opaque path URL ignores these")
}

func TestSetHrefError(t *testing.T) {
	t.Parallel()
	u, err := Parse("https://a/")
	require.NoError(t, err)
	err = u.SetHref("https://[::1/")
	require.ErrorIs(t, err, ErrInvalidURL)
	assert.Contains(t, err.Error(), "IPv6-unclosed")
	assert.Equal(t, "https://a/", u.Href())
}

func TestOrigin(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want           string
		opaque             bool
		scheme, host, port string
	}{
		{"https://example.com/a", "https://example.com", false, "https", "example.com", ""},
		{"http://EXAMPLE.com:8080/", "http://example.com:8080", false, "http", "example.com", "8080"},
		{"https://[::1]:443/", "https://[::1]", false, "https", "[::1]", ""},
		{"wss://h:1/", "wss://h:1", false, "wss", "h", "1"},
		{"ftp://h/", "ftp://h", false, "ftp", "h", ""},
		{"blob:https://example.com:443/uuid", "https://example.com", false, "https", "example.com", ""},
		{"blob:ftp://h/", "null", true, "", "", ""},
		{"blob:not a url", "null", true, "", "", ""},
		{"file:///tmp/x", "null", true, "", "", ""},
		{"data:text/plain,hi", "null", true, "", "", ""},
		{"sc://h/", "null", true, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			u, err := Parse(tt.in)
			require.NoError(t, err)
			o := u.Origin()
			assert.Equal(t, tt.want, o.String())
			assert.Equal(t, tt.opaque, o.Opaque())
			assert.Equal(t, tt.scheme, o.Scheme())
			assert.Equal(t, tt.host, o.Host())
			assert.Equal(t, tt.port, o.Port())
			assert.Equal(t, !tt.opaque, o.SameOrigin(o), "a tuple origin is the same origin as itself; an opaque one is not")
		})
	}
	a, _ := Parse("https://example.com/a")
	b, _ := Parse("https://EXAMPLE.com:443/b?c")
	c, _ := Parse("http://example.com/")
	assert.True(t, a.Origin().SameOrigin(b.Origin()))
	assert.False(t, a.Origin().SameOrigin(c.Origin()))
	assert.True(t, Origin{}.Opaque())
	assert.Equal(t, "null", Origin{}.String())
}

func TestMarshal(t *testing.T) {
	t.Parallel()
	u, err := Parse("https://example.com/a b")
	require.NoError(t, err)
	j, err := json.Marshal(struct{ U *URL }{u})
	require.NoError(t, err)
	assert.Equal(t, `{"U":"https://example.com/a%20b"}`, string(j))

	var back struct{ U *URL }
	require.NoError(t, json.Unmarshal(j, &back))
	require.NotNil(t, back.U)
	assert.Equal(t, u.Href(), back.U.Href())

	txt, err := u.MarshalText()
	require.NoError(t, err)
	assert.Equal(t, u.Href(), string(txt))

	var v URL
	require.ErrorIs(t, v.UnmarshalText([]byte("no scheme")), ErrInvalidURL)
	require.NoError(t, v.UnmarshalText(txt))
	assert.Equal(t, u.Href(), v.Href())
}

func TestClone(t *testing.T) {
	t.Parallel()
	u, err := Parse("https://example.com/?a=1")
	require.NoError(t, err)
	u.SearchParams().Append("b", "2")
	c := u.Clone()
	assert.Equal(t, u.Href(), c.Href())
	c.SearchParams().Append("c", "3")
	c.SetPathname("/other")
	assert.Equal(t, "https://example.com/?a=1&b=2", u.Href())
	assert.Equal(t, "https://example.com/other?a=1&b=2&c=3", c.Href())
}

func TestNetURL(t *testing.T) {
	t.Parallel()
	u, err := Parse("https://us%20er:pw@b\u00fccher.example:8443/a%20b/c?x=1&y=%20#fr%20ag")
	require.NoError(t, err)
	n := u.NetURL()
	assert.Equal(t, "https", n.Scheme)
	assert.Equal(t, "xn--bcher-kva.example:8443", n.Host)
	assert.Equal(t, "us er", n.User.Username())
	pw, ok := n.User.Password()
	assert.True(t, ok)
	assert.Equal(t, "pw", pw)
	assert.Equal(t, "/a b/c", n.Path)
	assert.Equal(t, "/a%20b/c", n.EscapedPath())
	assert.Equal(t, "x=1&y=%20", n.RawQuery)
	assert.Equal(t, "fr ag", n.Fragment)
	assert.Equal(t, u.Href(), n.String())

	m, err := Parse("mailto:someone@example.com?subject=hi")
	require.NoError(t, err)
	assert.Equal(t, "mailto:someone@example.com?subject=hi", m.NetURL().String())

	dot, err := Parse("web+demo:/.//not-a-host/")
	require.NoError(t, err)
	assert.Equal(t, "web+demo:/.//not-a-host/", dot.NetURL().String())

	var zero URL
	assert.Equal(t, "", zero.NetURL().String())
}

func TestFromNetURL(t *testing.T) {
	t.Parallel()
	n, err := neturl.Parse("HTTP://Example.COM:80/a/../b?c#d")
	require.NoError(t, err)
	u, err := FromNetURL(n)
	require.NoError(t, err)
	assert.Equal(t, "http://example.com/b?c#d", u.Href())

	_, err = FromNetURL(&neturl.URL{Path: "relative"})
	require.ErrorIs(t, err, ErrInvalidURL)
}

// decodedComponents returns u's components percent-decoded: what a
// conversion through net/url must preserve.
func decodedComponents(u *URL) []string {
	return []string{u.Protocol(), percentDecode(u.Username()), percentDecode(u.Password()),
		percentDecode(u.Hostname()), u.Port(), percentDecode(u.Pathname()),
		percentDecode(u.Search()), percentDecode(u.Hash())}
}

// Converting every valid URL of urltestdata.json to net/url and back keeps
// its meaning (net/url may choose another percent-encoding).
func TestNetURLRoundTripKeepsMeaning(t *testing.T) {
	t.Parallel()
	checked := 0
	for _, c := range loadWPTURLCases(t, "url/urltestdata.json") {
		if c.Failure {
			continue
		}
		u, err := parseWPTURLCase(c)
		require.NoError(t, err)
		checked++
		back, err := FromNetURL(u.NetURL())
		if !assert.NoError(t, err, "%s: net/url form %q", u.Href(), u.NetURL()) {
			continue
		}
		assert.Equal(t, decodedComponents(u), decodedComponents(back), "%s -> %s", u.Href(), back.Href())
	}
	assert.Positive(t, checked, "urltestdata.json holds no valid URL to convert")
}

func TestDomainToASCIIAndUnicode(t *testing.T) {
	t.Parallel()
	a, err := DomainToASCII("B\u00fccher.example")
	require.NoError(t, err)
	assert.Equal(t, "xn--bcher-kva.example", a)
	a, err = DomainToASCII("EXAMPLE.com")
	require.NoError(t, err)
	assert.Equal(t, "example.com", a)
	_, err = DomainToASCII("a b")
	require.ErrorIs(t, err, ErrInvalidURL)
	_, err = DomainToASCII("")
	require.ErrorIs(t, err, ErrInvalidURL)

	s, err := DomainToUnicode("xn--bcher-kva.example")
	require.NoError(t, err)
	assert.Equal(t, "b\u00fccher.example", s)
	_, err = DomainToUnicode("xn--a.\u00df")
	require.ErrorIs(t, err, ErrInvalidURL)
}

// The expected values are what x/net/idna computes with its Unicode 17.0
// tables (the ones it uses from Go 1.27 on) and the URL Standard's flags.
func TestUTS46Update(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"\u1E9E.com", "xn--zca.com"},                // ẞ maps to ß, not "ss"
		{"\u04C0.com", "xn--s5a.com"},                // Ӏ maps to ӏ
		{"\u10A0.example", "xn--rkj.example"},        // Georgian Ⴀ maps to ⴀ
		{"look\u180Eout.net", "lookout.net"},         // now ignored
		{"a\u3164b.net", "ab.net"},                   // Hangul filler, now ignored
		{"\U0002F868.com", "xn--snl.com"},            // CJK compatibility ideograph
		{"plain\u00e9.com", "xn--plain-fsa.com"},     // untouched
		{"\u2132.x", "xn--73g.x"},                    // Ⅎ maps to ⅎ
		{"a\U0001D173b.x", "ab.x"},                   // musical symbol format char
		{"\u1806.x", ""},                             // became valid: still rejected (deviation)
		{"\u10C5\u1E9E.x", "xn--zca187t.x"},          // two updates in one label
		{"\u2061\u2062\u2063x\u206A\u206F.y", "x.y"}, // invisible operators and deprecated format chars
	}
	for _, tt := range tests {
		got, err := DomainToASCII(tt.in)
		if tt.want == "" {
			assert.Error(t, err, "%+q", tt.in)
			continue
		}
		if assert.NoError(t, err, "%+q", tt.in) {
			assert.Equal(t, tt.want, got, "%+q", tt.in)
		}
	}
}

func TestIPv6Serialization(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"[0:0:0:0:0:0:0:0]", "[::]"},
		{"[0:0:0:0:0:0:0:1]", "[::1]"},
		{"[1:0:0:2:0:0:0:3]", "[1:0:0:2::3]"},
		{"[1:0:0:2:0:0:3:4]", "[1::2:0:0:3:4]"},
		{"[2001:DB8::0:1]", "[2001:db8::1]"},
		{"[::ffff:192.168.0.1]", "[::ffff:c0a8:1]"},
		{"[1:2:3:4:5:6:7:8]", "[1:2:3:4:5:6:7:8]"},
		{"[1:0:3:4:5:6:7:8]", "[1:0:3:4:5:6:7:8]"},
	}
	for _, tt := range tests {
		u, err := Parse("http://" + tt.in + "/")
		if assert.NoError(t, err, tt.in) {
			assert.Equal(t, tt.want, u.Hostname(), tt.in)
		}
	}
}

func TestIPv4Forms(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"127.0.0.1", "127.0.0.1"},
		{"0x7f.1", "127.0.0.1"},
		{"0177.0.0.1", "127.0.0.1"},
		{"2130706433", "127.0.0.1"},
		{"127.1", "127.0.0.1"},
		{"127.0.1", "127.0.0.1"},
		{"0x", "0.0.0.0"},
		{"1.2.3.4.", "1.2.3.4"},
		{"4294967295", "255.255.255.255"},
	}
	for _, tt := range tests {
		u, err := Parse("http://" + tt.in + "/")
		if assert.NoError(t, err, tt.in) {
			assert.Equal(t, tt.want, u.Hostname(), tt.in)
		}
	}
	assert.False(t, CanParse("http://4294967296/"))
	assert.False(t, CanParse("http://1.256.0.0/"))
}

func TestPercentEncodeSets(t *testing.T) {
	t.Parallel()
	// The printable ASCII characters each set adds, beyond C0 controls and
	// non-ASCII, as the URL Standard lists them.
	sets := []struct {
		name string
		set  encodeSet
		want string
	}{
		{"C0 control", setC0Control, ""},
		{"fragment", setFragment, " \"<>`"},
		{"query", setQuery, " \"#<>"},
		{"special-query", setSpecialQuery, " \"#'<>"},
		{"path", setPath, " \"#<>?^`{}"},
		{"userinfo", setUserinfo, " \"#/:;<=>?@[\\]^`{|}"},
		{"component", setComponent, " \"#$%&+,/:;<=>?@[\\]^`{|}"},
		{"application/x-www-form-urlencoded", setFormURLEncoded, " !\"#$%&'()+,/:;<=>?@[\\]^`{|}~"},
	}
	for _, s := range sets {
		var got []byte
		for b := 0x20; b < 0x7F; b++ {
			if inSet(byte(b), s.set) {
				got = append(got, byte(b))
			}
		}
		assert.Equal(t, s.want, string(got), s.name)
		for _, b := range []byte{0x00, 0x1F, 0x7F, 0x80, 0xFF} {
			assert.True(t, inSet(b, s.set), "%s must contain %#x", s.name, b)
		}
	}
	assert.Equal(t, "a%20b%E2%82%AC", percentEncode("a b\u20ac", setPath))
	assert.Equal(t, "ab", percentEncode("ab", setPath))
	assert.Equal(t, "a b%zz%\u20ac", percentDecode("a%20b%zz%%E2%82%AC"))
}

func TestErrorMessageIsShortened(t *testing.T) {
	t.Parallel()
	in := strings.Repeat("\u00e9", 1000) // no scheme
	_, err := Parse(in)
	require.Error(t, err)
	assert.Less(t, len(err.Error()), 400)
	assert.True(t, errors.Is(err, ErrInvalidURL))
	assert.Contains(t, err.Error(), "…")
}
