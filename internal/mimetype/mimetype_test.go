package mimetype

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name   string
		input  string
		want   *MIMEType
		failed bool
	}{
		{name: "plain", input: "text/html", want: &MIMEType{Type: "text", Subtype: "html"}},
		{name: "lower-cased", input: "Text/HTML;Charset=UTF-8",
			want: &MIMEType{Type: "text", Subtype: "html", Params: []Param{{"charset", "UTF-8"}}}},
		{name: "order kept, first wins", input: "a/b; y=1; x=2; Y=3",
			want: &MIMEType{Type: "a", Subtype: "b", Params: []Param{{"y", "1"}, {"x", "2"}}}},
		{name: "quoted with escapes", input: `a/b;x="q\"\\z";y=1`,
			want: &MIMEType{Type: "a", Subtype: "b", Params: []Param{{"x", `q"\z`}, {"y", "1"}}}},
		{name: "unterminated quote", input: `a/b;x="abc`,
			want: &MIMEType{Type: "a", Subtype: "b", Params: []Param{{"x", "abc"}}}},
		{name: "backslash at the end", input: `a/b;x="abc\`,
			want: &MIMEType{Type: "a", Subtype: "b", Params: []Param{{"x", `abc\`}}}},
		{name: "text after the quote dropped", input: `a/b;x="v"junk;y=2`,
			want: &MIMEType{Type: "a", Subtype: "b", Params: []Param{{"x", "v"}, {"y", "2"}}}},
		{name: "empty quoted value kept", input: `a/b;x=""`,
			want: &MIMEType{Type: "a", Subtype: "b", Params: []Param{{"x", ""}}}},
		{name: "empty value skipped", input: "a/b;x=;y=1",
			want: &MIMEType{Type: "a", Subtype: "b", Params: []Param{{"y", "1"}}}},
		{name: "name without value skipped", input: "a/b;x;y=1",
			want: &MIMEType{Type: "a", Subtype: "b", Params: []Param{{"y", "1"}}}},
		{name: "code point above U+00FF skipped", input: "a/b;x=€;y=ÿ",
			want: &MIMEType{Type: "a", Subtype: "b", Params: []Param{{"y", "ÿ"}}}},
		{name: "invalid UTF-8 skipped", input: "a/b;x=\xff;y=1",
			want: &MIMEType{Type: "a", Subtype: "b", Params: []Param{{"y", "1"}}}},
		{name: "three parameters", input: "a/b;x=1;y=2;z=3",
			want: &MIMEType{Type: "a", Subtype: "b", Params: []Param{{"x", "1"}, {"y", "2"}, {"z", "3"}}}},
		{name: "no slash", input: "text", failed: true},
		{name: "empty type", input: "/html", failed: true},
		{name: "empty subtype", input: "text/;x=y", failed: true},
		{name: "space in type", input: "te xt/html", failed: true},
		{name: "empty", input: "", failed: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := Parse(tt.input)
			if tt.failed {
				assert.False(t, ok)
				assert.Nil(t, got)
				return
			}
			require.True(t, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestString(t *testing.T) {
	tests := []struct {
		name string
		m    MIMEType
		want string
	}{
		{"no params", MIMEType{Type: "text", Subtype: "plain"}, "text/plain"},
		{"token value", MIMEType{Type: "a", Subtype: "b", Params: []Param{{"x", "y"}}}, "a/b;x=y"},
		{"empty value quoted", MIMEType{Type: "a", Subtype: "b", Params: []Param{{"x", ""}}}, `a/b;x=""`},
		{"escapes", MIMEType{Type: "a", Subtype: "b", Params: []Param{{"x", `say "hi" \o/`}}}, `a/b;x="say \"hi\" \\o/"`},
		{"several", MIMEType{Type: "a", Subtype: "b", Params: []Param{{"x", "1"}, {"y", "a b"}}}, `a/b;x=1;y="a b"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tt.m.String())
		})
	}
}

func TestParamAndSetParam(t *testing.T) {
	m, ok := Parse("text/plain;charset=utf-8")
	require.True(t, ok)
	assert.Equal(t, "text/plain", m.Essence())

	v, ok := m.Param("CharSet")
	assert.True(t, ok)
	assert.Equal(t, "utf-8", v)
	_, ok = m.Param("format")
	assert.False(t, ok)

	m.SetParam("CHARSET", "gbk")
	m.SetParam("Format", "flowed")
	assert.Equal(t, "text/plain;charset=gbk;format=flowed", m.String())
}

// A copy of a parsed record must not see parameters appended to the
// original, even though record and parameters share one allocation.
func TestSetParamDoesNotAliasCopies(t *testing.T) {
	for _, in := range []string{"a/b;x=1", "a/b;x=1;y=2"} {
		m, ok := Parse(in)
		require.True(t, ok)
		cp := *m
		m.SetParam("z", "3")
		cp.SetParam("w", "4")
		assert.Equal(t, in+";z=3", m.String())
		assert.Equal(t, in+";w=4", cp.String())
	}
}

func TestExtract(t *testing.T) {
	tests := []struct {
		name   string
		values []string
		want   string // "" = failure
	}{
		{"absent", nil, ""},
		{"empty value", []string{""}, ""},
		{"only */*", []string{"*/*"}, ""},
		{"garbage", []string{"nonsense"}, ""},
		{"one", []string{"application/json"}, "application/json"},
		{"commas in one value", []string{"text/plain;charset=gbk, text/plain"}, "text/plain;charset=gbk"},
		{"charset dropped when essence changes", []string{"text/plain;charset=gbk", "text/html"}, "text/html"},
		{"quoted comma", []string{`text/html;x="a,b"`}, `text/html;x="a,b"`},
		{"header bytes kept", []string{"text/plain;x=\xe2\x82\xac"}, "text/plain;x=\"\xe2\x82\xac\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, ok := Extract(tt.values)
			if tt.want == "" {
				assert.False(t, ok)
				assert.Nil(t, m)
				return
			}
			require.True(t, ok)
			assert.Equal(t, tt.want, m.String())
		})
	}
}

func TestSplitHeaderValue(t *testing.T) {
	var got []string
	for v := range SplitHeaderValue(` a , "b,\"c" d ,, "e`) {
		got = append(got, v)
	}
	assert.Equal(t, []string{"a", `"b,\"c" d`, "", `"e`}, got)

	// Stopping early must be honoured.
	n := 0
	for range SplitHeaderValue("a,b,c") {
		n++
		break
	}
	assert.Equal(t, 1, n)
}

func TestLegacyEncodingLabel(t *testing.T) {
	assert.Equal(t, "", LegacyEncodingLabel(nil))
	m, ok := Parse("text/html")
	require.True(t, ok)
	assert.Equal(t, "", LegacyEncodingLabel(m))
	m, ok = Extract([]string{"text/html; charset=Shift_JIS"})
	require.True(t, ok)
	assert.Equal(t, "Shift_JIS", LegacyEncodingLabel(m))
}

func TestParseAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation counts")
	}
	tests := []struct {
		input string
		want  float64
	}{
		{"text/html", 1},
		{"text/html; charset=utf-8", 1},
		{`multipart/form-data; boundary="abc"; charset=utf-8`, 1},
		{"a/b;x=1;y=2;z=3", 2},
		{"Text/HTML", 2},          // the record and the lower-cased essence
		{"a/b;Xa=1;Yb=2;Zc=3", 5}, // record, parameter slice, three lower-cased names
	}
	for _, tt := range tests {
		parsed := true
		got := testing.AllocsPerRun(100, func() {
			_, ok := Parse(tt.input)
			parsed = parsed && ok
		})
		assert.True(t, parsed, tt.input)
		assert.Equal(t, tt.want, got, tt.input)
	}
}
