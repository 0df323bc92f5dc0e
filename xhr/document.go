package xhr

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"maps"
	"strings"

	"golang.org/x/net/html"

	"github.com/webnet-go/webnet/internal/mimetype"
)

// Document is the document of a response whose ResponseType is "document"
// (or "" for XML), and a request body kind for [XMLHttpRequest.Send]. It
// holds an HTML document, parsed by golang.org/x/net/html, or an XML
// document, parsed by encoding/xml; both are trees of *html.Node, so the
// same code walks either:
//
//	doc, _ := x.ResponseXML()
//	root := doc.DocumentElement() // <html> or the XML root element
//
// In an XML tree, element and attribute names are the qualified names as
// written ("prefix:local" or "local", the DOM's tagName), and Namespace
// holds the namespace URI they are bound to (empty for none); text, CDATA
// sections and comments are TextNode and CommentNode, and processing
// instructions, the XML declaration among them, are dropped.
//
// A Document is not safe for concurrent mutation of its tree; reading it
// from several goroutines is safe.
//
// Deviation: the DOM's Document interface is not implemented; the tree is
// the *html.Node of golang.org/x/net/html.
//
// Spec: https://dom.spec.whatwg.org/#interface-document
type Document struct {
	node        *html.Node
	isHTML      bool
	contentType string
	charset     string
	url         string
}

// ParseDocument parses s as a document of the given MIME type, as
// JavaScript's DOMParser.parseFromString does: an HTML MIME type
// ("text/html") gives an HTML document, and an XML MIME type (such as
// "application/xml", "text/xml" or "image/svg+xml") an XML document. A
// malformed XML document is an error wrapping [ErrSyntax]; HTML never
// fails. Any other MIME type is an error wrapping [ErrNotSupported].
//
// Spec: https://html.spec.whatwg.org/multipage/dynamic-markup-insertion.html#dom-domparser-parsefromstring
func ParseDocument(s, contentType string) (*Document, error) {
	mt, ok := mimetype.Parse(contentType)
	switch {
	case ok && mt.IsHTML():
		return parseHTMLDocument(s, mt.Essence(), "UTF-8")
	case ok && mt.IsXML():
		return parseXMLDocument(s, mt.Essence(), "UTF-8")
	}
	return nil, fmt.Errorf("%w: ParseDocument: MIME type %q is neither HTML nor XML", ErrNotSupported, contentType)
}

func parseHTMLDocument(s, contentType, charset string) (*Document, error) {
	n, err := html.Parse(strings.NewReader(s))
	if err != nil { // only a reader error, which a strings.Reader never gives
		return nil, err
	}
	return &Document{node: n, isHTML: true, contentType: contentType, charset: charset}, nil
}

// xmlNamespace and xmlnsNamespace are the namespaces the prefixes "xml"
// and "xmlns" are bound to.
const (
	xmlNamespace   = "http://www.w3.org/XML/1998/namespace"
	xmlnsNamespace = "http://www.w3.org/2000/xmlns/"
)

// parseXMLDocument parses s, which is already decoded, into a tree. The
// encoding declaration is ignored, since decoding is done. Names keep
// their prefixes as written; Namespace holds the URI each prefix (or the
// default namespace) is bound to. A document that is not namespace
// well-formed (an unbound prefix) is malformed, as browsers' XML parsers
// treat it.
func parseXMLDocument(s, contentType, charset string) (*Document, error) {
	d := xml.NewDecoder(strings.NewReader(s))
	d.Strict = true
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	doc := &html.Node{Type: html.DocumentNode}
	cur := doc
	scopes := []map[string]string{{"xml": xmlNamespace, "xmlns": xmlnsNamespace}}
	sawRoot := false
	malformed := func(format string, args ...any) error {
		return fmt.Errorf("%w: malformed XML: %s", ErrSyntax, fmt.Sprintf(format, args...))
	}
	for {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: malformed XML: %w", ErrSyntax, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if cur == doc {
				if sawRoot {
					return nil, malformed("more than one root element")
				}
				sawRoot = true
			}
			scope, cloned := scopes[len(scopes)-1], false
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
					if !cloned {
						scope, cloned = maps.Clone(scope), true
					}
					if a.Name.Space == "xmlns" {
						scope[a.Name.Local] = a.Value
					} else {
						scope[""] = a.Value
					}
				}
			}
			ns, ok := scope[t.Name.Space]
			if !ok && t.Name.Space != "" {
				return nil, malformed("element %s:%s: prefix %q is not bound", t.Name.Space, t.Name.Local, t.Name.Space)
			}
			el := &html.Node{Type: html.ElementNode, Data: qname(t.Name), Namespace: ns}
			for _, a := range t.Attr {
				var ans string
				switch {
				case a.Name.Space == "" && a.Name.Local == "xmlns":
					ans = xmlnsNamespace
				case a.Name.Space != "":
					if ans, ok = scope[a.Name.Space]; !ok {
						return nil, malformed("attribute %s: prefix %q is not bound", qname(a.Name), a.Name.Space)
					}
				}
				el.Attr = append(el.Attr, html.Attribute{Namespace: ans, Key: qname(a.Name), Val: a.Value})
			}
			cur.AppendChild(el)
			cur = el
			scopes = append(scopes, scope)
		case xml.EndElement:
			if cur == doc || cur.Data != qname(t.Name) {
				return nil, malformed("unexpected end element </%s>", qname(t.Name))
			}
			cur = cur.Parent
			scopes = scopes[:len(scopes)-1]
		case xml.CharData:
			if cur == doc {
				continue // whitespace around the root element
			}
			if last := cur.LastChild; last != nil && last.Type == html.TextNode {
				last.Data += string(t)
			} else {
				cur.AppendChild(&html.Node{Type: html.TextNode, Data: string(t)})
			}
		case xml.Comment:
			cur.AppendChild(&html.Node{Type: html.CommentNode, Data: string(t)})
		case xml.Directive:
			if cur == doc && bytes.HasPrefix(t, []byte("DOCTYPE")) {
				name, _, _ := strings.Cut(strings.TrimSpace(string(t[len("DOCTYPE"):])), " ")
				doc.AppendChild(&html.Node{Type: html.DoctypeNode, Data: name})
			}
		}
	}
	if cur != doc {
		return nil, malformed("element <%s> is not closed", cur.Data)
	}
	if !sawRoot {
		return nil, malformed("no root element")
	}
	return &Document{node: doc, contentType: contentType, charset: charset}, nil
}

// qname returns the qualified name of a raw (unresolved) name:
// "prefix:local", or "local".
func qname(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

// Node returns the document node, the root of the tree. The tree belongs
// to the Document; changes to it change what [Document.String] serializes.
//
// Spec: https://dom.spec.whatwg.org/#concept-document
func (d *Document) Node() *html.Node { return d.node }

// DocumentElement returns the root element (<html> for an HTML document),
// or nil when there is none.
//
// Spec: https://dom.spec.whatwg.org/#dom-document-documentelement
func (d *Document) DocumentElement() *html.Node {
	for c := d.node.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			return c
		}
	}
	return nil
}

// IsHTML reports whether d is an HTML document (else it is an XML
// document).
//
// Spec: https://dom.spec.whatwg.org/#html-document
func (d *Document) IsHTML() bool { return d.isHTML }

// ContentType returns the document's content type, such as "text/html" or
// "application/xml".
//
// Spec: https://dom.spec.whatwg.org/#dom-document-contenttype
func (d *Document) ContentType() string { return d.contentType }

// CharacterSet returns the name of the encoding the document was decoded
// with, such as "UTF-8" or "windows-1252".
//
// Spec: https://dom.spec.whatwg.org/#dom-document-characterset
func (d *Document) CharacterSet() string { return d.charset }

// URL returns the URL of the response the document came from, or "" for a
// parsed document.
//
// Spec: https://dom.spec.whatwg.org/#dom-document-url
func (d *Document) URL() string { return d.url }

// TextContent returns the concatenation of the text of the document
// element and its descendants ("" without a document element).
//
// Spec: https://dom.spec.whatwg.org/#dom-node-textcontent
func (d *Document) TextContent() string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	if el := d.DocumentElement(); el != nil {
		walk(el)
	}
	return b.String()
}

// String serializes the document: html.Render for an HTML document, XML
// markup for an XML document. It is what Send transmits for a Document.
//
// Spec: https://w3c.github.io/DOM-Parsing/#dfn-fragment-serializing-algorithm
func (d *Document) String() string {
	var b strings.Builder
	if d.isHTML {
		// Rendering into a strings.Builder fails only on a tree that
		// html.Render cannot express; then the text so far is returned.
		_ = html.Render(&b, d.node)
		return b.String()
	}
	writeXML(&b, d.node)
	return b.String()
}

// ExtractBody makes a Document a request body (fetch.BodyInit): its
// serialization, UTF-8 encoded, with the Content-Type
// "text/html;charset=UTF-8" or "application/xml;charset=UTF-8" that send()
// gives a document.
//
// Spec: https://xhr.spec.whatwg.org/#the-send()-method
func (d *Document) ExtractBody() (io.ReadCloser, int64, string, error) {
	s := d.String()
	ct := "application/xml;charset=UTF-8"
	if d.isHTML {
		ct = "text/html;charset=UTF-8"
	}
	return io.NopCloser(strings.NewReader(s)), int64(len(s)), ct, nil
}

// writeXML serializes n as XML. Names are written as the parser kept
// them, prefixes included, so the namespace declarations (xmlns
// attributes) in the tree give them their meaning again.
func writeXML(b *strings.Builder, n *html.Node) {
	switch n.Type {
	case html.DocumentNode:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			writeXML(b, c)
		}
	case html.DoctypeNode:
		b.WriteString("<!DOCTYPE " + n.Data + ">")
	case html.CommentNode:
		b.WriteString("<!--" + n.Data + "-->")
	case html.TextNode:
		_ = xml.EscapeText(b, []byte(n.Data)) // a strings.Builder never fails
	case html.ElementNode:
		b.WriteString("<" + n.Data)
		for _, a := range n.Attr {
			b.WriteString(" " + a.Key + `="`)
			_ = xml.EscapeText(b, []byte(a.Val))
			b.WriteString(`"`)
		}
		if n.FirstChild == nil {
			b.WriteString("/>")
			return
		}
		b.WriteString(">")
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			writeXML(b, c)
		}
		b.WriteString("</" + n.Data + ">")
	}
}
