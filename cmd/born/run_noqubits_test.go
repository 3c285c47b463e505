package main

import (
	"encoding/json"
	"math"
	"testing"
)

// A program that declares no qubits runs on either engine with the same
// result: one outcome, the empty bitstring, with probability 1, every shot
// on it, and the amplitude its global phase (e^{i pi/3} after
// gphase(pi/3)); the MPS engine said "mps: need at least 1 qubit, got 0"
// (found by sim's FuzzLowerSimulate2 from the input ";").
func TestRunNoQubits(t *testing.T) {
	progs := []struct {
		src   string
		phase float64
	}{
		{"OPENQASM 2.0;\n", 0},
		{"OPENQASM 2.0;\ncreg c[2];\n", 0},
		{"OPENQASM 3.0;\nbit[3] b;\ngphase(pi/3);\n", math.Pi / 3},
	}
	for _, p := range progs {
		for _, out := range []string{"probs", "amps", "counts"} {
			sv, _, err := runBorn(t, p.src, "run", "-", "--format", "json", "--print", out, "--shots", "5")
			if err != nil {
				t.Fatalf("%q --print %s: %v", p.src, out, err)
			}
			m, _, err := runBorn(t, p.src, "run", "-", "--format", "json", "--print", out, "--shots", "5", "--engine", "mps")
			if err != nil {
				t.Fatalf("%q --print %s --engine mps: %v", p.src, out, err)
			}
			if m != sv {
				t.Errorf("%q --print %s: mps gives\n%s\nstatevector\n%s", p.src, out, m, sv)
			}
			// The answer itself.
			var got struct {
				Probabilities map[string]float64    `json:"probabilities"`
				Amplitudes    map[string][2]float64 `json:"amplitudes"`
				Counts        map[string]int        `json:"counts"`
			}
			if err := json.Unmarshal([]byte(sv), &got); err != nil {
				t.Fatalf("%q --print %s: %v", p.src, out, err)
			}
			a := got.Amplitudes[""]
			var ok bool
			switch out {
			case "probs":
				ok = len(got.Probabilities) == 1 && got.Probabilities[""] == 1
			case "amps":
				ok = len(got.Amplitudes) == 1 && math.Abs(a[0]-math.Cos(p.phase)) < 1e-15 && math.Abs(a[1]-math.Sin(p.phase)) < 1e-15
			case "counts":
				ok = len(got.Counts) == 1 && got.Counts[""] == 5
			}
			if !ok {
				t.Errorf("%q --print %s: %s", p.src, out, sv)
			}
		}
	}
}
