package mpsbm

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"born/mps"
)

// checkFrequencies compares the counts of outcomes with the probabilities
// p (summing to 1): every outcome within 5 standard deviations (plus one
// count), outcomes of probability 0 never drawn.
func checkFrequencies(t *testing.T, what string, counts map[uint64]int, p map[uint64]float64, shots int) {
	t.Helper()
	for x, c := range counts {
		if p[x] == 0 {
			t.Errorf("%s: drew %b (%d times), which has conditional probability 0", what, x, c)
		}
	}
	for x, px := range p {
		want := float64(shots) * px
		sd := math.Sqrt(want * (1 - px))
		if d := math.Abs(float64(counts[x]) - want); d > 5*sd+1 {
			t.Errorf("%s: %b drawn %d times, expected %.1f +- %.1f", what, x, counts[x], want, sd)
		}
	}
}

// TestSampleConditional draws completions from random MPS (real and
// complex, several masks) and compares their frequencies with the exact
// conditional distribution p(x)/p(known) by enumerating all 2^n states.
func TestSampleConditional(t *testing.T) {
	const n, shots = 7, 40000
	r := rand.New(rand.NewPCG(7, 1))
	for _, cplx := range []bool{false, true} {
		m := randomModel(t, r, n, 3, cplx)
		pAll, _ := bruteProbs(m.State().Tensors())
		for _, c := range []struct {
			name        string
			mask, known uint64
		}{
			{"lower bits hidden", 0b0001111, 0b0000101},
			{"upper bits hidden", 0b1110000, 0b1010000},
			{"scattered", 0b1010010, 0b1000010},
			{"nothing known", 0, 0},
			{"one hidden", 0b1111011, 0b0101001},
		} {
			what := c.name
			if cplx {
				what += " (complex)"
			}
			cond := map[uint64]float64{}
			var z float64
			for x, px := range pAll {
				if uint64(x)&c.mask == c.known&c.mask {
					cond[uint64(x)] = px
					z += px
				}
			}
			for x := range cond {
				cond[x] /= z
			}
			xs, err := m.SampleConditional([]uint64{c.known}, []uint64{c.mask}, shots, 3)
			if err != nil {
				t.Fatal(err)
			}
			if len(xs) != shots {
				t.Fatalf("%s: %d samples", what, len(xs))
			}
			counts := map[uint64]int{}
			for _, x := range xs {
				counts[x]++
			}
			checkFrequencies(t, what, counts, cond, shots)
			again, _ := m.SampleConditional([]uint64{c.known}, []uint64{c.mask}, shots, 3)
			for i := range xs {
				if again[i] != xs[i] {
					t.Fatalf("%s: the same seed gave other samples", what)
				}
			}
		}
	}
}

// TestSampleConditionalWide conditions a 70-bit MPS (two words a state) on
// all but three bits, one in each word and one at the top, and checks the
// completions against the probabilities LogProbWords gives the eight
// candidates.
func TestSampleConditionalWide(t *testing.T) {
	const n, shots = 70, 20000
	r := rand.New(rand.NewPCG(8, 1))
	m := randomModel(t, r, n, 4, true)
	known := []uint64{r.Uint64(), r.Uint64() & (1<<6 - 1)}
	mask := []uint64{^uint64(0), 1<<6 - 1}
	hidden := []int{2, 65, 69}
	for _, q := range hidden {
		mask[q/64] &^= 1 << uint(q%64)
		known[q/64] &^= 1 << uint(q%64)
	}
	cand := func(k int) []uint64 {
		x := append([]uint64(nil), known...)
		for i, q := range hidden {
			if k>>i&1 == 1 {
				x[q/64] |= 1 << uint(q%64)
			}
		}
		return x
	}
	p := map[uint64]float64{}
	var z float64
	for k := range 8 {
		lp, err := m.LogProbWords(cand(k))
		if err != nil {
			t.Fatal(err)
		}
		p[uint64(k)] = math.Exp(lp)
		z += p[uint64(k)]
	}
	for k := range p {
		p[k] /= z
	}
	xs, err := m.SampleConditional(known, mask, shots, 1)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[uint64]int{}
	for s := range shots {
		x := xs[2*s : 2*s+2]
		var k uint64
		for i, q := range hidden {
			k |= (x[q/64] >> uint(q%64) & 1) << uint(i)
		}
		if (x[0]^known[0])&mask[0] != 0 || (x[1]^known[1])&mask[1] != 0 {
			t.Fatalf("sample %d changes known bits", s)
		}
		if x[1]>>6 != 0 {
			t.Fatalf("sample %d has bits beyond 70", s)
		}
		counts[k]++
	}
	checkFrequencies(t, "70 bits", counts, p, shots)
}

// TestSampleConditionalImpossible: a condition of probability 0 is an
// error, and bad arguments are refused.
func TestSampleConditionalImpossible(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 1))
	ts := randomTensors(r, 4, 2, false)
	for l := range ts[2].DL { // bit 2 is never 1
		for k := range ts[2].DR {
			ts[2].A[(2*l+1)*ts[2].DR+k] = 0
		}
	}
	st, err := mps.FromTensors(ts, mps.Options{MaxBond: 2, Cutoff: DefaultCutoff})
	if err != nil {
		t.Fatal(err)
	}
	m := &Model{n: 4, st: st}
	if _, err := m.SampleConditional([]uint64{0b0100}, []uint64{0b0100}, 10, 1); err == nil || !strings.Contains(err.Error(), "probability 0") {
		t.Errorf("impossible condition: %v", err)
	}
	if xs, err := m.SampleConditional([]uint64{0}, []uint64{0b0100}, 1000, 1); err != nil {
		t.Fatal(err)
	} else {
		for _, x := range xs {
			if x&0b0100 != 0 {
				t.Fatalf("sample %b has bit 2 set", x)
			}
		}
	}
	for _, c := range []struct {
		known, mask []uint64
		shots       int
		want        string
	}{
		{[]uint64{0, 0}, []uint64{0}, 1, "words"},
		{[]uint64{0}, []uint64{1 << 5}, 1, "beyond"},
		{[]uint64{0}, []uint64{0}, -1, "shots"},
	} {
		if _, err := m.SampleConditional(c.known, c.mask, c.shots, 1); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v %v %d: error %v, want %q", c.known, c.mask, c.shots, err, c.want)
		}
	}
}
