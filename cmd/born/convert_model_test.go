package main

import (
	"encoding/json"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"born/bornmachine"
	"born/circuit"
)

// born convert on a model.json: a trained MPS Born machine of bond
// dimension 2 compiles exactly to a circuit, and a QCBM's circuit comes out
// with its trained parameters; running either file gives the model's
// probabilities.
func TestConvertModel(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"mps", []string{"--model", "mps:2", "--data", "bas:2x2", "--steps", "10"}},
		{"qcbm", []string{"--ansatz", "qcbm:2", "--data", "bas:2x2", "--steps", "20"}},
	} {
		run := filepath.Join(dir, tc.name)
		if _, _, err := runBorn(t, "", append([]string{"train", "--out", run, "--quiet"}, tc.args...)...); err != nil {
			t.Fatal(err)
		}
		_, m, err := bornmachine.ReadModelFile(filepath.Join(run, bornmachine.ModelFileName))
		if err != nil {
			t.Fatal(err)
		}
		want, err := m.Probabilities()
		if err != nil {
			t.Fatal(err)
		}
		for _, to := range []string{"qasm2", "qasm3"} {
			qasmFile := filepath.Join(dir, tc.name+"-"+to+".qasm")
			// A run directory stands for its model.json, as in export and sample.
			src := filepath.Join(run, bornmachine.ModelFileName)
			if to == "qasm3" {
				src = run
			}
			_, stderr, err := runBorn(t, "", "convert", src, "--to", to, "-o", qasmFile)
			if err != nil {
				t.Fatalf("%s %s: %v", tc.name, to, err)
			}
			if tc.name == "mps" && !strings.Contains(stderr, "exact: true") {
				t.Errorf("bond dimension 2 did not compile exactly: %s", stderr)
			}
			out, _, err := runBorn(t, "", "run", qasmFile, "--print", "probs", "--format", "json")
			if err != nil {
				t.Fatal(err)
			}
			var got struct{ Probabilities map[string]float64 }
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatal(err)
			}
			for x, p := range want {
				if d := math.Abs(got.Probabilities[circuit.FormatBits(uint64(x), m.NumBits())] - p); d > 1e-10 {
					t.Errorf("%s %s: P(%04b) = %v, model %v", tc.name, to, x, got.Probabilities[circuit.FormatBits(uint64(x), m.NumBits())], p)
				}
			}
		}
	}
}

// A trained MPS Born machine exports to hardware through its compiled
// circuit; the export is verified against the circuit by simulation.
func TestExportMPSModel(t *testing.T) {
	dir := t.TempDir()
	run := filepath.Join(dir, "mps")
	if _, _, err := runBorn(t, "", "train", "--out", run, "--quiet", "--model", "mps:2", "--data", "bas:2x2", "--steps", "5"); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "heron.qasm")
	stdout, stderr, err := runBorn(t, "", "export", run, "--target", "ibm-heron", "-o", out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr, "exact: true") || !strings.Contains(stdout+stderr, "verified (read back)") {
		t.Errorf("stdout: %s\nstderr: %s", stdout, stderr)
	}
}
