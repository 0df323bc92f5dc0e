package url

import (
	neturl "net/url"
	"testing"
)

// Each benchmark of this file has a net/url baseline beside it, so one
// `go test -bench Params -count 5` run gives both:
//
//	SearchParams Append+String  vs  Values.Add+Encode
//	SearchParams parse          vs  neturl.ParseQuery
//	SearchParams Sort+String    vs  Values.Encode (which sorts)
//	EncodeURIComponent          vs  neturl.QueryEscape
//	DecodeURIComponent          vs  neturl.QueryUnescape

// paramsBenchPairs is a realistic search form: short ASCII names, values with
// spaces, punctuation and some non-ASCII text.
var paramsBenchPairs = [][2]string{
	{"q", "test me!"}, {"tbs", "qdr:y"}, {"lang", "en"}, {"page", "2"},
	{"filter", "price<100 & rating>=4"}, {"city", "Москва"}, {"tag", "go"},
	{"tag", "url"}, {"sort", "relevance"}, {"utm_source", "newsletter"},
}

const paramsBenchQuery = "q=test+me%21&tbs=qdr%3Ay&lang=en&page=2&filter=price%3C100+%26+rating%3E%3D4" +
	"&city=%D0%9C%D0%BE%D1%81%D0%BA%D0%B2%D0%B0&tag=go&tag=url&sort=relevance&utm_source=newsletter"

const paramsBenchComponent = "price<100 & rating>=4 / Москва?"

func BenchmarkParamsAppendString(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		var p SearchParams
		for _, kv := range paramsBenchPairs {
			p.Append(kv[0], kv[1])
		}
		_ = p.String()
	}
}

func BenchmarkParamsNetURLAddEncode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		v := neturl.Values{}
		for _, kv := range paramsBenchPairs {
			v.Add(kv[0], kv[1])
		}
		_ = v.Encode()
	}
}

func BenchmarkParamsParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = NewSearchParams(paramsBenchQuery)
	}
}

func BenchmarkParamsNetURLParseQuery(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, _ = neturl.ParseQuery(paramsBenchQuery)
	}
}

func BenchmarkParamsSortString(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		p := NewSearchParamsFromPairs(paramsBenchPairs)
		p.Sort()
		_ = p.String()
	}
}

func BenchmarkParamsNetURLEncodeSorted(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		v := make(neturl.Values, len(paramsBenchPairs))
		for _, kv := range paramsBenchPairs {
			v[kv[0]] = append(v[kv[0]], kv[1])
		}
		_ = v.Encode()
	}
}

func BenchmarkParamsEncodeURIComponent(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, _ = EncodeURIComponent(paramsBenchComponent)
	}
}

func BenchmarkParamsNetURLQueryEscape(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = neturl.QueryEscape(paramsBenchComponent)
	}
}

func BenchmarkParamsDecodeURIComponent(b *testing.B) {
	enc, _ := EncodeURIComponent(paramsBenchComponent)
	b.ReportAllocs()
	for b.Loop() {
		_, _ = DecodeURIComponent(enc)
	}
}

func BenchmarkParamsNetURLQueryUnescape(b *testing.B) {
	enc := neturl.QueryEscape(paramsBenchComponent)
	b.ReportAllocs()
	for b.Loop() {
		_, _ = neturl.QueryUnescape(enc)
	}
}
