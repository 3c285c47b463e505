package rbm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"born/classical/internal/par"
)

// GibbsConfig configures sampling by block Gibbs chains.
type GibbsConfig struct {
	Chains int // independent chains (default 100)
	BurnIn int // sweeps before a chain's first sample (default 1000)
	Thin   int // sweeps between a chain's samples (default 10)
}

// DefaultGibbs returns 100 chains, 1000 burn-in sweeps, one sample every
// 10 sweeps.
func DefaultGibbs() GibbsConfig { return GibbsConfig{Chains: 100, BurnIn: 1000, Thin: 10} }

// Sample draws shots states from p, with random numbers from PCG seeded by
// seed only. When Exact(), the draws are exact: the smaller layer is drawn
// from its exact marginal (2^min(n,H) states), then, if that layer is the
// hidden one, the visible units from p(v | h). Otherwise they come from
// SampleGibbs with the settings in m.Gibbs.
func (m *RBM) Sample(shots int, seed uint64) ([]uint64, error) {
	if shots < 0 {
		return nil, fmt.Errorf("rbm: %d shots; need a count >= 0", shots)
	}
	if !m.Exact() {
		return m.SampleGibbs(shots, seed, m.Gibbs)
	}
	t := m.net(m.theta)
	rng := rand.New(rand.NewPCG(seed, par.Stream(tagSample)))
	out := make([]uint64, shots)
	if t.enumVisible() {
		lp, _ := t.visibleEnum(0)
		cdf := cumulative(lp)
		for s := range out {
			out[s] = uint64(draw(cdf, rng))
		}
		return out, nil
	}
	lp := make([]float64, 1<<uint(m.h))
	q := make([]float64, m.n)
	for y := range lp {
		lp[y] = t.negFh(uint64(y), q)
	}
	cdf := cumulative(lp)
	hid := make([]float64, m.h)
	for s := range out {
		y := draw(cdf, rng)
		for j := range hid {
			hid[j] = float64(y >> uint(j) & 1)
		}
		out[s] = t.visibleGiven(hid, 1, rng, q)
	}
	return out, nil
}

// cumulative turns unnormalised log-probabilities into a cumulative sum
// of exp(lp - max lp), in place.
func cumulative(lp []float64) []float64 {
	mx := math.Inf(-1)
	for _, v := range lp {
		mx = max(mx, v)
	}
	var s float64
	for i, v := range lp {
		s += math.Exp(v - mx)
		lp[i] = s
	}
	return lp
}

// draw returns the index drawn from the cumulative weights cdf.
func draw(cdf []float64, rng *rand.Rand) int {
	u := rng.Float64() * cdf[len(cdf)-1]
	return sort.Search(len(cdf)-1, func(i int) bool { return cdf[i] > u })
}

// SampleGibbs draws shots states by block Gibbs sampling: cfg.Chains
// independent chains start at uniformly random states, run cfg.BurnIn
// sweeps, then give a sample every cfg.Thin sweeps; shot s comes from chain
// s mod Chains. Chain c uses its own PCG stream of seed, so the result does
// not depend on the number of threads. The draws are approximate: their
// quality depends on the burn-in and the mixing of the chains.
func (m *RBM) SampleGibbs(shots int, seed uint64, cfg GibbsConfig) ([]uint64, error) {
	if shots < 0 {
		return nil, fmt.Errorf("rbm: %d shots; need a count >= 0", shots)
	}
	if cfg.Chains < 1 || cfg.BurnIn < 0 || cfg.Thin < 1 {
		return nil, fmt.Errorf("rbm: Gibbs sampling needs at least 1 chain, a burn-in >= 0 and thinning >= 1 (got %d, %d, %d)", cfg.Chains, cfg.BurnIn, cfg.Thin)
	}
	t := m.net(m.theta)
	out := make([]uint64, shots)
	C := min(cfg.Chains, shots)
	mask := uint64(1)<<uint(m.n) - 1
	par.Run(C, 1, 0, func(c, _, _ int) {
		rng := rand.New(rand.NewPCG(seed, par.Stream(tagGibbs, uint64(c))))
		pre, hid, q := make([]float64, m.h), make([]float64, m.h), make([]float64, m.n)
		v := rng.Uint64() & mask
		for range cfg.BurnIn {
			v = t.sweep(v, 1, rng, pre, hid, q)
		}
		for s := c; s < shots; s += C {
			for range cfg.Thin {
				v = t.sweep(v, 1, rng, pre, hid, q)
			}
			out[s] = v
		}
	})
	return out, nil
}
