package mps

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"born/circuit"
)

var lib = circuit.QELib1Gates

// gateMix says which kinds of gates randomCircuit draws.
type gateMix struct {
	twoQ, threeQ, multiCtrl, phases bool
}

var allGates = gateMix{true, true, true, true}

func angles(r *rand.Rand, k int) []float64 {
	a := make([]float64, k)
	for i := range a {
		a[i] = (r.Float64()*2 - 1) * math.Pi
	}
	return a
}

// randomCircuit returns a circuit of ops random operations on n qubits: 1q
// gates, 2q gates between arbitrary pairs, ccx/cswap, multi-controlled gates
// with positive and negative controls, and controlled phases with no target.
func randomCircuit(r *rand.Rand, n, ops int, mix gateMix) *circuit.Circuit {
	c := circuit.New(n, 0)
	twoQ := []string{"cx", "cz", "cy", "ch", "swap", "rzz", "rxx", "cu3", "crx", "cry", "crz", "cu1", "cu"}
	for i := 0; i < ops; i++ {
		kind := r.IntN(10)
		switch {
		case kind < 3 || n < 2:
			c.GP(lib["u3"], angles(r, 3), r.IntN(n))
		case kind < 6 && mix.twoQ:
			g := lib[twoQ[r.IntN(len(twoQ))]]
			qs := r.Perm(n)[:2]
			c.GP(g, angles(r, len(g.Params)), qs...)
		case kind == 6 && mix.threeQ && n >= 3:
			g := lib[[]string{"ccx", "cswap", "rccx"}[r.IntN(3)]]
			c.G(g, r.Perm(n)[:3]...)
		case kind == 7 && mix.multiCtrl && n >= 3:
			// ctrl(a) @ negctrl(b) @ u3 or @ rzz
			nt := 1 + r.IntN(2)
			nc := 1 + r.IntN(min(3, n-nt))
			a := r.IntN(nc + 1)
			mods := []circuit.Modifier{}
			if a > 0 {
				mods = append(mods, circuit.Modifier{Kind: circuit.Ctrl, N: a})
			}
			if nc-a > 0 {
				mods = append(mods, circuit.Modifier{Kind: circuit.NegCtrl, N: nc - a})
			}
			g := lib["u3"]
			if nt == 2 {
				g = lib["rxx"]
			}
			c.Ops = append(c.Ops, circuit.Op{Kind: circuit.GateOp, Gate: g, Params: consts(angles(r, len(g.Params))),
				Mods: mods, Qubits: r.Perm(n)[:nc+nt]})
		case kind == 8 && mix.phases:
			// ctrl(k) @ gphase: a phase with no target (k = 0: global)
			k := r.IntN(min(4, n+1))
			mods := []circuit.Modifier{}
			if k > 0 {
				mods = append(mods, circuit.Modifier{Kind: circuit.Ctrl, N: k})
			}
			c.Ops = append(c.Ops, circuit.Op{Kind: circuit.GateOp, Gate: circuit.GPhase, Params: consts(angles(r, 1)),
				Mods: mods, Qubits: r.Perm(n)[:k]})
		default:
			c.GP(lib["u3"], angles(r, 3), r.IntN(n))
		}
	}
	return c
}

func consts(v []float64) []circuit.Expr {
	e := make([]circuit.Expr, len(v))
	for i, x := range v {
		e[i] = circuit.Const(x)
	}
	return e
}

func lower(t testing.TB, c *circuit.Circuit) *circuit.Lowered {
	t.Helper()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	l, err := c.Lower()
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// reference applies the unitary instructions of l to |0...0> with the dense
// reference kernel.
func reference(l *circuit.Lowered) []complex128 {
	psi := make([]complex128, 1<<l.NumQubits)
	psi[0] = 1
	for i := range l.Instrs {
		in := &l.Instrs[i]
		circuit.ApplyRef(psi, in.Matrix(nil), in.Targets, in.Controls, in.CtrlState)
	}
	return psi
}

// run applies the unitary instructions of l to a new MPS.
func run(t testing.TB, l *circuit.Lowered, opts Options) *State {
	t.Helper()
	s, err := New(l.NumQubits, opts)
	if err != nil {
		t.Fatal(err)
	}
	for i := range l.Instrs {
		in := &l.Instrs[i]
		s.Apply(in.Matrix(nil), in.Targets, in.Controls, in.CtrlState)
	}
	return s
}

func maxAbsDiff(a, b []complex128) float64 {
	var m float64
	for i := range a {
		m = math.Max(m, cmplx.Abs(a[i]-b[i]))
	}
	return m
}

func overlap(a, b []complex128) complex128 {
	var acc complex128
	for i := range a {
		acc += cmplx.Conj(a[i]) * b[i]
	}
	return acc
}

// randomMPS returns an n-qubit MPS with random tensors whose bonds are
// min(chi, 2^i, 2^(n-i)), brought to canonical form and normalised.
func randomMPS(r *rand.Rand, n, chi int) *State {
	bond := func(i int) int { // bond left of site i
		if i == 0 || i == n {
			return 1
		}
		b := chi
		if i < 30 {
			b = min(b, 1<<i)
		}
		if n-i < 30 {
			b = min(b, 1<<(n-i))
		}
		return b
	}
	ts := make([]Tensor, n)
	for i := range ts {
		dl, dr := bond(i), bond(i+1)
		a := make([]complex128, dl*2*dr)
		for j := range a {
			a[j] = complex(r.NormFloat64(), r.NormFloat64())
		}
		ts[i] = Tensor{DL: dl, DR: dr, A: a}
	}
	s, err := FromTensors(ts, Options{MaxBond: chi})
	if err != nil {
		panic(err)
	}
	return s
}

// randomUnitary returns a Haar-ish random d×d unitary (QR of a Gaussian).
func randomUnitary(r *rand.Rand, d int) circuit.Matrix {
	a := make([]complex128, d*d)
	for i := range a {
		a[i] = complex(r.NormFloat64(), r.NormFloat64())
	}
	q, _ := qr(d, d, a)
	return circuit.Matrix(q)
}
