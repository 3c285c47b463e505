package mps

import (
	"cmp"
	"math"
	"runtime"
	"slices"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/lapack/gonum"
)

// Divide and conquer for the SVD of a real upper bidiagonal matrix (the
// method of Gu and Eisenstat, as in LAPACK's dbdsdc). The matrix is split at
// a middle row into two smaller bidiagonal problems, solved recursively
// (small ones by QR iteration); their SVDs turn the whole matrix into a
// diagonal matrix bordered by one row z, whose singular values are the
// roots of the secular equation 1 + sum_j z_j^2/(d_j^2 - s^2) = 0. Values
// of z that are negligible and near-equal d_j are deflated first; the
// singular vectors come from a z recomputed from the roots, which keeps
// them orthogonal, and two matrix products per merge.

// bdcLeaf is the largest subproblem solved by QR iteration.
const bdcLeaf = 24

// bdsvd is the SVD of an n×m upper bidiagonal matrix, m = n + sqre: s holds
// n singular values in decreasing order, u is n×n and vt m×m (row-major),
// B = u [diag(s) 0] vt; for sqre = 1 the last row of vt spans B's null space.
type bdsvd struct {
	n, m  int
	s     []float64
	u, vt []float64
}

// bdsdc returns the SVD of the n×n upper bidiagonal matrix with diagonal d
// and superdiagonal e[:n-1]: s in decreasing order, and the first k columns
// of U (returned as ut, their transpose, k×n row-major) and the first k rows
// of V^T (k×n row-major), k = decide(s) (nil: n). d and e are not modified.
// All results are taken from sc.
func bdsdc(n int, d, e []float64, decide func(s []float64) int, sc *scratch) (s, ut, vt []float64, k int) {
	dd := sc.floats(n)
	copy(dd, d[:n])
	ee := sc.floats(n)
	copy(ee, e[:max(n-1, 0)])
	r := bdcSolve(n, 0, dd, ee, decide, sc)
	k = len(r.u) / max(n, 1)
	if r.n == 0 {
		return r.s, nil, nil, 0
	}
	// r.u is n×k row-major (the chosen columns); return its transpose.
	ut = sc.floatsDirty(k * n)
	for i := 0; i < n; i++ {
		for j := 0; j < k; j++ {
			ut[j*n+i] = r.u[i*k+j]
		}
	}
	return r.s, ut, r.vt[:k*n], k
}

// bdcParallelMin is the smallest subproblem whose two halves are solved on
// separate goroutines.
const bdcParallelMin = 64

// bdcSolve solves the n×(n+sqre) problem (d[:n], e[:n], e[n-1] used only
// when sqre = 1). With decide (top level only) u holds only the first k
// columns (n×k) and vt the first k rows. Results are taken from sc.
func bdcSolve(n, sqre int, d, e []float64, decide func([]float64) int, sc *scratch) bdsvd {
	if n <= bdcLeaf {
		r := bdcLeafSolve(n, sqre, d, e, sc)
		if decide != nil {
			k := max(1, min(n, decide(r.s)))
			u := sc.floats(n * k)
			for i := 0; i < n; i++ {
				copy(u[i*k:(i+1)*k], r.u[i*n:i*n+k])
			}
			r.u = u
			r.vt = r.vt[:k*r.m]
		}
		return r
	}
	nl := n / 2
	nr := n - nl - 1
	var left, right bdsvd
	if n >= bdcParallelMin && runtime.GOMAXPROCS(0) > 1 {
		// The left half on another goroutine with a scratch of its own,
		// kept until the merge has read its result.
		lsc := getScratch()
		defer putScratch(lsc)
		done := make(chan struct{})
		go func() {
			defer close(done)
			left = bdcSolve(nl, 1, d[:nl], e[:nl], nil, lsc)
		}()
		right = bdcSolve(nr, sqre, d[nl+1:], e[nl+1:], nil, sc)
		<-done
	} else {
		left = bdcSolve(nl, 1, d[:nl], e[:nl], nil, sc)
		right = bdcSolve(nr, sqre, d[nl+1:], e[nl+1:], nil, sc)
	}
	return bdcMerge(left, right, d[nl], e[nl], sqre, decide, sc)
}

// bdcLeafSolve solves a small problem by QR iteration (gonum's Dbdsqr),
// after rotating the extra column of an n×(n+1) problem away.
func bdcLeafSolve(n, sqre int, d, e []float64, sc *scratch) bdsvd {
	m := n + sqre
	r := bdsvd{n: n, m: m, s: sc.floats(n), u: sc.floats(n * n), vt: sc.floats(m * m)}
	if n == 0 {
		if m == 1 {
			r.vt[0] = 1
		}
		return r
	}
	dd := sc.floats(n)
	copy(dd, d[:n])
	ee := sc.floats(n)
	copy(ee, e[:n-1])
	// Rotations from the right that move B[n-1, n] up and out: B R = [Bsq 0].
	var cs, sn []float64
	if sqre == 1 {
		cs, sn = sc.floats(n), sc.floats(n)
		f := e[n-1]
		for j := n - 1; j >= 0; j-- {
			c, s := 1.0, 0.0
			if f != 0 {
				rr := math.Hypot(dd[j], f)
				c, s = dd[j]/rr, f/rr
				dd[j] = rr
			}
			cs[j], sn[j] = c, s
			if j > 0 {
				f = -s * ee[j-1]
				ee[j-1] *= c
			}
		}
	}
	for i := 0; i < n; i++ {
		r.u[i*n+i] = 1
	}
	vs := sc.floats(n * n)
	for i := 0; i < n; i++ {
		vs[i*n+i] = 1
	}
	work := sc.floats(4 * n)
	if !(gonum.Implementation{}).Dbdsqr(blas.Upper, n, n, n, 0, dd, ee, vs, n, r.u, n, nil, 1, work) {
		panic("mps: SVD: bidiagonal QR iteration did not converge")
	}
	copy(r.s, dd)
	// vt = diag(vs, 1) R_0^T ... R_{n-1}^T
	for i := 0; i < n; i++ {
		copy(r.vt[i*m:i*m+n], vs[i*n:(i+1)*n])
	}
	if sqre == 1 {
		r.vt[n*m+n] = 1
		for j := 0; j < n; j++ {
			c, s := cs[j], sn[j]
			if s == 0 {
				continue
			}
			for i := 0; i < m; i++ {
				a, b := r.vt[i*m+j], r.vt[i*m+n]
				r.vt[i*m+j] = c*a - s*b
				r.vt[i*m+n] = s*a + c*b
			}
		}
	}
	return r
}

// Where a column of Uin (a row of VTin) can be nonzero: Uin = diag(U1, 1, U2)
// has top (rows < nl), middle (row nl) and bottom (rows > nl) columns,
// VTin = diag(VT1, VT2) left and right rows; a deflating rotation of two
// columns (rows) gives both the union. The merge's products skip the blocks
// that are known to be zero, which halves their work (as LAPACK's dlasd3).
const (
	partTop    = 1
	partMiddle = 2
	partBottom = 4
	partLeft   = 1
	partRight  = 2
)

// bdcMerge combines the SVDs of the upper-left nl×(nl+1) block and the
// lower-right nr×(nr+sqre) block of an n×m bidiagonal matrix (n = nl+1+nr)
// whose middle row nl holds alpha at column nl and beta at column nl+1.
// Results are taken from sc.
func bdcMerge(left, right bdsvd, alpha, beta float64, sqre int, decide func([]float64) int, sc *scratch) bdsvd {
	nl, nr := left.n, right.n
	n := nl + 1 + nr
	m := n + sqre
	// Scale to largest entry 1.
	scale := math.Max(math.Abs(alpha), math.Abs(beta))
	for _, v := range left.s {
		scale = math.Max(scale, v)
	}
	for _, v := range right.s {
		scale = math.Max(scale, v)
	}
	if scale == 0 {
		scale = 1
	}
	alpha /= scale
	beta /= scale

	// Uin = diag(U1, 1, U2) (n×n), VTin = diag(VT1, VT2) (m×m), both dense.
	uin := sc.floats(n * n)
	umask := make([]uint8, n)
	for i := 0; i < nl; i++ {
		copy(uin[i*n:i*n+nl], left.u[i*nl:(i+1)*nl])
		umask[i] = partTop
	}
	uin[nl*n+nl] = 1
	umask[nl] = partMiddle
	for i := 0; i < nr; i++ {
		copy(uin[(nl+1+i)*n+nl+1:(nl+1+i)*n+n], right.u[i*nr:(i+1)*nr])
		umask[nl+1+i] = partBottom
	}
	vin := sc.floats(m * m)
	vmask := make([]uint8, m)
	m1, m2 := nl+1, right.m
	for i := 0; i < m1; i++ {
		copy(vin[i*m:i*m+m1], left.vt[i*m1:(i+1)*m1])
		vmask[i] = partLeft
	}
	for i := 0; i < m2; i++ {
		copy(vin[(m1+i)*m+m1:(m1+i)*m+m], right.vt[i*m2:(i+1)*m2])
		vmask[m1+i] = partRight
	}
	rotV := func(a, b int, c, s float64) {
		rotRows(vin, m, a, b, c, s)
		vmask[a] |= vmask[b]
		vmask[b] = vmask[a]
	}
	// z = B[nl, :] VTin^T.
	z := sc.floats(m)
	for c := 0; c < m1; c++ {
		z[c] = alpha * left.vt[c*m1+nl]
	}
	for c := 0; c < m2; c++ {
		z[m1+c] = beta * right.vt[c*m2]
	}
	// Combine the two null columns (nl and m-1) into column nl.
	if sqre == 1 {
		if r := math.Hypot(z[nl], z[m-1]); r != 0 {
			rotV(nl, m-1, z[nl]/r, z[m-1]/r)
			z[nl], z[m-1] = r, 0
		}
	}

	// The bordered diagonal problem: entry 0 is (d=0, z[nl]) with U row nl
	// and VTin row nl; the others are the singular values of both halves.
	type entry struct {
		d    float64
		z    float64
		urow int // column of Uin
		vrow int // row of VTin
	}
	ents := make([]entry, 0, n)
	ents = append(ents, entry{0, z[nl], nl, nl})
	for i := 0; i < nl; i++ {
		ents = append(ents, entry{left.s[i] / scale, z[i], i, i})
	}
	for i := 0; i < nr; i++ {
		ents = append(ents, entry{right.s[i] / scale, z[m1+i], nl + 1 + i, m1 + i})
	}
	rest := ents[1:]
	slices.SortStableFunc(rest, func(a, b entry) int { return cmp.Compare(a.d, b.d) })

	eps := 0x1p-53
	tol := math.Max(math.Abs(alpha), math.Abs(beta))
	tol = 8 * eps * math.Max(rest[len(rest)-1].d, tol)

	// Deflation. kept: entries of the secular equation; the others are
	// singular values as they stand (with Uin column urow, VTin row vrow).
	kept := make([]entry, 0, n)
	var defl []entry
	kept = append(kept, ents[0])
	for _, en := range rest {
		switch {
		case en.d <= tol:
			// Near zero: rotate its z into entry 0 (VT side); it becomes 0.
			e0 := &kept[0]
			r := math.Hypot(e0.z, en.z)
			if r != 0 {
				rotV(e0.vrow, en.vrow, e0.z/r, en.z/r)
				e0.z = r
			}
			en.d, en.z = 0, 0
			defl = append(defl, en)
		case math.Abs(en.z) <= tol:
			defl = append(defl, en)
		default:
			last := &kept[len(kept)-1]
			if len(kept) > 1 && en.d-last.d <= tol {
				// Equal values: rotate last's z into en, deflate last.
				r := math.Hypot(last.z, en.z)
				c, s := en.z/r, last.z/r
				// The same rotation of the two Uin columns and VTin rows
				// leaves d I unchanged and takes (z_last, z_en) to (0, r).
				rotCols(uin, n, n, last.urow, en.urow, c, -s)
				umask[last.urow] |= umask[en.urow]
				umask[en.urow] = umask[last.urow]
				rotV(last.vrow, en.vrow, c, -s)
				en.z = r
				ld := *last
				ld.z = 0
				defl = append(defl, ld)
				*last = en
				continue
			}
			kept = append(kept, en)
		}
	}
	if math.Abs(kept[0].z) <= tol {
		kept[0].z = tol
	}

	// Secular equation.
	K := len(kept)
	dk := sc.floats(K)
	zk := sc.floats(K)
	for i, en := range kept {
		dk[i], zk[i] = en.d, en.z
	}
	sig := sc.floatsDirty(K)
	diff := sc.floatsDirty(K * K) // diff[i*K+j] = d_j - sigma_i
	sum := sc.floatsDirty(K * K)  // d_j + sigma_i
	secularRoots(dk, zk, sig, diff, sum, sc)

	// Recompute z from the roots (Gu and Eisenstat).
	zh := sc.floatsDirty(K)
	for j := 0; j < K; j++ {
		// sigma_{K-1}^2 - d_j^2 = -(d_j - s)(d_j + s)
		p := -diff[(K-1)*K+j] * sum[(K-1)*K+j]
		for i := 0; i < j; i++ {
			p *= (-diff[i*K+j] * sum[i*K+j]) / ((dk[i] - dk[j]) * (dk[i] + dk[j]))
		}
		for i := j; i < K-1; i++ {
			p *= (-diff[i*K+j] * sum[i*K+j]) / ((dk[i+1] - dk[j]) * (dk[i+1] + dk[j]))
		}
		zh[j] = math.Copysign(math.Sqrt(math.Abs(p)), zk[j])
	}

	// All singular values, decreasing: roots and deflated values.
	type val struct {
		s    float64
		root int // index into sig, or -1
		def  int // index into defl
	}
	vals := make([]val, 0, n)
	for i := 0; i < K; i++ {
		vals = append(vals, val{sig[i], i, -1})
	}
	for i, en := range defl {
		vals = append(vals, val{en.d, -1, i})
	}
	slices.SortStableFunc(vals, func(a, b val) int { return cmp.Compare(b.s, a.s) })
	out := bdsvd{n: n, m: m, s: sc.floats(n)}
	for i, v := range vals {
		out.s[i] = v.s * scale
	}
	k := n
	if decide != nil {
		k = max(1, min(n, decide(out.s)))
	}

	// Secular vectors of the roots among the first k values: columns of
	// us (K×nroot) and vs (K×nroot).
	var roots []int // position in the output of each computed root
	for i := 0; i < k; i++ {
		if vals[i].root >= 0 {
			roots = append(roots, i)
		}
	}
	nroot := len(roots)
	us := sc.floatsDirty(K * nroot)
	vs := sc.floatsDirty(K * nroot)
	for c, pos := range roots {
		i := vals[pos].root
		var nu, nv float64
		for j := 0; j < K; j++ {
			v := zh[j] / (diff[i*K+j] * sum[i*K+j])
			u := dk[j] * v
			if j == 0 {
				u = -1
			}
			vs[j*nroot+c], us[j*nroot+c] = v, u
			nv += v * v
			nu += u * u
		}
		nu, nv = 1/math.Sqrt(nu), 1/math.Sqrt(nv)
		for j := 0; j < K; j++ {
			vs[j*nroot+c] *= nv
			us[j*nroot+c] *= nu
		}
	}

	// U[:, roots] = Uin[:, kept urows] us and VT[roots, :] = vs^T VTin[kept
	// vrows, :], by blocks of rows of U (top, middle, bottom) and of
	// columns of VT (left, right), each over the kept entries that are
	// nonzero there.
	ur := sc.floats(n * nroot)
	vr := sc.floats(nroot * m)
	if nroot > 0 {
		sel := make([]int, 0, K)
		pick := func(mask []uint8, rowOf func(entry) int, part uint8) []int {
			sel = sel[:0]
			for j, en := range kept {
				if mask[rowOf(en)]&part != 0 {
					sel = append(sel, j)
				}
			}
			return sel
		}
		urowOf := func(en entry) int { return en.urow }
		vrowOf := func(en entry) int { return en.vrow }
		// rows [r0, r1) of U from the kept columns in part
		uBlock := func(r0, r1 int, part uint8) {
			J := pick(umask, urowOf, part)
			nj, rows := len(J), r1-r0
			if nj == 0 || rows == 0 {
				return
			}
			a := sc.floatsDirty(rows * nj)
			b := sc.floatsDirty(nj * nroot)
			for i := 0; i < rows; i++ {
				for jj, j := range J {
					a[i*nj+jj] = uin[(r0+i)*n+kept[j].urow]
				}
			}
			for jj, j := range J {
				copy(b[jj*nroot:(jj+1)*nroot], us[j*nroot:(j+1)*nroot])
			}
			dgemmPar(runtime.GOMAXPROCS(0), rows, nroot, nj, 1, a, nj, b, nroot, 0, ur[r0*nroot:], nroot)
		}
		uBlock(0, nl, partTop)
		uBlock(nl, nl+1, partMiddle)
		uBlock(nl+1, n, partBottom)
		// columns [c0, c1) of VT from the kept rows in part
		vBlock := func(c0, c1 int, part uint8) {
			J := pick(vmask, vrowOf, part)
			nj, cols := len(J), c1-c0
			if nj == 0 || cols == 0 {
				return
			}
			a := sc.floatsDirty(nroot * nj) // vs^T, chosen columns
			b := sc.floatsDirty(nj * cols)
			for jj, j := range J {
				for c := 0; c < nroot; c++ {
					a[c*nj+jj] = vs[j*nroot+c]
				}
				copy(b[jj*cols:(jj+1)*cols], vin[kept[j].vrow*m+c0:kept[j].vrow*m+c1])
			}
			dgemmPar(runtime.GOMAXPROCS(0), nroot, cols, nj, 1, a, nj, b, cols, 0, vr[c0:], m)
		}
		vBlock(0, m1, partLeft)
		vBlock(m1, m, partRight)
	}
	rows := k
	if decide == nil && sqre == 1 {
		rows = m
	}
	out.u = sc.floatsDirty(n * k)
	out.vt = sc.floatsDirty(rows * m)
	c := 0
	for pos := 0; pos < k; pos++ {
		v := vals[pos]
		if v.root >= 0 {
			for i := 0; i < n; i++ {
				out.u[i*k+pos] = ur[i*nroot+c]
			}
			copy(out.vt[pos*m:(pos+1)*m], vr[c*m:(c+1)*m])
			c++
			continue
		}
		en := defl[v.def]
		for i := 0; i < n; i++ {
			out.u[i*k+pos] = uin[i*n+en.urow]
		}
		copy(out.vt[pos*m:(pos+1)*m], vin[en.vrow*m:(en.vrow+1)*m])
	}
	if rows == m && m > n {
		copy(out.vt[n*m:], vin[(m-1)*m:m*m]) // the null vector
	}
	return out
}

// rotRows sets rows (a, b) of the r×cols row-major x to (c ra + s rb,
// -s ra + c rb).
func rotRows(x []float64, cols, a, b int, c, s float64) {
	ra, rb := x[a*cols:(a+1)*cols], x[b*cols:(b+1)*cols]
	for i := range ra {
		p, q := ra[i], rb[i]
		ra[i] = c*p + s*q
		rb[i] = -s*p + c*q
	}
}

// rotCols sets columns (a, b) of the rows×cols row-major x to (c ca + s cb,
// -s ca + c cb).
func rotCols(x []float64, rows, cols, a, b int, c, s float64) {
	for i := 0; i < rows; i++ {
		p, q := x[i*cols+a], x[i*cols+b]
		x[i*cols+a] = c*p + s*q
		x[i*cols+b] = -s*p + c*q
	}
}

// secularRoots solves 1 + sum_j z_j^2/(d_j^2 - s^2) = 0 for its K roots,
// given 0 = d_0 < d_1 < ... < d_{K-1} and nonzero z: sig[i] lies in
// (d_i, d_{i+1}) (the last above d_{K-1}). It also returns, accurately,
// diff[i*K+j] = d_j - sig[i] and sum[i*K+j] = d_j + sig[i].
//
// Each root is found in s^2 = d_o^2 + tau relative to its nearer pole d_o,
// so that d_j^2 - s^2 = (d_j - d_o)(d_j + d_o) - tau keeps full relative
// accuracy near the pole; the iteration models the poles left and right of
// the root by one pole each and is safeguarded by bisection.
func secularRoots(d, z, sig, diff, sum []float64, sc *scratch) {
	K := len(d)
	eps := 0x1p-53
	zz := sc.floats(K)
	var znorm2 float64
	for j := range z {
		zz[j] = z[j] * z[j]
		znorm2 += zz[j]
	}
	delta := sc.floats(K)
	// f evaluates the secular function at tau (origin o) and returns
	// psi (poles j <= i), phi (poles j > i), their derivatives and a bound
	// on the rounding error.
	eval := func(i int, tau float64) (f, psi, dpsi, phi, dphi, errb float64) {
		for j := 0; j <= i; j++ {
			t := z[j] / (delta[j] - tau)
			psi += z[j] * t
			dpsi += t * t
			errb += math.Abs(z[j] * t)
		}
		for j := i + 1; j < K; j++ {
			t := z[j] / (delta[j] - tau)
			phi += z[j] * t
			dphi += t * t
			errb += math.Abs(z[j] * t)
		}
		return 1 + psi + phi, psi, dpsi, phi, dphi, errb
	}
	setOrigin := func(o int) {
		for j := 0; j < K; j++ {
			delta[j] = (d[j] - d[o]) * (d[j] + d[o])
		}
	}
	for i := 0; i < K; i++ {
		var o int
		var lo, hi float64 // bracket of tau: f(lo) < 0 < f(hi)
		if i == K-1 {
			o = i
			setOrigin(o)
			lo, hi = 0, znorm2
		} else {
			setOrigin(i)
			mid := delta[i+1] / 2
			if f, _, _, _, _, _ := eval(i, mid); f >= 0 {
				o, lo, hi = i, 0, mid
			} else {
				o = i + 1
				setOrigin(o)
				lo, hi = delta[i]/2, 0
			}
		}
		tau := (lo + hi) / 2
		for iter := 0; iter < 400; iter++ {
			f, psi, dpsi, phi, dphi, errb := eval(i, tau)
			if f == 0 || math.Abs(f) <= 8*eps*(float64(K)+errb) {
				break
			}
			if f < 0 {
				lo = tau
			} else {
				hi = tau
			}
			if hi-lo <= 4*eps*math.Max(math.Abs(lo), math.Abs(hi)) {
				tau = (lo + hi) / 2
				break
			}
			// Two-pole model: c + sL/(dL - eta) + sR/(dR - eta) = 0.
			dL := delta[i] - tau
			sL := dpsi * dL * dL
			c := 1 + psi - sL/dL
			var eta float64
			ok := false
			if i == K-1 {
				if c != 0 {
					eta = dL + sL/c
					ok = true
				}
			} else {
				dR := delta[i+1] - tau
				sR := dphi * dR * dR
				c += phi - sR/dR
				b := c*(dL+dR) + sL + sR
				c0 := dL * dR * f
				if c == 0 {
					if b != 0 {
						eta, ok = c0/b, true
					}
				} else if disc := b*b - 4*c*c0; disc >= 0 {
					q := b + math.Copysign(math.Sqrt(disc), b)
					if q != 0 {
						e1, e2 := 2*c0/q, q/(2*c)
						eta, ok = e1, true
						if t := tau + e1; !(t > lo && t < hi) {
							eta = e2
						}
					}
				}
			}
			next := tau + eta
			if !ok || !(next > lo && next < hi) {
				next = (lo + hi) / 2
			}
			if next == tau {
				break
			}
			tau = next
		}
		s := math.Sqrt(d[o]*d[o] + tau)
		sig[i] = s
		for j := 0; j < K; j++ {
			sum[i*K+j] = d[j] + s
			diff[i*K+j] = (delta[j] - tau) / (d[j] + s)
		}
	}
}
