package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
)

// streamJSON writes byte for byte what encoding the whole document at once
// writes, at the top level and nested, with no items, one and several, and
// with values an HTML-escaping encoder would change.
func TestStreamJSONWritesWhatTheEncoderWrites(t *testing.T) {
	type item struct {
		Name  string   `json:"name"`
		Paths []string `json:"paths,omitempty"`
	}
	type inner struct {
		Items any    `json:"items"`
		After string `json:"after"`
	}
	type doc struct {
		Before string  `json:"before"`
		Runs   []inner `json:"runs"`
	}
	for n := 0; n < 4; n++ {
		items := make([]item, n)
		for i := range items {
			items[i] = item{Name: fmt.Sprintf("<a&b> %d \u00e9", i), Paths: []string{"x", "y"}[:i%3]}
		}
		var whole bytes.Buffer
		enc := json.NewEncoder(&whole)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(doc{Before: "b", Runs: []inner{{Items: items, After: "a"}}}); err != nil {
			t.Fatal(err)
		}
		var streamed bytes.Buffer
		skeleton := doc{Before: "b", Runs: []inner{{Items: itemsMarker, After: "a"}}}
		if err := streamJSON(&streamed, skeleton, n, func(i int) any { return items[i] }); err != nil {
			t.Fatal(err)
		}
		if streamed.String() != whole.String() {
			t.Errorf("%d items: streamed\n%s\nwant\n%s", n, streamed.String(), whole.String())
		}
	}
}
