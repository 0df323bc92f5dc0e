package xhr

import (
	"encoding/json"
	"fmt"

	"github.com/webnet-go/webnet/blob"
	"github.com/webnet-go/webnet/fetch"
	"github.com/webnet-go/webnet/internal/mimetype"
	"github.com/webnet-go/webnet/internal/textenc"
)

// ResponseURL returns the URL of the response (after redirects), without
// its fragment, or "" when there is no response.
//
// Spec: https://xhr.spec.whatwg.org/#dom-xmlhttprequest-responseurl
func (x *XMLHttpRequest) ResponseURL() string {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.resp == nil {
		return ""
	}
	return x.resp.URL()
}

// Status returns the HTTP status code of the response: 0 before the
// headers have arrived, after a network error and after Abort. A status
// such as 404 or 500 is a successful request.
//
// Spec: https://xhr.spec.whatwg.org/#dom-xmlhttprequest-status
func (x *XMLHttpRequest) Status() int {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.resp == nil {
		return 0
	}
	return x.resp.Status()
}

// StatusText returns the status message the server sent after the code
// ("OK", "Not Found"), or "" when there is no response.
//
// Spec: https://xhr.spec.whatwg.org/#dom-xmlhttprequest-statustext
func (x *XMLHttpRequest) StatusText() string {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.resp == nil {
		return ""
	}
	return x.resp.StatusText()
}

// GetResponseHeader returns the values of the response headers named name
// (case-insensitive), combined with ", ", and false when there is no such
// header or no response yet. Set-Cookie and Set-Cookie2 are never
// returned.
//
// Deviation: JavaScript returns null for a missing header; Go returns
// ("", false).
//
// Spec: https://xhr.spec.whatwg.org/#dom-xmlhttprequest-getresponseheader
func (x *XMLHttpRequest) GetResponseHeader(name string) (string, bool) {
	x.mu.Lock()
	resp := x.resp
	x.mu.Unlock()
	if resp == nil || fetch.IsForbiddenResponseHeaderName(name) {
		return "", false
	}
	return resp.Headers().Get(name)
}

// GetAllResponseHeaders returns every response header as "name: value\r\n"
// lines: names lower-cased, the values of headers with the same name
// combined with ", ", sorted by the upper-cased name (so "__custom" sorts
// after "foo-test"), Set-Cookie and Set-Cookie2 left out. It returns ""
// when there is no response.
//
// Spec: https://xhr.spec.whatwg.org/#dom-xmlhttprequest-getallresponseheaders
func (x *XMLHttpRequest) GetAllResponseHeaders() string {
	x.mu.Lock()
	resp := x.resp
	x.mu.Unlock()
	if resp == nil {
		return ""
	}
	return allResponseHeaders(resp.Headers().All())
}

// OverrideMimeType makes the response be treated as having the MIME type
// mime (its charset included) instead of the response's Content-Type; an
// unparsable mime means "application/octet-stream". It fails with an
// error wrapping ErrInvalidState once the response is LOADING or DONE.
//
// Spec: https://xhr.spec.whatwg.org/#dom-xmlhttprequest-overridemimetype
func (x *XMLHttpRequest) OverrideMimeType(mime string) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.state == StateLoading || x.state == StateDone {
		return fmt.Errorf("%w: OverrideMimeType: state is %v", ErrInvalidState, x.state)
	}
	mt, ok := mimetype.Parse(mime)
	if !ok {
		mt = &mimetype.MIMEType{Type: "application", Subtype: "octet-stream"}
	}
	x.overrideMIME = mt
	return nil
}

// ResponseType returns the response type.
//
// Spec: https://xhr.spec.whatwg.org/#dom-xmlhttprequest-responsetype
func (x *XMLHttpRequest) ResponseType() ResponseType {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.responseType
}

// SetResponseType sets the type Response returns (see
// [XMLHttpRequest.Response]). A value that is not one of the ResponseType
// constants is ignored, as JavaScript ignores an invalid enumeration value.
// It fails with an error wrapping ErrInvalidState once the response is
// LOADING or DONE, and with ErrInvalidAccess for a synchronous request.
//
// Spec: https://xhr.spec.whatwg.org/#dom-xmlhttprequest-responsetype
func (x *XMLHttpRequest) SetResponseType(t ResponseType) error {
	if !t.valid() {
		return nil
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.state == StateLoading || x.state == StateDone {
		return fmt.Errorf("%w: SetResponseType: state is %v", ErrInvalidState, x.state)
	}
	if x.syncFlag {
		return fmt.Errorf("%w: SetResponseType: the request is synchronous", ErrInvalidAccess)
	}
	x.responseType = t
	return nil
}

// Response returns the response body as the ResponseType asks:
//
//	ResponseType      Go type        before DONE / on failure
//	"" or "text"      string         "" (partial text while LOADING)
//	"arraybuffer"     []byte         nil
//	"blob"            *blob.Blob     nil
//	"document"        *Document      nil (also when not HTML or XML)
//	"json"            any            nil (also when not valid JSON)
//
// A JSON value is decoded as encoding/json decodes into an any:
// map[string]any, []any, string, float64, bool or nil. The same value is
// returned by every call once it has been computed; the caller must not
// modify a []byte it returns.
//
// Spec: https://xhr.spec.whatwg.org/#dom-xmlhttprequest-response
func (x *XMLHttpRequest) Response() any {
	x.mu.Lock()
	defer x.mu.Unlock()
	switch x.responseType {
	case ResponseTypeDefault, ResponseTypeText:
		if x.state != StateLoading && x.state != StateDone {
			return ""
		}
		return x.textResponseLocked()
	}
	if x.state != StateDone {
		return nil
	}
	if x.respObjSet {
		return x.respObj
	}
	var obj any
	switch x.responseType {
	case ResponseTypeArrayBuffer:
		b := make([]byte, len(x.received))
		copy(b, x.received)
		obj = b
	case ResponseTypeBlob:
		obj = blob.New([]blob.BlobPart{blob.Bytes(x.received)}, &blob.BlobPropertyBag{Type: x.finalMIMELocked().String()})
	case ResponseTypeDocument:
		if doc := x.documentResponseLocked(); doc != nil {
			obj = doc
		}
	case ResponseTypeJSON:
		if x.resp != nil {
			var v any
			if json.Unmarshal([]byte(textenc.UTF8Decode(x.received)), &v) == nil {
				obj = v
			}
		}
	}
	x.respObj, x.respObjSet = obj, true
	return obj
}

// ResponseText returns the response body decoded as text: with the
// charset of OverrideMimeType or of the Content-Type, else (for an XML
// response and ResponseType "") the XML encoding declaration, else UTF-8;
// a byte order mark overrides them all and is removed; invalid bytes
// become U+FFFD. It returns "" before LOADING. It fails with an error
// wrapping ErrInvalidState when the ResponseType is not "" or "text".
//
// Spec: https://xhr.spec.whatwg.org/#dom-xmlhttprequest-responsetext
func (x *XMLHttpRequest) ResponseText() (string, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.responseType != ResponseTypeDefault && x.responseType != ResponseTypeText {
		return "", fmt.Errorf("%w: ResponseText: the response type is %q", ErrInvalidState, x.responseType)
	}
	if x.state != StateLoading && x.state != StateDone {
		return "", nil
	}
	return x.textResponseLocked(), nil
}

// ResponseXML returns the response as a document: an XML document for an
// XML MIME type (with ResponseType "" or "document"), an HTML document for
// text/html (with ResponseType "document" only). It returns nil before
// DONE, for other MIME types and for malformed XML. It fails with an error
// wrapping ErrInvalidState when the ResponseType is not "" or "document".
//
// Spec: https://xhr.spec.whatwg.org/#dom-xmlhttprequest-responsexml
func (x *XMLHttpRequest) ResponseXML() (*Document, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.responseType != ResponseTypeDefault && x.responseType != ResponseTypeDocument {
		return nil, fmt.Errorf("%w: ResponseXML: the response type is %q", ErrInvalidState, x.responseType)
	}
	if x.state != StateDone {
		return nil, nil
	}
	if !x.respObjSet {
		if doc := x.documentResponseLocked(); doc != nil {
			x.respObj = doc
		}
		x.respObjSet = true
	}
	doc, _ := x.respObj.(*Document)
	return doc, nil
}

// responseMIMELocked is "get a response MIME type": the Content-Type, or
// text/xml when there is none.
//
// Spec: https://xhr.spec.whatwg.org/#response-mime-type
func (x *XMLHttpRequest) responseMIMELocked() *mimetype.MIMEType {
	if x.resp != nil {
		if v, ok := x.resp.Headers().Get("Content-Type"); ok {
			if mt, ok := mimetype.Extract([]string{v}); ok {
				return mt
			}
		}
	}
	return &mimetype.MIMEType{Type: "text", Subtype: "xml"}
}

// finalMIMELocked is "get a final MIME type": the override MIME type, or
// the response MIME type.
//
// Spec: https://xhr.spec.whatwg.org/#final-mime-type
func (x *XMLHttpRequest) finalMIMELocked() *mimetype.MIMEType {
	if x.overrideMIME != nil {
		return x.overrideMIME
	}
	return x.responseMIMELocked()
}

// textResponseLocked is the spec's "text response".
//
// Spec: https://xhr.spec.whatwg.org/#text-response
func (x *XMLHttpRequest) textResponseLocked() string {
	if x.resp == nil || len(x.received) == 0 {
		return ""
	}
	enc, ok := finalEncoding(x.responseMIMELocked(), x.overrideMIME)
	if !ok && x.responseType == ResponseTypeDefault && x.finalMIMELocked().IsXML() {
		enc, ok = xmlDeclaredEncoding(x.received)
	}
	if !ok {
		enc = utf8Encoding
	}
	return decodeText(x.received, enc)
}

// documentResponseLocked is the spec's "set a document response"; nil
// means the response is not a document.
//
// Spec: https://xhr.spec.whatwg.org/#document-response
func (x *XMLHttpRequest) documentResponseLocked() *Document {
	if x.resp == nil {
		return nil
	}
	final := x.finalMIMELocked()
	isHTML, isXML := final.IsHTML(), final.IsXML()
	if !isHTML && !isXML {
		return nil
	}
	if x.responseType == ResponseTypeDefault && isHTML {
		return nil
	}
	enc, ok := finalEncoding(x.responseMIMELocked(), x.overrideMIME)
	var doc *Document
	if isHTML {
		if !ok {
			enc, ok = htmlPrescanEncoding(x.received)
		}
		if !ok {
			enc = utf8Encoding
		}
		enc, _ = bomEncoding(x.received, enc)
		doc, _ = parseHTMLDocument(decodeText(x.received, enc), final.Essence(), enc.Name)
	} else {
		if !ok {
			enc, ok = xmlDeclaredEncoding(x.received)
		}
		if !ok {
			enc = utf8Encoding
		}
		enc, _ = bomEncoding(x.received, enc)
		var err error
		if doc, err = parseXMLDocument(decodeText(x.received, enc), final.Essence(), enc.Name); err != nil {
			return nil
		}
	}
	doc.url = x.resp.URL()
	return doc
}
