package url

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/webnet-go/webnet/internal/testutil"
)

// TestWPTURLEncodedParser runs urlencoded-parser-data.json through both
// entry points: NewSearchParams (url/urlencoded-parser.any.js) and
// ParseURLEncoded, which the fetch body code uses for
// application/x-www-form-urlencoded bodies
// (url/urlencoded-parser-request-response.any.js; the charset parameter of
// those requests is ignored, so the expected pairs are the same).
func TestWPTURLEncodedParser(t *testing.T) {
	var cases []struct {
		Input  string      `json:"input"`
		Output [][2]string `json:"output"`
	}
	testutil.LoadWPTJSON(t, "url/urlencoded-parser-data.json", &cases)
	c := testutil.NewConformance(t, "urlencoded-parser-data.json")
	for _, tc := range cases {
		want := tc.Output
		if len(want) == 0 {
			want = nil
		}
		viaParams := paramsPairs(NewSearchParams(tc.Input))
		viaParser := ParseURLEncoded(tc.Input)
		switch {
		case !reflect.DeepEqual(want, viaParams):
			c.Fail(fmt.Sprintf("%+q", tc.Input), "NewSearchParams: want %+q, got %+q", want, viaParams)
		case !reflect.DeepEqual(want, viaParser):
			c.Fail(fmt.Sprintf("%+q", tc.Input), "ParseURLEncoded: want %+q, got %+q", want, viaParser)
		default:
			c.Pass()
		}
	}
}

// wptParamsCase is the Go twin of one hand-transcribed case of
// urlsearchparams-cases.json: either a check, which reports what differs
// from the expectation, or a skip reason for a case Go cannot express.
type wptParamsCase struct {
	check func(e *paramsExpect)
	skip  string
}

// paramsExpect gathers the mismatches of one case.
type paramsExpect struct{ problems []string }

func (e *paramsExpect) eq(what string, want, got any) {
	if !reflect.DeepEqual(want, got) {
		e.problems = append(e.problems, fmt.Sprintf("%s: want %+q, got %+q", what, want, got))
	}
}

func (e *paramsExpect) get(p *SearchParams, name, want string) {
	got, ok := p.Get(name)
	if !ok {
		e.problems = append(e.problems, fmt.Sprintf("get(%+q): absent, want %+q", name, want))
		return
	}
	e.eq(fmt.Sprintf("get(%+q)", name), want, got)
}

func (e *paramsExpect) parse(input string) *URL {
	u, err := Parse(input)
	if err != nil {
		e.problems = append(e.problems, fmt.Sprintf("Parse(%q): %v", input, err))
		return nil
	}
	return u
}

func (e *paramsExpect) parseWithBase(input, base string) *URL {
	u, err := ParseWithBase(input, base)
	if err != nil {
		e.problems = append(e.problems, fmt.Sprintf("ParseWithBase(%q, %q): %v", input, base, err))
		return nil
	}
	return u
}

// paramsAppended returns a new SearchParams after the given appends.
func paramsAppended(pairs ...[2]string) *SearchParams {
	p := NewSearchParams("")
	for _, kv := range pairs {
		p.Append(kv[0], kv[1])
	}
	return p
}

// wptParamsCases maps "section: description" of urlsearchparams-cases.json
// to its Go twin. Every case in the file must have one, and every twin must
// match a case, so the data and the tests cannot drift apart unnoticed.
var wptParamsCases = map[string]wptParamsCase{
	// url/urlsearchparams-constructor.any.js
	"constructor: new URLSearchParams()": {check: func(e *paramsExpect) {
		var zero SearchParams
		e.eq("zero value", "", zero.String())
		e.eq("NewSearchParams", "", NewSearchParams("").String())
	}},
	"constructor: new URLSearchParams('')": {check: func(e *paramsExpect) {
		e.eq("toString", "", NewSearchParams("").String())
	}},
	"constructor: 'a=b'": {check: func(e *paramsExpect) {
		p := NewSearchParams("a=b")
		e.eq("toString", "a=b", p.String())
		e.get(p, "a", "b")
	}},
	"constructor: copy of another URLSearchParams": {check: func(e *paramsExpect) {
		p := NewSearchParams("a=b")
		q := NewSearchParamsFromPairs(paramsPairs(p))
		e.eq("copy", "a=b", q.String())
		p.Append("c", "d")
		e.eq("copy after original changed", "a=b", q.String())
		q.Append("e", "f")
		e.eq("original after copy changed", "a=b&c=d", p.String())
	}},
	"constructor: '?a=b'": {check: func(e *paramsExpect) {
		e.eq("toString", "a=b", NewSearchParams("?a=b").String())
	}},
	"constructor: {} (empty record)": {check: func(e *paramsExpect) {
		e.eq("toString", "", NewSearchParamsFromMap(map[string]string{}).String())
	}},
	"constructor: '&a&&& &&&&&a+b=& c&m%c3%b8%c3%b8'": {check: func(e *paramsExpect) {
		p := NewSearchParams("&a&&& &&&&&a+b=& c&m%c3%b8%c3%b8")
		e.eq("has('a')", true, p.Has("a"))
		e.eq("has('a b')", true, p.Has("a b"))
		e.eq("has(' ')", true, p.Has(" "))
		e.eq("has('c')", false, p.Has("c"))
		e.eq("has(' c')", true, p.Has(" c"))
		e.eq("has('møø')", true, p.Has("møø"))
	}},
	"constructor: 'id=0&value=%'": {check: func(e *paramsExpect) {
		e.get(NewSearchParams("id=0&value=%"), "value", "%")
	}},
	"constructor: 'b=%2sf%2a'": {check: func(e *paramsExpect) {
		e.get(NewSearchParams("b=%2sf%2a"), "b", "%2sf*")
	}},
	"constructor: 'b=%2%2af%2a'": {check: func(e *paramsExpect) {
		e.get(NewSearchParams("b=%2%2af%2a"), "b", "%2*f*")
	}},
	"constructor: 'b=%%2a'": {check: func(e *paramsExpect) {
		e.get(NewSearchParams("b=%%2a"), "b", "%*")
	}},
	"constructor: 'a=b+c' / 'a+b=c'": {check: func(e *paramsExpect) {
		e.get(NewSearchParams("a=b+c"), "a", "b c")
		e.get(NewSearchParams("a+b=c"), "a b", "c")
	}},
	"constructor: set('query','+15555555555')": {check: func(e *paramsExpect) {
		p := NewSearchParams("")
		p.Set("query", "+15555555555")
		e.eq("toString", "query=%2B15555555555", p.String())
		e.get(NewSearchParams(p.String()), "query", "+15555555555")
	}},
	"constructor: 'a=b c'": {check: func(e *paramsExpect) {
		e.get(NewSearchParams("a=b c"), "a", "b c")
	}},
	"constructor: 'a=b%20c'": {check: func(e *paramsExpect) {
		e.get(NewSearchParams("a=b%20c"), "a", "b c")
	}},
	"constructor: 'a=b\\0c'": {check: func(e *paramsExpect) {
		e.get(NewSearchParams("a=b\x00c"), "a", "b\x00c")
	}},
	"constructor: 'a=b%00c'": {check: func(e *paramsExpect) {
		e.get(NewSearchParams("a=b%00c"), "a", "b\x00c")
	}},
	"constructor: 'a=b\\u2384' / 'a=b%e2%8e%84'": {check: func(e *paramsExpect) {
		e.get(NewSearchParams("a=b\u2384"), "a", "b\u2384")
		e.get(NewSearchParams("a=b%e2%8e%84"), "a", "b\u2384")
	}},
	"constructor: 'a=b\\uD83D\\uDCA9c' / '%f0%9f%92%a9'": {check: func(e *paramsExpect) {
		e.get(NewSearchParams("a=b\U0001F4A9c"), "a", "b\U0001F4A9c")
		e.get(NewSearchParams("a=b%f0%9f%92%a9c"), "a", "b\U0001F4A9c")
	}},
	"constructor: [['a','b'],['c','d']]": {check: func(e *paramsExpect) {
		p := NewSearchParamsFromPairs([][2]string{{"a", "b"}, {"c", "d"}})
		e.get(p, "a", "b")
		e.get(p, "c", "d")
	}},
	"constructor: [[1]] or [[1,2,3]]": {
		skip: "a pair is a [2]string in Go, so a pair of 1 or 3 items cannot be written (the TypeError is a compile error)",
	},
	"constructor: {'+':'%C2'}": {check: func(e *paramsExpect) {
		e.eq("pairs", [][2]string{{"+", "%C2"}}, paramsPairs(NewSearchParamsFromMap(map[string]string{"+": "%C2"})))
	}},
	"constructor: {c:'x',a:'?'}": {
		skip: "insertion order of a JavaScript record: a Go map has none, so NewSearchParamsFromMap sorts the keys (documented deviation; TestNewSearchParamsFromMap checks that order)",
	},
	// Lone surrogates are written in WTF-8 (ED A0..BF xx), which the
	// constructor converts to U+FFFD as WebIDL does. The keys come out in
	// the documented sorted order rather than the record's insertion
	// order, so the expectation is compared in sorted order; the
	// conversion and the collapse of duplicate keys (last value wins)
	// are what this case tests.
	"constructor: {'\\uD835x':'1','xx':'2','\\uD83Dx':'3'}": {check: func(e *paramsExpect) {
		p := NewSearchParamsFromMap(map[string]string{"\xed\xa0\xb5x": "1", "xx": "2", "\xed\xa0\xbdx": "3"})
		e.eq("pairs (sorted keys)", [][2]string{{"xx", "2"}, {"\uFFFDx", "3"}}, paramsPairs(p))
	}},
	"constructor: {'x\\uDC53':'1','x\\uDC5C':'2','x\\uDC65':'3'}": {check: func(e *paramsExpect) {
		p := NewSearchParamsFromMap(map[string]string{"x\xed\xb1\x93": "1", "x\xed\xb1\x9c": "2", "x\xed\xb1\xa5": "3"})
		e.eq("pairs", [][2]string{{"x\uFFFD", "3"}}, paramsPairs(p))
	}},
	"constructor: {'a\\0b':'42','c\\uD83D':'23','d\\u1234':'foo'}": {check: func(e *paramsExpect) {
		p := NewSearchParamsFromMap(map[string]string{"a\x00b": "42", "c\xed\xa0\xbd": "23", "d\u1234": "foo"})
		e.eq("pairs", [][2]string{{"a\x00b", "42"}, {"c\uFFFD", "23"}, {"d\u1234", "foo"}}, paramsPairs(p))
	}},
	"constructor: DOMException (function with enumerable constants)": {
		skip: "JavaScript-only: a function object with enumerable properties used as a record",
	},

	// url/urlsearchparams-stringifier.any.js
	"stringifier: append('a','b c')": {check: func(e *paramsExpect) {
		e.eq("toString", "a=b+c", paramsAppended([2]string{"a", "b c"}).String())
	}},
	"stringifier: append('a b','c')": {check: func(e *paramsExpect) {
		e.eq("toString", "a+b=c", paramsAppended([2]string{"a b", "c"}).String())
	}},
	"stringifier: append('a','') x2, append('','b'), append('','') x2": {check: func(e *paramsExpect) {
		p := paramsAppended([2]string{"a", ""}, [2]string{"a", ""}, [2]string{"", "b"}, [2]string{"", ""}, [2]string{"", ""})
		e.eq("toString", "a=&a=&=b&=&=", p.String())
	}},
	"stringifier: append('a','b+c')": {check: func(e *paramsExpect) {
		e.eq("toString", "a=b%2Bc", paramsAppended([2]string{"a", "b+c"}).String())
	}},
	"stringifier: append('=','a'); append('b','=')": {check: func(e *paramsExpect) {
		e.eq("toString", "%3D=a&b=%3D", paramsAppended([2]string{"=", "a"}, [2]string{"b", "="}).String())
	}},
	"stringifier: append('&','a'); append('b','&')": {check: func(e *paramsExpect) {
		e.eq("toString", "%26=a&b=%26", paramsAppended([2]string{"&", "a"}, [2]string{"b", "&"}).String())
	}},
	"stringifier: append('a','*-._') / ('*-._','c')": {check: func(e *paramsExpect) {
		e.eq("value", "a=*-._", paramsAppended([2]string{"a", "*-._"}).String())
		e.eq("name", "*-._=c", paramsAppended([2]string{"*-._", "c"}).String())
	}},
	"stringifier: append('a','b%c')": {check: func(e *paramsExpect) {
		e.eq("toString", "a=b%25c", paramsAppended([2]string{"a", "b%c"}).String())
	}},
	"stringifier: parse 'id=0&value=%'": {check: func(e *paramsExpect) {
		e.eq("toString", "id=0&value=%25", NewSearchParams("id=0&value=%").String())
	}},
	"stringifier: append('a','b\\0c')": {check: func(e *paramsExpect) {
		e.eq("toString", "a=b%00c", paramsAppended([2]string{"a", "b\x00c"}).String())
	}},
	"stringifier: append('a','b\\uD83D\\uDCA9c')": {check: func(e *paramsExpect) {
		e.eq("toString", "a=b%F0%9F%92%A9c", paramsAppended([2]string{"a", "b\U0001F4A9c"}).String())
	}},
	"stringifier: parse 'a=b&c=d&&e&&'": {check: func(e *paramsExpect) {
		e.eq("toString", "a=b&c=d&e=", NewSearchParams("a=b&c=d&&e&&").String())
	}},
	"stringifier: parse 'a = b &a=b&c=d%20'": {check: func(e *paramsExpect) {
		e.eq("toString", "a+=+b+&a=b&c=d+", NewSearchParams("a = b &a=b&c=d%20").String())
	}},
	"stringifier: parse 'a=&a=b'": {check: func(e *paramsExpect) {
		e.eq("toString", "a=&a=b", NewSearchParams("a=&a=b").String())
	}},
	"stringifier: parse 'b=%2sf%2a'": {check: func(e *paramsExpect) {
		e.eq("toString", "b=%252sf*", NewSearchParams("b=%2sf%2a").String())
	}},
	"stringifier: parse 'b=%2%2af%2a'": {check: func(e *paramsExpect) {
		e.eq("toString", "b=%252*f*", NewSearchParams("b=%2%2af%2a").String())
	}},
	"stringifier: parse 'b=%%2a'": {check: func(e *paramsExpect) {
		e.eq("toString", "b=%25*", NewSearchParams("b=%%2a").String())
	}},
	"stringifier: new URL('http://www.example.com/?a=b,c').searchParams": {check: func(e *paramsExpect) {
		u := e.parse("http://www.example.com/?a=b,c")
		if u == nil {
			return
		}
		p := u.SearchParams()
		e.eq("href before mutation", "http://www.example.com/?a=b,c", u.Href())
		e.eq("params.toString", "a=b%2Cc", p.String())
		e.eq("href still before mutation", "http://www.example.com/?a=b,c", u.Href())
		p.Append("x", "y")
		e.eq("href after append", "http://www.example.com/?a=b%2Cc&x=y", u.Href())
		e.eq("params after append", "a=b%2Cc&x=y", p.String())
	}},
	"stringifier: append('a\\nb','c\\rd'); append('e\\n\\rf','g\\r\\nh')": {check: func(e *paramsExpect) {
		p := paramsAppended([2]string{"a\nb", "c\rd"}, [2]string{"e\n\rf", "g\r\nh"})
		e.eq("toString", "a%0Ab=c%0Dd&e%0A%0Df=g%0D%0Ah", p.String())
	}},

	// url/urlsearchparams-delete.any.js, -has.any.js, -size.any.js
	"delete_has_size: 'a=b&c=d' delete('a')": {check: func(e *paramsExpect) {
		p := NewSearchParams("a=b&c=d")
		p.Delete("a")
		e.eq("toString", "c=d", p.String())
	}},
	"delete_has_size: 'a=a&b=b&a=a&c=c' delete('a')": {check: func(e *paramsExpect) {
		p := NewSearchParams("a=a&b=b&a=a&c=c")
		p.Delete("a")
		e.eq("toString", "b=b&c=c", p.String())
	}},
	"delete_has_size: 'a=a&=&b=b&c=c' delete('')": {check: func(e *paramsExpect) {
		p := NewSearchParams("a=a&=&b=b&c=c")
		p.Delete("")
		e.eq("toString", "a=a&b=b&c=c", p.String())
	}},
	"delete_has_size: delete(null) / delete(undefined)": {
		skip: "JavaScript-only: null and undefined are coerced to the strings \"null\" and \"undefined\"; Go's string parameter has no such values",
	},
	"delete_has_size: new URL('http://example.com/?param1&param2'); delete both": {check: func(e *paramsExpect) {
		u := e.parse("http://example.com/?param1&param2")
		if u == nil {
			return
		}
		u.SearchParams().Delete("param1")
		u.SearchParams().Delete("param2")
		e.eq("href", "http://example.com/", u.Href())
		e.eq("search", "", u.Search())
	}},
	"delete_has_size: new URL('http://example.com/?').searchParams.delete('param1')": {check: func(e *paramsExpect) {
		u := e.parse("http://example.com/?")
		if u == nil {
			return
		}
		u.SearchParams().Delete("param1")
		e.eq("href", "http://example.com/", u.Href())
		e.eq("search", "", u.Search())
	}},
	"delete_has_size: new URL('data:space    ?test') delete('test')": {check: func(e *paramsExpect) {
		u := e.parse("data:space    ?test")
		if u == nil {
			return
		}
		u.SearchParams().Delete("test")
		e.eq("search", "", u.Search())
		e.eq("pathname", "space   %20", u.Pathname())
		e.eq("href", "data:space   %20", u.Href())
	}},
	"delete_has_size: new URL('data:space    ?test#test') delete('test')": {check: func(e *paramsExpect) {
		u := e.parse("data:space    ?test#test")
		if u == nil {
			return
		}
		u.SearchParams().Delete("test")
		e.eq("search", "", u.Search())
		e.eq("pathname", "space   %20", u.Pathname())
		e.eq("href", "data:space   %20#test", u.Href())
	}},
	"delete_has_size: append a=b,a=c,a=d; delete('a','c')": {check: func(e *paramsExpect) {
		p := paramsAppended([2]string{"a", "b"}, [2]string{"a", "c"}, [2]string{"a", "d"})
		p.Delete("a", "c")
		e.eq("toString", "a=b&a=d", p.String())
	}},
	"delete_has_size: a=b,a=c,b=c,b=d; delete('b','c'); delete('a',undefined)": {check: func(e *paramsExpect) {
		p := paramsAppended([2]string{"a", "b"}, [2]string{"a", "c"}, [2]string{"b", "c"}, [2]string{"b", "d"})
		p.Delete("b", "c")
		p.Delete("a") // undefined second argument: the one-argument form
		e.eq("toString", "b=d", p.String())
	}},
	"delete_has_size: has: 'a=b&c=d' has a,c !e; '=b&c=d' has ''": {check: func(e *paramsExpect) {
		p := NewSearchParams("a=b&c=d")
		e.eq("has('a')", true, p.Has("a"))
		e.eq("has('c')", true, p.Has("c"))
		e.eq("has('e')", false, p.Has("e"))
		e.eq("has('')", true, NewSearchParams("=b&c=d").Has(""))
		e.eq("has('a','b')", true, p.Has("a", "b"))
		e.eq("has('a','d')", false, p.Has("a", "d"))
	}},
	"delete_has_size: size: 'a=1&b=2&a=3'": {check: func(e *paramsExpect) {
		p := NewSearchParams("a=1&b=2&a=3")
		e.eq("size", 3, p.Size())
		p.Delete("a")
		e.eq("size after delete", 1, p.Size())
		p.Append("b", "3")
		e.eq("size after append", 2, p.Size())
	}},
	"delete_has_size: url.search='?' then searchParams.size": {check: func(e *paramsExpect) {
		u := e.parse("http://example.com/?a=1&b=2")
		if u == nil {
			return
		}
		p := u.SearchParams()
		e.eq("size before", 2, p.Size())
		u.SetSearch("?")
		e.eq("size", 0, p.Size())
		e.eq("size of a fresh view", 0, u.SearchParams().Size())
	}},

	// url/url-searchparams.any.js
	"url_integration: url.searchParams identity": {check: func(e *paramsExpect) {
		u := e.parse("http://example.org/?a=b")
		if u == nil {
			return
		}
		p := u.SearchParams()
		if p == nil {
			e.problems = append(e.problems, "SearchParams() is nil")
			return
		}
		if p != u.SearchParams() {
			e.problems = append(e.problems, "SearchParams() returns a new object per call")
		}
		u.SetSearch("c=d")
		if p != u.SearchParams() {
			e.problems = append(e.problems, "SetSearch replaced the SearchParams object")
		}
	}},
	"url_integration: url.searchParams = x": {
		skip: "JavaScript-only: assigning the read-only attribute; Go has no setter for it, so the TypeError cannot be written",
	},
	"url_integration: url.search='' ": {check: func(e *paramsExpect) {
		u := e.parse("http://example.org/?a=b&c=d")
		if u == nil {
			return
		}
		p := u.SearchParams()
		u.SetSearch("")
		e.eq("params.toString", "", p.String())
		e.eq("params.size", 0, p.Size())
		e.eq("search", "", u.Search())
		e.eq("href", "http://example.org/", u.Href())
	}},
	"url_integration: url.search='e=f&g=h' or '?e=f&g=h'": {check: func(e *paramsExpect) {
		for _, s := range []string{"e=f&g=h", "?e=f&g=h"} {
			u := e.parse("http://example.org/?a=b&c=d")
			if u == nil {
				return
			}
			p := u.SearchParams()
			u.SetSearch(s)
			e.eq("search", "?e=f&g=h", u.Search())
			e.eq("params.toString", "e=f&g=h", p.String())
			e.get(p, "e", "f")
			e.eq("has('a')", false, p.Has("a"))
		}
	}},
	"url_integration: params.append('i',' j ')": {check: func(e *paramsExpect) {
		u := e.parse("http://example.org/?e=f&g=h")
		if u == nil {
			return
		}
		p := u.SearchParams()
		p.Append("i", " j ")
		e.eq("search", "?e=f&g=h&i=+j+", u.Search())
		e.eq("params.toString", "e=f&g=h&i=+j+", p.String())
		e.get(p, "i", " j ")
		p.Set("e", "updated")
		e.eq("search after set", "?e=updated&g=h&i=+j+", u.Search())
	}},
	"url_integration: new URL('http://example.org/file??a=b&c=d')": {check: func(e *paramsExpect) {
		u := e.parse("http://example.org/file??a=b&c=d")
		if u == nil {
			return
		}
		e.eq("search", "??a=b&c=d", u.Search())
		e.eq("params.toString", "%3Fa=b&c=d", u.SearchParams().String())
		e.get(u.SearchParams(), "?a", "b")
	}},
}

// wptSortAlso is the "also" note of the sort section, which the test
// below implements; a change of the note means the twin needs review.
const wptSortAlso = "each case also run as new URL('?'+input,'https://example/').searchParams.sort(); and new URL('http://example.com/?').searchParams.sort() -> href 'http://example.com/', search ''"

func TestWPTURLSearchParams(t *testing.T) {
	var data struct {
		Constructor   [][2]string `json:"constructor"`
		Stringifier   [][2]string `json:"stringifier"`
		DeleteHasSize [][2]string `json:"delete_has_size"`
		URLIntegrate  [][2]string `json:"url_integration"`
		Sort          struct {
			Rule     string   `json:"rule"`
			RawCases [][2]any `json:"cases"`
			Also     string   `json:"also"`
		} `json:"sort"`
	}
	testutil.LoadWPTJSON(t, "url/urlsearchparams-cases.json", &data)
	c := testutil.NewConformance(t, "urlsearchparams-cases.json")

	used := map[string]bool{}
	run := func(section string, entries [][2]string) {
		for _, entry := range entries {
			name := section + ": " + entry[0]
			twin, ok := wptParamsCases[name]
			if !ok {
				c.Fail(name, "no Go twin for this case (expected %q)", entry[1])
				continue
			}
			used[name] = true
			if twin.skip != "" {
				c.Skip(name, twin.skip)
				continue
			}
			var e paramsExpect
			twin.check(&e)
			c.Check(len(e.problems) == 0, name, "expected %q:\n\t%s", entry[1], strings.Join(e.problems, "\n\t"))
		}
	}
	run("constructor", data.Constructor)
	run("stringifier", data.Stringifier)
	run("delete_has_size", data.DeleteHasSize)
	run("url_integration", data.URLIntegrate)
	for name := range wptParamsCases {
		if !used[name] {
			t.Errorf("Go twin %q matches no case of urlsearchparams-cases.json", name)
		}
	}

	// url/urlsearchparams-sort.any.js: each case on a free-standing
	// SearchParams and on a URL's live one.
	if data.Sort.Also != wptSortAlso {
		t.Errorf("the sort section's note changed; review the test:\n%q", data.Sort.Also)
	}
	for _, raw := range data.Sort.RawCases {
		input, _ := raw[0].(string)
		var want [][2]string
		list, _ := raw[1].([]any)
		for _, item := range list {
			pair, _ := item.([]any)
			if len(pair) != 2 {
				t.Fatalf("sort case %+q: malformed expected pair %v", input, item)
			}
			n, _ := pair[0].(string)
			v, _ := pair[1].(string)
			want = append(want, [2]string{n, v})
		}
		name := fmt.Sprintf("sort %+q", input)
		var e paramsExpect
		p := NewSearchParams(input)
		p.Sort()
		e.eq("sorted", want, paramsPairs(p))
		if u := e.parseWithBase("?"+input, "https://example/"); u != nil {
			u.SearchParams().Sort()
			e.eq("URL's searchParams sorted", want, paramsPairs(u.SearchParams()))
			e.eq("URL's search re-parsed", want, ParseURLEncoded(strings.TrimPrefix(u.Search(), "?")))
		}
		c.Check(len(e.problems) == 0, name, "%s", strings.Join(e.problems, "\n\t"))
	}
	var e paramsExpect
	if u := e.parse("http://example.com/?"); u != nil {
		u.SearchParams().Sort()
		e.eq("href", "http://example.com/", u.Href())
		e.eq("search", "", u.Search())
	}
	c.Check(len(e.problems) == 0, "sort of an empty query removes '?'", "%s", strings.Join(e.problems, "\n\t"))

	if !strings.Contains(data.Sort.Rule, "UTF-16 code units") {
		t.Errorf("the sort rule changed: %q", data.Sort.Rule)
	}
}
