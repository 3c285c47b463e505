package transpile

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"born/circuit"
)

// randomU returns a Haar-ish random 2x2 unitary with a random global phase.
func randomU(rng *rand.Rand) circuit.Matrix {
	t, p, l := rng.Float64()*math.Pi, rng.Float64()*4*math.Pi-2*math.Pi, rng.Float64()*4*math.Pi-2*math.Pi
	return circuit.Scale(circuit.Expi(rng.Float64()*2*math.Pi), circuit.MatU(t, p, l))
}

// equalUpToPhase reports max |a - e^{i phase} b| for the best phase.
func diffUpToPhase(a, b circuit.Matrix) float64 {
	return circuit.MaxDiff(a, circuit.Scale(circuit.Expi(phaseOf(a, b)), b))
}

// nodesUnitary returns the unitary of IR nodes on n qubits (unitary nodes
// only), by applying them to every basis state.
func nodesUnitary(t *testing.T, nodes []node, n int) circuit.Matrix {
	t.Helper()
	d := 1 << n
	u := make(circuit.Matrix, d*d)
	for j := 0; j < d; j++ {
		col := make([]complex128, d)
		col[j] = 1
		for _, nd := range nodes {
			switch nd.kind {
			case k1:
				circuit.ApplyRef(col, nd.m, nd.q, nil, 0)
			case kCX:
				circuit.ApplyRef(col, matX, nd.q[1:], nd.q[:1], 1)
			case kSwap:
				circuit.ApplyRef(col, matSwap, nd.q, nil, 0)
			case kBasis1:
				circuit.ApplyRef(col, Gate1{Name: nd.name, Params: nd.params}.Matrix(), nd.q, nil, 0)
			case k2:
				var m circuit.Matrix
				switch nd.name {
				case "cz":
					m = circuit.Diag(1, 1, 1, -1)
				case "cx", "cnot":
					m = circuit.Controlled(matX, 1, 1)
				case "ecr":
					m = MatECR()
				case "ms":
					m = MatMS(nd.params[0], nd.params[1], nd.params[2])
				default:
					t.Fatalf("nodesUnitary: 2-qubit gate %s", nd.name)
				}
				circuit.ApplyRef(col, m, nd.q, nil, 0)
			case kBarrier:
			default:
				t.Fatalf("nodesUnitary: node kind %d", nd.kind)
			}
		}
		for i := 0; i < d; i++ {
			u[i*d+j] = col[i]
		}
	}
	return u
}

func approxEqual(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func cabs(z complex128) float64 { return cmplx.Abs(z) }
