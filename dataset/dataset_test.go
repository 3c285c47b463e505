package dataset

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// isBAS reports whether x is a bars-and-stripes image by the definition:
// every row uniform, or every column uniform.
func isBAS(x uint64, rows, cols int) bool {
	pix := func(i, j int) uint64 { return x >> uint(i*cols+j) & 1 }
	rowsOK, colsOK := true, true
	for i := range rows {
		for j := range cols {
			if pix(i, j) != pix(i, 0) {
				rowsOK = false
			}
			if pix(i, j) != pix(0, j) {
				colsOK = false
			}
		}
	}
	return rowsOK || colsOK
}

func TestBarsAndStripes(t *testing.T) {
	for _, c := range []struct {
		rows, cols, patterns int
	}{{1, 1, 2}, {1, 3, 8}, {2, 2, 6}, {2, 3, 10}, {3, 3, 14}, {4, 4, 30}} {
		d, err := BarsAndStripes(c.rows, c.cols)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.States) != c.patterns {
			t.Errorf("%dx%d: %d patterns, want %d", c.rows, c.cols, len(d.States), c.patterns)
		}
		// Brute force over all images: the support is exactly the BAS set.
		var count int
		for x := range uint64(1) << uint(c.rows*c.cols) {
			if isBAS(x, c.rows, c.cols) {
				count++
				if d.Prob(x) != 1/float64(c.patterns) {
					t.Errorf("%dx%d: pattern %s has probability %v", c.rows, c.cols, d.Format(x), d.Prob(x))
				}
			} else if d.Prob(x) != 0 {
				t.Errorf("%dx%d: %s is not BAS but has probability %v", c.rows, c.cols, d.Format(x), d.Prob(x))
			}
		}
		if count != c.patterns {
			t.Errorf("%dx%d: brute force finds %d patterns", c.rows, c.cols, count)
		}
	}
	d, _ := BarsAndStripes(3, 3)
	if h := d.Entropy(); math.Abs(h-math.Log(14)) > 1e-15 {
		t.Errorf("BAS 3x3 entropy %v, want ln 14", h)
	}
}

func TestGaussian(t *testing.T) {
	// Wide enough that the discretised moments match the continuous ones.
	d, err := ParseDataset("gauss:10")
	if err != nil {
		t.Fatal(err)
	}
	mu, sigma := 511.5, 128.0
	var m, v, total float64
	for i, x := range d.States {
		total += d.Probs[i]
		m += d.Probs[i] * float64(x)
	}
	for i, x := range d.States {
		v += d.Probs[i] * (float64(x) - m) * (float64(x) - m)
	}
	if math.Abs(total-1) > 1e-12 || math.Abs(m-mu) > 1e-9 || math.Abs(math.Sqrt(v)-sigma) > 0.5 {
		t.Errorf("gauss:10: total %v, mean %v (want %v), sd %v (want ~%v)", total, m, mu, math.Sqrt(v), sigma)
	}
	if d.Metric != Integer {
		t.Errorf("gauss data use the %v metric", d.Metric)
	}
	d2, err := ParseDataset("gauss:4:3,1.5")
	if err != nil {
		t.Fatal(err)
	}
	// p(3)/p(4) = exp(-(0 - 1)/(2*2.25)) for mu=3, sigma=1.5
	if r := d2.Prob(3) / d2.Prob(4); math.Abs(r-math.Exp(1/4.5)) > 1e-12 {
		t.Errorf("gauss:4:3,1.5: p(3)/p(4) = %v, want %v", r, math.Exp(1/4.5))
	}
}

func TestDataFile(t *testing.T) {
	src := "# a comment\n011\n\n110,2\n011\n001, 0.5\n"
	d, err := ParseData("x.txt", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	want := map[uint64]float64{0b011: 2 / 4.5, 0b110: 2 / 4.5, 0b001: 0.5 / 4.5}
	if d.Bits != 3 || len(d.States) != 3 {
		t.Fatalf("got %d bits, %d states", d.Bits, len(d.States))
	}
	for x, p := range want {
		if math.Abs(d.Prob(x)-p) > 1e-15 {
			t.Errorf("p(%s) = %v, want %v", d.Format(x), d.Prob(x), p)
		}
	}
	// file: reads a file and records its digest.
	path := filepath.Join(t.TempDir(), "d.txt")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	df, err := ParseDataset("file:" + path)
	if err != nil {
		t.Fatal(err)
	}
	if len(df.Digest) != 64 || !strings.HasPrefix(df.Spec, "file:/") {
		t.Errorf("spec %q digest %q", df.Spec, df.Digest)
	}
}

func TestDatasetErrors(t *testing.T) {
	for _, c := range []struct {
		spec, src, want string
	}{
		{spec: "mnist", want: "unknown dataset"},
		{spec: "bas:3", want: "RxC"},
		{spec: "bas:0x3", want: "at least 1x1"},
		{spec: "gauss:0", want: "whole number of bits"},
		{spec: "gauss:4:1", want: "both the mean and the width"},
		{spec: "gauss:4:1,-2", want: "positive width"},
		{spec: "file:", want: "give a path"},
		{src: "0101\n011\n", want: "x.txt:2: bitstring \"011\" has 3 bits, but line 1 has 4"},
		{src: "01a1\n", want: "x.txt:1:"},
		{src: "0101,-1\n", want: "x.txt:1: weight"},
		{src: "0101,nan\n", want: "x.txt:1: weight"},
		{src: "# only comments\n", want: "no bitstrings"},
		{src: "01,0\n", want: "weights sum to 0"},
	} {
		var err error
		if c.spec != "" {
			_, err = ParseDataset(c.spec)
		} else {
			_, err = ParseData("x.txt", strings.NewReader(c.src))
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q%q: error %v, want one containing %q", c.spec, c.src, err, c.want)
		}
	}
}

func TestMutualInformation(t *testing.T) {
	// Bits 0 and 1 equal and uniform, bit 2 independent of both.
	d := &Dataset{Bits: 3, States: []uint64{0b000, 0b011, 0b100, 0b111}, Probs: []float64{0.25, 0.25, 0.25, 0.25}}
	mi := d.MutualInformation()
	if math.Abs(mi[0][1]-math.Ln2) > 1e-15 || mi[1][0] != mi[0][1] {
		t.Errorf("I(0;1) = %v, want ln 2", mi[0][1])
	}
	if math.Abs(mi[0][2]) > 1e-15 || math.Abs(mi[1][2]) > 1e-15 {
		t.Errorf("I(0;2) = %v, I(1;2) = %v, want 0", mi[0][2], mi[1][2])
	}
}
