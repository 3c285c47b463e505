package flow

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"born/classical/internal/par"
	"born/dataset"
	"born/model"
)

// TestWideMADE: on 130 bits (three words per state) the batched ln p of
// LogProbWords equals the sum of the log conditionals computed one bit at
// a time (the sampler's path); the NLL objective's gradient on 130-bit
// data matches central finite differences; the samples fit in 130 bits;
// and the single-word calls refuse the wide model.
func TestWideMADE(t *testing.T) {
	const n = 130
	m, err := New(n, 12)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(21, 22))
	for i := range m.theta {
		m.theta[i] = 0.6 * (2*r.Float64() - 1)
	}
	if err := m.SetParams(m.Params()); err != nil { // re-apply any masks
		t.Fatal(err)
	}
	w := m.dense(m.theta)
	var lines []string
	for range 6 {
		x := make([]uint64, 3)
		b := make([]byte, n)
		for d := range n {
			if r.IntN(2) == 1 {
				x[d/64] |= 1 << uint(d%64)
				b[n-1-d] = '1'
			} else {
				b[n-1-d] = '0'
			}
		}
		lines = append(lines, string(b))
		got, err := m.LogProbWords(x)
		if err != nil {
			t.Fatal(err)
		}
		pre := append([]float64(nil), w.c...)
		var want float64
		for d := range n {
			p := par.Sigmoid(m.logitWords(w, pre, x, d))
			if x[d/64]>>uint(d%64)&1 == 1 {
				want += math.Log(p)
				for k := range pre {
					pre[k] += w.U.At(k, d)
				}
			} else {
				want += math.Log1p(-p)
			}
		}
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("ln p = %v batched, %v bit by bit", got, want)
		}
	}
	data, err := dataset.ParseData("wide", strings.NewReader(strings.Join(lines, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	o, err := m.NewObjective(data, model.ObjectiveConfig{Loss: dataset.LossNLL})
	if err != nil {
		t.Fatal(err)
	}
	theta := m.Params()
	grad := make([]float64, len(theta))
	ev, err := o.Eval(0, theta, grad)
	if err != nil {
		t.Fatal(err)
	}
	nll, err := model.NLL(m, data)
	if err != nil || math.Abs(nll-ev.Loss) > 1e-9 {
		t.Errorf("objective NLL %v, model.NLL %v (%v)", ev.Loss, nll, err)
	}
	const h = 1e-6
	for _, i := range []int{0, 7, m.oC + 3, m.oW + 5, m.oB + 100, len(theta) - 1} {
		tp, tm := append([]float64(nil), theta...), append([]float64(nil), theta...)
		tp[i] += h
		tm[i] -= h
		ep, _ := o.Eval(0, tp, nil)
		em, _ := o.Eval(0, tm, nil)
		fd := (ep.Loss - em.Loss) / (2 * h)
		if math.Abs(fd-grad[i]) > 1e-5*max(1, math.Abs(fd)) {
			t.Errorf("d/dtheta_%d = %v, finite difference %v", i, grad[i], fd)
		}
	}
	xs, err := m.SampleWords(50, 1)
	if err != nil || len(xs) != 150 {
		t.Fatalf("%d words (%v)", len(xs), err)
	}
	for k := range 50 {
		if xs[3*k+2]>>2 != 0 {
			t.Fatalf("sample %d has bits beyond 130", k)
		}
	}
	if _, err := m.LogProb(1); err == nil {
		t.Error("LogProb of a 130-bit MADE: no error")
	}
	if _, err := m.Sample(1, 1); err == nil {
		t.Error("Sample of a 130-bit MADE: no error")
	}
}
