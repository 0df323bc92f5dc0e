// Command url measures webnet's WHATWG URL parser against net/url and, when
// a node binary is on the PATH, against Node's new URL (the ada parser), all
// on the same deterministic corpus (package corpus):
//
//	go run ./bench/url
//
// Each parser runs parse + serialize (Href, String, href) over the corpus
// five times; the report gives the median ns/op, allocations for the Go
// parsers, and the ratios to webnet. It needs no flags and no network, and
// exits with status 1 when the target is missed: webnet at most 1.5x the
// ns/op of net/url.
package main

import (
	"encoding/json"
	"fmt"
	neturl "net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/webnet-go/webnet/bench/url/corpus"
	"github.com/webnet-go/webnet/url"
)

const rounds = 5

var sink string

func main() {
	var urls []string
	for _, s := range corpus.Generate(1000) {
		if url.CanParse(s) {
			urls = append(urls, s)
		}
	}
	fmt.Printf("corpus: %d URLs, median of %d rounds\n\n", len(urls), rounds)

	webnet := median(rounds, func() result {
		return goBench(func(s string) string {
			u, err := url.Parse(s)
			if err != nil {
				panic(err)
			}
			return u.Href()
		}, urls)
	})
	std := median(rounds, func() result {
		return goBench(func(s string) string {
			u, err := neturl.Parse(s)
			if err != nil {
				panic(err)
			}
			return u.String()
		}, urls)
	})
	fmt.Printf("%-34s %9.1f ns/op %6.2f allocs/op\n", "webnet url.Parse + Href", webnet.ns, webnet.allocs)
	fmt.Printf("%-34s %9.1f ns/op %6.2f allocs/op\n", "net/url.Parse + String", std.ns, std.allocs)
	ratio := webnet.ns / std.ns
	fmt.Printf("webnet / net/url: %.2fx\n", ratio)

	if node, err := nodeBench(urls); err != nil {
		fmt.Printf("\nnode: not measured (%v)\n", err)
	} else {
		fmt.Printf("%-34s %9.1f ns/op\n", "node new URL(s).href", node)
		fmt.Printf("webnet / node: %.2fx\n", webnet.ns/node)
	}

	if ratio > 1.5 {
		fmt.Printf("\nMISSED: webnet / net/url %.2fx > 1.5x\n", ratio)
		os.Exit(1)
	}
}

type result struct{ ns, allocs float64 }

func goBench(parse func(string) string, urls []string) result {
	r := testing.Benchmark(func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sink = parse(urls[i%len(urls)])
		}
	})
	return result{float64(r.NsPerOp()), float64(r.AllocsPerOp())}
}

func median(n int, run func() result) result {
	rs := make([]result, n)
	for i := range rs {
		rs[i] = run()
	}
	slices.SortFunc(rs, func(a, b result) int {
		switch {
		case a.ns < b.ns:
			return -1
		case a.ns > b.ns:
			return 1
		}
		return 0
	})
	return rs[n/2]
}

// nodeScript parses every URL of the corpus file (its first argument) in a
// loop, after a warm-up that lets the JIT settle, and prints the median ns
// per URL of its rounds (its second argument).
const nodeScript = `
const urls = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
let sink = "";
const run = (n) => { for (let i = 0; i < n; i++) sink = new URL(urls[i % urls.length]).href; };
run(200000);
const per = [];
for (let r = 0; r < Number(process.argv[2]); r++) {
  const n = 500000, t0 = process.hrtime.bigint();
  run(n);
  per.push(Number(process.hrtime.bigint() - t0) / n);
}
per.sort((a, b) => a - b);
console.log(per[Math.floor(per.length / 2)], sink.length > 0);
`

func nodeBench(urls []string) (float64, error) {
	bin, err := exec.LookPath("node")
	if err != nil {
		return 0, err
	}
	dir, err := os.MkdirTemp("", "webnet-url-bench")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "corpus.json")
	data, err := json.Marshal(urls)
	if err != nil {
		return 0, err
	}
	if err := os.WriteFile(file, data, 0o600); err != nil {
		return 0, err
	}
	out, err := exec.Command(bin, "-e", nodeScript, file, strconv.Itoa(rounds)).Output()
	if err != nil {
		return 0, fmt.Errorf("node: %w", err)
	}
	field, _, _ := strings.Cut(strings.TrimSpace(string(out)), " ")
	return strconv.ParseFloat(field, 64)
}
