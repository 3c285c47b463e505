package bench_test

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"born/bench"
	"born/circuit"
	"born/statevector"
)

// qsimMatrix returns the matrix of a qsim gate as qsim's lib/gates_qsim.h
// defines it (rows of (re, im) pairs), for the gates WriteQsim emits.
func qsimMatrix(name string, params []float64) circuit.Matrix {
	h := 0.5
	is2 := 1 / math.Sqrt2
	pairs := func(v ...float64) circuit.Matrix {
		m := make(circuit.Matrix, len(v)/2)
		for i := range m {
			m[i] = complex(v[2*i], v[2*i+1])
		}
		return m
	}
	switch name {
	case "x_1_2":
		return pairs(h, h, h, -h, h, -h, h, h)
	case "y_1_2":
		return pairs(h, h, -h, -h, h, h, h, h)
	case "hz_1_2":
		return pairs(h, h, 0, -is2, is2, 0, h, h)
	case "fs":
		ct, st := math.Cos(params[0]), math.Sin(params[0])
		cp, sp := math.Cos(params[1]), math.Sin(params[1])
		return pairs(1, 0, 0, 0, 0, 0, 0, 0,
			0, 0, ct, 0, 0, -st, 0, 0,
			0, 0, 0, -st, ct, 0, 0, 0,
			0, 0, 0, 0, 0, 0, cp, -sp)
	}
	return nil
}

// TestWriteQsim: the random circuit written in qsim's format, read back
// with qsim's own gate definitions, gives born's state; times increase on
// every qubit, as qsim's parser requires.
func TestWriteQsim(t *testing.T) {
	const n = 5
	c := bench.Random(n, 6, 3)
	var buf bytes.Buffer
	if err := bench.WriteQsim(&buf, c, nil); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(&buf)
	sc.Scan()
	if sc.Text() != strconv.Itoa(n) {
		t.Fatalf("first line %q, want %d", sc.Text(), n)
	}
	psi := make([]complex128, 1<<n)
	psi[0] = 1
	last := make([]int, n)
	for q := range last {
		last[q] = -1
	}
	gates := 0
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		tm, _ := strconv.Atoi(f[0])
		var qs []int
		var ps []float64
		arity := 1
		if f[1] == "fs" {
			arity = 2
		}
		for _, s := range f[2 : 2+arity] {
			q, _ := strconv.Atoi(s)
			if tm <= last[q] {
				t.Fatalf("line %q: time %d not after %d on qubit %d", sc.Text(), tm, last[q], q)
			}
			last[q] = tm
			qs = append(qs, q)
		}
		for _, s := range f[2+arity:] {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatal(err)
			}
			ps = append(ps, v)
		}
		m := qsimMatrix(f[1], ps)
		if m == nil {
			t.Fatalf("unknown gate in %q", sc.Text())
		}
		// qsim's 2-qubit matrices have their first qubit as the high bit
		// of the index; fSim is symmetric, so the order does not matter.
		circuit.ApplyRef(psi, m, qs, nil, 0)
		gates++
	}
	if gates != len(c.Ops) {
		t.Fatalf("%d gates written, circuit has %d", gates, len(c.Ops))
	}
	l, _ := c.Lower()
	st, _ := statevector.New(n)
	for i := range l.Instrs {
		in := &l.Instrs[i]
		st.Apply(in.Matrix(nil), in.Targets, in.Controls, in.CtrlState)
	}
	if d := maxDiff(st.Amplitudes(), psi); d > 1e-12 {
		t.Errorf("qsim's reading of the file differs from born's state by %g", d)
	}
	bad := circuit.New(1, 0)
	bad.G(circuit.QELib1Gates["h"], 0)
	if err := bench.WriteQsim(&buf, bad, nil); err == nil {
		t.Error("a gate without a qsim name was written")
	}
}

// fakeQsim writes a shell script that answers like qsim_base at verbosity 1
// (or fails) and returns its path.
func fakeQsim(t *testing.T, body string) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("needs a shell")
	}
	p := filepath.Join(t.TempDir(), "qsim_base")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestRunQsim: born bench runs the qsim app on the random circuit, once
// per size, with the threads and each fusion size asked for, and reports
// the ratio and the amplitude check; a failing app is an error in the
// report, not a failed run.
func TestRunQsim(t *testing.T) {
	const n = 4
	c := bench.Random(n, 20, 1)
	l, _ := c.Lower()
	st, _ := statevector.New(n)
	for i := range l.Instrs {
		in := &l.Instrs[i]
		st.Apply(in.Matrix(nil), in.Targets, in.Controls, in.CtrlState)
	}
	var amps strings.Builder
	for i := range 8 {
		a := st.Amplitude(i)
		fmt.Fprintf(&amps, "%03b:%16.8g%16.8g%16.8g\n", i, real(a), imag(a), real(a)*real(a)+imag(a)*imag(a))
	}
	log := filepath.Join(t.TempDir(), "args")
	app := fakeQsim(t, fmt.Sprintf("echo \"$@\" >> %s\necho 'simu time is 0.25 seconds.'\ncat <<EOF\n%sEOF\n", log, amps.String()))
	rep, err := bench.Run(bench.Config{Qubits: []int{n}, Circuits: []string{"random"}, Fuse: -1, Threads: 3,
		MinTime: time.Millisecond, BandwidthQubits: -1, QsimPath: app, QsimFuse: []int{2, 4}, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Results) != 2 {
		t.Fatalf("%d results", len(rep.Results))
	}
	for _, r := range rep.Results {
		q := r.Qsim
		if q == nil || q.Error != "" {
			t.Fatalf("%s: qsim %+v", r.Precision, q)
		}
		if q.Seconds != 0.25 || q.Threads != 3 || math.Abs(q.Ratio-r.Seconds/0.25) > 1e-12 || q.AmpDiff > 1e-6 {
			t.Errorf("%s: qsim %+v, born %g s", r.Precision, q, r.Seconds)
		}
	}
	args, _ := os.ReadFile(log)
	lines := strings.Split(strings.TrimSpace(string(args)), "\n")
	if len(lines) != 4 || !strings.Contains(lines[0], "-t 3 -f 2 -v 1") || !strings.Contains(lines[3], "-t 3 -f 4 -v 1") {
		t.Errorf("qsim called with:\n%s", args)
	}
	var text bytes.Buffer
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "born/qsim") || !strings.Contains(text.String(), "OMP_WAIT_POLICY") {
		t.Errorf("text report:\n%s", text.String())
	}

	broken := fakeQsim(t, "echo 'no such file' >&2\nexit 1\n")
	rep, err = bench.Run(bench.Config{Qubits: []int{n}, Circuits: []string{"random"}, Precisions: []statevector.Precision{statevector.Single},
		MinTime: time.Millisecond, BandwidthQubits: -1, QsimPath: broken})
	if err != nil {
		t.Fatal(err)
	}
	if q := rep.Results[0].Qsim; q == nil || !strings.Contains(q.Error, "no such file") {
		t.Errorf("broken qsim: %+v", q)
	}
}

// TestBandwidthIsAPlainCopy: the probe measures a copy stream of the size
// asked for (no kernel of born's), and gives a plausible figure.
func TestBandwidthIsAPlainCopy(t *testing.T) {
	bw, err := bench.Bandwidth(18, 2, 3)
	if err != nil || bw < 1e8 || bw > 1e13 {
		t.Errorf("Bandwidth = %g B/s, %v", bw, err)
	}
}
