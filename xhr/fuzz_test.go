package xhr

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzDecodeText checks the decoder over arbitrary bytes: the output is
// valid UTF-8, valid input comes back unchanged, and decoding the output
// again changes nothing.
func FuzzDecodeText(f *testing.F) {
	for _, s := range []string{"", "abc", "\xE3\x81", "\xED\xA0\x80", "\xF0\x90\x80\x80", "\xEF\xBB\xBFx", "\xFE\xFF\x00a", "\xFF\xFEa\x00\xD8"} {
		f.Add([]byte(s), "utf-8")
	}
	f.Add([]byte("\x80\x81"), "windows-1252")
	f.Add([]byte("\x82\xa0"), "shift_jis")
	f.Fuzz(func(t *testing.T, b []byte, label string) {
		enc, ok := encodingFor(label)
		if !ok {
			enc = utf8Encoding
		}
		out := decodeText(b, enc)
		if !utf8.ValidString(out) {
			t.Fatalf("decodeText(%q, %s) = %q: not UTF-8", b, enc.Name, out)
		}
		// Decoding as UTF-8 (the fallback, or chosen by a byte order
		// mark) leaves valid input as it is.
		if sniffed, n := bomEncoding(b, enc); sniffed.Enc == nil && utf8.Valid(b[n:]) && out != string(b[n:]) {
			t.Fatalf("decodeText(%q, %s) = %q: valid UTF-8 changed", b, enc.Name, out)
		}
		// The output decoded again as UTF-8 is itself, unless it starts
		// with U+FEFF, which decoding takes for a byte order mark.
		if !strings.HasPrefix(out, "\uFEFF") {
			if again := decodeText([]byte(out), utf8Encoding); again != out {
				t.Fatalf("decodeText(%q, %s) = %q, which decodes again to %q", b, enc.Name, out, again)
			}
		}
		_, _ = xmlDeclaredEncoding(b)
		_, _ = htmlPrescanEncoding(b)
		_ = charsetFromMetaContent(string(b))
	})
}

// FuzzParseXMLDocument checks that a parsed XML document serializes to
// markup that parses to the same serialization.
func FuzzParseXMLDocument(f *testing.F) {
	for _, s := range []string{
		`<a/>`, `<?xml version="1.0"?><a b="c">d<e/>&amp;</a>`, `<!DOCTYPE a><a><!--x--></a>`,
		`<r xmlns="urn:d" xmlns:p="urn:p"><p:c p:at="1"/><c/></r>`, `<a><![CDATA[<x>]]></a>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		doc, err := ParseDocument(s, "application/xml")
		if err != nil {
			return
		}
		out := doc.String()
		again, err := ParseDocument(out, "application/xml")
		if err != nil {
			t.Fatalf("serialization %q of %q does not parse: %v", out, s, err)
		}
		if out2 := again.String(); out2 != out {
			t.Fatalf("unstable serialization of %q: %q then %q", s, out, out2)
		}
	})
}
