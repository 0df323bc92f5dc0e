package testutil

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// EnvWPTDir names the environment variable that, when set, points at the
// conformance data instead of ../shared/wpt beside the module.
const EnvWPTDir = "WEBNET_WPT_DIR"

// WPTDir returns the directory holding the web-platform-tests data: the value
// of $WEBNET_WPT_DIR when set, else ../shared/wpt beside the module root. When
// neither exists the test is skipped with a message saying where it looked, so
// a checkout without the data still passes.
func WPTDir(t testing.TB) string {
	t.Helper()
	if dir := os.Getenv(EnvWPTDir); dir != "" {
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			return dir
		}
		t.Skipf("conformance data absent: $%s=%q is not a directory", EnvWPTDir, dir)
	}
	root, err := moduleRoot()
	if err != nil {
		t.Skipf("conformance data absent: %v", err)
	}
	dir := filepath.Join(root, "..", "shared", "wpt")
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		t.Skipf("conformance data absent: no %s and $%s unset", dir, EnvWPTDir)
	}
	return dir
}

// WPTFile returns the path of one conformance file, rel being relative to the
// WPT directory (for example "url/urltestdata.json"). It skips the test when
// the directory or the file is absent.
func WPTFile(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(WPTDir(t), filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		t.Skipf("conformance data absent: %v", err)
	}
	return p
}

// LoadWPTJSON decodes the conformance file rel into v, skipping the test when
// the file is absent and failing it when the file does not decode.
func LoadWPTJSON(t testing.TB, rel string, v any) {
	t.Helper()
	data, err := os.ReadFile(WPTFile(t, rel))
	if err != nil {
		t.Fatalf("read %s: %v", rel, err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("decode %s: %v", rel, err)
	}
}

var moduleRootOnce = sync.OnceValues(func() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
})

func moduleRoot() (string, error) { return moduleRootOnce() }

// Conformance tallies one conformance file's cases. Create it with
// NewConformance, call Pass, Fail or Skip once per case, and the result line
// is printed when the test ends:
//
//	urltestdata.json PASS 891/891
//	urltestdata-javascript-only.json PASS 0/0, 1 skipped
//
// A case may be skipped only when it cannot be expressed in Go (a JS-only
// case); Skip takes the case's name and the reason, and both are logged. The
// test fails when any case failed, so the line reads FAIL with the counts.
type Conformance struct {
	t       testing.TB
	file    string
	mu      sync.Mutex
	passed  int
	failed  int
	skipped int
}

// NewConformance starts a tally for file (its base name is printed).
func NewConformance(t testing.TB, file string) *Conformance {
	t.Helper()
	c := &Conformance{t: t, file: filepath.Base(file)}
	t.Cleanup(c.report)
	return c
}

// Pass counts one passing case.
func (c *Conformance) Pass() { c.mu.Lock(); c.passed++; c.mu.Unlock() }

// Fail counts one failing case and reports it as a test error.
func (c *Conformance) Fail(name string, format string, args ...any) {
	c.t.Helper()
	c.mu.Lock()
	c.failed++
	c.mu.Unlock()
	c.t.Errorf("%s: case %s: %s", c.file, name, fmt.Sprintf(format, args...))
}

// Check counts a case as passed when ok, else as failed with the message.
func (c *Conformance) Check(ok bool, name string, format string, args ...any) {
	c.t.Helper()
	if ok {
		c.Pass()
		return
	}
	c.Fail(name, format, args...)
}

// Skip counts one case that cannot be run from Go, naming it and the reason.
func (c *Conformance) Skip(name, reason string) {
	c.t.Helper()
	c.mu.Lock()
	c.skipped++
	c.mu.Unlock()
	c.t.Logf("%s: skipped case %s: %s", c.file, name, reason)
}

func (c *Conformance) report() {
	c.mu.Lock()
	defer c.mu.Unlock()
	verdict := "PASS"
	if c.failed > 0 {
		verdict = "FAIL"
	}
	line := fmt.Sprintf("%s %s %d/%d", c.file, verdict, c.passed, c.passed+c.failed)
	if c.skipped > 0 {
		line += fmt.Sprintf(", %d skipped", c.skipped)
	}
	// Printed on stdout so that `go test -v -run WPT` shows one clean line
	// per file; t.Log would indent and prefix it.
	fmt.Println(line)
	if c.passed+c.failed+c.skipped == 0 {
		c.t.Errorf("%s: no cases ran: the data or the test is broken", c.file)
	}
}
