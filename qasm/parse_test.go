package qasm

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"born/circuit"
)

// TestUnitary checks the unitary of circuits read from valid programs
// against matrices computed independently in the test.
func TestUnitary(t *testing.T) {
	tests := []struct {
		name string
		src  string
		n    int
		want mat
	}{
		{"bell", hdr + "qreg q[2];\nh q[0];\ncx q[0],q[1];", 2,
			seq(2, on(mH, 0, 2), cnot(0, 1, 2))},
		{"core U and CX", "OPENQASM 2.0;\nqreg q[2];\nU(pi/2,0,pi) q[0];\nCX q[0],q[1];", 2,
			seq(2, on(mU(math.Pi/2, 0, math.Pi), 0, 2), cnot(0, 1, 2))},
		{"U angles", "OPENQASM 2.0;\nqreg q[1];\nU(0.3,-1.1,0.7) q[0];", 1, mU(0.3, -1.1, 0.7)},
		{"broadcast h", hdr + "qreg q[3];\nh q;", 3,
			seq(3, on(mH, 0, 3), on(mH, 1, 3), on(mH, 2, 3))},
		{"broadcast cx over two registers", hdr + "qreg a[2];\nqreg b[2];\nx a;\ncx a, b;", 4,
			seq(4, on(mX, 0, 4), on(mX, 1, 4), cnot(0, 2, 4), cnot(1, 3, 4))},
		{"mixed broadcast", hdr + "qreg q[1];\nqreg r[2];\nh q[0];\ncx q[0], r;", 3,
			seq(3, on(mH, 0, 3), cnot(0, 1, 3), cnot(0, 2, 3))},
		{"mixed broadcast, register first", hdr + "qreg q[2];\nqreg r[1];\ncx q, r[0];", 3,
			seq(3, cnot(0, 2, 3), cnot(1, 2, 3))},
		{"user gate", hdr + "gate bell a,b { h a; cx a,b; }\nqreg q[2];\nbell q[1], q[0];", 2,
			seq(2, on(mH, 1, 2), cnot(1, 0, 2))},
		{"user gate with parameter", "OPENQASM 2.0;\ngate rot(t) a { U(t/2, 0, 0) a; }\nqreg q[1];\nrot(pi) q[0];", 1,
			mU(math.Pi/2, 0, 0)},
		{"nested user gates", "OPENQASM 2.0;\ngate ph(x) a { U(0,0,x) a; }\ngate two(y) a { ph(2*y) a; ph(-y) a; }\nqreg q[1];\ntwo(0.3) q[0];", 1,
			mat{1, 0, 0, ei(0.3)}},
		{"user gate broadcast", "OPENQASM 2.0;\ngate sw a,b { CX a,b; CX b,a; CX a,b; }\nqreg p[2];\nqreg r[2];\nU(pi,0,pi) p[0];\nsw p, r;", 4,
			seq(4, on(mX, 0, 4), cnot(0, 2, 4), cnot(2, 0, 4), cnot(0, 2, 4), cnot(1, 3, 4), cnot(3, 1, 4), cnot(1, 3, 4))},
		{"barriers do nothing", hdr + "qreg q[2];\nh q[0];\nbarrier q;\nbarrier q[0], q[1];\nh q[0];", 2, ident(2)},
		{"barrier in a gate body", hdr + "gate g a,b { h a; barrier a,b; cx a,b; }\nqreg q[2];\ng q[0],q[1];", 2,
			seq(2, on(mH, 0, 2), cnot(0, 1, 2))},
		{"paulis and phases", hdr + "qreg q[3];\nx q[0];\ny q[1];\nz q[2];\ns q[0];\nt q[1];\nsdg q[2];\ntdg q[2];", 3,
			seq(3, on(mX, 0, 3), on(mY, 1, 3), on(mZ, 2, 3), on(mS, 0, 3), on(mT, 1, 3),
				on(mat{1, 0, 0, -1i}, 2, 3), on(mat{1, 0, 0, complex(s2, -s2)}, 2, 3))},
		{"qelib1 rz is u1", hdr + "qreg q[1];\nrz(pi/2) q[0];", 1, mS},
		{"power binds tighter than minus", "OPENQASM 2.0;\nqreg q[1];\nU(0,0,-2^2) q[0];", 1, mat{1, 0, 0, ei(-4)}},
		{"qubit order", hdr + "qreg a[1];\nqreg b[2];\nx b[1];", 3, on(mX, 2, 3)},
		{"comments and UTF-8 names", "OPENQASM 2.0; /* block\ncomment */ // line\ngate rθ(θ) a { U(θ,0,0) a; }\nqreg q[1];\nrθ(0.5) q[0];", 1,
			mU(0.5, 0, 0)},
		{"no version line", "qreg q[1];\nU(1,2,3) q[0];", 1, mU(1, 2, 3)},
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

// TestExprValues checks folded parameter values against Go arithmetic.
func TestExprValues(t *testing.T) {
	tests := []struct {
		expr string
		want float64
	}{
		{"1", 1},
		{"1.5", 1.5},
		{".5", 0.5},
		{"5.", 5},
		{"1e-3", 1e-3},
		{"2.5E+2", 250},
		{"1.5e2", 150},
		{"pi", math.Pi},
		{"-pi/2", -math.Pi / 2},
		{"-2^2", -4},
		{"2^3^2", 512},
		{"(2^3)^2", 64},
		{"2^-1", 0.5},
		{"-2^-2", -0.25},
		{"--2", 2},
		{"2*-3", -6},
		{"1-2-3", -4},
		{"8/4/2", 1},
		{"1+2*3", 7},
		{"(1+2)*3", 9},
		{"2*3^2", 18},
		{"-(1+2)", -3},
		{"sin(pi/2)", 1},
		{"cos(0)", 1},
		{"tan(0.3)", math.Tan(0.3)},
		{"exp(1)", math.E},
		{"ln(exp(2))", 2},
		{"ln(2)", math.Ln2},
		{"sqrt(2)", math.Sqrt2},
		{"sqrt(2)^2", math.Pow(math.Sqrt2, 2)},
		{"sin(0.2+0.3+(-pi))", math.Sin(0.2 + 0.3 - math.Pi)},
		{"0.1*pi/2", 0.1 * math.Pi / 2},
		{"123456789012345678901234567890", 123456789012345678901234567890.0},
		{"1e-400", 0},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			c, _ := mustParse(t, "OPENQASM 2.0;\nqreg q[1];\nU("+tt.expr+",0,0) q[0];", nil)
			e := c.Ops[0].Params[0]
			if !circuit.IsConst(e) {
				t.Fatalf("parameter %v is not constant", e)
			}
			if _, ok := e.(circuit.Num); !ok {
				t.Errorf("parameter %#v not folded to a number", e)
			}
			if got := e.Eval(nil); math.Abs(got-tt.want) > 1e-12*math.Max(1, math.Abs(tt.want)) {
				t.Errorf("%s = %v, want %v", tt.expr, got, tt.want)
			}
		})
	}
}

// TestGateDef checks the definitions a program declares: formal parameters
// as symbols, formal qubit indices, library and order.
func TestGateDef(t *testing.T) {
	src := hdr + `gate g(a, b) x, y {
  rx(-a/2) y;
  cx x, y;
  U(b, a*2, pi) x;
  barrier y, x;
}
opaque op(t) q;
gate h2 q { h q; }
qreg r[2];
g(0.1, 0.2) r[0], r[1];
`
	c, _ := mustParse(t, src, nil)
	if len(c.Defs) != 3 || c.Defs[0].Name != "g" || c.Defs[1].Name != "op" || c.Defs[2].Name != "h2" {
		t.Fatalf("Defs = %v, want g, op, h2 in order", c.Defs)
	}
	g := c.Defs[0]
	if g.Lib != circuit.LibUser || g.Opaque || !reflect.DeepEqual(g.Params, []string{"a", "b"}) || !reflect.DeepEqual(g.QubitNames, []string{"x", "y"}) {
		t.Errorf("g = %+v", g)
	}
	if !c.Defs[1].Opaque || c.Defs[1].Lib != circuit.LibUser || len(c.Defs[1].Params) != 1 || c.Defs[1].NumQubits() != 1 {
		t.Errorf("op = %+v", c.Defs[1])
	}
	if len(g.Body) != 4 {
		t.Fatalf("body has %d ops, want 4", len(g.Body))
	}
	b := g.Body
	if b[0].Gate != circuit.QELib1Gates["rx"] || !reflect.DeepEqual(b[0].Qubits, []int{1}) {
		t.Errorf("body[0] = %+v", b[0])
	}
	// -a/2 with a the symbol of formal parameter 0.
	for _, v := range []float64{0.4, -1.3} {
		if got := b[0].Params[0].Eval([]float64{v, 7}); got != -v/2 {
			t.Errorf("body[0] parameter at a=%v: %v, want %v", v, got, -v/2)
		}
	}
	if syms := circuit.Symbols(nil, b[2].Params[1]); !reflect.DeepEqual(syms, []int{0}) {
		t.Errorf("a*2 uses symbols %v, want [0]", syms)
	}
	if s, ok := b[2].Params[0].(circuit.Sym); !ok || s.Index != 1 || s.Name != "b" {
		t.Errorf("U's first parameter = %#v, want Sym b index 1", b[2].Params[0])
	}
	if b[1].Gate != circuit.QELib1Gates["cx"] || !reflect.DeepEqual(b[1].Qubits, []int{0, 1}) {
		t.Errorf("body[1] = %+v", b[1])
	}
	if b[2].Gate != circuit.CoreQASM2["U"] {
		t.Errorf("U is not circuit.CoreQASM2[\"U\"]")
	}
	if b[3].Kind != circuit.Barrier || !reflect.DeepEqual(b[3].Qubits, []int{1, 0}) {
		t.Errorf("body[3] = %+v", b[3])
	}
	if op := c.Ops[0]; op.Gate != g || !reflect.DeepEqual(op.Qubits, []int{0, 1}) || op.Params[1].Eval(nil) != 0.2 {
		t.Errorf("op = %+v", op)
	}
	// The definition's matrix is its body: check one value independently.
	m, err := circuit.BodyMatrix(g, []float64{0.1, 0.2})
	if err != nil {
		t.Fatal(err)
	}
	rx := func(th float64) mat { return mU(th, -math.Pi/2, math.Pi/2) }
	want := seq(2, on(rx(-0.05), 1, 2), cnot(0, 1, 2), on(mU(0.2, 0.2, math.Pi), 0, 2))
	if d := maxDiff(m, want); d > 1e-12 {
		t.Errorf("body matrix differs by %g", d)
	}
}

type opSpec struct {
	kind   circuit.OpKind
	gate   string
	qubits []int
	clbits []int
	cond   []circuit.Condition
}

// TestOps checks the operations that statements expand to.
func TestOps(t *testing.T) {
	G, M, R, B := circuit.GateOp, circuit.Measure, circuit.Reset, circuit.Barrier
	c3 := []circuit.Condition{{Clbits: []int{0, 1}, Value: 3}}
	tests := []struct {
		name string
		src  string
		want []opSpec
	}{
		{"broadcast one-qubit gate", "qreg a[1];\nqreg q[3];\nh q;",
			[]opSpec{{G, "h", []int{1}, nil, nil}, {G, "h", []int{2}, nil, nil}, {G, "h", []int{3}, nil, nil}}},
		{"broadcast two registers", "qreg a[2];\nqreg b[2];\ncx a, b;",
			[]opSpec{{G, "cx", []int{0, 2}, nil, nil}, {G, "cx", []int{1, 3}, nil, nil}}},
		{"broadcast mixed", "qreg a[2];\nqreg b[2];\nccx a[1], b, a[0];",
			[]opSpec{{G, "ccx", []int{1, 2, 0}, nil, nil}, {G, "ccx", []int{1, 3, 0}, nil, nil}}},
		{"measure registers", "qreg q[2];\ncreg c[1];\ncreg d[2];\nmeasure q -> d;\nmeasure q[1] -> c[0];",
			[]opSpec{{M, "", []int{0}, []int{1}, nil}, {M, "", []int{1}, []int{2}, nil}, {M, "", []int{1}, []int{0}, nil}}},
		{"measure one-qubit register into a bit", "qreg q[1];\ncreg c[2];\nmeasure q -> c[1];",
			[]opSpec{{M, "", []int{0}, []int{1}, nil}}},
		{"reset", "qreg q[2];\nreset q;\nreset q[1];",
			[]opSpec{{R, "", []int{0}, nil, nil}, {R, "", []int{1}, nil, nil}, {R, "", []int{1}, nil, nil}}},
		{"barrier mixed, duplicates dropped", "qreg q[2];\nqreg r[2];\nbarrier q, r[1], q[0];",
			[]opSpec{{B, "", []int{0, 1, 3}, nil, nil}}},
		{"if gate broadcast", "qreg q[2];\ncreg c[2];\nif (c == 3) x q;",
			[]opSpec{{G, "x", []int{0}, nil, c3}, {G, "x", []int{1}, nil, c3}}},
		{"if measure and reset", "qreg q[1];\ncreg m[1];\ncreg c[2];\nif(c==3) measure q[0] -> m[0];\nif (c==0) reset q[0];",
			[]opSpec{{M, "", []int{0}, []int{0}, []circuit.Condition{{Clbits: []int{1, 2}, Value: 3}}},
				{R, "", []int{0}, nil, []circuit.Condition{{Clbits: []int{1, 2}, Value: 0}}}}},
		{"if on one bit", "qreg q[1];\ncreg c[3];\nif (c[2] == 1) x q[0];",
			[]opSpec{{G, "x", []int{0}, nil, []circuit.Condition{{Clbits: []int{2}, Value: 1}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := mustParse(t, hdr+tt.src, nil)
			var got []opSpec
			for _, op := range c.Ops {
				s := opSpec{op.Kind, "", op.Qubits, op.Clbits, op.Cond}
				if op.Gate != nil {
					s.gate = op.Gate.Name
				}
				got = append(got, s)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ops:\ngot  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestRegisters(t *testing.T) {
	c, _ := mustParse(t, "OPENQASM 2.0;\nqreg a[2];\ncreg c[3];\nqreg b[5];\ncreg d[1];", nil)
	wantQ := []circuit.Register{{Name: "a", Start: 0, Size: 2}, {Name: "b", Start: 2, Size: 5}}
	wantC := []circuit.Register{{Name: "c", Start: 0, Size: 3}, {Name: "d", Start: 3, Size: 1}}
	if c.NumQubits != 7 || c.NumClbits != 4 || !reflect.DeepEqual(c.QRegs, wantQ) || !reflect.DeepEqual(c.CRegs, wantC) {
		t.Errorf("got %d qubits %v, %d bits %v", c.NumQubits, c.QRegs, c.NumClbits, c.CRegs)
	}
	// The largest register allowed.
	c, _ = mustParse(t, "OPENQASM 2.0;\nqreg q[1048576];\ncreg c[1048576];", nil)
	if c.NumQubits != MaxQubits || c.NumClbits != MaxClbits {
		t.Errorf("got %d qubits, %d bits", c.NumQubits, c.NumClbits)
	}
}

func TestOpaque(t *testing.T) {
	src := "OPENQASM 2.0;\nqreg q[2];\nopaque ecr a, b;\necr q[0], q[1];\n"
	list := parseErr(t, src, nil)
	if want := "t.qasm:4:1: cannot apply opaque gate 'ecr' (declared at t.qasm:3:8"; !hasErr(list, want) {
		t.Errorf("got %v, want %q", list, want)
	}
	c, _ := mustParse(t, src, &Options{AllowOpaque: true})
	if len(c.Ops) != 1 || !c.Ops[0].Gate.Opaque || c.Ops[0].Gate.Name != "ecr" || len(c.Defs) != 1 {
		t.Errorf("ops %+v defs %v", c.Ops, c.Defs)
	}
	// Declaring without applying is fine by default.
	mustParse(t, "OPENQASM 2.0;\nopaque ecr a, b;\nopaque g(x, y) a;", nil)
}

func TestWarnings(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"missing version", "// comment\n\nqreg q[1];", "t.qasm:3:1: warning: missing 'OPENQASM 2.0;' line"},
		{"version without minor", "OPENQASM 2;\nqreg q[1];", "t.qasm:1:10: warning: 'OPENQASM 2;' has no minor version"},
		{"real without a dot", "OPENQASM 2.0;\nqreg q[1];\nU(1e-3, 0, 0) q[0];", "t.qasm:3:3: warning: real number 1e-3 has no decimal point"},
		{"qelib1 redefinition", hdr + "gate cu a, b { cx a, b; }\nqreg q[2];\ncu q[0], q[1];", "t.qasm:3:6: warning: gate 'cu' redefines the qelib1.inc gate"},
		{"opaque redefinition of qelib1", hdr + "opaque h a;", "t.qasm:3:8: warning: gate 'h' redefines"},
		{"non-ASCII identifier", "OPENQASM 2.0;\nqreg qθ[1];", "t.qasm:2:6: warning: non-ASCII identifier 'qθ'"},
		{"condition never holds", hdr + "qreg q[1];\ncreg c[2];\nif (c == 4) x q[0];", "t.qasm:5:10: warning: condition can never hold"},
		{"condition on a bit", hdr + "qreg q[1];\ncreg c[2];\nif (c[1] == 1) x q[0];", "t.qasm:5:5: warning: a condition on one bit"},
		{"qelib1 twice", hdr + "include \"qelib1.inc\";", "t.qasm:3:9: warning: qelib1.inc included twice"},
		{"empty statement", "OPENQASM 2.0;\n;", "t.qasm:2:1: warning: empty statement"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, warns := mustParse(t, tt.src, nil)
			var all []string
			for _, w := range warns {
				all = append(all, w.String())
			}
			if !strings.Contains(strings.Join(all, "\n"), tt.want) {
				t.Errorf("warnings %q, want one containing %q", all, tt.want)
			}
		})
	}
	// The redefinition wins.
	c, _ := mustParse(t, hdr+"gate cu a, b { cx a, b; }\nqreg q[2];\ncu q[0], q[1];", nil)
	if g := c.Ops[0].Gate; g.Lib != circuit.LibUser || len(g.Params) != 0 {
		t.Errorf("cu is %+v, want the user definition", g)
	}
	// A conforming program has no warnings.
	if _, w := mustParse(t, hdr+"qreg q[2];\nh q;\ncx q[0], q[1];", nil); len(w) != 0 {
		t.Errorf("warnings %v", w)
	}
}
