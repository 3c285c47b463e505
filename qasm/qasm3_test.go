package qasm

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"born/circuit"
)

// embed returns the n-qubit matrix of the k-qubit matrix g acting on
// targets (argument j of g is qubit targets[j]) when every control qubit
// ctl[i] is in state st[i]. It is written independently of package circuit.
func embed(g mat, ctl, st, targets []int, n int) mat {
	d := 1 << n
	m := make(mat, d*d)
	k := len(targets)
	for c := 0; c < d; c++ {
		on := true
		for i, q := range ctl {
			if c>>q&1 != st[i] {
				on = false
			}
		}
		if !on {
			m[c*d+c] = 1
			continue
		}
		// column c: sub-index s of the targets
		s := 0
		for j, q := range targets {
			s |= (c >> q & 1) << j
		}
		for r := 0; r < 1<<k; r++ {
			row := c
			for j, q := range targets {
				row &^= 1 << q
				row |= (r >> j & 1) << q
			}
			m[row*d+c] += g[r*(1<<k)+s]
		}
	}
	return m
}

func scale(s complex128, g mat) mat {
	out := make(mat, len(g))
	for i, v := range g {
		out[i] = s * v
	}
	return out
}

func dagger(g mat) mat {
	d := int(math.Sqrt(float64(len(g))) + 0.5)
	out := make(mat, len(g))
	for i := 0; i < d; i++ {
		for j := 0; j < d; j++ {
			out[j*d+i] = complex(real(g[i*d+j]), -imag(g[i*d+j]))
		}
	}
	return out
}

// mU3 is OpenQASM 3's U: e^{i theta/2} times OpenQASM 2's (Qiskit's) U.
func mU3(t, p, l float64) mat { return scale(ei(t/2), mU(t, p, l)) }

func mRX(t float64) mat {
	c, s := complex(math.Cos(t/2), 0), complex(math.Sin(t/2), 0)
	return mat{c, -1i * s, -1i * s, c}
}

func mRY(t float64) mat {
	c, s := complex(math.Cos(t/2), 0), complex(math.Sin(t/2), 0)
	return mat{c, -s, s, c}
}

func mRZ(t float64) mat { return mat{ei(-t / 2), 0, 0, ei(t / 2)} }

const h3 = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\n"

// TestUnitary3 checks OpenQASM 3 programs against matrices computed in the
// test: the built-in U and gphase, the modifiers on built-in and user gates,
// loops, constants and physical qubits.
func TestUnitary3(t *testing.T) {
	sqrtX := mat{complex(0.5, 0.5), complex(0.5, -0.5), complex(0.5, -0.5), complex(0.5, 0.5)}
	tests := []struct {
		name string
		src  string
		n    int
		want mat
	}{
		{"U is the specification's", "OPENQASM 3.0;\nqubit q;\nU(0.3, -1.1, 0.7) q;", 1, mU3(0.3, -1.1, 0.7)},
		{"gphase", "OPENQASM 3.0;\nqubit[2] q;\ngphase(0.4);", 2, scale(ei(0.4), ident(2))},
		{"ctrl @ gphase is a phase on the control", "OPENQASM 3.0;\nqubit[2] q;\nctrl @ gphase(0.4) q[1];", 2,
			on(mat{1, 0, 0, ei(0.4)}, 1, 2)},
		{"stdgates rz keeps its phase under ctrl", h3 + "qubit[2] q;\nctrl @ rz(0.9) q[0], q[1];", 2,
			embed(mRZ(0.9), []int{0}, []int{1}, []int{1}, 2)},
		{"ctrl @ h", h3 + "qubit[2] q;\nctrl @ h q[1], q[0];", 2, embed(mH, []int{1}, []int{1}, []int{0}, 2)},
		{"negctrl @ x", h3 + "qubit[2] q;\nnegctrl @ x q[0], q[1];", 2, embed(mX, []int{0}, []int{0}, []int{1}, 2)},
		{"ctrl(2) @ x is ccx", h3 + "qubit[3] q;\nctrl(2) @ x q[2], q[0], q[1];", 3, embed(mX, []int{2, 0}, []int{1, 1}, []int{1}, 3)},
		{"ctrl @ negctrl @ y", h3 + "qubit[3] q;\nctrl @ negctrl @ y q[0], q[1], q[2];", 3, embed(mY, []int{0, 1}, []int{1, 0}, []int{2}, 3)},
		{"ctrl @ on a controlled gate", h3 + "qubit[3] q;\nctrl @ cx q[0], q[1], q[2];", 3, embed(mX, []int{0, 1}, []int{1, 1}, []int{2}, 3)},
		{"inv @ s", h3 + "qubit q;\ninv @ s q;", 1, mat{1, 0, 0, -1i}},
		{"inv @ U", "OPENQASM 3.0;\nqubit q;\ninv @ U(0.3, -1.1, 0.7) q;", 1, dagger(mU3(0.3, -1.1, 0.7))},
		{"pow(2) @ t is s", h3 + "qubit q;\npow(2) @ t q;", 1, mS},
		{"pow(-3) @ rx", h3 + "qubit q;\npow(-3) @ rx(0.2) q;", 1, mRX(-0.6)},
		{"pow(0.5) @ x is sx", h3 + "qubit q;\npow(0.5) @ x q;", 1, sqrtX},
		{"inv @ pow(2) @ ctrl @ rx", h3 + "qubit[2] q;\ninv @ pow(2) @ ctrl @ rx(0.5) q[0], q[1];", 2,
			embed(mRX(-1), []int{0}, []int{1}, []int{1}, 2)},
		{"modifiers on a user gate", h3 + "gate g(a) p, r { rz(a) p; cx p, r; }\nqubit[3] q;\nctrl @ inv @ g(0.7) q[2], q[0], q[1];", 3,
			embed(seq(2, dagger(cnot(0, 1, 2)), dagger(on(mRZ(0.7), 0, 2))), []int{2}, []int{1}, []int{0, 1}, 3)},
		{"pow(3) @ user gate", h3 + "gate g a { h a; t a; }\nqubit q;\npow(3) @ g q;", 1, seq(1, mH, mT, mH, mT, mH, mT)},
		{"gphase in a gate body, controlled", "OPENQASM 3.0;\ngate ph(a) q { gphase(a); }\nqubit[2] q;\nctrl @ ph(0.3) q[0], q[1];", 2,
			on(mat{1, 0, 0, ei(0.3)}, 0, 2)},
		{"stdgates sx is sqrt(X)", h3 + "qubit q;\nsx q;", 1, sqrtX},
		{"stdgates u3 phase", h3 + "qubit q;\nu3(0.3, 0.2, 0.1) q;", 1, scale(ei(-0.15), mU(0.3, 0.2, 0.1))},
		{"CX is cx", h3 + "qubit[2] q;\nCX q[0], q[1];", 2, cnot(0, 1, 2)},
		{"for loop", h3 + "qubit[4] q;\nfor int i in [0:2] { cx q[i], q[i+1]; }", 4,
			seq(4, cnot(0, 1, 4), cnot(1, 2, 4), cnot(2, 3, 4))},
		{"for loop with step and set", h3 + "qubit[4] q;\nfor uint i in [3:-2:0] x q[i];\nfor i in {0, 2} h q[i];", 4,
			seq(4, on(mX, 3, 4), on(mX, 1, 4), on(mH, 0, 4), on(mH, 2, 4))},
		{"nested loops", h3 + "qubit[3] q;\nfor int i in [0:1] { for int j in [i+1:2] { cz q[i], q[j]; } }", 3,
			seq(3, embed(mZ, []int{0}, []int{1}, []int{1}, 3), embed(mZ, []int{0}, []int{1}, []int{2}, 3), embed(mZ, []int{1}, []int{1}, []int{2}, 3))},
		{"constants and arithmetic", h3 + "const float[64] a = τ / 8 + π ** 2 - pi**2;\nconst int n = 7 / 2;\nconst angle b = euler - ℇ + a * n / 3;\nqubit q;\nrz(b) q;", 1,
			mRZ(2 * math.Pi / 8)},
		{"real division of integers in a parameter", h3 + "qubit q;\nrx(3 / 5) q;", 1, mRX(0.6)},
		{"functions", h3 + "qubit q;\nrx(arccos(0.5) + log(euler) - sqrt(1) + pow(2, 3) - mod(9, 4) * floor(1.5) - 7) q;", 1,
			mRX(math.Acos(0.5) + 1 - 1 + 8 - 1 - 7)},
		{"casts and bit of an integer", h3 + "const uint[4] v = 0b0101;\nqubit[4] q;\nfor int i in [0:3] { if (bool(v[i])) x q[i]; }", 4,
			seq(4, on(mX, 0, 4), on(mX, 2, 4))},
		{"physical qubits", h3 + "h $1;\ncx $1, $0;", 2, seq(2, on(mH, 1, 2), cnot(1, 0, 2))},
		{"slice broadcast", h3 + "qubit[4] q;\nh q[1:2];\nx q[0:2:3];", 4,
			seq(4, on(mH, 1, 4), on(mH, 2, 4), on(mX, 0, 4), on(mX, 2, 4))},
		{"negative index", h3 + "qubit[3] q;\nx q[-1];", 3, on(mX, 2, 3)},
		{"old-style registers", h3 + "qreg q[2];\ncreg c[2];\ncx q[0], q[1];", 2, cnot(0, 1, 2)},
		{"static if and else", h3 + "const int k = 2;\nqubit q;\nif (k == 2) { h q; } else { x q; }\nif (k > 5 || false) z q; else s q;", 1,
			seq(1, mH, mS)},
		{"empty gate body", h3 + "gate post q { }\nqubit q;\npost q;", 1, ident(1)},
		{"comments", "// line\nOPENQASM 3.0; /* block\n comment */ include \"stdgates.inc\";\nqubit q; // x\nx q;", 1, mX},
		{"hex, octal, underscores", h3 + "const int a = 0x1_0 + 0o7 - 0b11 - 2_0;\nqubit q;\nrz(a) q;", 1, mRZ(0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := mustParse(t, tt.src, nil)
			if c.NumQubits != tt.n {
				t.Fatalf("NumQubits = %d, want %d", c.NumQubits, tt.n)
			}
			u, err := c.Unitary(nil)
			if err != nil {
				t.Fatal(err)
			}
			if d := maxDiff(u, tt.want); d > 1e-12 {
				t.Errorf("unitary differs by %g\ngot  %v\nwant %v", d, u, tt.want)
			}
		})
	}
}

// TestOps3 checks measurement, reset, barrier and conditions.
func TestOps3(t *testing.T) {
	src := h3 + `qubit[2] q;
bit[2] c;
bit b;
c = measure q;
c[1] = measure q[0];
measure q[1] -> b;
reset q[0];
barrier;
if (c == 2) { x q[0]; h q[1]; } else { z q[0]; }
if (c[0]) y q[1];
if (!b) s q[0];
if (int[2](c) != 1 && b == 1) t q[0];
if (c[1] == 0) { if (b) { sdg q[1]; } }
`
	c, _ := mustParse(t, src, nil)
	var got []string
	for _, op := range c.Ops {
		got = append(got, fmtOp(op))
	}
	want := []string{
		"measure q[0] c[0]", "measure q[1] c[1]", "measure q[0] c[1]", "measure q[1] c[2]", "reset q[0]", "barrier q[0 1]",
		"x q[0] if[0 1]==2", "h q[1] if[0 1]==2", "z q[0] if[0 1]!=2",
		"y q[1] if[0]!=0", "s q[0] if[2]==0", "t q[0] if[0 1]!=1 if[2]==1", "sdg q[1] if[1]==0 if[2]!=0",
	}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("ops:\ngot  %v\nwant %v", got, want)
	}
}

// fmtOp prints an operation compactly: name, qubits, bits, conditions.
func fmtOp(op circuit.Op) string {
	s := op.Kind.String()
	if op.Gate != nil {
		s = op.Gate.Name
	}
	s += fmt.Sprintf(" q%v", op.Qubits)
	if len(op.Clbits) > 0 {
		s += fmt.Sprintf(" c%v", op.Clbits)
	}
	for _, c := range op.Cond {
		eq := "=="
		if c.Negate {
			eq = "!="
		}
		s += fmt.Sprintf(" if%v%s%d", c.Clbits, eq, c.Value)
	}
	return s
}

// TestInputs3: inputs are the circuit's symbols in declaration order; an
// input array gives name[0] ... name[N-1]; gate parameters stay symbolic.
func TestInputs3(t *testing.T) {
	src := h3 + `input float[64] alpha;
input array[float[64], 3] theta;
input angle beta;
input float gamma;
float twice = 2 * alpha;
qubit[2] q;
rx(theta[2]) q[0];
ry(twice + beta) q[1];
for int i in [0:1] rz(theta[i] * gamma) q[i];
`
	c, _ := mustParse(t, src, nil)
	want := []string{"alpha", "theta[0]", "theta[1]", "theta[2]", "beta", "gamma"}
	if strings.Join(c.Symbols, " ") != strings.Join(want, " ") {
		t.Fatalf("symbols %v, want %v", c.Symbols, want)
	}
	var params []string
	for _, op := range c.Ops {
		params = append(params, circuit.ExprList(op.Params))
	}
	if got := strings.Join(params, "; "); got != "theta[2]; 2*alpha+beta; theta[0]*gamma; theta[1]*gamma" {
		t.Errorf("parameters: %s", got)
	}
	vals := map[string]float64{"alpha": 0.1, "theta[0]": 0.2, "theta[1]": 0.3, "theta[2]": 0.4, "beta": 0.5, "gamma": 2}
	b, err := c.BindMap(vals)
	if err != nil {
		t.Fatal(err)
	}
	u, err := b.Unitary(nil)
	if err != nil {
		t.Fatal(err)
	}
	wantU := seq(2, on(mRX(0.4), 0, 2), on(mRY(0.7), 1, 2),
		on(mRZ(0.4), 0, 2), on(mRZ(0.6), 1, 2))
	if d := maxDiff(u, wantU); d > 1e-12 {
		t.Errorf("bound unitary differs by %g", d)
	}
	if _, err := c.BindMap(map[string]float64{"alpha": 1}); err == nil || !strings.Contains(err.Error(), "unbound") {
		t.Errorf("missing values: %v", err)
	}
}

// TestPerOccurrence: a symbol used in two gates lowers to two instructions,
// each with its own expression, so that parameter-shift rules can shift one
// occurrence at a time; the chain rule goes through the expression.
func TestPerOccurrence(t *testing.T) {
	src := h3 + "input float[64] theta;\nqubit[2] q;\nrx(2*theta+1) q[0];\nctrl @ ry(theta) q[0], q[1];\nh q[1];\n"
	c, _ := mustParse(t, src, nil)
	l, err := c.Lower()
	if err != nil {
		t.Fatal(err)
	}
	var uses []int
	for i, in := range l.Instrs {
		for _, p := range in.Params {
			if len(circuit.Symbols(nil, p)) > 0 {
				uses = append(uses, i)
			}
		}
	}
	if len(uses) != 2 {
		t.Fatalf("theta is used by instructions %v, want two", uses)
	}
	d1 := circuit.Fold(circuit.Deriv(l.Instrs[uses[0]].Params[0], 0))
	d2 := circuit.Fold(circuit.Deriv(l.Instrs[uses[1]].Params[0], 0))
	if d1.Eval(nil) != 2 || d2.Eval(nil) != 1 {
		t.Errorf("d(2*theta+1)/dtheta = %v, d(theta)/dtheta = %v; want 2 and 1", d1, d2)
	}
	// Shifting the first occurrence alone changes only that instruction.
	vals := []float64{0.3}
	m1 := l.Instrs[uses[0]].Matrix(vals)
	if d := maxDiff(m1, mRX(1.6)); d > 1e-15 {
		t.Errorf("first occurrence: rx(%v) differs by %g", l.Instrs[uses[0]].Params[0], d)
	}
	shifted := l.Instrs[uses[0]]
	shifted.Params = []circuit.Expr{circuit.Add(shifted.Params[0], circuit.Const(math.Pi/2))}
	if d := maxDiff(shifted.Matrix(vals), mRX(1.6+math.Pi/2)); d > 1e-15 {
		t.Errorf("shifted occurrence differs by %g", d)
	}
	if d := maxDiff(l.Instrs[uses[1]].Matrix(vals), mRY(0.3)); d > 1e-15 {
		t.Errorf("second occurrence differs by %g", d)
	}
}

// TestErrors3 checks positioned errors for bad OpenQASM 3 programs, and
// that unsupported features are named.
func TestErrors3(t *testing.T) {
	q := h3 + "qubit[2] q;\nbit[2] c;\n" // statements start on line 5
	also := map[string]string{"subroutine call": "t.qasm:6:9: call of subroutine 'f'"}
	tests := []struct{ name, src, want string }{
		// Unsupported features, named.
		{"def", q + "def f(qubit a) { h a; }\nf(q[0]);", "t.qasm:5:1: subroutine definitions (def) are not supported"},
		{"extern", q + "extern f(int) -> bit;", "t.qasm:5:1: extern declarations are not supported"},
		{"while", q + "while (c == 0) { h q[0]; }", "t.qasm:5:1: while loops are not supported"},
		{"defcal", q + "defcal x $0 { play d0; }", "t.qasm:5:1: pulse-level calibrations (defcal) are not supported"},
		{"defcalgrammar", q + "defcalgrammar \"openpulse\";", "t.qasm:5:1: pulse-level calibrations (defcalgrammar) are not supported"},
		{"cal", q + "cal { }", "t.qasm:5:1: pulse-level calibrations (cal) are not supported"},
		{"box", q + "box { h q[0]; }", "t.qasm:5:1: timing boxes (box) are not supported"},
		{"delay", q + "delay[100ns] q[0];", "t.qasm:5:1: delays (delay) are not supported"},
		{"let", q + "let a = q[0];", "t.qasm:5:1: aliases (let) are not supported"},
		{"switch", q + "switch (c) { case 0 { } }", "t.qasm:5:1: switch statements are not supported"},
		{"output", q + "output float x;", "t.qasm:5:1: output declarations are not supported"},
		{"duration", q + "duration d = 10ns;", "t.qasm:5:1: duration types (timing) are not supported"},
		{"complex", q + "const complex z = 1im;", "t.qasm:5:7: complex types are not supported"},
		{"array declaration", q + "array[int[8], 2] a;", "t.qasm:5:1: array declarations are not supported"},
		{"opaque", q + "opaque g a;", "t.qasm:5:1: opaque gates are not supported in OpenQASM 3"},
		{"pragma", q + "pragma born fast\nh q[0];", "t.qasm:5:1: pragmas are not supported"},
		{"annotation", q + "@bind x\nh q[0];", "t.qasm:5:1: annotations (@...) are not supported"},
		{"break", q + "for int i in [0:1] { break; }", "t.qasm:5:22: break statements are not supported"},
		{"subroutine call", q + "extern f();\nint v = f();", "t.qasm:5:1: extern declarations are not supported"},
		{"classical assignment", q + "int v = 1;\nv = 2;", "t.qasm:6:1: assignment to int variable 'v' is not supported"},
		{"compound assignment", q + "c <<= 1;", "t.qasm:5:3: compound assignment to 'c' is not supported"},
		{"assignment to bits", q + "c = 3;", "t.qasm:5:5: assignment to bits 'c' is not supported"},
		{"bit initializer", q + "bit[2] f = \"11\";", "t.qasm:5:12: initial values of bits are not supported"},
		{"measure without bits", q + "measure q[0];", "t.qasm:5:1: measure without a destination bit is not supported"},
		{"timing literal", q + "rx(10ns) q[0];", "t.qasm:5:4: timing literal 10ns: durations are not supported"},
		{"xor in a parameter", q + "rx(1 ^ 2) q[0];", "t.qasm:5:6: ^ is bitwise xor in OpenQASM 3; the power operator is **"},
		{"input int", q + "input int n;", "t.qasm:5:7: input of type 'int' is not supported"},
		{"variable without value", q + "float v;\nrx(v) q[0];", "t.qasm:6:4: float variable 'v' has no value"},
		{"for over floats", q + "for float x in [0:1] { }", "t.qasm:5:1: for loops over float values are not supported"},
		{"or of measured bits", q + "if (c[0] || c[1]) x q[0];", "t.qasm:5:10: || of conditions on measured bits is not supported"},
		{"comparison of bits", q + "if (c < 2) x q[0];", "t.qasm:5:7: comparison < of classical bits is not supported"},
		{"else after &&", q + "if (c[0] && c[1]) x q[0]; else y q[0];", "t.qasm:5:27: else after a condition with && is not supported"},
		{"measure into a tested bit", q + "if (c == 1) { c[0] = measure q[0]; }", "t.qasm:5:15: measuring into c[0] inside an if that tests it is not supported"},
		{"non-integer power of a 2-qubit gate", q + "pow(0.5) @ swap q[0], q[1];", "t.qasm:5:12: pow(0.5) @ swap: non-integer powers are supported for 1-qubit and diagonal gates only"},
		{"symbolic pow", q + "input float e;\npow(e) @ x q[0];", "t.qasm:6:5: the exponent of pow must be a constant"},

		// Bad input as in the foundation issue.
		{"unknown gate", q + "foo q[0];", "t.qasm:5:1: unknown gate 'foo' (not declared)"},
		{"qelib1 gate", q + "sxdg q[0];", "t.qasm:5:1: unknown gate 'sxdg' (stdgates.inc does not define it; it is a gate of OpenQASM 2's qelib1.inc)"},
		{"missing include", "OPENQASM 3.0;\nqubit q;\nh q;", "t.qasm:3:1: unknown gate 'h' (not declared; missing include \"stdgates.inc\"?)"},
		{"wrong arity", q + "cx q[0];", "t.qasm:5:1: gate 'cx' takes 2 qubit arguments, found 1"},
		{"wrong arity with ctrl", q + "ctrl @ x q[0];", "t.qasm:5:8: gate 'x' with 1 control takes 2 qubit arguments, found 1"},
		{"wrong parameter count", q + "rx q[0];", "t.qasm:5:1: gate 'rx' takes 1 parameter, found 0"},
		{"undeclared register", q + "h r[0];", "t.qasm:5:3: undeclared quantum register 'r'"},
		{"index out of range", q + "h q[2];", "t.qasm:5:5: index 2 out of range: register 'q' has 2 qubits"},
		{"index from a loop out of range", q + "for int i in [0:2] h q[i];", "t.qasm:5:24: index 2 out of range: register 'q' has 2 qubits"},
		{"broadcast sizes", h3 + "qubit[2] a;\nqubit[3] b;\ncx a, b;", "t.qasm:5:7: registers of different sizes in one statement"},
		{"recursive gate", h3 + "gate g a { g a; }", "t.qasm:3:12: gate 'g' is used in its own definition"},
		{"huge register", "OPENQASM 3.0;\nqubit[100000000] q;", "t.qasm:2:7: register 'q' is too large: 100000000 qubits (at most 1048576)"},
		{"NaN parameter", q + "rx(0/0.0) q[0];", "t.qasm:5:4: expression 0/0 evaluates to NaN"},
		{"Inf parameter", q + "rx(log(0)) q[0];", "t.qasm:5:4: expression ln(0) evaluates to -Inf"},
		{"integer division by zero", q + "const int n = 1 / 0;", "t.qasm:5:17: integer division by zero"},
		{"mixing physical and virtual qubits", q + "h $0;", "t.qasm:5:3: physical qubit $0 in a program that declares qubits"},
		{"redeclared", q + "const int q = 1;", "t.qasm:5:11: 'q' already declared (quantum register at t.qasm:3:10)"},
		{"reserved name", "OPENQASM 3.0;\nqubit for;", "t.qasm:2:7: 'for' is a reserved word"},
		{"qubit in a block", q + "for int i in [0:1] { qubit r; }", "t.qasm:5:22: a qubit declaration must be at the top level of the program"},
		{"gate in a block", q + "if (c == 1) { gate g a { } }", "t.qasm:5:15: a gate definition must be at the top level of the program"},
		{"missing semicolon", q + "h q[0]\nx q[1];", "t.qasm:6:1: expected ';', found 'x'"},
		{"else without if", q + "else x q[0];", "t.qasm:5:1: else without if"},
		{"unclosed block", q + "if (c == 1) { x q[0];", "t.qasm:5:22: expected '}' to close the block opened at t.qasm:5:13, found end of file"},
		{"too long loop", q + "for int i in [0:100000000] { }", "t.qasm:5:1: loop is too long"},
		{"loop unrolls to too much", q + "for int i in [0:9999999] { }", "t.qasm:5:1: loops unroll to too much code"},
		{"measure in a gate body", h3 + "gate g a { measure a; }", "t.qasm:3:12: measure is not allowed inside a gate body"},
		{"input in a gate body", h3 + "input float e;\ngate g a { rx(e) a; }", "t.qasm:4:15: input parameter 'e' cannot be used inside a gate body"},
		{"include in a block", q + "{ include \"x.inc\"; }", "t.qasm:5:3: include must be at the top level"},
		{"empty file", "", "t.qasm:1:1: empty program"},
		{"garbage", "OPENQASM 3.0;\n\x00\xff", "t.qasm:2:1: illegal character U+0000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list := parseErr(t, tt.src, nil)
			if got := list[0].Error(); !strings.HasPrefix(got, tt.want) {
				t.Errorf("first error:\ngot  %s\nwant %s...\nall errors:\n%v", got, tt.want, list)
			}
			if a := also[tt.name]; a != "" && !hasErr(list, a) {
				t.Errorf("no error %q in\n%v", a, list)
			}
		})
	}
}

// TestIncludes3: includes in OpenQASM 3, cycles and missing files.
func TestIncludes3(t *testing.T) {
	files := map[string]string{
		"dir/lib.inc":   "gate bell a, b { h a; cx a, b; }\n",
		"dir/cycle.inc": "include \"cycle.inc\";\n",
	}
	opts := &Options{ReadFile: mapFS(files)}
	c, _, err := Parse("dir/main.qasm", []byte(h3+"include \"lib.inc\";\nqubit[2] q;\nbell q[0], q[1];"), opts)
	if err != nil || len(c.Ops) != 1 || c.Ops[0].Gate.Name != "bell" {
		t.Fatalf("include: %v", err)
	}
	_, _, err = Parse("dir/main.qasm", []byte(h3+"include \"cycle.inc\";"), opts)
	if err == nil || !strings.Contains(err.Error(), "include cycle") {
		t.Errorf("cycle: %v", err)
	}
	_, _, err = Parse("dir/main.qasm", []byte(h3+"include \"missing.inc\";"), opts)
	if err == nil || !strings.HasPrefix(err.Error(), "dir/main.qasm:3:9: cannot include \"missing.inc\"") {
		t.Errorf("missing: %v", err)
	}
}

// TestVersionDetection: OpenQASM 3's version line is optional; a program
// without one is read as OpenQASM 3 when it shows signs of it.
func TestVersionDetection(t *testing.T) {
	c, warns, err := Parse("t.qasm", []byte("include \"stdgates.inc\";\nqubit[2] q;\nh q;"), nil)
	if err != nil || c.NumQubits != 2 || len(warns) != 1 || !strings.Contains(warns[0].Msg, "reading the file as OpenQASM 3") {
		t.Errorf("detected: %v %v", err, warns)
	}
	c, warns, err = Parse("t.qasm", []byte("include \"qelib1.inc\";\nqreg q[2];\nh q;"), nil)
	if err != nil || c.NumQubits != 2 || len(warns) != 1 || !strings.Contains(warns[0].Msg, "as OpenQASM 2.0") {
		t.Errorf("OpenQASM 2 without version: %v %v", err, warns)
	}
}

func TestLoopLimits(t *testing.T) {
	// A loop within the limits unrolls fully.
	c, _ := mustParse(t, h3+"qubit q;\nfor int i in [1:100000] { rz(i) q; }", nil)
	if len(c.Ops) != 100000 {
		t.Errorf("%d ops, want 100000", len(c.Ops))
	}
	// MaxOps bounds unrolled operations.
	list := parseErr(t, h3+"qubit q;\nfor int i in [1:1000] { x q; }", &Options{MaxOps: 100})
	if !hasErr(list, "circuit too large") {
		t.Errorf("MaxOps: %v", list)
	}
}
