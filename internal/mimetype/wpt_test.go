package mimetype

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/webnet-go/webnet/internal/testutil"
)

// TestWPTMIMETypes runs mimesniff/mime-types.json: parse each input, then
// serialize it; a null output means parsing fails.
func TestWPTMIMETypes(t *testing.T) {
	var raw []json.RawMessage
	testutil.LoadWPTJSON(t, "mimesniff/mime-types.json", &raw)
	c := testutil.NewConformance(t, "mime-types.json")
	for _, r := range raw {
		var tc struct {
			Input  string  `json:"input"`
			Output *string `json:"output"`
		}
		if json.Unmarshal(r, &tc) != nil {
			continue // a section heading (a bare string)
		}
		m, ok := Parse(tc.Input)
		switch {
		case tc.Output == nil:
			c.Check(!ok, tc.Input, "Parse = %q, want failure", serialized(m))
		case !ok:
			c.Fail(tc.Input, "Parse failed, want %q", *tc.Output)
		default:
			c.Check(m.String() == *tc.Output, tc.Input, "got %q, want %q", m.String(), *tc.Output)
		}
	}
}

// TestWPTMIMEGroups runs mimesniff/mime-groups.json: the set of groups each
// MIME type belongs to must be exactly the expected one.
func TestWPTMIMEGroups(t *testing.T) {
	var raw []json.RawMessage
	testutil.LoadWPTJSON(t, "mimesniff/mime-groups.json", &raw)
	c := testutil.NewConformance(t, "mime-groups.json")
	for _, r := range raw {
		var tc struct {
			Input  string   `json:"input"`
			Groups []string `json:"groups"`
		}
		if json.Unmarshal(r, &tc) != nil {
			continue // a comment (a bare string)
		}
		m, ok := Parse(tc.Input)
		if !ok {
			c.Fail(tc.Input, "Parse failed")
			continue
		}
		got := groupsOf(m)
		want := slices.Sorted(slices.Values(tc.Groups))
		c.Check(slices.Equal(want, got), tc.Input, "groups %q, want %q", got, want)
	}
}

// groupsOf names the groups m is in, with the names mime-groups.json uses,
// sorted.
func groupsOf(m *MIMEType) []string {
	preds := []struct {
		name string
		is   func() bool
	}{
		{"image", m.IsImage},
		{"audio or video", m.IsAudioOrVideo},
		{"font", m.IsFont},
		{"ZIP-based", m.IsZIPBased},
		{"archive", m.IsArchive},
		{"XML", m.IsXML},
		{"HTML", m.IsHTML},
		{"scriptable", m.IsScriptable},
		{"JavaScript", m.IsJavaScript},
		{"JSON", m.IsJSON},
	}
	got := []string{}
	for _, p := range preds {
		if p.is() {
			got = append(got, p.name)
		}
	}
	slices.Sort(got)
	return got
}

// TestWPTContentTypes runs fetch/content-type/content-types.json: several
// Content-Type header lines give the extracted MIME type and the encoding
// that "legacy extract an encoding" finds.
//
// The file gives the encoding's name, which the Encoding Standard's "get an
// encoding" derives from the charset label; that lookup belongs to the
// caller (see LegacyEncodingLabel). Every label in this file is its
// encoding's name up to ASCII case, so the label is compared
// case-insensitively, and null means no label. The documentContentType
// member concerns loading a document in a browsing context and is not
// checked.
func TestWPTContentTypes(t *testing.T) {
	var cases []struct {
		ContentType []string `json:"contentType"`
		Encoding    *string  `json:"encoding"`
		MIMEType    string   `json:"mimeType"`
	}
	testutil.LoadWPTJSON(t, "fetch/content-type/content-types.json", &cases)
	c := testutil.NewConformance(t, "content-types.json")
	for _, tc := range cases {
		name := strings.Join(tc.ContentType, " | ")
		m, ok := Extract(tc.ContentType)
		if !ok {
			c.Fail(name, "Extract failed, want %q", tc.MIMEType)
			continue
		}
		label := LegacyEncodingLabel(m)
		want := ""
		if tc.Encoding != nil {
			want = *tc.Encoding
		}
		c.Check(m.String() == tc.MIMEType && equalFoldASCII(label, want), name,
			"got %q with charset %q, want %q with encoding %q", m.String(), label, tc.MIMEType, want)
	}
}

func serialized(m *MIMEType) string {
	if m == nil {
		return "<nil>"
	}
	return m.String()
}
