package formdata

import (
	"io"
	"mime/multipart"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/webnet-go/webnet/blob"
)

const benchFileSize = 64 << 20

// benchFile writes a real (not sparse) file for the benchmarks; it is in
// the page cache once written, as it is for both sides.
func benchFile(b *testing.B, size int) string {
	b.Helper()
	p := filepath.Join(b.TempDir(), "upload.bin")
	data := make([]byte, size)
	for i := range data {
		data[i] = byte(i*131 + i>>9)
	}
	if err := os.WriteFile(p, data, 0o600); err != nil {
		b.Fatal(err)
	}
	// Read it once so that neither side pays for a cold page cache.
	f, err := os.Open(p)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if _, err := io.Copy(io.Discard, f); err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkEncodeFile encodes a FormData holding a field and a 64 MiB
// file-backed File to io.Discard. Compare with
// BenchmarkEncodeFileMultipartWriter, which writes the same form with
// mime/multipart.Writer and io.Copy from the *os.File.
func BenchmarkEncodeFile(b *testing.B) {
	p := benchFile(b, benchFileSize)
	b.SetBytes(benchFileSize)
	b.ReportAllocs()
	for b.Loop() {
		file, err := blob.OpenFile(p, nil)
		if err != nil {
			b.Fatal(err)
		}
		fd := New()
		fd.Append("firstName", "John")
		fd.AppendFile("upload", file, "")
		body, _, _, err := fd.ExtractBody()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, body); err != nil {
			b.Fatal(err)
		}
		body.Close()
	}
}

func BenchmarkEncodeFileMultipartWriter(b *testing.B) {
	p := benchFile(b, benchFileSize)
	b.SetBytes(benchFileSize)
	b.ReportAllocs()
	for b.Loop() {
		mw := multipart.NewWriter(io.Discard)
		if err := mw.WriteField("firstName", "John"); err != nil {
			b.Fatal(err)
		}
		part, err := mw.CreateFormFile("upload", "upload.bin")
		if err != nil {
			b.Fatal(err)
		}
		f, err := os.Open(p)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(part, f); err != nil {
			b.Fatal(err)
		}
		f.Close()
		if err := mw.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// sparseFile makes a file of size bytes that takes no disk space.
func sparseFile(tb testing.TB, size int64) string {
	tb.Helper()
	p := filepath.Join(tb.TempDir(), "sparse.bin")
	f, err := os.Create(p)
	require.NoError(tb, err)
	require.NoError(tb, f.Truncate(size))
	require.NoError(tb, f.Close())
	return p
}

// heapGrowthBound streams a FormData holding a file-backed File of size
// bytes to io.Discard and returns the heap in use before plus everything
// allocated during the copy: an upper bound of the peak heap.
func heapGrowthBound(tb testing.TB, size int64) (peakBound uint64, n, length int64) {
	tb.Helper()
	file, err := blob.OpenFile(sparseFile(tb, size), nil)
	require.NoError(tb, err)
	fd := New()
	fd.Append("name", "value")
	fd.AppendFile("big", file, "")

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	body, length, _, err := fd.ExtractBody()
	require.NoError(tb, err)
	n, err = io.Copy(io.Discard, body)
	require.NoError(tb, err)
	require.NoError(tb, body.Close())
	runtime.ReadMemStats(&after)
	return before.HeapInuse + (after.TotalAlloc - before.TotalAlloc), n, length
}

// TestExtractBodyLargeFileHeap streams a 256 MiB sparse file-backed File
// (the first read of a sparse file is slow on small VMs; the 1 GiB run is
// BenchmarkExtractBodySparse1GiB): the heap must stay far below its size.
func TestExtractBodyLargeFileHeap(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 256 MiB")
	}
	peak, n, length := heapGrowthBound(t, 256<<20)
	assert.Equal(t, length, n)
	assert.Less(t, peak, uint64(64<<20), "peak heap bound %d bytes", peak)
}

// BenchmarkExtractBodySparse1GiB streams a FormData with a 1 GiB sparse
// file-backed File to io.Discard and reports a bound of the peak heap
// (heap in use before + bytes allocated during); it fails above 64 MiB.
// Run it with -benchtime=1x.
func BenchmarkExtractBodySparse1GiB(b *testing.B) {
	const size = 1 << 30
	b.SetBytes(size)
	var peak uint64
	for b.Loop() {
		p, n, length := heapGrowthBound(b, size)
		if n != length {
			b.Fatalf("copied %d bytes of %d", n, length)
		}
		peak = max(peak, p)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	if peak >= 64<<20 {
		b.Fatalf("peak heap bound %d bytes, want < 64 MiB", peak)
	}
}
