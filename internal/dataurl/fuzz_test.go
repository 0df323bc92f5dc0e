package dataurl

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
)

// FuzzForgivingBase64 checks ForgivingBase64Decode against encoding/base64:
// canonical padded base64 (what StdEncoding.Strict accepts) decodes to the
// same bytes, so does its unpadded form, anything decoded re-encodes to a
// string that decodes back the same, and nothing panics.
func FuzzForgivingBase64(f *testing.F) {
	for _, s := range []string{"", "abcd", " abcd", "ab==", "abc=", "a", "ab=c", "SGVsbG8gV29ybGQh", "\f\t\n\r ab", "ab\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ForgivingBase64Decode(s)

		// StdEncoding skips CR and LF, which forgiving-base64 also drops
		// (with the rest of ASCII whitespace); compare only inputs free
		// of them.
		if !strings.ContainsAny(s, "\r\n") {
			if want, stdErr := base64.StdEncoding.Strict().DecodeString(s); stdErr == nil {
				if err != nil {
					t.Fatalf("ForgivingBase64Decode(%q) failed (%v); StdEncoding gives %x", s, err, want)
				}
				if !bytes.Equal(want, got) {
					t.Fatalf("ForgivingBase64Decode(%q) = %x; StdEncoding gives %x", s, got, want)
				}
				raw := strings.TrimRight(s, "=")
				if got2, err := ForgivingBase64Decode(raw); err != nil || !bytes.Equal(want, got2) {
					t.Fatalf("ForgivingBase64Decode(%q) = %x, %v; want %x", raw, got2, err, want)
				}
			}
		}
		if err != nil {
			return
		}
		enc := base64.StdEncoding.EncodeToString(got)
		if again, err := ForgivingBase64Decode(enc); err != nil || !bytes.Equal(got, again) {
			t.Fatalf("round trip of %x through %q gave %x, %v", got, enc, again, err)
		}
	})
}
