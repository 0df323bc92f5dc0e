package blob

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// benchFile writes a real (not sparse) file of size bytes for the
// benchmarks.
func benchFile(b *testing.B, size int) string {
	b.Helper()
	p := filepath.Join(b.TempDir(), "bench.bin")
	data := make([]byte, size)
	for i := range data {
		data[i] = byte(i * 7)
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

const benchSize = 64 << 20

// BenchmarkStreamFile reads a file-backed Blob to io.Discard with
// io.Copy; BenchmarkOSFileBaseline does the same with the *os.File itself.
func BenchmarkStreamFile(b *testing.B) {
	f, err := OpenFile(benchFile(b, benchSize), nil)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(benchSize)
	for b.Loop() {
		r := f.Stream()
		if _, err := io.Copy(io.Discard, r); err != nil {
			b.Fatal(err)
		}
		r.Close()
	}
}

func BenchmarkOSFileBaseline(b *testing.B) {
	p := benchFile(b, benchSize)
	b.SetBytes(benchSize)
	for b.Loop() {
		f, err := os.Open(p)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, f); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}
