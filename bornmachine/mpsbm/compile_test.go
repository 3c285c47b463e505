package mpsbm

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"strings"
	"testing"

	"born/bornmachine"
	"born/circuit"
	"born/model"
	"born/mps"
	"born/qasm"
	"born/statevector"
)

// runQASM writes c as OpenQASM (version v), reads it back and returns the
// amplitudes of the program run on the state vector.
func runQASM(t *testing.T, c *circuit.Circuit, v int) []complex128 {
	t.Helper()
	src, err := qasm.Format(c, qasm.WriteOptions{Version: v})
	if err != nil {
		t.Fatal(err)
	}
	back, _, err := qasm.Parse("compiled.qasm", src, nil)
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	l, err := back.Lower()
	if err != nil {
		t.Fatal(err)
	}
	sv, err := statevector.New(back.NumQubits)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range l.Instrs {
		sv.Apply(in.Matrix(nil), in.Targets, in.Controls, in.CtrlState)
	}
	return sv.Amplitudes()
}

// TestCompileBondTwoIsExact compiles random MPS of bond dimension at most 2
// (complex and real, with bonds of 1 among them) and checks that the
// circuit, written as OpenQASM 3 and 2, read back and run on the state
// vector, has the MPS's amplitudes (global phase included) and so its
// probabilities to 1e-10.
func TestCompileBondTwoIsExact(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		n       int
		cplx    bool
		product []int // bonds forced to 1
	}{
		{1, true, nil}, {2, true, nil}, {2, false, nil}, {3, true, nil}, {5, false, nil},
		{6, true, []int{3}}, {8, true, []int{1, 6}}, {10, false, nil}, {12, true, nil},
	} {
		t.Run(fmt.Sprintf("n=%d,complex=%v,product=%v", tc.n, tc.cplx, tc.product), func(t *testing.T) {
			var ts []mps.Tensor
			if tc.n == 1 {
				ts = []mps.Tensor{{DL: 1, DR: 1, A: []complex128{complex(r.NormFloat64(), r.NormFloat64()), complex(r.NormFloat64(), r.NormFloat64())}}}
			} else {
				ts = randomTensors(r, tc.n, 2, tc.cplx)
				for _, b := range tc.product { // bond b, between sites b-1 and b, of dimension 1
					l, rt := ts[b-1], ts[b]
					ts[b-1] = mps.Tensor{DL: l.DL, DR: 1, A: l.A[:l.DL*2]}
					ts[b] = mps.Tensor{DL: 1, DR: rt.DR, A: rt.A[:2*rt.DR]}
				}
			}
			want := normalised(bruteAmplitudes(ts))
			s, err := mps.FromTensors(ts, mps.Options{})
			if err != nil {
				t.Fatal(err)
			}
			comp, err := CompileState(s, CompileOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if !comp.Exact || comp.Layers != 1 || math.Abs(comp.Fidelity-1) > 1e-10 {
				t.Fatalf("exact %v, %d layers, fidelity %.15g", comp.Exact, comp.Layers, comp.Fidelity)
			}
			for _, v := range []int{3, 2} {
				got := runQASM(t, comp.Circuit, v)
				for x := range want {
					if cmplx.Abs(got[x]-want[x]) > 1e-10 {
						t.Fatalf("OpenQASM %d: amplitude of %d: circuit %v, MPS %v", v, x, got[x], want[x])
					}
					pg, pw := real(got[x])*real(got[x])+imag(got[x])*imag(got[x]), real(want[x])*real(want[x])+imag(want[x])*imag(want[x])
					if math.Abs(pg-pw) > 1e-10 {
						t.Fatalf("p(%d): circuit %g, MPS %g", x, pg, pw)
					}
				}
			}
			t.Logf("%d gates, %d 2-qubit unitaries", len(comp.Circuit.Ops), comp.Unitaries)
		})
	}
}

func normalised(v []complex128) []complex128 {
	var n2 float64
	for _, c := range v {
		n2 += real(c)*real(c) + imag(c)*imag(c)
	}
	out := make([]complex128, len(v))
	for i, c := range v {
		out[i] = c / complex(math.Sqrt(n2), 0)
	}
	return out
}

// TestCompileFidelity compiles MPS of bond dimension above 2 (random, and
// trained on bars and stripes) with 1 to 4 layers: the reported fidelity
// equals |<mps|circuit>|^2 computed from the OpenQASM 3 program read back
// and run on the state vector, to 1e-10.
func TestCompileFidelity(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	trained, err := Train(context.Background(), "mps:8", mustData(t, "bas:3x3"), nil, DefaultSettings())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		s    *mps.State
	}{
		{"random n=6 chi=4", randomModel(t, r, 6, 4, true).st},
		{"random n=9 chi=8 real", randomModel(t, r, 9, 8, false).st},
		{"bas:3x3 mps:8", trained.Model.st},
	} {
		prev := 0.0
		for _, layers := range []int{1, 2, 4} {
			comp, err := CompileState(tc.s, CompileOptions{Layers: layers})
			if err != nil {
				t.Fatal(err)
			}
			got := runQASM(t, comp.Circuit, 3)
			var ov complex128
			for x, a := range tc.s.Amplitudes() {
				ov += cmplx.Conj(a) * got[x]
			}
			f := real(ov)*real(ov) + imag(ov)*imag(ov)
			t.Logf("%s, up to %d layers: %d kept, fidelity %.6f (tracked %v), %d unitaries", tc.name, layers, comp.Layers, comp.Fidelity, comp.LayerFidelities, comp.Unitaries)
			if comp.Exact || math.Abs(comp.Fidelity-f) > 1e-10 {
				t.Fatalf("%s: reported fidelity %.15g, |<mps|circuit>|^2 = %.15g", tc.name, comp.Fidelity, f)
			}
			if math.Abs(comp.LayerFidelities[comp.Layers-1]-f) > 1e-10 {
				t.Fatalf("%s: tracked fidelity %.15g, |<mps|circuit>|^2 = %.15g", tc.name, comp.LayerFidelities[comp.Layers-1], f)
			}
			if f < prev-1e-12 || f > 1+1e-12 {
				t.Fatalf("%s: fidelity %.6f with up to %d layers, %.6f with fewer", tc.name, f, layers, prev)
			}
			prev = f
		}
	}
	if _, err := CompileState(trained.Model.st, CompileOptions{Layers: -1}); err == nil {
		t.Fatal("negative layer count accepted")
	}
}

// TestFromQCBM: a QCBM's state run on the MPS engine gives an MPS model
// with the QCBM's probabilities to 1e-10 (its circuit has CNOTs between
// distant qubits), which saves, reads back and trains.
func TestFromQCBM(t *testing.T) {
	data := mustData(t, "bas:3x3")
	a, err := bornmachine.ParseAnsatz("qcbm:3", data.Bits, data)
	if err != nil {
		t.Fatal(err)
	}
	q, err := bornmachine.NewAnsatzQCBM(a, nil)
	if err != nil {
		t.Fatal(err)
	}
	q.RandomizeParams(5)
	m, stats, err := FromQCBM(q, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := q.Probabilities()
	got, _ := m.Probabilities()
	brute, _ := bruteProbs(m.st.Tensors())
	for x := range want {
		if math.Abs(got[x]-want[x]) > 1e-10 || math.Abs(brute[x]-want[x]) > 1e-10 {
			t.Fatalf("p(%d): QCBM %g, MPS %g (enumerated %g)", x, want[x], got[x], brute[x])
		}
	}
	if !m.Complex() || stats.DiscardedWeight > 1e-20 {
		t.Fatalf("complex %v, discarded %g", m.Complex(), stats.DiscardedWeight)
	}
	t.Logf("QCBM qcbm:3 on 9 qubits -> MPS with bonds %v (max %d), %d parameters", m.BondDims(), stats.MaxBond, m.NumParams())
	if kl := reloadKL(t, m, data); math.Abs(kl-klOf(data, want)) > 1e-9 {
		t.Fatalf("reloaded KL %g, QCBM's %g", kl, klOf(data, want))
	}
	// Training the converted model lowers its NLL.
	m2, _, err := FromQCBM(q, 16, 0)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := m2.Sweep(1, data, bornmachine.TrainConfig{ObjectiveConfig: model.ObjectiveConfig{Loss: "nll"}, LR: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	if before := klOf(data, want) + data.Entropy(); !(ev.Loss < before) {
		t.Fatalf("NLL %g after a sweep, %g before", ev.Loss, before)
	}
	// With a bond cap the conversion truncates and says so.
	_, st2, err := FromQCBM(q, 2, 0)
	if err != nil || st2.MaxBond > 2 || !(st2.DiscardedWeight > 0) {
		t.Fatalf("cap 2: %+v, %v", st2, err)
	}
}

// TestModelQASM writes model files of both circuit families as OpenQASM.
func TestModelQASM(t *testing.T) {
	data := mustData(t, "bas:2x2")
	// MPS, bond 2: exact.
	r, err := Train(context.Background(), "mps:2", data, nil, DefaultSettings())
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []int{0, 2, 3} {
		src, comp, err := ModelQASM(modelFile(t, r.Model), v, CompileOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if comp == nil || !comp.Exact || math.Abs(comp.Fidelity-1) > 1e-10 {
			t.Fatalf("report %+v", comp)
		}
		head := "OPENQASM 3"
		if v == 2 {
			head = "OPENQASM 2.0"
		}
		if !strings.HasPrefix(string(src), head) {
			t.Fatalf("version %d: %.40q", v, src)
		}
		checkProgram(t, src, r.Model)
	}
	var buf bytes.Buffer
	if err := r.Model.WriteQASM(&buf); err != nil {
		t.Fatal(err)
	}
	checkProgram(t, buf.Bytes(), r.Model)
	// QCBM: its circuit with the parameters bound.
	a, _ := bornmachine.ParseAnsatz("qcbm:2", 4, data)
	q, _ := bornmachine.NewAnsatzQCBM(a, nil)
	q.RandomizeParams(3)
	src, comp, err := ModelQASM(modelFile(t, q), 3, CompileOptions{})
	if err != nil || comp != nil {
		t.Fatalf("%v, %v", err, comp)
	}
	checkProgram(t, src, q)
	if _, _, err := ModelQASM(strings.NewReader("{}"), 3, CompileOptions{}); err == nil {
		t.Fatal("an empty object was accepted")
	}
}

func modelFile(t *testing.T, m model.Model) *bytes.Reader {
	t.Helper()
	mf, err := bornmachine.NewModelFile(m)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(mf)
	return bytes.NewReader(raw)
}

// checkProgram runs an OpenQASM program on the state vector and compares
// its probabilities with the model's.
func checkProgram(t *testing.T, src []byte, m model.Model) {
	t.Helper()
	c, _, err := qasm.Parse("model.qasm", src, nil)
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	l, _ := c.Lower()
	sv, _ := statevector.New(c.NumQubits)
	for _, in := range l.Instrs {
		sv.Apply(in.Matrix(nil), in.Targets, in.Controls, in.CtrlState)
	}
	got := sv.Probabilities()
	want, _ := m.Probabilities()
	for x := range want {
		if math.Abs(got[x]-want[x]) > 1e-10 {
			t.Fatalf("p(%d): program %g, model %g", x, got[x], want[x])
		}
	}
}
