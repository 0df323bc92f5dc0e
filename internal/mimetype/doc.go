// Package mimetype implements the MIME Sniffing Standard's MIME type record:
// parsing, serializing, the MIME type groups, and the Fetch Standard's
// "extract a MIME type" from a response's or request's Content-Type headers.
//
// It is internal: blob uses it for Blob.type, fetch for body Content-Types
// and the Content-Type of every response, and xhr for its charset rules.
//
// A [MIMEType] is plain data: a lower-cased type and subtype and an ordered
// list of parameters whose names are lower-cased and unique (the spec's
// ordered map). [Parse] implements "parse a MIME type", [MIMEType.String]
// "serialize a MIME type", [Extract] Fetch's "extract a MIME type" and
// [LegacyEncodingLabel] the MIME part of Fetch's "legacy extract an
// encoding".
//
// # JS to Go
//
// Browsers expose no MIME type object; Node.js's util.MIMEType is the
// closest JavaScript API and maps as follows.
//
//	JavaScript (Node util.MIMEType)        Go
//	new MIMEType(s)                        mimetype.Parse(s)  // false instead of a throw
//	mime.type / mime.subtype               m.Type / m.Subtype
//	mime.essence                           m.Essence()
//	mime.params.get(name)                  m.Param(name)
//	mime.params.set(name, value)           m.SetParam(name, value)
//	mime.params.entries()                  m.Params (a slice, in order)
//	String(mime)                           m.String()
//	response.headers.get("content-type")   mimetype.Extract(values)  // the parsed record
//
// # Deviations from the MIME Sniffing Standard
//
//   - The spec works on strings of code points; Go strings hold bytes.
//     [Parse] reads its input as UTF-8 (a JavaScript string, such as a Blob
//     type), so a parameter value with a code point above U+00FF is
//     rejected, as the spec says; an invalid UTF-8 byte counts as U+FFFD.
//     [Extract] reads header values as bytes, as Fetch's isomorphic decode
//     does: every byte 0x80-0xFF is the code point U+0080-U+00FF, and the
//     result keeps those bytes unchanged, so writing [MIMEType.String] back
//     into a header is the spec's isomorphic encode.
//   - The fields of [MIMEType] are exported and may be set directly; the
//     type does not validate them again. Values that [Parse] would reject
//     serialize as given.
//
// # Concurrency
//
// A [MIMEType] is not safe for concurrent mutation, like http.Header;
// concurrent reads are safe. The package has no global state.
package mimetype
