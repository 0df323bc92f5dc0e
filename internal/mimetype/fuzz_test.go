package mimetype

import (
	"strings"
	"testing"
)

// FuzzParse checks that serialization is a fixed point: whatever Parse
// accepts serializes to a string that parses again to the same
// serialization, and the same holds for Extract's byte-wise reading.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"text/html;charset=gbk",
		`text/html;charset="gbk(";x="a\"b\\c"`,
		"x/x;test=\xff;x=x",
		"x/x;x=ÿ;y=€",
		"\n\r\t x/x;x=x\n\r\t ",
		`a/b;x="unterminated\`,
		"multipart/form-data; boundary=----x",
		"text/plain;charset=gbk, text/plain",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, isomorphic := range []bool{false, true} {
			m, ok := parse(s, isomorphic)
			if !ok {
				continue
			}
			out := m.String()
			m2, ok := parse(out, isomorphic)
			if !ok {
				t.Fatalf("parse(%q, %v) serialized to %q, which does not parse", s, isomorphic, out)
			}
			if out2 := m2.String(); out2 != out {
				t.Fatalf("parse(%q, %v): %q reserialized to %q", s, isomorphic, out, out2)
			}
			if m.Type != strings.ToLower(m.Type) || m.Subtype != strings.ToLower(m.Subtype) {
				t.Fatalf("parse(%q): type/subtype not lower-case: %q", s, out)
			}
		}
		// Extract must never panic, and what it returns is a fixed point
		// of the byte-wise parser too.
		if m, ok := Extract(strings.Split(s, "\n")); ok {
			out := m.String()
			if m2, ok := parse(out, true); !ok || m2.String() != out {
				t.Fatalf("Extract(%q) = %q, which does not reparse to itself", s, out)
			}
		}
	})
}
