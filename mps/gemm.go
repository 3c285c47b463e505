package mps

import "sync"

// A real matrix product for the SVD's back-transformations and merges (and
// the complex products built on it): the packed, cache-blocked scheme of
// Goto and van de Geijn, whose inner loop is a gemmMR×gemmNR register-tile
// kernel (Go assembly with AVX2 and FMA on amd64 CPUs that have them, plain
// Go elsewhere).
//
// Every entry of C is computed by the same operations in the same order
// whatever the split of the work among goroutines: the k dimension is
// always cut at multiples of gemmKC, and the row and column splits fall on
// tile boundaries, so results are bitwise independent of the worker count.

const (
	gemmMR    = 6   // rows of a register tile
	gemmNRMax = 16  // the most columns of a register tile
	gemmKC    = 256 // depth of a packed panel
	gemmMC    = 96  // rows of a packed block of A (a multiple of gemmMR)
)

// gemmImpl is a register-tile kernel and its number of columns.
type gemmImpl struct {
	name   string
	kernel func(k int, a, b, c []float64, ldc int)
	nr     int
}

// gemmPortable is the portable kernel with 8 columns.
var gemmPortable = gemmImpl{"go", gemmKernelGo, 8}

// gemmFast lists the assembly kernels this CPU runs, the fastest first.
var gemmFast []gemmImpl

// gemmKernel and gemmNR are the kernel in use (see gemmUse).
var (
	gemmKernel = gemmKernelGo
	gemmNR     = 8
)

// gemmUse makes g the kernel of dgemm.
func gemmUse(g gemmImpl) { gemmKernel, gemmNR = g.kernel, g.nr }

// A kernel adds the gemmMR×NR product of the packed strips a (k×MR,
// a[p*MR+i]) and b (k×NR, b[p*NR+j]) to the tile c (row stride ldc):
// c[i*ldc+j] += sum_p a[p*MR+i] b[p*NR+j], the sum formed from zero in
// order of p and then added to c.

// gemmKernelGo is the portable kernel, NR = 8.
func gemmKernelGo(k int, a, b, c []float64, ldc int) {
	const nr = 8
	var acc [gemmMR * nr]float64
	a, b = a[:k*gemmMR], b[:k*nr]
	for p := 0; p < k; p++ {
		ap := a[p*gemmMR : p*gemmMR+gemmMR]
		bp := b[p*nr : p*nr+nr]
		for i, x := range ap {
			row := acc[i*nr : i*nr+nr]
			for j, y := range bp {
				row[j] += x * y
			}
		}
	}
	for i := 0; i < gemmMR; i++ {
		row := c[i*ldc : i*ldc+nr]
		for j := range row {
			row[j] += acc[i*nr+j]
		}
	}
}

// gemmMinParallel is the smallest m*n*k for which dgemmPar uses more than one
// goroutine.
const gemmMinParallel = 64 * 64 * 64

// dgemm sets C = alpha A B + beta C for the row-major m×k A (row stride
// lda), k×n B (ldb) and m×n C (ldc). With beta = 0, C is not read.
func dgemm(m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	dgemmPar(1, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// dgemmPar is dgemm on up to workers goroutines, with bitwise the same result.
func dgemmPar(workers, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	if m <= 0 || n <= 0 {
		return
	}
	if m > 0 && (len(c) < (m-1)*ldc+n || ldc < n) {
		panic("mps: dgemm: C too short")
	}
	if k > 0 && (len(a) < (m-1)*lda+k || lda < k || len(b) < (k-1)*ldb+n || ldb < n) {
		panic("mps: dgemm: A or B too short")
	}
	if beta != 1 {
		for i := 0; i < m; i++ {
			row := c[i*ldc : i*ldc+n]
			if beta == 0 {
				clear(row)
				continue
			}
			for j := range row {
				row[j] *= beta
			}
		}
	}
	if k == 0 || alpha == 0 {
		return
	}
	if workers > 1 && m*n*k >= gemmMinParallel {
		// Split the larger of m and n at tile boundaries.
		if n >= m && n >= 2*gemmNR {
			parts := min(workers, n/gemmNR)
			step := (n/parts + gemmNR - 1) / gemmNR * gemmNR
			var wg sync.WaitGroup
			for j0 := step; j0 < n; j0 += step {
				j1 := min(n, j0+step)
				wg.Add(1)
				go func() {
					defer wg.Done()
					gemmBlocks(m, j1-j0, k, alpha, a, lda, b[j0:], ldb, c[j0:], ldc)
				}()
			}
			gemmBlocks(m, min(n, step), k, alpha, a, lda, b, ldb, c, ldc)
			wg.Wait()
			return
		}
		if m >= 2*gemmMR {
			parts := min(workers, m/gemmMR)
			step := (m/parts + gemmMR - 1) / gemmMR * gemmMR
			var wg sync.WaitGroup
			for i0 := step; i0 < m; i0 += step {
				i1 := min(m, i0+step)
				wg.Add(1)
				go func() {
					defer wg.Done()
					gemmBlocks(i1-i0, n, k, alpha, a[i0*lda:], lda, b, ldb, c[i0*ldc:], ldc)
				}()
			}
			gemmBlocks(min(m, step), n, k, alpha, a, lda, b, ldb, c, ldc)
			wg.Wait()
			return
		}
	}
	gemmBlocks(m, n, k, alpha, a, lda, b, ldb, c, ldc)
}

// gemmBuf holds the packed panels of one goroutine's product.
type gemmBuf struct{ a, b []float64 }

var gemmBufPool = sync.Pool{New: func() any { return new(gemmBuf) }}

// gemmBlocks adds alpha A B to C (m, n, k > 0).
func gemmBlocks(m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
	buf := gemmBufPool.Get().(*gemmBuf)
	defer gemmBufPool.Put(buf)
	nstrips := (n + gemmNR - 1) / gemmNR
	kc0 := min(k, gemmKC)
	if need := nstrips * kc0 * gemmNR; len(buf.b) < need {
		buf.b = make([]float64, need)
	}
	mc0 := min(gemmMC, (m+gemmMR-1)/gemmMR*gemmMR)
	if need := mc0 * kc0; len(buf.a) < need {
		buf.a = make([]float64, need)
	}
	var tile [gemmMR * gemmNRMax]float64
	gemmNR, gemmKernel := gemmNR, gemmKernel
	for pc := 0; pc < k; pc += gemmKC {
		kc := min(gemmKC, k-pc)
		bp := buf.b[:nstrips*kc*gemmNR]
		for s := 0; s < nstrips; s++ {
			j0 := s * gemmNR
			w := min(gemmNR, n-j0)
			dst := bp[s*kc*gemmNR : (s+1)*kc*gemmNR]
			for p := 0; p < kc; p++ {
				d := dst[p*gemmNR : p*gemmNR+gemmNR]
				copy(d, b[(pc+p)*ldb+j0:(pc+p)*ldb+j0+w])
				clear(d[w:])
			}
		}
		for ic := 0; ic < m; ic += gemmMC {
			mc := min(gemmMC, m-ic)
			mstrips := (mc + gemmMR - 1) / gemmMR
			ap := buf.a[:mstrips*kc*gemmMR]
			for s := 0; s < mstrips; s++ {
				i0 := s * gemmMR
				h := min(gemmMR, mc-i0)
				dst := ap[s*kc*gemmMR : (s+1)*kc*gemmMR]
				for ii := 0; ii < h; ii++ {
					row := a[(ic+i0+ii)*lda+pc : (ic+i0+ii)*lda+pc+kc]
					if alpha == 1 {
						for p, v := range row {
							dst[p*gemmMR+ii] = v
						}
					} else {
						for p, v := range row {
							dst[p*gemmMR+ii] = alpha * v
						}
					}
				}
				for ii := h; ii < gemmMR; ii++ {
					for p := 0; p < kc; p++ {
						dst[p*gemmMR+ii] = 0
					}
				}
			}
			for js := 0; js < nstrips; js++ {
				j0 := js * gemmNR
				w := min(gemmNR, n-j0)
				bs := bp[js*kc*gemmNR : (js+1)*kc*gemmNR]
				for is := 0; is < mstrips; is++ {
					i0 := is * gemmMR
					h := min(gemmMR, mc-i0)
					as := ap[is*kc*gemmMR : (is+1)*kc*gemmMR]
					if h == gemmMR && w == gemmNR {
						gemmKernel(kc, as, bs, c[(ic+i0)*ldc+j0:], ldc)
						continue
					}
					clear(tile[:])
					gemmKernel(kc, as, bs, tile[:], gemmNR)
					for i := 0; i < h; i++ {
						row := c[(ic+i0+i)*ldc+j0 : (ic+i0+i)*ldc+j0+w]
						for j := range row {
							row[j] += tile[i*gemmNR+j]
						}
					}
				}
			}
		}
	}
}
