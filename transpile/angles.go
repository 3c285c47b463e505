package transpile

import (
	"fmt"
	"math"
	"math/big"
	"sync"

	"born/circuit"
)

// MaxAngle is the largest gate angle, in radians, that Transpile
// decomposes. Decomposition adds, halves and re-synthesises angles in
// float64, and each such step can lose a rounding error of the angle's
// size times 2^-53: measured on random 3-qubit circuits (300 per size and
// target), the exports' largest probability error grows as about 5e-17
// times the angle, 7e-12 at 1e5 rad, 7e-11 at 1e6 rad, and the first
// failures of the 1e-10 verification come at 2e6 rad (half the circuits
// fail from 1e9 rad on). A larger angle is refused with the reduced angle
// to write instead; the qasm2 and qasm3 targets write angles as they are
// and take any finite value.
const MaxAngle = 1e5

// AngleError reports a gate angle too large to decompose for export.
type AngleError struct {
	Op      int     // index into the source circuit's Ops
	Gate    string  // the operation as written, e.g. "rx(3e+15) q[1]"
	Param   int     // which of its parameters, from 0
	Params  int     // how many it has
	Value   float64 // the angle
	Reduced float64 // Value reduced exactly modulo 4 pi, into [-2 pi, 2 pi]
	Builtin bool    // the gate is built in, so Reduced gives the same matrix
}

func (e *AngleError) Error() string {
	which := ""
	if e.Params > 1 {
		which = fmt.Sprintf(" (parameter %d of %d)", e.Param+1, e.Params)
	}
	msg := fmt.Sprintf("op %d (%s): angle %g rad%s is too large to export: beyond %g rad, float64 arithmetic on angles loses more than the 1e-10 exports are verified to (float64 numbers near %.0e are %.2g apart)",
		e.Op, e.Gate, e.Value, which, MaxAngle, math.Abs(e.Value), ulp(e.Value))
	if e.Builtin {
		return msg + fmt.Sprintf("; write it reduced modulo 4*pi, %.17g, which gives the same matrix exactly (or export to qasm3, which writes angles as they are)", e.Reduced)
	}
	return msg + fmt.Sprintf("; reduce it in the source (modulo 4*pi it is %.17g) or export to qasm3, which writes angles as they are", e.Reduced)
}

func ulp(x float64) float64 {
	x = math.Abs(x)
	return math.Nextafter(x, math.Inf(1)) - x
}

// checkAngles refuses constant gate parameters beyond MaxAngle: those of
// the operations, and then those that the definitions of user gates
// compute from them.
func checkAngles(c *circuit.Circuit) error {
	for i := range c.Ops {
		op := &c.Ops[i]
		for j, p := range op.Params {
			if !circuit.IsConst(p) {
				continue
			}
			if v := p.Eval(nil); math.Abs(v) > MaxAngle {
				return &AngleError{Op: i, Gate: describe(c, op), Param: j, Params: len(op.Params), Value: v, Reduced: ReduceAngle(v),
					Builtin: op.Gate != nil && op.Gate.Lib != circuit.LibUser}
			}
		}
	}
	l, err := c.Lower()
	if err != nil {
		return nil // decomposition reports what is wrong
	}
	for _, in := range l.Instrs {
		for j, p := range in.Params {
			if !circuit.IsConst(p) {
				continue
			}
			if v := p.Eval(nil); math.Abs(v) > MaxAngle {
				name := "a gate"
				if in.Gate != nil {
					name = in.Gate.Name
				}
				return &AngleError{Op: in.Op, Gate: describe(c, &c.Ops[in.Op]) + ", in its definition " + name,
					Param: j, Params: len(in.Params), Value: v, Reduced: ReduceAngle(v)}
			}
		}
	}
	return nil
}

var (
	fourPiOnce sync.Once
	fourPi     *big.Float // 4 pi to fourPiPrec bits
)

// fourPiPrec is enough bits of 4 pi to reduce any float64 exactly: a
// float64 below 2^1024 has at most 1024 integer bits, and the remainder
// needs 53 more plus guard bits.
const fourPiPrec = 1200

// arctanInv returns arctan(1/x) to prec bits by its Taylor series.
func arctanInv(x int64, prec uint) *big.Float {
	sum := new(big.Float).SetPrec(prec)
	xf := new(big.Float).SetPrec(prec).SetInt64(x)
	x2 := new(big.Float).SetPrec(prec).Mul(xf, xf)
	pow := new(big.Float).SetPrec(prec).Quo(big.NewFloat(1).SetPrec(prec), xf) // 1/x^(2k+1)
	eps := new(big.Float).SetPrec(prec).SetMantExp(big.NewFloat(1), -int(prec)-8)
	term := new(big.Float).SetPrec(prec)
	for k := int64(0); ; k++ {
		term.Quo(pow, new(big.Float).SetPrec(prec).SetInt64(2*k+1))
		if k%2 == 0 {
			sum.Add(sum, term)
		} else {
			sum.Sub(sum, term)
		}
		if term.Cmp(eps) < 0 {
			return sum
		}
		pow.Quo(pow, x2)
	}
}

// fourPiBig returns 4 pi to fourPiPrec+64 bits, by Machin's formula pi =
// 16 arctan(1/5) - 4 arctan(1/239), computed once.
func fourPiBig() *big.Float {
	fourPiOnce.Do(func() {
		p := uint(fourPiPrec + 64)
		pi := new(big.Float).SetPrec(p).Mul(big.NewFloat(16).SetPrec(p), arctanInv(5, p))
		pi.Sub(pi, new(big.Float).SetPrec(p).Mul(big.NewFloat(4).SetPrec(p), arctanInv(239, p)))
		fourPi = pi.Mul(pi, big.NewFloat(4).SetPrec(p))
	})
	return fourPi
}

// ReduceAngle returns v - 4 pi k for the integer k that puts it in
// [-2 pi, 2 pi], computed exactly (with 4 pi to 1200 bits, by Machin's
// formula pi = 16 arctan(1/5) - 4 arctan(1/239)) and rounded once. Every
// built-in gate is 4 pi-periodic in each angle, global phase included, so
// the reduced angle gives the same matrix.
func ReduceAngle(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) <= 2*math.Pi {
		return v
	}
	fourPi := fourPiBig()
	p := fourPi.Prec()
	x := new(big.Float).SetPrec(p).SetFloat64(v)
	q := new(big.Float).SetPrec(p).Quo(x, fourPi)
	k, _ := q.Int(nil) // truncated
	// Round to the nearest integer.
	frac := new(big.Float).SetPrec(p).Sub(q, new(big.Float).SetPrec(p).SetInt(k))
	if f, _ := frac.Float64(); f > 0.5 {
		k.Add(k, big.NewInt(1))
	} else if f < -0.5 {
		k.Sub(k, big.NewInt(1))
	}
	r := new(big.Float).SetPrec(p).Mul(new(big.Float).SetPrec(p).SetInt(k), fourPi)
	r.Sub(x, r)
	out, _ := r.Float64()
	return out
}
