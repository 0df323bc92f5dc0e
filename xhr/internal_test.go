package xhr

import (
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/webnet-go/webnet/fetch"
	"github.com/webnet-go/webnet/internal/httpmethod"
	"github.com/webnet-go/webnet/internal/mimetype"
	"github.com/webnet-go/webnet/internal/textenc"
)

func TestUTF8DecodeWithoutBOM(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"valid", "h\u00e9llo \u3072\U0001F600", "h\u00e9llo \u3072\U0001F600"},
		{"lone continuation", "a\x80b", "a\uFFFDb"},
		{"truncated 3-byte", "\xE3\x81", "\uFFFD"},
		{"truncated 3-byte then ASCII", "\xE3\x81z", "\uFFFDz"},
		{"truncated 4-byte", "\xF0\x90\x80", "\uFFFD"},
		{"surrogate", "\xED\xA0\x80", "\uFFFD\uFFFD\uFFFD"},
		{"overlong", "\xC0\x80", "\uFFFD\uFFFD"},
		{"E0 overlong", "\xE0\x80\x80", "\uFFFD\uFFFD\uFFFD"},
		{"above U+10FFFF", "\xF4\x90\x80\x80", "\uFFFD\uFFFD\uFFFD\uFFFD"},
		{"FF", "\xFF", "\uFFFD"},
		{"BOM is kept", "\xEF\xBB\xBFx", "\uFEFFx"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, textenc.UTF8DecodeWithoutBOM([]byte(tt.in)))
		})
	}
	assert.Equal(t, "x", textenc.UTF8Decode([]byte("\xEF\xBB\xBFx")))
}

func TestDecodeText(t *testing.T) {
	win1252, ok := encodingFor("windows-1252")
	require.True(t, ok)
	replacement, ok := encodingFor("iso-2022-kr")
	require.True(t, ok)
	userDefined, ok := encodingFor("x-user-defined")
	require.True(t, ok)
	tests := []struct {
		name     string
		in       string
		fallback textEncoding
		want     string
	}{
		{"utf-8 fallback", "\xE2\x82\xAC", utf8Encoding, "€"},
		{"windows-1252", "\x80\xE9", win1252, "€é"},
		{"UTF-8 BOM beats the fallback", "\xEF\xBB\xBF\xC3\xA9", win1252, "é"},
		{"UTF-16BE BOM", "\xFE\xFF\x00h\x00i", win1252, "hi"},
		{"UTF-16LE BOM", "\xFF\xFEh\x00i\x00", utf8Encoding, "hi"},
		{"UTF-16LE odd byte", "\xFF\xFEh\x00i", utf8Encoding, "h\uFFFD"},
		{"UTF-16BE lone surrogate", "\xFE\xFF\xD8\x00\x00a", utf8Encoding, "\uFFFDa"},
		{"BOM only once", "\xFF\xFE\xFF\xFE", utf8Encoding, "\uFEFF"},
		{"replacement", "anything", replacement, "\uFFFD"},
		{"replacement of nothing", "", replacement, ""},
		{"x-user-defined", "a\x80", userDefined, "a\uF780"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, decodeText([]byte(tt.in), tt.fallback))
		})
	}
	_, ok = encodingFor("bogus")
	assert.False(t, ok)
}

func TestFinalEncoding(t *testing.T) {
	parse := func(s string) *mimetype.MIMEType {
		m, ok := mimetype.Parse(s)
		require.True(t, ok, s)
		return m
	}
	enc, ok := finalEncoding(parse("text/plain;charset=latin1"), nil)
	require.True(t, ok)
	assert.Equal(t, "windows-1252", enc.Name)
	enc, ok = finalEncoding(parse("text/plain;charset=latin1"), parse("text/plain;charset=utf-8"))
	require.True(t, ok)
	assert.Equal(t, "UTF-8", enc.Name, "the override's charset wins")
	enc, ok = finalEncoding(parse("text/plain;charset=shift_jis"), parse("text/plain"))
	require.True(t, ok)
	assert.Equal(t, "shift_jis", enc.Name, "an override without charset keeps the response's")
	_, ok = finalEncoding(parse("text/plain;charset=bogus"), nil)
	assert.False(t, ok)
	_, ok = finalEncoding(nil, nil)
	assert.False(t, ok)
}

func TestXMLDeclaredEncoding(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" for none
	}{
		{`<?xml version="1.0" encoding="windows-1252"?><x/>`, "windows-1252"},
		{`<?xml version='1.0' encoding = 'ISO-8859-2' ?><x/>`, "iso-8859-2"},
		{`<?xml version="1.0"?><x/>`, ""},
		{`<?xml-stylesheet encoding="latin1"?>`, ""},
		{`<?xml version="1.0" encoding="bogus"?>`, ""},
		{`<?xml version="1.0" encoding="latin1"`, ""},
		{`<?xml version="1.0" encoding=latin1?>`, ""},
		{`<?xml version="1.0" encoding="latin1?>`, ""},
		{`<?xml version="1.0" encoding?>`, ""},
		{`<x/>`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			enc, ok := xmlDeclaredEncoding([]byte(tt.in))
			assert.Equal(t, tt.want != "", ok)
			assert.Equal(t, tt.want, enc.Name)
		})
	}
}

func TestHTMLPrescanEncoding(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{`<meta charset="windows-1251">`, "windows-1251"},
		{`<META CHARSET=koi8-r>`, "koi8-r"},
		{`<meta http-equiv="Content-Type" content="text/html; charset='iso-8859-2'">`, "iso-8859-2"},
		{`<meta content="text/html; charset=shift_jis" http-equiv="content-type">`, "shift_jis"},
		{`<meta content="text/html; charset=shift_jis">`, ""},
		{`<meta charset="utf-16le">`, "UTF-8"},
		{`<meta charset="x-user-defined">`, "windows-1252"},
		{`<meta charset="bogus"><meta charset="latin1">`, "windows-1252"},
		{`<p>no meta</p>`, ""},
		{strings.Repeat(" ", 1024) + `<meta charset="latin1">`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.in[:min(len(tt.in), 40)], func(t *testing.T) {
			enc, ok := htmlPrescanEncoding([]byte(tt.in))
			assert.Equal(t, tt.want != "", ok)
			assert.Equal(t, tt.want, enc.Name)
		})
	}
	assert.Equal(t, "", charsetFromMetaContent("charset"))
	assert.Equal(t, "", charsetFromMetaContent("charset=\"unterminated"))
	// Non-ASCII letters whose lower case has another length must not shift
	// the offsets (this one used to slice out of range).
	assert.Equal(t, "utf-8", charsetFromMetaContent("\u212A\u212A\u212A\u212A\u212A charset=utf-8"))
	assert.Equal(t, "", charsetFromMetaContent("\u212A\u212A\u212Acharset"))
	assert.Equal(t, "a", charsetFromMetaContent("charsetx; charset = a ;b"))
	assert.Equal(t, "", charsetFromMetaContent("charset= "))
}

func TestAllResponseHeaders(t *testing.T) {
	list := fetch.HeaderList{
		{"foo-TEST", "1"}, {"FOO-test", "2"}, {"__Custom", "token"}, {"ALSO-here", "Mr. PB"},
		{"ewok", "lego"}, {"Set-Cookie", "a=1"}, {"set-cookie2", "b=2"},
	}
	assert.Equal(t, "also-here: Mr. PB\r\newok: lego\r\nfoo-test: 1, 2\r\n__custom: token\r\n", allResponseHeaders(list.All()))
	assert.Equal(t, "", allResponseHeaders(fetch.HeaderList{}.All()))
	assert.Equal(t, "AB_Z", byteUppercase("ab_z"))
	assert.Equal(t, "ab\xff", textenc.LowerASCII("AB\xff"))
}

func TestHeaderHelpers(t *testing.T) {
	var l headerList
	l.combine("X-A", "1")
	l.combine("x-a", "2")
	l.set("Content-Type", "a")
	l.set("content-type", "b")
	v, ok := l.get("X-a")
	assert.True(t, ok)
	assert.Equal(t, "1, 2", v)
	v, _ = l.get("CONTENT-TYPE")
	assert.Equal(t, "b", v)
	_, ok = l.get("missing")
	assert.False(t, ok)
	assert.Equal(t, map[string]string{"X-A": "1, 2", "Content-Type": "b"}, maps.Collect(fetch.HeaderList(l).All()))
	for range fetch.HeaderList(l).All() {
		break // stopping early is allowed
	}

	assert.Equal(t, "POST", httpmethod.Normalize("post"))
	assert.Equal(t, "patch", httpmethod.Normalize("patch"))
	assert.True(t, httpmethod.Forbidden("track"))
	assert.False(t, httpmethod.Forbidden("GET"))
	assert.True(t, fetch.IsForbiddenRequestHeader("Proxy-Authorization", "x"))
	assert.True(t, fetch.IsForbiddenRequestHeader("Sec-Fetch-Mode", "x"))
	assert.True(t, fetch.IsForbiddenRequestHeader("X-Method-Override", "GET, connect"))
	assert.False(t, fetch.IsForbiddenRequestHeader("X-Method-Override", "GET, PATCH"))
	assert.False(t, fetch.IsForbiddenRequestHeader("X-Custom", "x"))
	assert.Equal(t, "a \x0b", textenc.TrimHTTPWhitespace("\t a \x0b\r\n "))
	assert.True(t, isHeaderName("X-Ok"))
	assert.False(t, isHeaderName(""))
}

func TestContentLength(t *testing.T) {
	tests := []struct {
		values []string
		want   int64
	}{
		{nil, -1},
		{[]string{"12"}, 12},
		{[]string{"0", "0"}, 0},
		{[]string{"1, 1"}, 1},
		{[]string{"1", "2"}, -1},
		{[]string{"-1"}, -1},
		{[]string{""}, -1},
		{[]string{"99999999999999999999"}, -1},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.values, "|"), func(t *testing.T) {
			var list fetch.HeaderList
			for _, v := range tt.values {
				list = append(list, [2]string{"Content-Length", v})
			}
			resp, err := fetch.NewResponse(nil, &fetch.ResponseInit{Headers: list})
			require.NoError(t, err)
			assert.Equal(t, tt.want, contentLength(resp))
		})
	}
}

func TestEventLoop(t *testing.T) {
	var l eventLoop
	assert.False(t, l.onLoop())
	var (
		order   []int
		inner   bool
		outerID int64
	)
	l.do(func() {
		outerID = goroutineID()
		order = append(order, 1)
		l.do(func() { // nested: runs at once
			inner = l.onLoop()
			order = append(order, 2)
		})
		order = append(order, 3)
	})
	assert.Equal(t, []int{1, 2, 3}, order)
	assert.True(t, inner)
	assert.NotEqual(t, goroutineID(), outerID, "tasks run on the loop's goroutine")
	l.waitIdle()
	assert.False(t, l.running)

	// Tasks posted from many goroutines run one at a time, each once.
	// running is counted outside mu, so that two tasks running at once
	// would see each other.
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		running atomic.Int32
		seen    []int
	)
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.do(func() {
				assert.Equal(t, int32(1), running.Add(1))
				mu.Lock()
				seen = append(seen, i)
				mu.Unlock()
				running.Add(-1)
			})
		}()
	}
	wg.Wait()
	l.waitIdle()
	slices.Sort(seen)
	assert.Len(t, seen, 50)
	assert.Equal(t, 50, len(slices.Compact(seen)))
}

func TestGoroutineIDDiffers(t *testing.T) {
	here := goroutineID()
	assert.Positive(t, here)
	there := make(chan int64)
	go func() { there <- goroutineID() }()
	assert.NotEqual(t, here, <-there)
}

func TestEventTypeNames(t *testing.T) {
	var names []string
	for typ := range numEventTypes {
		names = append(names, typ.String())
	}
	assert.Equal(t, []string{"loadstart", "progress", "abort", "error", "load", "timeout", "loadend"}, names)
}
