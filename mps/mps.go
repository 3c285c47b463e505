package mps

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
)

// DefaultCutoff is the relative singular-value cutoff used when
// Options.Cutoff is zero: a truncation drops singular values below
// DefaultCutoff times the largest one.
const DefaultCutoff = 1e-12

// Options configure a State.
type Options struct {
	// MaxBond caps every bond dimension (chi). 0 means no cap: bonds grow to
	// whatever the state needs (at most 2^(n/2)). Negative is an error.
	MaxBond int
	// Cutoff is the relative singular-value cutoff: after every
	// decomposition, singular values below Cutoff times the largest are
	// discarded. 0 selects DefaultCutoff; negative or NaN is an error.
	Cutoff float64
	// MemoryLimit is the largest worst-case tensor memory, in bytes, that New
	// accepts (n*2*chi^2*16 with chi = min(MaxBond, 2^(n/2))). 0 selects
	// DefaultMemoryLimit(); negative is an error.
	MemoryLimit int64
}

// DefaultMemoryLimit returns 90% of MemTotal from /proc/meminfo, or 8 GiB
// when that cannot be read.
func DefaultMemoryLimit() int64 {
	const fallback = 8 << 30
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return fallback
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemTotal:" {
			kb, err := strconv.ParseInt(fields[1], 10, 64)
			if err != nil || kb <= 0 {
				return fallback
			}
			return kb * 1024 / 10 * 9
		}
	}
	return fallback
}

// WorstCaseMemory returns the worst-case memory of the site tensors of an
// n-qubit MPS with bond cap maxBond (0: none), n*2*chi^2*16 bytes with
// chi = min(maxBond, 2^floor(n/2)), as a float64 so that it cannot
// overflow.
func WorstCaseMemory(n, maxBond int) float64 {
	chi := math.Pow(2, float64(n/2))
	if maxBond > 0 && float64(maxBond) < chi {
		chi = float64(maxBond)
	}
	return float64(n) * 2 * chi * chi * 16
}

// site is one MPS tensor A[l, s, r] of shape dl×2×dr, stored at
// a[(l*2+s)*dr+r]: row-major as a (2dl)×dr matrix or a dl×(2dr) matrix.
type site struct {
	dl, dr int
	a      []complex128
}

// State is an open-boundary matrix product state of n qubits, site q holding
// qubit q. It is kept in mixed-canonical form: the sites left of the
// orthogonality center are left-orthonormal, those right of it
// right-orthonormal, so that every truncation is the optimal one and the
// norm is the center's Frobenius norm (kept at 1).
//
// A State is not safe for concurrent use: even reads (sampling, marginals,
// measurement probabilities) move the orthogonality center. Clone and
// CopyFrom only read their source, so several goroutines may clone one
// State that nobody modifies meanwhile.
type State struct {
	n       int
	maxBond int // 0: no cap
	cutoff  float64
	sites   []site
	center  int

	stats     Stats
	discarded []float64 // the discarded weight of every lossy truncation
}

// Stats is the truncation accounting of a State, with the JSON field names
// the CLI reports.
type Stats struct {
	// MaxBond is the largest bond dimension reached so far.
	MaxBond int `json:"max_bond"`
	// DiscardedWeight is the sum of the discarded weights w_i of all
	// truncations, each the squared norm a truncation dropped relative to
	// the state it truncated. It is a sum over truncations, not a
	// probability: it grows with every lossy gate and can exceed 1 (7.8 in
	// the measurements below). FidelityEstimate is at most
	// exp(-DiscardedWeight), and close to it when every w_i is small.
	DiscardedWeight float64 `json:"discarded_weight"`
	// FidelityEstimate is the product of (1 - w_i) over the discarded
	// weights w_i: the standard estimate of the fidelity |<exact|mps>|^2
	// with the state an untruncated run would reach. It is reliable at
	// ReliableFidelity and above, a rough guide below (see that constant).
	FidelityEstimate float64 `json:"fidelity_estimate"`
	// Truncations counts the truncations that discarded a nonzero weight.
	Truncations int `json:"truncations"`
}

// ReliableFidelity is the fidelity estimate below which it no longer
// tracks the true fidelity closely. Measured against the exact fidelity
// from the state-vector engine on 1201 random circuits of 10 to 14 qubits
// (brickwork u3/cx layers with long-range crx, and random 2- and 3-qubit
// gates on any qubits) at bond caps 2 to 16 (TestFidelityEstimateAccuracy
// with BORN_MPS_FIDELITY_SCAN=1), the ratio estimate/true was, by range of
// the estimate:
//
//	0.99 - 1     0.998 - 1.001
//	0.9  - 0.99  0.992 - 1.006
//	0.7  - 0.9   0.968 - 1.072
//	0.5  - 0.7   0.917 - 1.100
//	0.3  - 0.5   0.877 - 1.098
//	0.1  - 0.3   0.778 - 1.245
//	0.05 - 0.1   0.720 - 1.683
//	below 0.05   0.247 - 5.29
//
// with medians within 0.96 - 1.01 everywhere: unbiased, but the spread of
// a single run grows fast below 0.5.
const ReliableFidelity = 0.5

// FidelityReliable reports whether the fidelity estimate is in the range
// where it tracks the true fidelity closely (see ReliableFidelity).
func (s Stats) FidelityReliable() bool { return s.FidelityEstimate >= ReliableFidelity }

// New returns the n-qubit MPS |0...0> with the given options. It refuses,
// before allocating, a bond cap whose worst-case memory exceeds the
// memory limit.
func New(n int, opts Options) (*State, error) {
	if n < 1 {
		return nil, fmt.Errorf("mps: need at least 1 qubit, got %d", n)
	}
	if opts.MaxBond < 0 {
		return nil, fmt.Errorf("mps: bond dimension must be >= 1 (or 0 for no cap), got %d", opts.MaxBond)
	}
	if opts.Cutoff < 0 || math.IsNaN(opts.Cutoff) || math.IsInf(opts.Cutoff, 0) {
		return nil, fmt.Errorf("mps: cutoff must be a finite number >= 0, got %v", opts.Cutoff)
	}
	if opts.MemoryLimit < 0 {
		return nil, fmt.Errorf("mps: memory limit must be >= 0, got %d", opts.MemoryLimit)
	}
	cutoff := opts.Cutoff
	if cutoff == 0 {
		cutoff = DefaultCutoff
	}
	limit := opts.MemoryLimit
	if limit == 0 {
		limit = DefaultMemoryLimit()
	}
	if need := WorstCaseMemory(n, opts.MaxBond); need > float64(limit) {
		chi := "no cap"
		if opts.MaxBond > 0 {
			chi = strconv.Itoa(opts.MaxBond)
		}
		return nil, fmt.Errorf("mps: bond dimension %s on %d qubits needs up to %s of tensors (n*2*chi^2*16 bytes), over the limit of %s; lower the bond dimension",
			chi, n, formatBytes(need), formatBytes(float64(limit)))
	}
	s := &State{n: n, maxBond: opts.MaxBond, cutoff: cutoff, sites: make([]site, n)}
	for i := range s.sites {
		s.sites[i] = site{dl: 1, dr: 1, a: []complex128{1, 0}}
	}
	s.stats.MaxBond = 1
	s.stats.FidelityEstimate = 1
	return s, nil
}

func formatBytes(b float64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	i := 0
	for b >= 1024 && i < len(units)-1 {
		b /= 1024
		i++
	}
	if i == len(units)-1 && b >= 1024 {
		return fmt.Sprintf("%.3g %s", b, units[i])
	}
	return fmt.Sprintf("%.4g %s", b, units[i])
}

// NumQubits returns the number of qubits.
func (s *State) NumQubits() int { return s.n }

// MaxBondCap returns the bond-dimension cap (0: none).
func (s *State) MaxBondCap() int { return s.maxBond }

// Cutoff returns the relative singular-value cutoff in force.
func (s *State) Cutoff() float64 { return s.cutoff }

// Stats returns the truncation accounting.
func (s *State) Stats() Stats { return s.stats }

// MaxBond returns the largest bond dimension reached so far.
func (s *State) MaxBond() int { return s.stats.MaxBond }

// DiscardedWeight returns the sum of the discarded weights of all
// truncations.
func (s *State) DiscardedWeight() float64 { return s.stats.DiscardedWeight }

// FidelityEstimate returns the product of (1 - w_i) over the discarded
// weights w_i of all truncations.
func (s *State) FidelityEstimate() float64 { return s.stats.FidelityEstimate }

// DiscardedWeights returns the discarded weight of every truncation that
// discarded a nonzero weight, in order.
func (s *State) DiscardedWeights() []float64 { return append([]float64(nil), s.discarded...) }

// BondDims returns the n-1 current bond dimensions; element i is the bond
// between qubits i and i+1.
func (s *State) BondDims() []int {
	b := make([]int, s.n-1)
	for i := range b {
		b[i] = s.sites[i].dr
	}
	return b
}

// Bytes returns the memory held by the site tensors.
func (s *State) Bytes() int64 {
	var t int64
	for _, st := range s.sites {
		t += int64(len(st.a)) * 16
	}
	return t
}

// Clone returns an independent deep copy.
func (s *State) Clone() *State {
	c := *s
	c.sites = make([]site, s.n)
	for i, st := range s.sites {
		c.sites[i] = site{dl: st.dl, dr: st.dr, a: append([]complex128(nil), st.a...)}
	}
	c.discarded = append([]float64(nil), s.discarded...)
	return &c
}

// CopyFrom overwrites s with an independent copy of o, reusing s's memory
// where it can.
func (s *State) CopyFrom(o *State) {
	if len(s.sites) != len(o.sites) {
		s.sites = make([]site, len(o.sites))
	}
	for i, st := range o.sites {
		s.sites[i] = site{dl: st.dl, dr: st.dr, a: append(s.sites[i].a[:0], st.a...)}
	}
	s.n, s.maxBond, s.cutoff, s.center, s.stats = o.n, o.maxBond, o.cutoff, o.center, o.stats
	s.discarded = append(s.discarded[:0], o.discarded...)
}

// Norm returns the norm of the state, computed by a full contraction (it is
// 1 up to rounding; the method exists for checks).
func (s *State) Norm() float64 {
	// E[l, l'] environment from the left.
	e := []complex128{1}
	d := 1
	for _, st := range s.sites {
		e = transfer(e, d, st)
		d = st.dr
	}
	return math.Sqrt(real(e[0]))
}

// transfer returns E'[r, r'] = sum_{l,l',s} conj(A[l,s,r]) E[l,l'] A[l',s,r']
// for a d×d environment E (d = st.dl).
func transfer(e []complex128, d int, st site) []complex128 {
	// T = E A as (dl)×(2dr): T[l, (s,r')] = sum_l' E[l,l'] A[l',s,r']
	t := zmul(d, d, 2*st.dr, e, st.a)
	// E'[r,r'] = sum_{l,s} conj(A[l,s,r]) T[l,s,r']: A viewed as (2dl)×dr,
	// T as (2dl)×dr.
	ah := adjoint(2*st.dl, st.dr, st.a)
	return zmul(st.dr, 2*st.dl, st.dr, ah, t)
}

// record notes a truncation that discarded weight w and a new bond dimension.
func (s *State) record(w float64, bond int) {
	if bond > s.stats.MaxBond {
		s.stats.MaxBond = bond
	}
	if w > 0 {
		s.discarded = append(s.discarded, w)
		s.stats.DiscardedWeight += w
		s.stats.FidelityEstimate *= 1 - w
		s.stats.Truncations++
	}
}

// truncation returns how many of the singular values sv (decreasing) to
// keep, the discarded weight relative to the total, and the norm of the
// kept part, under the cap and the cutoff.
func (s *State) truncation(sv []float64) (keep int, discarded, keptNorm float64) {
	var total float64
	for _, v := range sv {
		total += v * v
	}
	if len(sv) == 0 || total == 0 {
		return 1, 0, 0
	}
	keep = len(sv)
	thr := s.cutoff * sv[0]
	for keep > 1 && sv[keep-1] < thr {
		keep--
	}
	if s.maxBond > 0 && keep > s.maxBond {
		keep = s.maxBond
	}
	var kept float64
	for _, v := range sv[:keep] {
		kept += v * v
	}
	discarded = (total - kept) / total
	if discarded < 0 {
		discarded = 0
	}
	return keep, discarded, math.Sqrt(kept)
}

// moveCenter moves the orthogonality center to site to by QR (rightward)
// or LQ (leftward) factorisations.
func (s *State) moveCenter(to int) {
	for s.center < to {
		c := s.center
		a := &s.sites[c]
		q, r := qr(2*a.dl, a.dr, a.a)
		k := min(2*a.dl, a.dr)
		b := &s.sites[c+1]
		b.a = zmul(k, a.dr, 2*b.dr, r, b.a)
		b.dl = k
		a.a, a.dr = q, k
		s.center++
	}
	for s.center > to {
		c := s.center
		a := &s.sites[c]
		l, q := lq(a.dl, 2*a.dr, a.a)
		k := min(a.dl, 2*a.dr)
		b := &s.sites[c-1]
		b.a = zmul(2*b.dl, b.dr, k, b.a, l)
		b.dr = k
		a.a, a.dl = q, k
		s.center--
	}
}
