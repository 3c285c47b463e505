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
