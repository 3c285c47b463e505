package bench_test

import (
	"bytes"
	"encoding/json"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"born/bench"
	"born/circuit"
	"born/statevector"
)

func maxDiff(a, b []complex128) float64 {
	var m float64
	for i := range a {
		m = max(m, cmplx.Abs(a[i]-b[i]))
	}
	return m
}

// TestCircuitsMatchItsubaki: every benchmark circuit gives the same state
// on born (gate by gate, and as a fused program) and on itsubaki/q, so the
// baseline runs the same circuit.
func TestCircuitsMatchItsubaki(t *testing.T) {
	const n = 9
	qcbm := bench.QCBM(n, 10, bench.BAS33Pairs)
	rng := rand.New(rand.NewPCG(1, 2))
	qv := make([]float64, len(qcbm.Symbols))
	for i := range qv {
		qv[i] = rng.Float64() * 6
	}
	for _, tc := range []struct {
		name string
		c    *circuit.Circuit
		vals []float64
	}{
		{"1q", bench.Layer1Q(n, 1), nil},
		{"2q", bench.Layer2Q(n, 1), nil},
		{"h", bench.HLayer(n), nil},
		{"random", bench.Random(n, 6, 1), nil},
		{"qft", bench.QFT(n), nil},
		{"qcbm", qcbm, qv},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := tc.c.Lower()
			if err != nil {
				t.Fatal(err)
			}
			st, _ := statevector.New(n)
			for i := range l.Instrs {
				in := &l.Instrs[i]
				st.Apply(in.Matrix(tc.vals), in.Targets, in.Controls, in.CtrlState)
			}
			want := st.Amplitudes()
			sim, err := bench.Itsubaki(tc.c, tc.vals)
			if err != nil {
				t.Fatal(err)
			}
			if d := maxDiff(sim.Amplitude(), want); d > 1e-10 {
				t.Errorf("itsubaki differs by %g", d)
			}
			p, _ := statevector.Compile(l, 4)
			if err := p.Bind(tc.vals); err != nil {
				t.Fatal(err)
			}
			fused, _ := statevector.New(n)
			if err := fused.Run(p); err != nil {
				t.Fatal(err)
			}
			if d := maxDiff(fused.Amplitudes(), want); d > 1e-12 {
				t.Errorf("fused program differs by %g", d)
			}
		})
	}
}

// TestQsimGatesAreSquareRoots: the sqrt gates of the random circuits square
// to X, Y and W = (X+Y)/sqrt 2. Born and the itsubaki baseline both take
// their matrices from these definitions, so TestCircuitsMatchItsubaki
// cannot check them.
func TestQsimGatesAreSquareRoots(t *testing.T) {
	r := complex(1/math.Sqrt2, 0)
	for _, tc := range []struct {
		g    *circuit.GateDef
		want circuit.Matrix
	}{
		{bench.SqrtX, circuit.Matrix{0, 1, 1, 0}},
		{bench.SqrtY, circuit.Matrix{0, -1i, 1i, 0}},
		{bench.SqrtW, circuit.Matrix{0, r * (1 - 1i), r * (1 + 1i), 0}},
	} {
		m := tc.g.Matrix(nil)
		if d := maxDiff(circuit.MatMul(m, m), tc.want); d > 1e-12 {
			t.Errorf("%s squared differs from %v by %g", tc.g.Name, tc.want, d)
		}
	}
}

func TestQCBMShape(t *testing.T) {
	c := bench.QCBM(9, 10, bench.BAS33Pairs)
	if len(c.Symbols) != 279 {
		t.Errorf("%d parameters, want 279", len(c.Symbols))
	}
	if c.Symbols[0] != "t0_0_2" || c.Symbols[2] != "t0_1_2" || c.Symbols[18] != "t1_0_1" {
		t.Errorf("parameter order: %v", c.Symbols[:20])
	}
	cx := 0
	for _, op := range c.Ops {
		if op.Gate.Name == "cx" {
			cx++
		}
	}
	if cx != 80 {
		t.Errorf("%d CNOTs, want 80", cx)
	}
}

func TestParseQubits(t *testing.T) {
	got, err := bench.ParseQubits("24, 16,20-22,16")
	if err != nil || len(got) != 5 || got[0] != 16 || got[4] != 24 {
		t.Errorf("ParseQubits = %v, %v", got, err)
	}
	for _, bad := range []string{"x", "3-1", "0", "70", "1.5"} {
		if _, err := bench.ParseQubits(bad); err == nil {
			t.Errorf("ParseQubits(%q) succeeded", bad)
		}
	}
}

// TestRunSmall runs every circuit at a small size and checks the report's
// numbers are filled and consistent, in text and JSON.
func TestRunSmall(t *testing.T) {
	var progress int
	rep, err := bench.Run(bench.Config{
		Qubits: []int{6}, Fuse: -1, MinTime: time.Millisecond, Baseline: true,
		BandwidthQubits: 14, Cycles: 3, Progress: func(bench.Result) { progress++ },
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Results) != 2*len(bench.Circuits) || progress != len(rep.Results) {
		t.Fatalf("%d results, %d progress calls", len(rep.Results), progress)
	}
	for _, r := range rep.Results {
		if r.Error != "" || r.Seconds <= 0 || r.NsPerAmpGate <= 0 || r.Gates == 0 || r.Passes == 0 || r.GBps <= 0 {
			t.Errorf("bad result %+v", r)
		}
		if r.Baseline == nil || r.Baseline.Seconds <= 0 || r.Baseline.Speedup <= 0 {
			t.Errorf("%s: no baseline: %+v", r.Circuit, r.Baseline)
		}
		if r.Circuit == "qcbm" && (r.Qubits != 9 || r.Gradient == nil || r.Gradient.Runs != 559) {
			t.Errorf("qcbm result %+v", r)
		}
		// itsubaki/q's rows that are not like-for-like say so.
		if u := r.Baseline.Unlike; (r.Precision == "single") != strings.Contains(u, "double precision") ||
			(r.Circuit == "random" || r.Circuit == "2q") != strings.Contains(u, "fSim") {
			t.Errorf("%s %s: unlike %q", r.Circuit, r.Precision, u)
		}
	}
	if rep.Kernels != statevector.KernelSet() || rep.Fast != (rep.Kernels != "portable") || rep.Build == "" ||
		len(rep.KernelsAvailable) == 0 || rep.KernelsAvailable[len(rep.KernelsAvailable)-1] != "portable" {
		t.Errorf("report build fields: %q fast=%v %q %v", rep.Kernels, rep.Fast, rep.Build, rep.KernelsAvailable)
	}
	var buf bytes.Buffer
	if err := rep.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var back bench.Report
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil || len(back.Results) != len(rep.Results) {
		t.Fatalf("JSON round trip: %v", err)
	}
	if !strings.Contains(buf.String(), `"ns_per_amp_gate"`) {
		t.Error("JSON lacks ns_per_amp_gate")
	}
	buf.Reset()
	if err := rep.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "ns/amp/gate") || !strings.Contains(buf.String(), "qcbm") ||
		!strings.Contains(buf.String(), "kernels: "+rep.Kernels) || !strings.Contains(buf.String(), "not like-for-like") {
		t.Errorf("text report:\n%s", buf.String())
	}
}

// TestRunRefusesLargeStates: a state over the memory limit is reported
// with the memory it needs, not allocated.
func TestRunRefusesLargeStates(t *testing.T) {
	rep, err := bench.Run(bench.Config{Qubits: []int{31}, Circuits: []string{"h"},
		Precisions: []statevector.Precision{statevector.Single}, MaxMemory: 12 << 30, BandwidthQubits: -1})
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Results[0]
	// The library speaks of its own limit; the CLI names its flag.
	if !strings.Contains(r.Error, "16 GiB") || !strings.Contains(r.Error, "8*2^31") || strings.Contains(r.Error, "--") || r.MemoryNeeded != 16<<30 {
		t.Errorf("error %q, memory needed %d", r.Error, r.MemoryNeeded)
	}
	if _, err := bench.Run(bench.Config{Circuits: []string{"nope"}}); err == nil {
		t.Error("unknown circuit accepted")
	}
}
