package url

import "strings"

// The setters run the URL Standard's setter algorithms on the URL record:
// each one basic-URL-parses the new value with a state override. As in the
// browser, a value the algorithm rejects leaves the URL unchanged (or, where
// the algorithm fails half-way, as far as it got), and no error is reported;
// only SetHref, whose JavaScript twin throws, returns one.

// SetHref replaces the whole URL with href parsed as an absolute URL: the
// href setter. On failure it returns an error wrapping [ErrInvalidURL] and u
// is unchanged. The live [SearchParams] is re-read from the new query.
//
// Spec: https://url.spec.whatwg.org/#dom-url-href
func (u *URL) SetHref(href string) error {
	r := record{port: -1}
	in := cleanInput(href, true)
	if code := basicParse(in, nil, &r, stateNone); code != codeOK {
		return invalidURLError(href, code)
	}
	u.setRecord(&r, in)
	u.queryChanged(u.query())
	return nil
}

// SetProtocol changes the scheme: the protocol setter. A trailing ":" and
// anything after it are ignored ("https:foo" sets "https"). The change is
// ignored when it would switch between a special scheme (http, https, ws,
// wss, ftp, file) and a non-special one, or make a URL with credentials or a
// port a file URL. A port equal to the new scheme's default port is dropped.
//
// Spec: https://url.spec.whatwg.org/#dom-url-protocol
func (u *URL) SetProtocol(protocol string) {
	u.runSetter(protocol+":", stateSchemeStart)
}

// SetUsername sets the username, percent-encoding it with the userinfo
// percent-encode set; ignored when the URL cannot have a username (no host,
// an empty host, or a file URL).
//
// Spec: https://url.spec.whatwg.org/#dom-url-username
func (u *URL) SetUsername(username string) {
	if u.href == "" {
		return
	}
	r := u.toRecord()
	if r.cannotHaveUsernamePasswordPort() {
		return
	}
	r.username = percentEncode(toScalarValues(username), setUserinfo)
	u.setRecord(&r, "")
}

// SetPassword sets the password, percent-encoding it with the userinfo
// percent-encode set; ignored when the URL cannot have a password.
//
// Spec: https://url.spec.whatwg.org/#dom-url-password
func (u *URL) SetPassword(password string) {
	if u.href == "" {
		return
	}
	r := u.toRecord()
	if r.cannotHaveUsernamePasswordPort() {
		return
	}
	r.password = percentEncode(toScalarValues(password), setUserinfo)
	u.setRecord(&r, "")
}

// SetHost sets the host and, when the value has ":port", the port; a value
// without a port leaves the port as it was. Ignored for a URL with an opaque
// path and for values the host parser rejects.
//
// Spec: https://url.spec.whatwg.org/#dom-url-host
func (u *URL) SetHost(host string) {
	if u.flags&flagOpaque != 0 {
		return
	}
	u.runSetter(host, stateHost)
}

// SetHostname sets the host, leaving the port alone; a value with ":" is
// ignored. Ignored for a URL with an opaque path.
//
// Spec: https://url.spec.whatwg.org/#dom-url-hostname
func (u *URL) SetHostname(hostname string) {
	if u.flags&flagOpaque != 0 {
		return
	}
	u.runSetter(hostname, stateHostname)
}

// SetPort sets the port from the leading ASCII digits of port ("8080abc"
// sets 8080); "" removes it, a port equal to the scheme's default port is
// stored as null, and values above 65535 or without leading digits are
// ignored, as is any change on a URL that cannot have a port.
//
// Spec: https://url.spec.whatwg.org/#dom-url-port
func (u *URL) SetPort(port string) {
	if u.href == "" {
		return
	}
	r := u.toRecord()
	if r.cannotHaveUsernamePasswordPort() {
		return
	}
	if port == "" {
		r.port = -1
		u.setRecord(&r, "")
		return
	}
	u.runSetter(port, statePort)
}

// SetPathname replaces the path, percent-encoding it with the path
// percent-encode set and resolving "." and ".." segments. Ignored for a URL
// with an opaque path.
//
// Spec: https://url.spec.whatwg.org/#dom-url-pathname
func (u *URL) SetPathname(pathname string) {
	if u.href == "" || u.flags&flagOpaque != 0 {
		return
	}
	r := u.toRecord()
	r.path = ""
	basicParse(cleanInput(pathname, false), nil, &r, statePathStart)
	u.setRecord(&r, "")
}

// SetSearch replaces the query; a single leading "?" is optional, and ""
// removes the query altogether. The value is percent-encoded with the
// (special-)query percent-encode set, and the live [SearchParams] is
// re-read from it.
//
// Spec: https://url.spec.whatwg.org/#dom-url-search
func (u *URL) SetSearch(search string) {
	if u.href == "" {
		return
	}
	r := u.toRecord()
	if search == "" {
		r.query, r.hasQuery = "", false
		u.setRecord(&r, "")
		u.queryChanged("")
		return
	}
	input := strings.TrimPrefix(search, "?")
	r.query, r.hasQuery = "", true
	basicParse(cleanInput(input, false), nil, &r, stateQuery)
	u.setRecord(&r, "")
	u.queryChanged(input)
}

// SetHash replaces the fragment; a single leading "#" is optional, and ""
// removes the fragment altogether. The value is percent-encoded with the
// fragment percent-encode set.
//
// Spec: https://url.spec.whatwg.org/#dom-url-hash
func (u *URL) SetHash(hash string) {
	if u.href == "" {
		return
	}
	r := u.toRecord()
	if hash == "" {
		r.fragment, r.hasFragment = "", false
		u.setRecord(&r, "")
		return
	}
	r.fragment, r.hasFragment = "", true
	basicParse(cleanInput(strings.TrimPrefix(hash, "#"), false), nil, &r, stateFragment)
	u.setRecord(&r, "")
}

// runSetter basic-URL-parses value into u's record with a state override
// and stores the result. Changes made before a failure stay, as they do in
// the spec's in-place algorithm.
func (u *URL) runSetter(value string, override state) {
	if u.href == "" {
		return
	}
	r := u.toRecord()
	basicParse(cleanInput(value, false), nil, &r, override)
	u.setRecord(&r, "")
}
