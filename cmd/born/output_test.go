package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"text/tabwriter"

	"born/circuit"
	"born/mps"
	"born/qasm"
	"born/sim"
	"born/statevector"
)

// The streamed outputs must be byte for byte what born printed when it
// built the whole table (text/tabwriter) or map (encoding/json) in memory.
// The legacy* functions below are that earlier code path, kept here as the
// reference.

func legacyProbs(w io.Writer, format string, lay *qubitLayout, probs []float64, acc *mpsAccount) error {
	n := lay.bits()
	if format == "json" {
		m := map[string]float64{}
		for i, p := range probs {
			if p > probFloor {
				m[circuit.FormatBits(lay.index(uint64(i)), n)] = p
			}
		}
		return writeJSON(w, struct {
			Qubits        int                `json:"qubits"`
			BitOrder      []string           `json:"bit_order"`
			Probabilities map[string]float64 `json:"probabilities"`
			engineStats
		}{n, lay.order(), m, acc.json()})
	}
	fmt.Fprintf(w, "# exact probabilities of qubits %s (entries above %g)\n", lay.header, probFloor)
	fmt.Fprint(w, lay.note, acc.text())
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	for i, p := range probs {
		if p > probFloor {
			fmt.Fprintf(tw, "%s\t%.12f\t\n", circuit.FormatBits(lay.index(uint64(i)), n), p)
		}
	}
	return tw.Flush()
}

func legacyAmps(w io.Writer, format string, lay *qubitLayout, states []string, amps []complex128, acc *mpsAccount) error {
	n := lay.bits()
	name := func(i int) string {
		if states != nil {
			return states[i]
		}
		return circuit.FormatBits(lay.index(uint64(i)), n)
	}
	keep := func(a complex128) bool {
		return states != nil || real(a)*real(a)+imag(a)*imag(a) > probFloor*probFloor
	}
	if format == "json" {
		m := map[string][2]float64{}
		for i, a := range amps {
			if keep(a) {
				m[name(i)] = [2]float64{real(a), imag(a)}
			}
		}
		return writeJSON(w, struct {
			Qubits     int                   `json:"qubits"`
			BitOrder   []string              `json:"bit_order"`
			Amplitudes map[string][2]float64 `json:"amplitudes"`
			engineStats
		}{n, lay.order(), m, acc.json()})
	}
	fmt.Fprintf(w, "# amplitudes of qubits %s (global phase included)\n", lay.header)
	fmt.Fprint(w, lay.note, acc.text())
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "state\tre\tim\t|a|^2\t\n")
	for i, a := range amps {
		if keep(a) {
			p := real(a)*real(a) + imag(a)*imag(a)
			fmt.Fprintf(tw, "%s\t%+.12f\t%+.12f\t%.12f\t\n", name(i), real(a), imag(a), p)
		}
	}
	return tw.Flush()
}

func legacyCounts(w io.Writer, format string, qubits, nbits int, order []string, what, note string, shots int, seed uint64,
	keys []string, labels map[string]string, counts map[string]int, acc *mpsAccount) error {
	if format == "json" {
		m := make(map[string]int, len(counts))
		for _, k := range keys {
			m[labels[k]] = counts[k]
		}
		return writeJSON(w, struct {
			Qubits   int            `json:"qubits"`
			Clbits   int            `json:"clbits"`
			BitOrder []string       `json:"bit_order"`
			Shots    int            `json:"shots"`
			Seed     uint64         `json:"seed"`
			Counts   map[string]int `json:"counts"`
			engineStats
		}{qubits, nbits, order, shots, seed, m, acc.json()})
	}
	fmt.Fprintf(w, "# %d shots, seed %d; %s\n", shots, seed, what)
	fmt.Fprint(w, note)
	fmt.Fprint(w, acc.text())
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	for _, k := range keys {
		fmt.Fprintf(tw, "%s\t%d\t%.4f\t\n", labels[k], counts[k], float64(counts[k])/float64(shots))
	}
	return tw.Flush()
}

// awkward are values whose formatting has edge cases: signed zeros, the
// exponent-form thresholds of encoding/json, rounding across a power of ten
// at 12 and 4 decimals, subnormals, large magnitudes.
var awkward = []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 1e-14, 1.0000000000001e-14, 5e-13, 4.9999999999e-13,
	1e-6, 9.99999999e-7, 1e-7, -1e-7, 1.5e-9, 2.2250738585072014e-308, 5e-324, 9.49999999999, 9.4999999999999,
	9.5, 9.9999999999996, 9.99996, 99.99999999999951, 12345.678, 1e20, 1e21, -1e21, 1.7976931348623157e308,
	0.1, 0.7071067811865476, 0.5000000000000001, 0.99999999999995, 0.99995, 1 / 3.0, math.Pi, -math.E}

func TestFormatHelpersMatchFmtAndJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	vals := append([]float64(nil), awkward...)
	for range 20000 {
		x := math.Ldexp(r.Float64(), r.IntN(120)-100)
		if r.IntN(2) == 0 {
			x = -x
		}
		vals = append(vals, x, math.Float64frombits(r.Uint64()))
	}
	vals = append(vals, math.Inf(1), math.Inf(-1), math.NaN())
	for _, x := range vals {
		for _, prec := range []int{4, 12} {
			for _, plus := range []bool{false, true} {
				verb := "%." + strconv.Itoa(prec) + "f"
				if plus {
					verb = "%+." + strconv.Itoa(prec) + "f"
				}
				want := fmt.Sprintf(verb, x)
				if got := string(appendFixed(nil, x, prec, plus)); got != want {
					t.Fatalf("appendFixed(%v, %d, %v) = %q, fmt %q gives %q", x, prec, plus, got, verb, want)
				}
				if got := fixedWidth(x, prec, plus); got != len(want) {
					t.Fatalf("fixedWidth(%v, %d, %v) = %d, want %d (%q)", x, prec, plus, got, len(want), want)
				}
			}
		}
		want, err := json.Marshal(x)
		if cerr := checkJSONFloat(x); (cerr == nil) != (err == nil) || (err != nil && cerr.Error() != err.Error()) {
			t.Fatalf("checkJSONFloat(%v) = %v, encoding/json says %v", x, cerr, err)
		}
		if err == nil {
			if got := string(appendJSONFloat(nil, x)); got != string(want) {
				t.Fatalf("appendJSONFloat(%v) = %s, encoding/json gives %s", x, got, want)
			}
		}
	}
	for _, s := range []string{"0101", "0 1", "", "a\"b", "<&>", "é", "\x01"} {
		want, _ := json.Marshal(s)
		if got := string(appendJSONString(nil, []byte(s))); got != string(want) {
			t.Fatalf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	}
	if got := string(appendBits(nil, 0b1011, 6)); got != circuit.FormatBits(0b1011, 6) {
		t.Fatalf("appendBits = %q", got)
	}
}

// randomProbs returns n-qubit test vectors with awkward values mixed in.
func randomOutputs(r *rand.Rand, n int) ([]float64, []complex128) {
	probs := make([]float64, 1<<n)
	amps := make([]complex128, 1<<n)
	for i := range probs {
		switch r.IntN(4) {
		case 0:
			probs[i] = awkward[r.IntN(len(awkward))]
			amps[i] = complex(awkward[r.IntN(len(awkward))], awkward[r.IntN(len(awkward))])
		case 1:
			probs[i] = 0 // dropped
		default:
			probs[i] = r.Float64() / float64(len(probs))
			amps[i] = complex(r.NormFloat64()/4, r.NormFloat64()/4)
		}
	}
	return probs, amps
}

// testLayouts returns qubit layouts that simulate k qubits: all qubits of
// two registers, k of more declared qubits (the rest idle), and k
// physical qubits.
func testLayouts(r *rand.Rand, k int) []*qubitLayout {
	all := &circuit.Circuit{NumQubits: k}
	all.QRegs = []circuit.Register{{Name: "a", Start: 0, Size: (k + 1) / 2}}
	if k/2 > 0 {
		all.QRegs = append(all.QRegs, circuit.Register{Name: "b", Start: (k + 1) / 2, Size: k / 2})
	}
	used := make([]int, k)
	for i := range used {
		used[i] = i
	}
	idle := &circuit.Circuit{NumQubits: k + 3, QRegs: []circuit.Register{{Name: "q", Start: 0, Size: k + 3}}}
	sub := r.Perm(k + 3)[:k]
	sort.Ints(sub)
	phys := &circuit.Circuit{NumQubits: 128, QRegs: []circuit.Register{{Name: "$", Start: 0, Size: 128}}}
	physUsed := r.Perm(128)[:k]
	sort.Ints(physUsed)
	return []*qubitLayout{newQubitLayout(all, used), newQubitLayout(idle, sub), newQubitLayout(phys, physUsed)}
}

func TestStreamedOutputMatchesLegacy(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	mpsAcc := &mpsAccount{seen: true, stats: mps.Stats{MaxBond: 7, DiscardedWeight: 1.25e-9, FidelityEstimate: 0.9999999987}}
	for _, k := range []int{1, 2, 3, 5, 8} {
		for li, lay := range testLayouts(r, k) {
			for _, acc := range []*mpsAccount{nil, mpsAcc} {
				probs, amps := randomOutputs(r, k)
				for _, format := range []string{"text", "json"} {
					name := fmt.Sprintf("k=%d/layout %d/%s/mps=%v", k, li, format, acc != nil)
					opts := &runOptions{format: format}
					compare := func(what string, got, want func(w io.Writer) error) {
						t.Helper()
						var g, w bytes.Buffer
						gerr, werr := got(&g), want(&w)
						if (gerr == nil) != (werr == nil) || (gerr != nil && gerr.Error() != werr.Error()) {
							t.Fatalf("%s %s: error %v, legacy %v", name, what, gerr, werr)
						}
						if gerr == nil && g.String() != w.String() {
							t.Fatalf("%s %s: streamed output differs from legacy\n--- streamed\n%s\n--- legacy\n%s", name, what, g.String(), w.String())
						}
					}
					compare("probs", func(w io.Writer) error { opts.out = w; return printProbs(opts, lay, probs, acc) },
						func(w io.Writer) error { return legacyProbs(w, format, lay, probs, acc) })
					compare("amps", func(w io.Writer) error { opts.out = w; return printAmps(opts, lay, nil, amps, acc) },
						func(w io.Writer) error { return legacyAmps(w, format, lay, nil, amps, acc) })
					// Named states: repeated, unsorted, all kept.
					var states []string
					var named []complex128
					for range 6 {
						i := r.IntN(1 << k)
						states = append(states, circuit.FormatBits(lay.index(uint64(i)), lay.bits()))
						named = append(named, amps[i])
					}
					states = append(states, states[0])
					named = append(named, named[0])
					compare("named amps", func(w io.Writer) error { opts.out = w; return printAmps(opts, lay, states, named, acc) },
						func(w io.Writer) error { return legacyAmps(w, format, lay, states, named, acc) })
					// Non-finite values: the same error, nothing written.
					bad := append([]float64(nil), probs...)
					bad[len(bad)-1] = math.Inf(1)
					compare("probs +Inf", func(w io.Writer) error { opts.out = w; return printProbs(opts, lay, bad, acc) },
						func(w io.Writer) error { return legacyProbs(w, format, lay, bad, acc) })
				}
			}
		}
	}
	// Counts over one and several classical registers.
	for _, regs := range [][]int{{1}, {6}, {1, 5}, {2, 1, 3}} {
		for _, format := range []string{"text", "json"} {
			var names []string
			nbits := 0
			for _, size := range regs {
				for j := 0; j < size; j++ {
					names = append(names, fmt.Sprintf("c%d[%d]", len(regs), j))
				}
				nbits += size
			}
			counts := map[string]int{}
			labels := map[string]string{}
			shots := 0
			for range 1 + r.IntN(40) {
				k := circuit.FormatBits(r.Uint64N(1<<nbits), nbits)
				v := 1 + r.IntN(1+r.IntN(200000))
				counts[k] += v
				shots += v
				labels[k] = k[:1] + " " + k[1:]
			}
			keys := make([]string, 0, len(counts))
			for k := range counts {
				keys = append(keys, k)
			}
			sort.Slice(keys, func(i, j int) bool { return labels[keys[i]] < labels[keys[j]] })
			for _, acc := range []*mpsAccount{nil, mpsAcc} {
				opts := &runOptions{format: format, shots: shots, seed: 42}
				var g, w bytes.Buffer
				opts.out = &g
				if err := writeCounts(opts, 9, nbits, names, "classical bits c[1] c[0]...", "# a note\n", keys, labels, counts, acc); err != nil {
					t.Fatal(err)
				}
				if err := legacyCounts(&w, format, 9, nbits, names, "classical bits c[1] c[0]...", "# a note\n", shots, 42, keys, labels, counts, acc); err != nil {
					t.Fatal(err)
				}
				if g.String() != w.String() {
					t.Fatalf("counts %v %s: streamed output differs from legacy\n--- streamed\n%s\n--- legacy\n%s", regs, format, g.String(), w.String())
				}
			}
		}
	}
}

// heapSink discards what is written to it and samples the live heap and
// the bytes allocated so far at every write (born's one buffered writer
// writes 64 KiB at a time).
type heapSink struct {
	writes              int
	bytes               int64
	firstHeap, maxHeap  uint64
	firstAlloc, lastAll uint64
}

func (h *heapSink) Write(p []byte) (int, error) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if h.writes == 0 {
		h.firstHeap, h.firstAlloc = ms.HeapAlloc, ms.TotalAlloc
	}
	h.maxHeap = max(h.maxHeap, ms.HeapAlloc)
	h.lastAll = ms.TotalAlloc
	h.writes++
	h.bytes += int64(len(p))
	return len(p), nil
}

const bigPrintQubits = 20

// bigPrintCircuit is a 20-qubit circuit without measurement whose
// probabilities are all different and span many orders of magnitude.
func bigPrintCircuit() string {
	var b strings.Builder
	fmt.Fprintf(&b, "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[%d];\n", bigPrintQubits)
	for q := 0; q < bigPrintQubits; q++ {
		fmt.Fprintf(&b, "h q[%d];\nry(%g) q[%d];\n", q, 0.1+0.13*float64(q), q)
	}
	for q := 0; q+1 < bigPrintQubits; q++ {
		fmt.Fprintf(&b, "cx q[%d], q[%d];\n", q, q+1)
	}
	for q := 0; q < bigPrintQubits; q++ {
		fmt.Fprintf(&b, "rz(%g) q[%d];\nrx(%g) q[%d];\n", 0.3*float64(q), q, 0.02*float64(q), q)
	}
	return b.String()
}

// TestRunPrintsLargeOutputInBoundedMemory prints --output probs (and amps)
// for a 20-qubit state: 2^20 lines, about 40 MB of text. While printing,
// the live heap may grow by less than 4 MiB and at most 4 MiB may be
// allocated in all (the state and probabilities exist before the first
// byte is written, so they are not counted).
func TestRunPrintsLargeOutputInBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("prints 2^20 lines")
	}
	src := bigPrintCircuit()
	for _, args := range [][]string{
		{"--output", "probs", "--format", "text"},
		{"--output", "probs", "--format", "json"},
		{"--output", "amps", "--format", "text"},
		{"--output", "amps", "--format", "json"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			sink := &heapSink{}
			root := newRootCmd(strings.NewReader(src), sink, io.Discard)
			root.SetArgs(append([]string{"run", "-"}, args...))
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			if err := root.Execute(); err != nil {
				t.Fatal(err)
			}
			runtime.ReadMemStats(&after)
			// The state and one dense result vector (probabilities, or a copy
			// of the amplitudes) take at most 32 B per basis state; anything
			// held per printed line would come on top.
			whole, dense := after.TotalAlloc-before.TotalAlloc, uint64(32)<<bigPrintQubits
			const limit = 4 << 20
			grow, alloc := sink.maxHeap-sink.firstHeap, sink.lastAll-sink.firstAlloc
			t.Logf("%d bytes in %d writes; heap growth %d B, allocated %d B while printing, %d B in all", sink.bytes, sink.writes, grow, alloc, whole)
			if sink.bytes < 1<<bigPrintQubits*30 {
				t.Fatalf("only %d bytes printed", sink.bytes)
			}
			if grow > limit || alloc > limit {
				t.Fatalf("printing grew the heap by %d B and allocated %d B; want both under %d", grow, alloc, limit)
			}
			if whole > dense+limit {
				t.Fatalf("the command allocated %d B; the state and result take %d B, so printing took %d B, want under %d", whole, dense, whole-dense, limit)
			}
		})
	}
	// Control: the same measure catches a printer that builds the output in
	// memory first (the earlier JSON path), already at 16 qubits.
	t.Run("control", func(t *testing.T) {
		probs := make([]float64, 1<<16)
		for i := range probs {
			probs[i] = 1 / float64(len(probs))
		}
		lay := testLayouts(rand.New(rand.NewPCG(1, 1)), 16)[0]
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		if err := legacyProbs(io.Discard, "json", lay, probs, nil); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		if a := after.TotalAlloc - before.TotalAlloc; a < 4<<20 {
			t.Fatalf("the in-memory printer allocated only %d B: the measure cannot tell it apart", a)
		}
		opts := &runOptions{format: "json", out: io.Discard}
		runtime.ReadMemStats(&before)
		if err := printProbs(opts, lay, probs, nil); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		if a := after.TotalAlloc - before.TotalAlloc; a > 1<<20 {
			t.Fatalf("the streaming printer allocated %d B for 2^16 lines", a)
		}
	})
}

// TestRunLargeProbsParseBack checks the printed values of the 20-qubit
// state against the engine: JSON reads back to exactly the float64
// probabilities that the state-vector engine computes, text to the same
// values rounded to its 12 decimals, and both list exactly the basis states
// above the floor, in index order.
func TestRunLargeProbsParseBack(t *testing.T) {
	if testing.Short() {
		t.Skip("prints 2^20 lines")
	}
	src := bigPrintCircuit()
	c, _, err := qasm.Parse("big.qasm", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	l, err := c.Lower()
	if err != nil {
		t.Fatal(err)
	}
	_, probs, err := sim.ExactObserve(func(n int) (*statevector.State, error) { return statevector.New(n) }, l, nil, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	var want []int // indices printed
	for i, p := range probs {
		if p > probFloor {
			want = append(want, i)
		}
	}
	if len(want) < 1<<(bigPrintQubits-1) || len(want) == len(probs) {
		t.Fatalf("%d of %d probabilities above the floor: the test wants both kinds", len(want), len(probs))
	}

	out, _, err := runBorn(t, src, "run", "-", "--output", "probs", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Qubits        int                        `json:"qubits"`
		Probabilities map[string]json.RawMessage `json:"probabilities"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("invalid JSON: %v", err)
	}
	if doc.Qubits != bigPrintQubits || len(doc.Probabilities) != len(want) {
		t.Fatalf("qubits %d, %d probabilities; want %d, %d", doc.Qubits, len(doc.Probabilities), bigPrintQubits, len(want))
	}
	for _, i := range want {
		raw, ok := doc.Probabilities[circuit.FormatBits(uint64(i), bigPrintQubits)]
		if !ok {
			t.Fatalf("state %d missing", i)
		}
		v, err := strconv.ParseFloat(string(raw), 64)
		if err != nil || v != probs[i] {
			t.Fatalf("state %d: JSON %s reads back as %v (%v), engine %v", i, raw, v, err, probs[i])
		}
	}
	// Keys in index order: the first key of each member follows the last.
	if i0, i1 := strings.Index(out, circuit.FormatBits(uint64(want[0]), bigPrintQubits)), strings.Index(out, circuit.FormatBits(uint64(want[len(want)-1]), bigPrintQubits)); i0 > i1 {
		t.Fatal("JSON members not in index order")
	}

	out, _, err = runBorn(t, src, "run", "-", "--output", "probs")
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(strings.NewReader(out))
	if !sc.Scan() || !strings.HasPrefix(sc.Text(), "# exact probabilities") {
		t.Fatalf("header %q", sc.Text())
	}
	k := 0
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 2 || k >= len(want) {
			t.Fatalf("line %d: %q", k, sc.Text())
		}
		i := want[k]
		if f[0] != circuit.FormatBits(uint64(i), bigPrintQubits) {
			t.Fatalf("line %d: state %s, want %s", k, f[0], circuit.FormatBits(uint64(i), bigPrintQubits))
		}
		v, err := strconv.ParseFloat(f[1], 64)
		if err != nil || len(f[1]) != 14 || math.Abs(v-probs[i]) > 5e-13 || f[1] != strconv.FormatFloat(probs[i], 'f', 12, 64) {
			t.Fatalf("line %d: %s reads back as %v (%v); engine %.17g", k, f[1], v, err, probs[i])
		}
		k++
	}
	if k != len(want) {
		t.Fatalf("%d lines, want %d", k, len(want))
	}
}
