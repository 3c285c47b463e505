package sim_test

import (
	"bytes"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"born/circuit"
	"born/internal/testguard"
	"born/mps"
	"born/qasm"
	"born/sim"
	"born/statevector"
)

// The fuzz targets below run what `born run` does with a program: read it
// with a qubit limit (qasm.Options.MaxTouched), lower it under the
// lowering's budget (circuit.MaxInstrs, which the reader enforces too),
// keep the qubits it touches (sim.Compact), and simulate it on the
// state-vector engine and on the MPS engine. The budgets are the CLI's
// mechanisms with smaller limits, so that every execution takes
// milliseconds:
const (
	fuzzMaxBytes  = 4 << 10  // longer inputs are skipped
	fuzzMaxQubits = 10       // MaxTouched: the most qubits a program may act on
	fuzzMaxInstrs = 1 << 14  // circuit.MaxInstrs while fuzzing (and the reader's MaxOps)
	fuzzMPSInstrs = 1 << 11  // the MPS engine runs circuits of at most this many instructions
	fuzzBranches  = 64       // sim.Exact's branch limit
	fuzzMaxAlloc  = 64 << 20 // bytes one execution may allocate in all
	fuzzMaxCPU    = 2 * time.Second
)

// fuzzFiles are the files a fuzzed program can include (besides the
// built-in qelib1.inc and stdgates.inc); a name under /dev/ goes to the
// reader's own ReadSource, which must refuse devices.
var fuzzFiles = map[string]string{
	"lib.inc":  "gate g(t) a { U(t, 0, 0) a; }\ngate h2 a, b { h a; cx a, b; }\n",
	"self.inc": "include \"self.inc\";\n",
	"bad.inc":  "gate oops a { x a[0]; }\n",
}

func fuzzRead(name string) ([]byte, error) {
	if s, ok := fuzzFiles[name]; ok {
		return []byte(s), nil
	}
	if strings.HasPrefix(name, "/dev/") {
		return qasm.ReadSource(name, fuzzMaxBytes)
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// addFuzzSeeds adds the files matching pattern of at most fuzzMaxBytes to
// the corpus, and reports how many it added.
func addFuzzSeeds(f *testing.F, pattern string) int {
	files, err := filepath.Glob(pattern)
	if err != nil {
		f.Fatal(err)
	}
	n := 0
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		if len(data) <= fuzzMaxBytes {
			f.Add(data)
			n++
		}
	}
	return n
}

// fuzzSetup sets circuit.MaxInstrs to the fuzzing budget for the target's
// duration and adds the seeds: the reader's seed programs in ../qasm
// (seedDirs), and with corpus the OpenQASM corpus in $BORN_QASM_CORPUS
// when it is set (not committed
// here: its files keep their own licences). The committed corpus in
// testdata/fuzz/<target> holds the hostile inputs of issue 14 in small
// versions and real programs written for it.
func fuzzSetup(f *testing.F, corpus bool, seedDirs ...string) {
	old := circuit.MaxInstrs
	circuit.MaxInstrs = fuzzMaxInstrs
	f.Cleanup(func() { circuit.MaxInstrs = old })
	for _, d := range seedDirs {
		if addFuzzSeeds(f, filepath.Join("..", "qasm", "testdata", d, "*.qasm")) == 0 {
			f.Fatalf("no seeds in ../qasm/testdata/%s", d)
		}
	}
	if dir := os.Getenv("BORN_QASM_CORPUS"); corpus && dir != "" {
		addFuzzSeeds(f, filepath.Join(dir, "*.qasm"))
	}
}

// FuzzLowerSimulate2 reads, lowers and simulates OpenQASM 2 programs (seeds:
// ../qasm/testdata/seeds and testdata/fuzz/FuzzLowerSimulate2); see
// lowerSimulate for what it checks.
func FuzzLowerSimulate2(f *testing.F) {
	fuzzSetup(f, true, "seeds")
	f.Fuzz(lowerSimulate)
}

// FuzzLowerSimulate3 is FuzzLowerSimulate2 for OpenQASM 3 (seeds:
// ../qasm/testdata/seeds3 and testdata/fuzz/FuzzLowerSimulate3).
func FuzzLowerSimulate3(f *testing.F) {
	fuzzSetup(f, true, "seeds3")
	f.Fuzz(lowerSimulate)
}

// lowerSimulate checks, for any source of at most fuzzMaxBytes, that no
// step panics, that the work is bounded (at most fuzzMaxAlloc bytes
// allocated and fuzzMaxCPU of CPU time, by testguard; the qubit and
// instruction limits held), and:
//   - the reader returns positioned errors inside the sources, or a circuit
//     that lowers (the reader refuses what the lowering would);
//   - binding the parameters into the circuit (as born run does) gives
//     the same distributions as passing their values to the simulator;
//   - the exact distributions (sim.Exact) of the classical register and of
//     the final basis states sum to 1 within 1e-9 on the state-vector
//     engine, and the MPS engine (bond dimension 2^(n/2): exact) gives the
//     same ones within 1e-9;
//   - shots (sim.Counts, sim.Shots) add up to the number asked for and only
//     fall on outcomes of positive probability, also for 2^40 shots when
//     the measurements are terminal.
func lowerSimulate(t *testing.T, src []byte) {
	if len(src) > fuzzMaxBytes {
		return
	}
	testguard.Within(t, "lowerSimulate", fuzzMaxCPU, fuzzMaxAlloc, func() { lowerSimulate1(t, src) })
}

func lowerSimulate1(t *testing.T, src []byte) {
	opts := &qasm.Options{ReadFile: fuzzRead, MaxOps: fuzzMaxInstrs,
		MaxTouched: fuzzMaxQubits, MaxTouchedReason: "the fuzzer's limit"}
	c, warns, err := qasm.Parse("fuzz.qasm", src, opts)
	for _, w := range warns {
		checkFuzzPos(t, w.Pos, src)
	}
	if err != nil {
		var list qasm.ErrorList
		if c != nil || !errors.As(err, &list) || len(list) == 0 {
			t.Fatalf("error %T (circuit %v): %v", err, c != nil, err)
		}
		for _, e := range list {
			checkFuzzPos(t, e.Pos, src)
			if e.Msg == "" {
				t.Fatalf("empty message at %v", e.Pos)
			}
		}
		return
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("invalid circuit: %v", err)
	}
	if k := sim.TouchedAtLeast(c); k > fuzzMaxQubits {
		t.Fatalf("the program touches at least %d qubits, more than MaxTouched %d", k, fuzzMaxQubits)
	}
	l, err := c.Lower()
	if err != nil {
		t.Fatalf("the reader accepted a circuit that does not lower: %v", err)
	}
	if len(l.Instrs) > fuzzMaxInstrs {
		t.Fatalf("%d instructions, more than MaxInstrs %d", len(l.Instrs), fuzzMaxInstrs)
	}
	l, used := sim.Compact(l)
	n := len(used)
	if l.NumQubits != n {
		t.Fatalf("compacted to %d qubits (%d used)", l.NumQubits, n)
	}
	if n > fuzzMaxQubits {
		// The reader's limit counts the qubits of built-in gates,
		// measurements and resets only (a user gate may leave some of its
		// qubits alone), so user gates can take the lowering past it; born
		// run refuses such a program after compacting (checkRunSize), as
		// the fuzzer does here (the corpus's oq2_bigadder: 18 qubits).
		return
	}
	vals := make([]float64, l.NumSymbols)
	for i := range vals {
		vals[i] = 0.3 + 0.7*float64(i)
	}

	newSV := func(n int) (*statevector.State, error) { return statevector.NewVectorWithin[float64](n, 1<<20) }
	if l.NumClbits > 64 {
		// Wide registers: only shots, keyed by strings.
		counts, err := sim.Shots(newSV, l, vals, 100, 1, nil)
		if err != nil {
			checkSimError(t, err)
			return
		}
		total := 0
		for k, v := range counts {
			if len(k) != l.NumClbits || v <= 0 {
				t.Fatalf("key of %d bits (register %d), count %d", len(k), l.NumClbits, v)
			}
			total += v
		}
		if total != 100 {
			t.Fatalf("%d shots counted, 100 asked for", total)
		}
		return
	}
	cl, probs, err := sim.Exact(newSV, l, vals, fuzzBranches)
	if err != nil {
		checkSimError(t, err)
		return
	}
	checkDist(t, "statevector classical", cl)
	checkProbs(t, "statevector", probs, 1<<n)
	if len(c.Symbols) > 0 {
		// born run binds --param values into the circuit before lowering:
		// the same distributions as values passed to the simulator.
		bound, err := c.Bind(vals)
		if err != nil {
			if !strings.Contains(err.Error(), "finite") {
				t.Fatalf("binding %v: %v", vals, err)
			}
		} else {
			bl, err := bound.Lower()
			if err != nil {
				t.Fatalf("the bound circuit does not lower: %v", err)
			}
			bl, _ = sim.Compact(bl)
			bcl, bprobs, err := sim.Exact(newSV, bl, nil, fuzzBranches)
			if err != nil {
				t.Fatalf("the circuit ran with values, not bound: %v", err)
			}
			if len(bprobs) != len(probs) {
				t.Fatalf("bound, the circuit touches %d qubits; %d with values", bl.NumQubits, n)
			}
			for i := range probs {
				if d := math.Abs(probs[i] - bprobs[i]); d > 1e-9 {
					t.Fatalf("P(%b): with values %.15g, bound %.15g", i, probs[i], bprobs[i])
				}
			}
			for k, p := range cl {
				if d := math.Abs(p - bcl[k]); d > 1e-9 {
					t.Fatalf("classical %b: with values %.15g, bound %.15g", k, p, bcl[k])
				}
			}
		}
	}

	// born run runs a program without qubits on the state vector (an MPS
	// needs a site).
	if n > 0 && len(l.Instrs) <= fuzzMPSInstrs {
		newMPS := func(n int) (*mps.State, error) { return mps.New(n, mps.Options{MaxBond: 1 << (n / 2)}) }
		mcl, mprobs, err := sim.Exact(newMPS, l, vals, fuzzBranches)
		if err != nil {
			t.Fatalf("the state-vector engine ran the circuit, the MPS engine: %v", err)
		}
		checkProbs(t, "mps", mprobs, 1<<n)
		for i := range probs {
			if d := math.Abs(probs[i] - mprobs[i]); d > 1e-9 {
				t.Fatalf("P(%b): statevector %.15g, mps %.15g", i, probs[i], mprobs[i])
			}
		}
		for k, p := range cl {
			if d := math.Abs(p - mcl[k]); d > 1e-9 {
				t.Fatalf("classical %b: statevector %.15g, mps %.15g", k, p, mcl[k])
			}
		}
		for k, p := range mcl {
			if _, ok := cl[k]; !ok && p > 1e-9 {
				t.Fatalf("classical %b: statevector 0, mps %.15g", k, p)
			}
		}
	}

	shots := 1000
	if _, ok := sim.TerminalMeasurements(l); ok {
		shots = 1 << 40 // one multinomial draw
	}
	counts, err := sim.Counts(newSV, l, vals, shots, 7)
	if err != nil {
		t.Fatalf("Exact ran the circuit, Counts of %d shots: %v", shots, err)
	}
	total := 0
	for k, v := range counts {
		if v <= 0 || cl[k] == 0 {
			t.Fatalf("outcome %b counted %d times, probability %g", k, v, cl[k])
		}
		total += v
	}
	if total != shots {
		t.Fatalf("%d shots counted, %d asked for", total, shots)
	}
}

// checkSimError accepts the errors a valid circuit may meet in the
// simulator under the fuzzing budgets: too many branches for Exact, too many
// shots run one at a time.
func checkSimError(t *testing.T, err error) {
	t.Helper()
	var be *sim.BranchError
	if errors.As(err, &be) {
		return
	}
	t.Fatalf("simulation: %v", err)
}

// checkDist checks that a distribution's values are probabilities summing
// to 1 within 1e-9.
func checkDist(t *testing.T, what string, d map[uint64]float64) {
	t.Helper()
	sum := 0.0
	for k, p := range d {
		if !(p >= 0 && p <= 1+1e-9) {
			t.Fatalf("%s: P(%b) = %g", what, k, p)
		}
		sum += p
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Fatalf("%s: probabilities sum to %.15g", what, sum)
	}
}

func checkProbs(t *testing.T, what string, p []float64, size int) {
	t.Helper()
	if len(p) != size {
		t.Fatalf("%s: %d probabilities for %d basis states", what, len(p), size)
	}
	d := map[uint64]float64{}
	for i, v := range p {
		d[uint64(i)] = v
	}
	checkDist(t, what, d)
}

// checkFuzzPos checks that a position is inside the source it names.
func checkFuzzPos(t *testing.T, pos qasm.Pos, src []byte) {
	t.Helper()
	if pos.Line < 1 || pos.Col < 1 {
		t.Fatalf("bad position %v", pos)
	}
	switch {
	case pos.File == "fuzz.qasm":
	case fuzzFiles[pos.File] != "":
		src = []byte(fuzzFiles[pos.File])
	default:
		t.Fatalf("position in unknown file %v", pos)
	}
	lines := bytes.Split(src, []byte("\n"))
	if pos.Line > len(lines) {
		t.Fatalf("position %v beyond the last line %d", pos, len(lines))
	}
	line := lines[pos.Line-1]
	if pos.Col > len(line)+1 {
		t.Fatalf("position %v beyond the end of its line (%d bytes)", pos, len(line))
	}
}
