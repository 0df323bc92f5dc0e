// Package formdata implements the XHR Standard's FormData: an ordered list
// of name/value entries, each value a string or a *blob.File, with the
// HTML Standard's multipart/form-data encoding as a streaming fetch body,
// and a parser for multipart/form-data and
// application/x-www-form-urlencoded bodies (Response.formData()).
//
// [FormData.ExtractBody] streams the encoding: it computes the exact
// length up front (so an HTTP request carries Content-Length, not chunked
// encoding), uses a fresh crypto/rand boundary on every call, and reads a
// File's bytes only when the reader reaches them, so a form carrying a
// file-backed File of many gigabytes ([blob.OpenFile]) is sent with a few
// kilobytes of memory. [Parse] goes the other way.
//
// # JavaScript to Go
//
//	JavaScript                              Go
//	new FormData()                          formdata.New() (or a zero FormData)
//	fd.append(name, "value")                fd.Append(name, "value")
//	fd.append(name, blob)                   fd.AppendBlob(name, blob, "")         // filename "blob"
//	fd.append(name, blob, "a.png")          fd.AppendBlob(name, blob, "a.png")
//	fd.append(name, file)                   fd.AppendFile(name, file, "")         // keeps file.name
//	fd.append(name, file, "b.txt")          fd.AppendFile(name, file, "b.txt")
//	fd.set(...)                             fd.Set / fd.SetBlob / fd.SetFile (same shapes)
//	fd.delete(name) / fd.has(name)          fd.Delete(name) / fd.Has(name)
//	fd.get(name)        (null if none)      v, ok := fd.Get(name)
//	fd.getAll(name)                         fd.GetAll(name)
//	for (const [k, v] of fd) / entries()    for k, v := range fd.All()
//	fd.keys() / fd.values()                 fd.Keys() / fd.Values()
//	typeof v === "string" / v instanceof File   v.IsFile(), v.String(), v.File()
//	fetch(url, {method: "POST", body: fd})  fetch.Fetch(ctx, url, &fetch.RequestInit{Method: "POST", Body: fd})
//	await response.formData()               response.FormData(), built on formdata.Parse
//	TypeError from formData()               an error wrapping formdata.ErrMalformed
//
// # Deviations from the XHR and HTML Standards
//
//   - There is no form element: New takes no argument, and no submitter.
//   - Go strings are bytes: names, string values and filenames that are
//     not valid UTF-8 are converted as a JavaScript string with lone
//     surrogates is converted to a USVString (see [FormData]).
//   - An empty filename argument means "none given" (AppendBlob names the
//     File "blob"), where JavaScript can pass "" explicitly.
//   - JavaScript overloads append and set; Go has one method per value
//     type (Append, AppendBlob, AppendFile and the Set trio).
//   - Get returns (Value, bool) instead of null.
//   - Parse is a Go function (JavaScript parses only through
//     Response.formData and Request.formData). It follows the
//     multipart/form-data parser drafted for the Fetch Standard (names and
//     filenames unescape %0A, %0D and %22; a file part without a
//     Content-Type is text/plain), but its framing is mime/multipart's,
//     which also accepts a preamble, an epilogue and bare-LF line endings,
//     and rejects a header holding a control character other than tab,
//     although the encoder sends names with such characters as browsers
//     do. See [Parse] for where large file parts are kept.
//
// # Concurrency
//
// A FormData is plain data, like http.Header: not safe for concurrent
// mutation; concurrent reads with no writer are safe. Its File values are
// immutable. The reader ExtractBody returns belongs to one goroutine and
// must be closed.
package formdata
