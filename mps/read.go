package mps

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"born/internal/multinomial"
)

// Bits is a computational basis state of any number of qubits as a bitset:
// qubit q is bit q%64 of word q/64.
type Bits []uint64

// NewBits returns the all-zero Bits for n qubits.
func NewBits(n int) Bits { return make(Bits, (n+63)/64) }

// Get returns the value (0 or 1) of qubit q.
func (b Bits) Get(q int) int { return int(b[q/64] >> uint(q%64) & 1) }

// Set sets qubit q to v (0 or 1).
func (b Bits) Set(q, v int) {
	if v != 0 {
		b[q/64] |= 1 << uint(q%64)
	} else {
		b[q/64] &^= 1 << uint(q%64)
	}
}

// Format returns the n qubits most significant first, q[n-1]...q[0].
func (b Bits) Format(n int) string {
	var sb strings.Builder
	sb.Grow(n)
	for q := n - 1; q >= 0; q-- {
		sb.WriteByte(byte('0' + b.Get(q)))
	}
	return sb.String()
}

// Amplitude returns <x|psi> for the basis state x (qubit q = x.Get(q)).
func (s *State) Amplitude(x Bits) complex128 {
	if len(x) < (s.n+63)/64 {
		panic(fmt.Sprintf("mps: Amplitude: %d words for %d qubits", len(x), s.n))
	}
	// Two buffers of the largest bond, used in turn, for the left vector.
	dmax := 1
	for _, st := range s.sites {
		dmax = max(dmax, st.dr)
	}
	v, nv := make([]complex128, 1, dmax), make([]complex128, dmax)
	v[0] = 1
	for q, st := range s.sites {
		b := x.Get(q)
		nv = nv[:st.dr]
		clear(nv)
		for l, c := range v {
			if c == 0 {
				continue
			}
			row := st.a[(2*l+b)*st.dr : (2*l+b+1)*st.dr]
			for r, y := range row {
				nv[r] += c * y
			}
		}
		v, nv = nv, v
	}
	return v[0]
}

// AmplitudeIndex returns <x|psi> for the basis state with index x (qubit q
// is bit q); n must be at most 64.
func (s *State) AmplitudeIndex(x uint64) complex128 {
	if s.n > 64 {
		panic("mps: AmplitudeIndex needs at most 64 qubits; use Amplitude")
	}
	return s.Amplitude(Bits{x})
}

// MaxDenseQubits is the largest number of qubits for which Probabilities
// and Amplitudes build dense vectors.
const MaxDenseQubits = 30

// Probabilities returns the 2^n probabilities |<x|psi>|^2, x indexed with
// qubit q as bit q. It panics for n > MaxDenseQubits.
func (s *State) Probabilities() []float64 {
	p := make([]float64, 0)
	s.dense("Probabilities", func(size int) { p = make([]float64, size) }, func(i int, v complex128) {
		p[i] = real(v)*real(v) + imag(v)*imag(v)
	})
	return p
}

// Amplitudes returns the dense state vector (qubit q is bit q of an index).
// It panics for n > MaxDenseQubits.
func (s *State) Amplitudes() []complex128 {
	a := make([]complex128, 0)
	s.dense("Amplitudes", func(size int) { a = make([]complex128, size) }, func(i int, v complex128) { a[i] = v })
	return a
}

// dense contracts the whole state, calling alloc once with 2^n and then
// set for every basis index.
func (s *State) dense(op string, alloc func(int), set func(int, complex128)) {
	if s.n > MaxDenseQubits {
		panic(fmt.Sprintf("mps: %s of %d qubits (at most %d); use Sample, Amplitude or Marginal", op, s.n, MaxDenseQubits))
	}
	// Split at the bond m that minimises 2^m D + D 2^(n-m): left block
	// L[x, a] over qubits 0..m-1, right block R[a, y] over qubits m..n-1.
	best, bm := math.Inf(1), 0
	for m := 0; m <= s.n; m++ {
		d := 1
		if m > 0 && m < s.n {
			d = s.sites[m].dl
		}
		c := float64(d) * (math.Ldexp(1, m) + math.Ldexp(1, s.n-m))
		if c < best {
			best, bm = c, m
		}
	}
	m := bm
	// Left: L[x, a], x over 2^m, a over D (row-major 2^m × D).
	left := []complex128{1}
	dl := 1
	for q := 0; q < m; q++ {
		st := s.sites[q]
		rows := 1 << q
		nl := make([]complex128, 2*rows*st.dr)
		for x := 0; x < rows; x++ {
			for b := 0; b < 2; b++ {
				// row x + b*rows = left[x, :] * A[:, b, :]
				dst := nl[(x+b*rows)*st.dr : (x+b*rows+1)*st.dr]
				for l := 0; l < dl; l++ {
					c := left[x*dl+l]
					if c == 0 {
						continue
					}
					src := st.a[(2*l+b)*st.dr : (2*l+b+1)*st.dr]
					for r, y := range src {
						dst[r] += c * y
					}
				}
			}
		}
		left, dl = nl, st.dr
	}
	// Right: R[a, y], y over 2^(n-m) (bit j = qubit m+j), built from the end.
	right := []complex128{1}
	cols := 1
	for q := s.n - 1; q >= m; q-- {
		st := s.sites[q]
		// new R[a, b + 2y] = sum_r A[a, b, r] R[r, y]
		nr := make([]complex128, st.dl*2*cols)
		for a := 0; a < st.dl; a++ {
			for b := 0; b < 2; b++ {
				src := st.a[(2*a+b)*st.dr : (2*a+b+1)*st.dr]
				dst := nr[a*2*cols:]
				for r, c := range src {
					if c == 0 {
						continue
					}
					rr := right[r*cols : (r+1)*cols]
					for y, v := range rr {
						dst[b+2*y] += c * v
					}
				}
			}
		}
		right, cols = nr, 2*cols
	}
	// amp[x + 2^m y] = sum_a L[x,a] R[a,y]
	rows := 1 << m
	alloc(rows * cols)
	amp := make([]complex128, cols)
	for x := 0; x < rows; x++ {
		clear(amp)
		for a := 0; a < dl; a++ {
			c := left[x*dl+a]
			if c == 0 {
				continue
			}
			for y, v := range right[a*cols : (a+1)*cols] {
				amp[y] += c * v
			}
		}
		for y, v := range amp {
			set(x+rows*y, v)
		}
	}
}

// Marginal returns the 2^k probabilities of the outcomes of the given
// qubits (bit j of the index is qubits[j]), all other qubits traced out.
// The cost is 2^k times the span's length times chi^3; k is at most 24.
func (s *State) Marginal(qubits []int) []float64 {
	k := len(qubits)
	if k > 24 {
		panic("mps: Marginal of more than 24 qubits")
	}
	which := make(map[int]int, k)
	for j, q := range qubits {
		if q < 0 || q >= s.n {
			panic(fmt.Sprintf("mps: Marginal: qubit %d out of range", q))
		}
		if _, dup := which[q]; dup {
			panic(fmt.Sprintf("mps: Marginal: qubit %d named twice", q))
		}
		which[q] = j
	}
	out := make([]float64, 1<<k)
	if k == 0 {
		out[0] = 1
		return out
	}
	lo, hi := s.n, -1
	for _, q := range qubits {
		lo, hi = min(lo, q), max(hi, q)
	}
	// With the center at lo, the left environment at lo is the identity and
	// the right one after hi too (all sites right of lo are right-orthonormal).
	s.moveCenter(lo)
	type branch struct {
		idx int
		e   []complex128
	}
	d := s.sites[lo].dl
	id := make([]complex128, d*d)
	for i := 0; i < d; i++ {
		id[i*d+i] = 1
	}
	brs := []branch{{0, id}}
	for q := lo; q <= hi; q++ {
		st := s.sites[q]
		j, measured := which[q]
		var nb []branch
		for _, br := range brs {
			if !measured {
				nb = append(nb, branch{br.idx, transfer(br.e, st.dl, st)})
				continue
			}
			for b := 0; b < 2; b++ {
				nb = append(nb, branch{br.idx | b<<j, transferOne(br.e, st, b)})
			}
		}
		brs = nb
	}
	for _, br := range brs {
		d := s.sites[hi].dr
		var tr float64
		for i := 0; i < d; i++ {
			tr += real(br.e[i*d+i])
		}
		out[br.idx] = math.Max(tr, 0)
	}
	return out
}

// transferOne is transfer restricted to the physical value b.
func transferOne(e []complex128, st site, b int) []complex128 {
	d := st.dl
	ab := physSlice(st, b)
	t := zmul(d, d, st.dr, e, ab)
	return zmul(st.dr, d, st.dr, adjoint(d, st.dr, ab), t)
}

// prob0 returns the probability that qubit q is 0, with the center moved to q.
func (s *State) prob0(q int) (p0, total float64) {
	s.moveCenter(q)
	st := s.sites[q]
	for l := 0; l < st.dl; l++ {
		for b := 0; b < 2; b++ {
			var acc float64
			for _, v := range st.a[(2*l+b)*st.dr : (2*l+b+1)*st.dr] {
				acc += real(v)*real(v) + imag(v)*imag(v)
			}
			total += acc
			if b == 0 {
				p0 += acc
			}
		}
	}
	return p0, total
}

// Measure measures qubit q: outcome 0 if u < P(0), else 1 (u uniform in
// [0, 1)); the state collapses and is renormalised. It returns the outcome.
func (s *State) Measure(q int, u float64) int {
	s.checkQubit("Measure", q)
	p0, total := s.prob0(q)
	out := 1
	if u*total < p0 {
		out = 0
	}
	s.project(q, out, p0, total)
	return out
}

// Project projects qubit q onto outcome (0 or 1), renormalises, and returns
// the probability the outcome had; if it is 0 the state is left as is.
func (s *State) Project(q, outcome int) float64 {
	s.checkQubit("Project", q)
	if outcome != 0 && outcome != 1 {
		panic(fmt.Sprintf("mps: Project: outcome %d is not 0 or 1", outcome))
	}
	p0, total := s.prob0(q)
	return s.project(q, outcome, p0, total)
}

func (s *State) checkQubit(op string, q int) {
	if q < 0 || q >= s.n {
		panic(fmt.Sprintf("mps: %s: qubit %d out of range [0, %d)", op, q, s.n))
	}
}

// project collapses qubit q (the center) onto out given P(0) = p0/total.
func (s *State) project(q, out int, p0, total float64) float64 {
	p := p0
	if out == 1 {
		p = total - p0
	}
	if p <= 0 || total <= 0 {
		return 0
	}
	st := &s.sites[q]
	f := complex(1/math.Sqrt(p), 0)
	for l := 0; l < st.dl; l++ {
		for b := 0; b < 2; b++ {
			row := st.a[(2*l+b)*st.dr : (2*l+b+1)*st.dr]
			for r := range row {
				if b == out {
					row[r] *= f
				} else {
					row[r] = 0
				}
			}
		}
	}
	return p / total
}

// Reset measures qubit q with u (see Measure) and flips it to |0> if the
// outcome was 1.
func (s *State) Reset(q int, u float64) {
	if s.Measure(q, u) == 1 {
		s.apply1(q, []complex128{0, 1, 1, 0})
	}
}

// Sample draws shots samples of all qubits from |psi|^2 (qubit q is bit q
// of a sample); n must be at most 64 (use SampleBits otherwise).
func (s *State) Sample(shots int, rng *rand.Rand) []uint64 {
	if s.n > 64 {
		panic(fmt.Sprintf("mps: Sample of %d qubits does not fit a uint64; use SampleBits", s.n))
	}
	bs := s.SampleBits(shots, rng)
	out := make([]uint64, shots)
	for i, b := range bs {
		out[i] = b[0]
	}
	return out
}

// SampleBits draws shots exact samples from |psi|^2 by sequential
// conditional sampling from qubit 0 up, with the center at qubit 0 so that
// every right environment is the identity: for a shot whose prefix has left
// vector v, P(q = b | prefix) = |v A_q[b]|^2. Shots are processed in
// batches, one qubit at a time, and shots that agree on their prefix share
// its vector, so the cost is O(chi^2) per distinct prefix and qubit (at most
// O(shots n chi^2), far less for low-entropy states), computed as matrix
// products. The state is not changed (beyond moving its center).
func (s *State) SampleBits(shots int, rng *rand.Rand) []Bits {
	out := make([]Bits, shots)
	words := (s.n + 63) / 64
	store := make([]uint64, shots*words)
	for i := range out {
		out[i] = Bits(store[i*words : (i+1)*words])
	}
	if shots == 0 {
		return out
	}
	s.moveCenter(0)
	dmax := 1
	for _, st := range s.sites {
		dmax = max(dmax, st.dr)
	}
	batch := max(1, min(shots, (64<<20)/(16*dmax)))
	idx := make([]int, shots)
	for i := range idx {
		idx[i] = i
	}
	for lo := 0; lo < shots; lo += batch {
		s.sampleBatch(idx[lo:min(lo+batch, shots)], out, rng)
	}
	return out
}

// sampleBatch samples the shots in idx (indices into out).
func (s *State) sampleBatch(idx []int, out []Bits, rng *rand.Rand) {
	// Branch j: shots[j] share the normalised left vector v[j*d:(j+1)*d].
	shots := [][]int{idx}
	v := []complex128{1}
	d := 1
	for q, st := range s.sites {
		dr := st.dr
		nb := len(shots)
		a0, a1 := physSlice(st, 0), physSlice(st, 1)
		w0 := zmul(nb, d, dr, v, a0)
		var next [][]int
		var nv []complex128
		var ones [][]int
		var v1 []complex128
		for j, sh := range shots {
			var n2, p0 float64
			for _, c := range v[j*d : (j+1)*d] {
				n2 += real(c)*real(c) + imag(c)*imag(c)
			}
			row := w0[j*dr : (j+1)*dr]
			for _, c := range row {
				p0 += real(c)*real(c) + imag(c)*imag(c)
			}
			p0 /= n2
			// partition in place: outcome 0 first, then 1
			i, k := 0, len(sh)
			for i < k {
				if rng.Float64() < p0 {
					i++
				} else {
					k--
					sh[i], sh[k] = sh[k], sh[i]
					out[sh[k]].Set(q, 1)
				}
			}
			if i > 0 {
				next = append(next, sh[:i])
				nv = append(nv, normalised(row)...)
			}
			if i < len(sh) {
				ones = append(ones, sh[i:])
				v1 = append(v1, v[j*d:(j+1)*d]...)
			}
		}
		if len(ones) > 0 {
			w1 := zmul(len(ones), d, dr, v1, a1)
			for j, sh := range ones {
				next = append(next, sh)
				nv = append(nv, normalised(w1[j*dr:(j+1)*dr])...)
			}
		}
		shots, v, d = next, nv, dr
	}
}

// physSlice returns A[:, b, :] as a dl×dr matrix.
func physSlice(st site, b int) []complex128 {
	m := make([]complex128, st.dl*st.dr)
	for l := 0; l < st.dl; l++ {
		copy(m[l*st.dr:(l+1)*st.dr], st.a[(2*l+b)*st.dr:(2*l+b+1)*st.dr])
	}
	return m
}

// normalised scales x to unit norm in place (a zero vector stays zero).
func normalised(x []complex128) []complex128 {
	var n2 float64
	for _, c := range x {
		n2 += real(c)*real(c) + imag(c)*imag(c)
	}
	if n2 > 0 {
		f := complex(1/math.Sqrt(n2), 0)
		for i := range x {
			x[i] *= f
		}
	}
	return x
}

// SampleWords is SampleBits with plain words: bit q of a sample is bit q%64
// of word q/64. It lets sim sample states of more than 64 qubits.
func (s *State) SampleWords(shots int, rng *rand.Rand) [][]uint64 {
	bs := s.SampleBits(shots, rng)
	out := make([][]uint64, len(bs))
	for i, b := range bs {
		out[i] = b
	}
	return out
}

// SampleCounts draws the histogram of shots exact samples from |psi|^2
// without storing the samples: it calls visit(x, count) once for every
// distinct outcome drawn (x holds qubit q in bit q%64 of word q/64, and is
// only valid during the call). It walks the tree of outcome prefixes from
// qubit 0 up, depth first, with the center at qubit 0 as in SampleBits: a
// prefix reached by c samples sends Binomial(c, P(q = 0 | prefix)) of them
// to outcome 0 and the rest to 1, which is the multinomial law of the
// samples. The cost is O(chi^2) per distinct prefix and qubit, so it grows
// with the number of distinct outcomes, not with shots; the memory is
// O(n chi). shots must be at most multinomial.MaxCount (2^53).
func (s *State) SampleCounts(shots int64, rng *rand.Rand, visit func(x []uint64, count int64)) {
	if shots <= 0 {
		return
	}
	s.moveCenter(0)
	phys := make([][2][]complex128, s.n)
	for q, st := range s.sites {
		phys[q] = [2][]complex128{physSlice(st, 0), physSlice(st, 1)}
	}
	x := make([]uint64, (s.n+63)/64)
	var walk func(q int, v []complex128, count int64)
	walk = func(q int, v []complex128, count int64) {
		if q == s.n {
			visit(x, count)
			return
		}
		d, dr := s.sites[q].dl, s.sites[q].dr
		w0 := zmul(1, d, dr, v, phys[q][0])
		w1 := zmul(1, d, dr, v, phys[q][1])
		var n0, n1 float64
		for _, c := range w0 {
			n0 += real(c)*real(c) + imag(c)*imag(c)
		}
		for _, c := range w1 {
			n1 += real(c)*real(c) + imag(c)*imag(c)
		}
		c0 := count
		if n0+n1 > 0 {
			c0 = multinomial.Binomial(rng, count, n0/(n0+n1))
		}
		if c0 > 0 {
			walk(q+1, normalised(w0), c0)
		}
		if c1 := count - c0; c1 > 0 {
			x[q/64] |= 1 << uint(q%64)
			walk(q+1, normalised(w1), c1)
			x[q/64] &^= 1 << uint(q%64)
		}
	}
	walk(0, []complex128{1}, shots)
}
