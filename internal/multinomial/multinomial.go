// Package multinomial draws histograms of many samples without drawing the
// samples one by one: a binomial variate for any count up to 2^53, and a
// multinomial draw over a probability vector (the counts of N independent
// samples from it), both exactly distributed up to the floating-point
// evaluation of the probabilities.
//
// A multinomial draw is made of conditional binomial draws: the count of
// outcome i is Binomial(N - counts so far, p_i / mass of outcomes i, i+1,
// ...), where each remaining mass is a sum of non-negative numbers taken
// from the end, so it is accurate relative to itself even in the far tail.
// The vector is cut into fixed blocks whose counts are drawn first, each
// block then drawing its own counts from a stream of its own; the result
// depends on the random source only, never on how blocks are scheduled.
package multinomial

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// MaxCount is the largest number of samples a draw takes: above 2^53 a
// count is no longer an exact float64, which the binomial sampler needs.
const MaxCount = 1 << 53

// Binomial returns a Binomial(n, p) variate: the number of successes in n
// independent trials of probability p. It takes O(1) expected time for
// any n (inversion for a mean below 10, Hörmann's transformed rejection
// with squeeze, BTRS, above it, with an acceptance test on a log-pmf
// computed to near machine precision). n must be in [0, MaxCount]; p is
// clamped to [0, 1].
func Binomial(rng *rand.Rand, n int64, p float64) int64 {
	if n < 0 || n > MaxCount {
		panic(fmt.Sprintf("multinomial: Binomial count %d out of range [0, 2^53]", n))
	}
	switch {
	case n == 0 || !(p > 0): // also NaN
		return 0
	case p >= 1:
		return n
	case p > 0.5:
		return n - Binomial(rng, n, 1-p)
	}
	if float64(n)*p < 10 {
		return binv(rng, n, p)
	}
	return btrs(rng, n, p)
}

// binv draws by inversion, walking the pmf up from 0 (expected np+1 steps).
func binv(rng *rand.Rand, n int64, p float64) int64 {
	q := 1 - p
	s := p / q
	a := float64(n+1) * s
	r0 := math.Exp(float64(n) * math.Log1p(-p))
	for {
		u := rng.Float64()
		r := r0
		var x int64
		for u > r {
			u -= r
			x++
			if x > n {
				break
			}
			r *= a/float64(x) - s
		}
		if x <= n {
			return x
		}
		// The pmf summed to a little less than 1 by rounding and u fell in
		// the gap: draw again.
	}
}

// btrs is Hörmann's BTRS for n*p >= 10 and p <= 1/2 (W. Hörmann, "The
// generation of binomial random variates", J. Statist. Comput. Simul. 46,
// 1993): a transformed-rejection hat with a squeeze, and an exact
// acceptance test log(v) <= log f(k) - log f(m) against the mode m.
func btrs(rng *rand.Rand, n int64, p float64) int64 {
	nf := float64(n)
	q := 1 - p
	spq := math.Sqrt(nf * p * q)
	b := 1.15 + 2.53*spq
	a := -0.0873 + 0.0248*b + 0.01*p
	c := nf*p + 0.5
	vr := 0.92 - 4.2/b
	alpha := (2.83 + 5.1/b) * spq
	m := math.Floor((nf + 1) * p)
	lfm := logPMF(nf, m, p, q)
	for {
		u := rng.Float64() - 0.5
		v := rng.Float64()
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*a/us+b)*u + c)
		if k < 0 || k > nf {
			continue
		}
		if us >= 0.07 && v <= vr {
			return int64(k)
		}
		if v == 0 {
			continue
		}
		lv := math.Log(v * alpha / (a/(us*us) + b))
		if lv <= logPMF(nf, k, p, q)-lfm {
			return int64(k)
		}
	}
}

// logPMF returns log P(K = k) for K ~ Binomial(n, p), q = 1-p, by Loader's
// saddle-point expansion (C. Loader, "Fast and accurate computation of
// binomial probabilities", 2000): accurate to a few ulps relative to the
// pmf even for n near 2^53, where differences of log-gamma values lose
// all precision.
func logPMF(n, k, p, q float64) float64 {
	switch {
	case k == 0:
		return n * math.Log1p(-p)
	case k == n:
		return n * math.Log(p)
	}
	lc := stirlerr(n) - stirlerr(k) - stirlerr(n-k) - bd0(k, n*p) - bd0(n-k, n*q)
	return lc + 0.5*math.Log(n/(2*math.Pi*k*(n-k)))
}

// stirlerr returns log(n!) - log(sqrt(2 pi n) (n/e)^n), for integer n >= 1.
func stirlerr(n float64) float64 {
	const (
		s0 = 1.0 / 12
		s1 = 1.0 / 360
		s2 = 1.0 / 1260
		s3 = 1.0 / 1680
		s4 = 1.0 / 1188
	)
	if n < 16 {
		lg, _ := math.Lgamma(n + 1)
		return lg - (n+0.5)*math.Log(n) + n - 0.5*math.Log(2*math.Pi)
	}
	nn := n * n
	switch {
	case n > 500:
		return (s0 - s1/nn) / n
	case n > 80:
		return (s0 - (s1-s2/nn)/nn) / n
	case n > 35:
		return (s0 - (s1-(s2-s3/nn)/nn)/nn) / n
	}
	return (s0 - (s1-(s2-(s3-s4/nn)/nn)/nn)/nn) / n
}

// bd0 returns x log(x/np) + np - x, the deviance term, without the
// cancellation of its three large terms when x is close to np.
func bd0(x, np float64) float64 {
	if math.Abs(x-np) < 0.1*(x+np) {
		v := (x - np) / (x + np)
		s := (x - np) * v
		ej := 2 * x * v
		v2 := v * v
		for j := 1; j < 1000; j++ {
			ej *= v2
			s1 := s + ej/float64(2*j+1)
			if s1 == s {
				return s1
			}
			s = s1
		}
		return s
	}
	return x*math.Log(x/np) + np - x
}

// blockSize is the number of outcomes of one block of a Draw.
const blockSize = 1 << 12

// Draw draws the counts of n independent samples from the distribution
// proportional to w (non-negative weights, not necessarily normalised) and
// calls visit(i, count) for every outcome i with a non-zero count, in
// increasing order of i. The counts sum to n. It returns an error for a
// negative, NaN or infinite weight, a zero total weight with n > 0, or n
// out of [0, MaxCount]. The draw uses rng only.
func Draw(rng *rand.Rand, n int64, w []float64, visit func(i int, count int64)) error {
	if n < 0 || n > MaxCount {
		return fmt.Errorf("multinomial: %d samples; at most 2^53 = %d", n, int64(MaxCount))
	}
	nb := (len(w) + blockSize - 1) / blockSize
	sums := make([]float64, nb)
	for b := range nb {
		var s float64
		for _, x := range w[b*blockSize : min(len(w), (b+1)*blockSize)] {
			if !(x >= 0) || math.IsInf(x, 1) {
				return fmt.Errorf("multinomial: weight %v is not a finite non-negative number", x)
			}
			s += x
		}
		sums[b] = s
	}
	if n == 0 {
		return nil
	}
	counts := make([]int64, nb)
	var suffix []float64
	if !drawSuffix(rng, n, sums, counts, &suffix) {
		return fmt.Errorf("multinomial: the weights sum to zero")
	}
	seeds := make([][2]uint64, nb)
	for b := range seeds {
		seeds[b] = [2]uint64{rng.Uint64(), rng.Uint64()}
	}
	var inner []int64
	pcg := rand.NewPCG(0, 0)
	brng := rand.New(pcg)
	for b := range nb {
		if counts[b] == 0 {
			continue
		}
		blk := w[b*blockSize : min(len(w), (b+1)*blockSize)]
		if cap(inner) < len(blk) {
			inner = make([]int64, len(blk))
		}
		inner = inner[:len(blk)]
		clear(inner)
		pcg.Seed(seeds[b][0], seeds[b][1])
		drawSuffix(brng, counts[b], blk, inner, &suffix)
		for j, c := range inner {
			if c > 0 {
				visit(b*blockSize+j, c)
			}
		}
	}
	return nil
}

// drawSuffix draws counts[i] for n samples over the weights w by
// conditional binomials, each against the mass of w[i:], summed from the
// end (in *scratch, grown as needed). It reports false when every weight
// is 0.
func drawSuffix(rng *rand.Rand, n int64, w []float64, counts []int64, scratch *[]float64) bool {
	if cap(*scratch) < len(w)+1 {
		*scratch = make([]float64, len(w)+1)
	}
	suffix := (*scratch)[:len(w)+1]
	suffix[len(w)] = 0
	for i := len(w) - 1; i >= 0; i-- {
		suffix[i] = suffix[i+1] + w[i]
	}
	if !(suffix[0] > 0) {
		return false
	}
	last := len(w) - 1
	for last > 0 && w[last] == 0 {
		last--
	}
	left := n
	for i := 0; i < last && left > 0; i++ {
		if w[i] == 0 {
			continue
		}
		c := Binomial(rng, left, w[i]/suffix[i])
		counts[i] = c
		left -= c
	}
	counts[last] += left
	return true
}
