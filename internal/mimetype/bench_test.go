package mimetype

import (
	"mime"
	"testing"
)

// The Content-Type values of typical responses. The baseline is the
// standard library's mime.ParseMediaType, which parses by RFC 2045 rules
// into a map.
var benchInputs = []string{
	"application/json",
	"text/html; charset=utf-8",
	`multipart/form-data; boundary="----WebKitFormBoundary7MA4YWxkTrZu0gW"`,
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range benchInputs {
			if _, ok := Parse(s); !ok {
				b.Fatal("parse failed")
			}
		}
	}
}

func BenchmarkStdlibParseMediaType(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range benchInputs {
			if _, _, err := mime.ParseMediaType(s); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkExtract(b *testing.B) {
	values := []string{"text/html; charset=utf-8"}
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := Extract(values); !ok {
			b.Fatal("extract failed")
		}
	}
}

func BenchmarkString(b *testing.B) {
	m, ok := Parse(`text/html;charset=utf-8;x="a b"`)
	if !ok {
		b.Fatal("parse failed")
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = m.String()
	}
}
