package main

import (
	"encoding/json"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"born/bornmachine"
	"born/compare"
	"born/dataset"
)

// TestCompareDigits runs the comparison on the 64-bit digits with
// the default test fraction (0.2) and short training: every family
// reports a training and a test NLL, each recomputed here from the saved
// model, image by image, on the split made again (-1/N sum ln p(x)); every
// test NLL is far below the uniform 64 ln 2 = 44.4 nats. (The RBM has 8
// hidden units, so its ln Z is exact; the AIS path of larger ones is
// tested in compare.)
func TestCompareDigits(t *testing.T) {
	dir := t.TempDir()
	out, _, err := runBorn(t, "", "compare", "--data", "digits", "--models", "rbm:8,flow:32,mps:4", "--seeds", "1", "--steps", "20", "--out", dir)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "test NLL") || !strings.Contains(out, "1438 training data points and 359 held out") {
		t.Errorf("table:\n%s", out)
	}
	raw, err := os.ReadFile(filepath.Join(dir, compare.ReportJSON))
	if err != nil {
		t.Fatal(err)
	}
	var rep compare.Report
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatal(err)
	}
	train, test, err := dataset.Load("digits", 0.2, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Trials) != 3 || rep.TestSamples != 359 || rep.Samples != 1438 {
		t.Fatalf("%d trials, %d + %d images", len(rep.Trials), rep.Samples, rep.TestSamples)
	}
	for _, tr := range rep.Trials {
		_, m, err := bornmachine.ReadModelFile(filepath.Join(dir, tr.Dir, bornmachine.ModelFileName))
		if err != nil {
			t.Fatal(err)
		}
		nll := func(d *dataset.Dataset) float64 {
			var sum float64
			for i, x := range d.States {
				lp, err := m.LogProb(x)
				if err != nil {
					t.Fatal(err)
				}
				sum -= math.Round(d.Probs[i]*float64(d.Samples)) * lp
			}
			return sum / float64(d.Samples)
		}
		a, b := nll(train), nll(test)
		if tr.NLLErr != 0 {
			t.Errorf("%s: an exact NLL with standard error %v", tr.Model, tr.NLLErr)
		}
		if math.Abs(a-tr.NLL) > 1e-9*a || math.Abs(b-tr.TestNLL) > 1e-9*b {
			t.Errorf("%s: NLL %v test %v; from the saved model %v, %v", tr.Model, tr.NLL, tr.TestNLL, a, b)
		}
		if !(tr.TestNLL < 0.75*64*math.Ln2) {
			t.Errorf("%s: test NLL %v is not far below uniform's %v", tr.Model, tr.TestNLL, 64*math.Ln2)
		}
		f, err := os.Open(filepath.Join(dir, tr.Dir, compare.SamplesFile))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil || img.Bounds().Dx() < 8*8 {
			t.Errorf("%s: samples.png %v (%v)", tr.Model, img.Bounds(), err)
		}
		if !math.IsNaN(tr.KL) || !math.IsNaN(tr.MMD) {
			t.Errorf("%s: KL %v, MMD %v measured on 64 bits", tr.Model, tr.KL, tr.MMD)
		}
	}
}
