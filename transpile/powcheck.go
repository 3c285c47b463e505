package transpile

import (
	"fmt"
	"math"
	"math/big"
	"math/cmplx"

	"born/circuit"
)

// maxPowCheckQubits bounds the operations CheckPowers multiplies out.
const maxPowCheckQubits = 6

// CheckPowers checks every integer power of a gate in c (pow(k) @, with
// numeric parameters, on at most 6 qubits) by a route that shares nothing
// with the lowering's: the operation without its power modifiers is
// multiplied out, and its k-th power computed from its eigenvalues (for a
// 2x2 or diagonal matrix: each eigenvalue e^{2 pi i a/b} with a small
// denominator raised exactly as e^{2 pi i (a k mod b)/b}, others by their
// phase times k reduced modulo 2 pi with ReduceAngle's 1264-bit pi) or,
// for other matrices and |k| <= 4096, as k plain products. It is compared with the lowered operation's
// matrix. Exports verify against the lowered source, so a wrong power in
// the lowering would pass that comparison; this one catches it. It returns
// the number of powers checked and an error naming the first that differs
// by more than 1e-9 in any entry.
func CheckPowers(c *circuit.Circuit) (int, error) {
	checked := 0
	for i := range c.Ops {
		op := &c.Ops[i]
		if op.Kind != circuit.GateOp {
			continue
		}
		k, rest, ok := splitPow(op)
		if !ok || len(op.Qubits) > maxPowCheckQubits {
			continue
		}
		vals := make([]float64, len(op.Params))
		numeric := true
		for j, e := range op.Params {
			if !circuit.IsConst(e) {
				numeric = false
				break
			}
			vals[j] = e.Eval(nil)
		}
		if !numeric {
			continue
		}
		// Both operations act on qubits 0..n-1 of a circuit of their own.
		local := func(mods []circuit.Modifier) *circuit.Circuit {
			qs := make([]int, len(op.Qubits))
			for j := range qs {
				qs[j] = j
			}
			return &circuit.Circuit{NumQubits: len(qs), Ops: []circuit.Op{{Kind: circuit.GateOp, Gate: op.Gate, Params: op.Params, Mods: mods, Qubits: qs}}}
		}
		base, err := local(rest).Unitary(nil)
		if err != nil {
			continue // the lowering reports it
		}
		want, exact, ok := powerIndependent(base, k)
		if !ok {
			continue
		}
		// An eigenphase known to a rounding error e is known to k e after
		// the power, by any method: the tolerance grows with k unless every
		// eigenvalue is a root of unity of small order.
		tol := 1e-9
		if !exact {
			tol = max(tol, 1e-14*math.Abs(k))
		}
		got, err := lowered(local(op.Mods))
		if err != nil {
			return checked, fmt.Errorf("verify: operation %d (%s): %v", i, op.Gate.Name, err)
		}
		if d := circuit.MaxDiff(got, want); !(d <= tol) {
			return checked, fmt.Errorf("verify: pow(%s) @ %s lowers to a matrix %.3g away from its power computed from its eigenvalues; this is a bug in born", circuit.FormatFloat(k), op.Gate.Name, d)
		}
		checked++
	}
	return checked, nil
}

// lowered is the matrix the lowering gives a circuit, which CheckPowers
// checks (a variable so that a test can give it a wrong lowering to catch).
var lowered = func(c *circuit.Circuit) (circuit.Matrix, error) { return c.Unitary(nil) }

// splitPow returns the product k of op's pow modifiers when it is an integer
// other than 1 and every pow modifier comes after the ctrl ones (so that
// op's matrix is the k-th power of op without them), with the other
// modifiers.
func splitPow(op *circuit.Op) (k float64, rest []circuit.Modifier, ok bool) {
	k = 1
	seenPow := false
	for _, m := range op.Mods {
		switch m.Kind {
		case circuit.Pow:
			k *= m.Exp
			seenPow = true
		case circuit.Ctrl, circuit.NegCtrl:
			if seenPow {
				return 0, nil, false // ctrl inside a power: not a plain power
			}
			rest = append(rest, m)
		default:
			rest = append(rest, m)
		}
	}
	if !seenPow || k == 1 || k != math.Trunc(k) || math.IsInf(k, 0) {
		return 0, nil, false
	}
	return k, rest, true
}

// powerIndependent returns m^k by eigenvalues for a 2x2 or diagonal m, or by
// |k| plain products for |k| <= 4096; false otherwise. exact reports that
// every eigenvalue was a root of unity of small order, raised exactly.
func powerIndependent(m circuit.Matrix, k float64) (p circuit.Matrix, exact, ok bool) {
	d := m.Dim()
	switch {
	case circuit.IsDiagonal(m):
		out := make(circuit.Matrix, d*d)
		exact = true
		for i := 0; i < d; i++ {
			var e bool
			out[i*d+i], e = scalarPow(m[i*d+i], k)
			exact = exact && e
		}
		return out, exact, true
	case d == 2:
		a, b, c, dd := m[0], m[1], m[2], m[3]
		tr, det := a+dd, a*dd-b*c
		disc := cmplx.Sqrt(tr*tr - 4*det)
		l1, l2 := (tr+disc)/2, (tr-disc)/2
		if cmplx.Abs(l1-l2) < 1e-9 {
			p, e := scalarPow(l1, k)
			return circuit.Matrix{p, 0, 0, p}, e, true
		}
		// m = l1 P1 + l2 (I - P1), P1 = (m - l2 I)/(l1 - l2).
		inv := 1 / (l1 - l2)
		p1 := circuit.Matrix{(a - l2) * inv, b * inv, c * inv, (dd - l2) * inv}
		f1, e1 := scalarPow(l1, k)
		f2, e2 := scalarPow(l2, k)
		return circuit.Matrix{
			f1*p1[0] + f2*(1-p1[0]), (f1 - f2) * p1[1],
			(f1 - f2) * p1[2], f1*p1[3] + f2*(1-p1[3]),
		}, e1 && e2, true
	case math.Abs(k) <= 4096:
		base := m
		if k < 0 {
			base = circuit.Dagger(m)
		}
		out := circuit.Identity(d)
		for range int(math.Abs(k)) {
			out = circuit.MatMul(out, base)
		}
		return out, true, true
	}
	return nil, false, false
}

// scalarPow returns z^k for a unit-modulus z and an integer k: exactly
// through k mod b when z's phase is 2 pi a/b with b <= 4096 (exact is then
// true), else from its phase times k (exact in big.Float) reduced modulo
// 2 pi with ReduceAngle's 1264-bit pi, accurate for any float64 k.
func scalarPow(z complex128, k float64) (zk complex128, exact bool) {
	th := cmplx.Phase(z)
	f := th / (2 * math.Pi)
	kb, _ := new(big.Float).SetFloat64(k).Int(nil)
	for b := int64(1); b <= 4096; b++ {
		a := math.Round(f * float64(b))
		if math.Abs(f*float64(b)-a) < 1e-11*float64(b) {
			// (a k) mod b, exactly.
			r := new(big.Int).Mul(big.NewInt(int64(a)), kb)
			r.Mod(r, big.NewInt(b))
			s, c := math.Sincos(2 * math.Pi * float64(r.Int64()) / float64(b))
			return complex(c, s), true
		}
	}
	p := fourPiBig().Prec()
	twoPi := new(big.Float).SetPrec(p).Quo(fourPiBig(), big.NewFloat(2)) // exact
	x := new(big.Float).SetPrec(p).Mul(new(big.Float).SetPrec(p).SetFloat64(th), new(big.Float).SetPrec(p).SetInt(kb))
	q := new(big.Float).SetPrec(p).Quo(x, twoPi)
	qi, _ := q.Int(nil)
	x.Sub(x, new(big.Float).SetPrec(p).Mul(twoPi, new(big.Float).SetPrec(p).SetInt(qi)))
	r, _ := x.Float64()
	s, c := math.Sincos(r)
	return complex(c, s), false
}
