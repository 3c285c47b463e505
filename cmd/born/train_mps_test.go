package main

import (
	"encoding/csv"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"born/bornmachine"
	"born/bornmachine/mpsbm"
	"born/dataset"
)

// TestTrainMPSModel trains born train --model mps:CHI and checks the run
// directory against the saved model: the summary's KL and valid mass
// recomputed from it, one history row per sweep, decodable plots, and a
// resumed run that ends with the tensors of an uninterrupted one.
func TestTrainMPSModel(t *testing.T) {
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "run")
	out, _, err := train(t, "--data", "bas:3x3", "--model", "mps:16", "--steps", "6", "--out", dir, "--quiet")
	if err != nil {
		t.Fatal(err)
	}
	s := decodeSummary(t, out)
	if s.Model != "mps:16" || s.Steps != 6 || s.Stop != "steps" || s.Ansatz != "" || s.Params < 1 {
		t.Errorf("summary %+v", s)
	}
	mf, m, err := bornmachine.ReadModelFile(filepath.Join(dir, "model.json"))
	if err != nil {
		t.Fatal(err)
	}
	if mf.Kind != "mps" || mf.Settings.Optimizer != "sweep" || mf.Settings.Loss != "nll" || m.NumParams() != s.Params {
		t.Errorf("model file: kind %s, settings %+v, %d params", mf.Kind, mf.Settings, m.NumParams())
	}
	data, _ := dataset.BarsAndStripes(3, 3)
	p, _ := m.Probabilities()
	var kl, valid float64
	for i, x := range data.States {
		kl += data.Probs[i] * math.Log(data.Probs[i]/p[x])
		valid += p[x]
	}
	if math.Abs(kl-*s.KL) > 1e-12 || math.Abs(valid-*s.ValidMass) > 1e-12 || !(*s.KL <= 0.005) {
		t.Errorf("summary KL %v valid %v; from the saved model %v, %v", *s.KL, *s.ValidMass, kl, valid)
	}
	f, _ := os.Open(filepath.Join(dir, "history.csv"))
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(rows) != 8 || rows[7][0] != "6" {
		t.Errorf("history.csv: %d rows (%v)", len(rows), err)
	}
	for _, name := range []string{"loss.png", "distribution.png"} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		_, err = png.DecodeConfig(f)
		f.Close()
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := sample(t, dir, "--shots", "5"); err != nil {
		t.Errorf("sampling the saved model: %v", err)
	}

	// Resume: 2 sweeps, then 3 more, equal 5 at once.
	whole, short := filepath.Join(tmp, "whole"), filepath.Join(tmp, "short")
	args := []string{"--data", "bas:2x3", "--model", "mps:3", "--quiet", "--checkpoint-every", "1"}
	if _, _, err := train(t, append(args, "--steps", "5", "--out", whole)...); err != nil {
		t.Fatal(err)
	}
	if _, _, err := train(t, append(args, "--steps", "2", "--out", short)...); err != nil {
		t.Fatal(err)
	}
	if _, _, err := train(t, "--resume", short, "--model", "mps:4"); err == nil || !strings.Contains(err.Error(), "--model cannot change") {
		t.Errorf("resume with --model: %v", err)
	}
	if _, _, err := train(t, "--resume", short, "--steps", "5", "--quiet"); err != nil {
		t.Fatal(err)
	}
	_, a, _ := bornmachine.ReadModelFile(filepath.Join(whole, "model.json"))
	_, b, _ := bornmachine.ReadModelFile(filepath.Join(short, "model.json"))
	if !slices.Equal(a.Params(), b.Params()) {
		t.Error("2 sweeps then 3 more differ from 5 sweeps")
	}
	// The model compiles to a circuit (bond dimension 3: approximate).
	raw, _ := os.Open(filepath.Join(whole, "model.json"))
	defer raw.Close()
	src, comp, err := mpsbm.ModelQASM(raw, 3, mpsbm.CompileOptions{})
	if err != nil || comp == nil || !(comp.Fidelity > 0 && comp.Fidelity <= 1+1e-12) || !strings.HasPrefix(string(src), "OPENQASM 3") {
		t.Errorf("ModelQASM: %v, %+v", err, comp)
	}
}

// TestTrainEngineMPS trains a QCBM on the MPS engine: its shift gradient
// gives the parameters the state vector gives (to rounding), the engine is
// saved, and the adjoint gradient is refused.
func TestTrainEngineMPS(t *testing.T) {
	tmp := t.TempDir()
	args := []string{"--data", "bas:2x2", "--ansatz", "qcbm:2", "--steps", "5", "--quiet"}
	if _, _, err := train(t, append(args, "--engine", "mps", "--out", filepath.Join(tmp, "mps"))...); err != nil {
		t.Fatal(err)
	}
	if _, _, err := train(t, append(args, "--out", filepath.Join(tmp, "sv"))...); err != nil {
		t.Fatal(err)
	}
	mf, a, err := bornmachine.ReadModelFile(filepath.Join(tmp, "mps", "model.json"))
	if err != nil {
		t.Fatal(err)
	}
	_, b, _ := bornmachine.ReadModelFile(filepath.Join(tmp, "sv", "model.json"))
	if mf.Settings.Engine != "mps" || a.(*bornmachine.QCBM).Engine().Name() != "mps" {
		t.Errorf("engine %q", mf.Settings.Engine)
	}
	pa, pb := a.Params(), b.Params()
	for i := range pa {
		if math.Abs(pa[i]-pb[i]) > 1e-9 {
			t.Fatalf("parameter %d: mps %v, statevector %v", i, pa[i], pb[i])
		}
	}
	if _, _, err := train(t, append(args, "--engine", "mps", "--grad", "adjoint", "--out", filepath.Join(tmp, "adj"))...); err == nil || !strings.Contains(err.Error(), "statevector") {
		t.Errorf("adjoint on mps: %v", err)
	}
}

func TestTrainMPSBadInput(t *testing.T) {
	tmp := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--model", "mps:0"}, "at least 1"},
		{[]string{"--model", "mps"}, "bond dimension"},
		{[]string{"--model", "tt:4"}, "unknown model"},
		{[]string{"--model", "mps:4", "--ansatz", "qcbm:2"}, "--ansatz is for circuits"},
		{[]string{"--model", "mps:4", "--grad", "adjoint"}, "--grad is for circuits"},
		{[]string{"--model", "mps:4", "--engine", "mps"}, "--engine is for circuits"},
		{[]string{"--model", "mps:4", "--loss", "mmd"}, "nll or kl"},
		{[]string{"--model", "mps:4", "--optimizer", "adam"}, "sweep"},
		{[]string{"--model", "mps:4", "--cutoff", "-1"}, "--cutoff"},
		{[]string{"--model", "mps:4", "--lr", "0"}, "--lr"},
		{[]string{"--engine", "mps:x"}, "bond dimension"},
		{[]string{"--engine", "gpu"}, "unknown engine"},
		{[]string{"--optimizer", "sweep"}, "--optimizer sweep is for tensor-network models"},
	} {
		_, _, err := train(t, append(c.args, "--quiet", "--steps", "2", "--out", filepath.Join(tmp, "r"))...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want %q", c.args, err, c.want)
		}
	}
	if _, err := os.Stat(filepath.Join(tmp, "r")); err == nil {
		t.Error("a failed start left a run directory behind")
	}
}
