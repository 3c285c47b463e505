package multinomial

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"gonum.org/v1/gonum/stat/distuv"
)

// pmfLgamma is the binomial pmf from log-gamma values: an independent
// formula, accurate for the moderate n the tests use it for.
func pmfLgamma(n, k int64, p float64) float64 {
	a, _ := math.Lgamma(float64(n + 1))
	b, _ := math.Lgamma(float64(k + 1))
	c, _ := math.Lgamma(float64(n - k + 1))
	return math.Exp(a - b - c + float64(k)*math.Log(p) + float64(n-k)*math.Log1p(-p))
}

// chiSquare returns Pearson's statistic of observed counts against expected
// ones, merging bins from the left until each expects at least 5, and the
// degrees of freedom.
func chiSquare(obs, exp []float64) (stat float64, df int) {
	var o, e float64
	bins := 0
	for i := range obs {
		o += obs[i]
		e += exp[i]
		if e >= 5 {
			stat += (o - e) * (o - e) / e
			bins++
			o, e = 0, 0
		}
	}
	if e > 0 { // the leftover tail joins the last bin's test
		stat += (o - e) * (o - e) / math.Max(e, 1e-300)
		bins++
	}
	return stat, bins - 1
}

// critical returns the chi-square value exceeded with probability 1e-4.
func critical(df int) float64 {
	return distuv.ChiSquared{K: float64(df)}.Quantile(1 - 1e-4)
}

// Binomial variates follow the exact pmf: a chi-square test over every
// value for moderate n (both the inversion and the BTRS branch, and p above
// 1/2), and the probability mass of quantile bins for n near 10^12 and
// 2^53, whose CDF comes from gonum's regularized incomplete beta.
func TestBinomialMatchesPMF(t *testing.T) {
	const draws = 200000
	for i, tc := range []struct {
		n int64
		p float64
	}{
		{1, 0.3}, {7, 0.5}, {30, 0.1}, {19, 0.52}, {200, 0.04}, // inversion (np < 10)
		{40, 0.3}, {100, 0.5}, {1000, 0.013}, {5000, 0.7}, {1 << 20, 0.25}, // BTRS
	} {
		rng := rand.New(rand.NewPCG(uint64(i), 99))
		obs := make([]float64, tc.n+1)
		for range draws {
			obs[Binomial(rng, tc.n, tc.p)]++
		}
		exp := make([]float64, tc.n+1)
		for k := range exp {
			exp[k] = draws * pmfLgamma(tc.n, int64(k), tc.p)
		}
		stat, df := chiSquare(obs, exp)
		if stat > critical(df) {
			t.Errorf("Binomial(%d, %g): chi-square %.1f on %d degrees of freedom (critical %.1f)", tc.n, tc.p, stat, df, critical(df))
		}
	}
	// For n near 10^12 and 2^53 the binomial is normal to within about
	// 1/sqrt(npq) (Berry-Esseen), far below what 20000 draws resolve: bins
	// at the normal quantiles each hold 1/20 of the mass.
	for i, tc := range []struct {
		n int64
		p float64
	}{{1e12, 0.5}, {1e12, 3e-7}, {MaxCount, 0.37}, {MaxCount, 0.99}} {
		rng := rand.New(rand.NewPCG(uint64(i), 7))
		nf := float64(tc.n)
		mean, sd := nf*tc.p, math.Sqrt(nf*tc.p*(1-tc.p))
		const bins, draws = 20, 20000
		obs := make([]float64, bins)
		for range draws {
			z := (float64(Binomial(rng, tc.n, tc.p)) + 0.5 - mean) / sd
			j := int(distuv.UnitNormal.CDF(z) * bins)
			obs[min(j, bins-1)]++
		}
		exp := make([]float64, bins)
		for j := range exp {
			exp[j] = draws / bins
		}
		stat, df := chiSquare(obs, exp)
		if stat > critical(df) {
			t.Errorf("Binomial(%d, %g): chi-square %.1f on %d degrees of freedom (critical %.1f); observed %v",
				tc.n, tc.p, stat, df, critical(df), obs)
		}
	}
	// n = 10^12, p = 10^-12 is Poisson(1) to within 10^-12.
	rng := rand.New(rand.NewPCG(9, 9))
	obs := make([]float64, 30)
	for range draws {
		obs[min(Binomial(rng, 1e12, 1e-12), 29)]++
	}
	exp := make([]float64, 30)
	for k := range exp {
		exp[k] = draws * distuv.Poisson{Lambda: 1}.Prob(float64(k))
	}
	if stat, df := chiSquare(obs, exp); stat > critical(df) {
		t.Errorf("Binomial(1e12, 1e-12): chi-square %.1f on %d degrees of freedom; observed %v", stat, df, obs)
	}
}

func TestBinomialEdges(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		n    int64
		p    float64
		want int64
	}{{0, 0.5, 0}, {10, 0, 0}, {10, 1, 10}, {10, -1, 0}, {10, 2, 10}, {10, math.NaN(), 0}, {MaxCount, 1, MaxCount}} {
		if got := Binomial(rng, tc.n, tc.p); got != tc.want {
			t.Errorf("Binomial(%d, %g) = %d, want %d", tc.n, tc.p, got, tc.want)
		}
	}
	for _, n := range []int64{-1, MaxCount + 1} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Binomial(%d, 0.5) did not panic", n)
				}
			}()
			Binomial(rng, n, 0.5)
		}()
	}
}

// logPMF agrees with the log-gamma formula where that one is accurate.
func TestLogPMF(t *testing.T) {
	for _, tc := range []struct {
		n, k int64
		p    float64
	}{{10, 3, 0.3}, {1000, 500, 0.5}, {1000, 3, 0.01}, {100000, 29000, 0.3}, {50, 0, 0.2}, {50, 50, 0.2}} {
		want := math.Log(pmfLgamma(tc.n, tc.k, tc.p))
		got := logPMF(float64(tc.n), float64(tc.k), tc.p, 1-tc.p)
		if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
			t.Errorf("logPMF(%d, %d, %g) = %.15g, want %.15g", tc.n, tc.k, tc.p, got, want)
		}
	}
}

// Draw's counts follow the multinomial distribution: each outcome's count
// is Binomial(n, p_i) marginally, so over many draws the mean count of each
// outcome matches n p_i and one draw's counts pass a chi-square test
// against n p. Weights span blocks, include zeros and a far tail.
func TestDrawMatchesDistribution(t *testing.T) {
	w := make([]float64, 3*blockSize+17)
	for i := range w {
		switch {
		case i%5 == 0:
			w[i] = 0
		case i > 3*blockSize:
			w[i] = 1e-9 // a tail that a total minus a prefix would get wrong
		default:
			w[i] = 1 + math.Sin(float64(i))
		}
	}
	var total float64
	for _, x := range w {
		total += x
	}
	for _, n := range []int64{1, 1000, 1e7, 1e12} {
		rng := rand.New(rand.NewPCG(3, uint64(n)))
		obs := make([]float64, len(w))
		var sum int64
		last := -1
		err := Draw(rng, n, w, func(i int, c int64) {
			if i <= last {
				t.Fatalf("n=%d: outcome %d visited after %d", n, i, last)
			}
			if w[i] == 0 {
				t.Fatalf("n=%d: outcome %d of weight 0 drawn", n, i)
			}
			last = i
			obs[i] = float64(c)
			sum += c
		})
		if err != nil {
			t.Fatal(err)
		}
		if sum != n {
			t.Fatalf("n=%d: counts sum to %d", n, sum)
		}
		if n < 1e7 {
			continue
		}
		exp := make([]float64, len(w))
		for i := range w {
			exp[i] = float64(n) * w[i] / total
		}
		stat, df := chiSquare(obs, exp)
		if stat > critical(df) {
			t.Errorf("n=%d: chi-square %.1f on %d degrees of freedom (critical %.1f)", n, stat, df, critical(df))
		}
	}
	// The tail's share over many small draws.
	rng := rand.New(rand.NewPCG(5, 5))
	small := []float64{0.5, 0.25, 0.125, 0.0625, 0.0625}
	obs := make([]float64, len(small))
	const reps, n = 20000, 10
	for range reps {
		if err := Draw(rng, n, small, func(i int, c int64) { obs[i] += float64(c) }); err != nil {
			t.Fatal(err)
		}
	}
	exp := make([]float64, len(small))
	for i, p := range small {
		exp[i] = reps * n * p
	}
	if stat, df := chiSquare(obs, exp); stat > critical(df) {
		t.Errorf("small draws: chi-square %.1f on %d degrees of freedom; observed %v, expected %v", stat, df, obs, exp)
	}
}

func TestDrawErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	nop := func(int, int64) {}
	for _, tc := range []struct {
		n int64
		w []float64
	}{{-1, []float64{1}}, {MaxCount + 1, []float64{1}}, {5, []float64{0, 0}}, {5, nil},
		{5, []float64{1, -1}}, {5, []float64{1, math.NaN()}}, {5, []float64{math.Inf(1)}}} {
		if err := Draw(rng, tc.n, tc.w, nop); err == nil {
			t.Errorf("Draw(%d, %v): no error", tc.n, tc.w)
		}
	}
	if err := Draw(rng, 0, []float64{0}, nop); err != nil {
		t.Errorf("Draw of 0 samples: %v", err)
	}
}

// The same source gives the same counts; the result does not depend on
// GOMAXPROCS.
func TestDrawDeterministic(t *testing.T) {
	w := make([]float64, 5*blockSize)
	for i := range w {
		w[i] = float64(i%7 + 1)
	}
	get := func() map[int]int64 {
		m := map[int]int64{}
		if err := Draw(rand.New(rand.NewPCG(11, 12)), 1e9, w, func(i int, c int64) { m[i] = c }); err != nil {
			t.Fatal(err)
		}
		return m
	}
	a := get()
	old := runtime.GOMAXPROCS(1)
	b := get()
	runtime.GOMAXPROCS(old)
	if len(a) != len(b) {
		t.Fatalf("%d vs %d outcomes", len(a), len(b))
	}
	for i, c := range a {
		if b[i] != c {
			t.Fatalf("outcome %d: %d vs %d", i, c, b[i])
		}
	}
}

// A draw of 10^12 samples over 2^20 outcomes takes time linear in the
// outcomes, not the samples: well under a second of CPU (the bound is
// loose for a shared machine; drawing the samples one by one would take
// hours).
func TestDrawLargeIsFast(t *testing.T) {
	w := make([]float64, 1<<20)
	for i := range w {
		w[i] = 1
	}
	start := time.Now()
	var sum int64
	if err := Draw(rand.New(rand.NewPCG(1, 1)), 1e12, w, func(i int, c int64) { sum += c }); err != nil {
		t.Fatal(err)
	}
	if sum != 1e12 {
		t.Fatalf("sum %d", sum)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("10^12 samples over 2^20 outcomes took %v", d)
	}
}

// The first two moments of Binomial and Draw match the exact ones: a
// binomial's mean np and variance npq (for both samplers and for n up to
// 2^53), and a multinomial's means n p_i, variances n p_i (1-p_i) and
// covariances -n p_i p_j, with outcomes in different blocks of a Draw. Each
// sample moment must lie within 5 of its standard errors.
func TestMoments(t *testing.T) {
	const reps = 40000
	for i, tc := range []struct {
		n int64
		p float64
	}{{20, 0.2}, {1000, 0.004}, {1000, 0.37}, {1e9, 0.81}, {1e12, 3e-11}, {1e15, 0.5}, {MaxCount, 1e-3}} {
		rng := rand.New(rand.NewPCG(uint64(i), 31))
		nf := float64(tc.n)
		mean, vr := nf*tc.p, nf*tc.p*(1-tc.p)
		var s, s2 float64
		for range reps {
			d := float64(Binomial(rng, tc.n, tc.p)) - mean // centred: no cancellation at 2^53
			s += d
			s2 += d * d
		}
		m := s / reps
		v := s2/reps - m*m
		if se := math.Sqrt(vr / reps); math.Abs(m) > 5*se {
			t.Errorf("Binomial(%d, %g): mean off by %g (standard error %g)", tc.n, tc.p, m, se)
		}
		// The variance of a sample variance is about 2 var^2 / reps (plus
		// the excess kurtosis term, (1-6pq)/(npq) var^2 / reps).
		se := vr * math.Sqrt((2+math.Abs(1-6*tc.p*(1-tc.p))/vr)/reps)
		if math.Abs(v-vr) > 5*se {
			t.Errorf("Binomial(%d, %g): variance %g, want %g (standard error %g)", tc.n, tc.p, v, vr, se)
		}
	}

	w := make([]float64, 2*blockSize+3)
	idx := []int{0, 7, blockSize - 1, blockSize + 5, 2*blockSize + 2}
	for k, i := range idx {
		w[i] = float64(k + 1) // p = 1/15 ... 5/15
	}
	var total float64
	for _, x := range w {
		total += x
	}
	const n, dreps = 500, 8000
	rng := rand.New(rand.NewPCG(17, 17))
	k := len(idx)
	sum := make([]float64, k)
	prod := make([][]float64, k)
	for a := range prod {
		prod[a] = make([]float64, k)
	}
	c := make([]float64, k)
	pos := map[int]int{}
	for a, i := range idx {
		pos[i] = a
	}
	for range dreps {
		clear(c)
		if err := Draw(rng, n, w, func(i int, cnt int64) { c[pos[i]] = float64(cnt) }); err != nil {
			t.Fatal(err)
		}
		for a := range k {
			sum[a] += c[a]
			for b := range k {
				prod[a][b] += c[a] * c[b]
			}
		}
	}
	for a := range k {
		pa := w[idx[a]] / total
		ma := sum[a] / dreps
		if se := math.Sqrt(n * pa * (1 - pa) / dreps); math.Abs(ma-n*pa) > 5*se {
			t.Errorf("Draw: outcome %d mean %g, want %g", idx[a], ma, n*pa)
		}
		for b := range k {
			pb := w[idx[b]] / total
			cov := prod[a][b]/dreps - ma*sum[b]/dreps
			want := -n * pa * pb
			if a == b {
				want = n * pa * (1 - pa)
			}
			va, vb := n*pa*(1-pa), n*pb*(1-pb)
			if se := math.Sqrt((va*vb + want*want) / dreps); math.Abs(cov-want) > 5*se {
				t.Errorf("Draw: covariance of outcomes %d and %d is %g, want %g (standard error %g)", idx[a], idx[b], cov, want, se)
			}
		}
	}
}

// Equal seeds give equal variates, and the draws of a seed do not depend
// on what was drawn on other sources in between.
func TestBinomialSeeded(t *testing.T) {
	draw := func() []int64 {
		rng := rand.New(rand.NewPCG(42, 43))
		var out []int64
		for _, n := range []int64{5, 100, 1e6, 1e12, MaxCount} {
			for _, p := range []float64{1e-9, 0.01, 0.3, 0.5, 0.77} {
				out = append(out, Binomial(rng, n, p))
			}
		}
		return out
	}
	a := draw()
	rand.New(rand.NewPCG(42, 43)).Uint64() // an unrelated source
	b := draw()
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("draw %d: %d then %d from the same seed", i, a[i], b[i])
		}
	}
}
