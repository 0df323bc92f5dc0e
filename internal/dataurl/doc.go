// Package dataurl implements the Fetch Standard's data: URL processor and
// the Infra Standard's forgiving-base64 decode, which fetch uses to answer
// a request for a data: URL without touching the network.
//
// [Process] takes a URL already parsed and serialized by the URL parser (the
// parser strips whitespace and percent-encodes, so raw user input must go
// through url.Parse first) and returns the MIME type and the body bytes;
// [ForgivingBase64Decode] is the decoder behind ";base64" bodies and
// window.atob.
//
// # JS to Go
//
//	JavaScript                                     Go
//	const r = await fetch("data:,Hi")              res, err := dataurl.Process(u.Href())  // inside fetch
//	r.headers.get("content-type")                  res.MIMEType.String()
//	await r.arrayBuffer()                          res.Body
//	atob(s)                                        dataurl.ForgivingBase64Decode(s)
//
// # Deviations from the Fetch Standard
//
//   - [Process] takes the URL's serialization rather than a URL record, so
//     that this package does not depend on the url package. It removes the
//     fragment itself (the serializer's "exclude fragment"), and fails with
//     [ErrNotDataURL] for any other scheme where the spec asserts.
//   - Failures are errors saying why ([ErrNotDataURL], [ErrNoComma],
//     [ErrInvalidBase64]); the spec returns a bare failure, which fetch turns
//     into a network error.
//
// # Concurrency
//
// The functions are safe for concurrent use; the package has no state. A
// [Result] is plain data owned by the caller.
package dataurl
