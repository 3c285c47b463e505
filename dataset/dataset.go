package dataset

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"born/circuit"
	"born/internal/setting"
	"born/internal/suggest"
)

// MaxBits is the widest state that fits one uint64 word: the widest data
// of the models that work on uint64 states (the QCBM, the RBM).
const MaxBits = 64

// MaxWideBits is the widest bitstring a dataset may hold: data wider than
// MaxBits (images, as 196-bit 14x14 Fashion-MNIST) keep each state in
// several words (see Dataset).
const MaxWideBits = 1 << 16

// MaxExactBits is the widest model whose full distribution (2^n numbers)
// the package builds: exact probabilities, exact losses and their
// gradients. Wider models need sampling and log-probabilities.
const MaxExactBits = 24

// Metric says how the MMD kernel measures the distance between two samples.
type Metric uint8

const (
	// Hamming is the number of differing bits: |x-y|^2 for binary vectors.
	Hamming Metric = iota
	// Integer is (x-y)^2 for the samples read as integers (gauss data).
	Integer
)

func (m Metric) String() string {
	if m == Integer {
		return "integer"
	}
	return "hamming"
}

// Dataset is a probability distribution over n-bit strings: the target a
// model is trained on. Bit q of a state is qubit q; bitstrings print
// q[n-1]...q[0].
//
// A state of at most 64 bits is one uint64 word. A wider state is
// Words() words, word k holding bits 64k to 64k+63, and States holds the
// states one after another: state i is States[i*Words() : (i+1)*Words()]
// (State(i)). Code that reads States as one word per state handles only
// data of at most MaxBits bits; Len, State and Bit work for all.
type Dataset struct {
	// Spec is the specification the data came from (bas:3x3, gauss:10,
	// digits, file:PATH or idx:PATH with an absolute path).
	Spec string
	Bits int
	// States are the distinct states with nonzero probability, ascending
	// (wide states compare from their last word down); Probs are their
	// probabilities, summing to 1.
	States []uint64
	Probs  []float64
	// Samples is the number of data points (lines of a data file, images)
	// the distribution was built from; 0 for the distributions bas and
	// gauss.
	Samples int
	// Part is "train" or "test" when the data points were split by Load
	// with a test fraction, "" otherwise; TestFraction and SplitSeed are the
	// split's settings.
	Part         string
	TestFraction float64
	SplitSeed    uint64
	// Metric is the distance the MMD kernel uses: Hamming, or Integer for
	// data that are discretised numbers (gauss).
	Metric Metric
	// Rows and Cols are the image shape of bas data (pixel (i,j) is bit
	// i*Cols+j); both 0 for data that are not images.
	Rows, Cols int
	// Digest is the SHA-256 of a data file's contents ("" for built-in data).
	Digest string
}

// ParseDataset builds the dataset a specification names, all of its data
// points (Load splits off a test set):
//
//	bas:RxC             bars and stripes on an R x C grid, uniform over the
//	                    valid patterns; pixel (i,j) is bit i*C+j
//	gauss:N[:mu,sigma]  a Gaussian discretised on the integers 0..2^N-1,
//	                    p(x) proportional to exp(-(x-mu)^2/(2 sigma^2));
//	                    mu defaults to 2^(N-1)-0.5 and sigma to 2^N/8
//	digits              the 1797 8x8 handwritten digits of the UCI optdigits
//	                    set as scikit-learn ships them, binarized at half
//	                    intensity (64 bits; see DigitImages)
//	idx:PATH[:RxC][:T][:n=N]
//	                    images from an IDX file (MNIST, Fashion-MNIST;
//	                    gzipped or not), downsampled to R x C by block means
//	                    and binarized at T x 255 (default 0.5); n=N keeps the
//	                    first N images (see ParseIDXSpec, ReadIDX)
//	file:PATH           one bitstring per line (q[n-1]...q[0]), or
//	                    bitstring,weight; duplicates accumulate; blank lines
//	                    and lines starting with # are skipped
func ParseDataset(spec string) (*Dataset, error) {
	train, _, err := Load(spec, 0, 0)
	return train, err
}

// DefaultTestFraction returns the test fraction of data named by spec when
// none is given: 0.2 for image data (digits, idx:), 0 otherwise.
func DefaultTestFraction(spec string) float64 {
	kind, _, _ := strings.Cut(spec, ":")
	if kind == "digits" || kind == "idx" {
		return 0.2
	}
	return 0
}

// CheckTestFraction returns an error unless f is 0 (no test set) or in
// (0, 1).
func CheckTestFraction(f float64) error {
	if f == 0 || (f > 0 && f < 1) {
		return nil
	}
	return setting.Errorf("{test_fraction} %v is outside (0,1): give the share of the data points held out for testing, as in {test_fraction} 0.2 (0: no test set)", f)
}

// Load builds the data spec names (see ParseDataset) and, with testFraction
// in (0, 1), holds out that share of its data points (rounded, at least one
// and leaving at least one) as a test set, chosen by a permutation seeded by
// seed; both parts keep the file order. With testFraction 0, test is nil.
// Only data made of data points (digits, idx:, file:) can be split, not
// the distributions bas: and gauss:.
func Load(spec string, testFraction float64, seed uint64) (train, test *Dataset, err error) {
	if err := CheckTestFraction(testFraction); err != nil {
		return nil, nil, fmt.Errorf("dataset %q: %v", spec, err)
	}
	kind, arg, _ := strings.Cut(spec, ":")
	var pts *points
	switch kind {
	case "bas", "gauss":
		if testFraction != 0 {
			return nil, nil, setting.Errorf("dataset %q is a distribution, not data points: a test fraction applies to data points (file: data, images); use {test_fraction} 0", spec)
		}
		if kind == "bas" {
			r, c, err := parseShape(arg)
			if err != nil {
				return nil, nil, fmt.Errorf("dataset %q: %v", spec, err)
			}
			d, err := BarsAndStripes(r, c)
			return d, nil, err
		}
		d, err := parseGauss(spec, arg)
		return d, nil, err
	case "digits":
		if arg != "" {
			return nil, nil, fmt.Errorf("dataset %q: digits takes no arguments", spec)
		}
		im, err := DigitImages()
		if err != nil {
			return nil, nil, err
		}
		pts = imagePoints(im)
	case "idx":
		var im *Images
		if im, err = ReadIDXSpec(arg); err != nil {
			return nil, nil, err
		}
		pts = imagePoints(im)
	case "file":
		if arg == "" {
			return nil, nil, fmt.Errorf("dataset %q: give a path, as in file:data.txt", spec)
		}
		pts, err = filePoints(arg)
	default:
		return nil, nil, fmt.Errorf("unknown dataset %q%s: use bas:RxC (e.g. bas:3x3), gauss:N[:mu,sigma] (e.g. gauss:10), digits, idx:PATH[:RxC][:T][:n=N] or file:PATH", spec,
			suggest.DidYouMean(kind, []string{"bas", "gauss", "digits", "idx", "file"}))
	}
	if err != nil {
		return nil, nil, err
	}
	if testFraction == 0 {
		train, err = pts.dataset()
		return train, nil, err
	}
	tr, te, err := pts.split(testFraction, seed)
	if err != nil {
		return nil, nil, fmt.Errorf("dataset %q: %v", spec, err)
	}
	if train, err = tr.dataset(); err != nil {
		return nil, nil, err
	}
	if test, err = te.dataset(); err != nil {
		return nil, nil, err
	}
	train.Part, test.Part = "train", "test"
	for _, d := range []*Dataset{train, test} {
		d.TestFraction, d.SplitSeed = testFraction, seed
	}
	return train, test, nil
}

func parseShape(s string) (int, int, error) {
	rs, cs, ok := strings.Cut(s, "x")
	r, err1 := strconv.Atoi(rs)
	c, err2 := strconv.Atoi(cs)
	if !ok || err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("the grid shape must be RxC with whole numbers, as in bas:3x3")
	}
	if r < 1 || c < 1 {
		return 0, 0, fmt.Errorf("the grid must be at least 1x1")
	}
	if r*c > MaxExactBits {
		return 0, 0, fmt.Errorf("a %dx%d grid has %d pixels; at most %d are supported", r, c, r*c, MaxExactBits)
	}
	return r, c, nil
}

// BarsAndStripes returns the bars-and-stripes distribution on a rows x cols
// grid: uniform over the images whose rows are each all 0 or all 1, or
// whose columns are each all 0 or all 1 (2^rows + 2^cols - 2 patterns for
// rows, cols > 1). Pixel (i,j) is bit i*cols+j.
func BarsAndStripes(rows, cols int) (*Dataset, error) {
	if rows < 1 || cols < 1 || rows*cols > MaxExactBits {
		return nil, fmt.Errorf("bars and stripes on %dx%d: need 1 <= rows*cols <= %d", rows, cols, MaxExactBits)
	}
	set := map[uint64]bool{}
	for m := uint64(0); m < 1<<uint(rows); m++ { // stripes: row i set when bit i of m is
		var x uint64
		for i := range rows {
			if m>>uint(i)&1 == 1 {
				for j := range cols {
					x |= 1 << uint(i*cols+j)
				}
			}
		}
		set[x] = true
	}
	for m := uint64(0); m < 1<<uint(cols); m++ { // bars: column j set when bit j of m is
		var x uint64
		for j := range cols {
			if m>>uint(j)&1 == 1 {
				for i := range rows {
					x |= 1 << uint(i*cols+j)
				}
			}
		}
		set[x] = true
	}
	d := &Dataset{Spec: fmt.Sprintf("bas:%dx%d", rows, cols), Bits: rows * cols, Rows: rows, Cols: cols}
	for x := range set {
		d.States = append(d.States, x)
	}
	sort.Slice(d.States, func(i, j int) bool { return d.States[i] < d.States[j] })
	d.Probs = make([]float64, len(d.States))
	for i := range d.Probs {
		d.Probs[i] = 1 / float64(len(d.States))
	}
	return d, nil
}

func parseGauss(spec, arg string) (*Dataset, error) {
	ns, rest, hasRest := strings.Cut(arg, ":")
	n, err := strconv.Atoi(ns)
	if err != nil || n < 1 || n > MaxExactBits {
		return nil, fmt.Errorf("dataset %q: N must be a whole number of bits from 1 to %d, as in gauss:10", spec, MaxExactBits)
	}
	mu := math.Ldexp(1, n-1) - 0.5
	sigma := math.Ldexp(1, n) / 8
	if hasRest {
		ms, ss, ok := strings.Cut(rest, ",")
		var e1, e2 error
		mu, e1 = strconv.ParseFloat(ms, 64)
		sigma, e2 = strconv.ParseFloat(ss, 64)
		if !ok || e1 != nil || e2 != nil {
			return nil, fmt.Errorf("dataset %q: give both the mean and the width, as in gauss:%d:%g,%g", spec, n, math.Ldexp(1, n-1)-0.5, math.Ldexp(1, n)/8)
		}
	}
	return Gaussian(n, mu, sigma)
}

// Gaussian returns the Gaussian with mean mu and width sigma discretised on
// the integers 0..2^n-1: p(x) proportional to exp(-(x-mu)^2/(2 sigma^2)).
// Its kernel metric is Integer.
func Gaussian(n int, mu, sigma float64) (*Dataset, error) {
	if n < 1 || n > MaxExactBits {
		return nil, fmt.Errorf("gauss: %d bits; need 1 to %d", n, MaxExactBits)
	}
	if !(sigma > 0) || math.IsInf(sigma, 0) || math.IsNaN(mu) || math.IsInf(mu, 0) {
		return nil, fmt.Errorf("gauss: need a finite mean and a finite positive width (got mu=%g, sigma=%g)", mu, sigma)
	}
	N := 1 << uint(n)
	d := &Dataset{Spec: fmt.Sprintf("gauss:%d:%s,%s", n, formatG(mu), formatG(sigma)), Bits: n, Metric: Integer}
	var total float64
	ps := make([]float64, N)
	for x := range N {
		t := (float64(x) - mu) / sigma
		ps[x] = math.Exp(-t * t / 2)
		total += ps[x]
	}
	if !(total > 0) {
		return nil, fmt.Errorf("gauss: the Gaussian (mu=%g, sigma=%g) has no mass on 0..%d", mu, sigma, N-1)
	}
	for x, p := range ps {
		if p > 0 {
			d.States = append(d.States, uint64(x))
			d.Probs = append(d.Probs, p/total)
		}
	}
	return d, nil
}

func formatG(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// ReadDataFile reads a data file (see ParseDataset); errors name the line.
func ReadDataFile(path string) (*Dataset, error) {
	pts, err := filePoints(path)
	if err != nil {
		return nil, err
	}
	return pts.dataset()
}

func filePoints(path string) (*points, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("data file: %w", err)
	}
	defer f.Close()
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	h := sha256.New()
	pts, err := parsePoints(path, io.TeeReader(f, h))
	if err != nil {
		return nil, err
	}
	pts.spec = "file:" + abs
	pts.digest = hex.EncodeToString(h.Sum(nil))
	return pts, nil
}

// ParseData reads data in the file format of ParseDataset from r; name is
// used in error messages.
func ParseData(name string, r io.Reader) (*Dataset, error) {
	pts, err := parsePoints(name, r)
	if err != nil {
		return nil, err
	}
	return pts.dataset()
}

func parsePoints(name string, r io.Reader) (*points, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	var pts *points
	firstLine := 0
	line := 0
	var x []uint64
	for sc.Scan() {
		line++
		text := sc.Text()
		if line == 1 {
			text = strings.TrimPrefix(text, "\ufeff") // a byte-order mark, as the QASM reader allows
		}
		s := strings.TrimSpace(text)
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		bitsField, wField, hasW := strings.Cut(s, ",")
		bitsField = strings.TrimSpace(bitsField)
		w := 1.0
		if hasW {
			var err error
			w, err = strconv.ParseFloat(strings.TrimSpace(wField), 64)
			if err != nil || math.IsNaN(w) || math.IsInf(w, 0) || w < 0 {
				return nil, fmt.Errorf("%s:%d: weight %q is not a finite number >= 0", name, line, strings.TrimSpace(wField))
			}
		}
		nb := len(bitsField)
		if nb == 0 {
			return nil, fmt.Errorf("%s:%d: empty bitstring", name, line)
		}
		if nb > MaxWideBits {
			return nil, fmt.Errorf("%s:%d: %d bits; at most %d are supported", name, line, nb, MaxWideBits)
		}
		if pts == nil {
			pts, firstLine = &points{spec: "file:" + name, bits: nb, words: Words(nb)}, line
			x = make([]uint64, pts.words)
		} else if nb != pts.bits {
			return nil, fmt.Errorf("%s:%d: bitstring %q has %d bits, but line %d has %d; every line needs the same width", name, line, bitsField, nb, firstLine, pts.bits)
		}
		clear(x)
		for i, ch := range bitsField {
			switch ch {
			case '0':
			case '1':
				q := nb - 1 - i
				x[q/64] |= 1 << uint(q%64)
			default:
				return nil, fmt.Errorf("%s:%d: %q is not a bitstring of 0s and 1s (q[n-1]...q[0]), optionally followed by ,weight", name, line, bitsField)
			}
		}
		pts.add(x, w)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %w", name, line+1, err)
	}
	if pts == nil {
		return nil, fmt.Errorf("%s: no data: the file has no bitstrings", name)
	}
	return pts, nil
}

// Prob returns the data probability of state x (data of at most MaxBits
// bits; Find for wider).
func (d *Dataset) Prob(x uint64) float64 {
	i := sort.Search(len(d.States), func(i int) bool { return d.States[i] >= x })
	if i < len(d.States) && d.States[i] == x {
		return d.Probs[i]
	}
	return 0
}

// Dense returns the data distribution as 2^Bits probabilities.
func (d *Dataset) Dense() ([]float64, error) {
	if d.Bits > MaxExactBits {
		return nil, fmt.Errorf("%d-bit data: a dense distribution needs at most %d bits", d.Bits, MaxExactBits)
	}
	p := make([]float64, 1<<uint(d.Bits))
	for i, x := range d.States {
		p[x] = d.Probs[i]
	}
	return p, nil
}

// Entropy returns the Shannon entropy of the data in nats (ln 14 for BAS 3x3).
func (d *Dataset) Entropy() float64 {
	var h float64
	for _, p := range d.Probs {
		h -= p * math.Log(p)
	}
	return h
}

// Format returns state x as a bitstring, q[n-1]...q[0].
func (d *Dataset) Format(x uint64) string { return circuit.FormatBits(x, d.Bits) }

// IsImage reports whether the data are images (bas, digits, idx), with
// Rows x Cols pixels.
func (d *Dataset) IsImage() bool { return d.Rows > 0 && d.Cols > 0 }

// MutualInformation returns the n x n matrix of pairwise mutual information
// (in nats) between the bits of the data; the diagonal is zero.
func (d *Dataset) MutualInformation() [][]float64 {
	n := d.Bits
	// joint[i][j][a*2+b] = P(bit i = a, bit j = b)
	mi := make([][]float64, n)
	one := make([]float64, n)
	for k := range d.Len() {
		for i := range n {
			if d.Bit(k, i) == 1 {
				one[i] += d.Probs[k]
			}
		}
	}
	for i := range n {
		mi[i] = make([]float64, n)
	}
	for i := range n {
		for j := i + 1; j < n; j++ {
			var joint [4]float64
			for k := range d.Len() {
				joint[d.Bit(k, i)*2+d.Bit(k, j)] += d.Probs[k]
			}
			var v float64
			for a := range 2 {
				for b := range 2 {
					pab := joint[a*2+b]
					if pab <= 0 {
						continue
					}
					pa, pb := one[i], one[j]
					if a == 0 {
						pa = 1 - pa
					}
					if b == 0 {
						pb = 1 - pb
					}
					v += pab * math.Log(pab/(pa*pb))
				}
			}
			mi[i][j], mi[j][i] = v, v
		}
	}
	return mi
}

// DataInfo records the data a model was trained on.
type DataInfo struct {
	Spec   string `json:"spec"`
	Bits   int    `json:"bits"`
	Rows   int    `json:"rows,omitempty"`
	Cols   int    `json:"cols,omitempty"`
	Digest string `json:"sha256,omitempty"` // of a data file
	// Samples is the number of data points of the training data; with a
	// test set, TestFraction and SplitSeed give the split (Load) and
	// TestSamples the test set's size.
	Samples      int     `json:"samples,omitempty"`
	TestFraction float64 `json:"test_fraction,omitempty"`
	SplitSeed    uint64  `json:"split_seed,omitempty"`
	TestSamples  int     `json:"test_samples,omitempty"`
}

// Info returns the record of d for model files; test is the test set split
// off with d, or nil.
func (d *Dataset) Info(test *Dataset) *DataInfo {
	in := &DataInfo{Spec: d.Spec, Bits: d.Bits, Rows: d.Rows, Cols: d.Cols, Digest: d.Digest, Samples: d.Samples}
	if test != nil {
		in.TestFraction, in.SplitSeed, in.TestSamples = test.TestFraction, test.SplitSeed, test.Samples
	}
	return in
}
