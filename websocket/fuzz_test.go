package websocket

import (
	"errors"
	"strings"
	"testing"
)

// FuzzGetURLRecord checks the constructor's URL step: it either fails
// with ErrSyntax, or gives a ws: or wss: URL without a fragment whose
// serialization gets the same record again, with a valid port.
func FuzzGetURLRecord(f *testing.F) {
	for _, s := range []string{
		"ws://example.com/chat", "https://example.com:8443/x?y#z", "http://[::1]:80/", "wss://h/#",
		"ftp://h/", "ws://foo bar/", "WS://EXAMPLE.COM/%23", "ws://user:pass@h:65535/p?q", "test",
	} {
		f.Add(s, "")
		f.Add(s, "http://example.com/base/")
	}
	f.Fuzz(func(t *testing.T, input, base string) {
		rec, err := getURLRecord(input, base)
		if err != nil {
			if !errors.Is(err, ErrSyntax) {
				t.Fatalf("getURLRecord(%q, %q): error %v does not wrap ErrSyntax", input, base, err)
			}
			return
		}
		if !strings.HasPrefix(rec.href, "ws://") && !strings.HasPrefix(rec.href, "wss://") {
			t.Fatalf("getURLRecord(%q, %q) = %q: not ws or wss", input, base, rec.href)
		}
		if strings.Contains(rec.href, "#") {
			t.Fatalf("getURLRecord(%q, %q) = %q: has a fragment", input, base, rec.href)
		}
		if rec.port < 0 || rec.port > 65535 {
			t.Fatalf("getURLRecord(%q, %q): port %d", input, base, rec.port)
		}
		again, err := getURLRecord(rec.href, "")
		if err != nil || again != rec {
			t.Fatalf("getURLRecord(%q) = %+v, %v; want %+v", rec.href, again, err, rec)
		}
	})
}

// FuzzCheckProtocols compares the subprotocol check with a plain
// restatement of the rule.
func FuzzCheckProtocols(f *testing.F) {
	f.Add("chat", "superchat")
	f.Add("echo", "eCho")
	f.Add("a b", "")
	f.Add("\u0080", "x")
	f.Fuzz(func(t *testing.T, a, b string) {
		err := checkProtocols([]string{a, b})
		const tchar = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		token := func(s string) bool {
			if s == "" {
				return false
			}
			for _, c := range []byte(s) {
				if !strings.ContainsRune(tchar, rune(c)) {
					return false
				}
			}
			return true
		}
		want := token(a) && token(b) && !strings.EqualFold(a, b)
		if (err == nil) != want {
			t.Fatalf("checkProtocols(%q, %q) = %v, want ok=%v", a, b, err, want)
		}
	})
}
