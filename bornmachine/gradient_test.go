package bornmachine

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/diff/fd"

	"born/circuit"
	"born/dataset"
	"born/model"
)

// randomCircuit returns an n-qubit circuit with nsym symbols and about
// ngates gates drawn from every parameterised gate family born has a rule
// for: rotations, phases, U in both conventions, two-qubit rotations,
// controlled rotations and phases (two- and four-term shift rules), gates
// under inv and pow(2), ctrl @ modifiers, parameters shared between gates
// and parameters inside expressions (2*t+1, sin(t), t*u).
func randomCircuit(rng *rand.Rand, n, nsym, ngates int) *circuit.Circuit {
	c := circuit.New(n, 0)
	syms := make([]circuit.Sym, nsym)
	for i := range syms {
		syms[i] = c.Symbol(fmt.Sprintf("t%d", i))
	}
	param := func() circuit.Expr {
		s := syms[rng.IntN(nsym)]
		switch rng.IntN(6) {
		case 0:
			return circuit.Add(circuit.Mul(circuit.Const(2), s), circuit.Const(1))
		case 1:
			return circuit.Call{Fn: "sin", X: s}
		case 2:
			return circuit.Mul(s, syms[rng.IntN(nsym)])
		case 3:
			return circuit.Const(rng.Float64() * 3)
		}
		return s
	}
	std, qe := circuit.StdGates, circuit.QELib1Gates
	one := []*circuit.GateDef{std["rx"], std["ry"], std["rz"], std["p"], std["u3"], std["u2"], qe["u3"], qe["rz"], qe["u1"], circuit.CoreQASM3["U"], circuit.CoreQASM2["U"], std["h"], std["sx"]}
	two := []*circuit.GateDef{std["crx"], std["cry"], std["crz"], std["cp"], std["cu"], qe["cu3"], qe["rxx"], qe["rzz"], std["cx"], std["cz"]}
	// Start away from |0...0> so that every gate matters.
	for q := range n {
		c.G(std["h"], q)
	}
	for range ngates {
		var g *circuit.GateDef
		var qs []int
		if n > 1 && rng.IntN(2) == 0 {
			g = two[rng.IntN(len(two))]
			a := rng.IntN(n)
			b := (a + 1 + rng.IntN(n-1)) % n
			qs = []int{a, b}
		} else {
			g = one[rng.IntN(len(one))]
			qs = []int{rng.IntN(n)}
		}
		ps := make([]circuit.Expr, len(g.Params))
		for i := range ps {
			ps[i] = param()
		}
		op := circuit.Op{Kind: circuit.GateOp, Gate: g, Params: ps, Qubits: qs}
		switch k := rng.IntN(8); {
		case k == 0:
			op.Mods = []circuit.Modifier{{Kind: circuit.Inv}}
		case k == 1 && len(g.Params) == 1:
			op.Mods = []circuit.Modifier{{Kind: circuit.Pow, Exp: 2}}
		case k == 2 && len(qs) == 1 && n > 1:
			ctl := (qs[0] + 1 + rng.IntN(n-1)) % n
			op.Mods = []circuit.Modifier{{Kind: circuit.Ctrl, N: 1}}
			op.Qubits = []int{ctl, qs[0]}
		}
		c.Ops = append(c.Ops, op)
	}
	return c
}

// randomData returns a distribution on a random subset of n-bit states.
func randomData(rng *rand.Rand, n int, metric dataset.Metric) *dataset.Dataset {
	d := &dataset.Dataset{Spec: "random", Bits: n, Metric: metric}
	var total float64
	for x := range uint64(1) << uint(n) {
		if rng.IntN(3) == 0 {
			w := rng.Float64() + 0.1
			d.States = append(d.States, x)
			d.Probs = append(d.Probs, w)
			total += w
		}
	}
	if len(d.States) == 0 {
		d.States, d.Probs, total = []uint64{0}, []float64{1}, 1
	}
	for i := range d.Probs {
		d.Probs[i] /= total
	}
	return d
}

// TestGradientsAgree checks, on random circuits and data, for every loss,
// that the shift and adjoint gradients agree to 1e-10 and both agree with
// central finite differences of the loss (gonum diff/fd) to 1e-6.
func TestGradientsAgree(t *testing.T) {
	losses := []struct {
		name   string
		metric dataset.Metric
	}{{dataset.LossMMD, dataset.Hamming}, {dataset.LossMMD, dataset.Integer}, {dataset.LossKL, dataset.Hamming}, {dataset.LossNLL, dataset.Hamming}}
	trials := 4
	if testing.Short() {
		trials = 2
	}
	for _, lc := range losses {
		for trial := range trials {
			t.Run(fmt.Sprintf("%s-%s-%d", lc.name, lc.metric, trial), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(uint64(trial), 7))
				n := 2 + trial%3
				nsym := 3 + rng.IntN(4)
				c := randomCircuit(rng, n, nsym, 14)
				m, err := NewQCBM(c, nil)
				if err != nil {
					t.Fatal(err)
				}
				data := randomData(rng, n, lc.metric)
				theta := make([]float64, nsym)
				for i := range theta {
					theta[i] = rng.Float64()*4 - 2
				}
				cfg := model.ObjectiveConfig{Loss: lc.name, Sigmas: []float64{0.5, 1, 2, 4}, Grad: GradShift}
				shift, err := m.Objective(data, cfg)
				if err != nil {
					t.Fatal(err)
				}
				cfg.Grad = GradAdjoint
				adj, err := m.Objective(data, cfg)
				if err != nil {
					t.Fatal(err)
				}
				gs := make([]float64, nsym)
				ga := make([]float64, nsym)
				evs, err := shift.Eval(1, theta, gs)
				if err != nil {
					t.Fatal(err)
				}
				eva, err := adj.Eval(1, theta, ga)
				if err != nil {
					t.Fatal(err)
				}
				if evs.Loss != eva.Loss {
					t.Fatalf("losses differ: %v vs %v", evs.Loss, eva.Loss)
				}
				f := func(x []float64) float64 {
					ev, err := adj.Eval(1, x, nil)
					if err != nil {
						t.Fatal(err)
					}
					return ev.Loss
				}
				gf := fd.Gradient(nil, f, theta, &fd.Settings{Formula: fd.Central, Step: 1e-5})
				for i := range gs {
					if d := math.Abs(gs[i] - ga[i]); d > 1e-10 {
						t.Errorf("param %d: shift %.15g adjoint %.15g (diff %.2g)", i, gs[i], ga[i], d)
					}
					if d := math.Abs(ga[i] - gf[i]); d > 1e-6 {
						t.Errorf("param %d: adjoint %.12g finite differences %.12g (diff %.2g)", i, ga[i], gf[i], d)
					}
				}
			})
		}
	}
}

// qasmProgram is an OpenQASM 3 circuit with input parameters, a shared
// parameter, an expression of one, and a controlled rotation.
const qasmProgram = `OPENQASM 3.0;
include "stdgates.inc";
input float[64] a;
input float[64] b;
qubit[3] q;
h q[0];
rx(a) q[0];
ry(2*b+1) q[1];
cx q[0], q[2];
crx(a) q[1], q[2];
cp(b) q[0], q[1];
ctrl @ rz(a/2) q[2], q[0];
`

// TestQASMCircuit trains the parameters of an OpenQASM 3 program: the
// gradients agree as on built-in circuits, and the model saves its source
// and loads back.
func TestQASMCircuit(t *testing.T) {
	m, _, err := NewQCBMFromQASM("c.qasm", []byte(qasmProgram), nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.NumParams() != 2 || m.NumBits() != 3 {
		t.Fatalf("%d parameters on %d qubits", m.NumParams(), m.NumBits())
	}
	data := randomData(rand.New(rand.NewPCG(1, 1)), 3, dataset.Hamming)
	theta := []float64{0.7, -1.2}
	var grads [2][]float64
	for i, g := range []string{GradShift, GradAdjoint} {
		obj, err := m.Objective(data, model.ObjectiveConfig{Loss: dataset.LossMMD, Sigmas: []float64{1, 2}, Grad: g})
		if err != nil {
			t.Fatal(err)
		}
		grads[i] = make([]float64, 2)
		if _, err := obj.Eval(1, theta, grads[i]); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 2 {
		if math.Abs(grads[0][i]-grads[1][i]) > 1e-10 {
			t.Errorf("param %d: shift %v adjoint %v", i, grads[0][i], grads[1][i])
		}
	}
	m.SetParams(theta)
	raw, err := m.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	back, err := loadQCBM(raw)
	if err != nil {
		t.Fatal(err)
	}
	p1, _ := m.Probabilities()
	p2, _ := back.Probabilities()
	for x := range p1 {
		if p1[x] != p2[x] {
			t.Fatalf("loaded model: p(%d) = %v, want %v", x, p2[x], p1[x])
		}
	}
}
