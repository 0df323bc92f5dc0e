// Package corpus generates the deterministic URL corpus that webnet's URL
// benchmarks share: the url package's Benchmark functions and the
// bench/url harness, which also feeds it to Node's new URL.
package corpus

import (
	"math/rand/v2"
	neturl "net/url"
	"strconv"
	"strings"
)

// Generate returns n URLs drawn from a fixed seed, so every run measures
// the same input: mostly http(s) with a spread of what real pages hold
// (upper-case schemes and hosts, internationalized hosts, IPv4 and IPv6
// literals, ports, credentials, percent-encoded and non-ASCII paths, dot
// segments, queries, fragments) plus ws, ftp, file, mailto, data and
// non-special schemes. Every URL is accepted by net/url (and by
// webnet's url package), so the parsers compared see the same work.
func Generate(n int) []string {
	rng := rand.New(rand.NewPCG(2024, 11))
	pick := func(xs ...string) string { return xs[rng.IntN(len(xs))] }
	words := []string{"index", "products", "item", "search", "api", "v1", "v2", "users", "profile",
		"images", "static", "css", "js", "article", "2024", "news", "blog", "post", "docs", "en-US",
		"download", "file.tar.gz", "photo.jpg", "page.html", "wiki", "category", "tag", "login"}
	domains := []string{"example.com", "www.example.com", "javascript.info", "google.com",
		"api.github.com", "cdn.jsdelivr.net", "en.wikipedia.org", "ru.wikipedia.org", "news.ycombinator.com",
		"static.example.co.uk", "sub.domain.example.org", "localhost", "my-service.internal"}
	idn := []string{"bücher.de", "пример.рф", "例え.jp", "münchen.de", "españa.com", "δοκιμή.gr",
		"xn--bcher-kva.de", "BÜCHER.de"}
	var out []string
	for len(out) < n {
		var b strings.Builder
		kind := rng.IntN(100)
		switch {
		case kind < 88: // http(s), ws(s)
			scheme := pick("https", "https", "https", "http", "http", "wss", "ws", "HTTPS")
			b.WriteString(scheme + "://")
			if rng.IntN(40) == 0 {
				b.WriteString(pick("user", "admin", "john.doe") + ":" + pick("secret", "p%40ss", "pw") + "@")
			}
			switch h := rng.IntN(100); {
			case h < 10:
				b.WriteString(pick(idn...))
			case h < 15:
				b.WriteString(strconv.Itoa(rng.IntN(256)) + "." + strconv.Itoa(rng.IntN(256)) + ".0." + strconv.Itoa(1+rng.IntN(254)))
			case h < 18:
				b.WriteString(pick("[::1]", "[2001:db8::1]", "[2607:f8b0:4005:802::1007]", "[fe80:0:0:0:200:f8ff:fe21:67cf]"))
			case h < 23:
				b.WriteString(strings.ToUpper(pick(domains...)))
			default:
				b.WriteString(pick(domains...))
			}
			if rng.IntN(8) == 0 {
				b.WriteString(":" + pick("8080", "443", "80", "3000", "8443"))
			}
			segs := rng.IntN(6)
			for range segs {
				b.WriteByte('/')
				switch s := rng.IntN(30); {
				case s == 0:
					b.WriteString("..")
				case s == 1:
					b.WriteString(".")
				case s < 4:
					b.WriteString(pick("Тест", "привет", "日本語", "café", "naïve"))
				case s < 7:
					b.WriteString(pick("hello%20world", "%E2%82%AC100", "a%2Fb", "50%25"))
				case s < 8:
					b.WriteString(pick("with space", "quote\"s", "a|b", "{x}"))
				default:
					b.WriteString(pick(words...))
				}
			}
			if segs == 0 && rng.IntN(2) == 0 {
				b.WriteByte('/')
			}
			if rng.IntN(2) == 0 {
				b.WriteByte('?')
				for i := range 1 + rng.IntN(4) {
					if i > 0 {
						b.WriteByte('&')
					}
					b.WriteString(pick("q", "id", "page", "utm_source", "lang", "sort", "filter") + "=")
					b.WriteString(pick("JavaScript", "42", "test+me%21", "ru", "desc", "a%3Ab", "Тест", "x y"))
				}
			}
			if rng.IntN(5) == 0 {
				b.WriteString("#" + pick("top", "section-2", "reviews", "L10-L20", "%C3%A9t%C3%A9"))
			}
		case kind < 91:
			b.WriteString("ftp://" + pick(domains...) + "/pub/" + pick(words...))
		case kind < 94:
			b.WriteString("file:///" + pick("home/user/", "C:/Users/me/", "etc/") + pick(words...))
		case kind < 96:
			b.WriteString("mailto:" + pick("someone", "a.b") + "@" + pick(domains...) + "?subject=" + pick("hi", "Hello%20there"))
		case kind < 98:
			b.WriteString("data:text/plain;base64,SGVsbG8sIFdvcmxkIQ==")
		default:
			b.WriteString(pick("git+ssh", "web+demo", "urn") + ":" + pick("//git.example.com/repo.git", "isbn:0451450523", "/path/x"))
		}
		s := b.String()
		if _, err := neturl.Parse(s); err != nil {
			continue
		}
		out = append(out, s)
	}
	return out
}
