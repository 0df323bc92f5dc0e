package url_test

import (
	"encoding/json"
	"errors"
	"fmt"
	neturl "net/url"

	"github.com/webnet-go/webnet/url"
)

// The tutorial's first URL examples: an absolute URL, the same URL built
// from a path and a base, and a URL relative to another URL.
//
//	let url1 = new URL('https://javascript.info/profile/admin');
//	let url2 = new URL('/profile/admin', 'https://javascript.info');
//	alert(url1); // https://javascript.info/profile/admin
//	alert(url2); // https://javascript.info/profile/admin
//
//	let url = new URL('https://javascript.info/profile/admin');
//	let newUrl = new URL('tester', url);
//	alert(newUrl); // https://javascript.info/profile/tester
func Example_relativeResolution() {
	url1, err := url.Parse("https://javascript.info/profile/admin")
	if err != nil {
		panic(err)
	}
	url2, err := url.ParseWithBase("/profile/admin", "https://javascript.info")
	if err != nil {
		panic(err)
	}
	fmt.Println(url1)
	fmt.Println(url2)

	newURL, err := url1.Parse("tester") // new URL('tester', url)
	if err != nil {
		panic(err)
	}
	fmt.Println(newURL)
	// Output:
	// https://javascript.info/profile/admin
	// https://javascript.info/profile/admin
	// https://javascript.info/profile/tester
}

// The tutorial's component access:
//
//	let url = new URL('https://javascript.info/url');
//	alert(url.protocol); // https:
//	alert(url.host);     // javascript.info
//	alert(url.pathname); // /url
func Example_components() {
	u, err := url.Parse("https://javascript.info/url")
	if err != nil {
		panic(err)
	}
	fmt.Println(u.Protocol())
	fmt.Println(u.Host())
	fmt.Println(u.Pathname())

	// Every component of a fuller URL.
	u, err = url.Parse("https://login:password@site.com:8080/path/page?p1=v1&p2=v2#hash")
	if err != nil {
		panic(err)
	}
	fmt.Println(u.Href())
	fmt.Println(u.Origin())
	fmt.Println(u.Protocol(), u.Username(), u.Password())
	fmt.Println(u.Host(), u.Hostname(), u.Port())
	fmt.Println(u.Pathname(), u.Search(), u.Hash())
	// Output:
	// https:
	// javascript.info
	// /url
	// https://login:password@site.com:8080/path/page?p1=v1&p2=v2#hash
	// https://site.com:8080
	// https: login password
	// site.com:8080 site.com 8080
	// /path/page ?p1=v1&p2=v2 #hash
}

// The tutorial's encoding example: the Cyrillic path and the query
// parameter are percent-encoded as UTF-8.
//
//	let url = new URL('https://ru.wikipedia.org/wiki/Тест');
//	url.searchParams.set('key', 'ъ');
//	alert(url); // https://ru.wikipedia.org/wiki/%D0%A2%D0%B5%D1%81%D1%82?key=%D1%8A
func Example_cyrillicPathAndQuery() {
	u, err := url.Parse("https://ru.wikipedia.org/wiki/Тест")
	if err != nil {
		panic(err)
	}
	u.SearchParams().Set("key", "ъ")
	fmt.Println(u)
	// Output:
	// https://ru.wikipedia.org/wiki/%D0%A2%D0%B5%D1%81%D1%82?key=%D1%8A
}

// The tutorial's IPv6 example: the URL parser keeps the brackets of an
// IPv6 host (encodeURI, from an older RFC, escapes them).
//
//	let url = 'http://[2607:f8b0:4005:802::1007]/';
//	alert(encodeURI(url)); // http://%5B2607:f8b0:4005:802::1007%5D/
//	alert(new URL(url));   // http://[2607:f8b0:4005:802::1007]/
func Example_ipv6() {
	const raw = "http://[2607:f8b0:4005:802::1007]/"
	encoded, err := url.EncodeURI(raw)
	if err != nil {
		panic(err)
	}
	fmt.Println(encoded)
	u, err := url.Parse(raw)
	if err != nil {
		panic(err)
	}
	fmt.Println(u)
	fmt.Println(u.Hostname())

	// The address is stored as 128 bits and serialized in its shortest form.
	u, err = url.Parse("http://[2001:DB8:0:0:0:0:0:1]:8080/")
	if err != nil {
		panic(err)
	}
	fmt.Println(u.Host())
	// Output:
	// http://%5B2607:f8b0:4005:802::1007%5D/
	// http://[2607:f8b0:4005:802::1007]/
	// [2607:f8b0:4005:802::1007]
	// [2001:db8::1]:8080
}

// Hosts of special URLs go through IDNA ("domain to ASCII"); IPv4 addresses
// are recognized in every notation browsers accept.
func Example_hosts() {
	for _, s := range []string{
		"https://Bücher.example/",
		"http://0x7F.1/",
		"http://2130706433/",
		"sc://Opaque.Host/", // not special: an opaque host, only percent-encoded
	} {
		u, err := url.Parse(s)
		if err != nil {
			panic(err)
		}
		fmt.Println(u.Hostname())
	}
	// Output:
	// xn--bcher-kva.example
	// 127.0.0.1
	// 127.0.0.1
	// Opaque.Host
}

func ExampleURL() {
	u, err := url.Parse("https://example.com/search?q=go")
	if err != nil {
		panic(err)
	}
	u.SetPathname("/docs")            // url.pathname = "/docs"
	u.SearchParams().Set("page", "2") // url.searchParams.set("page", "2")
	u.SetHash("intro")                // url.hash = "intro"
	fmt.Println(u.Href())
	// Output:
	// https://example.com/docs?q=go&page=2#intro
}

func ExampleParse() {
	u, err := url.Parse("HTTPS://EXAMPLE.com:443/a/./b/../c d?q=1#top")
	if err != nil {
		panic(err)
	}
	fmt.Println(u)

	_, err = url.Parse("/relative/path")
	fmt.Println(err)
	fmt.Println(errors.Is(err, url.ErrInvalidURL))
	// Output:
	// https://example.com/a/c%20d?q=1#top
	// url: invalid URL "/relative/path": missing-scheme-non-relative-URL
	// true
}

func ExampleParseWithBase() {
	u, err := url.ParseWithBase("../images/photo.jpg", "https://example.com/blog/2024/post.html")
	if err != nil {
		panic(err)
	}
	fmt.Println(u)
	// Output:
	// https://example.com/blog/images/photo.jpg
}

func ExampleURL_Parse() {
	base, err := url.Parse("https://example.com/docs/guide/intro?lang=en")
	if err != nil {
		panic(err)
	}
	for _, ref := range []string{"setup", "../api", "/", "?lang=fr", "#top", "//cdn.example.net/x.js"} {
		u, err := base.Parse(ref)
		if err != nil {
			panic(err)
		}
		fmt.Println(u)
	}
	// Output:
	// https://example.com/docs/guide/setup
	// https://example.com/docs/api
	// https://example.com/
	// https://example.com/docs/guide/intro?lang=fr
	// https://example.com/docs/guide/intro?lang=en#top
	// https://cdn.example.net/x.js
}

func ExampleCanParse() {
	fmt.Println(url.CanParse("https://example.com/"))
	fmt.Println(url.CanParse("example.com"))
	// Output:
	// true
	// false
}

func ExampleCanParseWithBase() {
	fmt.Println(url.CanParseWithBase("page.html", "https://example.com/dir/"))
	fmt.Println(url.CanParseWithBase("page.html", "not a base"))
	// Output:
	// true
	// false
}

func ExampleErrInvalidURL() {
	_, err := url.Parse("http://example.com:99999/")
	if errors.Is(err, url.ErrInvalidURL) {
		fmt.Println(err)
	}
	// Output:
	// url: invalid URL "http://example.com:99999/": port-out-of-range
}

func ExampleURL_Href() {
	u, err := url.Parse("HTTP://example.COM")
	if err != nil {
		panic(err)
	}
	fmt.Println(u.Href())
	// Output:
	// http://example.com/
}

func ExampleURL_String() {
	u, err := url.Parse("https://example.com/a b")
	if err != nil {
		panic(err)
	}
	fmt.Println(u.String())
	fmt.Printf("%v\n", u) // fmt uses String
	// Output:
	// https://example.com/a%20b
	// https://example.com/a%20b
}

func ExampleURL_Protocol() {
	u, err := url.Parse("WSS://example.com/socket")
	if err != nil {
		panic(err)
	}
	fmt.Println(u.Protocol())
	// Output:
	// wss:
}

func ExampleURL_Username() {
	u, err := url.Parse("ftp://anonymous:guest@ftp.example.com/")
	if err != nil {
		panic(err)
	}
	fmt.Println(u.Username())
	// Output:
	// anonymous
}

func ExampleURL_Password() {
	u, err := url.Parse("ftp://anonymous:guest@ftp.example.com/")
	if err != nil {
		panic(err)
	}
	fmt.Println(u.Password())
	// Output:
	// guest
}

func ExampleURL_Host() {
	for _, s := range []string{"https://example.com:8443/", "https://example.com:443/", "http://[::1]:8080/"} {
		u, err := url.Parse(s)
		if err != nil {
			panic(err)
		}
		fmt.Println(u.Host())
	}
	// Output:
	// example.com:8443
	// example.com
	// [::1]:8080
}

func ExampleURL_Hostname() {
	u, err := url.Parse("https://пример.рф:8443/")
	if err != nil {
		panic(err)
	}
	fmt.Println(u.Hostname())
	// Output:
	// xn--e1afmkfd.xn--p1ai
}

func ExampleURL_Port() {
	for _, s := range []string{"http://example.com:8080/", "http://example.com:80/", "http://example.com/"} {
		u, err := url.Parse(s)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%q\n", u.Port())
	}
	// Output:
	// "8080"
	// ""
	// ""
}

func ExampleURL_Pathname() {
	for _, s := range []string{"https://example.com/a/../b/./c%20d e", "mailto:someone@example.com"} {
		u, err := url.Parse(s)
		if err != nil {
			panic(err)
		}
		fmt.Println(u.Pathname())
	}
	// Output:
	// /b/c%20d%20e
	// someone@example.com
}

func ExampleURL_Search() {
	u, err := url.Parse("https://example.com/?q=a b&lang=en")
	if err != nil {
		panic(err)
	}
	fmt.Println(u.Search())
	// Output:
	// ?q=a%20b&lang=en
}

func ExampleURL_SearchParams() {
	u, err := url.Parse("https://example.com/?user=John&user=Pete")
	if err != nil {
		panic(err)
	}
	p := u.SearchParams()
	fmt.Println(p.GetAll("user"))
	p.Append("page", "2")
	fmt.Println(u)
	u.SetSearch("?sort=asc") // the live SearchParams follows the URL
	fmt.Println(p.Has("user"), p.Has("sort"))
	// Output:
	// [John Pete]
	// https://example.com/?user=John&user=Pete&page=2
	// false true
}

func ExampleURL_Hash() {
	u, err := url.Parse("https://example.com/page#section 2")
	if err != nil {
		panic(err)
	}
	fmt.Println(u.Hash())
	// Output:
	// #section%202
}

func ExampleURL_Origin() {
	u, err := url.Parse("https://user@example.com:8443/path?q#f")
	if err != nil {
		panic(err)
	}
	fmt.Println(u.Origin())
	d, err := url.Parse("data:text/plain,hello")
	if err != nil {
		panic(err)
	}
	fmt.Println(d.Origin())
	// Output:
	// https://example.com:8443
	// null
}

func ExampleURL_SetHref() {
	u, err := url.Parse("https://example.com/")
	if err != nil {
		panic(err)
	}
	if err := u.SetHref("http://example.org/new"); err != nil {
		panic(err)
	}
	fmt.Println(u)
	err = u.SetHref("no scheme") // the JavaScript setter throws a TypeError
	fmt.Println(err)
	fmt.Println(u)
	// Output:
	// http://example.org/new
	// url: invalid URL "no scheme": missing-scheme-non-relative-URL
	// http://example.org/new
}

func ExampleURL_SetProtocol() {
	u, err := url.Parse("http://example.com:443/")
	if err != nil {
		panic(err)
	}
	u.SetProtocol("https") // 443 becomes the default port
	fmt.Println(u)
	u.SetProtocol("mailto") // special to non-special: ignored
	fmt.Println(u)
	// Output:
	// https://example.com/
	// https://example.com/
}

func ExampleURL_SetUsername() {
	u, err := url.Parse("https://example.com/")
	if err != nil {
		panic(err)
	}
	u.SetUsername("jo@home")
	fmt.Println(u)
	// Output:
	// https://jo%40home@example.com/
}

func ExampleURL_SetPassword() {
	u, err := url.Parse("https://jo@example.com/")
	if err != nil {
		panic(err)
	}
	u.SetPassword("s3:cret")
	fmt.Println(u)
	// Output:
	// https://jo:s3%3Acret@example.com/
}

func ExampleURL_SetHost() {
	u, err := url.Parse("https://example.com:8443/path")
	if err != nil {
		panic(err)
	}
	u.SetHost("example.org") // no port given: the port stays
	fmt.Println(u)
	u.SetHost("example.net:9000")
	fmt.Println(u)
	// Output:
	// https://example.org:8443/path
	// https://example.net:9000/path
}

func ExampleURL_SetHostname() {
	u, err := url.Parse("https://example.com:8443/path")
	if err != nil {
		panic(err)
	}
	u.SetHostname("Bücher.example")
	fmt.Println(u)
	// Output:
	// https://xn--bcher-kva.example:8443/path
}

func ExampleURL_SetPort() {
	u, err := url.Parse("https://example.com/")
	if err != nil {
		panic(err)
	}
	u.SetPort("8443")
	fmt.Println(u)
	u.SetPort("443") // the default port is not stored
	fmt.Println(u)
	u.SetPort("99999") // out of range: ignored
	fmt.Println(u)
	// Output:
	// https://example.com:8443/
	// https://example.com/
	// https://example.com/
}

func ExampleURL_SetPathname() {
	u, err := url.Parse("https://example.com/old?q=1")
	if err != nil {
		panic(err)
	}
	u.SetPathname("/new path/./index.html")
	fmt.Println(u)
	// Output:
	// https://example.com/new%20path/index.html?q=1
}

func ExampleURL_SetSearch() {
	u, err := url.Parse("https://example.com/#top")
	if err != nil {
		panic(err)
	}
	u.SetSearch("q=a b")
	fmt.Println(u)
	u.SetSearch("")
	fmt.Println(u)
	// Output:
	// https://example.com/?q=a%20b#top
	// https://example.com/#top
}

func ExampleURL_SetHash() {
	u, err := url.Parse("https://example.com/")
	if err != nil {
		panic(err)
	}
	u.SetHash("section 2")
	fmt.Println(u)
	u.SetHash("")
	fmt.Println(u)
	// Output:
	// https://example.com/#section%202
	// https://example.com/
}

func ExampleURL_Clone() {
	u, err := url.Parse("https://example.com/a")
	if err != nil {
		panic(err)
	}
	c := u.Clone()
	c.SetPathname("/b")
	fmt.Println(u, c)
	// Output:
	// https://example.com/a https://example.com/b
}

func ExampleURL_MarshalJSON() {
	u, err := url.Parse("https://example.com/a b")
	if err != nil {
		panic(err)
	}
	b, err := json.Marshal(map[string]*url.URL{"link": u})
	if err != nil {
		panic(err)
	}
	fmt.Println(string(b))
	// Output:
	// {"link":"https://example.com/a%20b"}
}

func ExampleURL_MarshalText() {
	u, err := url.Parse("https://example.com/")
	if err != nil {
		panic(err)
	}
	text, err := u.MarshalText()
	if err != nil {
		panic(err)
	}
	fmt.Println(string(text))
	// Output:
	// https://example.com/
}

func ExampleURL_UnmarshalText() {
	var cfg struct {
		Endpoint *url.URL `json:"endpoint"`
	}
	if err := json.Unmarshal([]byte(`{"endpoint":"HTTPS://API.example.com:443/v1/"}`), &cfg); err != nil {
		panic(err)
	}
	fmt.Println(cfg.Endpoint)
	err := json.Unmarshal([]byte(`{"endpoint":"not a url"}`), &cfg)
	fmt.Println(errors.Is(err, url.ErrInvalidURL))
	// Output:
	// https://api.example.com/v1/
	// true
}

func ExampleFromNetURL() {
	n, err := neturl.Parse("HTTP://Bücher.example/a/../b")
	if err != nil {
		panic(err)
	}
	u, err := url.FromNetURL(n)
	if err != nil {
		panic(err)
	}
	fmt.Println(u)
	// Output:
	// http://xn--bcher-kva.example/b
}

func ExampleURL_NetURL() {
	u, err := url.Parse("https://user@example.com/a%20b?q=1#frag")
	if err != nil {
		panic(err)
	}
	n := u.NetURL()
	fmt.Println(n.Scheme, n.User.Username(), n.Host, n.Path, n.RawQuery, n.Fragment)
	fmt.Println(n)
	// Output:
	// https user example.com /a b q=1 frag
	// https://user@example.com/a%20b?q=1#frag
}

func ExampleOrigin() {
	a, err := url.Parse("https://example.com/page")
	if err != nil {
		panic(err)
	}
	o := a.Origin()
	fmt.Println(o.Opaque(), o.Scheme(), o.Host(), o.Port() == "")
	fmt.Println(o)
	// Output:
	// false https example.com true
	// https://example.com
}

func ExampleOrigin_Opaque() {
	u, err := url.Parse("file:///etc/hosts")
	if err != nil {
		panic(err)
	}
	fmt.Println(u.Origin().Opaque())
	// Output:
	// true
}

func ExampleOrigin_Scheme() {
	u, err := url.Parse("wss://chat.example.com/socket")
	if err != nil {
		panic(err)
	}
	fmt.Println(u.Origin().Scheme())
	// Output:
	// wss
}

func ExampleOrigin_Host() {
	u, err := url.Parse("http://[::1]:8080/")
	if err != nil {
		panic(err)
	}
	fmt.Println(u.Origin().Host())
	// Output:
	// [::1]
}

func ExampleOrigin_Port() {
	u, err := url.Parse("http://localhost:8080/")
	if err != nil {
		panic(err)
	}
	fmt.Println(u.Origin().Port())
	// Output:
	// 8080
}

func ExampleOrigin_String() {
	u, err := url.Parse("blob:https://example.com/550e8400-e29b-41d4-a716-446655440000")
	if err != nil {
		panic(err)
	}
	fmt.Println(u.Origin().String())
	// Output:
	// https://example.com
}

func ExampleOrigin_SameOrigin() {
	a, _ := url.Parse("https://example.com/a")
	b, _ := url.Parse("https://EXAMPLE.com:443/b?c")
	c, _ := url.Parse("http://example.com/")
	fmt.Println(a.Origin().SameOrigin(b.Origin()))
	fmt.Println(a.Origin().SameOrigin(c.Origin()))
	// Output:
	// true
	// false
}

func ExampleDomainToASCII() {
	ascii, err := url.DomainToASCII("Bücher.example")
	if err != nil {
		panic(err)
	}
	fmt.Println(ascii)
	_, err = url.DomainToASCII("bad host")
	fmt.Println(err)
	// Output:
	// xn--bcher-kva.example
	// url: invalid URL: domain "bad host": domain-invalid-code-point
}

func ExampleDomainToUnicode() {
	s, err := url.DomainToUnicode("xn--bcher-kva.example")
	if err != nil {
		panic(err)
	}
	fmt.Println(s)
	// Output:
	// bücher.example
}
