package bench

import (
	"fmt"
	"math"

	"github.com/itsubaki/q"
	"github.com/itsubaki/q/math/matrix"

	"born/circuit"
)

// Itsubaki runs circuit c on github.com/itsubaki/q v0.0.11, gate by gate,
// with symbol values vals, and returns its simulator after the run. Its
// qubit k is born's qubit n-1-k, so that amplitude indices agree. Gates
// it has no method for are built from ones it has: fSim(theta, phi) as
// exp(-i theta (XX+YY)/2) from CNOTs and rotations, then a controlled
// phase; sqrt(X), sqrt(Y), sqrt(W) with its general 1-qubit gate.
func Itsubaki(c *circuit.Circuit, vals []float64) (*q.Q, error) {
	sim := q.New()
	reg := sim.Zeros(c.NumQubits)
	if err := ItsubakiApply(sim, reg, c, vals); err != nil {
		return nil, err
	}
	return sim, nil
}

// ItsubakiApply applies c's gates to the itsubaki register reg (reg[k] is
// born's qubit n-1-k; see Itsubaki).
func ItsubakiApply(sim *q.Q, reg []q.Qubit, c *circuit.Circuit, vals []float64) error {
	n := c.NumQubits
	qb := func(k int) q.Qubit { return reg[n-1-k] }
	for i, op := range c.Ops {
		if op.Kind != circuit.GateOp || len(op.Mods) > 0 {
			return fmt.Errorf("itsubaki baseline: op %d: only unmodified gates are supported", i)
		}
		p := make([]float64, len(op.Params))
		for j, e := range op.Params {
			p[j] = e.Eval(vals)
		}
		qs := op.Qubits
		switch op.Gate.Name {
		case "h":
			sim.H(qb(qs[0]))
		case "x":
			sim.X(qb(qs[0]))
		case "u3", "u":
			sim.U(p[0], p[1], p[2], qb(qs[0]))
		case "rx":
			sim.RX(p[0], qb(qs[0]))
		case "rz":
			if op.Gate != circuit.StdGates["rz"] {
				return fmt.Errorf("itsubaki baseline: qelib1's rz is u1; use stdgates' rz")
			}
			sim.RZ(p[0], qb(qs[0]))
		case "cx":
			sim.CNOT(qb(qs[0]), qb(qs[1]))
		case "cp", "cu1":
			sim.CR(p[0], qb(qs[0]), qb(qs[1]))
		case "swap":
			sim.Swap(qb(qs[0]), qb(qs[1]))
		case "sqrt_x", "sqrt_y", "sqrt_w":
			sim.G(toMatrix(op.Gate.Matrix(nil)), qb(qs[0]))
		case "fsim":
			itsubakiFSim(sim, qb(qs[0]), qb(qs[1]), p[0], p[1])
		default:
			return fmt.Errorf("itsubaki baseline: gate %s not supported", op.Gate.Name)
		}
	}
	return nil
}

func toMatrix(m circuit.Matrix) *matrix.Matrix {
	return matrix.New([]complex128{m[0], m[1]}, []complex128{m[2], m[3]})
}

// itsubakiFSim applies fSim(theta, phi) on (a, b): XX and YY commute, and
// exp(-i t XX/2) = CNOT(a,b) RX(t)_a CNOT(a,b); YY is XX conjugated by
// S on both qubits; then the phase e^{-i phi} on |11>.
func itsubakiFSim(sim *q.Q, a, b q.Qubit, theta, phi float64) {
	xx := func() {
		sim.CNOT(a, b)
		sim.RX(theta, a)
		sim.CNOT(a, b)
	}
	xx()
	sim.R(-math.Pi/2, a, b) // S^dagger
	xx()
	sim.R(math.Pi/2, a, b) // S
	sim.CR(-phi, a, b)
}
