package url

import (
	"io"
	"iter"
	"maps"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// paramsPairs collects the pairs of p through its iterator.
func paramsPairs(p *SearchParams) [][2]string {
	var out [][2]string
	for k, v := range p.All() {
		out = append(out, [2]string{k, v})
	}
	return out
}

func TestNewSearchParams(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, query string
		want        [][2]string
	}{
		{"empty", "", nil},
		{"only question mark", "?", nil},
		{"leading question mark stripped once", "??a=b", [][2]string{{"?a", "b"}}},
		{"plain", "a=b&c=d", [][2]string{{"a", "b"}, {"c", "d"}}},
		{"more get basics", "first=second&third&&", [][2]string{{"first", "second"}, {"third", ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, paramsPairs(NewSearchParams(tt.query)))
		})
	}
}

func TestZeroSearchParamsIsUsable(t *testing.T) {
	t.Parallel()
	var p SearchParams
	assert.Equal(t, 0, p.Size())
	assert.Equal(t, "", p.String())
	p.Append("a", "b")
	p.Set("c", "d")
	assert.Equal(t, "a=b&c=d", p.String())
}

func TestNewSearchParamsFromPairsCopies(t *testing.T) {
	t.Parallel()
	pairs := [][2]string{{"a", "b"}, {"a", "c"}, {"+", "%C2"}}
	p := NewSearchParamsFromPairs(pairs)
	pairs[0][1] = "changed"
	assert.Equal(t, [][2]string{{"a", "b"}, {"a", "c"}, {"+", "%C2"}}, paramsPairs(p))
	assert.Equal(t, "a=b&a=c&%2B=%25C2", p.String())
}

func TestNewSearchParamsFromMap(t *testing.T) {
	t.Parallel()
	p := NewSearchParamsFromMap(map[string]string{"c": "x", "a": "?", "b": "%C2"})
	assert.Equal(t, [][2]string{{"a", "?"}, {"b", "%C2"}, {"c", "x"}}, paramsPairs(p))
	assert.Equal(t, 0, NewSearchParamsFromMap(nil).Size())
}

// Two keys that differ only in how they are ill-formed collapse to one
// pair: the later (in sorted order) value wins at the earlier position.
func TestNewSearchParamsFromMapCollapsesConvertedKeys(t *testing.T) {
	t.Parallel()
	p := NewSearchParamsFromMap(map[string]string{"\xffx": "1", "\xfex": "2", "a": "3"})
	assert.Equal(t, [][2]string{{"a", "3"}, {"\uFFFDx", "1"}}, paramsPairs(p))
}

func TestAppend(t *testing.T) {
	t.Parallel()
	p := NewSearchParams("")
	p.Append("a", "b")
	assert.Equal(t, "a=b", p.String())
	p.Append("a", "b")
	assert.Equal(t, "a=b&a=b", p.String())
	p.Append("a", "c")
	assert.Equal(t, "a=b&a=b&a=c", p.String())

	empty := NewSearchParams("")
	empty.Append("", "")
	assert.Equal(t, "=", empty.String())
	empty.Append("", "")
	assert.Equal(t, "=&=", empty.String())
}

func TestGetGetAllHas(t *testing.T) {
	t.Parallel()
	p := NewSearchParams("a=b&c=d&a=e&=f&g=")
	v, ok := p.Get("a")
	assert.True(t, ok)
	assert.Equal(t, "b", v)
	v, ok = p.Get("")
	assert.True(t, ok)
	assert.Equal(t, "f", v)
	v, ok = p.Get("g")
	assert.True(t, ok)
	assert.Equal(t, "", v)
	v, ok = p.Get("missing")
	assert.False(t, ok)
	assert.Equal(t, "", v)

	assert.Equal(t, []string{"b", "e"}, p.GetAll("a"))
	assert.Nil(t, p.GetAll("missing"))

	assert.True(t, p.Has("a"))
	assert.True(t, p.Has("a", "e"))
	assert.False(t, p.Has("a", "d"))
	assert.True(t, p.Has("a", "e", "ignored"))
	assert.False(t, p.Has("x"))
	assert.False(t, p.Has("x", ""))
}

func TestGetAllMultiples(t *testing.T) {
	t.Parallel()
	p := NewSearchParams("a=1&a=2&a=3&a")
	assert.Equal(t, []string{"1", "2", "3", ""}, p.GetAll("a"))
	p.Set("a", "one")
	assert.Equal(t, []string{"one"}, p.GetAll("a"))
}

func TestSet(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, query, setName, setValue, want string }{
		{"replace single", "a=b&c=d", "a", "B", "a=B&c=d"},
		{"replace first, drop rest", "a=b&c=d&a=e", "a", "B", "a=B&c=d"},
		{"append when absent", "a=B&c=d", "e", "f", "a=B&c=d&e=f"},
		{"keeps the first position", "x=1&a=1&a=2&y=2&a=3&first=4", "a", "4", "x=1&a=4&y=2&first=4"},
		{"plus sign value", "", "query", "+15555555555", "query=%2B15555555555"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := NewSearchParams(tt.query)
			p.Set(tt.setName, tt.setValue)
			assert.Equal(t, tt.want, p.String())
			got, ok := p.Get(tt.setName)
			assert.True(t, ok)
			assert.Equal(t, tt.setValue, got)
		})
	}
}

func TestDelete(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, query, delName string
		delValue             []string
		want                 string
	}{
		{"one", "a=b&c=d", "a", nil, "c=d"},
		{"every match", "a=a&b=b&a=a&c=c", "a", nil, "b=b&c=c"},
		{"empty name", "a=a&=&b=b&c=c", "", nil, "a=a&b=b&c=c"},
		{"with value", "a=b&a=c&a=d", "a", []string{"c"}, "a=b&a=d"},
		{"with value, other names kept", "a=b&a=c&b=c&b=d", "b", []string{"c"}, "a=b&a=c&b=d"},
		{"extra values ignored", "a=b&a=c", "a", []string{"c", "b"}, "a=b"},
		{"absent", "a=b", "z", nil, "a=b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := NewSearchParams(tt.query)
			p.Delete(tt.delName, tt.delValue...)
			assert.Equal(t, tt.want, p.String())
		})
	}
}

func TestSize(t *testing.T) {
	t.Parallel()
	p := NewSearchParams("a=1&b=2&a=3")
	assert.Equal(t, 3, p.Size())
	p.Delete("a")
	assert.Equal(t, 1, p.Size())
	p.Append("b", "3")
	assert.Equal(t, 2, p.Size())
}

func TestSortIsStable(t *testing.T) {
	t.Parallel()
	p := NewSearchParams("z=z&a=a&z=y&a=b&z=x&a=c&z=w&a=d&z=v&a=e&z=u&a=f&z=t&a=g")
	p.Sort()
	assert.Equal(t, "a=a&a=b&a=c&a=d&a=e&a=f&a=g&z=z&z=y&z=x&z=w&z=v&z=u&z=t", p.String())
}

// formCompareUTF16 must agree with comparing the UTF-16 encodings, checked
// on characters around every boundary where UTF-8 and UTF-16 order could
// differ.
func TestFormCompareUTF16(t *testing.T) {
	t.Parallel()
	chars := []string{"", "a", "b", "\u007f", "\u0080", "é", "\u07ff", "\u0800", "\ud7ff", "\ue000",
		"\ufb03", "\ufffd", "\uffff", "\U00010000", "\U0001f308", "\U0001f4a9", "\U0010ffff"}
	var words []string
	for _, a := range chars {
		for _, b := range chars {
			words = append(words, a+b, "x"+a+b)
		}
	}
	utf16Compare := func(a, b string) int {
		return slices.Compare(utf16.Encode([]rune(a)), utf16.Encode([]rune(b)))
	}
	for _, a := range words {
		for _, b := range words {
			if got, want := formCompareUTF16(a, b), utf16Compare(a, b); got != want {
				t.Errorf("formCompareUTF16(%+q, %+q) = %d, want %d", a, b, got, want)
			}
		}
	}
	// The case that makes UTF-16 order differ from byte order.
	assert.Equal(t, -1, formCompareUTF16("\U0001f308", "\ufb03"))
	assert.True(t, sort.StringsAreSorted([]string{"\ufb03", "\U0001f308"}))
}

func TestIteratorsAndEarlyStop(t *testing.T) {
	t.Parallel()
	p := NewSearchParams("a=1&b=2&a=3")
	assert.Equal(t, []string{"a", "b", "a"}, slices.Collect(p.Keys()))
	assert.Equal(t, []string{"1", "2", "3"}, slices.Collect(p.Values()))
	assert.Equal(t, map[string]string{"a": "3", "b": "2"}, maps.Collect(p.All()))

	// Stopping early must stop each iterator (a yield after false panics).
	for range p.All() {
		break
	}
	for range p.Keys() {
		break
	}
	for range p.Values() {
		break
	}
	next, stop := iter.Pull2(p.All())
	defer stop()
	k, v, ok := next()
	assert.True(t, ok)
	assert.Equal(t, [2]string{"a", "1"}, [2]string{k, v})
}

// Mutation during iteration follows WPT's urlsearchparams-foreach.any.js:
// the iterator walks the live list by position.
func TestIterationIsLive(t *testing.T) {
	t.Parallel()
	t.Run("delete next param", func(t *testing.T) {
		t.Parallel()
		p := NewSearchParams("param0=0&param1=1&param2=2")
		var seen [][2]string
		for k, v := range p.All() {
			if k == "param0" {
				p.Delete("param1")
			}
			seen = append(seen, [2]string{k, v})
		}
		assert.Equal(t, [][2]string{{"param0", "0"}, {"param2", "2"}}, seen)
	})
	t.Run("delete current param", func(t *testing.T) {
		t.Parallel()
		p := NewSearchParams("param0=0&param1=1&param2=2")
		var seen [][2]string
		for k, v := range p.All() {
			if k == "param0" {
				p.Delete("param0")
				continue
			}
			seen = append(seen, [2]string{k, v})
		}
		assert.Equal(t, [][2]string{{"param2", "2"}}, seen)
	})
	t.Run("delete every param seen", func(t *testing.T) {
		t.Parallel()
		p := NewSearchParams("param0=0&param1=1&param2=2")
		var seen []string
		for k := range p.Keys() {
			seen = append(seen, k)
			p.Delete(k)
		}
		assert.Equal(t, []string{"param0", "param2"}, seen)
		assert.Equal(t, "param1=1", p.String())
	})
	t.Run("append during iteration is visited", func(t *testing.T) {
		t.Parallel()
		p := NewSearchParams("a=1")
		var seen []string
		for v := range p.Values() {
			seen = append(seen, v)
			if len(seen) < 3 {
				p.Append("a", v+"+")
			}
		}
		assert.Equal(t, []string{"1", "1+", "1++"}, seen)
	})
}

func TestInvalidUTF8Arguments(t *testing.T) {
	t.Parallel()
	p := NewSearchParams("")
	p.Append("a\xff", "\xed\xa0\xbd")
	assert.Equal(t, [][2]string{{"a\uFFFD", "\uFFFD"}}, paramsPairs(p))
	assert.True(t, p.Has("a\xfe"), "the name argument is converted too")
	v, ok := p.Get("a\uFFFD")
	assert.True(t, ok)
	assert.Equal(t, "\uFFFD", v)
	assert.True(t, p.Has("a\uFFFD", "\xed\xb0\x80"))
	p.Set("a\xc0", "x")
	assert.Equal(t, "a%EF%BF%BD=x", p.String())
	p.Delete("a\xc1", "x")
	assert.Equal(t, 0, p.Size())
}

func TestExtractBody(t *testing.T) {
	t.Parallel()
	p := NewSearchParams("q=test me!&tbs=qdr:y")
	for range 2 { // every call gives a fresh body
		body, n, ct, err := p.ExtractBody()
		require.NoError(t, err)
		b, err := io.ReadAll(body)
		require.NoError(t, err)
		assert.NoError(t, body.Close())
		assert.Equal(t, "q=test+me%21&tbs=qdr%3Ay", string(b))
		assert.Equal(t, int64(len(b)), n)
		assert.Equal(t, "application/x-www-form-urlencoded;charset=UTF-8", ct)
	}

	// The body is a snapshot: a later mutation does not change it.
	body, _, _, err := p.ExtractBody()
	require.NoError(t, err)
	p.Append("late", "1")
	b, err := io.ReadAll(body)
	require.NoError(t, err)
	assert.False(t, strings.Contains(string(b), "late"))
}

// A free-standing SearchParams round-trips through its serialization.
func TestStringRoundTrip(t *testing.T) {
	t.Parallel()
	p := NewSearchParamsFromPairs([][2]string{
		{"a b", "c+d"}, {"&=", "%20"}, {"", ""}, {"é💩", "\x00\n\r"}, {"?", "#"},
	})
	assert.Equal(t, paramsPairs(p), paramsPairs(NewSearchParams(p.String())))
	assert.Equal(t, paramsPairs(p), paramsPairs(NewSearchParams("?"+p.String())))
}

// The live view follows its URL and the URL follows it (WPT
// urlsearchparams-foreach.any.js "For-of Check" and "empty", and
// url-searchparams.any.js).
func TestLiveView(t *testing.T) {
	t.Parallel()
	t.Run("search set during iteration", func(t *testing.T) {
		t.Parallel()
		u, err := Parse("http://a.b/c?a=1&b=2&c=3&d=4")
		require.NoError(t, err)
		var seen [][2]string
		for k, v := range u.SearchParams().All() {
			u.SetSearch("x=1&y=2&z=3")
			seen = append(seen, [2]string{k, v})
		}
		assert.Equal(t, [][2]string{{"a", "1"}, {"y", "2"}, {"z", "3"}}, seen)
	})
	t.Run("no query iterates nothing", func(t *testing.T) {
		t.Parallel()
		u, err := Parse("http://a.b/c")
		require.NoError(t, err)
		for k, v := range u.SearchParams().All() {
			t.Errorf("unexpected pair %q=%q", k, v)
		}
	})
	t.Run("mutations write the query, fragment kept", func(t *testing.T) {
		t.Parallel()
		u, err := Parse("https://example.com/path?b=2&a=1#frag")
		require.NoError(t, err)
		p := u.SearchParams()
		p.Append("c", "x y")
		assert.Equal(t, "https://example.com/path?b=2&a=1&c=x+y#frag", u.Href())
		p.Sort()
		assert.Equal(t, "?a=1&b=2&c=x+y", u.Search())
		p.Set("b", "!")
		assert.Equal(t, "?a=1&b=%21&c=x+y", u.Search())
		p.Delete("a")
		p.Delete("b")
		p.Delete("c", "x y")
		assert.Equal(t, "https://example.com/path#frag", u.Href())
		assert.Equal(t, 0, p.Size())
	})
	t.Run("setters re-read the list in place", func(t *testing.T) {
		t.Parallel()
		u, err := Parse("https://example.com/?a=1")
		require.NoError(t, err)
		p := u.SearchParams()
		require.NoError(t, u.SetHref("https://other.example/?q=%20x+y"))
		assert.Same(t, p, u.SearchParams())
		v, ok := p.Get("q")
		assert.True(t, ok)
		assert.Equal(t, " x y", v)
	})
	t.Run("free-standing params are not linked", func(t *testing.T) {
		t.Parallel()
		u, err := Parse("https://example.com/?a=1")
		require.NoError(t, err)
		p := NewSearchParams(u.Search())
		p.Append("b", "2")
		assert.Equal(t, "https://example.com/?a=1", u.Href())
		assert.Equal(t, "a=1&b=2", p.String())
	})
}
