package dataset

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// idxBytes returns an IDX file: magic, count, rows, cols, then pix.
func idxBytes(magic, count, rows, cols uint32, pix []byte) []byte {
	b := make([]byte, 16, 16+len(pix))
	binary.BigEndian.PutUint32(b[0:], magic)
	binary.BigEndian.PutUint32(b[4:], count)
	binary.BigEndian.PutUint32(b[8:], rows)
	binary.BigEndian.PutUint32(b[12:], cols)
	return append(b, pix...)
}

func gzipped(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeFile(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Two 4x4 test images. Image 0, row by row; image 1 all 255.
var idxImage0 = []byte{
	0, 127, 128, 255,
	255, 255, 0, 0,
	10, 20, 200, 250,
	100, 100, 100, 100,
}

func idxTestFile() []byte {
	pix := append(append([]byte{}, idxImage0...), bytes.Repeat([]byte{255}, 16)...)
	return idxBytes(IDXMagic, 2, 4, 4, pix)
}

// TestReadIDX checks binarization and block means against values worked
// out by hand from idxImage0.
func TestReadIDX(t *testing.T) {
	raw := idxTestFile()
	for _, c := range []struct {
		name       string
		o          IDXOptions
		rows, cols int
		want0      uint64
	}{
		// Pixels >= 127.5: (0,2)=128 (0,3) (1,0) (1,1) (2,2) (2,3) -> bits 2,3,4,5,10,11.
		{"full size, T=0.5", IDXOptions{}, 4, 4, 1<<2 | 1<<3 | 1<<4 | 1<<5 | 1<<10 | 1<<11},
		// Pixels >= 51: all but 0, 10, 20 and (1,2), (1,3).
		{"full size, T=0.2", IDXOptions{Threshold: 0.2}, 4, 4, 0xffff &^ (1<<0 | 1<<8 | 1<<9 | 1<<6 | 1<<7)},
		// 2x2 block means 159.25, 95.75 / 57.5, 162.5.
		{"2x2, T=0.5", IDXOptions{Rows: 2, Cols: 2}, 2, 2, 1<<0 | 1<<3},
		{"2x2, T=0.2", IDXOptions{Rows: 2, Cols: 2, Threshold: 0.2}, 2, 2, 0xf},
		// Column means 91.25, 125.5, 107, 151.25.
		{"1x4, T=0.5", IDXOptions{Rows: 1, Cols: 4}, 1, 4, 1 << 3},
		// Row means 127.5, 127.5, 120, 100: the first two exactly at the cut.
		{"4x1, T=0.5", IDXOptions{Rows: 4, Cols: 1}, 4, 1, 1<<0 | 1<<1},
		{"first image only", IDXOptions{Limit: 1}, 4, 4, 1<<2 | 1<<3 | 1<<4 | 1<<5 | 1<<10 | 1<<11},
	} {
		for _, gz := range []bool{false, true} {
			b := raw
			if gz {
				b = gzipped(t, raw)
			}
			im, err := ParseIDX("test.idx", bytes.NewReader(b), c.o)
			if err != nil {
				t.Fatalf("%s (gzip %v): %v", c.name, gz, err)
			}
			wantLen := 2
			if c.o.Limit == 1 {
				wantLen = 1
			}
			if im.Rows != c.rows || im.Cols != c.cols || im.Len() != wantLen {
				t.Fatalf("%s: %d images of %dx%d", c.name, im.Len(), im.Rows, im.Cols)
			}
			if im.X[0] != c.want0 {
				t.Errorf("%s (gzip %v): image 0 = %016b, want %016b", c.name, gz, im.X[0], c.want0)
			}
			if wantLen == 2 && im.X[1] != 1<<uint(c.rows*c.cols)-1 {
				t.Errorf("%s: image 1 = %b, want all ones", c.name, im.X[1])
			}
		}
	}
	// Pixel (i,j) is bit i*C+j.
	im, _ := ParseIDX("test.idx", bytes.NewReader(raw), IDXOptions{})
	for i := range 4 {
		for j := range 4 {
			want := 0
			if idxImage0[i*4+j] >= 128 {
				want = 1
			}
			if got := im.Pixel(0, i, j); got != want {
				t.Errorf("pixel (%d,%d) = %d, want %d", i, j, got, want)
			}
		}
	}
	// Through the data spec: two distinct images, half the mass each.
	p := writeFile(t, "img.idx", raw)
	d, err := ParseDataset("idx:" + p + ":2x2")
	if err != nil {
		t.Fatal(err)
	}
	if d.Bits != 4 || d.Rows != 2 || d.Cols != 2 || len(d.States) != 2 || d.States[0] != 9 || d.States[1] != 15 || d.Probs[0] != 0.5 {
		t.Errorf("idx:%s:2x2: %+v", p, d)
	}
	if want := "idx:" + p + ":2x2:0.5"; d.Spec != want {
		t.Errorf("spec %q, want %q", d.Spec, want)
	}
	sum := sha256.Sum256(raw)
	if d.Digest != hex.EncodeToString(sum[:]) {
		t.Errorf("digest %s, want %x", d.Digest, sum)
	}
	// The digest covers the whole file also when only some images are read.
	d, err = ParseDataset("idx:" + p + ":n=1:0.25")
	if err != nil || d.Digest != hex.EncodeToString(sum[:]) || d.Spec != "idx:"+p+":4x4:0.25:n=1" {
		t.Errorf("n=1: %v, digest %s, spec %s", err, d.Digest, d.Spec)
	}
}

// TestReadIDXWide reads 9x9 images: 81 bits, two words each.
func TestReadIDXWide(t *testing.T) {
	pix := make([]byte, 2*81)
	pix[80] = 255    // image 0, pixel (8,8): bit 80, word 1 bit 16
	pix[81+63] = 200 // image 1, pixel (7,0): bit 63, word 0 bit 63
	pix[81+64] = 128 // image 1, pixel (7,1): bit 64, word 1 bit 0
	im, err := ParseIDX("wide.idx", bytes.NewReader(idxBytes(IDXMagic, 2, 9, 9, pix)), IDXOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if im.Words() != 2 || im.Len() != 2 || len(im.X) != 4 {
		t.Fatalf("%d words, %d images, %d words in all", im.Words(), im.Len(), len(im.X))
	}
	want := []uint64{0, 1 << 16, 1 << 63, 1}
	for k, w := range want {
		if im.X[k] != w {
			t.Errorf("word %d = %x, want %x", k, im.X[k], w)
		}
	}
	if im.Pixel(0, 8, 8) != 1 || im.Pixel(1, 7, 0) != 1 || im.Pixel(1, 7, 1) != 1 || im.Pixel(1, 8, 8) != 0 {
		t.Error("Pixel misreads the second word")
	}
	// As a distribution: two states of two words, ascending from the last
	// word down (image 1's last word 1 < image 0's 1<<16).
	d, err := im.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	if d.Bits != 81 || d.Words() != 2 || d.Len() != 2 || d.Probs[0] != 0.5 || d.Probs[1] != 0.5 {
		t.Fatalf("%d bits, %d states, probs %v", d.Bits, d.Len(), d.Probs)
	}
	if s0, s1 := d.State(0), d.State(1); s0[0] != 1<<63 || s0[1] != 1 || s1[0] != 0 || s1[1] != 1<<16 {
		t.Errorf("states %x %x", s0, s1)
	}
	if d.Bit(1, 80) != 1 || d.Bit(0, 63) != 1 || d.Bit(0, 64) != 1 || d.Bit(0, 80) != 0 {
		t.Error("Bit misreads the second word")
	}
}

// TestParseIDXSpec reads the options of idx:PATH[:RxC][:T][:n=N].
func TestParseIDXSpec(t *testing.T) {
	for _, c := range []struct {
		arg, path string
		o         IDXOptions
	}{
		{"a.gz", "a.gz", IDXOptions{}},
		{"a.gz:14x14", "a.gz", IDXOptions{Rows: 14, Cols: 14}},
		{"a.gz:14x14:0.5", "a.gz", IDXOptions{Rows: 14, Cols: 14, Threshold: 0.5}},
		{"a.gz:.3:7x4:n=100", "a.gz", IDXOptions{Rows: 7, Cols: 4, Threshold: 0.3, Limit: 100}},
		{"dir:with:colons/a.gz:7x7", "dir:with:colons/a.gz", IDXOptions{Rows: 7, Cols: 7}},
		{"/x/t10k-images-idx3-ubyte", "/x/t10k-images-idx3-ubyte", IDXOptions{}},
	} {
		path, o, err := ParseIDXSpec(c.arg)
		if err != nil || path != c.path || o != c.o {
			t.Errorf("%q: %q %+v %v, want %q %+v", c.arg, path, o, err, c.path, c.o)
		}
	}
}

// TestIDXBadInput: every bad file or spec gets one line that names the
// file (or the spec) and the problem.
func TestIDXBadInput(t *testing.T) {
	good := idxTestFile()
	gzGood := gzipped(t, good)
	for _, c := range []struct {
		name string
		file []byte // written to a temporary file, whose path replaces F in spec
		spec string
		want string
	}{
		{"wrong magic: labels", idxBytes(0x00000801, 2, 4, 4, nil), "idx:F", "magic number 0x00000801 (an IDX file of labels, not images)"},
		{"wrong magic: not IDX", []byte("PK\x03\x04 a zip file, not images"), "idx:F", "magic number 0x504b0304 (not an IDX file)"},
		{"wrong magic: int32 data", idxBytes(0x00000c03, 2, 4, 4, good[16:]), "idx:F", "data type 0x0c, not unsigned bytes"},
		{"wrong magic: 2 dimensions", idxBytes(0x00000802, 2, 4, 4, good[16:]), "idx:F", "unsigned bytes in 2 dimensions, not 3"},
		{"empty file", nil, "idx:F", "truncated: 0 bytes, too short for an IDX header"},
		{"truncated header", good[:10], "idx:F", "truncated: the header ends after 10 of its 16 bytes"},
		{"truncated data", good[:16+16+5], "idx:F", "truncated: the header says 2 images of 4x4, but the data end in image 2 (5 of its 16 bytes)"},
		{"truncated gzip", gzGood[:len(gzGood)-12], "idx:F", "truncated"},
		{"damaged gzip", append([]byte{0x1f, 0x8b}, make([]byte, 20)...), "idx:F", "a damaged gzip file"},
		{"count too large", idxBytes(IDXMagic, 3, 4, 4, good[16:]), "idx:F", "the header says 3 images of 4x4, but the data end in image 3 (0 of its 16 bytes)"},
		{"count too small", idxBytes(IDXMagic, 1, 4, 4, good[16:]), "idx:F", "the header says 1 images of 4x4, but more data follow: the header's dimensions do not match the data"},
		{"rows and columns swapped wrong", idxBytes(IDXMagic, 2, 4, 5, good[16:]), "idx:F", "data end in image 2"},
		{"no images", idxBytes(IDXMagic, 0, 4, 4, nil), "idx:F", "the header says the file holds no images"},
		{"zero rows", idxBytes(IDXMagic, 2, 0, 4, nil), "idx:F", "images of 0x4 pixels"},
		{"huge images", idxBytes(IDXMagic, 2, 1<<20, 4, nil), "idx:F", "images of 1048576x4 pixels; need 1 to 4096"},
		{"too many pixels", idxBytes(IDXMagic, 1, 512, 512, nil), "idx:F", "images of 512x512 = 262144 pixels; at most 65536"},
		{"downsample does not divide", good, "idx:F:3x3", "4x4 images cannot be downsampled to 3x3"},
		{"upsample", good, "idx:F:8x8", "4x4 images cannot be downsampled to 8x8"},
		{"half a shape", good, "idx:F:14x", `"14x": a downsampled shape is RxC`},
		{"zero shape", good, "idx:F:0x4", `"0x4": a downsampled shape is RxC with whole numbers >= 1`},
		{"two shapes", good, "idx:F:2x2:1x1", `"2x2": the shape is given twice`},
		{"threshold 1.5", good, "idx:F:1.5", `"1.5": the threshold is a number in (0,1)`},
		{"threshold 0", good, "idx:F:0", `"0": the threshold is a number in (0,1)`},
		{"threshold 1", good, "idx:F:2x2:1", `"1": the threshold is a number in (0,1)`},
		{"two thresholds", good, "idx:F:0.5:0.5", `the threshold is given twice`},
		{"no images kept", good, "idx:F:n=0", `"n=0": the number of images must be a whole number >= 1`},
		{"no path", nil, "idx::14x14", "no path: give the IDX file"},
		{"empty spec", nil, "idx:", "no path: give the IDX file"},
		{"missing file", nil, "idx:/nonexistent/train-images-idx3-ubyte.gz:14x14", "/nonexistent/train-images-idx3-ubyte.gz: no such file"},
		{"test fraction 1", good, "idx:F:2x2 test=1", "test_fraction 1 is outside (0,1)"},
		{"test fraction -0.1", good, "idx:F test=-0.1", "test_fraction -0.1 is outside (0,1)"},
		{"test fraction NaN", good, "idx:F test=NaN", "test_fraction NaN is outside (0,1)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			spec, path := c.spec, ""
			if strings.Contains(spec, "F") && c.file != nil || c.name == "empty file" {
				path = writeFile(t, "images.idx", c.file)
				spec = strings.Replace(spec, "F", path, 1)
			}
			frac := 0.0
			if sp, f, ok := strings.Cut(spec, " test="); ok {
				spec = sp
				frac, _ = strconv.ParseFloat(f, 64)
			}
			_, _, err := Load(spec, frac, 1)
			if err == nil {
				t.Fatalf("%s: no error, want %q", spec, c.want)
			}
			msg := err.Error()
			if !strings.Contains(msg, c.want) {
				t.Errorf("%s: error %q, want %q", spec, msg, c.want)
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("%s: error of several lines: %q", spec, msg)
			}
			if path != "" && !strings.Contains(msg, path) {
				t.Errorf("%s: error %q does not name the file", spec, msg)
			}
			if path == "" && !strings.Contains(msg, spec) && !strings.Contains(c.want, "/") {
				t.Errorf("error %q does not name %s", msg, spec)
			}
		})
	}
}

const fashionTest = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"

// TestFashionMNIST reads the Fashion-MNIST test images that Debian's
// dataset-fashion-mnist package installs and checks them against an
// independent decoder (Python's gzip and struct modules, pure loops, the
// same rule): the number of set pixels and the SHA-256 of the images as
// bitstring lines q[n-1]...q[0], for three shapes and thresholds.
func TestFashionMNIST(t *testing.T) {
	if _, err := os.Stat(fashionTest); err != nil {
		t.Skipf("Fashion-MNIST is not installed (%v): apt-get install dataset-fashion-mnist", err)
	}
	if testing.Short() {
		t.Skip("reads 10000 images; skipped with -short")
	}
	for _, c := range []struct {
		spec   string
		bits   int
		ones   int
		first  string
		sha256 string
	}{
		{":28x28:0.5", 784, 2471969, "", "2f6ce7468d6c1e6a9b4d18f22f20a8a03dc29873447b99e11fe4bb73a9c62e03"},
		{":14x14:0.5", 196, 593206, "0000000000000000000000000000000000000000000111001111110001111110000000011111100000000111110000000001111000000000011110000000000000000000000000000000000000000000000000000000000000000000000000000000", "f396e722509f259a4e448855cfa964506117a4506d6aadc2e9a312c243d7464d"},
		{":7x7:0.3", 49, 208577, "0000000010110011111001111000011000000000000000000", "38d53d1107d3f2d5d6582a4a1d4fdaabcf543a4bf42001495f962d6fd28b1491"},
	} {
		im, err := ReadIDXSpec(fashionTest + c.spec)
		if err != nil {
			t.Fatal(err)
		}
		if im.Len() != 10000 || im.Bits() != c.bits {
			t.Fatalf("%s: %d images of %d bits", c.spec, im.Len(), im.Bits())
		}
		h := sha256.New()
		ones := 0
		for k := range im.Len() {
			b := []byte(im.Format(k))
			for _, ch := range b {
				ones += int(ch - '0')
			}
			h.Write(append(b, '\n'))
			if k == 0 && c.first != "" && string(b) != c.first {
				t.Errorf("%s: image 0 = %s, want %s", c.spec, b, c.first)
			}
		}
		if ones != c.ones || hex.EncodeToString(h.Sum(nil)) != c.sha256 {
			t.Errorf("%s: %d set pixels, images sha256 %x; the independent decoder has %d, %s", c.spec, ones, h.Sum(nil), c.ones, c.sha256)
		}
	}
}

func TestParseMask(t *testing.T) {
	for _, c := range []struct {
		spec       string
		rows, cols int
		want       string // row by row, 1 hidden
	}{
		{"lower", 4, 3, "000000111111"},
		{"lower", 3, 2, "000011"},
		{"upper", 4, 3, "111111000000"},
		{"left", 2, 4, "11001100"},
		{"right", 2, 3, "001001"},
		{"box:1-2,0-1", 3, 3, "000110110"},
		{"box:2,2", 3, 3, "000000001"},
	} {
		m, err := ParseMask(c.spec, c.rows, c.cols)
		if err != nil {
			t.Fatalf("%s: %v", c.spec, err)
		}
		var got strings.Builder
		for q := range c.rows * c.cols {
			got.WriteByte('0' + byte(m[q/64]>>uint(q%64)&1))
		}
		if got.String() != c.want {
			t.Errorf("%s on %dx%d: %s, want %s", c.spec, c.rows, c.cols, got.String(), c.want)
		}
	}
	// 14x14: 98 hidden pixels, the second word too.
	m, _ := ParseMask("lower", 14, 14)
	if len(m) != 4 || m[1]>>34&1 != 1 || m[1]>>33&1 != 0 || m[3] != 1<<4-1 {
		t.Errorf("lower 14x14: %x", m)
	}
	for _, c := range []struct{ spec, want string }{
		{"bottom", "use lower, upper"},
		{"box:1-5,0", `"1-5" is not a range`},
		{"box:2-1,0", `"2-1" is not a range`},
		{"box:1", "use lower, upper"},
	} {
		if _, err := ParseMask(c.spec, 4, 4); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.spec, err, c.want)
		}
	}
	if _, err := ParseMask("upper", 1, 4); err == nil || !strings.Contains(err.Error(), "hides no pixel") {
		t.Errorf("upper of one row: %v", err)
	}
}
