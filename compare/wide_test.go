package compare

import (
	"context"
	"encoding/json"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"born/bornmachine"
	"born/dataset"
)

// wideFile writes n-bit data (noisy copies of four random prototypes, one
// per line) and returns its path.
func wideFile(t testing.TB, n, points int) string {
	t.Helper()
	r := rand.New(rand.NewPCG(5, 6))
	protos := make([][]byte, 4)
	for i := range protos {
		protos[i] = make([]byte, n)
		for j := range protos[i] {
			protos[i][j] = byte(r.IntN(2))
		}
	}
	var b strings.Builder
	for range points {
		p := protos[r.IntN(4)]
		for _, v := range p {
			if r.Float64() < 0.05 {
				v ^= 1
			}
			b.WriteByte('0' + v)
		}
		b.WriteByte('\n')
	}
	path := filepath.Join(t.TempDir(), "wide.txt")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCompareWide compares the three families on 30-bit data with a test
// set: the run succeeds, KL, MMD and valid mass are skipped (null in
// report.json), and the train and test NLLs of the report are recomputed
// from the saved models, point by point, on the split made again from the
// data file: -1/N sum ln p(x) over the lines of each part.
func TestCompareWide(t *testing.T) {
	path := wideFile(t, 30, 120)
	out := t.TempDir()
	rep, err := Run(context.Background(), Config{Data: "file:" + path, TestFraction: 0.25, SplitSeed: 3,
		Models: []string{"rbm:6", "flow:8", "mps:4"}, Seeds: []uint64{1}, Steps: 15, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Samples != 90 || rep.TestSamples != 30 || rep.Skipped == "" {
		t.Errorf("report: %d + %d points, skipped %q", rep.Samples, rep.TestSamples, rep.Skipped)
	}
	train, test, err := dataset.Load("file:"+path, 0.25, 3)
	if err != nil {
		t.Fatal(err)
	}
	// The data points of each part, with repeats, from the datasets'
	// probabilities times their sizes.
	points := func(d *dataset.Dataset) (xs []uint64) {
		for i := range d.Len() {
			for range int(math.Round(d.Probs[i] * float64(d.Samples))) {
				xs = append(xs, d.States[i])
			}
		}
		return xs
	}
	trainX, testX := points(train), points(test)
	if len(trainX) != 90 || len(testX) != 30 {
		t.Fatalf("%d + %d points", len(trainX), len(testX))
	}
	var back Report
	raw, err := os.ReadFile(filepath.Join(out, ReportJSON))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), `"kl": null`) || len(back.Trials) != 3 {
		t.Errorf("report.json: KL not null, or %d trials", len(back.Trials))
	}
	for i, tr := range rep.Trials {
		if !math.IsNaN(tr.KL) || !math.IsNaN(tr.MMD) || !math.IsNaN(tr.ValidMass) || math.IsNaN(tr.TestNLL) {
			t.Errorf("%s: KL %v MMD %v valid %v test NLL %v", tr.Model, tr.KL, tr.MMD, tr.ValidMass, tr.TestNLL)
		}
		if b := back.Trials[i]; !math.IsNaN(b.KL) || b.NLL != tr.NLL || b.TestNLL != tr.TestNLL {
			t.Errorf("%s: report.json reads back KL %v NLL %v test %v", tr.Model, b.KL, b.NLL, b.TestNLL)
		}
		_, m, err := bornmachine.ReadModelFile(filepath.Join(out, tr.Dir, bornmachine.ModelFileName))
		if err != nil {
			t.Fatal(err)
		}
		mean := func(xs []uint64) float64 {
			var s float64
			for _, x := range xs {
				lp, err := m.LogProb(x)
				if err != nil {
					t.Fatal(err)
				}
				s -= lp
			}
			return s / float64(len(xs))
		}
		// Every family here has an exact likelihood (RBM: 6 hidden units).
		if nll, tnll := mean(trainX), mean(testX); math.Abs(nll-tr.NLL) > 1e-9 || math.Abs(tnll-tr.TestNLL) > 1e-9 {
			t.Errorf("%s: NLL %v, test NLL %v; from the saved model %v, %v", tr.Model, tr.NLL, tr.TestNLL, nll, tnll)
		}
		if !(tr.TestNLL < 30*math.Ln2) {
			t.Errorf("%s: test NLL %v is not below uniform's %v", tr.Model, tr.TestNLL, 30*math.Ln2)
		}
		// The history records the test NLL at the last step.
		h := tr.history
		if last := h[len(h)-1]; math.IsNaN(last.TestNLL) || !math.IsNaN(last.KL) {
			t.Errorf("%s: last history row %+v", tr.Model, last)
		}
	}
	md, _ := os.ReadFile(filepath.Join(out, ReportMD))
	if !strings.Contains(string(md), "| test NLL |") || strings.Contains(string(md), "KL(data") {
		t.Errorf("report.md:\n%s", md)
	}
	f, err := os.Open(filepath.Join(out, PlotFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := png.Decode(f); err != nil {
		t.Errorf("compare.png: %v", err)
	}
	// The same comparison without a test set has no test NLL.
	rep0, err := Run(context.Background(), Config{Data: "file:" + path, TestFraction: 0, Models: []string{"flow:4"},
		Seeds: []uint64{1}, Steps: 3, Out: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if tr := rep0.Trials[0]; !math.IsNaN(tr.TestNLL) || rep0.TestSamples != 0 {
		t.Errorf("no test set: test NLL %v, %d test points", tr.TestNLL, rep0.TestSamples)
	}
}
