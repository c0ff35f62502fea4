package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// itemsMarker stands where a streamed array goes in a document's skeleton.
// No skeleton holds a NUL of its own: it has no finding in it.
var itemsMarker = json.RawMessage(`"\u0000items"`)

// streamJSON writes doc as json.Encoder with SetIndent("", "  ") and
// SetEscapeHTML(false) would, except that the one field of doc that holds
// itemsMarker becomes an array of n items, each made by item(i) and
// written as it is made. A report of a million findings is then never
// built whole in memory, twice over, before the first byte goes out.
func streamJSON(w io.Writer, doc any, n int, item func(i int) any) error {
	skeleton, err := encodeIndented(doc, "")
	if err != nil {
		return err
	}
	at := bytes.Index(skeleton, itemsMarker)
	if at < 0 {
		return errors.New("report: the document has no place for its items")
	}
	lineStart := bytes.LastIndexByte(skeleton[:at], '\n') + 1
	line := skeleton[lineStart:at]
	indent := string(line[:len(line)-len(bytes.TrimLeft(line, " "))])
	inner := indent + "  "

	bw := bufio.NewWriterSize(w, 64<<10)
	bw.Write(skeleton[:at])
	if n == 0 {
		bw.WriteString("[]")
	} else {
		bw.WriteString("[\n")
		for i := 0; i < n; i++ {
			b, err := encodeIndented(item(i), inner)
			if err != nil {
				return err
			}
			if i > 0 {
				bw.WriteString(",\n")
			}
			bw.WriteString(inner)
			bw.Write(bytes.TrimSuffix(b, []byte("\n")))
		}
		bw.WriteString("\n" + indent + "]")
	}
	bw.Write(skeleton[at+len(itemsMarker):])
	return bw.Flush()
}

// encodeIndented is v as the report's encoder writes it, each line after
// the first starting with prefix.
func encodeIndented(v any, prefix string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent(prefix, "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
