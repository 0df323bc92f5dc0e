package mimetype

import "strings"

// The MIME type groups. Each predicate looks at the type and subtype only,
// as stored (lower case, as Parse produces them).

// IsImage reports whether m is an image MIME type: its type is "image".
//
// Spec: https://mimesniff.spec.whatwg.org/#image-mime-type
func (m *MIMEType) IsImage() bool { return m.Type == "image" }

// IsAudioOrVideo reports whether m is an audio or video MIME type: its type
// is "audio" or "video", or its essence is application/ogg.
//
// Spec: https://mimesniff.spec.whatwg.org/#audio-or-video-mime-type
func (m *MIMEType) IsAudioOrVideo() bool {
	return m.Type == "audio" || m.Type == "video" || m.hasEssence("application", "ogg")
}

// IsFont reports whether m is a font MIME type: its type is "font", or its
// essence is one of the legacy application/font-* and vnd.ms- font types.
//
// Spec: https://mimesniff.spec.whatwg.org/#font-mime-type
func (m *MIMEType) IsFont() bool {
	if m.Type == "font" {
		return true
	}
	if m.Type != "application" {
		return false
	}
	switch m.Subtype {
	case "font-cff", "font-off", "font-sfnt", "font-ttf", "font-woff",
		"vnd.ms-fontobject", "vnd.ms-opentype":
		return true
	}
	return false
}

// IsZIPBased reports whether m is a ZIP-based MIME type: its subtype ends
// in "+zip", or its essence is application/zip.
//
// Spec: https://mimesniff.spec.whatwg.org/#zip-based-mime-type
func (m *MIMEType) IsZIPBased() bool {
	return strings.HasSuffix(m.Subtype, "+zip") || m.hasEssence("application", "zip")
}

// IsArchive reports whether m is an archive MIME type: its essence is
// application/x-rar-compressed, application/zip or application/x-gzip.
//
// Spec: https://mimesniff.spec.whatwg.org/#archive-mime-type
func (m *MIMEType) IsArchive() bool {
	if m.Type != "application" {
		return false
	}
	switch m.Subtype {
	case "x-rar-compressed", "zip", "x-gzip":
		return true
	}
	return false
}

// IsXML reports whether m is an XML MIME type: its subtype ends in "+xml",
// or its essence is text/xml or application/xml.
//
// Spec: https://mimesniff.spec.whatwg.org/#xml-mime-type
func (m *MIMEType) IsXML() bool {
	return strings.HasSuffix(m.Subtype, "+xml") ||
		m.hasEssence("text", "xml") || m.hasEssence("application", "xml")
}

// IsHTML reports whether m is an HTML MIME type: its essence is text/html.
//
// Spec: https://mimesniff.spec.whatwg.org/#html-mime-type
func (m *MIMEType) IsHTML() bool { return m.hasEssence("text", "html") }

// IsScriptable reports whether m is a scriptable MIME type: an XML or HTML
// MIME type, or application/pdf.
//
// Spec: https://mimesniff.spec.whatwg.org/#scriptable-mime-type
func (m *MIMEType) IsScriptable() bool {
	return m.IsXML() || m.IsHTML() || m.hasEssence("application", "pdf")
}

// IsJavaScript reports whether m is a JavaScript MIME type: its essence is
// one of the sixteen the spec lists (application/javascript,
// text/javascript, text/javascript1.0 to 1.5, text/jscript, ...).
//
// Spec: https://mimesniff.spec.whatwg.org/#javascript-mime-type
func (m *MIMEType) IsJavaScript() bool {
	switch m.Type {
	case "application":
		switch m.Subtype {
		case "ecmascript", "javascript", "x-ecmascript", "x-javascript":
			return true
		}
	case "text":
		switch m.Subtype {
		case "ecmascript", "javascript", "javascript1.0", "javascript1.1",
			"javascript1.2", "javascript1.3", "javascript1.4", "javascript1.5",
			"jscript", "livescript", "x-ecmascript", "x-javascript":
			return true
		}
	}
	return false
}

// IsJSON reports whether m is a JSON MIME type: its subtype ends in
// "+json", or its essence is application/json or text/json.
//
// Spec: https://mimesniff.spec.whatwg.org/#json-mime-type
func (m *MIMEType) IsJSON() bool {
	return strings.HasSuffix(m.Subtype, "+json") ||
		m.hasEssence("application", "json") || m.hasEssence("text", "json")
}
