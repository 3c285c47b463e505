package mpsbm

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"born/dataset"
	"born/model"
)

// TestWideData trains an MPS Born machine on 150-bit data (three words per
// state): five random bitstrings, equally likely. A bond dimension of 8
// represents their uniform superposition exactly, so the NLL must reach
// the data's entropy ln 5 (a misread bit in any word would leave it far
// above); samples are data strings, about equally often; the test NLL of
// a held-out copy equals the training NLL; and the single-word calls
// refuse the wide model.
func TestWideData(t *testing.T) {
	const n = 150
	r := rand.New(rand.NewPCG(11, 12))
	var lines []string
	for range 5 {
		b := make([]byte, n)
		for i := range b {
			b[i] = '0' + byte(r.IntN(2))
		}
		lines = append(lines, string(b))
	}
	data, err := dataset.ParseData("wide", strings.NewReader(strings.Join(lines, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	set := DefaultSettings()
	set.Sweeps = 8
	res, err := Train(context.Background(), "mps:8", data, data, set)
	if err != nil {
		t.Fatal(err)
	}
	m := res.Model
	if got := res.Metrics.NLL; math.Abs(got-math.Log(5)) > 1e-3 {
		t.Errorf("NLL %v, want ln 5 = %v", got, math.Log(5))
	}
	if h := res.History[len(res.History)-1]; math.Abs(h.TestNLL-res.Metrics.NLL) > 1e-9 || !math.IsNaN(h.KL) {
		t.Errorf("last history row %+v; NLL %v", h, res.Metrics.NLL)
	}
	xs, err := m.SampleWords(500, 3)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for k := range 500 {
		count[dataset.FormatWords(xs[k*3:(k+1)*3], n)]++
	}
	for _, s := range lines {
		if c := count[s]; c < 60 || c > 140 {
			t.Errorf("data string drawn %d times of 500 (expect about 100)", c)
		}
		delete(count, s)
	}
	if len(count) != 0 {
		t.Errorf("%d samples are not data strings", len(count))
	}
	for i := range data.Len() {
		lp, err := model.LogProbWords(m, data.State(i))
		if err != nil || math.Abs(lp-math.Log(0.2)) > 1e-3 {
			t.Errorf("ln p(data string %d) = %v (%v), want ln 0.2", i, lp, err)
		}
	}
	if _, err := m.LogProb(1); err == nil {
		t.Error("LogProb of a 150-bit model: no error")
	}
	if _, err := m.Sample(1, 1); err == nil {
		t.Error("Sample of a 150-bit model: no error")
	}
	if _, err := m.LogProbWords([]uint64{1}); err == nil {
		t.Error("LogProbWords of one word: no error")
	}
	// The model file reads back with the same likelihoods.
	raw, err := m.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Load(raw)
	if err != nil {
		t.Fatal(err)
	}
	for i := range data.Len() {
		a, _ := m.LogProbWords(data.State(i))
		b, _ := back.LogProbWords(data.State(i))
		if a != b {
			t.Errorf("state %d: ln p %v, read back %v", i, a, b)
		}
	}
}
