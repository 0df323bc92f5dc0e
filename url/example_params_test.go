package url_test

import (
	"errors"
	"fmt"
	"io"

	"github.com/webnet-go/webnet/url"
)

// The tutorial's URLSearchParams example: parameters with a space, "!" and
// ":" are encoded when set and decoded when read.
//
//	let url = new URL('https://google.com/search');
//	url.searchParams.set('q', 'test me!');
//	alert(url); // https://google.com/search?q=test+me%21
//	url.searchParams.set('tbs', 'qdr:y');
//	alert(url); // https://google.com/search?q=test+me%21&tbs=qdr%3Ay
//	for (let [name, value] of url.searchParams) alert(`${name}=${value}`);
func Example_searchParamsWithSpacesAndPunctuation() {
	u, err := url.Parse("https://google.com/search")
	if err != nil {
		panic(err)
	}
	u.SearchParams().Set("q", "test me!") // a space and a "!"
	fmt.Println(u)
	u.SearchParams().Set("tbs", "qdr:y") // a ":"
	fmt.Println(u)
	for name, value := range u.SearchParams().All() { // decoded
		fmt.Printf("%s=%s\n", name, value)
	}
	// Output:
	// https://google.com/search?q=test+me%21
	// https://google.com/search?q=test+me%21&tbs=qdr%3Ay
	// q=test me!
	// tbs=qdr:y
}

// The tutorial's comparison of encodeURIComponent and encodeURI on a
// search parameter holding "&":
//
//	let music = encodeURIComponent('Rock&Roll');
//	alert(`https://google.com/search?q=${music}`); // https://google.com/search?q=Rock%26Roll
//	music = encodeURI('Rock&Roll');
//	alert(`https://google.com/search?q=${music}`); // https://google.com/search?q=Rock&Roll
func Example_encodeURIComponentVersusEncodeURI() {
	music, _ := url.EncodeURIComponent("Rock&Roll") // the error is only for ill-formed UTF-8
	fmt.Println("https://google.com/search?q=" + music)

	music, _ = url.EncodeURI("Rock&Roll") // "&" is left alone: q=Rock plus a parameter Roll
	fmt.Println("https://google.com/search?q=" + music)
	// Output:
	// https://google.com/search?q=Rock%26Roll
	// https://google.com/search?q=Rock&Roll
}

func ExampleEncodeURI() {
	// A whole URL with a Cyrillic path, as in the tutorial.
	fmt.Println(url.EncodeURI("http://site.com/привет"))
	// encodeURI predates IPv6 literals and escapes the brackets; URL
	// serialization keeps them.
	fmt.Println(url.EncodeURI("http://[2607:f8b0:4005:802::1007]/"))
	// A string that is not UTF-8 is JavaScript's lone surrogate: a URIError.
	_, err := url.EncodeURI("\xff")
	fmt.Println(errors.Is(err, url.ErrURIError))
	// Output:
	// http://site.com/%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82 <nil>
	// http://%5B2607:f8b0:4005:802::1007%5D/ <nil>
	// true
}

func ExampleEncodeURIComponent() {
	fmt.Println(url.EncodeURIComponent("a b&c=d/e?f#g"))
	fmt.Println(url.EncodeURIComponent("ъ"))
	// Output:
	// a%20b%26c%3Dd%2Fe%3Ff%23g <nil>
	// %D1%8A <nil>
}

func ExampleDecodeURI() {
	s, err := url.DecodeURI("http://site.com/%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82?a=%26%20b")
	fmt.Println(s, err)
	// Output:
	// http://site.com/привет?a=%26 b <nil>
}

func ExampleDecodeURIComponent() {
	s, err := url.DecodeURIComponent("Rock%26Roll")
	fmt.Println(s, err)

	_, err = url.DecodeURIComponent("%ED%A0%80") // an encoded surrogate
	fmt.Println(errors.Is(err, url.ErrURIError))
	_, err = url.DecodeURIComponent("100%")
	fmt.Println(err)
	// Output:
	// Rock&Roll <nil>
	// true
	// url: URIError: URI malformed: decodeURIComponent: malformed escape at byte 3 ("%")
}

func ExampleNewSearchParams() {
	p := url.NewSearchParams("?user=John&user=Pete&q=a+b%21")
	fmt.Println(p.Size())
	fmt.Println(p.GetAll("user"))
	fmt.Println(p.Get("q"))
	// Output:
	// 3
	// [John Pete]
	// a b! true
}

func ExampleNewSearchParamsFromPairs() {
	p := url.NewSearchParamsFromPairs([][2]string{{"a", "1"}, {"b", "x y"}, {"a", "2"}})
	fmt.Println(p)
	// Output:
	// a=1&b=x+y&a=2
}

func ExampleNewSearchParamsFromMap() {
	// Keys come out sorted: a Go map has no insertion order.
	p := url.NewSearchParamsFromMap(map[string]string{"tbs": "qdr:y", "q": "test me!"})
	fmt.Println(p)
	// Output:
	// q=test+me%21&tbs=qdr%3Ay
}

func ExampleSearchParams_Append() {
	p := url.NewSearchParams("")
	p.Append("user", "John")
	p.Append("user", "Pete")
	fmt.Println(p)
	// Output:
	// user=John&user=Pete
}

func ExampleSearchParams_Delete() {
	p := url.NewSearchParams("a=1&b=2&a=3&a=4")
	p.Delete("a", "3") // only the pair a=3
	fmt.Println(p)
	p.Delete("a") // every pair named a
	fmt.Println(p)
	// Output:
	// a=1&b=2&a=4
	// b=2
}

func ExampleSearchParams_Get() {
	p := url.NewSearchParams("a=1&a=2&empty=")
	fmt.Println(p.Get("a"))
	fmt.Println(p.Get("empty"))
	fmt.Println(p.Get("missing")) // null in JavaScript
	// Output:
	// 1 true
	//  true
	//  false
}

func ExampleSearchParams_GetAll() {
	p := url.NewSearchParams("user=John&user=Pete")
	fmt.Printf("%q\n", p.GetAll("user"))
	// Output:
	// ["John" "Pete"]
}

func ExampleSearchParams_Has() {
	p := url.NewSearchParams("a=1&b=2")
	fmt.Println(p.Has("a"), p.Has("a", "2"), p.Has("c"))
	// Output:
	// true false false
}

func ExampleSearchParams_Set() {
	p := url.NewSearchParams("a=1&b=2&a=3")
	p.Set("a", "x") // the first a is kept, the others go
	p.Set("c", "y") // a new name is appended
	fmt.Println(p)
	// Output:
	// a=x&b=2&c=y
}

func ExampleSearchParams_Sort() {
	p := url.NewSearchParams("z=1&a=2&z=0&\uFB03=3&\U0001F308=4")
	p.Sort() // stable, by UTF-16 code units: the emoji sorts before U+FB03
	for name, value := range p.All() {
		fmt.Println(name, value)
	}
	// Output:
	// a 2
	// z 1
	// z 0
	// 🌈 4
	// ﬃ 3
}

func ExampleSearchParams_Size() {
	p := url.NewSearchParams("a=1&b=2&a=3")
	fmt.Println(p.Size())
	// Output:
	// 3
}

func ExampleSearchParams_String() {
	p := url.NewSearchParams("")
	p.Append("q", "Rock & Roll ~ 100%")
	p.Append("emoji", "💩")
	fmt.Println(p.String())
	// Output:
	// q=Rock+%26+Roll+%7E+100%25&emoji=%F0%9F%92%A9
}

func ExampleSearchParams_All() {
	p := url.NewSearchParams("user=John&user=Pete&q=a%20b")
	for name, value := range p.All() {
		fmt.Printf("%s=%s\n", name, value)
	}
	// Output:
	// user=John
	// user=Pete
	// q=a b
}

func ExampleSearchParams_Keys() {
	p := url.NewSearchParams("user=John&user=Pete&q=x")
	for name := range p.Keys() {
		fmt.Println(name)
	}
	// Output:
	// user
	// user
	// q
}

func ExampleSearchParams_Values() {
	p := url.NewSearchParams("user=John&user=Pete&q=x")
	for value := range p.Values() {
		fmt.Println(value)
	}
	// Output:
	// John
	// Pete
	// x
}

// ExtractBody makes a SearchParams a fetch body; this is what fetch sends.
func ExampleSearchParams_ExtractBody() {
	p := url.NewSearchParamsFromPairs([][2]string{{"name", "John Smith"}, {"surname", "Smith & Sons"}})
	body, length, contentType, err := p.ExtractBody()
	if err != nil {
		panic(err)
	}
	defer body.Close()
	b, _ := io.ReadAll(body)
	fmt.Println(string(b))
	fmt.Println(length)
	fmt.Println(contentType)
	// Output:
	// name=John+Smith&surname=Smith+%26+Sons
	// 38
	// application/x-www-form-urlencoded;charset=UTF-8
}

func ExampleParseURLEncoded() {
	// A form body: "+" is a space, "%" escapes are decoded, a stray "%"
	// stays and bytes that are not UTF-8 become U+FFFD.
	for _, pair := range url.ParseURLEncoded("name=John+Smith&note=100%&x=%FF&&flag") {
		fmt.Printf("%+q\n", pair)
	}
	// Output:
	// ["name" "John Smith"]
	// ["note" "100%"]
	// ["x" "\ufffd"]
	// ["flag" ""]
}

func ExampleSerializeURLEncoded() {
	fmt.Println(url.SerializeURLEncoded([][2]string{{"q", "test me!"}, {"tbs", "qdr:y"}, {"", ""}}))
	// Output:
	// q=test+me%21&tbs=qdr%3Ay&=
}
