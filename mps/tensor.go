package mps

import (
	"fmt"
	"math"
	"math/cmplx"
)

// Tensor is one site tensor of an MPS, A[l, s, r] with l < DL, physical
// index s in {0, 1} and r < DR, stored at A[(l*2+s)*DR+r]: row-major as a
// (2 DL)×DR matrix or a DL×(2 DR) matrix. The first site has DL = 1 and the
// last DR = 1.
type Tensor struct {
	DL, DR int
	A      []complex128
}

// canonicalTol is the tolerance of FromCanonical's orthonormality checks.
const canonicalTol = 1e-10

// checkTensors checks the shapes and values of an open-boundary MPS.
func checkTensors(ts []Tensor) error {
	n := len(ts)
	if n == 0 {
		return fmt.Errorf("mps: need at least 1 site tensor")
	}
	for q, t := range ts {
		if t.DL < 1 || t.DR < 1 {
			return fmt.Errorf("mps: site %d: bond dimensions %d and %d must be at least 1", q, t.DL, t.DR)
		}
		if len(t.A) != t.DL*2*t.DR {
			return fmt.Errorf("mps: site %d: %d entries for a %d×2×%d tensor", q, len(t.A), t.DL, t.DR)
		}
		if q == 0 && t.DL != 1 {
			return fmt.Errorf("mps: site 0 has left bond %d; an open-boundary MPS starts with 1", t.DL)
		}
		if q == n-1 && t.DR != 1 {
			return fmt.Errorf("mps: site %d has right bond %d; an open-boundary MPS ends with 1", q, t.DR)
		}
		if q > 0 && t.DL != ts[q-1].DR {
			return fmt.Errorf("mps: sites %d and %d disagree on their bond: %d against %d", q-1, q, ts[q-1].DR, t.DL)
		}
		for _, v := range t.A {
			if cmplx.IsNaN(v) || cmplx.IsInf(v) {
				return fmt.Errorf("mps: site %d: entry %v is not finite", q, v)
			}
		}
	}
	return nil
}

// fromTensors returns a State holding copies of ts with the options checked,
// its center not yet set and its stats initialised.
func fromTensors(ts []Tensor, opts Options) (*State, error) {
	if err := checkTensors(ts); err != nil {
		return nil, err
	}
	s, err := New(1, Options{MaxBond: opts.MaxBond, Cutoff: opts.Cutoff, MemoryLimit: opts.MemoryLimit})
	if err != nil {
		return nil, err
	}
	s.n = len(ts)
	s.sites = make([]site, s.n)
	for q, t := range ts {
		s.sites[q] = site{dl: t.DL, dr: t.DR, a: append([]complex128(nil), t.A...)}
		s.stats.MaxBond = max(s.stats.MaxBond, t.DR)
	}
	return s, nil
}

// FromTensors returns the normalised state whose amplitudes are proportional
// to the contraction of the site tensors ts (site q holds qubit q), in
// mixed-canonical form with its center at site 0. The tensors are copied and
// brought into canonical form by an exact LQ sweep, which may shrink a bond
// to min(DL, 2 DR) but never truncates; bonds above opts.MaxBond stay until
// an operation truncates them. It returns an error for inconsistent shapes,
// entries that are not finite, and tensors that contract to zero.
func FromTensors(ts []Tensor, opts Options) (*State, error) {
	s, err := fromTensors(ts, opts)
	if err != nil {
		return nil, err
	}
	s.center = s.n - 1
	s.moveCenter(0)
	c := &s.sites[0]
	nrm := frobenius(c.a)
	if !(nrm > 0) || math.IsInf(nrm, 0) {
		return nil, fmt.Errorf("mps: the tensors contract to a state of norm %g; it must be finite and nonzero", nrm)
	}
	f := complex(1/nrm, 0)
	for i := range c.a {
		c.a[i] *= f
	}
	return s, nil
}

// FromCanonical returns the state of site tensors ts that are already in
// mixed-canonical form about site center: the sites left of it
// left-orthonormal (sum over l, s of conj(A[l,s,r]) A[l,s,r'] = delta), those
// right of it right-orthonormal, and the center of norm 1, each to within
// 1e-10. The tensors are copied unchanged, so a state saved with Tensors
// and Center reads back bit for bit. It returns an error if the conditions
// do not hold (FromTensors accepts any tensors).
func FromCanonical(ts []Tensor, center int, opts Options) (*State, error) {
	if center < 0 || center >= len(ts) {
		return nil, fmt.Errorf("mps: center %d out of range [0, %d)", center, len(ts))
	}
	s, err := fromTensors(ts, opts)
	if err != nil {
		return nil, err
	}
	for q := range s.sites {
		st := s.sites[q]
		var dev float64
		switch {
		case q < center:
			// (2dl)×dr with orthonormal columns: A^H A = I.
			dev = identityDeviation(zmul(st.dr, 2*st.dl, st.dr, adjoint(2*st.dl, st.dr, st.a), st.a), st.dr)
		case q > center:
			// dl×(2dr) with orthonormal rows: A A^H = I.
			dev = identityDeviation(zmul(st.dl, 2*st.dr, st.dl, st.a, adjoint(st.dl, 2*st.dr, st.a)), st.dl)
		default:
			dev = math.Abs(frobenius(st.a) - 1)
		}
		if !(dev <= canonicalTol) {
			return nil, fmt.Errorf("mps: site %d is not in canonical form about site %d (deviation %.3g)", q, center, dev)
		}
	}
	s.center = center
	return s, nil
}

func frobenius(a []complex128) float64 {
	var t float64
	for _, v := range a {
		t += real(v)*real(v) + imag(v)*imag(v)
	}
	return math.Sqrt(t)
}

// identityDeviation returns the largest entry of |g - I| for a d×d matrix g.
func identityDeviation(g []complex128, d int) float64 {
	var dev float64
	for i := 0; i < d; i++ {
		for j := 0; j < d; j++ {
			v := g[i*d+j]
			if i == j {
				v--
			}
			dev = math.Max(dev, cmplx.Abs(v))
		}
	}
	return dev
}

// Tensors returns copies of the site tensors in their current gauge (see
// Center).
func (s *State) Tensors() []Tensor {
	out := make([]Tensor, s.n)
	for q := range out {
		out[q] = s.Site(q)
	}
	return out
}

// Site returns a copy of the tensor of site q.
func (s *State) Site(q int) Tensor {
	s.checkQubit("Site", q)
	st := s.sites[q]
	return Tensor{DL: st.dl, DR: st.dr, A: append([]complex128(nil), st.a...)}
}

// Center returns the orthogonality center: the site whose tensor carries
// the norm, all sites left of it being left-orthonormal and all right of it
// right-orthonormal.
func (s *State) Center() int { return s.center }

// MoveCenter moves the orthogonality center to site q by exact QR or LQ
// factorisations; the state does not change.
func (s *State) MoveCenter(q int) {
	s.checkQubit("MoveCenter", q)
	s.moveCenter(q)
}

// Pair returns the two-site tensor of sites i and i+1,
// Theta[(l, s1), (s2, r)] = sum_b A_i[l, s1, b] A_{i+1}[b, s2, r], as a
// (2 dl)×(2 dr) row-major matrix, where dl is the left bond of site i and
// dr the right bond of site i+1. The center is first moved into the pair
// (to i if it was at or left of i, else to i+1), so that the squared
// Frobenius norm of Theta is the squared norm of the state, 1, and every
// amplitude is linear in Theta with orthonormal environments.
func (s *State) Pair(i int) (theta []complex128, dl, dr int) {
	if i < 0 || i+1 >= s.n {
		panic(fmt.Sprintf("mps: Pair: no sites %d and %d in %d qubits", i, i+1, s.n))
	}
	if s.center <= i {
		s.moveCenter(i)
	} else {
		s.moveCenter(i + 1)
	}
	A, B := s.sites[i], s.sites[i+1]
	return zmul(2*A.dl, A.dr, 2*B.dr, A.a, B.a), A.dl, B.dr
}

// SetPair replaces sites i and i+1, with the center at i or i+1 (as Pair
// leaves it), by the factorisation of the (2 dl)×(2 dr) two-site matrix
// theta (the layout of Pair; dl and dr are the current outer bonds): a
// truncated SVD under the state's bond cap and cutoff, normalised to 1.
// With centerRight the center goes to i+1 (site i gets U), else to i (site
// i+1 gets Vh). It returns the discarded weight, which the accounting
// records like any truncation, and an error, leaving the state unchanged,
// when theta is zero or not finite. Wrong indices or sizes panic.
func (s *State) SetPair(i int, theta []complex128, centerRight bool) (float64, error) {
	if i < 0 || i+1 >= s.n {
		panic(fmt.Sprintf("mps: SetPair: no sites %d and %d in %d qubits", i, i+1, s.n))
	}
	if s.center != i && s.center != i+1 {
		panic(fmt.Sprintf("mps: SetPair(%d): the center is at %d, not in the pair", i, s.center))
	}
	dl, dr := s.sites[i].dl, s.sites[i+1].dr
	if len(theta) != 4*dl*dr {
		panic(fmt.Sprintf("mps: SetPair: %d entries for a %d×%d two-site matrix", len(theta), 2*dl, 2*dr))
	}
	nrm := frobenius(theta)
	if !(nrm > 0) || math.IsInf(nrm, 0) || math.IsNaN(nrm) {
		return 0, fmt.Errorf("mps: SetPair: the two-site tensor has norm %g; it must be finite and nonzero", nrm)
	}
	m, n := 2*dl, 2*dr
	if centerRight {
		return s.splitPair(i, m, n, theta), nil
	}
	u, sv, vh, keep, w, norm := s.truncatedSVD(m, n, theta)
	A, B := &s.sites[i], &s.sites[i+1]
	// U S, renormalised (norm > 0: theta is not zero), in place.
	for r := 0; r < m; r++ {
		row := u[r*keep : (r+1)*keep]
		for c := range row {
			row[c] *= complex(sv[c]/norm, 0)
		}
	}
	A.a, A.dr = u, keep
	B.a, B.dl = vh, keep
	s.center = i
	s.record(w, keep)
	return w, nil
}

// Inner returns <a|b> for two states of the same number of qubits.
func Inner(a, b *State) complex128 {
	if a.n != b.n {
		panic(fmt.Sprintf("mps: Inner of states of %d and %d qubits", a.n, b.n))
	}
	// E[i, j] = sum over the prefix of conj(a-vector)[i] b-vector[j].
	e := []complex128{1}
	for q := range a.sites {
		x, y := a.sites[q], b.sites[q]
		// T[i, (s, j')] = sum_j E[i, j] B[j, s, j']
		t := zmul(x.dl, y.dl, 2*y.dr, e, y.a)
		// E'[i', j'] = sum_{i, s} conj(A[i, s, i']) T[i, s, j']
		e = zmul(x.dr, 2*x.dl, y.dr, adjoint(2*x.dl, x.dr, x.a), t)
	}
	return e[0]
}
