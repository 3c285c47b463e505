package mps

import (
	"fmt"
	"slices"

	"born/circuit"
)

// maxDenseSites is the largest number of qubits (controls and targets
// together) for which a gate's full matrix is built and decomposed into an
// MPO; gates on more qubits must be controlled, and their MPO is built as
// identity + projector (x) (U - I).
const maxDenseSites = 10

// Apply applies the matrix m (on targets; bit j of its index is targets[j])
// where the controls hold the values in ctrlState (bit i for controls[i]).
// targets may be empty: m is then 1×1, a phase on the subspace where the
// controls hold (a global phase without controls).
//
// A 1-qubit gate is applied in place; a gate on two neighbouring qubits
// (controls included) by contracting the pair, applying it and splitting
// with a truncated SVD; any other gate is turned exactly into a matrix
// product operator over the span of its qubits, applied, and the span is
// recompressed by a canonical sweep of SVDs, so qubit order never changes.
// It panics on a qubit out of range, a repeated qubit or a matrix of the
// wrong size, as those are programming errors in the caller.
func (s *State) Apply(m circuit.Matrix, targets, controls []int, ctrlState uint64) {
	k := len(targets)
	if len(m) != 1<<(2*k) {
		panic(fmt.Sprintf("mps: Apply: %d entries in the matrix of a %d-target gate", len(m), k))
	}
	all := make([]int, 0, k+len(controls))
	all = append(all, targets...)
	all = append(all, controls...)
	for i, q := range all {
		if q < 0 || q >= s.n {
			panic(fmt.Sprintf("mps: Apply: qubit %d out of range [0, %d)", q, s.n))
		}
		for _, p := range all[:i] {
			if p == q {
				panic(fmt.Sprintf("mps: Apply: qubit %d named twice", q))
			}
		}
	}
	switch {
	case len(all) == 0:
		// global phase
		c := &s.sites[s.center]
		for i := range c.a {
			c.a[i] *= m[0]
		}
	case len(controls) == 0 && k == 1:
		s.apply1(targets[0], m)
	case k == 0 && len(controls) == 1:
		d := circuit.Matrix{1, 0, 0, 1}
		d[3*int(ctrlState&1)] = m[0]
		s.apply1(controls[0], d)
	default:
		sites := slices.Clone(all)
		slices.Sort(sites)
		if len(sites) == 2 && sites[1] == sites[0]+1 {
			s.apply2(sites[0], denseOn(sites, m, targets, controls, ctrlState))
			return
		}
		var w []mpoSite
		if len(sites) <= maxDenseSites {
			w = mpoFromDense(len(sites), denseOn(sites, m, targets, controls, ctrlState))
		} else {
			w = mpoControlled(sites, m, targets, controls, ctrlState)
		}
		s.applyMPO(sites, w)
	}
}

// denseOn returns the 2^K×2^K matrix (K = len(sites), bit j = sites[j]) of
// m on targets controlled by controls, built column by column with the
// reference kernel.
func denseOn(sites []int, m circuit.Matrix, targets, controls []int, ctrlState uint64) circuit.Matrix {
	pos := func(q int) int { return slices.Index(sites, q) }
	lt := make([]int, len(targets))
	for i, q := range targets {
		lt[i] = pos(q)
	}
	lc := make([]int, len(controls))
	for i, q := range controls {
		lc[i] = pos(q)
	}
	d := 1 << len(sites)
	out := make(circuit.Matrix, d*d)
	col := make([]complex128, d)
	for c := 0; c < d; c++ {
		clear(col)
		col[c] = 1
		circuit.ApplyRef(col, m, lt, lc, ctrlState)
		for r := 0; r < d; r++ {
			out[r*d+c] = col[r]
		}
	}
	return out
}

// apply1 applies the 2×2 matrix m to qubit q in place. A unitary on the
// physical index keeps a site's orthonormality, so the canonical form holds.
func (s *State) apply1(q int, m circuit.Matrix) {
	st := &s.sites[q]
	dr := st.dr
	m00, m01, m10, m11 := m[0], m[1], m[2], m[3]
	for l := 0; l < st.dl; l++ {
		x0 := st.a[(2*l)*dr : (2*l+1)*dr]
		x1 := st.a[(2*l+1)*dr : (2*l+2)*dr]
		for r := range x0 {
			a, b := x0[r], x1[r]
			x0[r] = m00*a + m01*b
			x1[r] = m10*a + m11*b
		}
	}
}

// apply2 applies the 4×4 matrix g (bit 0: qubit i, bit 1: qubit i+1) to
// the neighbours i, i+1.
func (s *State) apply2(i int, g circuit.Matrix) {
	// theta[(a,s1), (s2,c)] = sum_b A[a,s1,b] B[b,s2,c]
	th, dl, dr := s.Pair(i)
	// theta'[a,t1,t2,c] = sum g[t1+2t2, s1+2s2] theta[a,s1,s2,c], in place,
	// the four rows of each a from a copy.
	src := make([]complex128, 4*dr)
	for a := 0; a < dl; a++ {
		rows := th[4*a*dr : 4*(a+1)*dr]
		copy(src, rows)
		clear(rows)
		for s1 := 0; s1 < 2; s1++ {
			for s2 := 0; s2 < 2; s2++ {
				in := src[(s1*2+s2)*dr : (s1*2+s2+1)*dr]
				for t1 := 0; t1 < 2; t1++ {
					for t2 := 0; t2 < 2; t2++ {
						x := g[(t1+2*t2)*4+s1+2*s2]
						if x == 0 {
							continue
						}
						dst := rows[(t1*2+t2)*dr : (t1*2+t2+1)*dr]
						for c, v := range in {
							dst[c] += x * v
						}
					}
				}
			}
		}
	}
	s.splitPair(i, 2*dl, 2*dr, th)
}

// splitPair factorises the (2dl)×(2dr) two-site matrix th of sites i, i+1
// by a truncated SVD: site i gets U, site i+1 gets S Vh and becomes the
// center. It returns the discarded weight.
func (s *State) splitPair(i, m, n int, th []complex128) float64 {
	u, sv, vh, keep, w, norm := s.truncatedSVD(m, n, th)
	A, B := &s.sites[i], &s.sites[i+1]
	A.a, A.dr = u, keep
	B.a, B.dl = scaleRows(vh, keep, n, sv, norm), keep
	s.center = i + 1
	s.record(w, keep)
	return w
}

// scaleRows multiplies row r of the rows×cols matrix a by sv[r]/norm (by 0
// when norm is 0), in place, and returns a: S Vh of a truncated SVD,
// renormalised.
func scaleRows(a []complex128, rows, cols int, sv []float64, norm float64) []complex128 {
	for r := 0; r < rows; r++ {
		f := complex(sv[r]/norm, 0)
		if norm == 0 {
			f = 0
		}
		row := a[r*cols : (r+1)*cols]
		for c := range row {
			row[c] *= f
		}
	}
	return a
}

// truncatedSVD factorises the m×n matrix a = U S Vh keeping the leading
// singular triplets the cap and cutoff allow: u is m×keep, vh keep×n, sv
// all singular values; w is the discarded weight and norm the norm of the
// kept values.
func (s *State) truncatedSVD(m, n int, a []complex128) (u []complex128, sv []float64, vh []complex128, keep int, w, norm float64) {
	u, sv, vh = svdTrunc(m, n, a, func(sv []float64) int {
		keep, w, norm = s.truncation(sv)
		return keep
	})
	return u, sv, vh, keep, w, norm
}

// mpoSite is one tensor W[l, r, o, i] of a matrix product operator, stored
// at w[((l*wr+r)*2+o)*2+i].
type mpoSite struct {
	wl, wr int
	w      []complex128
}

// mpoFromDense decomposes the 2^K×2^K operator g (bit j = its j-th site) into
// a K-site MPO by successive SVDs (operator Schmidt decompositions); bonds
// keep only singular values above 1e-14 relative, so they are exact and
// minimal.
func mpoFromDense(K int, g circuit.Matrix) []mpoSite {
	d := 1 << K
	// x[p_0, p_1, ..., p_{K-1}] row-major with p_j = 2*o_j + i_j.
	x := make([]complex128, d*d)
	for r := 0; r < d; r++ {
		for c := 0; c < d; c++ {
			idx := 0
			for j := 0; j < K; j++ {
				p := 2*(r>>j&1) + (c >> j & 1)
				idx = idx*4 + p
			}
			x[idx] = g[r*d+c]
		}
	}
	out := make([]mpoSite, K)
	wl := 1
	rest := d * d
	for j := 0; j < K-1; j++ {
		rest /= 4
		mrows := wl * 4
		u, sv, vh := SVD(mrows, rest, x)
		kf := len(sv)
		keep := kf
		for keep > 1 && sv[keep-1] <= 1e-14*sv[0] {
			keep--
		}
		// W[l, r, o, i] = U[(l, p), r]
		w := make([]complex128, wl*keep*4)
		for l := 0; l < wl; l++ {
			for p := 0; p < 4; p++ {
				for r := 0; r < keep; r++ {
					w[(l*keep+r)*4+p] = u[(l*4+p)*kf+r]
				}
			}
		}
		out[j] = mpoSite{wl: wl, wr: keep, w: w}
		nx := make([]complex128, keep*rest)
		for r := 0; r < keep; r++ {
			for c := 0; c < rest; c++ {
				nx[r*rest+c] = complex(sv[r], 0) * vh[r*rest+c]
			}
		}
		x = nx
		wl = keep
	}
	// last site: W[l, 0, o, i] = x[l, p]
	out[K-1] = mpoSite{wl: wl, wr: 1, w: x[:wl*4]}
	return out
}

// mpoControlled builds the MPO of a controlled gate on many qubits as
// I + P (x) (U - I), with P the projector of the controls on ctrlState and
// U - I decomposed over the targets; its bonds are 1 + those of U - I.
func mpoControlled(sites []int, m circuit.Matrix, targets, controls []int, ctrlState uint64) []mpoSite {
	if len(targets) > maxDenseSites {
		panic(fmt.Sprintf("mps: Apply: gates on more than %d targets are not supported", maxDenseSites))
	}
	// U - I on the targets sorted by qubit.
	ts := slices.Clone(targets)
	slices.Sort(ts)
	kt := len(ts)
	var tw []mpoSite
	var scalar complex128 = 1
	if kt == 0 {
		scalar = m[0] - 1
	} else {
		um := denseOn(ts, m, targets, nil, 0)
		dt := 1 << kt
		for i := 0; i < dt; i++ {
			um[i*dt+i] -= 1
		}
		tw = mpoFromDense(kt, um)
	}
	// Term 2 per site of sites: control projector (bond passes through),
	// or the next target tensor.
	term := make([]mpoSite, len(sites))
	ti := 0
	bond := 1
	first := true
	for j, q := range sites {
		if ci := slices.Index(controls, q); ci >= 0 {
			v := int(ctrlState >> uint(ci) & 1)
			w := make([]complex128, bond*bond*4)
			f := complex128(1)
			if first {
				f = scalar
				first = false
			}
			for l := 0; l < bond; l++ {
				w[(l*bond+l)*4+3*v] = f
			}
			term[j] = mpoSite{wl: bond, wr: bond, w: w}
			continue
		}
		t := tw[ti]
		ti++
		if first && scalar != 1 {
			for i := range t.w {
				t.w[i] *= scalar
			}
		}
		first = false
		term[j] = t
		bond = t.wr
	}
	// Direct sum with the identity, over the span sites[0]..sites[K-1]; the
	// idle qubits inside the span are added by applyMPO.
	K := len(sites)
	out := make([]mpoSite, K)
	for j, t := range term {
		wl, wr := t.wl+1, t.wr+1
		if j == 0 {
			wl = 1
		}
		if j == K-1 {
			wr = 1
		}
		w := make([]complex128, wl*wr*4)
		w[0], w[3] = 1, 1 // (l=0, r=0): identity
		for l := 0; l < t.wl; l++ {
			for r := 0; r < t.wr; r++ {
				L, R := l+1, r+1
				if j == 0 {
					L = 0
				}
				if j == K-1 {
					R = 0
				}
				for p := 0; p < 4; p++ {
					w[(L*wr+R)*4+p] += t.w[(l*t.wr+r)*4+p]
				}
			}
		}
		out[j] = mpoSite{wl: wl, wr: wr, w: w}
	}
	return out
}

// applyMPO applies the MPO w (one tensor per qubit of sites, sorted) with
// identities on the idle qubits between them, then restores the canonical
// form and compresses the span: an LQ sweep right to left, then a truncating
// SVD sweep left to right.
func (s *State) applyMPO(sites []int, w []mpoSite) {
	lo, hi := sites[0], sites[len(sites)-1]
	s.moveCenter(lo)
	j := 0
	bond := 1
	for q := lo; q <= hi; q++ {
		var op mpoSite
		if j < len(sites) && sites[j] == q {
			op = w[j]
			j++
			bond = op.wr
		} else {
			op = mpoSite{wl: bond, wr: bond}
		}
		s.sites[q] = contractMPO(s.sites[q], op)
	}
	// Right-to-left LQ sweep: sites hi..lo+1 right-orthonormal.
	s.center = hi
	s.moveCenter(lo)
	// Left-to-right truncating SVD sweep.
	for q := lo; q < hi; q++ {
		a := &s.sites[q]
		m, n := 2*a.dl, a.dr
		u, sv, vh, keep, wt, norm := s.truncatedSVD(m, n, a.a)
		a.a, a.dr = u, keep
		// S Vh (keep×n) times the next site
		b := &s.sites[q+1]
		b.a = zmul(keep, n, 2*b.dr, scaleRows(vh, keep, n, sv, norm), b.a)
		b.dl = keep
		s.center = q + 1
		s.record(wt, keep)
	}
}

// contractMPO returns the site A'[(a,l), o, (b,r)] = sum_i W[l,r,o,i] A[a,i,b];
// an op with nil w is the identity with bond op.wl = op.wr.
func contractMPO(a site, op mpoSite) site {
	wl, wr := op.wl, op.wr
	ndl, ndr := a.dl*wl, a.dr*wr
	out := site{dl: ndl, dr: ndr, a: make([]complex128, ndl*2*ndr)}
	for l := 0; l < wl; l++ {
		for r := 0; r < wr; r++ {
			var g [4]complex128
			if op.w == nil {
				if l != r {
					continue
				}
				g = [4]complex128{1, 0, 0, 1}
			} else {
				copy(g[:], op.w[(l*wr+r)*4:(l*wr+r)*4+4])
				if g == [4]complex128{} {
					continue
				}
			}
			for x := 0; x < a.dl; x++ {
				for o := 0; o < 2; o++ {
					dst := out.a[((x*wl+l)*2+o)*ndr:]
					for i := 0; i < 2; i++ {
						c := g[o*2+i]
						if c == 0 {
							continue
						}
						src := a.a[(x*2+i)*a.dr : (x*2+i+1)*a.dr]
						for b, v := range src {
							dst[b*wr+r] += c * v
						}
					}
				}
			}
		}
	}
	return out
}
