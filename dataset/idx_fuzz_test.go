package dataset

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzParseIDX feeds arbitrary bytes and options to the IDX parser: it
// must return images or an error of one line naming the file, never panic,
// and its images must be well formed. Seeds: the test file plain, gzipped
// and cut short; testdata/fuzz/FuzzParseIDX holds inputs the fuzzer found.
// Run: go test ./dataset -run '^$' -fuzz FuzzParseIDX -fuzztime 2m
func FuzzParseIDX(f *testing.F) {
	good := idxTestFile()
	f.Add(good, uint8(0), uint8(0), uint8(0), uint8(0))
	f.Add(good, uint8(2), uint8(2), uint8(128), uint8(1))
	f.Add(gzipped(f, good), uint8(1), uint8(4), uint8(50), uint8(0))
	f.Add(good[:20], uint8(0), uint8(0), uint8(0), uint8(0))
	f.Add(idxBytes(IDXMagic, 1, 9, 9, make([]byte, 81)), uint8(3), uint8(3), uint8(1), uint8(0))
	f.Add(idxBytes(0x00000801, 1, 1, 1, []byte{1}), uint8(0), uint8(0), uint8(0), uint8(0))
	f.Fuzz(func(t *testing.T, b []byte, rows, cols, thr, limit uint8) {
		o := IDXOptions{Rows: int(rows), Cols: int(cols), Threshold: float64(thr) / 256, Limit: int(limit)}
		if rows == 0 || cols == 0 {
			o.Rows, o.Cols = 0, 0
		}
		im, err := ParseIDX("fuzz.idx", bytes.NewReader(b), o)
		if err != nil {
			if msg := err.Error(); !strings.HasPrefix(msg, "fuzz.idx: ") || strings.Contains(msg, "\n") {
				t.Fatalf("error %q: not one line naming the file", msg)
			}
			return
		}
		n := im.Bits()
		if n < 1 || n > MaxImageBits || im.Len() < 1 || len(im.X) != im.Len()*im.Words() {
			t.Fatalf("%d images of %dx%d in %d words", im.Len(), im.Rows, im.Cols, len(im.X))
		}
		if o.Rows != 0 && (im.Rows != o.Rows || im.Cols != o.Cols) {
			t.Fatalf("shape %dx%d, asked %dx%d", im.Rows, im.Cols, o.Rows, o.Cols)
		}
		if o.Limit > 0 && im.Len() > o.Limit {
			t.Fatalf("%d images, limit %d", im.Len(), o.Limit)
		}
		// Bits past the last pixel stay 0.
		if r := n % 64; r != 0 {
			for k := range im.Len() {
				if last := im.Image(k)[im.Words()-1]; last>>uint(r) != 0 {
					t.Fatalf("image %d has bits past pixel %d: %x", k, n-1, last)
				}
			}
		}
	})
}

// FuzzParseIDXSpec: any spec argument parses to a path and valid options,
// or to an error; never a panic.
func FuzzParseIDXSpec(f *testing.F) {
	for _, s := range []string{"a.gz", "a.gz:14x14:0.5", "a:b:.3:7x4:n=100", "::", "a:14x", "a:0x0", "a:1e-3", "a:n=-1", "a:NaN"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, arg string) {
		path, o, err := ParseIDXSpec(arg)
		if err != nil {
			return
		}
		if path == "" || !strings.HasPrefix(arg, path) {
			t.Fatalf("%q: path %q", arg, path)
		}
		if o.Rows < 0 || o.Cols < 0 || (o.Rows == 0) != (o.Cols == 0) || o.Limit < 0 || o.Threshold < 0 || o.Threshold >= 1 {
			t.Fatalf("%q: options %+v", arg, o)
		}
	})
}

// FuzzParseMask: any mask specification on any image shape gives a mask
// of at least one pixel inside the image, or an error; never a panic.
func FuzzParseMask(f *testing.F) {
	for _, s := range []string{"lower", "upper", "left", "right", "box:1-2,0-3", "box:2,2", "box:-1-2,0", "box:1-,2"} {
		f.Add(s, uint8(4), uint8(5))
	}
	f.Fuzz(func(t *testing.T, spec string, rows, cols uint8) {
		r, c := int(rows)%40, int(cols)%40
		m, err := ParseMask(spec, r, c)
		if err != nil {
			return
		}
		n := r * c
		if len(m) != Words(n) {
			t.Fatalf("%q on %dx%d: %d words", spec, r, c, len(m))
		}
		ones := 0
		for k, w := range m {
			for q := range 64 {
				if w>>uint(q)&1 == 1 {
					if 64*k+q >= n {
						t.Fatalf("%q on %dx%d: bit %d", spec, r, c, 64*k+q)
					}
					ones++
				}
			}
		}
		if ones == 0 {
			t.Fatalf("%q on %dx%d: no pixel hidden", spec, r, c)
		}
	})
}
