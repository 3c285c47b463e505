package dataset

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// writeLines writes lines to a file in a temporary directory.
func writeLines(t *testing.T, lines []string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "d.txt")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestLoadSplit checks the train/test split of a data file: the sizes are
// round(F N), the two parts together are the file's data points (as a
// multiset, duplicates included), the same seed gives the same split and
// another seed another one.
func TestLoadSplit(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var lines []string
	count := map[string]int{}
	for range 101 {
		b := make([]byte, 12)
		for j := range b {
			b[j] = '0' + byte(r.IntN(2))
		}
		if r.IntN(4) == 0 && len(lines) > 0 { // some duplicates
			b = []byte(lines[r.IntN(len(lines))])
		}
		lines = append(lines, string(b))
		count[string(b)]++
	}
	path := writeLines(t, lines)
	for _, frac := range []float64{0.2, 0.5, 0.01, 0.999} {
		train, test, err := Load("file:"+path, frac, 7)
		if err != nil {
			t.Fatal(err)
		}
		k := min(max(int(frac*101+0.5), 1), 100)
		if test.Samples != k || train.Samples != 101-k || train.Part != "train" || test.Part != "test" {
			t.Errorf("F=%v: %d train + %d test points (%q, %q), want %d + %d", frac, train.Samples, test.Samples, train.Part, test.Part, 101-k, k)
		}
		// Probabilities times sizes are counts; together they are the file's.
		got := map[string]float64{}
		for _, d := range []*Dataset{train, test} {
			for i := range d.Len() {
				got[d.FormatState(i)] += d.Probs[i] * float64(d.Samples)
			}
		}
		for s, c := range count {
			if g := got[s]; g < float64(c)-1e-9 || g > float64(c)+1e-9 {
				t.Errorf("F=%v: %s counted %v times in train+test, %d in the file", frac, s, g, c)
			}
		}
		if len(got) != len(count) {
			t.Errorf("F=%v: %d distinct states in train+test, %d in the file", frac, len(got), len(count))
		}
	}
	states := func(d *Dataset) string { return fmt.Sprint(d.States, d.Probs) }
	_, a, _ := Load("file:"+path, 0.2, 7)
	_, b, _ := Load("file:"+path, 0.2, 7)
	_, c, _ := Load("file:"+path, 0.2, 8)
	if states(a) != states(b) {
		t.Error("the same seed gave two test sets")
	}
	if states(a) == states(c) {
		t.Error("seeds 7 and 8 gave the same test set")
	}
	// Without a test fraction: all points, no test set.
	all, none, err := Load("file:"+path, 0, 7)
	if err != nil || none != nil || all.Samples != 101 || all.Part != "" {
		t.Errorf("F=0: %v, test %v, err %v", all.Samples, none, err)
	}
}

func TestLoadSplitErrors(t *testing.T) {
	one := writeLines(t, []string{"0101"})
	for _, c := range []struct {
		spec string
		frac float64
		want string
	}{
		{"bas:3x3", 0.2, "distribution, not data points"},
		{"gauss:4", 0.5, "distribution, not data points"},
		{"bas:3x3", 1, "outside (0,1)"},
		{"bas:3x3", -0.1, "outside (0,1)"},
		{"file:" + one, 0.5, "at least 2"},
	} {
		_, _, err := Load(c.spec, c.frac, 1)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s F=%v: error %v, want one line containing %q", c.spec, c.frac, err, c.want)
		}
	}
	if DefaultTestFraction("bas:3x3") != 0 || DefaultTestFraction("file:x") != 0 {
		t.Error("the default test fraction of bas and file data is not 0")
	}
}

// TestWideData reads data wider than one word: every bit lands where the
// bitstring puts it (q[n-1]...q[0]), states sort from their last word
// down, Find finds them and the mutual information sees bits past 64.
func TestWideData(t *testing.T) {
	const n = 130
	r := rand.New(rand.NewPCG(3, 4))
	var lines []string
	for range 40 {
		b := make([]byte, n)
		for j := range b {
			b[j] = '0' + byte(r.IntN(2))
		}
		// bit 129 copies bit 3: a perfectly correlated pair across words
		b[n-1-129] = b[n-1-3]
		lines = append(lines, string(b))
	}
	d, err := ParseDataset("file:" + writeLines(t, lines))
	if err != nil {
		t.Fatal(err)
	}
	if d.Bits != n || d.Words() != 3 || d.Len() != 40 || len(d.States) != 120 || !d.Wide() {
		t.Fatalf("%d bits, %d words, %d states (%d words)", d.Bits, d.Words(), d.Len(), len(d.States))
	}
	sorted := slices.Clone(lines)
	// Ascending as numbers with q[n-1] most significant: as strings.
	slices.Sort(sorted)
	for i := range d.Len() {
		s := d.FormatState(i)
		if s != sorted[i] {
			t.Fatalf("state %d is %s, want %s", i, s, sorted[i])
		}
		for q := range n {
			if d.Bit(i, q) != int(s[n-1-q]-'0') {
				t.Fatalf("state %d bit %d is %d, the bitstring says %c", i, q, d.Bit(i, q), s[n-1-q])
			}
		}
		if d.Find(d.State(i)) != i {
			t.Errorf("Find(state %d) = %d", i, d.Find(d.State(i)))
		}
	}
	if d.Find(make([]uint64, 3)) != -1 && d.FormatState(0) != strings.Repeat("0", n) {
		t.Error("Find found the zero state, which is not in the data")
	}
	mi := d.MutualInformation()
	// I(b3; b129) = H(b3), the largest value in b3's row.
	for q := range n {
		if q != 129 && q != 3 && mi[3][q] > mi[3][129] {
			t.Errorf("I(b3;b%d) = %v > I(b3;b129) = %v", q, mi[3][q], mi[3][129])
		}
	}
	if mi[3][129] < 0.5 {
		t.Errorf("I(b3;b129) = %v for a copied bit (expected about ln 2)", mi[3][129])
	}
}

// TestLoadDigitsSplit: the default test fraction of digits holds out 359 of
// the 1797 images (round(0.2 N)), and the two parts together are the
// images, duplicates included.
func TestLoadDigitsSplit(t *testing.T) {
	f := DefaultTestFraction("digits")
	train, test, err := Load("digits", f, 1)
	if err != nil {
		t.Fatal(err)
	}
	if f != 0.2 || train.Samples != 1438 || test.Samples != 359 || train.Bits != 64 || !test.IsImage() {
		t.Fatalf("F=%v: %d + %d images of %d bits", f, train.Samples, test.Samples, train.Bits)
	}
	im, err := DigitImages()
	if err != nil {
		t.Fatal(err)
	}
	count := map[uint64]float64{}
	for _, x := range im.X {
		count[x]++
	}
	for _, d := range []*Dataset{train, test} {
		for i, x := range d.States {
			count[x] -= d.Probs[i] * float64(d.Samples)
		}
	}
	for x, c := range count {
		if c > 1e-9 || c < -1e-9 {
			t.Fatalf("image %x: %v more in the file than in train+test", x, c)
		}
	}
}
