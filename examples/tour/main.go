// Command tour walks through webnet chapter by chapter, the way the
// javascript.info "Network requests" tutorial does, against a loopback
// server it starts itself. It needs no flags, no network and no set-up:
//
//	go run ./examples/tour
//
// Each chapter lives in its own file and registers itself with register;
// main runs them in order of their number and exits non-zero if one fails.
package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"time"
)

// chapter is one section of the tour.
type chapter struct {
	order int    // position in the tour; chapters run in ascending order
	title string // printed as the chapter heading
	// routes adds the chapter's server endpoints to the tour's mux. Paths
	// must start with the chapter's own prefix (for example "/fetch/").
	routes func(mux *http.ServeMux)
	// run performs the chapter against the server at base (no trailing
	// slash), printing what happens to out.
	run func(ctx context.Context, out io.Writer, base string) error
}

var chapters []chapter

// register adds a chapter; it is called from the init functions of the
// chapter files, before main runs.
func register(c chapter) { chapters = append(chapters, c) }

func main() {
	if err := tour(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "tour:", err)
		os.Exit(1)
	}
}

func tour(ctx context.Context, out io.Writer) error {
	slices.SortStableFunc(chapters, func(a, b chapter) int { return a.order - b.order })

	mux := http.NewServeMux()
	for _, c := range chapters {
		if c.routes != nil {
			c.routes(mux)
		}
	}
	srv := httptest.NewServer(mux)
	defer srv.Close()

	fmt.Fprintf(out, "webnet tour: a loopback server is listening at %s\n", srv.URL)
	for i, c := range chapters {
		fmt.Fprintf(out, "\n== %d. %s\n", i+1, c.title)
		cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		err := c.run(cctx, out, srv.URL)
		cancel()
		if err != nil {
			return fmt.Errorf("chapter %q: %w", c.title, err)
		}
	}
	fmt.Fprintln(out, "\nTour complete.")
	return nil
}
