package url

import (
	neturl "net/url"
	"testing"

	"github.com/webnet-go/webnet/bench/url/corpus"
)

// benchCorpus returns the shared benchmark corpus (see package corpus),
// keeping the URLs this package accepts too.
func benchCorpus(n int) []string {
	var out []string
	for _, s := range corpus.Generate(n) {
		if CanParse(s) {
			out = append(out, s)
		}
	}
	return out
}

var benchSink string

// BenchmarkParseHref measures Parse followed by Href over the corpus; compare
// it with BenchmarkNetURLParseString from the same run.
func BenchmarkParseHref(b *testing.B) {
	corpus := benchCorpus(1000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		u, err := Parse(corpus[i%len(corpus)])
		if err != nil {
			b.Fatal(err)
		}
		benchSink = u.Href()
	}
}

// BenchmarkNetURLParseString is the baseline: net/url.Parse and String over
// the same corpus.
func BenchmarkNetURLParseString(b *testing.B) {
	corpus := benchCorpus(1000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		u, err := neturl.Parse(corpus[i%len(corpus)])
		if err != nil {
			b.Fatal(err)
		}
		benchSink = u.String()
	}
}

// typicalURL is a typical absolute https URL for the allocation target.
const typicalURL = "https://www.example.com/products/item-42?color=blue&size=m#reviews"

// BenchmarkParseTypical measures one typical absolute https URL; the target
// is at most 3 allocations.
func BenchmarkParseTypical(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		u, err := Parse(typicalURL)
		if err != nil {
			b.Fatal(err)
		}
		benchSink = u.Href()
	}
}

// BenchmarkNetURLParseTypical is the baseline for BenchmarkParseTypical.
func BenchmarkNetURLParseTypical(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		u, err := neturl.Parse(typicalURL)
		if err != nil {
			b.Fatal(err)
		}
		benchSink = u.String()
	}
}

// BenchmarkParseWithBase measures relative resolution.
func BenchmarkParseWithBase(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		u, err := ParseWithBase("../images/photo.jpg?size=large", "https://www.example.com/articles/2024/post.html")
		if err != nil {
			b.Fatal(err)
		}
		benchSink = u.Href()
	}
}

// BenchmarkNetURLResolveReference is the baseline for BenchmarkParseWithBase.
func BenchmarkNetURLResolveReference(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		base, err := neturl.Parse("https://www.example.com/articles/2024/post.html")
		if err != nil {
			b.Fatal(err)
		}
		ref, err := neturl.Parse("../images/photo.jpg?size=large")
		if err != nil {
			b.Fatal(err)
		}
		benchSink = base.ResolveReference(ref).String()
	}
}

// BenchmarkCanParse measures CanParse over the corpus.
func BenchmarkCanParse(b *testing.B) {
	corpus := benchCorpus(1000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if !CanParse(corpus[i%len(corpus)]) {
			b.Fatal("CanParse false")
		}
	}
}

// TestParseTypicalAllocations holds the allocation target as a test, so it
// cannot regress unnoticed.
func TestParseTypicalAllocations(t *testing.T) {
	tests := []struct {
		in  string
		max float64
	}{
		{typicalURL, 3},
		{"http://example.com/", 3},
		{"https://user:pw@api.example.com:8443/v1/items/7?fields=a,b#x", 3},
		{"https://ru.wikipedia.org/wiki/Тест", 3}, // path percent-encoded
		// Upper-case host and a dot segment: one copy each.
		{"https://EXAMPLE.com/a/./b?x=1", 4},
	}
	for _, tt := range tests {
		n := testing.AllocsPerRun(100, func() {
			u, err := Parse(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			benchSink = u.Href()
		})
		if n > tt.max {
			t.Errorf("Parse(%q): %v allocations, want at most %v", tt.in, n, tt.max)
		}
	}
}
