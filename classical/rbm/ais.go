package rbm

import (
	"fmt"
	"math"
	"math/rand/v2"

	"born/classical/internal/par"
)

// AISConfig configures annealed importance sampling of ln Z.
type AISConfig struct {
	Chains  int    // independent annealing runs (default 200)
	Temps   int    // intermediate distributions (default 2000)
	Seed    uint64 // random seed (default 1)
	Workers int    // goroutines (0: GOMAXPROCS); never changes the result
}

// DefaultAIS returns 200 runs of 2000 temperatures with seed 1.
func DefaultAIS() AISConfig { return AISConfig{Chains: 200, Temps: 2000, Seed: 1} }

// EstimateLogZ estimates ln Z by annealed importance sampling (Neal 2001;
// Salakhutdinov and Murray 2008). The path runs from the base
// distribution p_0(v, h) proportional to exp(a.v) (independent visible
// units with the RBM's own biases, uniform hidden units; ln Z_0 =
// H ln 2 + sum_i softplus(a_i)) to the RBM through
//
//	p_beta(v, h) proportional to exp(a.v + beta (b.h + v^T W h)),
//
// beta = k/Temps, with one block Gibbs sweep at each beta. The estimate is
// ln Z_0 + ln of the mean importance weight; its error bar is the
// standard error of that mean relative to the mean (delta method), and
// Lo, Hi are ln(mean -+ 3 standard errors). ln of an unbiased estimate of
// Z is biased low by about StdErr^2/2.
func (m *RBM) EstimateLogZ(cfg AISConfig) (LogZ, error) {
	if cfg.Chains < 2 || cfg.Temps < 1 || cfg.Workers < 0 {
		return LogZ{}, fmt.Errorf("rbm: AIS needs at least 2 runs and 1 temperature (got %d runs, %d temperatures, %d workers)", cfg.Chains, cfg.Temps, cfg.Workers)
	}
	t := m.net(m.theta)
	logw := make([]float64, cfg.Chains)
	K := float64(cfg.Temps)
	par.Run(cfg.Chains, 1, cfg.Workers, func(c, _, _ int) {
		rng := rand.New(rand.NewPCG(cfg.Seed, par.Stream(tagAIS, uint64(c))))
		pre, hid, q := make([]float64, m.h), make([]float64, m.h), make([]float64, m.n)
		var v uint64
		for i, a := range t.a {
			if rng.Float64() < par.Sigmoid(a) {
				v |= 1 << uint(i)
			}
		}
		var w float64
		for k := 1; k <= cfg.Temps; k++ {
			b0, b1 := float64(k-1)/K, float64(k)/K
			t.hidPre(v, pre)
			for _, p := range pre {
				w += par.Softplus(b1*p) - par.Softplus(b0*p)
			}
			if k < cfg.Temps {
				v = t.sweepFrom(pre, b1, rng, hid, q)
			}
		}
		logw[c] = w
	})
	lz0 := float64(m.h) * math.Ln2
	for _, a := range t.a {
		lz0 += par.Softplus(a)
	}
	mx := math.Inf(-1)
	for _, w := range logw {
		mx = max(mx, w)
	}
	var mean float64
	for _, w := range logw {
		mean += math.Exp(w - mx)
	}
	mean /= float64(len(logw))
	var ss float64
	for _, w := range logw {
		d := math.Exp(w-mx) - mean
		ss += d * d
	}
	se := math.Sqrt(ss/float64(len(logw)-1)) / math.Sqrt(float64(len(logw)))
	base := lz0 + mx
	out := LogZ{Value: base + math.Log(mean), StdErr: se / mean, Hi: base + math.Log(mean+3*se), Method: "ais"}
	out.Lo = math.Inf(-1)
	if mean > 3*se {
		out.Lo = base + math.Log(mean-3*se)
	}
	return out, nil
}
