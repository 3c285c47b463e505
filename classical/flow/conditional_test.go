package flow

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestSampleConditional compares the frequencies of completions with the
// exact conditional distribution p(x)/p(known), p by enumeration of all
// 2^n states (Probabilities), for masks that need no sum (hidden bits
// after the known ones), a sum over every hidden bit, and a mix.
func TestSampleConditional(t *testing.T) {
	const n, shots = 7, 40000
	m := randomMADE(t, n, 9, 1.5, 3)
	pAll, err := m.Probabilities()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name        string
		mask, known uint64
	}{
		{"lower image half hidden (high bits)", 0b0001111, 0b0000101},
		{"upper half hidden (low bits)", 0b1110000, 0b1010000},
		{"scattered", 0b1010010, 0b1000010},
		{"nothing known", 0, 0},
		{"all known", 0b1111111, 0b0110010},
	} {
		cond := map[uint64]float64{}
		var z float64
		for x, px := range pAll {
			if uint64(x)&c.mask == c.known {
				cond[uint64(x)] = px
				z += px
			}
		}
		xs, err := m.SampleConditional([]uint64{c.known}, []uint64{c.mask}, shots, 5)
		if err != nil {
			t.Fatal(err)
		}
		counts := map[uint64]int{}
		for _, x := range xs {
			counts[x]++
		}
		for x := range counts {
			if _, ok := cond[x]; !ok {
				t.Errorf("%s: drew %07b, which disagrees with the known bits", c.name, x)
			}
		}
		for x, px := range cond {
			px /= z
			want := shots * px
			sd := math.Sqrt(want * (1 - px))
			if d := math.Abs(float64(counts[x]) - want); d > 5*sd+1 {
				t.Errorf("%s: %07b drawn %d times, expected %.1f +- %.1f", c.name, x, counts[x], want, sd)
			}
		}
	}
}

func TestSampleConditionalBadInput(t *testing.T) {
	m := randomMADE(t, 20, 4, 1, 1)
	for _, c := range []struct {
		known, mask []uint64
		shots       int
		want        string
	}{
		{[]uint64{0}, []uint64{1 << 19}, 1, "19 hidden bits come before the last known bit (19)"},
		{[]uint64{0, 0}, []uint64{0}, 1, "1 word"},
		{[]uint64{0}, []uint64{1 << 20}, 1, "beyond"},
		{[]uint64{0}, []uint64{0}, -1, "shots"},
	} {
		if _, err := m.SampleConditional(c.known, c.mask, c.shots, 1); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v %v %d: error %v, want %q", c.known, c.mask, c.shots, err, c.want)
		}
	}
	// 16 hidden bits before the last known one are summed over.
	if _, err := m.SampleConditional([]uint64{0}, []uint64{0xf<<16 | 1}, 3, 1); err != nil {
		t.Errorf("16 bits to sum over: %v", err)
	}
}

// TestSampleConditionalWide conditions a 70-bit MADE (two words a state) on
// all but three bits: bit 2 and bit 65 lie before the last known bit (68),
// so they are summed over, across both words; bit 69 is drawn after it.
// The completions are checked against the probabilities LogProbWords gives
// the eight candidates (small weights, so that each has a share a misread
// bit would show in).
func TestSampleConditionalWide(t *testing.T) {
	const n, shots = 70, 20000
	m := randomMADE(t, n, 6, 0.1, 4)
	r := rand.New(rand.NewPCG(8, 1))
	known := []uint64{r.Uint64(), r.Uint64() & (1<<6 - 1)}
	mask := []uint64{^uint64(0), 1<<6 - 1}
	hidden := []int{2, 65, 69}
	for _, q := range hidden {
		mask[q/64] &^= 1 << uint(q%64)
		known[q/64] &^= 1 << uint(q%64)
	}
	p := make([]float64, 8)
	var z float64
	for k := range p {
		x := append([]uint64(nil), known...)
		for i, q := range hidden {
			if k>>i&1 == 1 {
				x[q/64] |= 1 << uint(q%64)
			}
		}
		lp, err := m.LogProbWords(x)
		if err != nil {
			t.Fatal(err)
		}
		p[k] = math.Exp(lp)
		z += p[k]
	}
	for k := range p {
		if p[k] /= z; p[k] < 0.01 {
			t.Fatalf("candidate %03b has conditional probability %v: too small for this test", k, p[k])
		}
	}
	xs, err := m.SampleConditional(known, mask, shots, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(xs) != 2*shots {
		t.Fatalf("%d words for %d shots", len(xs), shots)
	}
	counts := make([]int, 8)
	for s := range shots {
		x := xs[2*s : 2*s+2]
		if (x[0]^known[0])&mask[0] != 0 || (x[1]^known[1])&mask[1] != 0 || x[1]>>6 != 0 {
			t.Fatalf("sample %d changes known bits or has bits beyond 70: %x", s, x)
		}
		k := 0
		for i, q := range hidden {
			k |= int(x[q/64]>>uint(q%64)&1) << uint(i)
		}
		counts[k]++
	}
	for k, pk := range p {
		want := shots * pk
		sd := math.Sqrt(want * (1 - pk))
		if d := math.Abs(float64(counts[k]) - want); d > 5*sd+1 {
			t.Errorf("hidden bits %03b drawn %d times, expected %.1f +- %.1f", k, counts[k], want, sd)
		}
	}
}
