package formdata

import (
	"iter"
	"strconv"

	"github.com/webnet-go/webnet/blob"
	"github.com/webnet-go/webnet/internal/textenc"
)

// FormData is an ordered list of entries, each a name and a [Value] (a
// string or a *blob.File), the XHR Standard's FormData. Names may repeat,
// and the order of entries is kept exactly: it is the order of the parts
// of the multipart/form-data body [FormData.ExtractBody] produces.
//
// Names, string values and filenames are scalar value strings: a Go string
// that is not valid UTF-8 is converted on the way in as WebIDL converts a
// JavaScript string to a USVString (the 3-byte encoding of a surrogate
// becomes one U+FFFD, any other ill-formed sequence becomes U+FFFD as the
// Encoding Standard's UTF-8 decoder replaces it).
//
// The zero value is an empty FormData ready to use; [New] returns one too.
// A FormData is plain data, like http.Header: it is not safe for
// concurrent mutation, but concurrent reads (Get, All, ExtractBody) with
// no writer are safe. The *blob.File values are immutable and shared. Do
// not copy a FormData after first use (go vet's copylocks check flags
// copies): use it through a pointer.
//
// Spec: https://xhr.spec.whatwg.org/#interface-formdata
type FormData struct {
	_       noCopy
	entries []entry
}

// noCopy makes go vet's copylocks check flag copies of a FormData, whose
// copies would share and corrupt one entry list.
type noCopy struct{}

func (*noCopy) Lock()   {}
func (*noCopy) Unlock() {}

// entry is the spec's entry: a name and a value.
//
// Spec: https://xhr.spec.whatwg.org/#concept-formdata-entry
type entry struct {
	name  string
	value Value
}

// Value is the value of a FormData entry: either a string or a *blob.File
// (JavaScript's FormDataEntryValue). The zero Value is the empty string.
//
// Spec: https://xhr.spec.whatwg.org/#formdataentryvalue
type Value struct {
	str  string
	file *blob.File
}

// IsFile reports whether the value is a File rather than a string.
//
// Spec: https://xhr.spec.whatwg.org/#formdataentryvalue
func (v Value) IsFile() bool { return v.file != nil }

// String returns the string value. For a File value, which has no string,
// it returns a placeholder naming the file, `<File "name">` (as
// reflect.Value.String does for non-string kinds); use [Value.File].
//
// Spec: https://xhr.spec.whatwg.org/#formdataentryvalue
func (v Value) String() string {
	if v.file != nil {
		return "<File " + strconv.Quote(v.file.Name()) + ">"
	}
	return v.str
}

// File returns the File value, or nil for a string value.
//
// Spec: https://xhr.spec.whatwg.org/#formdataentryvalue
func (v Value) File() *blob.File { return v.file }

// New returns an empty FormData (JavaScript's new FormData() without a
// form element).
//
// Deviation: there is no form element to read entries from.
//
// Spec: https://xhr.spec.whatwg.org/#dom-formdata
func New() *FormData { return &FormData{} }

// stringEntry is the spec's "create an entry" for a string value.
//
// Spec: https://xhr.spec.whatwg.org/#create-an-entry
func stringEntry(name, value string) entry {
	return entry{name: textenc.USVString(name), value: Value{str: textenc.USVString(value)}}
}

// blobEntry is the spec's "create an entry" for a Blob value: the value
// becomes a File named filename, or "blob" when filename is "". A nil
// *blob.Blob is taken as an empty Blob.
//
// Spec: https://xhr.spec.whatwg.org/#create-an-entry
func blobEntry(name string, value *blob.Blob, filename string) entry {
	if filename == "" {
		filename = "blob"
	}
	if value == nil {
		value = &blob.Blob{}
	}
	f := blob.NewFile([]blob.BlobPart{value}, filename, &blob.FilePropertyBag{Type: value.Type()})
	return entry{name: textenc.USVString(name), value: Value{file: f}}
}

// fileEntry is the spec's "create an entry" for a File value: with a
// filename, the value becomes a new File with that name and the same
// bytes, type and last modification time; without one the File itself is
// the value. A nil *blob.File is taken as an empty File named "blob".
//
// Spec: https://xhr.spec.whatwg.org/#create-an-entry
func fileEntry(name string, value *blob.File, filename string) entry {
	if value == nil {
		return blobEntry(name, nil, filename)
	}
	if filename != "" {
		value = blob.NewFile([]blob.BlobPart{value}, filename,
			&blob.FilePropertyBag{Type: value.Type(), LastModified: value.LastModified()})
	}
	return entry{name: textenc.USVString(name), value: Value{file: value}}
}

// Append adds an entry with a string value at the end.
//
// Spec: https://xhr.spec.whatwg.org/#dom-formdata-append
func (f *FormData) Append(name, value string) {
	f.entries = append(f.entries, stringEntry(name, value))
}

// AppendBlob adds an entry whose value is a File holding value's bytes and
// type, named filename, or "blob" when filename is "" (JavaScript's
// append(name, blob) and append(name, blob, filename)). No bytes are
// copied.
//
// Deviation: JavaScript can give an empty filename explicitly; here ""
// means "not given", so such a File is named "blob".
//
// Spec: https://xhr.spec.whatwg.org/#dom-formdata-append-blob
func (f *FormData) AppendBlob(name string, value *blob.Blob, filename string) {
	f.entries = append(f.entries, blobEntry(name, value, filename))
}

// AppendFile adds an entry whose value is the File value, or, when
// filename is not "", a new File with value's bytes, type and last
// modification time named filename. No bytes are copied.
//
// Deviation: as for AppendBlob, "" means "no filename given".
//
// Spec: https://xhr.spec.whatwg.org/#dom-formdata-append-blob
func (f *FormData) AppendFile(name string, value *blob.File, filename string) {
	f.entries = append(f.entries, fileEntry(name, value, filename))
}

// Set replaces the first entry named name by one with the string value
// and removes the other entries with that name, or appends the entry when
// there is none: the position of the first such entry is kept.
//
// Spec: https://xhr.spec.whatwg.org/#dom-formdata-set
func (f *FormData) Set(name, value string) { f.set(stringEntry(name, value)) }

// SetBlob is [FormData.Set] with a Blob value, named as in
// [FormData.AppendBlob].
//
// Spec: https://xhr.spec.whatwg.org/#dom-formdata-set-blob
func (f *FormData) SetBlob(name string, value *blob.Blob, filename string) {
	f.set(blobEntry(name, value, filename))
}

// SetFile is [FormData.Set] with a File value, named as in
// [FormData.AppendFile].
//
// Spec: https://xhr.spec.whatwg.org/#dom-formdata-set-blob
func (f *FormData) SetFile(name string, value *blob.File, filename string) {
	f.set(fileEntry(name, value, filename))
}

func (f *FormData) set(e entry) {
	first := -1
	for i, old := range f.entries {
		if old.name == e.name {
			first = i
			break
		}
	}
	if first < 0 {
		f.entries = append(f.entries, e)
		return
	}
	f.entries[first] = e
	out := f.entries[:first+1]
	for _, old := range f.entries[first+1:] {
		if old.name != e.name {
			out = append(out, old)
		}
	}
	clear(f.entries[len(out):]) // drop references to removed Files
	f.entries = out
}

// Delete removes every entry named name.
//
// Spec: https://xhr.spec.whatwg.org/#dom-formdata-delete
func (f *FormData) Delete(name string) {
	name = textenc.USVString(name)
	out := f.entries[:0]
	for _, e := range f.entries {
		if e.name != name {
			out = append(out, e)
		}
	}
	clear(f.entries[len(out):])
	f.entries = out
}

// Get returns the value of the first entry named name, and whether there
// is one (JavaScript's get returns null when there is none).
//
// Spec: https://xhr.spec.whatwg.org/#dom-formdata-get
func (f *FormData) Get(name string) (Value, bool) {
	name = textenc.USVString(name)
	for _, e := range f.entries {
		if e.name == name {
			return e.value, true
		}
	}
	return Value{}, false
}

// GetAll returns the values of every entry named name, in order; nil when
// there is none.
//
// Spec: https://xhr.spec.whatwg.org/#dom-formdata-getall
func (f *FormData) GetAll(name string) []Value {
	name = textenc.USVString(name)
	var out []Value
	for _, e := range f.entries {
		if e.name == name {
			out = append(out, e.value)
		}
	}
	return out
}

// Has reports whether there is an entry named name.
//
// Spec: https://xhr.spec.whatwg.org/#dom-formdata-has
func (f *FormData) Has(name string) bool {
	_, ok := f.Get(name)
	return ok
}

// All returns an iterator over the entries' names and values, in order
// (JavaScript's entries(), forEach and for...of). Like the JavaScript
// iterator it walks the live list by position: entries appended during
// the iteration are visited, and deleting entries before the current one
// makes it skip as many.
//
// Spec: https://webidl.spec.whatwg.org/#dfn-value-pairs-to-iterate-over
func (f *FormData) All() iter.Seq2[string, Value] {
	return func(yield func(string, Value) bool) {
		for i := 0; i < len(f.entries); i++ {
			e := f.entries[i]
			if !yield(e.name, e.value) {
				return
			}
		}
	}
}

// Keys returns an iterator over the entries' names, in order, repeated
// names included (JavaScript's keys()).
//
// Spec: https://webidl.spec.whatwg.org/#dfn-value-pairs-to-iterate-over
func (f *FormData) Keys() iter.Seq[string] {
	return func(yield func(string) bool) {
		for name := range f.All() {
			if !yield(name) {
				return
			}
		}
	}
}

// Values returns an iterator over every entry's value, in order
// (JavaScript's values()). Unlike http.Header.Values(key), it is not
// limited to one name: use [FormData.GetAll] for that.
//
// Spec: https://webidl.spec.whatwg.org/#dfn-value-pairs-to-iterate-over
func (f *FormData) Values() iter.Seq[Value] {
	return func(yield func(Value) bool) {
		for _, v := range f.All() {
			if !yield(v) {
				return
			}
		}
	}
}
