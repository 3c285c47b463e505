package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"born/bornmachine"
	"born/compare"
)

// TestCompareBAS2x3 runs `born compare` on BAS 2x3 with every model's default
// settings and recomputes the report's numbers from the saved models,
// independently of the code that wrote them: KL, NLL and valid mass from
// the model's probabilities and the 10 patterns, the MMD as a double sum of
// the kernel over all pairs of states, and the means and deviations over
// seeds.
func TestCompareBAS2x3(t *testing.T) {
	dir := t.TempDir()
	out, _, err := runBorn(t, "", "compare", "--data", "bas:2x3", "--models", "qcbm:3,rbm:8,flow:8", "--seeds", "2", "--out", dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"qcbm:3", "quantum circuit", "rbm:8", "flow:8", "neural network", "entropy 2.3026"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	rep := checkReport(t, dir, 2, 3)
	if len(rep.Trials) != 6 || len(rep.Summary) != 3 {
		t.Fatalf("%d trials, %d summaries", len(rep.Trials), len(rep.Summary))
	}
	for _, s := range rep.Summary {
		if s.KL.Mean > 0.1 {
			t.Errorf("%s: mean KL %.3f after default training on BAS 2x3", s.Model, s.KL.Mean)
		}
	}
	// The same directory is not overwritten.
	if _, _, err := runBorn(t, "", "compare", "--data", "bas:2x3", "--models", "flow:2", "--seeds", "1", "--out", dir); err == nil ||
		!strings.Contains(err.Error(), "already holds a comparison") {
		t.Errorf("rerun into the same directory: %v", err)
	}
}

// The talk's three families on BAS 3x3, with small settings: a quantum
// circuit, two neural networks and a tensor network.
func TestCompareFourFamilies(t *testing.T) {
	dir := t.TempDir()
	out, _, err := runBorn(t, "", "compare", "--data", "bas:3x3", "--models", "qcbm:4,rbm:8,flow:8,mps:8", "--seeds", "1", "--steps", "60", "--out", dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"quantum circuit", "neural network", "tensor network"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	rep := checkReport(t, dir, 3, 3)
	if len(rep.Summary) != 4 {
		t.Fatalf("%d models in the report", len(rep.Summary))
	}
}

// basPatterns returns the bars-and-stripes patterns of an r x c grid
// (pixel (i,j) is bit i*c+j).
func basPatterns(r, c int) map[uint64]bool {
	valid := map[uint64]bool{}
	for rows := uint64(0); rows < 1<<uint(r); rows++ { // stripes: each row all 0 or all 1
		var x uint64
		for i := 0; i < r; i++ {
			if rows>>uint(i)&1 == 1 {
				x |= (1<<uint(c) - 1) << uint(c*i)
			}
		}
		valid[x] = true
	}
	for cols := uint64(0); cols < 1<<uint(c); cols++ { // bars: each column all 0 or all 1
		var x uint64
		for j := 0; j < c; j++ {
			if cols>>uint(j)&1 == 1 {
				for i := 0; i < r; i++ {
					x |= 1 << uint(c*i+j)
				}
			}
		}
		valid[x] = true
	}
	return valid
}

// checkReport recomputes the numbers of the comparison in dir from its
// saved models, independently of the code that wrote them: KL, NLL and
// valid mass from the model's probabilities and the BAS patterns, the MMD as
// a double sum of the kernel over all pairs of states, and the means and
// deviations over seeds.
func checkReport(t *testing.T, dir string, r, c int) *compare.Report {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, compare.ReportJSON))
	if err != nil {
		t.Fatal(err)
	}
	var rep compare.Report
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatal(err)
	}
	valid := basPatterns(r, c)
	if want := 1<<uint(r) + 1<<uint(c) - 2; len(valid) != want {
		t.Fatalf("%d BAS patterns, want %d", len(valid), want)
	}
	pi := 1 / float64(len(valid))
	kernel := func(x, y uint64) float64 {
		d := 0.0
		for z := x ^ y; z != 0; z &= z - 1 {
			d++
		}
		var k float64
		for _, s := range rep.Sigmas {
			k += math.Exp(-d / (2 * s))
		}
		return k
	}
	byModel := map[string][]compare.Trial{}
	for _, tr := range rep.Trials {
		byModel[tr.Model] = append(byModel[tr.Model], tr)
		_, m, err := bornmachine.ReadModelFile(filepath.Join(dir, tr.Dir, bornmachine.ModelFileName))
		if err != nil {
			t.Fatal(err)
		}
		if m.NumParams() != tr.Params {
			t.Errorf("%s: %d params, report says %d", tr.Model, m.NumParams(), tr.Params)
		}
		p, err := m.Probabilities()
		if err != nil {
			t.Fatal(err)
		}
		var kl, nll, vm, mmd float64
		for x := range valid {
			kl += pi * math.Log(pi/p[x])
			nll -= pi * math.Log(p[x])
			vm += p[x]
		}
		diff := make([]float64, len(p))
		for x := range p {
			diff[x] = p[x]
			if valid[uint64(x)] {
				diff[x] -= pi
			}
		}
		for x := range diff {
			if diff[x] == 0 {
				continue
			}
			for y := range diff {
				mmd += diff[x] * kernel(uint64(x), uint64(y)) * diff[y]
			}
		}
		for _, c := range []struct {
			name      string
			got, want float64
		}{{"KL", tr.KL, kl}, {"NLL", tr.NLL, nll}, {"valid mass", tr.ValidMass, vm}, {"MMD", tr.MMD, mmd}} {
			if math.Abs(c.got-c.want) > 1e-9 {
				t.Errorf("%s seed %d: report %s %.12g, recomputed %.12g", tr.Model, tr.Seed, c.name, c.got, c.want)
			}
		}
		if _, err := os.Stat(filepath.Join(dir, tr.Dir, bornmachine.HistoryFileName)); err != nil {
			t.Error(err)
		}
	}
	for _, s := range rep.Summary {
		ts := byModel[s.Model]
		var mean, ss float64
		for _, tr := range ts {
			mean += tr.KL
		}
		mean /= float64(len(ts))
		for _, tr := range ts {
			ss += (tr.KL - mean) * (tr.KL - mean)
		}
		std := 0.0
		if len(ts) > 1 {
			std = math.Sqrt(ss / float64(len(ts)-1))
		}
		if math.Abs(s.KL.Mean-mean) > 1e-12 || math.Abs(s.KL.Std-std) > 1e-12 {
			t.Errorf("%s: KL %v, recomputed %v ± %v", s.Model, s.KL, mean, std)
		}
	}
	for _, f := range []string{compare.ReportMD, compare.PlotFile} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s missing or empty", f)
		}
	}
	return &rep
}

func TestCompareErrors(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--models", "qcbm:2,gan:3"}, `unknown model "gan:3"`},
		{[]string{"--models", "rbm:0"}, "0 hidden units"},
		{[]string{"--models", "flow:4,flow:4"}, "names flow:4 twice"},
		{[]string{"--models", ""}, "--models is empty"},
		{[]string{"--seeds", "0"}, "--seeds 0"},
		{[]string{"--data", "bas:5x5", "--models", "rbm:4"}, "25 pixels"},
		{[]string{"--data", "nope:3"}, "nope"},
		{[]string{"--sigmas", "-1"}, "--sigmas"},
	}
	for i, tc := range cases {
		args := append([]string{"compare", "--data", "bas:2x2", "--steps", "2", "--out", filepath.Join(dir, string(rune('a'+i)))}, tc.args...)
		_, _, err := runBorn(t, "", args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want %q", tc.args, err, tc.want)
		}
	}
}

// An RBM whose layers are both wider than exact training allows falls back
// to persistent contrastive divergence, and the report says so.
func TestCompareFallback(t *testing.T) {
	if testing.Short() {
		t.Skip("enumerates 2^21 states")
	}
	dir := t.TempDir()
	out, _, err := runBorn(t, "", "compare", "--data", "bas:3x7", "--models", "rbm:22", "--seeds", "1", "--steps", "3", "--out", dir)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "note: rbm:22:") || !strings.Contains(strings.ToLower(out), "pcd") {
		t.Errorf("no fallback note:\n%s", out)
	}
}
