package url

import (
	"cmp"
	"github.com/webnet-go/webnet/internal/textenc"
	"io"
	"iter"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"
)

// SearchParams is an ordered list of name-value pairs, what URLSearchParams
// is in the browser: the query of a URL read and written as
// application/x-www-form-urlencoded.
//
// A SearchParams is either free-standing (from [NewSearchParams],
// [NewSearchParamsFromPairs], [NewSearchParamsFromMap] or its zero value,
// an empty list ready to use) or the live view of one [URL], returned by
// [URL.SearchParams]. A live view and its URL stay in step both ways: every
// mutation (Append, Delete, Set, Sort) rewrites the URL's query with the
// serialization of the list, and an empty list removes the "?" altogether;
// setting the URL's search re-parses the list in place, so a *SearchParams
// obtained earlier sees the change.
//
// Names and values are scalar value strings (valid UTF-8). A Go string
// argument that is not valid UTF-8 is converted as WebIDL converts a
// USVString: the 3-byte encoding of a surrogate (ED A0..BF xx, from WTF-8 or
// CESU-8) becomes one U+FFFD, as a lone surrogate does in JavaScript, and
// any other invalid byte sequence becomes U+FFFD as the Encoding Standard's
// UTF-8 decoder replaces it. Everything a SearchParams returns is therefore
// valid UTF-8, and parsing its String gives the same list back.
//
// # Concurrency
//
// A SearchParams is plain data, like [net/http.Header]: it is not safe for
// concurrent mutation, and a mutation of a live view also writes its URL.
// Concurrent reads with no writer are safe. Do not copy a SearchParams
// value after first use; use it through its pointer.
//
// Spec: https://url.spec.whatwg.org/#interface-urlsearchparams
type SearchParams struct {
	_    paramsNoCopy
	list [][2]string
	url  *URL // the URL this is the live view of, or nil
}

// paramsNoCopy lets go vet's copylocks check flag copies of a SearchParams.
type paramsNoCopy struct{}

func (*paramsNoCopy) Lock()   {}
func (*paramsNoCopy) Unlock() {}

// NewSearchParams returns a free-standing SearchParams holding the pairs of
// query parsed as application/x-www-form-urlencoded, like
// new URLSearchParams("?a=b&c=d"). One leading "?" is removed first. The
// parse never fails; see [ParseURLEncoded] for how odd input is read.
//
// Spec: https://url.spec.whatwg.org/#dom-urlsearchparams-urlsearchparams
func NewSearchParams(query string) *SearchParams {
	query = strings.TrimPrefix(query, "?")
	return &SearchParams{list: ParseURLEncoded(query)}
}

// NewSearchParamsFromPairs returns a free-standing SearchParams holding a
// copy of pairs in their order, like new URLSearchParams([["a", "b"]]).
// Names and values are taken as they are, without percent-decoding, and
// repeated names are kept.
//
// Spec: https://url.spec.whatwg.org/#dom-urlsearchparams-urlsearchparams
func NewSearchParamsFromPairs(pairs [][2]string) *SearchParams {
	p := &SearchParams{list: make([][2]string, 0, len(pairs))}
	for _, pair := range pairs {
		p.list = append(p.list, [2]string{textenc.USVString(pair[0]), textenc.USVString(pair[1])})
	}
	return p
}

// NewSearchParamsFromMap returns a free-standing SearchParams holding the
// entries of m, like new URLSearchParams({a: "b"}), in increasing key
// order (Go's < on strings, which for valid UTF-8 is code point order).
// Keys and values are taken as they are, without percent-decoding. When two
// keys that are not valid UTF-8 become the same scalar value string (see
// [SearchParams]), the later one's value replaces the earlier one's, at the
// earlier one's position, as a JavaScript record does.
//
// Deviation: JavaScript keeps a record's insertion order; a Go map has
// none, so the keys are sorted to make the result deterministic.
//
// Spec: https://url.spec.whatwg.org/#dom-urlsearchparams-urlsearchparams
func NewSearchParamsFromMap(m map[string]string) *SearchParams {
	p := &SearchParams{list: make([][2]string, 0, len(m))}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		name, value := textenc.USVString(k), textenc.USVString(m[k])
		if name != k {
			// Only a converted key can collide with an earlier one.
			if i := p.index(name); i >= 0 {
				p.list[i][1] = value
				continue
			}
		}
		p.list = append(p.list, [2]string{name, value})
	}
	return p
}

// newSearchParamsForURL returns the live view of u, its list parsed from
// query (the URL's query without "?", "" when it has none).
//
// Spec: https://url.spec.whatwg.org/#dom-url-url
func newSearchParamsForURL(u *URL, query string) *SearchParams {
	return &SearchParams{list: ParseURLEncoded(query), url: u}
}

// replaceFromQuery sets the list to query parsed, without writing the URL
// back: the URL's setters call it after they changed the query.
//
// Spec: https://url.spec.whatwg.org/#dom-url-search
func (p *SearchParams) replaceFromQuery(query string) {
	p.list = ParseURLEncoded(query)
}

// update runs the URLSearchParams update steps: a live view writes its
// serialization into its URL (core turns "" into a null query).
//
// Spec: https://url.spec.whatwg.org/#concept-urlsearchparams-update
func (p *SearchParams) update() {
	if p.url != nil {
		p.url.updateFromSearchParams(p.String())
	}
}

// index returns the position of the first pair named name, or -1.
func (p *SearchParams) index(name string) int {
	for i := range p.list {
		if p.list[i][0] == name {
			return i
		}
	}
	return -1
}

// Size returns the number of name-value pairs, repeated names included.
//
// Spec: https://url.spec.whatwg.org/#dom-urlsearchparams-size
func (p *SearchParams) Size() int {
	return len(p.list)
}

// Append adds the pair name=value at the end, even when name is already
// present.
//
// Spec: https://url.spec.whatwg.org/#dom-urlsearchparams-append
func (p *SearchParams) Append(name, value string) {
	p.list = append(p.list, [2]string{textenc.USVString(name), textenc.USVString(value)})
	p.update()
}

// Delete removes every pair named name, or, when a value is given, every
// pair named name whose value is value[0]; it is variadic only because the
// value is optional in JavaScript, and values after the first are ignored
// as JavaScript ignores extra arguments. Delete always runs the update
// steps, so on a live view whose list ends up empty the URL loses its "?".
//
// Spec: https://url.spec.whatwg.org/#dom-urlsearchparams-delete
func (p *SearchParams) Delete(name string, value ...string) {
	name = textenc.USVString(name)
	if len(value) > 0 {
		v := textenc.USVString(value[0])
		p.list = slices.DeleteFunc(p.list, func(e [2]string) bool { return e[0] == name && e[1] == v })
	} else {
		p.list = slices.DeleteFunc(p.list, func(e [2]string) bool { return e[0] == name })
	}
	p.update()
}

// Get returns the value of the first pair named name, and false when there
// is none (where JavaScript returns null).
//
// Spec: https://url.spec.whatwg.org/#dom-urlsearchparams-get
func (p *SearchParams) Get(name string) (string, bool) {
	if i := p.index(textenc.USVString(name)); i >= 0 {
		return p.list[i][1], true
	}
	return "", false
}

// GetAll returns the values of the pairs named name in order, nil when
// there are none. The slice is the caller's.
//
// Spec: https://url.spec.whatwg.org/#dom-urlsearchparams-getall
func (p *SearchParams) GetAll(name string) []string {
	name = textenc.USVString(name)
	var out []string
	for _, e := range p.list {
		if e[0] == name {
			out = append(out, e[1])
		}
	}
	return out
}

// Has reports whether a pair is named name, or, when a value is given,
// whether a pair is named name and has the value value[0]; values after the
// first are ignored, as in [SearchParams.Delete].
//
// Spec: https://url.spec.whatwg.org/#dom-urlsearchparams-has
func (p *SearchParams) Has(name string, value ...string) bool {
	name = textenc.USVString(name)
	if len(value) == 0 {
		return p.index(name) >= 0
	}
	v := textenc.USVString(value[0])
	return slices.Contains(p.list, [2]string{name, v})
}

// Set gives name the single value value: the first pair named name gets
// value and the other pairs named name are removed; with no such pair,
// name=value is appended.
//
// Spec: https://url.spec.whatwg.org/#dom-urlsearchparams-set
func (p *SearchParams) Set(name, value string) {
	name, value = textenc.USVString(name), textenc.USVString(value)
	if i := p.index(name); i < 0 {
		p.list = append(p.list, [2]string{name, value})
	} else {
		p.list[i][1] = value
		rest := slices.DeleteFunc(p.list[i+1:], func(e [2]string) bool { return e[0] == name })
		p.list = p.list[:i+1+len(rest)]
	}
	p.update()
}

// Sort sorts the pairs by name, comparing names as sequences of UTF-16
// code units exactly as JavaScript compares strings; pairs with equal
// names keep their relative order (the sort is stable). UTF-16 order
// differs from Go's byte order only where a character above U+FFFF meets
// one in U+E000..U+FFFF: "\U0001F308" sorts before "\uFB03".
//
// Spec: https://url.spec.whatwg.org/#dom-urlsearchparams-sort
func (p *SearchParams) Sort() {
	slices.SortStableFunc(p.list, func(a, b [2]string) int { return formCompareUTF16(a[0], b[0]) })
	p.update()
}

// formCompareUTF16 compares two valid UTF-8 strings by their UTF-16 code
// units, returning -1, 0 or +1.
func formCompareUTF16(a, b string) int {
	n := min(len(a), len(b))
	i := 0
	for i < n && a[i] == b[i] {
		i++
	}
	if i == n {
		return cmp.Compare(len(a), len(b))
	}
	// Back up to the start of the code points that differ: the common
	// prefix ends inside them when they share their leading bytes.
	for i > 0 && !utf8.RuneStart(a[i]) {
		i--
	}
	ra, _ := utf8.DecodeRuneInString(a[i:])
	rb, _ := utf8.DecodeRuneInString(b[i:])
	if (ra >= 0x10000) == (rb >= 0x10000) {
		// Both in the BMP or both encoded as surrogate pairs: code point
		// order is code unit order.
		return cmp.Compare(ra, rb)
	}
	// One is a surrogate pair, whose first unit (U+D800..U+DBFF) sorts
	// before the other's unit exactly when that one is U+E000 or above.
	if ra >= 0x10000 {
		return cmp.Compare(0xD800, rb)
	}
	return cmp.Compare(ra, 0xD800)
}

// String returns the pairs serialized as application/x-www-form-urlencoded,
// as URLSearchParams' toString does: "q=test+me%21&tbs=qdr%3Ay". It has no
// leading "?". See [SerializeURLEncoded] for the encoding.
//
// Spec: https://url.spec.whatwg.org/#urlsearchparams-stringification-behavior
func (p *SearchParams) String() string {
	return formSerialize(p.list, true)
}

// All returns an iterator over the pairs in order, like entries() or
// for...of in JavaScript. The iteration is live, as JavaScript's is: it
// walks the list by position, so a pair appended during the loop is
// visited, and deleting the current or an earlier pair shifts the rest
// (the pair after the deleted one is skipped).
//
// Spec: https://url.spec.whatwg.org/#interface-urlsearchparams
func (p *SearchParams) All() iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		for i := 0; i < len(p.list); i++ {
			if !yield(p.list[i][0], p.list[i][1]) {
				return
			}
		}
	}
}

// Keys returns an iterator over the names of the pairs in order, repeated
// names included, like keys() in JavaScript. It is live as [SearchParams.All] is.
//
// Spec: https://url.spec.whatwg.org/#interface-urlsearchparams
func (p *SearchParams) Keys() iter.Seq[string] {
	return func(yield func(string) bool) {
		for i := 0; i < len(p.list); i++ {
			if !yield(p.list[i][0]) {
				return
			}
		}
	}
}

// Values returns an iterator over the values of all pairs in order, like
// values() in JavaScript. Unlike [net/http.Header.Values], it takes no name:
// use [SearchParams.GetAll] for the values of one name. It is live as
// [SearchParams.All] is.
//
// Spec: https://url.spec.whatwg.org/#interface-urlsearchparams
func (p *SearchParams) Values() iter.Seq[string] {
	return func(yield func(string) bool) {
		for i := 0; i < len(p.list); i++ {
			if !yield(p.list[i][1]) {
				return
			}
		}
	}
}

// formContentType is the Content-Type that extracting a URLSearchParams
// body gives.
const formContentType = "application/x-www-form-urlencoded;charset=UTF-8"

// ExtractBody makes a SearchParams a fetch body (fetch.BodyInit) without
// this package importing fetch. It returns a fresh reader over the
// serialization (the same bytes as [SearchParams.String]) on every call, its
// exact length, and the Content-Type
// "application/x-www-form-urlencoded;charset=UTF-8". The serialization is
// taken when ExtractBody is called: later mutations do not change the
// returned body. The error is always nil.
//
// Spec: https://fetch.spec.whatwg.org/#concept-bodyinit-extract
func (p *SearchParams) ExtractBody() (body io.ReadCloser, length int64, contentType string, err error) {
	s := p.String()
	return io.NopCloser(strings.NewReader(s)), int64(len(s)), formContentType, nil
}
