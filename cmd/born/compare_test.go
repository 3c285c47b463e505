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
	raw, err := os.ReadFile(filepath.Join(dir, compare.ReportJSON))
	if err != nil {
		t.Fatal(err)
	}
	var rep compare.Report
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Trials) != 6 || len(rep.Summary) != 3 {
		t.Fatalf("%d trials, %d summaries", len(rep.Trials), len(rep.Summary))
	}
	// BAS 2x3: the 2^2 + 2^3 - 2 = 10 valid patterns, uniformly.
	valid := map[uint64]bool{}
	for rows := uint64(0); rows < 4; rows++ { // stripes: each row all 0 or all 1
		var x uint64
		for i := 0; i < 2; i++ {
			if rows>>uint(i)&1 == 1 {
				x |= 7 << uint(3*i)
			}
		}
		valid[x] = true
	}
	for cols := uint64(0); cols < 8; cols++ { // bars: each column all 0 or all 1
		var x uint64
		for j := 0; j < 3; j++ {
			if cols>>uint(j)&1 == 1 {
				x |= 1<<uint(j) | 1<<uint(3+j)
			}
		}
		valid[x] = true
	}
	if len(valid) != 10 {
		t.Fatalf("%d BAS 2x3 patterns", len(valid))
	}
	pi := 1.0 / 10
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
		a, b := ts[0].KL, ts[1].KL
		mean, std := (a+b)/2, math.Abs(a-b)/math.Sqrt2
		if math.Abs(s.KL.Mean-mean) > 1e-12 || math.Abs(s.KL.Std-std) > 1e-12 {
			t.Errorf("%s: KL %v, recomputed %v ± %v", s.Model, s.KL, mean, std)
		}
		if s.KL.Mean > 0.1 {
			t.Errorf("%s: mean KL %.3f after default training on BAS 2x3", s.Model, s.KL.Mean)
		}
	}
	for _, f := range []string{compare.ReportMD, compare.PlotFile} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s missing or empty", f)
		}
	}
	// The same directory is not overwritten.
	if _, _, err := runBorn(t, "", "compare", "--data", "bas:2x3", "--models", "flow:2", "--seeds", "1", "--out", dir); err == nil ||
		!strings.Contains(err.Error(), "already holds a comparison") {
		t.Errorf("rerun into the same directory: %v", err)
	}
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
