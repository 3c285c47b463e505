package statevector

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Measure measures qubit q in the computational basis, collapses the state
// onto the outcome and renormalises it. u, uniform in [0, 1), picks the
// outcome: 0 if u < P(0), else 1 (P taken relative to the state's norm).
func (s *State) Measure(q int, u float64) int {
	s.bit(q, 0)
	p0, p1 := probOne(s.psi, q)
	total := p0 + p1
	out, p := 0, p0
	if u >= p0/total {
		out, p = 1, p1
	}
	collapse(s.psi, q, out, 1/math.Sqrt(p))
	return out
}

// Project projects qubit q onto outcome (0 or 1) and renormalises, and
// returns the probability the outcome had. If that probability is zero the
// state is left unchanged.
func (s *State) Project(q, outcome int) float64 {
	s.bit(q, 0)
	if outcome != 0 && outcome != 1 {
		panic(fmt.Sprintf("statevector: outcome %d is not 0 or 1", outcome))
	}
	p0, p1 := probOne(s.psi, q)
	p := p0
	if outcome == 1 {
		p = p1
	}
	if p == 0 {
		return 0
	}
	collapse(s.psi, q, outcome, 1/math.Sqrt(p))
	return p / (p0 + p1)
}

// Reset sets qubit q to |0>: it measures q (u picks the outcome as in
// Measure) and flips it if the outcome was 1.
func (s *State) Reset(q int, u float64) {
	if s.Measure(q, u) == 1 {
		flip(s.psi, q)
	}
}

// Marginal returns the probability distribution of the given qubits: entry
// x is the probability that qubits[i] reads bit i of x for every i.
func (s *State) Marginal(qubits []int) []float64 {
	used := 0
	for _, q := range qubits {
		used |= s.bit(q, used)
	}
	out := make([]float64, 1<<uint(len(qubits)))
	if len(qubits) == 0 {
		out[0] = s.Norm() * s.Norm()
		return out
	}
	tab := newBitGather(s.n, qubits)
	for i, a := range s.psi {
		out[tab.gather(uint64(i))] += abs2(a)
	}
	return out
}

// Sample draws shots basis states (as indices) from the state's
// distribution, |amplitude|^2 relative to the norm, in O(2^n + shots)
// time: it draws the shots' uniform numbers in sorted order (as normalised
// sums of exponential spacings), walks the cumulative distribution once, and
// shuffles the result. The result depends only on rng's stream.
func (s *State) Sample(shots int, rng *rand.Rand) []uint64 {
	out := make([]uint64, shots)
	if shots <= 0 {
		return out
	}
	var norm float64
	for _, a := range s.psi {
		norm += abs2(a)
	}
	// u[k] = (E_1 + ... + E_{k+1}) / (E_1 + ... + E_{shots+1}) are the order
	// statistics of shots uniforms on (0, 1).
	u := make([]float64, shots)
	var acc float64
	for k := range u {
		acc += rng.ExpFloat64()
		u[k] = acc
	}
	acc += rng.ExpFloat64()
	scale := norm / acc
	k, cum, last := 0, 0.0, 0
	for i, a := range s.psi {
		p := abs2(a)
		if p == 0 {
			continue
		}
		cum += p
		last = i
		for k < shots && u[k]*scale < cum {
			out[k] = uint64(i)
			k++
		}
	}
	for ; k < shots; k++ { // rounding: cum may end a little below norm
		out[k] = uint64(last)
	}
	rng.Shuffle(shots, func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// bitGather extracts chosen bits of an index into a compact value with
// table lookups, one per byte of the index.
type bitGather struct {
	tab [][256]uint64
}

// newBitGather returns a gatherer over n-bit indices whose result has bit i
// equal to bit src[i] of the index. A negative src[i] yields a zero bit.
func newBitGather(n int, src []int) *bitGather {
	g := &bitGather{tab: make([][256]uint64, (n+7)/8)}
	for i, q := range src {
		if q < 0 {
			continue
		}
		t := &g.tab[q/8]
		for b := range 256 {
			if b>>uint(q%8)&1 == 1 {
				t[b] |= 1 << uint(i)
			}
		}
	}
	return g
}

func (g *bitGather) gather(x uint64) uint64 {
	var v uint64
	for j := range g.tab {
		v |= g.tab[j][x>>uint(8*j)&255]
	}
	return v
}
