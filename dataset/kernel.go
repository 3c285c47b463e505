package dataset

import (
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"

	"born/internal/setting"
	"gonum.org/v1/gonum/dsp/fourier"
)

// Kernel is the MMD kernel of Liu & Wang, a mixture of Gaussians on
// bitstrings:
//
//	K(x,y) = sum_s exp(-D(x,y) / (2 s))
//
// over the bandwidths s in Sigmas (used as given, not squared), with D the
// Hamming distance (Metric Hamming) or (x-y)^2 for the states read as
// integers (Metric Integer).
//
// Apply multiplies a vector over all 2^Bits states by K without building
// the 2^n x 2^n matrix: the Hamming kernel is a tensor product of one 2x2
// matrix per bit, so K v costs O(n 2^n) per bandwidth; the integer kernel
// is a Toeplitz matrix, applied by FFT convolution in O(2^n log 2^n).
type Kernel struct {
	Sigmas []float64
	Metric Metric
	Bits   int

	lag []float64    // Integer: k(d) for d = 0..2^n-1
	ham []float64    // Hamming: k(d) for d = 0..Bits
	fft *fourier.FFT // Integer, large n: FFT of length 2^(n+1)
	kf  []complex128 // the Fourier coefficients of the circulant kernel
}

// directToeplitzMax is the largest state count for which the integer kernel
// is applied directly (O(N^2)) rather than by FFT.
const directToeplitzMax = 256

// NewKernel returns the kernel with the given bandwidths on bits-bit states.
// Every bandwidth must be finite and positive.
func NewKernel(bits int, metric Metric, sigmas []float64) (*Kernel, error) {
	if len(sigmas) == 0 {
		return nil, setting.Errorf("the MMD kernel needs at least one bandwidth (as in {sigmas} 0.5,1,2,4)")
	}
	for _, s := range sigmas {
		if !(s > 0) || math.IsInf(s, 0) {
			return nil, fmt.Errorf("kernel bandwidth %g: every bandwidth must be a finite number > 0", s)
		}
	}
	if bits < 1 || bits > MaxBits {
		return nil, fmt.Errorf("kernel on %d bits: need 1 to %d", bits, MaxBits)
	}
	k := &Kernel{Sigmas: append([]float64(nil), sigmas...), Metric: metric, Bits: bits}
	if metric == Hamming {
		k.ham = make([]float64, bits+1)
		for d := range k.ham {
			k.ham[d] = k.value(float64(d))
		}
	}
	if metric == Integer && bits <= MaxExactBits {
		N := 1 << uint(bits)
		k.lag = make([]float64, N)
		for d := range N {
			k.lag[d] = k.value(float64(d) * float64(d))
		}
		if N > directToeplitzMax {
			M := 2 * N
			c := make([]float64, M)
			copy(c, k.lag)
			for d := 1; d < N; d++ {
				c[M-d] = k.lag[d]
			}
			k.fft = fourier.NewFFT(M)
			k.kf = k.fft.Coefficients(nil, c)
		}
	}
	return k, nil
}

// ParseSigmas reads a comma-separated list of kernel bandwidths.
func ParseSigmas(s string) ([]float64, error) {
	if strings.TrimSpace(s) == "" {
		return nil, setting.Errorf("{sigmas} is empty: give positive bandwidths, as in {sigmas} 0.5,1,2,4")
	}
	var out []float64
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || !(v > 0) || math.IsInf(v, 0) {
			return nil, setting.Errorf("{sigmas} %q: %q is not a finite positive number; give positive bandwidths, as in {sigmas} 0.5,1,2,4", s, strings.TrimSpace(f))
		}
		out = append(out, v)
	}
	return out, nil
}

func (k *Kernel) value(d2 float64) float64 {
	var v float64
	for _, s := range k.Sigmas {
		v += math.Exp(-d2 / (2 * s))
	}
	return v
}

// Eval returns K(x, y).
func (k *Kernel) Eval(x, y uint64) float64 {
	if k.Metric == Integer {
		d := float64(x) - float64(y)
		return k.value(d * d)
	}
	if k.ham != nil {
		return k.ham[bits.OnesCount64(x^y)]
	}
	return k.value(float64(bits.OnesCount64(x ^ y)))
}

// Apply sets dst = K v for vectors of 2^Bits entries and returns dst (a new
// slice if dst is nil). dst and v must not overlap.
func (k *Kernel) Apply(dst, v []float64) []float64 {
	N := 1 << uint(k.Bits)
	if len(v) != N {
		panic(fmt.Sprintf("bornmachine: Kernel.Apply on %d entries, want 2^%d", len(v), k.Bits))
	}
	if dst == nil {
		dst = make([]float64, N)
	}
	dst = dst[:N]
	if k.Metric == Integer {
		k.applyToeplitz(dst, v)
		return dst
	}
	clear(dst)
	t := make([]float64, N)
	for _, s := range k.Sigmas {
		// exp(-Hamming/(2s)) = prod over bits of [[1, a], [a, 1]], a = e^{-1/(2s)}.
		a := math.Exp(-1 / (2 * s))
		copy(t, v)
		for b := 0; b < k.Bits; b++ {
			stride := 1 << uint(b)
			for hi := 0; hi < N; hi += 2 * stride {
				lo := t[hi : hi+stride]
				up := t[hi+stride : hi+2*stride]
				for j := range lo {
					x, y := lo[j], up[j]
					lo[j] = x + a*y
					up[j] = a*x + y
				}
			}
		}
		for i, x := range t {
			dst[i] += x
		}
	}
	return dst
}

func (k *Kernel) applyToeplitz(dst, v []float64) {
	N := len(v)
	if k.fft == nil {
		for x := range N {
			var acc float64
			for y, vy := range v {
				d := x - y
				if d < 0 {
					d = -d
				}
				acc += k.lag[d] * vy
			}
			dst[x] = acc
		}
		return
	}
	M := 2 * N
	seq := make([]float64, M)
	copy(seq, v)
	c := k.fft.Coefficients(nil, seq)
	for i := range c {
		c[i] *= k.kf[i]
	}
	out := k.fft.Sequence(seq, c)
	inv := 1 / float64(M)
	for x := range N {
		dst[x] = out[x] * inv
	}
}

// Dot returns u^T K v.
func (k *Kernel) Dot(u, v []float64) float64 {
	kv := k.Apply(nil, v)
	var s float64
	for i, x := range u {
		s += x * kv[i]
	}
	return s
}

// MMD returns the squared maximum mean discrepancy (p-q)^T K (p-q) between
// two distributions given as 2^Bits probabilities.
func (k *Kernel) MMD(p, q []float64) float64 {
	v, _ := k.mmd(p, q)
	return v
}

// mmd returns (p-q)^T K (p-q) and K (p-q).
func (k *Kernel) mmd(p, q []float64) (float64, []float64) {
	d := make([]float64, len(p))
	for i := range p {
		d[i] = p[i] - q[i]
	}
	kd := k.Apply(nil, d)
	var v float64
	for i := range d {
		v += d[i] * kd[i]
	}
	return v, kd
}
