// Package url is the browser's URL toolkit for Go: the WHATWG URL Standard's
// URL parser and URL class (new URL(...)), URLSearchParams, the
// application/x-www-form-urlencoded parser and serializer, and
// ECMAScript's encodeURI, encodeURIComponent, decodeURI and
// decodeURIComponent. It follows the URL Standard exactly
// (https://url.spec.whatwg.org/): it passes every case of the
// web-platform-tests data urltestdata.json, setters_tests.json,
// toascii.json, percent-encoding.json (UTF-8), urlencoded-parser-data.json
// and the URLSearchParams tests.
//
// Unlike net/url, which follows RFC 3986, it parses the way browsers do:
// special schemes (http, https, ws, wss, ftp, file) with default ports,
// backslashes and missing slashes, "." and ".." path segments, IDNA for
// hosts (through golang.org/x/net/idna, configured as the standard's
// "domain to ASCII"), IPv4 addresses in every notation browsers accept
// (decimal, octal, hexadecimal, fewer than four parts), compressed IPv6
// serialization, opaque hosts and paths, file URLs with Windows drive
// letters, and the standard's percent-encode sets. Two URLs that a browser
// considers equal serialize to the same string here.
//
// The package is named like net/url; inside a file that needs both, import
// the standard library's as neturl:
//
//	import (
//		neturl "net/url"
//
//		"github.com/webnet-go/webnet/url"
//	)
//
// [URL.NetURL] and [FromNetURL] convert between the two.
//
// # URLs
//
// [Parse] and [ParseWithBase] are new URL(input) and new URL(input, base);
// [URL.Parse] resolves a reference against an existing URL. They fail with
// an error wrapping [ErrInvalidURL] that names the validation error of the
// URL Standard that made the parse fail:
//
//	u, err := url.ParseWithBase("../img/logo.png", "https://example.com/blog/post")
//	// u.Href() == "https://example.com/img/logo.png"
//
//	_, err = url.Parse("http://[::1")
//	// err: url: invalid URL "http://[::1": IPv6-unclosed
//
// A [URL] stores its serialization and the offsets of its components, so
// [URL.Href] and the other getters return substrings without allocating,
// and parsing a typical absolute https URL takes one or two allocations.
// The setters run the spec's setter algorithms: a value the algorithm
// rejects leaves the URL as it was, as in the browser, and only
// [URL.SetHref] reports an error (the JavaScript setter throws).
//
// # SearchParams
//
// [SearchParams] is URLSearchParams: an ordered list of name-value pairs
// read and written as application/x-www-form-urlencoded. [NewSearchParams],
// [NewSearchParamsFromPairs] and [NewSearchParamsFromMap] build free-standing
// lists; [URL.SearchParams] returns the live view of a URL's query, which
// rewrites the URL on every change and is re-read when the URL's query
// changes. [ParseURLEncoded] and [SerializeURLEncoded] are the standard's
// urlencoded parser and serializer, and a *SearchParams is a fetch body
// (its ExtractBody method) with the type
// "application/x-www-form-urlencoded;charset=UTF-8".
//
// # ECMAScript helpers
//
// [EncodeURI], [EncodeURIComponent], [DecodeURI] and [DecodeURIComponent]
// are the ECMAScript global functions, with their exact reserved and
// unescaped sets; they fail with an error wrapping [ErrURIError] where
// JavaScript throws a URIError. Use them to build a URL string by hand;
// prefer [URL] and [SearchParams], which encode per component.
//
// # JavaScript to Go
//
//	JavaScript                          Go
//	new URL(input)                      url.Parse(input)
//	new URL(input, base)                url.ParseWithBase(input, base) or base.Parse(input)
//	URL.parse(input, base)              url.ParseWithBase (nil on error)
//	URL.canParse(input[, base])         url.CanParse(input), url.CanParseWithBase(input, base)
//	url.href / url.toString()           u.Href(), u.String()
//	url.href = s                        err := u.SetHref(s)
//	url.toJSON(), JSON.stringify(url)   u.MarshalJSON(), json.Marshal(u)
//	url.origin                          u.Origin().String() (u.Origin() is the tuple)
//	url.protocol / url.protocol = s     u.Protocol() / u.SetProtocol(s)
//	url.username, url.password          u.Username(), u.Password(), u.SetUsername, u.SetPassword
//	url.host, url.hostname, url.port    u.Host(), u.Hostname(), u.Port(), u.SetHost, u.SetHostname, u.SetPort
//	url.pathname                        u.Pathname(), u.SetPathname
//	url.search, url.hash                u.Search(), u.Hash(), u.SetSearch, u.SetHash
//	url.searchParams                    u.SearchParams()
//	new URLSearchParams("a=1&b=2")      url.NewSearchParams("a=1&b=2")
//	new URLSearchParams([["a","1"]])    url.NewSearchParamsFromPairs([][2]string{{"a", "1"}})
//	new URLSearchParams({a: "1"})       url.NewSearchParamsFromMap(map[string]string{"a": "1"})
//	params.append/delete/get/getAll     p.Append, p.Delete, p.Get, p.GetAll
//	params.has/set/sort/size            p.Has, p.Set, p.Sort, p.Size()
//	params.toString()                   p.String()
//	for (const [k, v] of params)        for k, v := range p.All()
//	params.keys(), params.values()      p.Keys(), p.Values()
//	encodeURI, encodeURIComponent       url.EncodeURI, url.EncodeURIComponent
//	decodeURI, decodeURIComponent       url.DecodeURI, url.DecodeURIComponent
//	TypeError from new URL              error wrapping url.ErrInvalidURL
//	URIError                            error wrapping url.ErrURIError
//	Node's url.domainToASCII/Unicode    url.DomainToASCII, url.DomainToUnicode
//
// # Deviations from the URL Standard
//
// Go mechanics replace JavaScript ones where the two differ:
//
//   - Strings: the standard's algorithms take scalar value strings; a Go
//     string may hold any bytes. Each byte of input that is not part of
//     valid UTF-8 is taken as U+FFFD before parsing, as ranging over the
//     string would yield it. (SearchParams converts its arguments as WebIDL
//     converts a USVString; see its documentation.)
//   - Errors: a parse failure is an error value naming the validation error,
//     not a thrown TypeError. The non-fatal validation errors are not
//     reported.
//   - Encodings: the parser always uses UTF-8; the legacy encodings an HTML
//     document can select for its query strings are not supported.
//   - Origins: [Origin] is a value, so an opaque origin cannot carry the
//     identity HTML gives it; [Origin.SameOrigin] is false for any two opaque
//     origins. Blob URL entries do not exist outside a browser, so a "blob:"
//     URL's origin comes from the URL in its path (http and https only). A
//     file URL's origin, which the standard leaves to the implementation, is
//     opaque.
//   - IDNA data: before Go 1.27, golang.org/x/net/idna runs on its Unicode
//     15.0 tables, while the standard follows the current UTS #46. The
//     package maps the 71 code points of Unicode 15.0 whose IDNA mapping
//     changed since (for example U+1E9E ẞ, which now maps to ß, and
//     U+180E, which is now ignored) as the current tables do. Two
//     differences remain until x/net/idna uses newer tables: U+1806 MONGOLIAN
//     TODO SOFT HYPHEN, valid since Unicode 16, is rejected, and so are code
//     points first assigned after Unicode 15.0.
//   - ASCII domains take the fast path the standard describes for "domain
//     to ASCII": an all-ASCII domain is only lower-cased and checked for
//     forbidden code points, without UTS #46 validation of "xn--" labels, as
//     the web-platform-tests expect ("xn--a" stays "xn--a").
//   - Conversions to net/url: net/url cannot express an empty fragment or an
//     empty host with an empty path, and writes some percent-encodings
//     differently; see [URL.NetURL].
//   - SearchParams: [NewSearchParamsFromMap] orders pairs by sorted key,
//     since a Go map has no insertion order; [SearchParams.Get] reports
//     absence with false instead of null; [SearchParams.Delete] and
//     [SearchParams.Has] take the optional value as a variadic argument.
//   - ECMAScript helpers: a Go string that is not valid UTF-8 stands for a
//     JavaScript string with a lone surrogate, so [EncodeURI] and
//     [EncodeURIComponent] reject it with [ErrURIError]; [DecodeURI] and
//     [DecodeURIComponent] copy bytes outside escapes unchanged, as
//     JavaScript copies a lone surrogate.
//
// # Concurrency
//
// A [URL] and a [SearchParams] are plain data, like net/url's URL and
// net/http's Header: they are not safe for concurrent mutation. Setters,
// SetHref, UnmarshalText and every mutation of a URL's live SearchParams
// (which writes the URL) need exclusive access; getters may run concurrently
// with each other, except [URL.SearchParams], which creates the live
// SearchParams on its first call. Neither type may be copied by value after
// first use (go vet's copylocks check catches copies); use [URL.Clone]. The
// package's functions keep no mutable state and are safe for concurrent use.
package url
