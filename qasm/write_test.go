package qasm

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"born/circuit"
)

// gen builds random circuits over the whole gate set: stdgates.inc,
// qelib1.inc, both versions' U, CX and gphase, and user gates whose bodies
// use all of these with modifiers.
type gen struct {
	rng   *rand.Rand
	v2    bool // only what OpenQASM 2 can write exactly
	syms  int  // number of symbols
	gates []*circuit.GateDef
}

func newGen(seed uint64, v2 bool) *gen {
	g := &gen{rng: rand.New(rand.NewPCG(seed, 7)), v2: v2}
	for _, n := range circuit.StdGatesOrder {
		g.gates = append(g.gates, circuit.StdGates[n])
	}
	for _, n := range circuit.QELib1Order {
		g.gates = append(g.gates, circuit.QELib1Gates[n])
	}
	g.gates = append(g.gates, circuit.UQiskit, circuit.U3Spec, circuit.CoreQASM2["CX"], circuit.GPhase)
	return g
}

// param returns a random parameter: a number, or an expression of symbols
// (nsym of them, named by names).
func (g *gen) param(nsym int, names func(int) string) circuit.Expr {
	x := circuit.Const((g.rng.Float64()*2 - 1) * 2 * math.Pi)
	if nsym == 0 || g.rng.IntN(2) == 0 {
		return x
	}
	k := g.rng.IntN(nsym)
	s := circuit.Sym{Name: names(k), Index: k}
	switch g.rng.IntN(4) {
	case 0:
		return s
	case 1:
		return circuit.Add(circuit.Mul(circuit.Const(2), s), x)
	case 2:
		return circuit.Neg(circuit.Div(s, circuit.Const(3)))
	}
	return circuit.Call{Fn: "sin", X: s}
}

// mods returns random modifiers for a gate of k qubits, and how many
// control qubits they add.
func (g *gen) mods(gate *circuit.GateDef, room int, constParams bool) ([]circuit.Modifier, int) {
	var mods []circuit.Modifier
	nc := 0
	for g.rng.IntN(3) == 0 && len(mods) < 3 {
		switch g.rng.IntN(4) {
		case 0, 1:
			if nc+1 > room {
				continue
			}
			m := circuit.Modifier{Kind: circuit.Ctrl, N: 1}
			if g.rng.IntN(3) == 0 {
				m.Kind = circuit.NegCtrl
			}
			if nc+2 <= room && g.rng.IntN(4) == 0 {
				m.N = 2
			}
			nc += m.N
			mods = append(mods, m)
		case 2:
			mods = append(mods, circuit.Modifier{Kind: circuit.Inv})
		case 3:
			exp := float64(g.rng.IntN(5) - 2)
			oneQubit := gate.NumQubits() <= 1 || gate.Controls > 0 && gate.Target != nil && gate.Target.NumQubits() == 1
			if oneQubit && gate.Builtin() && g.rng.IntN(2) == 0 && constParams {
				exp = 0.5
			}
			mods = append(mods, circuit.Modifier{Kind: circuit.Pow, Exp: exp})
		}
	}
	return mods, nc
}

// op returns a random gate operation on n qubits (formal qubits of a body
// when names are formal parameters).
func (g *gen) op(gates []*circuit.GateDef, n, nsym int, names func(int) string, withMods bool) circuit.Op {
	for {
		gate := gates[g.rng.IntN(len(gates))]
		if gate.NumQubits() > n {
			continue
		}
		params := make([]circuit.Expr, len(gate.Params))
		constParams := true
		for i := range params {
			params[i] = g.param(nsym, names)
			constParams = constParams && circuit.IsConst(params[i])
		}
		var mods []circuit.Modifier
		nc := 0
		if withMods {
			mods, nc = g.mods(gate, n-gate.NumQubits(), constParams || g.v2 && names == nil)
		}
		if gate == circuit.GPhase && nc == 0 && g.v2 && n == 0 {
			continue
		}
		qs := g.rng.Perm(n)[:gate.NumQubits()+nc]
		return circuit.Op{Kind: circuit.GateOp, Gate: gate, Params: params, Mods: mods, Qubits: qs}
	}
}

// circuit returns a random circuit of n qubits with user gates and symbols;
// with classical (m > 0) it measures, resets and conditions operations.
func (g *gen) circuit(n, m, nops int) *circuit.Circuit {
	c := circuit.New(n, m)
	if g.rng.IntN(2) == 0 && m > 1 {
		c = &circuit.Circuit{}
		c.AddQReg("a", 1)
		c.AddQReg("b", n-1)
		c.AddCReg("c", 1)
		c.AddCReg("d", m-1)
	}
	nsym := g.rng.IntN(3)
	if g.rng.IntN(2) == 0 {
		for i := 0; i < nsym; i++ {
			c.Symbol(fmt.Sprintf("theta%d", i))
		}
	} else {
		for i := 0; i < nsym; i++ {
			c.Symbol(fmt.Sprintf("w[%d]", i))
		}
	}
	gates := g.gates
	// User gates: bodies over library gates (and earlier user gates) with
	// modifiers and gphase.
	for k := 0; k < 2; k++ {
		arity := 1 + g.rng.IntN(3)
		def := &circuit.GateDef{Name: fmt.Sprintf("user%d", k), Lib: circuit.LibUser, Params: []string{"a", "b"}[:g.rng.IntN(3)], QubitNames: []string{"x", "y", "z"}[:arity]}
		np := len(def.Params)
		for j := 0; j < 1+g.rng.IntN(4); j++ {
			def.Body = append(def.Body, g.op(gates, arity, np, func(i int) string { return def.Params[i] }, true))
		}
		c.Defs = append(c.Defs, def)
		gates = append(gates, def)
	}
	for i := 0; i < nops; i++ {
		if m > 0 && g.rng.IntN(6) == 0 {
			q, b := g.rng.IntN(n), g.rng.IntN(m)
			switch g.rng.IntN(3) {
			case 0:
				c.Ops = append(c.Ops, circuit.Op{Kind: circuit.Measure, Qubits: []int{q}, Clbits: []int{b}})
			case 1:
				c.Ops = append(c.Ops, circuit.Op{Kind: circuit.Reset, Qubits: []int{q}})
			default:
				c.Ops = append(c.Ops, circuit.Op{Kind: circuit.Barrier, Qubits: []int{q, (q + 1) % n}[:1+min(1, n-1)]})
			}
			continue
		}
		op := g.op(gates, n, len(c.Symbols), func(i int) string { return c.Symbols[i] }, true)
		if m > 0 && g.rng.IntN(3) == 0 {
			op.Cond = []circuit.Condition{g.cond(c)}
		}
		c.Ops = append(c.Ops, op)
	}
	return c
}

// cond returns a random condition: a whole register, one bit, negated.
func (g *gen) cond(c *circuit.Circuit) circuit.Condition {
	r := c.CRegs[g.rng.IntN(len(c.CRegs))]
	var cond circuit.Condition
	if g.rng.IntN(2) == 0 {
		for i := 0; i < r.Size; i++ {
			cond.Clbits = append(cond.Clbits, r.Start+i)
		}
		cond.Value = uint64(g.rng.IntN(1 << r.Size))
	} else {
		cond.Clbits = []int{r.Start + g.rng.IntN(r.Size)}
		cond.Value = uint64(g.rng.IntN(2))
	}
	cond.Negate = g.rng.IntN(3) == 0
	return cond
}

func values(c *circuit.Circuit, rng *rand.Rand) ([]float64, map[string]float64) {
	vals := make([]float64, len(c.Symbols))
	m := map[string]float64{}
	for i, s := range c.Symbols {
		vals[i] = (rng.Float64()*2 - 1) * 2 * math.Pi
		m[s] = vals[i]
	}
	return vals, m
}

// roundTrip writes c and reads the result back.
func roundTrip(t *testing.T, c *circuit.Circuit, opts WriteOptions) (*circuit.Circuit, []byte) {
	t.Helper()
	out, err := Format(c, opts)
	if err != nil {
		t.Fatalf("Format(version %d): %v", opts.Version, err)
	}
	c2, warns, err := Parse("w.qasm", out, nil)
	if err != nil {
		t.Fatalf("reading what Format wrote (version %d): %v\n%s", opts.Version, err, out)
	}
	if len(warns) > 0 {
		t.Errorf("warnings reading what Format wrote: %v\n%s", warns, out)
	}
	if err := c2.Validate(); err != nil {
		t.Fatal(err)
	}
	return c2, out
}

func unitary(t *testing.T, c *circuit.Circuit, vals []float64) mat {
	t.Helper()
	u, err := c.Unitary(vals)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestRoundTripUnitary is the round-trip property: for random circuits
// over the whole gate set, read -> write (OpenQASM 2 and 3, with and
// without Flatten) -> read gives the same unitary, global phase included,
// to 1e-12. Circuits are made at random, written as OpenQASM 3 and read:
// that is the "read" the property starts from.
func TestRoundTripUnitary(t *testing.T) {
	trials := 60
	if testing.Short() {
		trials = 15
	}
	for seed := uint64(0); seed < uint64(trials); seed++ {
		for _, v2 := range []bool{false, true} {
			g := newGen(seed, v2)
			orig := g.circuit(4, 0, 12)
			vals, byName := values(orig, g.rng)
			c, src := roundTrip(t, orig, WriteOptions{Version: 3})
			want := unitary(t, orig, vals)
			if d := maxDiff(unitary(t, c, vals), want); d > 1e-12 {
				t.Fatalf("seed %d: written and read back as OpenQASM 3, the unitary differs by %g\n%s", seed, d, src)
			}
			for _, opts := range []WriteOptions{
				{Version: 3}, {Version: 3, Flatten: true}, {Version: 3, Params: byName},
				{Version: 2, Params: byName}, {Version: 2, Params: byName, Flatten: true},
			} {
				if !v2 && opts.Version == 2 {
					continue
				}
				c2, out := roundTrip(t, c, opts)
				vs := vals
				if opts.Params != nil {
					vs = nil
				}
				if d := maxDiff(unitary(t, c2, vs), want); d > 1e-12 {
					t.Fatalf("seed %d, %+v: the unitary differs by %g\nfrom\n%s\nwritten\n%s", seed, opts, d, src, out)
				}
				if opts.Version == 3 && opts.Params == nil && !opts.Flatten {
					// Writing what was read gives the same program.
					if _, again := roundTrip(t, c2, opts); !bytes.Equal(again, out) {
						t.Errorf("seed %d: writing is not stable:\n%s\nthen\n%s", seed, out, again)
					}
				}
			}
		}
	}
}

// TestRoundTripOutcomes: circuits that measure, reset and branch read back
// with the same probabilities and classical outcomes (exactly, by following
// every branch), from OpenQASM 2 and 3 alike.
func TestRoundTripOutcomes(t *testing.T) {
	trials := 40
	if testing.Short() {
		trials = 10
	}
	checked := 0
	for seed := uint64(100); seed < uint64(100+trials); seed++ {
		g := newGen(seed, true)
		orig := g.circuit(3, 3, 12)
		_, byName := values(orig, g.rng)
		bound, err := orig.BindMap(byName)
		if err != nil {
			t.Fatal(err)
		}
		wantP, wantC, ok := outcomes(bound)
		if !ok {
			continue
		}
		checked++
		for _, opts := range []WriteOptions{{Version: 3}, {Version: 3, Params: byName}, {Version: 2, Params: byName}, {Version: 2, Params: byName, Flatten: true}} {
			c2, out := roundTrip(t, orig, opts)
			if opts.Params == nil {
				if c2, err = c2.BindMap(byName); err != nil {
					t.Fatal(err)
				}
			}
			p, cl, ok := outcomes(c2)
			if !ok {
				t.Fatalf("seed %d: outcomes of the written circuit not computed", seed)
			}
			if d := distDiff(p, wantP); d > 1e-12 {
				t.Fatalf("seed %d, version %d: probabilities differ by %g\n%s", seed, opts.Version, d, out)
			}
			if d := distDiff(cl, wantC); d > 1e-12 {
				t.Fatalf("seed %d, version %d: classical outcomes differ by %g\n%s", seed, opts.Version, d, out)
			}
		}
	}
	if checked < trials/2 {
		t.Errorf("only %d of %d circuits checked", checked, trials)
	}
}

// TestWriteGlobalPhase: gates whose global phase differs between the
// libraries are written exactly, which matters under control.
func TestWriteGlobalPhase(t *testing.T) {
	for _, tt := range []struct {
		name, src string
	}{
		{"stdgates rz into OpenQASM 2", h3 + "qubit q;\nrz(0.7) q;"},
		{"stdgates u3, u2, sx, ch", h3 + "qubit[2] q;\nu3(0.1, 0.2, 0.3) q[0];\nu2(0.4, 0.5) q[1];\nsx q[0];\nch q[0], q[1];"},
		{"gphase into OpenQASM 2", "OPENQASM 3.0;\nqubit q;\ngphase(1.1);"},
		{"spec U into OpenQASM 2", "OPENQASM 3.0;\nqubit q;\nU(0.3, 0.2, 0.1) q;"},
		{"qelib1 gates into OpenQASM 3", hdr + "qreg q[5];\nu3(0.1,0.2,0.3) q[0];\nu(0.4,0.5,0.6) q[1];\nu2(0.7,0.8) q[2];\nrz(0.9) q[3];\nsx q[4];\nsxdg q[0];\nch q[0],q[1];\nrxx(0.3) q[0],q[1];\nrzz(0.4) q[1],q[2];\nrccx q[0],q[1],q[2];\nrc3x q[0],q[1],q[2],q[3];\nc3sqrtx q[0],q[1],q[2],q[3];\nc4x q[0],q[1],q[2],q[3],q[4];\ncu3(0.1,0.2,0.3) q[1],q[0];\ncu1(0.2) q[0],q[2];\ncsx q[3],q[4];\nu0(1) q[0];\nU(0.1,0.2,0.3) q[1];\nCX q[1],q[2];"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := mustParse(t, tt.src, nil)
			want := unitary(t, c, nil)
			// Controlled, the global phase becomes a relative phase: wrap the
			// circuit in a gate and control it.
			for _, v := range []int{2, 3} {
				c2, out := roundTrip(t, c, WriteOptions{Version: v})
				if d := maxDiff(unitary(t, c2, nil), want); d > 1e-12 {
					t.Errorf("version %d: unitary differs by %g\n%s", v, d, out)
				}
			}
			wrapped := wrapControlled(c)
			wantC := unitary(t, wrapped, nil)
			for _, v := range []int{2, 3} {
				c2, out := roundTrip(t, wrapped, WriteOptions{Version: v})
				if d := maxDiff(unitary(t, c2, nil), wantC); d > 1e-12 {
					t.Errorf("controlled, version %d: unitary differs by %g\n%s", v, d, out)
				}
			}
		})
	}
}

// wrapControlled returns ctrl @ (c as a gate) on one more qubit.
func wrapControlled(c *circuit.Circuit) *circuit.Circuit {
	n := c.NumQubits
	def := &circuit.GateDef{Name: "body", Lib: circuit.LibUser, Body: c.Ops, QubitNames: make([]string, n)}
	for i := range def.QubitNames {
		def.QubitNames[i] = fmt.Sprintf("q%d", i)
	}
	out := circuit.New(n+1, 0)
	out.Defs = append(append(out.Defs, c.Defs...), def)
	qs := []int{n}
	for i := 0; i < n; i++ {
		qs = append(qs, i)
	}
	out.Ops = []circuit.Op{{Kind: circuit.GateOp, Gate: def, Mods: []circuit.Modifier{{Kind: circuit.Ctrl, N: 1}}, Qubits: qs}}
	return out
}

// TestWriteExamples shows what the writer produces for the cases its
// design turns on; each program reads back with the circuit's unitary.
func TestWriteExamples(t *testing.T) {
	c, _ := mustParse(t, h3+"input float[64] theta;\nqubit[3] q;\nrz(theta) q[0];\nctrl @ rz(theta) q[0], q[1];\nctrl(2) @ x q[0], q[1], q[2];\ngphase(pi/2);\n", nil)
	vals := []float64{0.5}
	wantU := unitary(t, c, vals)
	sameUnitary := func(out []byte, vals []float64) {
		t.Helper()
		c2, _ := mustParse(t, string(out), nil)
		if d := maxDiff(unitary(t, c2, vals), wantU); d > 1e-12 {
			t.Errorf("read back, the unitary differs by %g:\n%s", d, out)
		}
	}
	out, err := Format(c, WriteOptions{Version: 2, Params: map[string]float64{"theta": vals[0]}})
	if err != nil {
		t.Fatal(err)
	}
	sameUnitary(out, nil)
	want := `OPENQASM 2.0;
include "qelib1.inc";
gate global_phase(gamma) q {
  u1(gamma) q;
  x q;
  u1(gamma) q;
  x q;
}
gate rz_std(lambda) a {
  rz(lambda) a;
  global_phase(-(lambda/2)) a;
}
qreg q[3];
rz_std(0.5) q[0];
cu(0, 0, 0.5, -0.25) q[0], q[1];
ccx q[0], q[1], q[2];
global_phase(1.5707963267948966) q[0];
`
	if string(out) != want {
		t.Errorf("OpenQASM 2:\n%s\nwant\n%s", out, want)
	}
	out, err = Format(c, WriteOptions{Version: 3})
	if err != nil {
		t.Fatal(err)
	}
	sameUnitary(out, vals)
	want = `OPENQASM 3.0;
include "stdgates.inc";
input float[64] theta;
qubit[3] q;
rz(theta) q[0];
ctrl @ rz(theta) q[0], q[1];
ctrl(2) @ x q[0], q[1], q[2];
gphase(1.5707963267948966);
`
	if string(out) != want {
		t.Errorf("OpenQASM 3:\n%s\nwant\n%s", out, want)
	}
}

// TestWriteRefusals: what cannot be written exactly is refused with an
// error that says why.
func TestWriteRefusals(t *testing.T) {
	for _, tt := range []struct {
		name, src string
		opts      WriteOptions
		want      string
	}{
		{"unbound parameter in OpenQASM 2", h3 + "input float e;\nqubit q;\nrx(e) q;", WriteOptions{Version: 2}, "OpenQASM 2 has no parameters: bind e"},
		{"unknown parameter", h3 + "input float e;\nqubit q;\nrx(e) q;", WriteOptions{Version: 3, Params: map[string]float64{"f": 1}}, `unknown parameter "f"`},
		{"pow(0.5) @ cz is a power of its 1-qubit target", h3 + "qubit[2] q;\npow(0.5) @ cz q[0], q[1];", WriteOptions{Version: 2}, ""},
		{"non-integer power of a 2-qubit gate", h3 + "gate dz a, b { cz a, b; }\nqubit[3] q;\nctrl @ pow(2) @ dz q[0], q[1], q[2];\npow(0.5) @ dz q[0], q[1];", WriteOptions{Version: 2}, "pow(0.5) @ dz: OpenQASM 2 cannot write a non-integer power of a 2-qubit gate"},
		{"flatten keeps a definition under a non-integer power", h3 + "gate g a { h a; }\nqubit q;\npow(0.5) @ g q;", WriteOptions{Version: 3, Flatten: true}, ""},
		{"too many controls", h3 + "qubit[12] q;\nctrl(11) @ h q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8], q[9], q[10], q[11];", WriteOptions{Version: 2}, "11 controls cannot be written in OpenQASM 2"},
		{"part of an input array bound", h3 + "input array[float[64], 2] w;\nqubit q;\nrx(w[0]+w[1]) q;", WriteOptions{Version: 3, Params: map[string]float64{"w[0]": 1}}, "bind all elements of input array w or none"},
		{"condition on two registers", h3 + "qubit q;\nbit a;\nbit b;\nif (a == 1 && b == 1) x q;", WriteOptions{Version: 2}, "bits of two registers"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := mustParse(t, tt.src, nil)
			_, err := Format(c, tt.opts)
			if tt.want == "" {
				if err != nil {
					t.Errorf("refused: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
	// Opaque gates have no OpenQASM 3 form.
	c, _ := mustParse(t, hdr+"opaque g a;\nqreg q[1];\ng q[0];", &Options{AllowOpaque: true})
	if _, err := Format(c, WriteOptions{Version: 3}); err == nil || !strings.Contains(err.Error(), "opaque") {
		t.Errorf("opaque into OpenQASM 3: %v", err)
	}
	if out, err := Format(c, WriteOptions{Version: 2}); err != nil || !strings.Contains(string(out), "opaque g a;") {
		t.Errorf("opaque into OpenQASM 2: %v\n%s", err, out)
	}
}

// TestWriteSymbolicDefinition: in OpenQASM 2 a gate definition whose body
// needs numeric parameters (a doubly controlled general rotation) is
// expanded where it is applied instead of being defined.
func TestWriteSymbolicDefinition(t *testing.T) {
	c, _ := mustParse(t, h3+"gate g(a, b) x, y, z { ctrl(2) @ u3(a, b, 0.3) x, y, z; ctrl(2) @ rz(a) z, y, x; }\nqubit[3] q;\ng(0.1, 0.2) q[0], q[1], q[2];\ng(0.3, 0.4) q[2], q[0], q[1];", nil)
	c2, out := roundTrip(t, c, WriteOptions{Version: 2})
	if strings.Contains(string(out), "gate g(") {
		t.Errorf("g was defined:\n%s", out)
	}
	if d := maxDiff(unitary(t, c2, nil), unitary(t, c, nil)); d > 1e-12 {
		t.Errorf("unitary differs by %g\n%s", d, out)
	}
}

// TestWriteNumbers: every number reads back to the same float64.
func TestWriteNumbers(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	vals := []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 1e-300, 5e-324, 1.7976931348623157e308, -2.5e-8, 123456789012345678, math.Pi, math.Nextafter(math.Pi, 4)}
	for i := 0; i < 200; i++ {
		vals = append(vals, math.Float64frombits(rng.Uint64()&^(0x7ff<<52)|uint64(rng.IntN(2046)+1)<<52))
	}
	c := circuit.New(1, 0)
	for _, v := range vals {
		c.GP(circuit.UQiskit, []float64{v, -v, v / 3}, 0)
	}
	for _, version := range []int{2, 3} {
		c2, _ := roundTrip(t, c, WriteOptions{Version: version})
		// U in OpenQASM 3 is written as a helper; its parameters are those
		// of the helper's application.
		for i, op := range c2.Ops {
			for j, p := range op.Params {
				got, want := p.Eval(nil), c.Ops[i].Params[j].Eval(nil)
				if math.Float64bits(got) != math.Float64bits(want) {
					t.Errorf("version %d: %v read back as %v", version, want, got)
				}
			}
		}
	}
}

// TestWriteDeterministic: the same circuit gives the same bytes.
func TestWriteDeterministic(t *testing.T) {
	g := newGen(9, true)
	c := g.circuit(4, 2, 30)
	_, byName := values(c, g.rng)
	for _, opts := range []WriteOptions{{Version: 3}, {Version: 2, Params: byName}} {
		first, err := Format(c, opts)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 5; i++ {
			again, _ := Format(c, opts)
			if !bytes.Equal(first, again) {
				t.Fatalf("version %d: output differs between calls", opts.Version)
			}
		}
	}
}

// TestQASM2AndQASM3Agree: the OpenQASM 2 and OpenQASM 3 versions of the
// same circuit, written independently by hand, give the same
// probabilities.
func TestQASM2AndQASM3Agree(t *testing.T) {
	q2 := hdr + `qreg q[3];
creg c[3];
h q[0];
cu1(pi/3) q[0], q[1];
crz(0.4) q[1], q[2];
u3(0.3, 0.2, 0.1) q[2];
ccx q[0], q[1], q[2];
measure q[0] -> c[0];
if (c == 1) x q[1];
rxx(0.7) q[1], q[2];
measure q[1] -> c[1];
measure q[2] -> c[2];
`
	q3 := h3 + `qubit[3] q;
bit[3] c;
h q[0];
ctrl @ p(π/3) q[0], q[1];
ctrl @ rz(0.4) q[1], q[2];
U(0.3, 0.2, 0.1) q[2];
ctrl(2) @ x q[0], q[1], q[2];
c[0] = measure q[0];
if (c == 1) { x q[1]; }
h q[1]; h q[2]; cx q[1], q[2]; rz(0.7) q[2]; cx q[1], q[2]; h q[1]; h q[2];
c[1] = measure q[1];
measure q[2] -> c[2];
`
	c2, _ := mustParse(t, q2, nil)
	c3, _ := mustParse(t, q3, nil)
	p2, cl2, ok2 := outcomes(c2)
	p3, cl3, ok3 := outcomes(c3)
	if !ok2 || !ok3 {
		t.Fatal("outcomes not computed")
	}
	if d := distDiff(p2, p3); d > 1e-12 {
		t.Errorf("probabilities differ by %g", d)
	}
	if d := distDiff(cl2, cl3); d > 1e-12 {
		t.Errorf("classical outcomes differ by %g", d)
	}
}

// TestWriteTooLarge: expanding nested definitions that double at every
// level is refused quickly, not written.
func TestWriteTooLarge(t *testing.T) {
	var b strings.Builder
	b.WriteString(h3 + "gate g0(a) x, y, z { ctrl(2) @ u3(a, a, a) x, y, z; }\n")
	for i := 1; i < 40; i++ {
		fmt.Fprintf(&b, "gate g%d(a) x, y, z { g%d(a) x, y, z; g%d(a) z, y, x; }\n", i, i-1, i-1)
	}
	b.WriteString("qubit[3] q;\ng39(0.1) q[0], q[1], q[2];\n")
	c, _ := mustParse(t, b.String(), &Options{NoExpandLimit: true})
	for _, opts := range []WriteOptions{{Version: 2}, {Version: 3, Flatten: true}} {
		if _, err := Format(c, opts); err == nil || !strings.Contains(err.Error(), "would write more than") {
			t.Errorf("%+v: %v", opts, err)
		}
	}
	if _, err := Format(c, WriteOptions{Version: 3}); err != nil {
		t.Errorf("as definitions: %v", err)
	}
}
