package main

import (
	"context"
	"fmt"
	"io"

	"github.com/webnet-go/webnet/url"
)

// The URL chapter: the tutorial's URL object examples (relative
// resolution, components, searchParams, encoding, IPv6) with the URL
// Standard's parser, and the tour server's own address taken apart.
func init() {
	register(chapter{
		order: 5,
		title: "URL: parsing, components, searchParams",
		run:   urlRun,
	})
}

func urlRun(_ context.Context, out io.Writer, base string) error {
	// new URL('/profile/admin', 'https://javascript.info')
	u, err := url.ParseWithBase("/profile/admin", "https://javascript.info")
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "resolved:", u)
	// new URL('tester', url)
	t, err := u.Parse("tester")
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "relative to it:", t)

	// Components of a full URL.
	u, err = url.Parse("https://login:password@site.com:8080/path/page?p1=v1&p2=v2#hash")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "protocol=%s username=%s password=%s host=%s hostname=%s port=%s\n",
		u.Protocol(), u.Username(), u.Password(), u.Host(), u.Hostname(), u.Port())
	fmt.Fprintf(out, "pathname=%s search=%s hash=%s origin=%s\n",
		u.Pathname(), u.Search(), u.Hash(), u.Origin())

	// searchParams encode spaces and punctuation, and stay live.
	u, err = url.Parse("https://google.com/search")
	if err != nil {
		return err
	}
	u.SearchParams().Set("q", "test me!")
	u.SearchParams().Set("tbs", "qdr:y")
	fmt.Fprintln(out, "with searchParams:", u)
	for name, value := range u.SearchParams().All() {
		fmt.Fprintf(out, "  %s=%s\n", name, value)
	}

	// Non-Latin paths, queries and hosts are encoded.
	u, err = url.Parse("https://ru.wikipedia.org/wiki/Тест")
	if err != nil {
		return err
	}
	u.SearchParams().Set("key", "ъ")
	fmt.Fprintln(out, "encoded:", u)
	u, err = url.Parse("https://пример.рф/")
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "IDN host:", u.Hostname())

	// IPv6 hosts keep their brackets (encodeURI would escape them).
	u, err = url.Parse("http://[2607:f8b0:4005:802::1007]/")
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "IPv6:", u, "hostname", u.Hostname())

	// Invalid input is an error that names the reason.
	if _, err := url.Parse("/no/scheme"); err != nil {
		fmt.Fprintln(out, "error:", err)
	}

	// The tour server's own address, and a path resolved against it.
	s, err := url.Parse(base)
	if err != nil {
		return err
	}
	api, err := s.Parse("/fetch/../api/items?page=2")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "tour server: host %s port %s; resolved %s\n", s.Hostname(), s.Port(), api.Pathname()+api.Search())
	return nil
}
