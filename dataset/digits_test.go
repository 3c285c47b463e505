package dataset

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// The built-in digits file (data/digits.txt.gz) is made from scikit-learn's
// sklearn/datasets/data/digits.csv.gz by the rule below. To re-derive it:
//
//	apt-get install python3-sklearn   # or any copy of digits.csv.gz
//	go test ./dataset -run TestDigitsFromSource -update-digits
//
// BORN_DIGITS_CSV names the source file when it is not at the Debian path.
var updateDigits = flag.Bool("update-digits", false, "rewrite data/digits.txt.gz from scikit-learn's digits.csv.gz")

const debianDigitsCSV = "/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz"

// binarizeDigitsCSV reads scikit-learn's digits.csv(.gz): 1797 lines of 64
// pixel intensities 0..16 (row by row, 8x8) and the label 0..9, all
// comma-separated. Pixel p = 8i+j becomes bit p of the image's state when
// its intensity is at least DigitsThreshold (8, half of 16).
func binarizeDigitsCSV(r io.Reader) (xs []uint64, labels []int, err error) {
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		f := strings.Split(strings.TrimSpace(sc.Text()), ",")
		if len(f) != 65 {
			return nil, nil, fmt.Errorf("line %d: %d fields, want 64 pixels and a label", line, len(f))
		}
		var x uint64
		for p := range 64 {
			v, err := strconv.ParseFloat(f[p], 64)
			if err != nil || v != math.Trunc(v) || v < 0 || v > 16 {
				return nil, nil, fmt.Errorf("line %d: pixel %d is %q, want a whole number 0..16", line, p, f[p])
			}
			if v >= DigitsThreshold {
				x |= 1 << uint(p)
			}
		}
		l, err := strconv.ParseFloat(f[64], 64)
		if err != nil || l != math.Trunc(l) || l < 0 || l > 9 {
			return nil, nil, fmt.Errorf("line %d: label %q, want 0..9", line, f[64])
		}
		xs, labels = append(xs, x), append(labels, int(l))
	}
	return xs, labels, sc.Err()
}

func readDigitsCSV(t *testing.T) (xs []uint64, labels []int, path string) {
	t.Helper()
	path = os.Getenv("BORN_DIGITS_CSV")
	if path == "" {
		path = debianDigitsCSV
	}
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("scikit-learn's digits.csv.gz is not here (%v): apt-get install python3-sklearn, or set BORN_DIGITS_CSV", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	xs, labels, err = binarizeDigitsCSV(zr)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return xs, labels, path
}

// TestDigitsFromSource checks the built-in file against the source it was
// made from: the same 1797 images in the same order.
func TestDigitsFromSource(t *testing.T) {
	xs, labels, path := readDigitsCSV(t)
	if len(xs) != DigitsCount {
		t.Fatalf("%s: %d images, want %d", path, len(xs), DigitsCount)
	}
	if *updateDigits {
		writeDigits(t, xs)
		return // the new file is embedded at the next build
	}
	im, err := DigitImages()
	if err != nil {
		t.Fatal(err)
	}
	var perLabel [10]int
	for k, x := range xs {
		perLabel[labels[k]]++
		if im.X[k] != x {
			t.Fatalf("image %d: built in %016x, from %s %016x", k, im.X[k], path, x)
		}
	}
	// load_digits documents about 180 images per class.
	for l, c := range perLabel {
		if c < 170 || c > 190 {
			t.Errorf("label %d: %d images", l, c)
		}
	}
}

func writeDigits(t *testing.T, xs []uint64) {
	f, err := os.Create("data/digits.txt.gz.tmp")
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	fmt.Fprintf(zw, "# The %d 8x8 handwritten digits of the UCI Optical Recognition of Handwritten\n", len(xs))
	fmt.Fprintf(zw, "# Digits data set as scikit-learn ships them (sklearn/datasets/data/digits.csv.gz),\n")
	fmt.Fprintf(zw, "# binarized: pixel (i,j) of intensity v in 0..16 is bit i*8+j, set when v >= %d.\n", DigitsThreshold)
	fmt.Fprintf(zw, "# One image per line, in scikit-learn's order, as bitstrings q[63]...q[0]. See README.md.\n")
	for _, x := range xs {
		fmt.Fprintf(zw, "%064b\n", x)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename("data/digits.txt.gz.tmp", "data/digits.txt.gz"); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote data/digits.txt.gz: %d images; rebuild to embed it", len(xs))
}

// The first two images of digits.csv.gz, binarized by hand from their
// intensities (a 0 and a 1): row i is pixels (i,0)...(i,7).
var digitsByHand = [2][8]string{
	// 0,0,5,13,9,1,0,0 / 0,0,13,15,10,15,5,0 / 0,3,15,2,0,11,8,0 /
	// 0,4,12,0,0,8,8,0 / 0,5,8,0,0,9,8,0 / 0,4,11,0,1,12,7,0 /
	// 0,2,14,5,10,12,0,0 / 0,0,6,13,10,0,0,0
	{"00011000", "00111100", "00100110", "00100110", "00100110", "00100100", "00101100", "00011000"},
	// 0,0,0,12,13,5,0,0 / 0,0,0,11,16,9,0,0 / 0,0,3,15,16,6,0,0 /
	// 0,7,15,16,16,2,0,0 / 0,0,1,16,16,3,0,0 / 0,0,1,16,16,6,0,0 /
	// 0,0,1,16,16,6,0,0 / 0,0,0,11,16,10,0,0
	{"00011000", "00011100", "00011000", "00111000", "00011000", "00011000", "00011000", "00011100"},
}

func TestDigits(t *testing.T) {
	im, err := DigitImages()
	if err != nil {
		t.Fatal(err)
	}
	if im.Len() != DigitsCount || im.Rows != 8 || im.Cols != 8 || im.Bits() != 64 || im.Words() != 1 {
		t.Fatalf("%d images of %dx%d", im.Len(), im.Rows, im.Cols)
	}
	for k, want := range digitsByHand {
		for i, row := range want {
			for j, ch := range row {
				if got := im.Pixel(k, i, j); got != int(ch-'0') {
					t.Errorf("image %d pixel (%d,%d) = %d, want %c", k, i, j, got, ch)
				}
			}
		}
	}
	d, err := ParseDataset("digits")
	if err != nil {
		t.Fatal(err)
	}
	if d.Bits != 64 || d.Rows != 8 || d.Cols != 8 || !d.IsImage() || d.Spec != "digits" {
		t.Fatalf("digits: %d bits, %dx%d, spec %q", d.Bits, d.Rows, d.Cols, d.Spec)
	}
	// Independent count of the distinct images and of the mass.
	seen := map[uint64]int{}
	for _, x := range im.X {
		seen[x]++
	}
	if len(d.States) != len(seen) || len(d.Probs) != len(seen) {
		t.Fatalf("%d states, %d distinct images", len(d.States), len(seen))
	}
	var total float64
	for i, x := range d.States {
		if i > 0 && d.States[i-1] >= x {
			t.Fatalf("states not ascending at %d", i)
		}
		if want := float64(seen[x]) / DigitsCount; d.Probs[i] != want {
			t.Errorf("state %s: probability %v, want %v", d.Format(x), d.Probs[i], want)
		}
		total += d.Probs[i]
	}
	if math.Abs(total-1) > 1e-12 {
		t.Errorf("probabilities sum to %v", total)
	}
	t.Logf("digits: %d images, %d distinct, entropy %.4f nats", im.Len(), len(seen), d.Entropy())
	// The embedded file is also a data file: file: reads the same data.
	zr, err := gzip.NewReader(strings.NewReader(string(digitsGz)))
	if err != nil {
		t.Fatal(err)
	}
	fd, err := ParseData("digits.txt", zr)
	if err != nil {
		t.Fatal(err)
	}
	if len(fd.States) != len(d.States) {
		t.Fatalf("as a data file: %d states, want %d", len(fd.States), len(d.States))
	}
	for i := range fd.States {
		if fd.States[i] != d.States[i] || math.Abs(fd.Probs[i]-d.Probs[i]) > 1e-15 {
			t.Fatalf("as a data file: state %d differs", i)
		}
	}
	if _, err := ParseDataset("digits:8x8"); err == nil || !strings.Contains(err.Error(), "takes no arguments") {
		t.Errorf("digits:8x8: error %v", err)
	}
}
