package testutil

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"
)

// leakMarkers are the stack fragments of goroutines that must not outlive
// a test binary's tests: webnet's own goroutines, and the net/http
// connection goroutines that mean a response body or connection was left
// open.
var leakMarkers = []string{
	"github.com/webnet-go/webnet/",
	"net/http.(*persistConn)",
	"net/http.(*Transport).dialConn",
	"net/http.(*http2ClientConn)",
	"net/http.(*conn).serve",
	"github.com/coder/websocket.",
}

// ignoredMarkers exclude goroutines that match a leak marker but belong to
// the test harness itself.
var ignoredMarkers = []string{
	"github.com/webnet-go/webnet/internal/testutil.",
	"testing.(*M).",
	"testing.tRunner",
	"testing.runFuzzing",
	"testing.(*F).",
}

// Leaked returns the stacks of goroutines that look leaked, waiting up to
// wait for goroutines that are still winding down (a closed connection's
// read loop exits shortly after Close returns).
func Leaked(wait time.Duration) []string {
	deadline := time.Now().Add(wait)
	for {
		leaked := interestingGoroutines()
		if len(leaked) == 0 || time.Now().After(deadline) {
			return leaked
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func interestingGoroutines() []string {
	buf := make([]byte, 2<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var out []string
	for g := range strings.SplitSeq(string(buf), "\n\n") {
		// The first line is "goroutine N [state]:"; only the stack matters.
		_, stack, _ := strings.Cut(g, "\n")
		if !containsAny(stack, leakMarkers) || containsAny(stack, ignoredMarkers) {
			continue
		}
		out = append(out, strings.TrimSpace(g))
	}
	sort.Strings(out)
	return out
}

// fuzzing reports whether the binary runs with -fuzz (as the coordinator
// or a worker).
func fuzzing() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != ""
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// VerifyNoLeaks runs the tests of m and then fails the binary when any
// goroutine of webnet, of a net/http connection or of a websocket connection
// is still alive after a grace period. Call it from TestMain:
//
//	func TestMain(m *testing.M) { testutil.VerifyNoLeaks(m) }
//
// Before checking, it runs each cleanup (for example closing a transport's
// idle connections), since an idle keep-alive connection is pooled, not
// leaked. The check is skipped when the tests already failed (their
// failure is the news), under -short, and while fuzzing (-fuzz): the
// coordinator and its worker processes stop in the middle of inputs, and a
// failing check there would be reported as a crash with no input to show.
func VerifyNoLeaks(m *testing.M, cleanups ...func()) {
	code := m.Run()
	if code == 0 && !testing.Short() && !fuzzing() {
		for _, c := range cleanups {
			c()
		}
		if leaked := Leaked(5 * time.Second); len(leaked) > 0 {
			fmt.Fprintf(os.Stderr, "FAIL: %d goroutine(s) leaked by the tests:\n\n%s\n",
				len(leaked), strings.Join(leaked, "\n\n"))
			code = 1
		}
	}
	os.Exit(code)
}
