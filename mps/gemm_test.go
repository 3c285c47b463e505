package mps

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// gemmKernelsUnderTest returns the register-tile kernels to test: the
// portable one and the assembly ones this CPU runs.
func gemmKernelsUnderTest() []gemmImpl {
	return append([]gemmImpl{gemmPortable}, gemmFast...)
}

// withGemmKernel runs f with dgemm using g.
func withGemmKernel(g gemmImpl, f func()) {
	oldK, oldNR := gemmKernel, gemmNR
	gemmUse(g)
	defer func() { gemmKernel, gemmNR = oldK, oldNR }()
	f()
}

func randFloats(r *rand.Rand, n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = r.NormFloat64()
	}
	return x
}

// TestGemmKernel checks every register-tile kernel against the plain sum
// on random strips of depth 0..40, with a tile inside a wider matrix.
func TestGemmKernel(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, g := range gemmKernelsUnderTest() {
		name, kern, nr := g.name, g.kernel, g.nr
		for k := 0; k <= 40; k++ {
			a := randFloats(r, k*gemmMR)
			b := randFloats(r, k*nr)
			ldc := nr + 3
			c := randFloats(r, gemmMR*ldc)
			want := append([]float64(nil), c...)
			for i := 0; i < gemmMR; i++ {
				for j := 0; j < nr; j++ {
					var s float64
					for p := 0; p < k; p++ {
						s += a[p*gemmMR+i] * b[p*nr+j]
					}
					want[i*ldc+j] += s
				}
			}
			kern(k, a, b, c, ldc)
			for i := range c {
				if math.Abs(c[i]-want[i]) > 1e-13*float64(k+1) {
					t.Fatalf("%s k=%d: entry %d = %v, want %v", name, k, i, c[i], want[i])
				}
			}
		}
	}
}

// naiveGemm is C = alpha A B + beta C by the definition.
func naiveGemm(m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s float64
			for p := 0; p < k; p++ {
				s += a[i*lda+p] * b[p*ldb+j]
			}
			if beta == 0 {
				c[i*ldc+j] = alpha * s
			} else {
				c[i*ldc+j] = alpha*s + beta*c[i*ldc+j]
			}
		}
	}
}

// TestDgemm checks dgemm with every kernel against naiveGemm: all shapes
// 1..17 (edge tiles of every size), shapes across the panel and block
// sizes, padded strides, several alpha and beta (beta = 0 ignores NaN in C).
func TestDgemm(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	type shape struct{ m, n, k int }
	var shapes []shape
	for m := 1; m <= 17; m++ {
		for n := 1; n <= 17; n += 1 + m%3 {
			shapes = append(shapes, shape{m, n, 1 + (m*n)%17})
		}
	}
	shapes = append(shapes, shape{1, 1, 0}, shape{5, 7, 0}, shape{97, 33, 300}, shape{13, 200, 257},
		shape{200, 9, 513}, shape{gemmMC + 1, 16*3 + 1, gemmKC + 1}, shape{64, 64, 64}, shape{50, 31, 7})
	for _, g := range gemmKernelsUnderTest() {
		name := g.name
		withGemmKernel(g, func() {
			for ti, sh := range shapes {
				m, n, k := sh.m, sh.n, sh.k
				lda, ldb, ldc := k+ti%3, n+ti%2, n+ti%4
				a := randFloats(r, max(m*lda, 1))
				b := randFloats(r, max(k*ldb, 1))
				alpha := []float64{1, -1, 0.5}[ti%3]
				beta := []float64{0, 1, -2}[ti%3]
				c := randFloats(r, m*ldc)
				if beta == 0 {
					for i := 0; i < m; i++ {
						c[i*ldc] = math.NaN()
					}
				}
				want := append([]float64(nil), c...)
				naiveGemm(m, n, k, alpha, a, lda, b, ldb, beta, want, ldc)
				dgemm(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
				for i := 0; i < m; i++ {
					for j := 0; j < ldc; j++ {
						got, w := c[i*ldc+j], want[i*ldc+j]
						if j >= n {
							if got != w && !(math.IsNaN(got) && math.IsNaN(w)) {
								t.Fatalf("%s %v: wrote outside C at (%d,%d)", name, sh, i, j)
							}
							continue
						}
						if !(math.Abs(got-w) <= 1e-13*float64(k+4)) {
							t.Fatalf("%s %v alpha %v beta %v: C[%d,%d] = %v, want %v", name, sh, alpha, beta, i, j, got, w)
						}
					}
				}
			}
		})
	}
}

// TestDgemmWorkers checks that dgemmPar gives bitwise the same result on
// any number of goroutines, for splits by rows and by columns.
func TestDgemmWorkers(t *testing.T) {
	for _, g := range gemmKernelsUnderTest() {
		withGemmKernel(g, func() { testDgemmWorkers(t, g.name) })
	}
}

func testDgemmWorkers(t *testing.T, name string) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, sh := range [][3]int{{70, 130, 90}, {150, 61, 80}, {64, 64, 64}, {101, 103, 300}} {
		m, n, k := sh[0], sh[1], sh[2]
		a := randFloats(r, m*k)
		b := randFloats(r, k*n)
		c0 := randFloats(r, m*n)
		var ref []float64
		for w := 1; w <= 5; w++ {
			c := append([]float64(nil), c0...)
			dgemmPar(w, m, n, k, -1, a, k, b, n, 1, c, n)
			if ref == nil {
				ref = c
				continue
			}
			for i := range c {
				if math.Float64bits(c[i]) != math.Float64bits(ref[i]) {
					t.Fatalf("%s %v workers %d: entry %d = %v, 1 worker %v", name, sh, w, i, c[i], ref[i])
				}
			}
		}
	}
}

func BenchmarkDgemm(b *testing.B) {
	for _, n := range []int{64, 256, 512} {
		r := rand.New(rand.NewPCG(1, 1))
		x, y, z := randFloats(r, n*n), randFloats(r, n*n), make([]float64, n*n)
		for _, g := range gemmKernelsUnderTest() {
			b.Run(fmt.Sprintf("n=%d/%s", n, g.name), func(b *testing.B) {
				withGemmKernel(g, func() {
					for b.Loop() {
						dgemm(n, n, n, 1, x, n, y, n, 0, z, n)
					}
				})
				b.ReportMetric(2*float64(n*n*n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFlop/s")
			})
		}
	}
}
