package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
)

// Streaming output. born run prints up to 2^30 lines (probabilities or
// amplitudes of every basis state); these writers format each line into a
// small reused buffer and send it through one buffered writer in index
// order, so printing needs memory independent of the number of lines and
// no allocation per line. The bytes are those that text/tabwriter (right
// aligned, padding 2) and encoding/json (two-space indent) wrote when the
// whole table or map was built in memory first.

// streamBufSize is the size of the one buffered writer of an output.
const streamBufSize = 64 << 10

// tablePadding is the number of spaces left of the widest cell of a column.
const tablePadding = 2

// appendFixed appends x as fmt formats it with %.{prec}f, or %+.{prec}f when
// plus is set.
func appendFixed(b []byte, x float64, prec int, plus bool) []byte {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		if plus {
			return fmt.Appendf(b, "%+.*f", prec, x)
		}
		return fmt.Appendf(b, "%.*f", prec, x)
	}
	if plus && !math.Signbit(x) {
		b = append(b, '+')
	}
	return strconv.AppendFloat(b, x, 'f', prec, 64)
}

// fixedWidth is len(appendFixed(nil, x, prec, plus)), without formatting in
// the common case of one integer digit.
func fixedWidth(x float64, prec int, plus bool) int {
	if prec >= 1 && math.Abs(x) < 9.5 { // rounds to at most 9.5: one integer digit
		w := prec + 2
		if plus || math.Signbit(x) {
			w++
		}
		return w
	}
	var s [48]byte
	return len(appendFixed(s[:0], x, prec, plus))
}

// appendBits appends the n-bit basis-state label of x, most significant bit
// first (as circuit.FormatBits).
func appendBits(b []byte, x uint64, n int) []byte {
	for i := n - 1; i >= 0; i-- {
		b = append(b, '0'+byte(x>>uint(i)&1))
	}
	return b
}

// textTable writes rows of right-aligned cells, each tab-terminated cell
// padded on the left to its column's width plus tablePadding, which is how
// text/tabwriter with AlignRight lays out a table whose column widths are
// known before the first row. Cells are ASCII.
type textTable struct {
	bw     *bufio.Writer
	widths []int // widest cell of each column
	cells  []byte
	ends   []int
}

func newTextTable(bw *bufio.Writer, widths ...int) *textTable {
	return &textTable{bw: bw, widths: widths, cells: make([]byte, 0, 256), ends: make([]int, 0, len(widths))}
}

// endCell closes the cell appended to t.cells since the last endCell.
func (t *textTable) endCell() { t.ends = append(t.ends, len(t.cells)) }

// endRow writes the row's cells and a newline.
func (t *textTable) endRow() error {
	const spaces = "                                                                "
	start := 0
	for c, end := range t.ends {
		for pad := t.widths[c] + tablePadding - (end - start); pad > 0; {
			k := min(pad, len(spaces))
			t.bw.WriteString(spaces[:k])
			pad -= k
		}
		t.bw.Write(t.cells[start:end])
		start = end
	}
	t.cells, t.ends = t.cells[:0], t.ends[:0]
	return t.bw.WriteByte('\n')
}

// streamMark is what a streamedObject marshals to: writeJSONStream finds it
// in the encoded envelope and streams the object's members in its place.
const streamMark = `"\u0000born:streamed-object"`

// streamedObject stands for the JSON object that writeJSONStream streams.
type streamedObject struct{}

func (streamedObject) MarshalJSON() ([]byte, error) { return []byte(streamMark), nil }

// jsonObject streams the members of one JSON object, indented as
// json.Encoder with SetIndent("", "  ") indents them.
type jsonObject struct {
	bw     *bufio.Writer
	indent []byte // of a member
	n      int    // members written
	buf    []byte
}

// writeJSONStream writes envelope (a struct with one streamedObject member)
// exactly as writeJSON would write it with that member a map, the map's
// members coming from body in the order body writes them (writeJSON sorts
// map keys: body must write them sorted).
func writeJSONStream(w io.Writer, envelope any, body func(o *jsonObject) error) error {
	var head bytes.Buffer
	if err := writeJSON(&head, envelope); err != nil {
		return err
	}
	pre, post, ok := bytes.Cut(head.Bytes(), []byte(streamMark))
	if !ok {
		panic("writeJSONStream: the envelope has no streamedObject member")
	}
	line := pre[bytes.LastIndexByte(pre, '\n')+1:] // `  "name": `
	depth := len(line) - len(bytes.TrimLeft(line, " "))
	bw := bufio.NewWriterSize(w, streamBufSize)
	bw.Write(pre)
	bw.WriteByte('{')
	o := &jsonObject{bw: bw, indent: bytes.Repeat([]byte{' '}, depth+2), buf: make([]byte, 0, 256)}
	if err := body(o); err != nil {
		return err
	}
	if o.n > 0 {
		bw.WriteByte('\n')
		bw.Write(o.indent[:depth])
	}
	bw.WriteByte('}')
	bw.Write(post)
	return bw.Flush()
}

// key starts a member: the separator, the indent and the quoted key. The
// caller appends the value to o.buf and calls end.
func (o *jsonObject) key(k []byte) {
	b := o.buf[:0]
	if o.n > 0 {
		b = append(b, ',')
	}
	b = append(b, '\n')
	b = append(b, o.indent...)
	b = appendJSONString(b, k)
	o.buf = append(b, ':', ' ')
	o.n++
}

// end writes the member begun by key.
func (o *jsonObject) end() error {
	_, err := o.bw.Write(o.buf)
	return err
}

// float appends x as encoding/json encodes a float64. x must be finite
// (checkJSONFloat).
func (o *jsonObject) float(x float64) { o.buf = appendJSONFloat(o.buf, x) }

// int appends v.
func (o *jsonObject) int(v int) { o.buf = strconv.AppendInt(o.buf, int64(v), 10) }

// pair appends the two-element array [x, y], indented one level deeper than
// the member.
func (o *jsonObject) pair(x, y float64) {
	b := append(o.buf, '[', '\n')
	b = append(b, o.indent...)
	b = append(b, ' ', ' ')
	b = appendJSONFloat(b, x)
	b = append(b, ',', '\n')
	b = append(b, o.indent...)
	b = append(b, ' ', ' ')
	b = appendJSONFloat(b, y)
	b = append(b, '\n')
	b = append(b, o.indent...)
	o.buf = append(b, ']')
}

// appendJSONFloat appends x as encoding/json encodes a finite float64: the
// shortest decimal that reads back as x, in exponent form (with at least one
// exponent digit) below 1e-6 and from 1e21 on.
func appendJSONFloat(b []byte, x float64) []byte {
	abs := math.Abs(x)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, x, format, -1, 64)
	if format == 'e' {
		// e-09 -> e-9
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// checkJSONFloat returns the error encoding/json gives for x, or nil when x
// is finite: the streams check their values before writing the first byte.
func checkJSONFloat(x float64) error {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		_, err := json.Marshal(x)
		return err
	}
	return nil
}

// appendJSONString appends s quoted as encoding/json quotes a string.
func appendJSONString(b []byte, s []byte) []byte {
	for _, c := range s {
		if c < 0x20 || c >= 0x80 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(string(s))
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
