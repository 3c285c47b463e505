package mps

import (
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"runtime"
	"sort"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func randomMatrix(r *rand.Rand, m, n int, scale float64) []complex128 {
	a := make([]complex128, m*n)
	for i := range a {
		a[i] = complex(r.NormFloat64()*scale, r.NormFloat64()*scale)
	}
	return a
}

// withSpectrum returns U diag(s) V^H for random unitaries U (m×k), V (n×k).
func withSpectrum(r *rand.Rand, m, n int, s []float64) []complex128 {
	k := len(s)
	u, _ := qr(m, k, randomMatrix(r, m, k, 1))
	v, _ := qr(n, k, randomMatrix(r, n, k, 1))
	a := make([]complex128, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var acc complex128
			for l := 0; l < k; l++ {
				acc += u[i*k+l] * complex(s[l], 0) * cmplx.Conj(v[j*k+l])
			}
			a[i*n+j] = acc
		}
	}
	return a
}

// checkSVD verifies a = U diag(s) Vh to tol relative to max|a|, the
// orthonormality of U's columns and Vh's rows, and the order and sign of s.
func checkSVD(t *testing.T, m, n int, a []complex128, tol float64) []float64 {
	t.Helper()
	orig := append([]complex128(nil), a...)
	u, s, vh := SVD(m, n, a)
	k := min(m, n)
	if len(u) != m*k || len(s) != k || len(vh) != k*n {
		t.Fatalf("shapes: u %d, s %d, vh %d", len(u), len(s), len(vh))
	}
	for i := range a {
		if a[i] != orig[i] {
			t.Fatal("SVD modified its input")
		}
	}
	var amax float64
	for _, v := range a {
		amax = math.Max(amax, math.Max(math.Abs(real(v)), math.Abs(imag(v))))
	}
	for i := 0; i < k; i++ {
		if !(s[i] >= 0) || (i > 0 && s[i] > s[i-1]) {
			t.Fatalf("singular values not sorted and non-negative: s[%d]=%v, s[%d]=%v", i-1, s[max(i-1, 0)], i, s[i])
		}
	}
	if amax > 0 {
		var worst float64
		for i := 0; i < m; i++ {
			for j := 0; j < n; j++ {
				var acc complex128
				for l := 0; l < k; l++ {
					// scale before multiplying so that huge and tiny inputs
					// neither overflow nor underflow
					acc += u[i*k+l] * complex(s[l]/amax, 0) * vh[l*n+j]
				}
				worst = math.Max(worst, cmplx.Abs(acc-a[i*n+j]/complex(amax, 0)))
			}
		}
		if worst > tol {
			t.Fatalf("reconstruction error %.3g (relative to max|a|)", worst)
		}
	}
	// U^H U = I, Vh Vh^H = I
	for p := 0; p < k; p++ {
		for q := p; q < k; q++ {
			var uu, vv complex128
			for i := 0; i < m; i++ {
				uu += cmplx.Conj(u[i*k+p]) * u[i*k+q]
			}
			for j := 0; j < n; j++ {
				vv += vh[p*n+j] * cmplx.Conj(vh[q*n+j])
			}
			want := complex(0, 0)
			if p == q {
				want = 1
			}
			if d := math.Max(cmplx.Abs(uu-want), cmplx.Abs(vv-want)); d > tol {
				t.Fatalf("columns %d,%d: U^H U = %v, Vh Vh^H = %v", p, q, uu, vv)
			}
		}
	}
	return s
}

func TestSVDRandom(t *testing.T) {
	sizes := [][2]int{{1, 1}, {1, 7}, {7, 1}, {2, 2}, {5, 3}, {3, 5}, {16, 16}, {33, 17}, {17, 33}, {64, 64}, {100, 37}, {37, 100}, {128, 128}, {256, 96}}
	for i, sz := range sizes {
		m, n := sz[0], sz[1]
		t.Run(fmt.Sprintf("%dx%d", m, n), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(i), 1))
			checkSVD(t, m, n, randomMatrix(r, m, n, 1), 1e-12)
		})
	}
}

func TestSVDStructured(t *testing.T) {
	r := rand.New(rand.NewPCG(77, 1))
	geo := func(k int, ratio float64) []float64 {
		s := make([]float64, k)
		for i := range s {
			s[i] = math.Pow(ratio, float64(i))
		}
		return s
	}
	cases := []struct {
		name string
		m, n int
		a    []complex128
		want []float64 // expected singular values (prefix), nil: none
	}{
		{"zero", 6, 4, make([]complex128, 24), []float64{0, 0, 0, 0}},
		{"rank 1", 20, 12, withSpectrum(r, 20, 12, []float64{3}), []float64{3, 0}},
		{"rank 5 of 40x30", 40, 30, withSpectrum(r, 40, 30, []float64{5, 4, 3, 2, 1}), []float64{5, 4, 3, 2, 1, 0}},
		{"rank 5 of 30x40", 30, 40, withSpectrum(r, 30, 40, []float64{5, 4, 3, 2, 1}), []float64{5, 4, 3, 2, 1, 0}},
		{"degenerate", 24, 24, withSpectrum(r, 24, 24, []float64{2, 2, 2, 2, 1, 1, 1, 0.5, 0.5}), []float64{2, 2, 2, 2, 1, 1, 1, 0.5, 0.5, 0}},
		{"identity", 32, 32, withSpectrum(r, 32, 32, geo(32, 1)), geo(32, 1)},
		{"graded 1e-1", 30, 30, withSpectrum(r, 30, 30, geo(30, 0.1)), nil},
		{"tiny 1e-300", 12, 9, scaleMatrix(randomMatrix(r, 12, 9, 1), 1e-300), nil},
		{"tiny 1e-310 (subnormal)", 5, 5, scaleMatrix(randomMatrix(r, 5, 5, 1), 1e-310), nil},
		{"huge 1e300", 9, 12, scaleMatrix(randomMatrix(r, 9, 12, 1), 1e300), nil},
		{"mixed scales", 10, 10, mixedScales(r, 10), nil},
		{"exactly unitary (hadamard-like)", 8, 8, hadamard(8), []float64{1, 1, 1, 1, 1, 1, 1, 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := checkSVD(t, tc.m, tc.n, tc.a, 1e-12)
			for i, w := range tc.want {
				if math.Abs(s[i]-w) > 1e-12*math.Max(1, w) {
					t.Fatalf("s[%d] = %.17g, want %v", i, s[i], w)
				}
			}
		})
	}
}

func scaleMatrix(a []complex128, f float64) []complex128 {
	for i := range a {
		a[i] = complex(real(a[i])*f, imag(a[i])*f)
	}
	return a
}

// mixedScales has rows of very different magnitudes.
func mixedScales(r *rand.Rand, n int) []complex128 {
	a := randomMatrix(r, n, n, 1)
	for i := 0; i < n; i++ {
		f := math.Pow(10, float64(-30*i))
		for j := 0; j < n; j++ {
			a[i*n+j] *= complex(f, 0)
		}
	}
	return a
}

func hadamard(n int) []complex128 {
	a := make([]complex128, n*n)
	f := 1 / math.Sqrt(float64(n))
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			sign := 1.0
			for x := i & j; x != 0; x &= x - 1 {
				sign = -sign
			}
			a[i*n+j] = complex(sign*f, 0)
		}
	}
	return a
}

// The singular values agree with an independent computation: the square
// roots of the eigenvalues of the Hermitian A^H A via gonum's real symmetric
// eigensolver on the real embedding [[X, -Y], [Y, X]] (each appears twice).
func TestSVDValuesAgainstEmbedding(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 55))
	m, n := 20, 14
	a := randomMatrix(r, m, n, 1)
	_, s, _ := SVD(m, n, a)
	ref := embeddingSingularValues(m, n, a)
	for i := range s {
		if math.Abs(s[i]-ref[2*i]) > 1e-12*s[0] || math.Abs(s[i]-ref[2*i+1]) > 1e-12*s[0] {
			t.Fatalf("s[%d] = %v, embedding gives %v, %v", i, s[i], ref[2*i], ref[2*i+1])
		}
	}
}

// TestSVDSizes checks the SVD at the sizes the MPS engine meets (2chi for
// chi up to 256) on random matrices and on matrices of known spectrum:
// graded over 15 decades, clustered (groups of equal values), and rank
// deficient. The singular values must match the spectrum.
func TestSVDSizes(t *testing.T) {
	for _, n := range []int{64, 128, 256, 512} {
		if testing.Short() && n > 128 {
			continue
		}
		r := rand.New(rand.NewPCG(uint64(n), 17))
		graded := make([]float64, n)
		clustered := make([]float64, n)
		for i := range graded {
			graded[i] = math.Pow(10, -15*float64(i)/float64(n-1))
			clustered[i] = float64(4 - 4*i/n) // four groups of n/4 equal values
			if i%(n/4) >= n/8 {
				clustered[i] += 1e-13 * float64(i%7) // and near-equal ones
			}
		}
		sort.Sort(sort.Reverse(sort.Float64Slice(clustered)))
		lowRank := make([]float64, n/3)
		for i := range lowRank {
			lowRank[i] = 1 + float64(len(lowRank)-i)
		}
		cases := []struct {
			name string
			a    []complex128
			want []float64
		}{
			{"random", randomMatrix(r, n, n, 1), nil},
			{"random wide", randomMatrix(r, n/2, n, 1), nil},
			{"graded", withSpectrum(r, n, n, graded), graded},
			{"clustered", withSpectrum(r, n, n, clustered), clustered},
			{"rank n/3", withSpectrum(r, n, n, lowRank), lowRank},
		}
		for _, tc := range cases {
			t.Run(fmt.Sprintf("n=%d/%s", n, tc.name), func(t *testing.T) {
				rows := n
				if tc.name == "random wide" {
					rows = n / 2
				}
				s := checkSVD(t, rows, n, tc.a, 1e-12)
				for i, w := range tc.want {
					if math.Abs(s[i]-w) > 1e-13*tc.want[0] {
						t.Fatalf("s[%d] = %.17g, want %.17g", i, s[i], w)
					}
				}
				for i := len(tc.want); tc.want != nil && i < len(s); i++ {
					if s[i] > 1e-13*tc.want[0] {
						t.Fatalf("s[%d] = %g, want 0", i, s[i])
					}
				}
			})
		}
	}
}

// TestSVDTruncated checks that forming only the first k singular vectors
// gives the same values and, up to a phase per triplet, the same vectors
// as the full SVD, and that the rank-k reconstruction error is the
// discarded weight (Eckart-Young).
func TestSVDTruncated(t *testing.T) {
	for _, n := range []int{40, 128} {
		r := rand.New(rand.NewPCG(uint64(n), 3))
		m := n + 7
		a := randomMatrix(r, m, n, 1)
		u, s, _ := SVD(m, n, a)
		k := n / 2
		uk, sk, vhk := svdTrunc(m, n, a, func(sv []float64) int {
			if len(sv) != n {
				t.Fatalf("decide got %d values", len(sv))
			}
			return k
		})
		if len(uk) != m*k || len(vhk) != k*n || len(sk) != n {
			t.Fatalf("shapes %d %d %d", len(uk), len(sk), len(vhk))
		}
		full := min(m, n)
		for i := range s {
			if math.Abs(s[i]-sk[i]) > 1e-13*s[0] {
				t.Fatalf("s[%d]: %v vs %v", i, sk[i], s[i])
			}
		}
		var discarded float64
		for _, v := range s[k:] {
			discarded += v * v
		}
		var errF float64
		for i := 0; i < m; i++ {
			for j := 0; j < n; j++ {
				var acc complex128
				for l := 0; l < k; l++ {
					acc += uk[i*k+l] * complex(sk[l], 0) * vhk[l*n+j]
				}
				d := acc - a[i*n+j]
				errF += real(d)*real(d) + imag(d)*imag(d)
			}
		}
		if math.Abs(errF-discarded) > 1e-10*discarded {
			t.Fatalf("rank-%d error^2 %v, discarded weight %v", k, errF, discarded)
		}
		for l := 0; l < k; l++ {
			// u_l^H uk_l has modulus 1 for a simple singular value.
			var p complex128
			for i := 0; i < m; i++ {
				p += cmplx.Conj(u[i*full+l]) * uk[i*k+l]
			}
			if math.Abs(cmplx.Abs(p)-1) > 1e-9 {
				t.Fatalf("column %d: |<u, u_k>| = %v", l, cmplx.Abs(p))
			}
		}
	}
}

// TestSVDAgainstGonum compares the SVD with an independent one, gonum's
// real SVD of the embedding E = [[X, -Y], [Y, X]] of A = X + iY: each
// singular value s of A is a double singular value of E, and the real
// vectors [Re u; Im u] and [Re v; Im v] of a triplet lie in the
// two-dimensional singular subspaces of E for s. Values must agree to
// 1e-13 s_0 and the vectors to 1e-14 n s_0/gap (checked where that is below
// 1e-7), on random and graded matrices at the engine's sizes.
func TestSVDAgainstGonum(t *testing.T) {
	sizes := []int{64, 128, 256}
	if testing.Short() {
		sizes = sizes[:2]
	}
	for _, n := range sizes {
		r := rand.New(rand.NewPCG(uint64(n), 99))
		graded := make([]float64, n)
		for i := range graded {
			graded[i] = math.Pow(10, -12*float64(i)/float64(n-1))
		}
		cases := []struct {
			name string
			m    int
			a    []complex128
		}{
			{"random", n, randomMatrix(r, n, n, 1)},
			{"random tall", n + n/4, randomMatrix(r, n+n/4, n, 1)},
			{"graded", n, withSpectrum(r, n, n, graded)},
		}
		if n > 128 {
			cases = cases[:1] // gonum's SVD of the embedding takes seconds
		}
		for _, tc := range cases {
			t.Run(fmt.Sprintf("n=%d/%s", n, tc.name), func(t *testing.T) {
				m, a := tc.m, tc.a
				u, s, vh := SVD(m, n, a)
				var ref mat.SVD
				if !ref.Factorize(embedding(m, n, a), mat.SVDThin) {
					t.Fatal("gonum SVD failed")
				}
				rs := ref.Values(nil)
				var eu, ev mat.Dense
				ref.UTo(&eu)
				ref.VTo(&ev)
				for i := range s {
					if math.Abs(s[i]-rs[2*i]) > 1e-13*s[0] || math.Abs(s[i]-rs[2*i+1]) > 1e-13*s[0] {
						t.Fatalf("s[%d] = %.17g, gonum %.17g, %.17g", i, s[i], rs[2*i], rs[2*i+1])
					}
				}
				k := len(s)
				checked := 0
				for i := 0; i < k; i++ {
					gap := math.Inf(1)
					if i > 0 {
						gap = s[i-1] - s[i]
					}
					if i < k-1 {
						gap = math.Min(gap, s[i]-s[i+1])
					}
					tol := 1e-14 * float64(n) * s[0] / gap
					if tol > 1e-7 {
						continue
					}
					checked++
					wu := make([]float64, 2*m)
					for p := 0; p < m; p++ {
						wu[p], wu[m+p] = real(u[p*k+i]), imag(u[p*k+i])
					}
					wv := make([]float64, 2*n)
					for p := 0; p < n; p++ {
						c := cmplx.Conj(vh[i*n+p])
						wv[p], wv[n+p] = real(c), imag(c)
					}
					if d := outsideSpan(wu, &eu, 2*i); d > tol {
						t.Fatalf("u_%d: distance %.3g from gonum's singular subspace (tolerance %.3g)", i, d, tol)
					}
					if d := outsideSpan(wv, &ev, 2*i); d > tol {
						t.Fatalf("v_%d: distance %.3g from gonum's singular subspace (tolerance %.3g)", i, d, tol)
					}
				}
				if checked < 16 {
					t.Fatalf("only %d of %d singular vectors well enough separated to check", checked, k)
				}
			})
		}
	}
}

// outsideSpan returns the norm of the part of w outside the span of columns
// c and c+1 of the orthonormal q.
func outsideSpan(w []float64, q *mat.Dense, c int) float64 {
	r := append([]float64(nil), w...)
	for _, col := range []int{c, c + 1} {
		var p float64
		for i := range r {
			p += q.At(i, col) * w[i]
		}
		for i := range r {
			r[i] -= p * q.At(i, col)
		}
	}
	var ss float64
	for _, x := range r {
		ss += x * x
	}
	return math.Sqrt(ss)
}

// TestSVDThreadIndependent checks that the SVD (and a truncated one) gives
// bitwise the same factors whatever GOMAXPROCS, on sizes that take the
// parallel paths (bidiagonalisation, divide and conquer, the two
// back-transformations, the matrix products).
func TestSVDThreadIndependent(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for i, sz := range [][2]int{{200, 200}, {300, 170}, {130, 260}, {97, 97}} {
		m, n := sz[0], sz[1]
		r := rand.New(rand.NewPCG(uint64(i), 9))
		a := randomMatrix(r, m, n, 1)
		var refU, refVh []complex128
		var refS []float64
		for _, procs := range []int{1, 2, 3, 4} {
			runtime.GOMAXPROCS(procs)
			u, s, vh := SVD(m, n, a)
			ut, st, vht := svdTrunc(m, n, a, func([]float64) int { return min(m, n) / 3 })
			u = append(u, ut...)
			s = append(s, st...)
			vh = append(vh, vht...)
			if refU == nil {
				refU, refS, refVh = u, s, vh
				continue
			}
			same := func(x, y []complex128) bool {
				for i := range x {
					if math.Float64bits(real(x[i])) != math.Float64bits(real(y[i])) || math.Float64bits(imag(x[i])) != math.Float64bits(imag(y[i])) {
						return false
					}
				}
				return len(x) == len(y)
			}
			for i := range s {
				if math.Float64bits(s[i]) != math.Float64bits(refS[i]) {
					t.Fatalf("%dx%d GOMAXPROCS %d: s[%d] = %v, with 1: %v", m, n, procs, i, s[i], refS[i])
				}
			}
			if !same(u, refU) || !same(vh, refVh) {
				t.Fatalf("%dx%d GOMAXPROCS %d: singular vectors differ from GOMAXPROCS 1", m, n, procs)
			}
		}
	}
}
