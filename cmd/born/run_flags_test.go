package main

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// An explicit --shots on a circuit that measures nothing samples every
// qubit and says so on stderr; without --shots the exact probabilities are
// printed, as before.
func TestRunShotsWithoutMeasurement(t *testing.T) {
	out, errOut, err := runBorn(t, bellNoMeasure, "run", "-", "--shots", "4000", "--seed", "3", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut, "measures nothing; sampling every qubit as if measured") {
		t.Errorf("stderr %q: want a note that the qubits are sampled", errOut)
	}
	var got struct {
		Shots  int            `json:"shots"`
		Counts map[string]int `json:"counts"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Shots != 4000 || len(got.Counts) != 2 || got.Counts["00"]+got.Counts["11"] != 4000 {
		t.Fatalf("counts %+v", got)
	}
	// Binomial(4000, 1/2): 6 sigma is 190.
	if d := got.Counts["00"] - 2000; d > 190 || d < -190 {
		t.Errorf("counts %v are 6 sigma away from 1/2", got.Counts)
	}
	out, errOut, err = runBorn(t, bellNoMeasure, "run", "-")
	if err != nil || errOut != "" || !strings.HasPrefix(out, "# exact probabilities") {
		t.Errorf("without --shots: %v, stderr %q, stdout %q", err, errOut, out)
	}
	// --print probs with --shots: what was asked, without a note.
	out, errOut, err = runBorn(t, bellNoMeasure, "run", "-", "--shots", "10", "--print", "probs")
	if err != nil || errOut != "" || !strings.HasPrefix(out, "# exact probabilities") {
		t.Errorf("--print probs --shots 10: %v, stderr %q, stdout %q", err, errOut, out)
	}
}

// The engine has the names train uses too, mps:CHI sets the bond
// dimension, and the old --output spelling still works, hidden from help.
func TestRunFlagVocabulary(t *testing.T) {
	ref, _, err := runBorn(t, bellNoMeasure, "run", "-", "--print", "probs", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"--engine", "sv"}, {"--engine", "statevector"}, {"--output", "probs"},
	} {
		out, _, err := runBorn(t, bellNoMeasure, append([]string{"run", "-", "--format", "json"}, args...)...)
		if err != nil || out != ref {
			t.Errorf("%v: %v\n%s\nwant\n%s", args, err, out, ref)
		}
	}
	// GHZ(3) on an MPS of bond dimension 1 cannot be exact: mps:1 must cap
	// the bond at 1 as --bond-dim 1 does.
	ghz := "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[3];\nh q[0];\ncx q[0],q[1];\ncx q[1],q[2];\n"
	var a, b struct {
		MaxBond  int     `json:"max_bond"`
		Fidelity float64 `json:"fidelity_estimate"`
	}
	outA, _, err := runBorn(t, ghz, "run", "-", "--engine", "mps:1", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	outB, _, err := runBorn(t, ghz, "run", "-", "--engine", "mps", "--bond-dim", "1", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(outA), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(outB), &b); err != nil {
		t.Fatal(err)
	}
	if a.MaxBond != 1 || outA != outB || math.Abs(a.Fidelity-0.5) > 1e-12 {
		t.Errorf("mps:1 gave %s, --bond-dim 1 gave %s: want max bond 1 and fidelity 1/2 both", outA, outB)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--engine", "mps:8", "--bond-dim", "16"}, "--engine mps:8 and --bond-dim 16 disagree"},
		{[]string{"--engine", "mps:x"}, `--engine "mps:x": the bond dimension must be a whole number`},
		{[]string{"--engine", "gpu"}, `--engine "gpu": use statevector (or sv), mps or mps:CHI`},
		{[]string{"--param", "theta=pi/"}, "not a number or a constant expression"},
	} {
		_, _, err := runBorn(t, bellNoMeasure, append([]string{"run", "-"}, tc.args...)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want %q", tc.args, err, tc.want)
		}
	}
	help, _, err := runBorn(t, "", "run", "--help")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(help, "--output") || !strings.Contains(help, "--print") {
		t.Errorf("run --help shows --output or lacks --print:\n%s", help)
	}
	// --param takes OpenQASM expressions: rx(pi) flips the qubit.
	src := "OPENQASM 3.0;\ninclude \"stdgates.inc\";\ninput float[64] theta;\nqubit q;\nrx(theta) q;\n"
	out, _, err := runBorn(t, src, "run", "-", "--param", "theta=pi", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var probs struct{ Probabilities map[string]float64 }
	if err := json.Unmarshal([]byte(out), &probs); err != nil {
		t.Fatal(err)
	}
	if math.Abs(probs.Probabilities["1"]-1) > 1e-15 {
		t.Errorf("rx(pi)|0>: %v", probs.Probabilities)
	}
}
