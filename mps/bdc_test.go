package mps

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/lapack/gonum"
)

// checkBidiagSVD checks bdsdc on the bidiagonal (d, e): reconstruction and
// orthogonality to tol (relative to the largest entry), and the singular
// values against gonum's QR iteration (Dbdsqr without vectors, an
// independent implementation).
func checkBidiagSVD(t *testing.T, d, e []float64, tol float64) {
	t.Helper()
	n := len(d)
	s, ut, vt, k := bdsdc(n, d, e, nil, getScratch())
	if k != n {
		t.Fatalf("k = %d", k)
	}
	ref := append([]float64(nil), d...)
	re := append([]float64(nil), e...)
	if !(gonum.Implementation{}).Dbdsqr(blas.Upper, n, 0, 0, 0, ref, re, nil, 1, nil, 1, nil, 1, make([]float64, 4*n)) {
		t.Fatal("Dbdsqr failed")
	}
	amax := 0.0
	for i := range d {
		amax = math.Max(amax, math.Abs(d[i]))
		if i < n-1 {
			amax = math.Max(amax, math.Abs(e[i]))
		}
	}
	if amax == 0 {
		amax = 1
	}
	for i := range s {
		if i > 0 && s[i] > s[i-1] || s[i] < 0 {
			t.Fatalf("s not sorted non-negative: %v", s)
		}
		if math.Abs(s[i]-ref[i]) > tol*amax {
			t.Fatalf("s[%d] = %.17g, Dbdsqr %.17g", i, s[i], ref[i])
		}
	}
	// B = U diag(s) VT with U^T = ut.
	var worst float64
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			var b float64
			if i == j {
				b = d[i]
			} else if j == i+1 {
				b = e[i]
			}
			var acc float64
			for l := 0; l < n; l++ {
				acc += ut[l*n+i] * s[l] * vt[l*n+j]
			}
			worst = math.Max(worst, math.Abs(acc-b))
		}
	}
	if worst > tol*amax {
		t.Fatalf("reconstruction error %.3g", worst)
	}
	for p := 0; p < n; p++ {
		for q := p; q < n; q++ {
			var uu, vv float64
			for i := 0; i < n; i++ {
				uu += ut[p*n+i] * ut[q*n+i]
				vv += vt[p*n+i] * vt[q*n+i]
			}
			want := 0.0
			if p == q {
				want = 1
			}
			if math.Abs(uu-want) > tol || math.Abs(vv-want) > tol {
				t.Fatalf("orthogonality (%d,%d): %v %v", p, q, uu, vv)
			}
		}
	}
}

func TestBidiagDivideAndConquer(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	type gen func(n int) (d, e []float64)
	randBD := func(n int) ([]float64, []float64) {
		d, e := make([]float64, n), make([]float64, n)
		for i := range d {
			d[i], e[i] = r.NormFloat64(), r.NormFloat64()
		}
		return d, e
	}
	cases := map[string]gen{
		"random": randBD,
		"graded 0.8": func(n int) ([]float64, []float64) {
			d, e := randBD(n)
			for i := range d {
				f := math.Pow(0.8, float64(i))
				d[i] *= f
				e[i] *= f
			}
			return d, e
		},
		"constant (clustered)": func(n int) ([]float64, []float64) {
			d, e := make([]float64, n), make([]float64, n)
			for i := range d {
				d[i], e[i] = 1, 1e-17
			}
			return d, e
		},
		"ones": func(n int) ([]float64, []float64) {
			d, e := make([]float64, n), make([]float64, n)
			for i := range d {
				d[i], e[i] = 1, 1
			}
			return d, e
		},
		"zeros on the diagonal": func(n int) ([]float64, []float64) {
			d, e := randBD(n)
			for i := 0; i < n; i += 3 {
				d[i] = 0
			}
			return d, e
		},
		"zeros off the diagonal": func(n int) ([]float64, []float64) {
			d, e := randBD(n)
			for i := 0; i < n; i += 5 {
				e[i] = 0
			}
			return d, e
		},
		"two values": func(n int) ([]float64, []float64) {
			d, e := make([]float64, n), make([]float64, n)
			for i := range d {
				d[i] = float64(1 + i%2)
			}
			return d, e
		},
		"tiny and huge": func(n int) ([]float64, []float64) {
			d, e := randBD(n)
			for i := range d {
				f := math.Pow(10, float64(r.IntN(40)-20))
				d[i] *= f
				e[i] *= f
			}
			return d, e
		},
	}
	names := make([]string, 0, len(cases))
	for k := range cases {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, n := range []int{1, 2, 5, 24, 25, 26, 49, 50, 64, 100, 128, 257} {
			t.Run(fmt.Sprintf("%s/n=%d", name, n), func(t *testing.T) {
				d, e := cases[name](n)
				checkBidiagSVD(t, d, e[:max(n-1, 0)], 1e-13)
			})
		}
	}
}
