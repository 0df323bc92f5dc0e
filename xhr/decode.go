package xhr

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"

	"github.com/webnet-go/webnet/internal/mimetype"
	"github.com/webnet-go/webnet/internal/textenc"
)

// lookupEncoding is the Encoding Standard's "get an encoding": it returns
// the encoding for label and its canonical name, or nil when the label is
// unknown. A nil encoding with name "UTF-8" is returned for UTF-8, which
// decodeText handles itself.
//
// Spec: https://encoding.spec.whatwg.org/#concept-encoding-get
func lookupEncoding(label string) (encoding.Encoding, string) {
	e, name := charset.Lookup(label)
	if e == nil {
		return nil, ""
	}
	if name == "utf-8" {
		return nil, "UTF-8"
	}
	return e, name
}

// textEncoding is an encoding chosen for decoding: Name is its canonical
// name ("UTF-8" for UTF-8), Enc nil for UTF-8.
type textEncoding struct {
	Enc  encoding.Encoding
	Name string
}

var utf8Encoding = textEncoding{Name: "UTF-8"}

// encodingFor returns the encoding of label, and false when the label is
// not one the Encoding Standard knows.
func encodingFor(label string) (textEncoding, bool) {
	e, name := lookupEncoding(label)
	if name == "" {
		return textEncoding{}, false
	}
	return textEncoding{Enc: e, Name: name}, true
}

// decodeText is the Encoding Standard's "decode": a byte order mark
// (UTF-8 EF BB BF, UTF-16BE FE FF, UTF-16LE FF FE) selects the encoding and
// is removed once; otherwise fallback decodes b. Invalid input becomes
// U+FFFD.
//
// Spec: https://encoding.spec.whatwg.org/#decode
func decodeText(b []byte, fallback textEncoding) string {
	enc, bom := bomEncoding(b, fallback)
	b = b[bom:]
	if enc.Enc == nil {
		return textenc.UTF8DecodeWithoutBOM(b)
	}
	if len(b) == 0 {
		return "" // even the replacement decoder outputs nothing
	}
	// The decoders of x/text replace invalid input with U+FFFD instead
	// of failing, so the error is always nil.
	out, _ := enc.Enc.NewDecoder().Bytes(b)
	return string(out)
}

// bomEncoding is the Encoding Standard's "BOM sniff": it returns the
// encoding a byte order mark at the start of b selects (UTF-8 EF BB BF,
// UTF-16BE FE FF, UTF-16LE FF FE) and the length of the mark, or enc and 0
// when b starts with none.
//
// Spec: https://encoding.spec.whatwg.org/#bom-sniff
func bomEncoding(b []byte, enc textEncoding) (textEncoding, int) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return utf8Encoding, 3
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		e, _ := encodingFor("utf-16be")
		return e, 2
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		e, _ := encodingFor("utf-16le")
		return e, 2
	}
	return enc, 0
}

// finalEncoding is the XMLHttpRequest Standard's "get a final encoding":
// the encoding named by the override MIME type's charset, else by the
// response MIME type's charset; false when neither names a known encoding.
//
// Spec: https://xhr.spec.whatwg.org/#final-charset
func finalEncoding(responseMIME, override *mimetype.MIMEType) (textEncoding, bool) {
	label, have := "", false
	if responseMIME != nil {
		label, have = responseMIME.Param("charset")
	}
	if override != nil {
		if l, ok := override.Param("charset"); ok {
			label, have = l, true
		}
	}
	if !have {
		return textEncoding{}, false
	}
	return encodingFor(label)
}

// xmlDeclaredEncoding returns the encoding named by the encoding
// declaration of an XML document that starts with "<?xml", as the XML
// specification's autodetection finds it for ASCII-compatible input, and
// false when there is none or it is unknown. (A byte order mark, which
// takes precedence, is handled by decodeText.)
//
// Spec: https://www.w3.org/TR/xml/#sec-guessing
func xmlDeclaredEncoding(b []byte) (textEncoding, bool) {
	if !bytes.HasPrefix(b, []byte("<?xml")) || len(b) < 6 || !isXMLSpace(b[5]) {
		return textEncoding{}, false
	}
	end := bytes.Index(b, []byte("?>"))
	if end < 0 {
		return textEncoding{}, false
	}
	decl := b[5:end]
	i := bytes.Index(decl, []byte("encoding"))
	if i < 0 {
		return textEncoding{}, false
	}
	rest := bytes.TrimLeftFunc(decl[i+len("encoding"):], func(r rune) bool { return r < 0x80 && isXMLSpace(byte(r)) })
	if len(rest) == 0 || rest[0] != '=' {
		return textEncoding{}, false
	}
	rest = bytes.TrimLeftFunc(rest[1:], func(r rune) bool { return r < 0x80 && isXMLSpace(byte(r)) })
	if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
		return textEncoding{}, false
	}
	q := rest[0]
	endq := bytes.IndexByte(rest[1:], q)
	if endq < 0 {
		return textEncoding{}, false
	}
	return encodingFor(string(rest[1 : 1+endq]))
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// htmlPrescanEncoding runs the HTML Standard's prescan over the first 1024
// bytes of b, looking for a <meta charset> or a <meta http-equiv
// content="...charset=..."> declaration, and returns the encoding found.
// As the spec says, a UTF-16 label found by the prescan means UTF-8, and
// x-user-defined means windows-1252.
//
// Spec: https://html.spec.whatwg.org/multipage/parsing.html#prescan-a-byte-stream-to-determine-its-encoding
func htmlPrescanEncoding(b []byte) (textEncoding, bool) {
	if len(b) > 1024 {
		b = b[:1024]
	}
	z := html.NewTokenizer(bytes.NewReader(b))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return textEncoding{}, false
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if string(name) != "meta" {
				continue
			}
			var label, content string
			var httpEquivContentType bool
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				switch string(k) {
				case "charset":
					if label == "" {
						label = string(v)
					}
				case "http-equiv":
					httpEquivContentType = strings.EqualFold(string(v), "content-type")
				case "content":
					content = string(v)
				}
			}
			if label == "" && httpEquivContentType {
				label = charsetFromMetaContent(content)
			}
			if label == "" {
				continue
			}
			enc, ok := encodingFor(label)
			if !ok {
				continue
			}
			switch enc.Name {
			case "utf-16be", "utf-16le":
				enc = utf8Encoding
			case "x-user-defined":
				enc, _ = encodingFor("windows-1252")
			}
			return enc, true
		}
	}
}

// charsetFromMetaContent is the HTML Standard's "extract a character
// encoding from a meta element": the value after "charset=" in a content
// attribute, unquoted.
//
// Spec: https://html.spec.whatwg.org/multipage/urls-and-fetching.html#algorithm-for-extracting-a-character-encoding-from-a-meta-element
func charsetFromMetaContent(s string) string {
	// ASCII only, so that lower and s keep the same byte offsets
	// (strings.ToLower maps U+212A KELVIN SIGN, 3 bytes, to "k").
	lower := textenc.LowerASCII(s)
	for {
		i := strings.Index(lower, "charset")
		if i < 0 {
			return ""
		}
		lower, s = lower[i+len("charset"):], s[i+len("charset"):]
		t := strings.TrimLeft(s, "\t\n\f\r ")
		if !strings.HasPrefix(t, "=") {
			continue
		}
		t = strings.TrimLeft(t[1:], "\t\n\f\r ")
		if t == "" {
			return ""
		}
		if q := t[0]; q == '"' || q == '\'' {
			if end := strings.IndexByte(t[1:], q); end >= 0 {
				return t[1 : 1+end]
			}
			return ""
		}
		if end := strings.IndexAny(t, "\t\n\f\r ;"); end >= 0 {
			return t[:end]
		}
		return t
	}
}
