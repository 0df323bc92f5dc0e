package url

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/webnet-go/webnet/internal/testutil"
)

// wptURLCase is one object of urltestdata.json.
type wptURLCase struct {
	Input    string  `json:"input"`
	Base     *string `json:"base"`
	Failure  bool    `json:"failure"`
	Href     string  `json:"href"`
	Origin   *string `json:"origin"`
	Protocol string  `json:"protocol"`
	Username string  `json:"username"`
	Password string  `json:"password"`
	Host     string  `json:"host"`
	Hostname string  `json:"hostname"`
	Port     string  `json:"port"`
	Pathname string  `json:"pathname"`
	Search   string  `json:"search"`
	Hash     string  `json:"hash"`
}

// loadWPTURLCases reads a urltestdata-shaped file, dropping its comment
// strings.
func loadWPTURLCases(t *testing.T, rel string) []wptURLCase {
	t.Helper()
	var raw []json.RawMessage
	testutil.LoadWPTJSON(t, rel, &raw)
	var cases []wptURLCase
	for _, m := range raw {
		if len(m) > 0 && m[0] == '{' {
			var c wptURLCase
			if err := json.Unmarshal(m, &c); err != nil {
				t.Fatalf("%s: %v", rel, err)
			}
			cases = append(cases, c)
		}
	}
	return cases
}

// parseWPTURLCase parses the case's input as new URL(input[, base]) does.
func parseWPTURLCase(c wptURLCase) (*URL, error) {
	if c.Base != nil {
		return ParseWithBase(c.Input, *c.Base)
	}
	return Parse(c.Input)
}

func wptCaseName(c wptURLCase) string {
	if c.Base != nil {
		return fmt.Sprintf("%q against %q", c.Input, *c.Base)
	}
	return fmt.Sprintf("%q", c.Input)
}

// checkWPTURL compares every component the case lists and returns the
// mismatches.
func checkWPTURL(c wptURLCase, u *URL) []string {
	var bad []string
	eq := func(what, want, got string) {
		if want != got {
			bad = append(bad, fmt.Sprintf("%s: want %q, got %q", what, want, got))
		}
	}
	eq("href", c.Href, u.Href())
	eq("protocol", c.Protocol, u.Protocol())
	eq("username", c.Username, u.Username())
	eq("password", c.Password, u.Password())
	eq("host", c.Host, u.Host())
	eq("hostname", c.Hostname, u.Hostname())
	eq("port", c.Port, u.Port())
	eq("pathname", c.Pathname, u.Pathname())
	eq("search", c.Search, u.Search())
	eq("hash", c.Hash, u.Hash())
	if c.Origin != nil {
		eq("origin", *c.Origin, u.Origin().String())
	}
	return bad
}

// runWPTURLCase parses the case both ways the WPT harness does (the
// constructor and canParse) and reports it to c.
func runWPTURLCase(conf *testutil.Conformance, c wptURLCase) {
	name := wptCaseName(c)
	u, err := parseWPTURLCase(c)
	can := CanParse(c.Input)
	if c.Base != nil {
		can = CanParseWithBase(c.Input, *c.Base)
	}
	if c.Failure {
		conf.Check(err != nil && !can, name, "want failure, got %v (canParse %v)", u, can)
		return
	}
	if err != nil {
		conf.Fail(name, "unexpected error: %v", err)
		return
	}
	if !can {
		conf.Fail(name, "CanParse is false but Parse succeeded")
		return
	}
	bad := checkWPTURL(c, u)
	// The href must parse back to itself, and the setters' starting point
	// (SetHref) must agree with Parse.
	if v, err := Parse(u.Href()); err != nil || v.Href() != u.Href() {
		bad = append(bad, fmt.Sprintf("href %q does not re-parse to itself: %v", u.Href(), err))
	}
	conf.Check(len(bad) == 0, name, "%s", strings.Join(bad, "; "))
}

func TestWPTURLTestData(t *testing.T) {
	cases := loadWPTURLCases(t, "url/urltestdata.json")
	conf := testutil.NewConformance(t, "urltestdata.json")
	for _, c := range cases {
		runWPTURLCase(conf, c)
	}
}

// TestWPTURLTestDataJavaScriptOnly runs urltestdata-javascript-only.json.
// Its cases hold lone surrogates, which encoding/json decodes to U+FFFD, so
// the input Go sees is not the input the case is about; they are skipped
// with that reason.
func TestWPTURLTestDataJavaScriptOnly(t *testing.T) {
	cases := loadWPTURLCases(t, "url/urltestdata-javascript-only.json")
	conf := testutil.NewConformance(t, "urltestdata-javascript-only.json")
	for _, c := range cases {
		if strings.ContainsRune(c.Input, '\uFFFD') {
			conf.Skip(wptCaseName(c), "lone surrogates: Go strings cannot hold them and encoding/json turns them into U+FFFD")
			continue
		}
		runWPTURLCase(conf, c)
	}
}

// wptSetterCase is one case of setters_tests.json.
type wptSetterCase struct {
	Comment  string            `json:"comment"`
	Href     string            `json:"href"`
	NewValue string            `json:"new_value"`
	Expected map[string]string `json:"expected"`
}

// wptSetters maps an attribute of setters_tests.json to its setter.
var wptSetters = map[string]func(u *URL, v string){
	"protocol": (*URL).SetProtocol,
	"username": (*URL).SetUsername,
	"password": (*URL).SetPassword,
	"host":     (*URL).SetHost,
	"hostname": (*URL).SetHostname,
	"port":     (*URL).SetPort,
	"pathname": (*URL).SetPathname,
	"search":   (*URL).SetSearch,
	"hash":     (*URL).SetHash,
	"href": func(u *URL, v string) {
		_ = u.SetHref(v) // a failing value leaves u as it was, which the case then checks
	},
}

// wptGetters maps an attribute name to its getter.
var wptGetters = map[string]func(u *URL) string{
	"href":     (*URL).Href,
	"origin":   func(u *URL) string { return u.Origin().String() },
	"protocol": (*URL).Protocol,
	"username": (*URL).Username,
	"password": (*URL).Password,
	"host":     (*URL).Host,
	"hostname": (*URL).Hostname,
	"port":     (*URL).Port,
	"pathname": (*URL).Pathname,
	"search":   (*URL).Search,
	"hash":     (*URL).Hash,
}

func TestWPTSetters(t *testing.T) {
	var data map[string]json.RawMessage
	testutil.LoadWPTJSON(t, "url/setters_tests.json", &data)
	conf := testutil.NewConformance(t, "setters_tests.json")
	for attr, raw := range data {
		if attr == "comment" {
			continue
		}
		set, ok := wptSetters[attr]
		if !ok {
			conf.Fail(attr, "no setter for attribute %q", attr)
			continue
		}
		var cases []wptSetterCase
		if err := json.Unmarshal(raw, &cases); err != nil {
			t.Fatalf("setters_tests.json %s: %v", attr, err)
		}
		for _, c := range cases {
			name := fmt.Sprintf("%s: %q on %q", attr, c.NewValue, c.Href)
			u, err := Parse(c.Href)
			if err != nil {
				conf.Fail(name, "the starting URL does not parse: %v", err)
				continue
			}
			set(u, c.NewValue)
			var bad []string
			for what, want := range c.Expected {
				get, ok := wptGetters[what]
				if !ok {
					bad = append(bad, "unknown attribute "+what)
					continue
				}
				if got := get(u); got != want {
					bad = append(bad, fmt.Sprintf("%s: want %q, got %q", what, want, got))
				}
			}
			if v, err := Parse(u.Href()); err != nil || v.Href() != u.Href() {
				bad = append(bad, fmt.Sprintf("href %q does not re-parse to itself: %v", u.Href(), err))
			}
			conf.Check(len(bad) == 0, name, "%s", strings.Join(bad, "; "))
		}
	}
}

// wptToASCIICase is one object of toascii.json.
type wptToASCIICase struct {
	Comment string  `json:"comment"`
	Input   string  `json:"input"`
	Output  *string `json:"output"`
}

// TestWPTToASCII runs toascii.json the way WPT's toascii.window.js does:
// through the URL parser ("https://" + input + "/x") and through the host
// and hostname setters, which must leave the URL alone on failure.
func TestWPTToASCII(t *testing.T) {
	var raw []json.RawMessage
	testutil.LoadWPTJSON(t, "url/toascii.json", &raw)
	conf := testutil.NewConformance(t, "toascii.json")
	for _, m := range raw {
		if len(m) == 0 || m[0] != '{' {
			continue
		}
		var c wptToASCIICase
		if err := json.Unmarshal(m, &c); err != nil {
			t.Fatalf("toascii.json: %v", err)
		}
		name := fmt.Sprintf("%q", c.Input)
		var bad []string
		u, err := Parse("https://" + c.Input + "/x")
		if c.Output == nil {
			if err == nil {
				bad = append(bad, fmt.Sprintf("parse: want failure, got %q", u.Href()))
			}
		} else if err != nil {
			bad = append(bad, fmt.Sprintf("parse: %v", err))
		} else {
			want := *c.Output
			if u.Host() != want || u.Hostname() != want || u.Pathname() != "/x" || u.Href() != "https://"+want+"/x" {
				bad = append(bad, fmt.Sprintf("parse: want host %q, got %q (href %q)", want, u.Host(), u.Href()))
			}
		}
		for _, setter := range []struct {
			name string
			set  func(*URL, string)
		}{{"host", (*URL).SetHost}, {"hostname", (*URL).SetHostname}} {
			v, err := Parse("https://x/x")
			if err != nil {
				t.Fatal(err)
			}
			setter.set(v, c.Input)
			want := "x"
			if c.Output != nil {
				want = *c.Output
			}
			if v.Hostname() != want {
				bad = append(bad, fmt.Sprintf("%s setter: want %q, got %q", setter.name, want, v.Hostname()))
			}
		}
		conf.Check(len(bad) == 0, name, "%s", strings.Join(bad, "; "))
	}
}

// TestWPTPercentEncoding runs the utf-8 column of percent-encoding.json the
// way WPT's percent-encoding.window.js does: the input goes into both the
// query and the fragment of a special URL, and both must come out as the
// expected percent-encoding. (The other columns are legacy encodings, which
// only the HTML document's encoding can select; this package is UTF-8.)
func TestWPTPercentEncoding(t *testing.T) {
	var raw []json.RawMessage
	testutil.LoadWPTJSON(t, "url/percent-encoding.json", &raw)
	conf := testutil.NewConformance(t, "percent-encoding.json")
	for _, m := range raw {
		if len(m) == 0 || m[0] != '{' {
			continue
		}
		var c struct {
			Input  string            `json:"input"`
			Output map[string]string `json:"output"`
		}
		if err := json.Unmarshal(m, &c); err != nil {
			t.Fatalf("percent-encoding.json: %v", err)
		}
		want, ok := c.Output["utf-8"]
		if !ok {
			continue
		}
		name := fmt.Sprintf("%q", c.Input)
		u, err := Parse("https://doesnotmatter.invalid/?" + c.Input + "#" + c.Input)
		if err != nil {
			conf.Fail(name, "parse: %v", err)
			continue
		}
		direct := percentEncodeAfterEncoding(c.Input, setSpecialQuery)
		conf.Check(u.Search() == "?"+want && u.Hash() == "#"+want && direct == want, name,
			"want %q, got search %q, hash %q, percent-encode after encoding %q", want, u.Search(), u.Hash(), direct)
	}
}
