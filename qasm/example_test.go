package qasm_test

import (
	"errors"
	"fmt"

	"born/qasm"
)

func ExampleParse() {
	src := `OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
creg c[2];
h q[0];
cx q[0], q[1];
rz(-pi/4) q;
measure q -> c;
`
	c, warnings, err := qasm.Parse("bell.qasm", []byte(src), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.NumQubits, "qubits,", c.NumClbits, "bits,", len(warnings), "warnings")
	for _, op := range c.Ops {
		name := op.Kind.String()
		if op.Gate != nil {
			name = op.Gate.Name
		}
		fmt.Println(name, op.Params, op.Qubits, op.Clbits)
	}
	// Output:
	// 2 qubits, 2 bits, 0 warnings
	// h [] [0] []
	// cx [] [0 1] []
	// rz [-0.7853981633974483] [0] []
	// rz [-0.7853981633974483] [1] []
	// measure [] [0] [0]
	// measure [] [1] [1]
}

func ExampleParse_errors() {
	src := `OPENQASM 2.0
include "qelib1.inc";
qreg q[2];
mcx q[0], q[1];
rx(ln(0)) q[2];
`
	_, _, err := qasm.Parse("bad.qasm", []byte(src), nil)
	fmt.Println(err)
	var list qasm.ErrorList
	if errors.As(err, &list) {
		fmt.Println(len(list), "errors; the first at line", list[0].Line, "column", list[0].Col)
	}
	// Output:
	// bad.qasm:2:1: expected ';', found 'include'
	// bad.qasm:4:1: unknown gate 'mcx' (not declared; missing include?)
	// bad.qasm:5:4: expression ln(0) evaluates to -Inf
	// 3 errors; the first at line 2 column 1
}

func ExampleParse_warnings() {
	src := `include "qelib1.inc";
gate cu a, b { cx a, b; }
qreg q[2];
cu q[0], q[1];
`
	c, warnings, err := qasm.Parse("old.qasm", []byte(src), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, w := range warnings {
		fmt.Println(w)
	}
	fmt.Println(c.Ops[0].Gate.Lib, "gate", c.Ops[0].Gate.Name)
	// Output:
	// old.qasm:1:1: warning: missing 'OPENQASM 2.0;' line; reading the file as OpenQASM 2.0
	// old.qasm:2:6: warning: gate 'cu' redefines the qelib1.inc gate; using the new definition
	// user gate cu
}

func ExampleOptions_allowOpaque() {
	src := `OPENQASM 2.0;
qreg q[2];
opaque ecr a, b;
ecr q[0], q[1];
`
	_, _, err := qasm.Parse("x.qasm", []byte(src), nil)
	fmt.Println(err)
	c, _, err := qasm.Parse("x.qasm", []byte(src), &qasm.Options{AllowOpaque: true})
	fmt.Println(err, c.Ops[0].Gate.Name, c.Ops[0].Gate.Opaque)
	// Output:
	// x.qasm:4:1: cannot apply opaque gate 'ecr' (declared at x.qasm:3:8 without a definition, so it cannot be simulated)
	// <nil> ecr true
}

func ExampleParseFile() {
	// main.qasm includes "lib/swap.inc", found relative to main.qasm.
	c, _, err := qasm.ParseFile("testdata/include/main.qasm", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range c.Defs {
		fmt.Println(d.Name, d.QubitNames, len(d.Body), "ops")
	}
	// Output:
	// swap2 [a b] 3 ops
}

func ExampleParse_openQASM3() {
	src := `OPENQASM 3.0;
include "stdgates.inc";
input float[64] theta;
input array[float[64], 2] w;
qubit[2] q;
bit[2] c;
for int i in [0:1] ry(w[i]) q[i];
ctrl @ rz(2 * theta + 1) q[0], q[1];
c = measure q;
if (c == 3) { x q[0]; } else { gphase(pi / 2); }
`
	c, _, err := qasm.Parse("ansatz.qasm", []byte(src), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("trainable parameters:", c.Symbols)
	for _, op := range c.Ops[:3] {
		fmt.Println(op.Mods, op.Gate.Name, op.Params, op.Qubits)
	}
	fmt.Println(c.Ops[5].Gate.Name, c.Ops[5].Cond, c.Ops[6].Gate.Name, c.Ops[6].Cond)
	// Output:
	// trainable parameters: [theta w[0] w[1]]
	// [] ry [w[0]] [0]
	// [] ry [w[1]] [1]
	// [ctrl @] rz [2*theta+1] [0 1]
	// x [{[0 1] 3 false}] gphase [{[0 1] 3 true}]
}

func ExampleParse_unsupported() {
	src := `OPENQASM 3.0;
include "stdgates.inc";
qubit q;
bit b;
def flip(qubit a) { x a; }
while (b == 0) { b = measure q; }
`
	_, _, err := qasm.Parse("loop.qasm", []byte(src), nil)
	fmt.Println(err)
	// Output:
	// loop.qasm:5:1: subroutine definitions (def) are not supported
	// loop.qasm:6:1: while loops are not supported
}

func ExampleFormat() {
	src := `OPENQASM 3.0;
include "stdgates.inc";
input float[64] theta;
qubit[2] q;
h q[0];
ctrl @ rz(theta) q[0], q[1];
`
	c, _, err := qasm.Parse("in.qasm", []byte(src), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	// OpenQASM 2 has no parameters and no modifiers: bind theta, and the
	// controlled rz becomes Qiskit's cu with its phase.
	out, err := qasm.Format(c, qasm.WriteOptions{Version: 2, Params: map[string]float64{"theta": 0.5}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(out))
	// Output:
	// OPENQASM 2.0;
	// include "qelib1.inc";
	// qreg q[2];
	// h q[0];
	// cu(0, 0, 0.5, -0.25) q[0], q[1];
}

func ExampleFormat_globalPhase() {
	// stdgates.inc's rz is e^{-i lambda/2} times qelib1.inc's: written as
	// OpenQASM 2, the difference is kept by a helper gate.
	c, _, _ := qasm.Parse("in.qasm", []byte("OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit q;\nrz(0.5) q;\n"), nil)
	out, _ := qasm.Format(c, qasm.WriteOptions{Version: 2})
	fmt.Print(string(out))
	// Output:
	// OPENQASM 2.0;
	// include "qelib1.inc";
	// gate global_phase(gamma) q {
	//   u1(gamma) q;
	//   x q;
	//   u1(gamma) q;
	//   x q;
	// }
	// gate rz_std(lambda) a {
	//   rz(lambda) a;
	//   global_phase(-(lambda/2)) a;
	// }
	// qreg q[1];
	// rz_std(0.5) q[0];
}
