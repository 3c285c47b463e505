package statevector

import (
	"born/internal/bitgather"
	"fmt"
	"math"
	"math/rand/v2"
)

// Measure measures qubit q in the computational basis, collapses the state
// onto the outcome and renormalises it. u, uniform in [0, 1), picks the
// outcome: 0 if u < P(0), else 1 (P taken relative to the state's norm).
func (s *Vector[T]) Measure(q int, u float64) int {
	s.bit(q, 0)
	p0, p1 := s.probOne(q)
	total := p0 + p1
	out, p := 0, p0
	if u >= p0/total {
		out, p = 1, p1
	}
	s.collapse(q, out, 1/math.Sqrt(p))
	return out
}

// Project projects qubit q onto outcome (0 or 1) and renormalises, and
// returns the probability the outcome had. If that probability is zero the
// state is left unchanged.
func (s *Vector[T]) Project(q, outcome int) float64 {
	s.bit(q, 0)
	if outcome != 0 && outcome != 1 {
		panic(fmt.Sprintf("statevector: outcome %d is not 0 or 1", outcome))
	}
	p0, p1 := s.probOne(q)
	p := p0
	if outcome == 1 {
		p = p1
	}
	if p == 0 {
		return 0
	}
	s.collapse(q, outcome, 1/math.Sqrt(p))
	return p / (p0 + p1)
}

// Reset sets qubit q to |0>: it measures q (u picks the outcome as in
// Measure) and flips it if the outcome was 1.
func (s *Vector[T]) Reset(q int, u float64) {
	if s.Measure(q, u) == 1 {
		s.flip(q)
	}
}

// visitPairs calls f(i, j) for the storage index i of every amplitude with
// qubit q = 0 (in increasing amplitude order) and j of its partner with
// q = 1. Both are real-part indices; the imaginary parts are L further on.
func (s *Vector[T]) visitPairs(q int, f func(i, j int)) {
	L := lanes[T]()
	ps := posOf(1<<uint(q), L-1)
	fixed := 1 << uint(q)
	x := 0
	for range s.Len() / 2 {
		i := posOf(x, L-1)
		f(i, i+ps)
		x = ((x | fixed) + 1) &^ fixed
	}
}

// probOne returns the total weight of the amplitudes with qubit q = 0 and
// with q = 1.
func (s *Vector[T]) probOne(q int) (p0, p1 float64) {
	L := lanes[T]()
	d := s.data
	s.visitPairs(q, func(i, j int) {
		ar, ai := float64(d[i]), float64(d[i+L])
		br, bi := float64(d[j]), float64(d[j+L])
		p0 += ar*ar + ai*ai
		p1 += br*br + bi*bi
	})
	return p0, p1
}

// collapse keeps the half of the state with qubit q = outcome, scaled by
// scale, and zeroes the other half.
func (s *Vector[T]) collapse(q, outcome int, scale float64) {
	L := lanes[T]()
	d := s.data
	s.visitPairs(q, func(i, j int) {
		if outcome == 1 {
			i, j = j, i
		}
		d[i] = T(float64(d[i]) * scale)
		d[i+L] = T(float64(d[i+L]) * scale)
		d[j], d[j+L] = 0, 0
	})
}

// flip exchanges the amplitudes with qubit q = 0 and q = 1 (an X gate).
func (s *Vector[T]) flip(q int) {
	L := lanes[T]()
	d := s.data
	s.visitPairs(q, func(i, j int) {
		d[i], d[j] = d[j], d[i]
		d[i+L], d[j+L] = d[j+L], d[i+L]
	})
}

// Marginal returns the probability distribution of the given qubits: entry
// x is the probability that qubits[i] reads bit i of x for every i.
func (s *Vector[T]) Marginal(qubits []int) []float64 {
	used := 0
	for _, q := range qubits {
		used |= s.bit(q, used)
	}
	out := make([]float64, 1<<uint(len(qubits)))
	if len(qubits) == 0 {
		out[0] = s.Norm() * s.Norm()
		return out
	}
	tab := bitgather.New(s.n, qubits)
	L := lanes[T]()
	for b := 0; b*L < s.Len(); b++ {
		blk := s.data[2*L*b : 2*L*(b+1)]
		for j := 0; j < L && b*L+j < s.Len(); j++ {
			re, im := float64(blk[j]), float64(blk[L+j])
			out[tab.Of(uint64(b*L+j))] += re*re + im*im
		}
	}
	return out
}

// Sample draws shots basis states (as indices) from the state's
// distribution, |amplitude|^2 relative to the norm, in O(2^n + shots)
// time: it draws them in increasing order (SampleSorted) and shuffles the
// result. The result depends only on rng's stream.
func (s *Vector[T]) Sample(shots int, rng *rand.Rand) []uint64 {
	out := s.SampleSorted(make([]uint64, max(shots, 0)), rng)
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// SampleSorted fills dst with len(dst) draws from the state's
// distribution, as Sample does, in increasing order and without the
// shuffle: for statistics that do not depend on the order of the shots
// (counts, means), it does half the random-number work and allocates
// nothing. It returns dst. It draws the shots' uniform numbers in sorted
// order (as normalised sums of exponential spacings) and walks the
// cumulative distribution once; the result depends only on rng's stream,
// and Sample's shots are these, shuffled.
func (s *Vector[T]) SampleSorted(dst []uint64, rng *rand.Rand) []uint64 {
	shots := len(dst)
	if shots == 0 {
		return dst
	}
	norm := s.norm2()
	// u[k] = (E_1 + ... + E_{k+1}) / (E_1 + ... + E_{shots+1}) are the order
	// statistics of shots uniforms on (0, 1). dst holds the unscaled sums
	// (as float64 bits) until the walk overwrites entry k with shot k.
	var acc float64
	for k := range dst {
		acc += rng.ExpFloat64()
		dst[k] = math.Float64bits(acc)
	}
	acc += rng.ExpFloat64()
	scale := norm / acc
	k, cum, last := 0, 0.0, 0
	L := lanes[T]()
	for b := 0; b*L < s.Len(); b++ {
		blk := s.data[2*L*b : 2*L*(b+1)]
		for j := 0; j < L && b*L+j < s.Len(); j++ {
			re, im := float64(blk[j]), float64(blk[L+j])
			p := re*re + im*im
			if p == 0 {
				continue
			}
			i := b*L + j
			cum += p
			last = i
			for k < shots && math.Float64frombits(dst[k])*scale < cum {
				dst[k] = uint64(i)
				k++
			}
		}
	}
	for ; k < shots; k++ { // rounding: cum may end a little below norm
		dst[k] = uint64(last)
	}
	return dst
}
