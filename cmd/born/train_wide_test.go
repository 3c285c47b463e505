package main

import (
	"encoding/csv"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"born/bornmachine"
	"born/dataset"
)

// TestTrainWideTestNLL trains an MPS Born machine on 30-bit data with a
// test set: the run ends with status 0 (no full-distribution plot to fail
// on), the summary leaves out KL and valid mass and says why, and its NLL
// and test NLL are recomputed from the saved model point by point on the
// split made again; history.csv's test_nll column ends at that value, and
// loss.png decodes.
func TestTrainWideTestNLL(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	var lines []string
	proto := [2][]byte{make([]byte, 30), make([]byte, 30)}
	for i := range 30 {
		proto[0][i], proto[1][i] = byte(r.IntN(2)), byte(r.IntN(2))
	}
	for range 60 {
		b := make([]byte, 30)
		for i, v := range proto[r.IntN(2)] {
			if r.Float64() < 0.1 {
				v ^= 1
			}
			b[i] = '0' + v
		}
		lines = append(lines, string(b))
	}
	tmp := t.TempDir()
	path := filepath.Join(tmp, "wide.txt")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(tmp, "run")
	out, _, err := train(t, "--data", "file:"+path, "--model", "mps:4", "--steps", "4", "--test-fraction", "0.25", "--split-seed", "9", "--out", dir, "--quiet")
	if err != nil {
		t.Fatal(err)
	}
	s := decodeSummary(t, out)
	if s.KL != nil || s.ValidMass != nil || s.Skipped == "" || s.TestNLL == nil {
		t.Fatalf("summary %+v", s)
	}
	_, m, err := bornmachine.ReadModelFile(filepath.Join(dir, "model.json"))
	if err != nil {
		t.Fatal(err)
	}
	trainSet, test, err := dataset.Load("file:"+path, 0.25, 9)
	if err != nil {
		t.Fatal(err)
	}
	if trainSet.Samples != 45 || test.Samples != 15 {
		t.Fatalf("split %d + %d", trainSet.Samples, test.Samples)
	}
	nll := func(d *dataset.Dataset) float64 {
		var sum float64
		for i := range d.Len() {
			lp, err := m.LogProb(d.States[i])
			if err != nil {
				t.Fatal(err)
			}
			sum -= math.Round(d.Probs[i]*float64(d.Samples)) * lp
		}
		return sum / float64(d.Samples)
	}
	if a, b := nll(trainSet), nll(test); math.Abs(a-s.NLL) > 1e-9 || math.Abs(b-*s.TestNLL) > 1e-9 {
		t.Errorf("summary NLL %v test %v; from the saved model %v, %v", s.NLL, *s.TestNLL, a, b)
	}
	f, _ := os.Open(filepath.Join(dir, "history.csv"))
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(rows) != 6 || strings.Join(rows[0], ",") != "step,loss,kl,valid_mass,wall_seconds,test_nll" {
		t.Fatalf("history.csv: %v %v", rows, err)
	}
	last, _ := strconv.ParseFloat(rows[5][5], 64)
	if math.Abs(last-*s.TestNLL) > 1e-12 || rows[5][2] != "NaN" {
		t.Errorf("history.csv last row %v; summary test NLL %v", rows[5], *s.TestNLL)
	}
	if _, err := os.Stat(filepath.Join(dir, "distribution.png")); err == nil {
		t.Error("distribution.png written for 30-bit data")
	}
	pf, err := os.Open(filepath.Join(dir, "loss.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	if _, err := png.Decode(pf); err != nil {
		t.Errorf("loss.png: %v", err)
	}
	// A test fraction outside [0,1) and one on a distribution are refused
	// in one line.
	for _, c := range []struct{ args []string }{
		{[]string{"--data", "file:" + path, "--model", "mps:2", "--test-fraction", "1"}},
		{[]string{"--data", "bas:2x2", "--model", "mps:2", "--test-fraction", "0.2"}},
	} {
		_, _, err := train(t, append(c.args, "--out", filepath.Join(tmp, "bad"), "--quiet")...)
		if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "--test-fraction") && !strings.Contains(err.Error(), "distribution") {
			t.Errorf("%v: error %v", c.args, err)
		}
	}
}

// TestTrainWideQCBM trains a 30-qubit QCBM on the MPS engine with the
// sampled MMD and shift gradients: the run ends with status 0, KL and
// valid mass are left out, the sampled loss is finite, and the NLL and
// test NLL of the summary are recomputed from the saved circuit.
func TestTrainWideQCBM(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	var lines []string
	for range 40 {
		b := make([]byte, 30)
		v := byte(r.IntN(2))
		for i := range b {
			if r.Float64() < 0.1 {
				v ^= 1
			}
			b[i] = '0' + v
		}
		lines = append(lines, string(b))
	}
	tmp := t.TempDir()
	path := filepath.Join(tmp, "wide.txt")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(tmp, "run")
	out, _, err := train(t, "--data", "file:"+path, "--ansatz", "qcbm:1:line", "--engine", "mps:4", "--shots", "20",
		"--steps", "2", "--sigmas", "2,8", "--test-fraction", "0.25", "--out", dir, "--quiet")
	if err != nil {
		t.Fatal(err)
	}
	s := decodeSummary(t, out)
	if s.KL != nil || s.ValidMass != nil || s.TestNLL == nil || math.IsNaN(s.Loss) || s.Steps != 2 {
		t.Fatalf("summary %+v", s)
	}
	_, m, err := bornmachine.ReadModelFile(filepath.Join(dir, "model.json"))
	if err != nil {
		t.Fatal(err)
	}
	trainSet, test, err := dataset.Load("file:"+path, 0.25, 1)
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
			sum -= d.Probs[i] * max(lp, math.Log(1e-300))
		}
		return sum
	}
	if a, b := nll(trainSet), nll(test); math.Abs(a-s.NLL) > 1e-9*max(1, a) || math.Abs(b-*s.TestNLL) > 1e-9*max(1, b) {
		t.Errorf("summary NLL %v test %v; from the saved model %v, %v", s.NLL, *s.TestNLL, a, b)
	}
}
