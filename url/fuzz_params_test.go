package url

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// FuzzURLEncoded checks that the application/x-www-form-urlencoded parser
// and serializer are stable: parse → serialize → parse gives the same
// pairs, and the serialization of those is a fixed point.
func FuzzURLEncoded(f *testing.F) {
	for _, s := range []string{
		"", "a=b&c=d", "&&a==b&", "a+b=c%20d", "%", "%zz%4", "%E2%82", "%ED%A0%80",
		"\xff=\xfe", "\xed\xa0\xbd", "?a=b", "é=💩&=&", "b=%2%2af%2a", "%F0%9F%92%A9%F0%9F",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p1 := ParseURLEncoded(s)
		for _, kv := range p1 {
			if !utf8.ValidString(kv[0]) || !utf8.ValidString(kv[1]) {
				t.Fatalf("ParseURLEncoded(%q) gave invalid UTF-8: %+q", s, kv)
			}
		}
		s2 := SerializeURLEncoded(p1)
		p2 := ParseURLEncoded(s2)
		if !reflect.DeepEqual(p1, p2) {
			t.Fatalf("unstable: %q → %+q → %q → %+q", s, p1, s2, p2)
		}
		if s3 := SerializeURLEncoded(p2); s3 != s2 {
			t.Fatalf("serialization not a fixed point: %q then %q", s2, s3)
		}
		for i := range len(s2) {
			if c := s2[i]; !formIsSafe(c) && !strings.ContainsRune("%+&=", rune(c)) {
				t.Fatalf("serialization %q holds %q", s2, c)
			}
		}
		// NewSearchParams is the same parser after one "?" is removed.
		p := NewSearchParams(s)
		if want := ParseURLEncoded(strings.TrimPrefix(s, "?")); !reflect.DeepEqual(want, paramsPairs(p)) {
			t.Fatalf("NewSearchParams(%q) = %+q, want %+q", s, paramsPairs(p), want)
		}
		// Sorting keeps every pair, orders names by UTF-16 code units and
		// keeps equal names in their order.
		sorted := slices.Clone(p.list)
		p.Sort()
		if len(p.list) != len(sorted) {
			t.Fatalf("Sort changed the size")
		}
		slices.SortStableFunc(sorted, func(a, b [2]string) int {
			return slices.Compare(utf16.Encode([]rune(a[0])), utf16.Encode([]rune(b[0])))
		})
		if !reflect.DeepEqual(sorted, p.list) {
			t.Fatalf("Sort of %q = %+q, want %+q", s, p.list, sorted)
		}
	})
}

// FuzzSearchParamsStrings feeds arbitrary names and values (ill-formed
// UTF-8 included) to the mutators: the list must hold valid UTF-8 and
// survive a serialize → parse round trip exactly.
func FuzzSearchParamsStrings(f *testing.F) {
	f.Add("a", "b", "c")
	f.Add("a b", "+%=&", "")
	f.Add("\xed\xa0\xbd", "\xff", "\xe2\x82")
	f.Add("\U0001F308", "\uFB03", "\x00")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		p := NewSearchParamsFromPairs([][2]string{{a, b}, {b, c}})
		p.Append(c, a)
		p.Set(b, a)
		p.Sort()
		for _, kv := range p.list {
			if !utf8.ValidString(kv[0]) || !utf8.ValidString(kv[1]) {
				t.Fatalf("invalid UTF-8 kept: %+q", kv)
			}
		}
		back := NewSearchParams(p.String())
		if !reflect.DeepEqual(paramsPairs(p), paramsPairs(back)) {
			t.Fatalf("round trip: %+q → %q → %+q", paramsPairs(p), p.String(), paramsPairs(back))
		}
		if got := SerializeURLEncoded(paramsPairs(p)); got != p.String() {
			t.Fatalf("SerializeURLEncoded = %q, String = %q", got, p.String())
		}
		if !p.Has(a) || !p.Has(b, a) {
			t.Fatalf("Has after Append/Set is false: %+q", paramsPairs(p))
		}
		p.Delete(b)
		if p.Has(b) {
			t.Fatalf("Has(%q) after Delete", b)
		}
	})
}

// FuzzECMAScriptURI checks that decoding reverses encoding for valid UTF-8,
// that the encoders only emit their unescaped sets and "%XX", and that the
// decoders never panic and, when they succeed on valid UTF-8, return valid
// UTF-8.
func FuzzECMAScriptURI(f *testing.F) {
	for _, s := range []string{
		"", "Rock&Roll", "http://site.com/привет", "%", "%E0%A4%A", "%ED%A0%80", "%F0%9F%92%A9",
		"%3B%2f", "a+b c", "\xff", "\xed\xa0\x80", "\U0010FFFF",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		comp, errComp := EncodeURIComponent(s)
		uri, errURI := EncodeURI(s)
		if valid := utf8.ValidString(s); (errComp == nil) != valid || (errURI == nil) != valid {
			t.Fatalf("encoding %q (valid UTF-8: %v): errors %v, %v", s, valid, errComp, errURI)
		}
		for _, enc := range []struct{ out, unescaped string }{
			{comp, testURIUnreserved}, {uri, testURIUnreserved + testURIReserved},
		} {
			for i := 0; i < len(enc.out); i++ {
				c := enc.out[i]
				switch {
				case strings.IndexByte(enc.unescaped, c) >= 0:
				case c == '%' && i+2 < len(enc.out) && strings.IndexByte(upperHex, enc.out[i+1]) >= 0 &&
					strings.IndexByte(upperHex, enc.out[i+2]) >= 0:
					i += 2
				default:
					t.Fatalf("encoding of %q = %q has %q at %d", s, enc.out, c, i)
				}
			}
		}
		if utf8.ValidString(s) {
			if got, err := DecodeURIComponent(comp); err != nil || got != s {
				t.Fatalf("DecodeURIComponent(EncodeURIComponent(%q)) = %q, %v", s, got, err)
			}
			if got, err := DecodeURI(uri); err != nil || got != s {
				t.Fatalf("DecodeURI(EncodeURI(%q)) = %q, %v", s, got, err)
			}
		}
		for _, decode := range []func(string) (string, error){DecodeURI, DecodeURIComponent} {
			got, err := decode(s)
			if err == nil && utf8.ValidString(s) && !utf8.ValidString(got) {
				t.Fatalf("decoding %q gave invalid UTF-8 %q", s, got)
			}
			if err != nil && got != "" {
				t.Fatalf("decoding %q failed but returned %q", s, got)
			}
		}
		// Both decoders fail on exactly the same inputs.
		_, errURI = DecodeURI(s)
		_, errComp = DecodeURIComponent(s)
		if (errURI == nil) != (errComp == nil) {
			t.Fatalf("DecodeURI(%q) error %v, DecodeURIComponent error %v", s, errURI, errComp)
		}
	})
}
