package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"born/bornmachine"
	"born/circuit"
	"born/transpile"
)

// runExportCmd runs born export with args and returns stdout, stderr and
// the error.
func runExportCmd(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	cmd := newExportCmd(nil)
	var out, errOut bytes.Buffer
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetIn(strings.NewReader(""))
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.Execute()
	return out.String(), errOut.String(), err
}

func writeTemp(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const exportBell = `OPENQASM 3.0;
include "stdgates.inc";
input float theta;
qubit[3] q;
rx(theta) q[0];
h q[0];
cx q[0], q[2];
ccx q[0], q[2], q[1];
`

const exportBellBound = `OPENQASM 2.0;
include "qelib1.inc";
qreg q[3];
h q[0];
cx q[0], q[2];
ccx q[0], q[2], q[1];
`

func TestExportTargets(t *testing.T) {
	dir := t.TempDir()
	src := writeTemp(t, dir, "bell.qasm", exportBellBound)
	for _, tg := range transpile.Targets() {
		out := filepath.Join(dir, tg.Name+".out")
		rep := filepath.Join(dir, tg.Name+".json")
		stdout, _, err := runExportCmd(t, src, "--target", tg.Name, "-o", out, "--report", rep)
		if err != nil {
			t.Fatalf("%s: %v", tg.Name, err)
		}
		if !strings.Contains(stdout, "verified") {
			t.Errorf("%s: summary %q", tg.Name, stdout)
		}
		data, err := os.ReadFile(out)
		if err != nil || len(data) == 0 {
			t.Fatalf("%s: no output: %v", tg.Name, err)
		}
		var r transpile.Report
		raw, _ := os.ReadFile(rep)
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatalf("%s: report: %v", tg.Name, err)
		}
		if r.Verification == nil || r.Verification.Method == "skipped" || r.Verification.MaxDiff > 1e-10 || len(r.FinalLayout) != 3 || len(r.Measurements) != 3 {
			t.Errorf("%s: report %+v", tg.Name, r)
		}
		if tg.Name == "ibm-heron" && (!strings.Contains(string(data), "cz $") || !strings.Contains(string(data), "// final layout:")) {
			t.Errorf("ibm-heron output:\n%s", data)
		}
	}
}

func TestExportSymbolicAndParams(t *testing.T) {
	dir := t.TempDir()
	src := writeTemp(t, dir, "p.qasm", exportBell)
	// Kept symbolic for braket, on standard output.
	stdout, stderr, err := runExportCmd(t, src, "--target", "braket", "--symbolic")
	if err != nil || !strings.Contains(stdout, "input float theta;") || !strings.Contains(stderr, "verified") {
		t.Fatalf("braket --symbolic: %v\n%s\n%s", err, stdout, stderr)
	}
	// Bound by --param and by --params.
	if _, _, err := runExportCmd(t, src, "--target", "quil", "--param", "theta=0.25"); err != nil {
		t.Fatal(err)
	}
	pf := writeTemp(t, dir, "p.json", `{"theta": 1.5}`)
	stdout, _, err = runExportCmd(t, src, "--target", "ionq", "--params", pf)
	if err != nil || !strings.Contains(stdout, `"gateset":"qis"`) {
		t.Fatalf("ionq --params: %v\n%s", err, stdout)
	}
}

// A trained model's circuit is exported with its parameters.
func TestExportModel(t *testing.T) {
	dir := t.TempDir()
	a, err := bornmachine.ParseAnsatz("qcbm:2:line", 4, nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := bornmachine.NewAnsatzQCBM(a, nil)
	if err != nil {
		t.Fatal(err)
	}
	m.RandomizeParams(3)
	mf, err := bornmachine.NewModelFile(m)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(mf)
	if err != nil {
		t.Fatal(err)
	}
	path := writeTemp(t, dir, "model.json", string(raw))
	out := filepath.Join(dir, "qcbm.qasm")
	if _, _, err := runExportCmd(t, path, "--target", "ibm-eagle", "-o", out); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(out)
	if !strings.Contains(string(data), "ecr $") || strings.Contains(string(data), "input") {
		t.Errorf("model export:\n%s", data)
	}
	// The run directory works too, and the export carries the trained
	// parameters: running it gives the model's own probabilities.
	stdout, _, err := runExportCmd(t, dir, "--target", "qasm3")
	if err != nil {
		t.Fatal(err)
	}
	out3 := writeTemp(t, t.TempDir(), "qcbm3.qasm", stdout)
	probs, _, err := runBorn(t, "", "run", out3, "--output", "probs", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var got struct{ Probabilities map[string]float64 }
	if err := json.Unmarshal([]byte(probs), &got); err != nil {
		t.Fatal(err)
	}
	want, err := m.Probabilities()
	if err != nil {
		t.Fatal(err)
	}
	for x, p := range want {
		if g := got.Probabilities[circuit.FormatBits(uint64(x), m.NumBits())]; math.Abs(g-p) > 1e-10 {
			t.Errorf("P(%04b) = %v from the export, %v from the model", x, g, p)
		}
	}
}

func TestExportBadInput(t *testing.T) {
	dir := t.TempDir()
	src := writeTemp(t, dir, "p.qasm", exportBell)
	bound := writeTemp(t, dir, "b.qasm", exportBellBound)
	islands := writeTemp(t, dir, "islands.json", `[[0,1],[2,3]]`)
	small := writeTemp(t, dir, "small.json", `[[0,1]]`)
	badJSON := writeTemp(t, dir, "bad.json", `{"theta": "x"}`)
	opaque := writeTemp(t, dir, "opaque.qasm", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nopaque magic a, b;\nqreg q[2];\nmagic q[0], q[1];\n")
	big := writeTemp(t, dir, "big.qasm", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[17];\nh q;\n")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no target", []string{bound}, "--target is required"},
		{"unknown target", []string{bound, "--target", "ibm-condor"}, "unknown target"},
		{"disconnected map", []string{bound, "--target", "ibm-heron", "--coupling", islands}, "disconnected"},
		{"map too small", []string{bound, "--target", "quil", "--coupling", small}, "has 2 qubits but the circuit needs 3"},
		{"missing map", []string{bound, "--target", "quil", "--coupling", filepath.Join(dir, "nope.json")}, "--coupling"},
		{"unbound parameter", []string{src, "--target", "ibm-heron"}, `parameter "theta" unbound`},
		{"unknown parameter", []string{bound, "--target", "quil", "--param", "phi=1"}, `no parameter "phi"`},
		{"bad --param", []string{src, "--target", "quil", "--param", "theta"}, "want NAME=VALUE"},
		{"bad --param value", []string{src, "--target", "quil", "--param", "theta=NaN"}, "must be finite"},
		{"bad --params", []string{src, "--target", "quil", "--params", badJSON}, "is not a number or an array of numbers"},
		{"no decomposition", []string{opaque, "--target", "ibm-heron"}, "opaque"},
		{"symbolic not accepted", []string{src, "--target", "ionq", "--symbolic"}, "cannot keep parameters symbolic"},
		{"too large to verify", []string{big, "--target", "qasm3"}, "--no-verify"},
	}
	for _, c := range cases {
		_, _, err := runExportCmd(t, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
	// Nothing is written on error.
	out := filepath.Join(dir, "never.qasm")
	if _, _, err := runExportCmd(t, src, "--target", "ibm-heron", "-o", out); err == nil {
		t.Fatal("no error")
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("an output was written after an error: %v", err)
	}
	// --no-verify exports large circuits.
	if _, _, err := runExportCmd(t, big, "--target", "ibm-heron", "--no-verify", "-o", filepath.Join(dir, "big.out")); err != nil {
		t.Errorf("--no-verify: %v", err)
	}
}

// born export --target braket drops barriers, which Braket's list of
// supported statements does not have; the file still verifies.
func TestExportBraketDropsBarriers(t *testing.T) {
	src := writeTemp(t, t.TempDir(), "b.qasm", `OPENQASM 2.0;
include "qelib1.inc";
qreg q[3];
creg c[3];
h q[0];
barrier q;
cx q[0], q[1];
barrier q[1], q[2];
cx q[1], q[2];
measure q -> c;
`)
	for _, target := range []string{"braket", "braket-ionq"} {
		out, errOut, err := runExportCmd(t, src, "--target", target)
		if err != nil {
			t.Fatalf("%s: %v", target, err)
		}
		if strings.Contains(out, "barrier") || !strings.Contains(errOut, "verified") {
			t.Errorf("%s:\n%s\n%s", target, out, errOut)
		}
	}
}

// An angle too large to decompose in float64 is named, with its operation
// and a reduced angle to write instead, not reported as a bug; qasm3
// writes it as it is.
func TestExportIllConditionedAngle(t *testing.T) {
	src := writeTemp(t, t.TempDir(), "big.qasm", `OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
h q[0];
rx(3.0e15) q[1];
cx q[0], q[1];
`)
	for _, target := range []string{"ibm-heron", "braket", "ionq", "quil"} {
		_, _, err := runExportCmd(t, src, "--target", target)
		if err == nil {
			t.Fatalf("%s: exported", target)
		}
		msg := err.Error()
		if strings.Contains(msg, "bug in born") || !strings.Contains(msg, "big.qasm: op 1 (rx(3e+15) q[1]): angle 3e+15 rad") ||
			!strings.Contains(msg, "modulo 4*pi") {
			t.Errorf("%s: %v", target, err)
		}
	}
	if _, _, err := runExportCmd(t, src, "--target", "qasm3"); err != nil {
		t.Errorf("qasm3: %v", err)
	}
}
