// Package bench measures born's state-vector engine on standard circuits:
// a layer of H on every qubit, qsim-style random circuits (random sqrt(X),
// sqrt(Y), sqrt(W) on every qubit, then fSim gates on a brick pattern, per
// cycle), the quantum Fourier transform, and the quantum circuit Born
// machine for bars and stripes 3x3 at depth 10; plus single 1- and 2-qubit
// gates unfused, which give the raw kernel speed. It reports nanoseconds
// per amplitude per gate, the memory traffic in GB/s and as a fraction of
// a measured in-place read+write stream, and the time the same circuits
// take on github.com/itsubaki/q v0.0.11 for a ratio in the same run.
package bench

import (
	"fmt"
	"math"
	"math/rand/v2"

	"born/circuit"
)

var qe = circuit.QELib1Gates

// Gates of the random circuits, as qsim defines them.
var (
	// SqrtX is X^(1/2) = [[1+i, 1-i], [1-i, 1+i]]/2.
	SqrtX = fixedGate("sqrt_x", circuit.Matrix{
		complex(0.5, 0.5), complex(0.5, -0.5),
		complex(0.5, -0.5), complex(0.5, 0.5)})
	// SqrtY is Y^(1/2) = [[1+i, -1-i], [1+i, 1+i]]/2.
	SqrtY = fixedGate("sqrt_y", circuit.Matrix{
		complex(0.5, 0.5), complex(-0.5, -0.5),
		complex(0.5, 0.5), complex(0.5, 0.5)})
	// SqrtW is W^(1/2) for W = (X+Y)/sqrt 2 (principal square root).
	SqrtW = fixedGate("sqrt_w", sqrtW())
	// FSim is fSim(theta, phi): |01> and |10> rotate by theta with -i sin
	// theta off the diagonal, |11> gets e^{-i phi}.
	FSim = &circuit.GateDef{Name: "fsim", Params: []string{"theta", "phi"}, QubitNames: []string{"a", "b"},
		MatrixFunc: func(p []float64) circuit.Matrix { return MatFSim(p[0], p[1]) }}
)

// Sycamore's fSim angles, which the random circuits use.
const (
	FSimTheta = math.Pi / 2
	FSimPhi   = math.Pi / 6
)

func fixedGate(name string, m circuit.Matrix) *circuit.GateDef {
	return &circuit.GateDef{Name: name, QubitNames: []string{"a"},
		MatrixFunc: func([]float64) circuit.Matrix { return append(circuit.Matrix(nil), m...) }}
}

func sqrtW() circuit.Matrix {
	r := complex(1/math.Sqrt2, 0)
	w := circuit.Matrix{0, r * (1 - 1i), r * (1 + 1i), 0} // (X+Y)/sqrt 2
	m, ok := circuit.Power(w, 0.5)
	if !ok {
		panic("bench: no square root of W")
	}
	return m
}

// MatFSim returns the fSim(theta, phi) matrix.
func MatFSim(theta, phi float64) circuit.Matrix {
	s, c := math.Sincos(theta)
	return circuit.Matrix{
		1, 0, 0, 0,
		0, complex(c, 0), complex(0, -s), 0,
		0, complex(0, -s), complex(c, 0), 0,
		0, 0, 0, circuit.Expi(-phi),
	}
}

// HLayer returns H on every one of n qubits.
func HLayer(n int) *circuit.Circuit {
	c := circuit.New(n, 0)
	for q := 0; q < n; q++ {
		c.G(qe["h"], q)
	}
	return c
}

// Random returns a qsim-style random circuit: per cycle, a random gate of
// sqrt(X), sqrt(Y), sqrt(W) on every qubit (never the same one twice in a
// row on a qubit), then fSim on the pairs (q, q+1) with q even on even
// cycles and odd on odd cycles (a brick pattern on a line).
func Random(n, cycles int, seed uint64) *circuit.Circuit {
	rng := rand.New(rand.NewPCG(seed, 0x51a))
	gates := []*circuit.GateDef{SqrtX, SqrtY, SqrtW}
	prev := make([]int, n)
	for q := range prev {
		prev[q] = -1
	}
	fs := []float64{FSimTheta, FSimPhi}
	c := circuit.New(n, 0)
	for cy := 0; cy < cycles; cy++ {
		for q := 0; q < n; q++ {
			g := rng.IntN(3)
			for g == prev[q] {
				g = rng.IntN(3)
			}
			prev[q] = g
			c.G(gates[g], q)
		}
		for q := cy % 2; q+1 < n; q += 2 {
			c.GP(FSim, fs, q, q+1)
		}
	}
	return c
}

// QFT returns the quantum Fourier transform on n qubits: H and controlled
// phases from the top qubit down, then swaps that reverse the order.
func QFT(n int) *circuit.Circuit {
	c := circuit.New(n, 0)
	for q := n - 1; q >= 0; q-- {
		c.G(qe["h"], q)
		for k := q - 1; k >= 0; k-- {
			c.GP(qe["cp"], []float64{math.Pi / float64(uint64(1)<<uint(q-k))}, k, q)
		}
	}
	for q := 0; q < n/2; q++ {
		c.G(qe["swap"], q, n-1-q)
	}
	return c
}

// BAS33Pairs are the CNOT pairs (control, target) of the Chow-Liu tree of
// bars and stripes 3x3 that the reference QCBM implementation uses.
var BAS33Pairs = [][2]int{{0, 1}, {3, 5}, {3, 6}, {4, 1}, {4, 5}, {4, 7}, {5, 2}, {8, 6}}

// QCBM returns the quantum circuit Born machine of Liu and Wang on n qubits
// with depth d: d+1 layers of rotations Rz(t3) Rx(t2) Rz(t1) per qubit
// (Rz(t1) applied first; the first layer has no t1, the last no t3), with
// one CNOT per pair after every layer but the last. Its (3d+1)n parameters
// are symbols named t<layer>_<qubit>_<j>, in order layer by layer, qubit by
// qubit, (t1, t2, t3). QCBM(9, 10, BAS33Pairs) has 279.
func QCBM(n, d int, pairs [][2]int) *circuit.Circuit {
	c := circuit.New(n, 0)
	rz, rx := circuit.StdGates["rz"], circuit.StdGates["rx"]
	for layer := 0; layer <= d; layer++ {
		for q := 0; q < n; q++ {
			sym := func(j int) []circuit.Expr {
				return []circuit.Expr{c.Symbol(fmt.Sprintf("t%d_%d_%d", layer, q, j))}
			}
			if layer > 0 {
				c.Apply(rz, sym(1), q)
			}
			c.Apply(rx, sym(2), q)
			if layer < d {
				c.Apply(rz, sym(3), q)
			}
		}
		if layer < d {
			for _, p := range pairs {
				c.G(qe["cx"], p[0], p[1])
			}
		}
	}
	return c
}

// Layer1Q returns one random U3 gate on every qubit in turn: applied
// unfused, it times the 1-qubit kernel over all target positions.
func Layer1Q(n int, seed uint64) *circuit.Circuit {
	rng := rand.New(rand.NewPCG(seed, 1))
	c := circuit.New(n, 0)
	for q := 0; q < n; q++ {
		c.GP(qe["u3"], []float64{rng.Float64() * 3, rng.Float64() * 6, rng.Float64() * 6}, q)
	}
	return c
}

// Layer2Q returns fSim with random angles on (q, q+1 mod n) for every q:
// applied unfused, it times the 2-qubit kernel over all placements.
func Layer2Q(n int, seed uint64) *circuit.Circuit {
	rng := rand.New(rand.NewPCG(seed, 2))
	c := circuit.New(n, 0)
	if n < 2 {
		return c
	}
	for q := 0; q < n; q++ {
		c.GP(FSim, []float64{rng.Float64() * 3, rng.Float64() * 6}, q, (q+1)%n)
	}
	return c
}
