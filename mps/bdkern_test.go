package mps

import (
	"math"
	"math/rand/v2"
	"testing"
)

// bdKernelSetsUnderTest returns the portable kernels and the assembly ones
// this CPU runs, if any.
func bdKernelSetsUnderTest() map[string]bdKernelSet {
	sets := map[string]bdKernelSet{"go": {bdFusedGo, bdDotGo, bdAxpyGo, bdGemv2Go}}
	if bdKernelsFast != nil {
		sets["asm"] = *bdKernelsFast
	}
	return sets
}

func splitVec(x []complex128) (re, im []float64) {
	re, im = make([]float64, len(x)), make([]float64, len(x))
	for i, v := range x {
		re[i], im[i] = real(v), imag(v)
	}
	return re, im
}

func randVec(r *rand.Rand, n int) []complex128 {
	x := make([]complex128, n)
	for i := range x {
		x[i] = complex(r.NormFloat64(), r.NormFloat64())
	}
	return x
}

// TestBidiagKernels checks every set of the bidiagonalisation's level-2
// kernels against complex128 arithmetic on lengths 0..40 (every remainder
// of the unrolled loops) and a few long ones.
func TestBidiagKernels(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	lens := []int{}
	for n := 0; n <= 40; n++ {
		lens = append(lens, n)
	}
	lens = append(lens, 63, 64, 100, 517)
	near := func(got, want complex128, n int) bool {
		return math.Abs(real(got-want)) <= 1e-13*float64(n+1) && math.Abs(imag(got-want)) <= 1e-13*float64(n+1)
	}
	for name, ks := range bdKernelSetsUnderTest() {
		for _, n := range lens {
			x, tv, v, c2 := randVec(r, n), randVec(r, n), randVec(r, n), randVec(r, n)
			s := complex(r.NormFloat64(), r.NormFloat64())
			s2 := complex(r.NormFloat64(), r.NormFloat64())

			// fused: x -= t s; w = v^H x
			xr, xi := splitVec(x)
			tr, ti := splitVec(tv)
			vr, vi := splitVec(v)
			wr, wi := ks.fused(xr, xi, tr, ti, vr, vi, real(s), imag(s))
			var w complex128
			for i := range x {
				y := x[i] - tv[i]*s
				if !near(complex(xr[i], xi[i]), y, 2) {
					t.Fatalf("%s fused n=%d: x[%d] = %v, want %v", name, n, i, complex(xr[i], xi[i]), y)
				}
				w += complex(real(v[i]), -imag(v[i])) * y
			}
			if !near(complex(wr, wi), w, n) {
				t.Fatalf("%s fused n=%d: w = %v, want %v", name, n, complex(wr, wi), w)
			}

			// dot
			xr, xi = splitVec(x)
			wr, wi = ks.dot(xr, xi, vr, vi)
			w = 0
			for i := range x {
				w += complex(real(v[i]), -imag(v[i])) * x[i]
			}
			if !near(complex(wr, wi), w, n) {
				t.Fatalf("%s dot n=%d: w = %v, want %v", name, n, complex(wr, wi), w)
			}

			// axpy: x -= s v
			ks.axpy(xr, xi, vr, vi, real(s), imag(s))
			for i := range x {
				if y := x[i] - s*v[i]; !near(complex(xr[i], xi[i]), y, 2) {
					t.Fatalf("%s axpy n=%d: x[%d] = %v, want %v", name, n, i, complex(xr[i], xi[i]), y)
				}
			}

			// axpy and gemv2 on a slice that starts later give the same
			// entries, bitwise (rows are split among goroutines).
			if n > 0 {
				off := 1 + n%7
				if off > n {
					off = n
				}
				ar, ai := splitVec(x)
				br, bi := splitVec(x)
				ks.axpy(ar, ai, vr, vi, real(s), imag(s))
				ks.axpy(br[off:], bi[off:], vr[off:], vi[off:], real(s), imag(s))
				ks.gemv2(ar, ai, vr, vi, tr, ti, real(s), imag(s), real(s2), imag(s2))
				ks.gemv2(br[off:], bi[off:], vr[off:], vi[off:], tr[off:], ti[off:], real(s), imag(s), real(s2), imag(s2))
				for i := off; i < n; i++ {
					if ar[i] != br[i] || ai[i] != bi[i] {
						t.Fatalf("%s n=%d: entry %d depends on the slice's start %d", name, n, i, off)
					}
				}
			}

			// gemv2: z += s c + s2 c2 (z = x, c = v)
			xr, xi = splitVec(x)
			c2r, c2i := splitVec(c2)
			ks.gemv2(xr, xi, vr, vi, c2r, c2i, real(s), imag(s), real(s2), imag(s2))
			for i := range x {
				if y := x[i] + s*v[i] + s2*c2[i]; !near(complex(xr[i], xi[i]), y, 3) {
					t.Fatalf("%s gemv2 n=%d: z[%d] = %v, want %v", name, n, i, complex(xr[i], xi[i]), y)
				}
			}
		}
	}
}
