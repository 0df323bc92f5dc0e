package fetch

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/net/http/httpguts"
)

// otherCTL reports the bytes the Fetch Standard allows in a header value
// but httpguts.ValidHeaderFieldValue refuses: the control bytes other than
// NUL, tab, LF and CR (which both treat the same way), and DEL.
func otherCTL(v string) bool {
	for i := 0; i < len(v); i++ {
		switch b := v[i]; {
		case b == 0, b == '\t', b == '\n', b == '\r':
		case b < 0x20, b == 0x7f:
			return true
		}
	}
	return false
}

// FuzzHeaderValidation checks that Headers accepts exactly the names
// httpguts accepts, and the values httpguts accepts plus the documented
// difference (other control bytes, which the spec allows), after the
// spec's whitespace normalization; and that an accepted header reads back
// normalized, under a lower-case name, and converts to http.Header.
func FuzzHeaderValidation(f *testing.F) {
	for _, seed := range [][2]string{
		{"Content-Type", "text/plain"}, {"X-A", " padded\t"}, {"bad name", "v"}, {"", "v"},
		{"X-Nul", "a\x00b"}, {"X-Ctl", "a\x01b"}, {"X-Lf", "a\nb"}, {"X-Del", "\x7f"},
		{"X-Obs", "caf\xe9"}, {"é", "v"}, {"X-Empty", ""}, {"X-WS", "\r\n\t "},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, name, value string) {
		h := &Headers{}
		err := h.Append(name, value)
		normalized := strings.Trim(value, "\t\n\r ")
		wantName := httpguts.ValidHeaderFieldName(name)
		wantValue := httpguts.ValidHeaderFieldValue(normalized) || otherCTL(normalized) && !strings.ContainsAny(normalized, "\x00\r\n")
		if (err == nil) != (wantName && wantValue) {
			t.Fatalf("Append(%q, %q) = %v; httpguts name %v, value %v", name, value, err, wantName, wantValue)
		}
		if err != nil {
			if !errors.Is(err, ErrInvalidHeader) || !errors.Is(err, ErrTypeError) {
				t.Fatalf("error %v does not wrap ErrInvalidHeader and ErrTypeError", err)
			}
			if h.Has(name) {
				t.Fatalf("refused header %q is present", name)
			}
			return
		}
		got, ok := h.Get(strings.ToUpper(name))
		if !ok || got != normalized {
			t.Fatalf("Get(%q) = %q, %v; want %q", name, got, ok, normalized)
		}
		entries := 0
		for k, v := range h.All() {
			entries++
			if k != strings.ToLower(name) || v != normalized {
				t.Fatalf("All yields (%q, %q)", k, v)
			}
		}
		if entries != 1 {
			t.Fatalf("All yields %d entries, want 1", entries)
		}
		hh := h.HTTPHeader()
		if vs := hh.Values(name); len(vs) != 1 || vs[0] != normalized {
			t.Fatalf("HTTPHeader()[%q] = %q", name, vs)
		}
		if back := HeadersFromHTTP(hh, GuardNone); !back.Has(name) {
			t.Fatalf("HeadersFromHTTP lost %q", name)
		}
		if IsForbiddenRequestHeader(name, normalized) {
			r := &Headers{guard: GuardRequest}
			if err := r.Append(name, value); err != nil || r.Has(name) {
				t.Fatalf("request guard kept forbidden %q: %v", name, err)
			}
		}
	})
}

// FuzzSplitHeaderValue checks that splitting never panics and that the
// parts, re-joined, account for every byte outside the separators.
func FuzzSplitHeaderValue(f *testing.F) {
	for _, s := range []string{"", "a,b", `",TRACE",`, `"a\"b", c`, `"`, `\`, `"\`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		parts := splitHeaderValue(s)
		if len(parts) == 0 {
			t.Fatalf("no parts for %q", s)
		}
		n := 0
		for _, p := range parts {
			n += len(p)
		}
		if n > len(s) {
			t.Fatalf("parts of %q are longer than the input: %q", s, parts)
		}
	})
}
