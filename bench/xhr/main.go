// Command xhr measures a 1 GiB upload and a 1 GiB download through
// xhr.XMLHttpRequest with progress listeners, against raw net/http in the
// same run: throughput, peak resident memory (VmHWM, Linux only) and the
// number of progress events.
//
//	go run ./bench/xhr            # 5 runs of each, medians and ratios
//	go run ./bench/xhr -runs 3 -size 268435456
//
// The loopback server runs in this process; every measurement runs in a
// child process of its own (this program started again with -mode), so
// that each peak RSS belongs to one transfer's client alone. The program
// exits with status 1 when a target is missed: xhr peak RSS under 64 MiB,
// xhr throughput at least 0.9x raw net/http, progress events bounded (at
// most one per 50 ms of transfer, plus the final one).
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/webnet-go/webnet/fetch"
	"github.com/webnet-go/webnet/xhr"
)

// result is what a child reports on its standard output.
type result struct {
	Mode    string  `json:"mode"`
	Seconds float64 `json:"seconds"`
	MBps    float64 `json:"mbps"`
	HWMKiB  int64   `json:"hwm_kib"`
	Events  int     `json:"events"`
}

var modes = []string{"raw-upload", "xhr-upload", "raw-download", "xhr-download"}

func main() {
	mode := flag.String("mode", "", "run one measurement in this process (used by the parent)")
	target := flag.String("url", "", "server URL (with -mode)")
	size := flag.Int64("size", 1<<30, "bytes per transfer")
	runs := flag.Int("runs", 5, "measurements of each mode")
	flag.Parse()

	if *mode != "" {
		r, err := measure(*mode, *target, *size)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(2)
		}
		_ = json.NewEncoder(os.Stdout).Encode(r)
		return
	}
	if err := parent(*size, *runs); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// zeros yields n zero bytes without allocating them.
type zeros struct{ n int64 }

func (z *zeros) Read(p []byte) (int, error) {
	if z.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > z.n {
		p = p[:z.n]
	}
	clear(p)
	z.n -= int64(len(p))
	return len(p), nil
}

func parent(size int64, runs int) error {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if r.URL.Path == "/download" {
			w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
			_, _ = io.Copy(w, &zeros{n: size})
		}
	}))
	defer srv.Close()
	self, err := os.Executable()
	if err != nil {
		return err
	}
	results := map[string][]result{}
	for i := range runs {
		for _, m := range modes {
			cmd := exec.Command(self, "-mode", m, "-url", srv.URL, "-size", strconv.FormatInt(size, 10))
			cmd.Stderr = os.Stderr
			out, err := cmd.Output()
			if err != nil {
				return fmt.Errorf("run %d, %s: %w", i+1, m, err)
			}
			var r result
			if err := json.Unmarshal(out, &r); err != nil {
				return fmt.Errorf("run %d, %s: %w", i+1, m, err)
			}
			results[m] = append(results[m], r)
			fmt.Printf("run %d %-13s %8.1f MB/s  peak RSS %6.1f MiB  %4d progress events\n",
				i+1, m, r.MBps, float64(r.HWMKiB)/1024, r.Events)
		}
	}

	fmt.Printf("\n%d runs of %d MiB each (medians):\n", runs, size>>20)
	median := func(m string, f func(result) float64) float64 {
		var v []float64
		for _, r := range results[m] {
			v = append(v, f(r))
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	mbps := func(r result) float64 { return r.MBps }
	hwm := func(r result) float64 { return float64(r.HWMKiB) / 1024 }
	ok := true
	for _, dir := range []string{"upload", "download"} {
		raw, x := median("raw-"+dir, mbps), median("xhr-"+dir, mbps)
		peak := slices.MaxFunc(results["xhr-"+dir], func(a, b result) int { return int(a.HWMKiB - b.HWMKiB) })
		ratio := x / raw
		fmt.Printf("%-8s raw %8.1f MB/s  xhr %8.1f MB/s  ratio %.2fx  xhr peak RSS %.1f MiB (median %.1f)  raw peak RSS %.1f MiB\n",
			dir, raw, x, ratio, float64(peak.HWMKiB)/1024, median("xhr-"+dir, hwm), median("raw-"+dir, hwm))
		if ratio < 0.9 {
			fmt.Printf("  MISSED: %s throughput ratio %.2f < 0.9\n", dir, ratio)
			ok = false
		}
		if peak.HWMKiB >= 64<<10 {
			fmt.Printf("  MISSED: %s peak RSS %.1f MiB >= 64 MiB\n", dir, float64(peak.HWMKiB)/1024)
			ok = false
		}
		for _, r := range results["xhr-"+dir] {
			if limit := int(r.Seconds/0.05) + 2; r.Events > limit {
				fmt.Printf("  MISSED: %s had %d progress events in %.2fs (limit %d)\n", dir, r.Events, r.Seconds, limit)
				ok = false
			}
		}
	}
	if !ok {
		return fmt.Errorf("targets missed")
	}
	fmt.Println("all targets met")
	return nil
}

// measure performs one transfer in this process.
func measure(mode, base string, size int64) (result, error) {
	r := result{Mode: mode}
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	start := time.Now()
	var err error
	switch mode {
	case "raw-upload":
		err = rawUpload(tr, base, size)
	case "raw-download":
		err = rawDownload(tr, base)
	case "xhr-upload":
		r.Events, err = xhrTransfer(tr, base, size, true)
	case "xhr-download":
		r.Events, err = xhrTransfer(tr, base, size, false)
	default:
		err = fmt.Errorf("unknown mode %q", mode)
	}
	if err != nil {
		return r, err
	}
	r.Seconds = time.Since(start).Seconds()
	r.MBps = float64(size) / 1e6 / r.Seconds
	r.HWMKiB, err = peakRSS()
	return r, err
}

func rawUpload(tr *http.Transport, base string, size int64) error {
	req, err := http.NewRequest("POST", base+"/upload", &zeros{n: size})
	if err != nil {
		return err
	}
	req.ContentLength = size
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.Body.Close()
}

func rawDownload(tr *http.Transport, base string) error {
	resp, err := (&http.Client{Transport: tr}).Get(base + "/download")
	if err != nil {
		return err
	}
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	return resp.Body.Close()
}

// xhrTransfer uploads size bytes, or downloads them, through an
// XMLHttpRequest with a progress listener, and returns the number of
// progress events.
func xhrTransfer(tr *http.Transport, base string, size int64, upload bool) (int, error) {
	ctx := context.Background()
	x := xhr.New(ctx, &xhr.Options{Client: &fetch.Client{HTTPClient: &http.Client{Transport: tr}}, BaseURL: base})
	events := 0
	count := func(xhr.ProgressEvent) { events++ }
	var failure error
	x.OnError(func(err error) { failure = err })
	done := make(chan struct{})
	x.OnLoadEnd(func(xhr.ProgressEvent) { close(done) })
	if upload {
		x.Upload().OnProgress(count)
		if err := x.Open("POST", "/upload"); err != nil {
			return 0, err
		}
		if err := x.Send(fetch.ReaderWithLength(&zeros{n: size}, size)); err != nil {
			return 0, err
		}
	} else {
		x.OnProgress(count)
		if err := x.SetResponseWriter(io.Discard); err != nil {
			return 0, err
		}
		if err := x.Open("GET", "/download"); err != nil {
			return 0, err
		}
		if err := x.Send(nil); err != nil {
			return 0, err
		}
	}
	<-done
	if failure != nil {
		return 0, failure
	}
	if x.Status() != 200 {
		return 0, fmt.Errorf("status %d", x.Status())
	}
	return events, nil
}

// peakRSS reads VmHWM, the peak resident set size, from
// /proc/self/status, in KiB (0 where there is no /proc).
func peakRSS() (int64, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, nil
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		}
	}
	return 0, sc.Err()
}
