package formdata

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/webnet-go/webnet/blob"
)

// pairs lists the entries as name=value strings, files as name=<File "n">.
func pairs(f *FormData) []string {
	var out []string
	for name, v := range f.All() {
		out = append(out, name+"="+v.String())
	}
	return out
}

func text(t *testing.T, f *blob.File) string {
	t.Helper()
	s, err := f.Text()
	require.NoError(t, err)
	return s
}

func TestAppendGetHas(t *testing.T) {
	t.Parallel()
	var f FormData // the zero value is ready
	assert.False(t, f.Has("a"))
	_, ok := f.Get("a")
	assert.False(t, ok)
	assert.Nil(t, f.GetAll("a"))

	f.Append("a", "1")
	f.Append("b", "2")
	f.Append("a", "3")
	f.Append("", "")
	assert.Equal(t, []string{"a=1", "b=2", "a=3", "="}, pairs(&f))
	v, ok := f.Get("a")
	require.True(t, ok)
	assert.Equal(t, "1", v.String())
	assert.False(t, v.IsFile())
	assert.Nil(t, v.File())
	assert.Equal(t, []Value{{str: "1"}, {str: "3"}}, f.GetAll("a"))
	assert.True(t, f.Has(""))
	assert.Equal(t, []string{"a", "b", "a", ""}, slices.Collect(f.Keys()))
	var vals []string
	for v := range f.Values() {
		vals = append(vals, v.String())
	}
	assert.Equal(t, []string{"1", "2", "3", ""}, vals)
}

func TestSetReplacesFirstInPlace(t *testing.T) {
	t.Parallel()
	f := New()
	f.Append("a", "1")
	f.Append("b", "2")
	f.Append("a", "3")
	f.Append("c", "4")
	f.Append("a", "5")
	f.Set("a", "x")
	assert.Equal(t, []string{"a=x", "b=2", "c=4"}, pairs(f))
	f.Set("d", "new")
	assert.Equal(t, []string{"a=x", "b=2", "c=4", "d=new"}, pairs(f))

	b := blob.New([]blob.BlobPart{blob.String("bytes")}, nil)
	f.SetBlob("b", b, "")
	f.SetFile("c", blob.NewFile(nil, "c.txt", nil), "renamed.txt")
	assert.Equal(t, []string{"a=x", `b=<File "blob">`, `c=<File "renamed.txt">`, "d=new"}, pairs(f))
}

func TestDelete(t *testing.T) {
	t.Parallel()
	f := New()
	f.Append("a", "1")
	f.Append("b", "2")
	f.Append("a", "3")
	f.Delete("a")
	assert.Equal(t, []string{"b=2"}, pairs(f))
	f.Delete("missing")
	f.Delete("b")
	assert.Empty(t, pairs(f))
}

func TestBlobAndFileEntries(t *testing.T) {
	t.Parallel()
	b := blob.New([]blob.BlobPart{blob.String("blob bytes")}, &blob.BlobPropertyBag{Type: "text/plain"})
	mod := time.UnixMilli(1_700_000_000_000)
	file := blob.NewFile([]blob.BlobPart{blob.String("file bytes")}, "orig.txt",
		&blob.FilePropertyBag{Type: "text/x-orig", LastModified: mod})

	f := New()
	f.AppendBlob("b1", b, "")
	f.AppendBlob("b2", b, "named.bin")
	f.AppendFile("f1", file, "")
	f.AppendFile("f2", file, "other.txt")
	f.AppendBlob("nil", nil, "")
	f.AppendFile("nilfile", nil, "x")

	get := func(name string) *blob.File {
		v, ok := f.Get(name)
		require.True(t, ok)
		require.True(t, v.IsFile())
		return v.File()
	}
	b1 := get("b1")
	assert.Equal(t, "blob", b1.Name(), "a Blob's filename defaults to \"blob\"")
	assert.Equal(t, "text/plain", b1.Type())
	assert.Equal(t, "blob bytes", text(t, b1))
	assert.WithinDuration(t, time.Now(), b1.LastModified(), time.Minute)
	assert.Equal(t, "named.bin", get("b2").Name())

	assert.Same(t, file, get("f1"), "a File without a filename is the entry's value itself")
	f2 := get("f2")
	assert.NotSame(t, file, f2)
	assert.Equal(t, "other.txt", f2.Name())
	assert.Equal(t, "text/x-orig", f2.Type())
	assert.True(t, mod.Equal(f2.LastModified()))
	assert.Equal(t, "file bytes", text(t, f2))

	assert.Equal(t, "blob", get("nil").Name())
	assert.Equal(t, int64(0), get("nil").Size())
	assert.Equal(t, "x", get("nilfile").Name())
	assert.Equal(t, `<File "named.bin">`, Value{file: get("b2")}.String())
}

func TestUSVConversion(t *testing.T) {
	t.Parallel()
	f := New()
	f.Append("n\xff", "v\xed\xa0\x80")
	f.AppendBlob("b", nil, "f\xc0")
	assert.True(t, f.Has("n\uFFFD"))
	assert.True(t, f.Has("n\xff"), "lookups convert their argument too")
	v, _ := f.Get("n\xff")
	assert.Equal(t, "v\uFFFD", v.String(), "an encoded surrogate is one U+FFFD")
	fv, _ := f.Get("b")
	assert.Equal(t, "f\uFFFD", fv.File().Name())
}

func TestAllIteratesLiveList(t *testing.T) {
	t.Parallel()
	f := New()
	f.Append("a", "1")
	f.Append("b", "2")
	var seen []string
	for name := range f.All() {
		seen = append(seen, name)
		if name == "a" {
			f.Append("c", "3") // appended entries are visited
		}
	}
	assert.Equal(t, []string{"a", "b", "c"}, seen)

	seen = nil
	for name := range f.All() {
		seen = append(seen, name)
		if name == "b" {
			break
		}
	}
	assert.Equal(t, []string{"a", "b"}, seen)
	// Keys and Values stop when the loop breaks (a yield after that would
	// panic), and the loop body runs once.
	keys, values := 0, 0
	for range f.Keys() {
		keys++
		break
	}
	for range f.Values() {
		values++
		break
	}
	assert.Equal(t, 1, keys)
	assert.Equal(t, 1, values)
}

func TestZeroValue(t *testing.T) {
	t.Parallel()
	var v Value
	assert.False(t, v.IsFile())
	assert.Equal(t, "", v.String())
	assert.Nil(t, v.File())
}
