package statevector

//go:generate go run gen_simd.go

import "math/bits"

// simdSet holds the SIMD kernels for one storage type; the build-tagged
// files fill simd32 and simd64 at init when the CPU has the features they
// need. A nil kernel means "use the portable one".
type simdSet[T Float] struct {
	name     string
	dense1hi func(d []T, p *pop[T], from, to int) // 1 target, high
	dense1lo func(d []T, p *pop[T], from, to int) // 1 target, low
	dense2hh func(d []T, p *pop[T], from, to int) // 2 targets, both high
	dense2hl func(d []T, p *pop[T], from, to int) // 2 targets, one high
	dense2ll func(d []T, p *pop[T], from, to int) // 2 targets, both low
	denseK   func(d []T, p *pop[T], from, to int) // any k <= maxSIMDDense
	diag     func(d []T, p *pop[T], from, to int) // diagonal, any k
}

var (
	simd32 simdSet[float32]
	simd64 simdSet[float64]
)

func simdFor[T Float]() *simdSet[T] {
	var z T
	switch any(z).(type) {
	case float32:
		return any(&simd32).(*simdSet[T])
	default:
		return any(&simd64).(*simdSet[T])
	}
}

// KernelSet names the kernels in use: "avx512" or "portable".
func KernelSet() string {
	if useSIMD && simd32.name != "" {
		return simd32.name
	}
	return "portable"
}

// prepareSIMD fills the block-space fields and the coefficient vectors.
//
// With h high and l low targets, a group is 2^h blocks (one per high-target
// pattern s_h, at block offsets hiOff[s_h]); within a block, the low targets
// pair lane i with lane i^spread(q) for the 2^l patterns q (spread puts bit
// j of q on the lane bit of low target j). Output block r_h is
//
//	sum over s_h, q of C[r_h][s_h][q] (.) perm_q(block s_h)
//
// where perm_q(x)[i] = x[i^spread(q)] and (.) is the lane-wise complex
// product. C's lane i holds the matrix entry from the row with (r_h, low
// bits of i) to the column with (s_h, low bits of i ^ spread(q)), or the
// identity where the low controls do not hold. A diagonal needs just
// D[s_h], lane i holding the entry at (s_h, low bits of i). For the Go
// kernels each coefficient vector is stored as 3L values, re, im, -im; for
// the general dense kernel (assembly) as 2L values, re and im, or, when the
// coefficients are the same in every lane (no low targets or controls), as
// one (re, im) pair to be broadcast.
func (p *pop[T]) prepareSIMD() bool {
	ks := simdFor[T]()
	L, lg := lanes[T](), laneBits[T]()
	// Matrix bits of the high targets, then of the low ones.
	p.tmpI = p.tmpI[:0]
	for j, t := range p.targets {
		if t >= lg {
			p.tmpI = append(p.tmpI, j)
		}
	}
	h := len(p.tmpI)
	p.lbits = p.lbits[:0]
	for j, t := range p.targets {
		if t < lg {
			p.tmpI = append(p.tmpI, j)
			p.lbits = append(p.lbits, t)
		}
	}
	l := len(p.lbits)
	hiJ, loJ := p.tmpI[:h], p.tmpI[h:]
	p.h, p.l = h, l

	var kern func(d []T, p *pop[T], from, to int)
	switch {
	case p.diag:
		kern = ks.diag
	case p.k == 1 && h == 1:
		kern = ks.dense1hi
	case p.k == 1:
		kern = ks.dense1lo
	case p.k == 2 && h == 2:
		kern = ks.dense2hh
	case p.k == 2 && h == 1:
		kern = ks.dense2hl
	case p.k == 2:
		kern = ks.dense2ll
	default:
		kern = ks.denseK
	}
	if kern == nil {
		return false
	}
	p.kern = kern
	lmask := L - 1
	lcm, lcv := p.cmask&lmask, p.cval&lmask
	// Coefficient layout: stride floats per coefficient, vector or scalar.
	stride, im, nim := 3*L, L, 2*L
	p.uniform = false
	if !p.diag && (p.k > 2 || h > 2) {
		stride, im, nim = 2*L, L, -1
		if l == 0 && lcm == 0 {
			p.uniform = true
			stride, im = 2, 1
		}
	}

	nh := 1 << uint(h)
	p.hiOff = grow(p.hiOff, nh)
	p.hiOff[0] = 0
	p.bfixed = 0
	for i, j := range hiJ {
		b := 1 << uint(p.targets[j]-lg)
		for s := 0; s < 1<<uint(i); s++ {
			p.hiOff[1<<uint(i)+s] = p.hiOff[s] + b
		}
		p.bfixed |= b
	}
	p.bfixed |= p.cmask >> uint(lg)
	p.bval = p.cval >> uint(lg)
	p.groups = (1 << uint(p.nq-lg)) >> uint(bits.OnesCount(uint(p.bfixed)))

	// Index tables: lowOf[i] is the low-target pattern of lane i; a matrix
	// index is hiIdx[high pattern] | loIdx[low pattern].
	var lowOf [16]int
	var loIdx [16]int
	var hiIdxA [1 << maxSIMDDense]int
	var hiIdx []int
	if nh <= len(hiIdxA) {
		hiIdx = hiIdxA[:nh]
	} else {
		hiIdx = make([]int, nh) // a wide diagonal
	}
	for i := 0; i < L; i++ {
		r := 0
		for j, b := range p.lbits {
			r |= (i >> uint(b) & 1) << uint(j)
		}
		lowOf[i] = r
	}
	for q := 0; q < 1<<uint(l); q++ {
		x := 0
		for i, j := range loJ {
			x |= (q >> uint(i) & 1) << uint(j)
		}
		loIdx[q] = x
	}
	for r := 0; r < nh; r++ {
		x := 0
		for i, j := range hiJ {
			x |= (r >> uint(i) & 1) << uint(j)
		}
		hiIdx[r] = x
	}
	lanesUsed := L
	if p.uniform {
		lanesUsed = 1
	}
	if p.diag {
		p.coef = grow(p.coef, stride*nh)
		for s := 0; s < nh; s++ {
			c := p.coef[stride*s:]
			for i := 0; i < lanesUsed; i++ {
				v := complex128(1)
				if i&lcm == lcv {
					v = p.m[hiIdx[s]|loIdx[lowOf[i]]]
				}
				c[i], c[im+i] = T(real(v)), T(imag(v))
				if nim > 0 {
					c[nim+i] = -T(imag(v))
				}
			}
		}
		return true
	}
	nl := 1 << uint(l)
	dim := 1 << uint(p.k)
	p.coef = grow(p.coef, stride*nh*nh*nl)
	for r := 0; r < nh; r++ {
		for s := 0; s < nh; s++ {
			for q := 0; q < nl; q++ {
				c := p.coef[stride*((r*nh+s)*nl+q):]
				for i := 0; i < lanesUsed; i++ {
					var v complex128
					if i&lcm != lcv {
						if r == s && q == 0 {
							v = 1
						}
					} else {
						rl := lowOf[i]
						v = p.m[(hiIdx[r]|loIdx[rl])*dim+hiIdx[s]|loIdx[rl^q]]
					}
					c[i], c[im+i] = T(real(v)), T(imag(v))
					if nim > 0 {
						c[nim+i] = -T(imag(v))
					}
				}
			}
		}
	}
	return true
}

// spread returns the lane mask of low-target pattern q.
func (p *pop[T]) spread(q int) int {
	x := 0
	for j, b := range p.lbits {
		x |= (q >> uint(j) & 1) << uint(b)
	}
	return x
}
