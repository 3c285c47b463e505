package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"born/circuit"
	"born/qasm"
)

// convert runs born convert with args and stdin, returning stdout, stderr
// and the error.
func convert(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	cmd := newConvertCmd(nil)
	var out, errOut bytes.Buffer
	cmd.SetIn(strings.NewReader(stdin))
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(args)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.Execute()
	return out.String(), errOut.String(), err
}

const ansatz3 = `OPENQASM 3.0;
include "stdgates.inc";
input float[64] theta;
input array[float[64], 2] w;
qubit[2] q;
bit[2] c;
rz(2*theta+1) q[0];
ctrl @ ry(w[0]) q[0], q[1];
U(w[1], 0.2, 0.3) q[1];
gphase(theta);
c = measure q;
`

func unitaryOf(t *testing.T, src string, vals map[string]float64) circuit.Matrix {
	t.Helper()
	c, _, err := qasm.Parse("x.qasm", []byte(src), nil)
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	// Drop the measurements to compare unitaries.
	var ops []circuit.Op
	for _, op := range c.Ops {
		if op.Kind != circuit.Measure {
			ops = append(ops, op)
		}
	}
	c.Ops = ops
	if vals != nil {
		if c, err = c.BindMap(vals); err != nil {
			t.Fatal(err)
		}
	}
	u, err := c.Unitary(nil)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestConvert(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "ansatz.qasm")
	if err := os.WriteFile(in, []byte(ansatz3), 0o644); err != nil {
		t.Fatal(err)
	}
	pfile := filepath.Join(dir, "p.json")
	if err := os.WriteFile(pfile, []byte(`{"theta": 0.25, "w": [0.5, -1.5]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	vals := map[string]float64{"theta": 0.25, "w[0]": 0.5, "w[1]": -1.5}
	want := unitaryOf(t, ansatz3, vals)

	// To OpenQASM 2 with the parameters from a file, atomically to -o.
	out := filepath.Join(dir, "out.qasm")
	if err := os.WriteFile(out, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	stdout, _, err := convert(t, "", in, "--to", "qasm2", "--params", pfile, "-o", out)
	if err != nil || stdout != "" {
		t.Fatalf("convert: %v (stdout %q)", err, stdout)
	}
	q2, err := os.ReadFile(out)
	if err != nil || !strings.HasPrefix(string(q2), "OPENQASM 2.0;") {
		t.Fatalf("output: %v\n%s", err, q2)
	}
	if st, _ := os.Stat(out); st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v", st.Mode())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 3 {
		t.Errorf("temporary files left: %v", entries)
	}
	if d := circuit.MaxDiff(unitaryOf(t, string(q2), nil), want); d > 1e-12 {
		t.Errorf("qasm2 unitary differs by %g\n%s", d, q2)
	}

	// Back to OpenQASM 3 from standard input, flattened.
	q3, _, err := convert(t, string(q2), "-", "--to", "qasm3", "--flatten")
	if err != nil {
		t.Fatal(err)
	}
	if d := circuit.MaxDiff(unitaryOf(t, q3, nil), want); d > 1e-12 {
		t.Errorf("qasm3 unitary differs by %g\n%s", d, q3)
	}

	// OpenQASM 3 keeps unbound parameters as inputs; --param binds one.
	q3, _, err = convert(t, "", in, "--to", "qasm3", "--param", "theta=0.25")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(q3, "input array[float[64], 2] w;") || strings.Contains(q3, "input float[64] theta;") {
		t.Errorf("inputs:\n%s", q3)
	}
	if d := circuit.MaxDiff(unitaryOf(t, q3, map[string]float64{"w[0]": 0.5, "w[1]": -1.5}), want); d > 1e-12 {
		t.Errorf("partly bound unitary differs by %g\n%s", d, q3)
	}
}

func TestConvertErrors(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "a.qasm")
	os.WriteFile(in, []byte(ansatz3), 0o644)
	bad := filepath.Join(dir, "bad.qasm")
	os.WriteFile(bad, []byte("OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit q;\nwhile (true) { x q; }\n"), 0o644)
	out := filepath.Join(dir, "out.qasm")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{in}, "--to is required"},
		{[]string{in, "--to", "qasm4"}, `--to "qasm4": use qasm2 or qasm3`},
		{[]string{in, "--to", "qasm2"}, "OpenQASM 2 has no parameters: bind theta, w[0], w[1]"},
		{[]string{in, "--to", "qasm3", "--param", "phi=1"}, `unknown parameter "phi"`},
		{[]string{in, "--to", "qasm3", "--param", "theta"}, "want NAME=VALUE"},
		{[]string{bad, "--to", "qasm2", "-o", out}, "bad.qasm:4:1: while loops are not supported"},
		{[]string{filepath.Join(dir, "none.qasm"), "--to", "qasm2"}, "no such file"},
	} {
		_, _, err := convert(t, "", tt.args...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: error %v, want %q", tt.args, err, tt.want)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("output written despite an error: %v", err)
	}
}
