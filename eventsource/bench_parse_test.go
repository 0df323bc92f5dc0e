package eventsource

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// benchStream is about 100 MB of ~64-byte events, as an LLM token stream
// looks: one data line of JSON per event.
var benchStream = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < 100<<20; i++ {
		fmt.Fprintf(&b, "data: {\"i\":%08d,\"delta\":\"token text here\",\"x\":1}\n\n", i)
	}
	return b.Bytes()
})

// cpuMBps reports the throughput per CPU second of the process ("cpu-MB/s")
// for a benchmark that processed size bytes per op; call it after the loop.
func cpuMBps(b *testing.B, start time.Duration, size int) {
	if used := cpuTime() - start; used > 0 {
		b.ReportMetric(float64(size)*float64(b.N)/used.Seconds()/1e6, "cpu-MB/s")
	}
}

// BenchmarkParse measures Parse over the stream.
func BenchmarkParse(b *testing.B) {
	in := benchStream()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	defer cpuMBps(b, cpuTime(), len(in))
	for b.Loop() {
		n := 0
		for ev, err := range Parse(bytes.NewReader(in)) {
			if err != nil {
				b.Fatal(err)
			}
			n += len(ev.Data)
		}
		if n == 0 {
			b.Fatal("no events")
		}
	}
}

// BenchmarkParseBaselineBufioLines is the baseline the issue names: a
// minimal bufio.Scanner line splitter over the same stream, doing nothing
// with the lines (and knowing nothing of CR, BOMs, UTF-8 or fields).
func BenchmarkParseBaselineBufioLines(b *testing.B) {
	in := benchStream()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	defer cpuMBps(b, cpuTime(), len(in))
	for b.Loop() {
		sc := bufio.NewScanner(bytes.NewReader(in))
		n := 0
		for sc.Scan() {
			n += len(sc.Bytes())
		}
		if sc.Err() != nil || n == 0 {
			b.Fatal("scan failed")
		}
	}
}

// BenchmarkParseBaselineBufioLinesStrings is the line splitter plus the
// one cost Parse cannot avoid: a string of its own for each event's data,
// copied into blocks of 4 KiB as Parse's arena does (no per-event
// allocation). Its distance from BenchmarkParseBaselineBufioLines is the
// price of those strings: about 85 MB of fresh memory written per op,
// which is never in cache, since the 100 MB input the benchmarks keep
// live spaces garbage collections about that far apart.
func BenchmarkParseBaselineBufioLinesStrings(b *testing.B) {
	in := benchStream()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	defer cpuMBps(b, cpuTime(), len(in))
	for b.Loop() {
		sc := bufio.NewScanner(bytes.NewReader(in))
		var block strings.Builder
		n := 0
		for sc.Scan() {
			v, ok := bytes.CutPrefix(sc.Bytes(), []byte("data: "))
			if !ok {
				continue
			}
			if block.Cap()-block.Len() < len(v) {
				block = strings.Builder{}
				block.Grow(4 << 10)
			}
			off := block.Len()
			block.Write(v)
			n += len(block.String()[off:])
		}
		if sc.Err() != nil || n == 0 {
			b.Fatal("scan failed")
		}
	}
}

// BenchmarkParseBaselineBufioNaiveSSE is a typical naive SSE parser over
// bufio.Scanner (LF only, 64 KiB line limit), allocating a string per event
// as Parse does.
func BenchmarkParseBaselineBufioNaiveSSE(b *testing.B) {
	in := benchStream()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	defer cpuMBps(b, cpuTime(), len(in))
	for b.Loop() {
		sc := bufio.NewScanner(bytes.NewReader(in))
		var data strings.Builder
		n := 0
		for sc.Scan() {
			line := sc.Bytes()
			if len(line) == 0 {
				if data.Len() > 0 {
					n += len(data.String())
					data = strings.Builder{}
				}
				continue
			}
			if v, ok := bytes.CutPrefix(line, []byte("data:")); ok {
				data.Write(bytes.TrimPrefix(v, []byte(" ")))
			}
		}
		if sc.Err() != nil || n == 0 {
			b.Fatal("scan failed")
		}
	}
}
