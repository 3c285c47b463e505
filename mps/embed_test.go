package mps

import (
	"gonum.org/v1/gonum/mat"
)

// embedding returns the 2m×2n real matrix [[X, -Y], [Y, X]] of a = X + iY.
func embedding(m, n int, a []complex128) *mat.Dense {
	e := mat.NewDense(2*m, 2*n, nil)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			x, y := real(a[i*n+j]), imag(a[i*n+j])
			e.Set(i, j, x)
			e.Set(i, n+j, -y)
			e.Set(m+i, j, y)
			e.Set(m+i, n+j, x)
		}
	}
	return e
}

// embeddingSingularValues returns the 2 min(m,n) singular values of the
// real embedding by gonum's SVD (each complex singular value twice).
func embeddingSingularValues(m, n int, a []complex128) []float64 {
	var svd mat.SVD
	if !svd.Factorize(embedding(m, n, a), mat.SVDNone) {
		panic("gonum SVD failed")
	}
	return svd.Values(nil)
}

// embeddingSVD is the baseline of the benchmarks: gonum's full thin SVD of
// the real embedding (what one would do without a complex SVD).
func embeddingSVD(m, n int, a []complex128) {
	var svd mat.SVD
	if !svd.Factorize(embedding(m, n, a), mat.SVDThin) {
		panic("gonum SVD failed")
	}
}
