package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// starAngles are the ry angles of starSource.
var starAngles = [5]float64{1.1, 0.4, 2.0, 0.7, 2.6}

// starSource prepares ry(a_k) on each of 5 qubits, then CNOTs from q[0] to
// the four others (a star, which heavy-hex routing cannot place without
// SWAPs), and measures every qubit q[k] into c[k]. Its distribution is
// P(x) = p_0(x_0) prod_k p_k(x_k xor x_0), with p_k(1) = sin^2(a_k/2).
func starSource() string {
	var b strings.Builder
	b.WriteString("OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[5];\ncreg c[5];\n")
	for k, a := range starAngles {
		fmt.Fprintf(&b, "ry(%v) q[%d];\nrz(0.3) q[%d];\n", a, k, k)
	}
	for k := 1; k < 5; k++ {
		fmt.Fprintf(&b, "cx q[0], q[%d];\n", k)
	}
	b.WriteString("measure q -> c;\n")
	return b.String()
}

// starProb is the analytic probability of source state x (bit k = q[k]).
func starProb(x int) float64 {
	p := func(k, bit int) float64 {
		s := math.Pow(math.Sin(starAngles[k]/2), 2)
		if bit == 1 {
			return s
		}
		return 1 - s
	}
	x0 := x & 1
	pr := p(0, x0)
	for k := 1; k < 5; k++ {
		pr *= p(k, (x>>k&1)^x0)
	}
	return pr
}

// born run of an ibm-heron export (physical qubits $k of a 156-qubit map)
// gives the source's distribution on both engines: exact probabilities of
// the touched physical qubits, and counts of the classical register.
func TestRunHeronExport(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "star.qasm")
	if err := os.WriteFile(src, []byte(starSource()), 0o644); err != nil {
		t.Fatal(err)
	}
	exp, rep := filepath.Join(dir, "star-heron.qasm"), filepath.Join(dir, "route.json")
	if _, _, err := runBorn(t, "", "export", src, "--target", "ibm-heron", "-o", exp, "--report", rep); err != nil {
		t.Fatal(err)
	}
	var report struct {
		ExportQubits int   `json:"export_qubits"`
		Final        []int `json:"final_layout"`
		Swaps        int   `json:"swaps"`
	}
	raw, err := os.ReadFile(rep)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &report); err != nil {
		t.Fatal(err)
	}
	if report.ExportQubits != 156 || report.Swaps == 0 || len(report.Final) != 5 {
		t.Fatalf("report %+v: want a routed export on 156 qubits with SWAPs", report)
	}
	text, _ := os.ReadFile(exp)
	if !strings.Contains(string(text), fmt.Sprintf("$%d", slices.Max(report.Final))) {
		t.Fatalf("the export does not use physical qubits:\n%s", text)
	}
	for _, engine := range []string{"statevector", "mps"} {
		out, _, err := runBorn(t, "", "run", exp, "--print", "probs", "--format", "json", "--engine", engine)
		if err != nil {
			t.Fatalf("%s: %v", engine, err)
		}
		var got struct {
			Qubits        int                `json:"qubits"`
			BitOrder      []string           `json:"bit_order"`
			Probabilities map[string]float64 `json:"probabilities"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		if got.Qubits != len(got.BitOrder) || got.Qubits < 5 || got.Qubits > 20 {
			t.Fatalf("%s: %d qubits listed (%v): want the few the program touches", engine, got.Qubits, got.BitOrder)
		}
		// Highest physical qubit first.
		var prev = math.MaxInt
		for _, name := range got.BitOrder {
			var k int
			if _, err := fmt.Sscanf(name, "$%d", &k); err != nil || k >= prev {
				t.Fatalf("%s: bit_order %v: want physical qubits $k, highest first", engine, got.BitOrder)
			}
			prev = k
		}
		at := map[string]int{}
		for i, name := range got.BitOrder {
			at[name] = i
		}
		seen := map[int]float64{}
		for key, p := range got.Probabilities {
			x := 0
			for i, f := range report.Final {
				j, ok := at[fmt.Sprintf("$%d", f)]
				if !ok {
					t.Fatalf("%s: source qubit %d sits on $%d, which bit_order %v lacks", engine, i, f, got.BitOrder)
				}
				if key[j] == '1' {
					x |= 1 << i
				}
			}
			ones := strings.Count(key, "1")
			if ones != popcount(x) {
				t.Errorf("%s: state %s has a 1 on a qubit that holds no source qubit (p = %g)", engine, key, p)
			}
			seen[x] += p
		}
		for x := 0; x < 32; x++ {
			if d := math.Abs(seen[x] - starProb(x)); d > 1e-12 {
				t.Errorf("%s: P(%05b) = %.15f, want %.15f", engine, x, seen[x], starProb(x))
			}
		}

		const shots = 200000
		out, _, err = runBorn(t, "", "run", exp, "--shots", fmt.Sprint(shots), "--seed", "5", "--format", "json", "--engine", engine)
		if err != nil {
			t.Fatalf("%s: %v", engine, err)
		}
		var counts struct {
			BitOrder []string       `json:"bit_order"`
			Counts   map[string]int `json:"counts"`
		}
		if err := json.Unmarshal([]byte(out), &counts); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(counts.BitOrder, []string{"c[4]", "c[3]", "c[2]", "c[1]", "c[0]"}) {
			t.Errorf("%s: counts bit_order %v", engine, counts.BitOrder)
		}
		for x := 0; x < 32; x++ {
			p := starProb(x)
			n := counts.Counts[fmt.Sprintf("%05b", x)]
			sd := math.Sqrt(shots * p * (1 - p))
			if math.Abs(float64(n)-shots*p) > 6*sd+1 {
				t.Errorf("%s: count of %05b = %d, want %.0f +- %.0f", engine, x, n, shots*p, 6*sd)
			}
		}
	}
}

func popcount(x int) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}

// A program on physical qubits lists the ones it touches, highest first,
// in text, JSON and --bitstrings; a declared register lists every qubit,
// its untouched ones 0, and is simulated on the touched ones only.
func TestRunTouchedQubits(t *testing.T) {
	phys := "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nx $50;\nh $58;\n"
	out, _, err := runBorn(t, phys, "run", "-")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# exact probabilities of qubits $58 $50 ", "the 2 physical qubits the program touches", "  01  0.5", "  11  0.5"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	out, _, err = runBorn(t, phys, "run", "-", "--print", "amps", "--bitstrings", "11,10", "--format", "json", "--engine", "mps")
	if err != nil {
		t.Fatal(err)
	}
	var amps struct {
		Qubits     int                   `json:"qubits"`
		BitOrder   []string              `json:"bit_order"`
		Amplitudes map[string][2]float64 `json:"amplitudes"`
	}
	if err := json.Unmarshal([]byte(out), &amps); err != nil {
		t.Fatal(err)
	}
	r := 1 / math.Sqrt2
	if amps.Qubits != 2 || !slices.Equal(amps.BitOrder, []string{"$58", "$50"}) ||
		math.Abs(amps.Amplitudes["11"][0]-r) > 1e-14 || amps.Amplitudes["10"] != [2]float64{} {
		t.Errorf("amplitudes %+v: want $58 $50 with <11|psi> = 1/sqrt2, <10|psi> = 0", amps)
	}

	// 40 declared qubits, 2 touched: no 16 TiB state, and 40-bit keys.
	decl := "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[40];\nh q[3];\ncx q[3], q[37];\n"
	out, _, err = runBorn(t, decl, "run", "-", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var probs struct {
		Qubits        int                `json:"qubits"`
		BitOrder      []string           `json:"bit_order"`
		Probabilities map[string]float64 `json:"probabilities"`
	}
	if err := json.Unmarshal([]byte(out), &probs); err != nil {
		t.Fatal(err)
	}
	zero := strings.Repeat("0", 40)
	both := []byte(zero)
	both[39-3], both[39-37] = '1', '1'
	if probs.Qubits != 40 || probs.BitOrder[0] != "q[39]" || probs.BitOrder[39] != "q[0]" || len(probs.Probabilities) != 2 ||
		math.Abs(probs.Probabilities[zero]-0.5) > 1e-15 || math.Abs(probs.Probabilities[string(both)]-0.5) > 1e-15 {
		t.Errorf("probabilities %+v: want 1/2 on all zeros and on q[37] = q[3] = 1", probs)
	}
	// An amplitude with a 1 on an untouched qubit is 0.
	one := []byte(zero)
	one[0] = '1'
	out, _, err = runBorn(t, decl, "run", "-", "--print", "amps", "--bitstrings", zero+","+string(one), "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(out), &amps); err != nil {
		t.Fatal(err)
	}
	if math.Abs(amps.Amplitudes[zero][0]-r) > 1e-14 || amps.Amplitudes[string(one)] != [2]float64{} {
		t.Errorf("amplitudes %v", amps.Amplitudes)
	}
	// Sampling without measurement lists all 40 qubits too.
	out, _, err = runBorn(t, decl, "run", "-", "--print", "counts", "--shots", "100", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var counts struct{ Counts map[string]int }
	if err := json.Unmarshal([]byte(out), &counts); err != nil {
		t.Fatal(err)
	}
	if len(counts.Counts) != 2 || counts.Counts[zero]+counts.Counts[string(both)] != 100 {
		t.Errorf("counts %v", counts.Counts)
	}
}
