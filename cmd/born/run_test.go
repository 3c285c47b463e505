package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
)

// runBorn runs the born command line with args and stdin, returning stdout,
// stderr and the error.
func runBorn(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	root := newRootCmd(strings.NewReader(stdin), &out, &errOut)
	root.SetArgs(args)
	err := root.Execute()
	return out.String(), errOut.String(), err
}

const bellNoMeasure = `OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
h q[0];
cx q[0], q[1];
`

func TestRunProbsJSON(t *testing.T) {
	out, _, err := runBorn(t, bellNoMeasure, "run", "-", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Qubits        int                `json:"qubits"`
		Probabilities map[string]float64 `json:"probabilities"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("bad JSON %q: %v", out, err)
	}
	if got.Qubits != 2 || len(got.Probabilities) != 2 ||
		math.Abs(got.Probabilities["00"]-0.5) > 1e-15 || math.Abs(got.Probabilities["11"]-0.5) > 1e-15 {
		t.Errorf("Bell probabilities = %+v", got)
	}
	// JSON keys appear in index order.
	if strings.Index(out, `"00"`) > strings.Index(out, `"11"`) {
		t.Errorf("keys out of index order:\n%s", out)
	}
}

func TestRunAmpsJSON(t *testing.T) {
	// q[0] = |1>, q[1] = |->: amplitudes of 01 (+1/sqrt2) and 11 (-1/sqrt2),
	// and the qelib1 t gate's phase e^{i pi/4} on q[0]=1.
	src := `OPENQASM 2.0; include "qelib1.inc"; qreg q[2]; x q[0]; t q[0]; x q[1]; h q[1];`
	out, _, err := runBorn(t, src, "run", "-", "--print", "amps", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Amplitudes map[string][2]float64 `json:"amplitudes"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	r := 1 / math.Sqrt2
	want := map[string][2]float64{"01": {r * r, r * r}, "11": {-r * r, -r * r}}
	if len(got.Amplitudes) != 2 {
		t.Fatalf("amplitudes = %v", got.Amplitudes)
	}
	for k, w := range want {
		g := got.Amplitudes[k]
		if math.Abs(g[0]-w[0]) > 1e-15 || math.Abs(g[1]-w[1]) > 1e-15 {
			t.Errorf("amplitude %s = %v, want %v", k, g, w)
		}
	}
}

func TestRunCountsDeterministic(t *testing.T) {
	args := []string{"run", "../../examples/testdata/bell.qasm", "--shots", "20000", "--seed", "42", "--format", "json"}
	out1, _, err := runBorn(t, "", args...)
	if err != nil {
		t.Fatal(err)
	}
	out2, _, _ := runBorn(t, "", args...)
	if out1 != out2 {
		t.Error("same seed gave different counts")
	}
	var got struct {
		Qubits, Clbits, Shots int
		Seed                  uint64
		Counts                map[string]int
	}
	if err := json.Unmarshal([]byte(out1), &got); err != nil {
		t.Fatal(err)
	}
	if got.Qubits != 2 || got.Clbits != 2 || got.Shots != 20000 || got.Seed != 42 {
		t.Errorf("header = %+v", got)
	}
	if len(got.Counts) != 2 || got.Counts["00"]+got.Counts["11"] != 20000 {
		t.Fatalf("counts = %v", got.Counts)
	}
	// Binomial(20000, 1/2): 6 standard deviations is 424.
	if d := got.Counts["00"] - 10000; d > 424 || d < -424 {
		t.Errorf("counts %v are 6 sigma away from 1/2", got.Counts)
	}
	out3, _, _ := runBorn(t, "", "run", "../../examples/testdata/bell.qasm", "--shots", "20000", "--seed", "43", "--format", "json")
	if out3 == out1 {
		t.Error("different seeds gave identical counts")
	}
}

// Teleportation runs shot by shot; q[2] ends in u3(0.3,0.2,0.1)|0>, so
// P(c2 = 1) = sin^2(0.15) whatever c0 and c1 read.
func TestRunTeleportShotByShot(t *testing.T) {
	out, _, err := runBorn(t, "", "run", "../../examples/testdata/teleport.qasm", "--shots", "100000", "--seed", "3", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var got struct{ Counts map[string]int }
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	ones, total := 0, 0
	for k, v := range got.Counts {
		if len(k) != 5 || k[1] != ' ' || k[3] != ' ' {
			t.Fatalf("key %q: want registers c2 c1 c0 separated by spaces", k)
		}
		total += v
		if k[0] == '1' {
			ones += v
		}
	}
	p := math.Pow(math.Sin(0.15), 2)
	sd := math.Sqrt(p * (1 - p) / float64(total))
	if f := float64(ones) / float64(total); math.Abs(f-p) > 6*sd {
		t.Errorf("P(c2=1) = %.5f, want %.5f +- %.5f", f, p, 6*sd)
	}
	// The exact averaged distribution: q[2] is 1 with probability sin^2(0.15).
	out, _, err = runBorn(t, "", "run", "../../examples/testdata/teleport.qasm", "--print", "probs", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var probs struct{ Probabilities map[string]float64 }
	if err := json.Unmarshal([]byte(out), &probs); err != nil {
		t.Fatal(err)
	}
	var p1 float64
	for k, v := range probs.Probabilities {
		if k[0] == '1' {
			p1 += v
		}
	}
	if math.Abs(p1-p) > 1e-12 {
		t.Errorf("exact P(q2=1) = %.15f, want %.15f", p1, p)
	}
}

func TestRunTextOutput(t *testing.T) {
	out, _, err := runBorn(t, "", "run", "../../examples/testdata/ghz.qasm")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"q[4]...q[0]", "00000  0.500000000000", "11111  0.500000000000"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
}

func TestRunErrors(t *testing.T) {
	cases := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"parse error positioned", "OPENQASM 2.0;\nqreg q[1];\nfoo q[0];\n", []string{"run", "-"}, "<stdin>:3:1: unknown gate 'foo'"},
		{"missing file", "", []string{"run", "no/such/file.qasm"}, "no such file"},
		{"bad output", bellNoMeasure, []string{"run", "-", "--print", "histogram"}, `--print "histogram"`},
		{"bad format", bellNoMeasure, []string{"run", "-", "--format", "xml"}, `--format "xml"`},
		{"zero shots", bellNoMeasure, []string{"run", "-", "--shots", "0"}, "--shots 0"},
		{"amps after measurement", "OPENQASM 2.0; include \"qelib1.inc\"; qreg q[1]; creg c[1]; h q[0]; measure q[0] -> c[0]; x q[0];",
			[]string{"run", "-", "--print", "amps"}, "--print amps needs a circuit without measurement"},
		{"too large", "OPENQASM 2.0; include \"qelib1.inc\"; qreg q[40]; h q;", []string{"run", "-", "--print", "counts"}, "<stdin>:1:49: the program acts on more than"},
		{"single too large", "OPENQASM 2.0; include \"qelib1.inc\"; qreg q[31]; h q;", []string{"run", "-", "--print", "counts", "--precision", "single"}, "31-qubit state vector needs 16 GiB"},
		{"max memory", bellNoMeasure, []string{"run", "-", "--max-memory", "32B"}, "--max-memory raises the limit"},
		{"bad max memory", bellNoMeasure, []string{"run", "-", "--max-memory", "lots"}, "--max-memory"},
		{"bad precision", bellNoMeasure, []string{"run", "-", "--precision", "quad"}, "--precision"},
		{"unbound input", "OPENQASM 3.0; include \"stdgates.inc\"; input float[64] w; qubit q; rx(w) q;", []string{"run", "-"}, `parameter "w" is unbound`},
		{"unknown param", "OPENQASM 3.0; include \"stdgates.inc\"; input float[64] w; qubit q; rx(w) q;", []string{"run", "-", "--param", "w=1", "--param", "u=2"}, `unknown parameter "u"`},
		{"bad param", bellNoMeasure, []string{"run", "-", "--param", "t"}, "--param"},
		{"probs too wide", "OPENQASM 2.0; include \"qelib1.inc\"; qreg q[40]; h q;", []string{"run", "-", "--engine", "mps"}, "above 30 qubits use --print counts"},
		{"bond dim 0", bellNoMeasure, []string{"run", "-", "--engine", "mps", "--bond-dim", "0"}, "--bond-dim 0"},
		{"negative cutoff", bellNoMeasure, []string{"run", "-", "--engine", "mps", "--cutoff", "-1"}, "--cutoff -1"},
		{"unknown engine", bellNoMeasure, []string{"run", "-", "--engine", "gpu"}, `--engine "gpu"`},
		{"bad bitstring", bellNoMeasure, []string{"run", "-", "--print", "amps", "--bitstrings", "012"}, "need 2 bits"},
		{"opaque applied", "OPENQASM 2.0; opaque ecr a, b; qreg q[2]; ecr q[0], q[1];", []string{"run", "-"}, "opaque"},
		{"empty", "", []string{"run", "-"}, "<stdin>"},
	}
	for _, tc := range cases {
		_, _, err := runBorn(t, tc.stdin, tc.args...)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %q lacks %q", tc.name, err, tc.want)
		}
	}
}

// GHZ on 1000 qubits on the MPS engine: the bond dimension stays 2, nothing
// is truncated, and every shot reads all zeros or all ones, about half each.
func TestRunMPSGHZ1000(t *testing.T) {
	var src strings.Builder
	src.WriteString("OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1000];\ncreg c[1000];\nh q[0];\n")
	for i := 0; i < 999; i++ {
		fmt.Fprintf(&src, "cx q[%d], q[%d];\n", i, i+1)
	}
	src.WriteString("measure q -> c;\n")
	out, _, err := runBorn(t, src.String(), "run", "-", "--engine", "mps", "--shots", "2000", "--seed", "5", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Counts           map[string]int `json:"counts"`
		Engine           string         `json:"engine"`
		MaxBond          int            `json:"max_bond"`
		DiscardedWeight  float64        `json:"discarded_weight"`
		FidelityEstimate float64        `json:"fidelity_estimate"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	zeros, ones := strings.Repeat("0", 1000), strings.Repeat("1", 1000)
	if len(got.Counts) != 2 || got.Counts[zeros]+got.Counts[ones] != 2000 {
		t.Fatalf("GHZ-1000 gave %d distinct outcomes", len(got.Counts))
	}
	if d := got.Counts[zeros] - 1000; d > 6*22 || d < -6*22 { // sd = sqrt(2000)/2
		t.Errorf("all-zeros %d times in 2000", got.Counts[zeros])
	}
	if got.Engine != "mps" || got.MaxBond != 2 || got.DiscardedWeight > 1e-12 || got.FidelityEstimate < 1-1e-12 {
		t.Errorf("accounting = %+v", got)
	}
	// Chosen amplitudes of a wide state.
	out, _, err = runBorn(t, strings.Replace(src.String(), "measure q -> c;\n", "", 1), "run", "-", "--engine", "mps",
		"--print", "amps", "--bitstrings", zeros+","+ones+","+strings.Repeat("0", 999)+"1", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var amps struct{ Amplitudes map[string][2]float64 }
	if err := json.Unmarshal([]byte(out), &amps); err != nil {
		t.Fatal(err)
	}
	r := 1 / math.Sqrt2
	if a := amps.Amplitudes[zeros]; math.Abs(a[0]-r) > 1e-12 || math.Abs(a[1]) > 1e-12 {
		t.Errorf("amplitude of all zeros = %v", a)
	}
	if a := amps.Amplitudes[ones]; math.Abs(a[0]-r) > 1e-12 {
		t.Errorf("amplitude of all ones = %v", a)
	}
	if a := amps.Amplitudes[strings.Repeat("0", 999)+"1"]; math.Abs(a[0]) > 1e-12 || math.Abs(a[1]) > 1e-12 {
		t.Errorf("amplitude of 0...01 = %v", a)
	}
}

// Single precision gives the same probabilities to float32 accuracy.
func TestRunSinglePrecision(t *testing.T) {
	out, _, err := runBorn(t, "", "run", "../../examples/testdata/teleport.qasm", "--print", "probs", "--format", "json", "--precision", "single")
	if err != nil {
		t.Fatal(err)
	}
	var got struct{ Probabilities map[string]float64 }
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	p1 := math.Pow(math.Sin(0.15), 2) / 4 // q2 = 1 and a given (c0, c1)
	if d := math.Abs(got.Probabilities["100"] - p1); d > 1e-6 {
		t.Errorf("P(100) = %v, want %v", got.Probabilities["100"], p1)
	}
}

// An OpenQASM 3 file with input parameters, bound on the command line.
func TestRunQASM3Params(t *testing.T) {
	src := `OPENQASM 3.0;
include "stdgates.inc";
input float[64] a;
input array[float[64], 2] th;
qubit[2] q;
ry(2*a) q[0];
ry(th[0] + th[1]) q[1];
`
	out, _, err := runBorn(t, src, "run", "-", "--param", "a=0.3", "--param", "th[0]=0.5", "--param", "th[1]=0.25", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var got struct{ Probabilities map[string]float64 }
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	// q[0] = ry(0.6)|0>, q[1] = ry(0.75)|0>: P(11) = sin^2(0.3) sin^2(0.375).
	want := math.Pow(math.Sin(0.3), 2) * math.Pow(math.Sin(0.375), 2)
	if math.Abs(got.Probabilities["11"]-want) > 1e-15 {
		t.Errorf("P(11) = %v, want %v", got.Probabilities["11"], want)
	}
}
