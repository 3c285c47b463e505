package circuit

import (
	"math"
	"math/big"
	"math/bits"
	"math/cmplx"
)

// Matrix is a dense square complex matrix of dimension 2^k stored row-major.
// For a gate on qubit arguments (a0, a1, ..., a_{k-1}), bit j of a row or
// column index is the state of argument a_j: the first argument is the least
// significant bit, as in Qiskit.
type Matrix []complex128

// Dim returns the matrix dimension (2^k).
func (m Matrix) Dim() int { return int(math.Sqrt(float64(len(m))) + 0.5) }

// Qubits returns k for a 2^k x 2^k matrix.
func (m Matrix) Qubits() int { return bits.TrailingZeros(uint(m.Dim())) }

// At returns m[r][c].
func (m Matrix) At(r, c int) complex128 { return m[r*m.Dim()+c] }

// Identity returns the d x d identity.
func Identity(d int) Matrix {
	m := make(Matrix, d*d)
	for i := 0; i < d; i++ {
		m[i*d+i] = 1
	}
	return m
}

// Diag returns the diagonal matrix with the given entries.
func Diag(d ...complex128) Matrix {
	n := len(d)
	m := make(Matrix, n*n)
	for i, v := range d {
		m[i*n+i] = v
	}
	return m
}

// MatMul returns a*b.
func MatMul(a, b Matrix) Matrix {
	d := a.Dim()
	if b.Dim() != d {
		panic("circuit: MatMul dimension mismatch")
	}
	out := make(Matrix, d*d)
	for i := 0; i < d; i++ {
		for k := 0; k < d; k++ {
			aik := a[i*d+k]
			if aik == 0 {
				continue
			}
			for j := 0; j < d; j++ {
				out[i*d+j] += aik * b[k*d+j]
			}
		}
	}
	return out
}

// Dagger returns the conjugate transpose of m.
func Dagger(m Matrix) Matrix {
	d := m.Dim()
	out := make(Matrix, d*d)
	for i := 0; i < d; i++ {
		for j := 0; j < d; j++ {
			out[j*d+i] = cmplx.Conj(m[i*d+j])
		}
	}
	return out
}

// Scale returns s*m.
func Scale(s complex128, m Matrix) Matrix {
	out := make(Matrix, len(m))
	for i, v := range m {
		out[i] = s * v
	}
	return out
}

// Kron returns the Kronecker product a (x) b, where b acts on the low bits:
// (a (x) b)[(ia*db+ib), (ja*db+jb)] = a[ia,ja]*b[ib,jb].
func Kron(a, b Matrix) Matrix {
	da, db := a.Dim(), b.Dim()
	d := da * db
	out := make(Matrix, d*d)
	for ia := 0; ia < da; ia++ {
		for ja := 0; ja < da; ja++ {
			x := a[ia*da+ja]
			if x == 0 {
				continue
			}
			for ib := 0; ib < db; ib++ {
				for jb := 0; jb < db; jb++ {
					out[(ia*db+ib)*d+ja*db+jb] = x * b[ib*db+jb]
				}
			}
		}
	}
	return out
}

// IsDiagonal reports whether every off-diagonal entry of m is exactly zero.
func IsDiagonal(m Matrix) bool {
	d := m.Dim()
	for i := 0; i < d; i++ {
		for j := 0; j < d; j++ {
			if i != j && m[i*d+j] != 0 {
				return false
			}
		}
	}
	return true
}

// IsFinite reports whether every entry of m is finite (no NaN or infinite
// real or imaginary part).
func IsFinite(m Matrix) bool {
	for _, z := range m {
		if math.IsNaN(real(z)) || math.IsNaN(imag(z)) || math.IsInf(real(z), 0) || math.IsInf(imag(z), 0) {
			return false
		}
	}
	return true
}

// MaxDiff returns max |a_ij - b_ij|.
func MaxDiff(a, b Matrix) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	var m float64
	for i := range a {
		if d := cmplx.Abs(a[i] - b[i]); d > m {
			m = d
		}
	}
	return m
}

// Controlled returns the matrix of u controlled by nc qubits that must all be
// in state 1 (or in the states given by bit i of ctrlState for control i).
// Controls are the first nc arguments (the low bits), u acts on the rest.
func Controlled(u Matrix, nc int, ctrlState uint64) Matrix {
	du := u.Dim()
	dc := 1 << nc
	d := du * dc
	out := Identity(d)
	want := int(ctrlState) & (dc - 1)
	for i := 0; i < du; i++ {
		for j := 0; j < du; j++ {
			out[(i*dc+want)*d+j*dc+want] = u[i*du+j]
		}
	}
	return out
}

// Power returns m^p. Integer powers (of any sign and size) are exact: a
// unitary of finite order r (m^r = I, found as in Order) is raised to p mod
// r, so pow(2^62) of x is the identity, and other matrices by repeated
// squaring. A non-integer power is the principal power (eigenphases in
// (-pi, pi]) and is supported for diagonal and 2x2 unitary matrices. ok is
// false otherwise.
func Power(m Matrix, p float64) (Matrix, bool) {
	if p == math.Trunc(p) && !math.IsInf(p, 0) {
		return IntPower(m, p), true
	}
	if IsDiagonal(m) {
		d := m.Dim()
		out := make(Matrix, d*d)
		for i := 0; i < d; i++ {
			out[i*d+i] = cpow(m[i*d+i], p)
		}
		return out, true
	}
	if m.Dim() != 2 {
		return nil, false
	}
	// A 2x2 unitary is e^{ia} (cos b I - i sin b n.sigma) for a unit vector
	// n: eigenphases a - b and a + b on the orthogonal projectors
	// (I + n.sigma)/2 and (I - n.sigma)/2. Reading a, b and n off the
	// entries keeps the projectors exact, so the power is unitary to
	// rounding for any p; the roots of the characteristic polynomial lose
	// half their digits when the eigenvalues are close, which made
	// pow(1000000.5) @ rx(1e-6) 2e-5 from unitary.
	alpha := cmplx.Phase(m[0]*m[3]-m[1]*m[2]) / 2
	e := Expi(-alpha)
	v00, v01, v10, v11 := m[0]*e, m[1]*e, m[2]*e, m[3]*e // in SU(2)
	cb := real(v00+v11) / 2
	nx, ny, nz := -imag(v01+v10)/2, real(v10-v01)/2, imag(v11-v00)/2
	sb := math.Hypot(math.Hypot(nx, ny), nz)
	beta := math.Atan2(sb, cb)
	if sb > 0 {
		nx, ny, nz = nx/sb, ny/sb, nz/sb
	} else { // a multiple of the identity: any axis
		nx, ny, nz = 0, 0, 1
	}
	fp, fm := Expi(p*PrincipalAngle(alpha-beta)), Expi(p*PrincipalAngle(alpha+beta))
	s, d := (fp+fm)/2, (fp-fm)/2
	return Matrix{
		s + d*complex(nz, 0), d * complex(nx, -ny),
		d * complex(nx, ny), s - d*complex(nz, 0),
	}, true
}

// PrincipalAngle returns the angle a reduced to (-pi, pi].
func PrincipalAngle(a float64) float64 {
	a = math.Mod(a, 2*math.Pi)
	if a > math.Pi {
		a -= 2 * math.Pi
	} else if a <= -math.Pi {
		a += 2 * math.Pi
	}
	return a
}

// maxOrder is the largest order Order finds.
const maxOrder = 64

// orderTol is how close m^r must be to a multiple of the identity, entry by
// entry, for Order to take r as (part of) m's order: far above the rounding
// of r products of unitaries, far below any deviation a gate angle meant to
// miss a root of unity has in practice.
const orderTol = 1e-12

// Order returns the smallest r <= 64*64 with m^r = I for a matrix whose
// power m^s (s <= 64) is a multiple c I of the identity with c a root of
// unity of order b <= 64 (then r = s b): every Clifford and Clifford+T gate
// and rotation by a rational multiple of pi with a small denominator has
// one. It returns 0 when there is none (or m is not square).
func Order(m Matrix) int { return orderUpTo(m, maxOrder) }

// orderUpTo is Order with the search for s stopped at maxS: the same
// answer whenever m's smallest such s is at most maxS, else 0.
func orderUpTo(m Matrix, maxS int) int {
	d := m.Dim()
	if d*d != len(m) || d == 0 {
		return 0
	}
	pw := m
	for s := 1; s <= maxS; s++ {
		if s > 1 {
			pw = MatMul(pw, m)
		}
		c := pw[0]
		if math.Abs(cmplx.Abs(c)-1) > orderTol || MaxDiff(pw, Scale(c, Identity(d))) > orderTol {
			continue
		}
		// c = e^{2 pi i a/b}: the denominator of its phase.
		f := cmplx.Phase(c) / (2 * math.Pi)
		for b := 1; b <= maxOrder; b++ {
			x := f * float64(b)
			if math.Abs(x-math.Round(x)) < orderTol*float64(b) {
				return s * b
			}
		}
		return 0
	}
	return 0
}

// IntPower returns m^k for an integer k (a float64 holding an integer,
// which may exceed the int64 range): k reduced modulo m's order where it
// has one (Order), so that a power of a gate of finite order is as exact as
// one product of at most a few of its factors, then the binary powers of m
// (or of its adjoint for negative k, which is its inverse for a unitary).
func IntPower(m Matrix, k float64) Matrix {
	if math.Abs(k) >= 2 { // (m, its adjoint and I need no order)
		// A positive k is reduced only by an order r <= k, so only by an s
		// <= k: searching no further gives the same k for a fraction of
		// the products (pow(2) @ rx(theta), a parameterised gate raised
		// at every evaluation, needs 2 instead of 64). A negative k is
		// moved into [0, r) by any order, so the search is whole.
		maxS := maxOrder
		if k > 0 && k < maxOrder {
			maxS = int(k)
		}
		if r := orderUpTo(m, maxS); r > 0 {
			k = math.Mod(k, float64(r)) // exact
			if k < 0 {
				k += float64(r)
			}
		}
	}
	base := m
	if k < 0 {
		base = Dagger(m)
		k = -k
	}
	out := Identity(m.Dim())
	e, _ := new(big.Float).SetFloat64(k).Int(nil) // exact: k is an integer
	// Squaring doubles the rounding errors each time (k = 2^20 left a 2x2
	// 1.4e-10 from unitary); past k = 2^6 keep the base unitary, so that
	// the errors grow no faster than the k-fold error of the eigenphases,
	// which no method avoids. The result, a product of at most 64 such
	// bases, gathers only their sum and is made unitary once at the end.
	long := e.BitLen() > 6
	for i := 0; i < e.BitLen(); i++ {
		if e.Bit(i) == 1 {
			out = MatMul(out, base)
		}
		if i+1 < e.BitLen() {
			base = MatMul(base, base)
			if long {
				base = unitarize(base)
			}
		}
	}
	if long {
		out = unitarize(out)
	}
	return out
}

// unitarize returns the unitary polar factor of a matrix within rounding of
// a unitary, by two Newton-Schulz steps X (3I - X^dagger X) / 2; a matrix
// far from unitary is returned unchanged.
func unitarize(m Matrix) Matrix {
	d := m.Dim()
	for range 2 {
		g := MatMul(Dagger(m), m)
		if MaxDiff(g, Identity(d)) > 1e-3 {
			return m
		}
		for i := range g {
			g[i] = -g[i] / 2
		}
		for i := 0; i < d; i++ {
			g[i*d+i] += 1.5
		}
		m = MatMul(m, g)
	}
	return m
}

// cpow returns z^p on the principal branch, with |z| taken as 1 for unit-modulus
// inputs so that phases stay exact.
func cpow(z complex128, p float64) complex128 {
	r, th := cmplx.Polar(z)
	if math.Abs(r-1) < 1e-12 {
		r = 1
	}
	return cmplx.Rect(math.Pow(r, p), th*p)
}

// Expi returns e^{i x}.
func Expi(x float64) complex128 {
	s, c := math.Sincos(x)
	return complex(c, s)
}
