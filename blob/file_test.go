package blob

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
	return p
}

func TestNewFile(t *testing.T) {
	t.Parallel()
	before := time.Now()
	f := NewFile([]BlobPart{String("bits")}, "dummy/foo", nil)
	assert.Equal(t, "dummy/foo", f.Name(), "a / in the name is kept")
	assert.Equal(t, int64(4), f.Size())
	assert.Equal(t, "", f.Type())
	assert.False(t, f.LastModified().Before(before.Round(0).Add(-time.Millisecond)))
	assert.False(t, f.LastModified().After(time.Now()))

	mod := time.UnixMilli(42)
	g := NewFile(nil, "n\xff", &FilePropertyBag{Type: "Text/Plain", LastModified: mod})
	assert.Equal(t, "n\uFFFD", g.Name(), "names are USVStrings")
	assert.Equal(t, "text/plain", g.Type())
	assert.Equal(t, int64(42), g.LastModified().UnixMilli())

	b := f.Blob()
	assert.Equal(t, "bits", mustText(t, b))
	s := f.Slice(1, 3, "")
	assert.Equal(t, "it", mustText(t, s), "a File's slice is a Blob")

	var zero File
	assert.Equal(t, "", zero.Name())
	assert.True(t, zero.LastModified().IsZero())
	assert.Equal(t, int64(0), zero.Size())
}

func TestOpenFile(t *testing.T) {
	t.Parallel()
	p := writeFile(t, "photo.PNG", "not really a png")
	f, err := OpenFile(p, nil)
	require.NoError(t, err)
	assert.Equal(t, "photo.PNG", f.Name())
	assert.Equal(t, "image/png", f.Type(), "typed by extension")
	assert.Equal(t, int64(16), f.Size())
	st, err := os.Stat(p)
	require.NoError(t, err)
	assert.True(t, st.ModTime().Equal(f.LastModified()))
	assert.Equal(t, "not really a png", mustText(t, f))
	assert.Equal(t, "really", mustText(t, f.Slice(4, 10, "")))
	assert.Equal(t, "[really]", mustText(t, New([]BlobPart{String("["), f.Slice(4, 10, ""), String("]")}, nil)))

	mod := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	g, err := OpenFile(p, &FilePropertyBag{Type: "application/x-mine", LastModified: mod})
	require.NoError(t, err)
	assert.Equal(t, "application/x-mine", g.Type())
	assert.True(t, mod.Equal(g.LastModified()))

	h, err := OpenFile(writeFile(t, "page.html", "<p>"), nil)
	require.NoError(t, err)
	assert.Equal(t, "text/html", h.Type(), "parameters of the guessed type are dropped")

	empty, err := OpenFile(writeFile(t, "empty", ""), nil)
	require.NoError(t, err)
	assert.Equal(t, int64(0), empty.Size())
	assert.Equal(t, "", mustText(t, empty))
}

func TestOpenFileRelativePath(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "rel.txt"), []byte("rel"), 0o600))
	t.Chdir(dir)
	f, err := OpenFile("rel.txt", nil)
	require.NoError(t, err)
	t.Chdir(os.TempDir()) // the File keeps the absolute path
	assert.Equal(t, "rel", mustText(t, f))
}

func TestOpenFileErrors(t *testing.T) {
	t.Parallel()
	_, err := OpenFile(filepath.Join(t.TempDir(), "missing"), nil)
	require.ErrorIs(t, err, fs.ErrNotExist)
	var pe *fs.PathError
	assert.ErrorAs(t, err, &pe)

	_, err = OpenFile(t.TempDir(), nil)
	require.Error(t, err)
	assert.ErrorAs(t, err, &pe)
	assert.Contains(t, err.Error(), "not a regular file")
}

func TestOpenFileChanged(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(t *testing.T, path string)
		is     error
	}{
		{"content and size", func(t *testing.T, p string) {
			require.NoError(t, os.WriteFile(p, []byte("longer content"), 0o600))
		}, nil},
		{"modification time only", func(t *testing.T, p string) {
			at := time.Now().Add(-time.Hour)
			require.NoError(t, os.Chtimes(p, at, at))
		}, nil},
		{"removed", func(t *testing.T, p string) {
			require.NoError(t, os.Remove(p))
		}, fs.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := writeFile(t, "f.txt", "content")
			f, err := OpenFile(p, nil)
			require.NoError(t, err)
			slice := f.Slice(1, 3, "")
			tt.change(t, p)

			for _, b := range []interface {
				Bytes() ([]byte, error)
				Text() (string, error)
				Stream() io.ReadCloser
			}{f, slice} {
				_, err = b.Bytes()
				require.ErrorIs(t, err, ErrNotReadable)
				_, err = b.Text()
				require.ErrorIs(t, err, ErrNotReadable)
				r := b.Stream()
				_, err = io.ReadAll(r)
				require.ErrorIs(t, err, ErrNotReadable)
				require.NoError(t, r.Close())
				if tt.is != nil {
					assert.ErrorIs(t, err, tt.is)
				}
			}
		})
	}
}

func TestOpenFileChangedWhileReading(t *testing.T) {
	t.Parallel()
	p := writeFile(t, "f.txt", "0123456789")
	f, err := OpenFile(p, nil)
	require.NoError(t, err)
	r := f.Stream()
	defer r.Close()
	buf := make([]byte, 4)
	n, err := r.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, "0123", string(buf[:n]))

	require.NoError(t, os.Truncate(p, 6))
	_, err = io.ReadAll(r)
	require.ErrorIs(t, err, ErrNotReadable)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)

	// A change that keeps the size is seen when the range is finished.
	q := writeFile(t, "g.txt", "abcdef")
	g, err := OpenFile(q, nil)
	require.NoError(t, err)
	r2 := g.Stream()
	defer r2.Close()
	n, err = r2.Read(buf[:2])
	require.NoError(t, err)
	assert.Equal(t, "ab", string(buf[:n]))
	at := time.Now().Add(time.Hour)
	require.NoError(t, os.Chtimes(q, at, at))
	_, err = io.ReadAll(r2)
	require.ErrorIs(t, err, ErrNotReadable)
}

// sparseFile makes a file of size bytes that takes no disk space, with
// tail written at its very end.
func sparseFile(t *testing.T, size int64, tail string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "sparse.bin")
	f, err := os.Create(p)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(size))
	_, err = f.WriteAt([]byte(tail), size-int64(len(tail)))
	require.NoError(t, err)
	require.NoError(t, f.Close())
	return p
}

func heapStats() runtime.MemStats {
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m
}

func TestSliceTenGiBFile(t *testing.T) {
	p := sparseFile(t, 10<<30, "END!")
	before := heapStats()

	f, err := OpenFile(p, nil)
	require.NoError(t, err)
	require.Equal(t, int64(10<<30), f.Size())
	tail := f.Slice(-4, End, "")
	assert.Equal(t, "END!", mustText(t, tail))
	mid := f.Slice(5<<30, 5<<30+3, "")
	assert.Equal(t, []byte{0, 0, 0}, mustBytes(t, mid))
	both := New([]BlobPart{f.Slice(-2, End, ""), f.Slice(0, 1, "")}, nil)
	assert.Equal(t, "!\x00", mustText(t, both.Slice(1, End, "")))
	assert.Equal(t, int64(3), both.Size())

	after := heapStats()
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(1<<20), "slicing a 10 GiB file allocated too much")
}

func TestStreamLargeFileBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 256 MiB")
	}
	// The first read of a sparse file makes the kernel zero-fill page
	// cache for it, slow on small VMs: 256 MiB is big enough to show the
	// memory is bounded by the buffer (the bound is 1 MiB) and not the size.
	const size = 256 << 20
	p := sparseFile(t, size, "tail")
	f, err := OpenFile(p, nil)
	require.NoError(t, err)
	// Memory, string and file segments together.
	b := New([]BlobPart{String("head"), f, String("foot")}, nil)
	require.Equal(t, int64(size+8), b.Size())

	for _, tc := range []struct {
		name string
		blob *Blob
		copy func(io.Reader) (int64, error)
	}{
		{"io.Copy (WriteTo)", b, func(r io.Reader) (int64, error) { return io.Copy(io.Discard, r) }},
		{"Read loop", b.Slice(-128<<20, End, ""), func(r io.Reader) (int64, error) {
			return io.CopyBuffer(onlyWriter{io.Discard}, struct{ io.Reader }{r}, make([]byte, 32<<10))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := heapStats()
			r := tc.blob.Stream()
			n, err := tc.copy(r)
			require.NoError(t, err)
			require.NoError(t, r.Close())
			after := heapStats()
			assert.Equal(t, tc.blob.Size(), n)
			assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(1<<20),
				"streaming must allocate O(buffer), not O(size)")
			assert.Less(t, after.HeapInuse, uint64(64<<20))
		})
	}
}

// openFDs counts the process's open file descriptors.
func openFDs(t *testing.T) int {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("cannot count file descriptors: %v", err)
	}
	return len(entries)
}

func TestStreamsCloseFiles(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("counts /proc/self/fd")
	}
	p := writeFile(t, "f.txt", "0123456789")
	f, err := OpenFile(p, nil)
	require.NoError(t, err)
	twice := New([]BlobPart{f, String("-"), f.Slice(2, 4, "")}, nil)
	before := openFDs(t)

	buf := make([]byte, 3)
	for i := range 300 {
		r := twice.Stream()
		switch i % 4 {
		case 0: // read to the end
			got, err := io.ReadAll(r)
			require.NoError(t, err)
			require.Equal(t, "0123456789-23", string(got))
		case 1: // read a little, then close
			_, err := r.Read(buf)
			require.NoError(t, err)
		case 2: // never read
		case 3: // WriteTo
			_, err := r.(io.WriterTo).WriteTo(io.Discard)
			require.NoError(t, err)
		}
		if i%4 != 0 || i%8 == 0 {
			require.NoError(t, r.Close())
		}
		// Streams read to the end have released their file even unclosed.
	}
	_, err = f.Bytes()
	require.NoError(t, err)
	_, err = twice.Text()
	require.NoError(t, err)
	assert.Equal(t, before, openFDs(t), "file descriptors leaked")

	// A file stays closed between reads: OpenFile itself holds nothing.
	g, err := OpenFile(p, nil)
	require.NoError(t, err)
	assert.Equal(t, before, openFDs(t))
	r := g.Stream()
	_, err = r.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, before+1, openFDs(t), "the file is open while its range is read")
	require.NoError(t, r.Close())
	assert.Equal(t, before, openFDs(t))
}
