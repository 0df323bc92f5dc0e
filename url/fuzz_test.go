package url

import (
	"testing"
)

// fuzzSeeds are inputs that reach every state of the parser.
var fuzzSeeds = []string{
	"https://user:pass@example.com:8080/a/./b/../c?q=1&r=2#frag",
	"HTTP://EXAMPLE.COM",
	"http:\\\\host\\path",
	"http:/host",
	"//host/path",
	"/abs/path",
	"rel/path?x#y",
	"?only-query",
	"#only-fragment",
	"file:///C:/Users/x/../y",
	"file://localhost/etc/hosts",
	"file:c|/x",
	"file:\\\\server\\share",
	"C|/foo",
	"mailto:a@example.com?subject=hi",
	"sc:space ?q",
	"sc://opaque%20host/x",
	"web+demo:/.//not-a-host/",
	"http://[::ffff:192.168.0.1]:80/",
	"http://[1:0::]",
	"http://0x7f.0.0.1/",
	"http://1.2.3.4.5/",
	"http://bücher.de/ä?ö#ü",
	"http://xn--a.ß/",
	"blob:https://example.com/uuid",
	"data:text/plain,hello world",
	"javascript:alert(1)",
	"  \t http://h/\n x  ",
	"http://@/",
	"http://a@b@c/",
	"http://h:65535/",
	"http://h:/",
	"non-special://host:1/a/..",
	"ws://h/%2e%2E/%2e",
	"\xff\xfe",
	"",
}

// FuzzParse checks that parsing is stable: a URL's href parses back to the
// same href, CanParse agrees with Parse, the href is ASCII, and the getters
// are pieces of the href. It also resolves the input against a base.
func FuzzParse(f *testing.F) {
	for i, s := range fuzzSeeds {
		f.Add(s, fuzzSeeds[(i+3)%len(fuzzSeeds)])
	}
	for _, s := range benchCorpus(50) {
		f.Add(s, "https://example.com/dir/page")
	}
	f.Fuzz(func(t *testing.T, input, base string) {
		u, err := Parse(input)
		if CanParse(input) != (err == nil) {
			t.Fatalf("CanParse(%q) disagrees with Parse error %v", input, err)
		}
		if err == nil {
			checkStable(t, u)
		}
		u, err = ParseWithBase(input, base)
		if CanParseWithBase(input, base) != (err == nil) {
			t.Fatalf("CanParseWithBase(%q, %q) disagrees with ParseWithBase error %v", input, base, err)
		}
		if err == nil {
			checkStable(t, u)
		}
	})
}

// checkStable fails the test when u's href does not parse back to itself
// or u's getters disagree with its href.
func checkStable(t *testing.T, u *URL) {
	t.Helper()
	h := u.Href()
	for i := 0; i < len(h); i++ {
		if h[i] >= 0x80 || h[i] < 0x20 || h[i] == 0x7F {
			t.Fatalf("href %q holds byte %#x", h, h[i])
		}
	}
	v, err := Parse(h)
	if err != nil {
		t.Fatalf("href %q does not parse: %v", h, err)
	}
	if v.Href() != h {
		t.Fatalf("href %q re-parses as %q", h, v.Href())
	}
	for _, g := range []struct{ name, got, want string }{
		{"protocol", v.Protocol(), u.Protocol()},
		{"username", v.Username(), u.Username()},
		{"password", v.Password(), u.Password()},
		{"host", v.Host(), u.Host()},
		{"port", v.Port(), u.Port()},
		{"pathname", v.Pathname(), u.Pathname()},
		{"search", v.Search(), u.Search()},
		{"hash", v.Hash(), u.Hash()},
		{"origin", v.Origin().String(), u.Origin().String()},
	} {
		if g.got != g.want {
			t.Fatalf("%s of %q: %q after re-parsing, %q before", g.name, h, g.got, g.want)
		}
	}
}

// FuzzSetters checks that no setter, and no change through the live
// SearchParams, can produce a URL whose href fails to re-parse or re-parses
// differently.
func FuzzSetters(f *testing.F) {
	values := []string{"", "x", "https", "a:b", "[::1]:8", "8080", "/p/../q", "?a=b", "#f", " ", "\\", "//h", "..", "%zz", "é", "C:"}
	for i, s := range fuzzSeeds {
		f.Add(s, uint8(i), values[i%len(values)])
	}
	f.Fuzz(func(t *testing.T, href string, which uint8, value string) {
		u, err := Parse(href)
		if err != nil {
			return
		}
		before := u.Href()
		switch which % 14 {
		case 0:
			u.SetProtocol(value)
		case 1:
			u.SetUsername(value)
		case 2:
			u.SetPassword(value)
		case 3:
			u.SetHost(value)
		case 4:
			u.SetHostname(value)
		case 5:
			u.SetPort(value)
		case 6:
			u.SetPathname(value)
		case 7:
			u.SetSearch(value)
		case 8:
			u.SetHash(value)
		case 9:
			if u.SetHref(value) != nil && u.Href() != before {
				t.Fatalf("failing SetHref(%q) changed %q to %q", value, before, u.Href())
			}
		case 10:
			u.SearchParams().Append(value, value)
		case 11:
			u.SearchParams().Set("k", value)
		case 12:
			u.SearchParams().Delete(value)
		case 13:
			u.SearchParams().Sort()
		}
		checkStable(t, u)
	})
}
