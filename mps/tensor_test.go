package mps

import (
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// randomTensors returns random complex site tensors (not canonical, not
// normalised) with bonds min(chi, 2^q, 2^(n-q)), or all bonds chi when
// full (then they exceed what the boundary allows).
func randomTensors(r *rand.Rand, n, chi int, full bool) []Tensor {
	bond := func(b int) int {
		if b == 0 || b == n {
			return 1
		}
		if full {
			return chi
		}
		return min(chi, 1<<min(b, n-b, 30))
	}
	ts := make([]Tensor, n)
	for q := range ts {
		t := Tensor{DL: bond(q), DR: bond(q + 1)}
		t.A = make([]complex128, t.DL*2*t.DR)
		for i := range t.A {
			t.A[i] = complex(r.NormFloat64(), r.NormFloat64())
		}
		ts[q] = t
	}
	return ts
}

// contract returns the dense vector of the tensors by brute force: the
// amplitude of x is the product of the matrices A_q[x_q].
func contract(ts []Tensor) []complex128 {
	n := len(ts)
	out := make([]complex128, 1<<n)
	for x := range out {
		v := []complex128{1}
		for q, t := range ts {
			v = rowStep(v, t.A, x>>q&1, t.DR)
		}
		out[x] = v[0]
	}
	return out
}

// rowStep returns the row vector v A[:, s, :] for a tensor a stored at
// a[(l*2+s)*dr+r].
func rowStep(v, a []complex128, s, dr int) []complex128 {
	nv := make([]complex128, dr)
	for l, c := range v {
		for r := 0; r < dr; r++ {
			nv[r] += c * a[(l*2+s)*dr+r]
		}
	}
	return nv
}

func normalise(v []complex128) []complex128 {
	var n2 float64
	for _, c := range v {
		n2 += real(c)*real(c) + imag(c)*imag(c)
	}
	out := make([]complex128, len(v))
	for i, c := range v {
		out[i] = c / complex(math.Sqrt(n2), 0)
	}
	return out
}

// canonicalAbout reports whether s's tensors pass FromCanonical about c.
func canonicalAbout(s *State, c int) error {
	_, err := FromCanonical(s.Tensors(), c, Options{})
	return err
}

func TestFromTensorsIsTheNormalisedContraction(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, tc := range []struct {
		n, chi int
		full   bool
	}{{1, 1, false}, {2, 2, false}, {3, 4, false}, {6, 3, false}, {7, 8, false}, {5, 6, true}, {8, 2, true}} {
		t.Run(fmt.Sprintf("n=%d,chi=%d,full=%v", tc.n, tc.chi, tc.full), func(t *testing.T) {
			ts := randomTensors(r, tc.n, tc.chi, tc.full)
			want := normalise(contract(ts))
			s, err := FromTensors(ts, Options{MaxBond: tc.chi})
			if err != nil {
				t.Fatal(err)
			}
			if d := maxAbsDiff(s.Amplitudes(), want); d > 1e-12 {
				t.Fatalf("amplitudes differ by %.3g", d)
			}
			if s.Center() != 0 {
				t.Fatalf("center %d", s.Center())
			}
			if err := canonicalAbout(s, 0); err != nil {
				t.Fatal(err)
			}
			// A canonical state reads back bit for bit.
			back, err := FromCanonical(s.Tensors(), s.Center(), Options{MaxBond: tc.chi})
			if err != nil {
				t.Fatal(err)
			}
			for q := range tc.n {
				if a, b := s.Site(q), back.Site(q); a.DL != b.DL || a.DR != b.DR || !slices.Equal(a.A, b.A) {
					t.Fatalf("site %d differs after FromCanonical", q)
				}
			}
			// Moving the center keeps the state and the canonical form.
			s.MoveCenter(tc.n - 1)
			if err := canonicalAbout(s, tc.n-1); err != nil {
				t.Fatal(err)
			}
			if d := maxAbsDiff(s.Amplitudes(), want); d > 1e-12 {
				t.Fatalf("amplitudes differ by %.3g after MoveCenter", d)
			}
		})
	}
}

func TestTensorErrors(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 2))
	good := func() []Tensor { return randomTensors(r, 3, 2, false) }
	zero := good()
	for i := range zero[1].A {
		zero[1].A[i] = 0
	}
	nan := good()
	nan[2].A[1] = cmplx.NaN()
	badBond := good()
	badBond[1] = Tensor{DL: 3, DR: badBond[1].DR, A: make([]complex128, 3*2*badBond[1].DR)}
	badLen := good()
	badLen[0].A = badLen[0].A[:3]
	openLeft := good()
	openLeft[0] = Tensor{DL: 2, DR: 2, A: make([]complex128, 8)}
	for _, tc := range []struct {
		name string
		ts   []Tensor
		want string
	}{
		{"no sites", nil, "at least 1 site"},
		{"zero state", zero, "norm 0"},
		{"NaN", nan, "not finite"},
		{"bonds disagree", badBond, "disagree"},
		{"short tensor", badLen, "entries"},
		{"open left", openLeft, "starts with 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := FromTensors(tc.ts, Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
	// Not canonical.
	if _, err := FromCanonical(good(), 1, Options{}); err == nil || !strings.Contains(err.Error(), "canonical") {
		t.Fatalf("FromCanonical of random tensors: %v", err)
	}
	if _, err := FromCanonical(good(), 3, Options{}); err == nil {
		t.Fatal("FromCanonical accepted a center out of range")
	}
	if _, err := FromTensors(good(), Options{MaxBond: -1}); err == nil {
		t.Fatal("FromTensors accepted a negative bond cap")
	}
}

// pairAmplitudes returns the dense vector of ts with sites i, i+1 replaced
// by the two-site matrix th, by brute force.
func pairAmplitudes(ts []Tensor, i int, th []complex128) []complex128 {
	n := len(ts)
	dr := ts[i+1].DR
	out := make([]complex128, 1<<n)
	for x := range out {
		v := []complex128{1}
		for q := 0; q < n; q++ {
			if q == i+1 {
				continue
			}
			s := x >> q & 1
			if q == i {
				// th[(l, s), (s2, r)]: a tensor with right bond 2 dr.
				s2 := x >> (i + 1) & 1
				v = rowStep(v, th, s, 2*dr)[s2*dr : (s2+1)*dr]
				continue
			}
			v = rowStep(v, ts[q].A, s, ts[q].DR)
		}
		out[x] = v[0]
	}
	return out
}

func TestPairAndSetPair(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	const n = 6
	for _, right := range []bool{true, false} {
		for i := 0; i+1 < n; i++ {
			s, err := FromCanonical(randomMPS(r, n, 4).Tensors(), 0, Options{}) // no cap
			if err != nil {
				t.Fatal(err)
			}
			s.MoveCenter(r.IntN(n))
			want := s.Amplitudes()
			th, dl, dr := s.Pair(i)
			if c := s.Center(); c != i && c != i+1 {
				t.Fatalf("Pair(%d) left the center at %d", i, c)
			}
			if len(th) != 4*dl*dr || math.Abs(frobenius(th)-1) > 1e-12 {
				t.Fatalf("pair of %d entries and norm %g", len(th), frobenius(th))
			}
			// Splitting the unchanged pair keeps the state.
			w, err := s.SetPair(i, th, right)
			if err != nil || w > 1e-20 {
				t.Fatalf("SetPair: discarded %g, %v", w, err)
			}
			wantC := i
			if right {
				wantC = i + 1
			}
			if s.Center() != wantC {
				t.Fatalf("center %d, want %d", s.Center(), wantC)
			}
			if d := maxAbsDiff(s.Amplitudes(), want); d > 1e-12 {
				t.Fatalf("i=%d right=%v: amplitudes moved by %.3g", i, right, d)
			}
			if err := canonicalAbout(s, wantC); err != nil {
				t.Fatal(err)
			}
			// A new pair: the state is the contraction with it, normalised.
			th, _, _ = s.Pair(i)
			for k := range th {
				th[k] = complex(r.NormFloat64(), r.NormFloat64())
			}
			ts := s.Tensors()
			want = normalise(pairAmplitudes(ts, i, th))
			if _, err := s.SetPair(i, th, right); err != nil {
				t.Fatal(err)
			}
			if d := maxAbsDiff(s.Amplitudes(), want); d > 1e-12 {
				t.Fatalf("i=%d right=%v: new pair, amplitudes differ by %.3g", i, right, d)
			}
			if err := canonicalAbout(s, s.Center()); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestSetPairTruncatesAndRefusesZero(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	s := randomMPS(r, 6, 8)
	exact := s.Amplitudes()
	c, err := FromCanonical(s.Tensors(), s.Center(), Options{MaxBond: 2})
	if err != nil {
		t.Fatal(err)
	}
	th, _, _ := c.Pair(2)
	w, err := c.SetPair(2, th, true)
	if err != nil {
		t.Fatal(err)
	}
	if c.BondDims()[2] != 2 || !(w > 0) {
		t.Fatalf("bond %d, discarded %g", c.BondDims()[2], w)
	}
	// The kept part is normalised and its overlap with the exact state is
	// 1 - w (the truncation of a normalised state at its center).
	ov := overlap(exact, c.Amplitudes())
	if math.Abs(cmplx.Abs(ov)*cmplx.Abs(ov)-(1-w)) > 1e-12 {
		t.Fatalf("|<exact|trunc>|^2 = %g, 1 - w = %g", cmplx.Abs(ov)*cmplx.Abs(ov), 1-w)
	}
	before := c.Amplitudes()
	th, _, _ = c.Pair(3)
	clear(th)
	if _, err := c.SetPair(3, th, false); err == nil {
		t.Fatal("SetPair accepted a zero pair")
	}
	th[0] = cmplx.Inf()
	if _, err := c.SetPair(3, th, false); err == nil {
		t.Fatal("SetPair accepted an infinite pair")
	}
	if d := maxAbsDiff(c.Amplitudes(), before); d != 0 {
		t.Fatalf("a refused SetPair changed the state by %g", d)
	}
}

func TestInner(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	for _, n := range []int{1, 2, 5, 8} {
		a, b := randomMPS(r, n, 3), randomMPS(r, n, 5)
		b.MoveCenter(n - 1)
		want := overlap(a.Amplitudes(), b.Amplitudes())
		if got := Inner(a, b); cmplx.Abs(got-want) > 1e-12 {
			t.Fatalf("n=%d: Inner %v, dense %v", n, got, want)
		}
		if got := Inner(a, a); cmplx.Abs(got-1) > 1e-12 {
			t.Fatalf("n=%d: <a|a> = %v", n, got)
		}
	}
}
