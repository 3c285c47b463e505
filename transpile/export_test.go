package transpile

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"born/circuit"
	"born/qasm"
)

// readBack reads an export's text the way born export verifies it: QASM
// through package qasm, IonQ JSON and Quil through the test readers.
func readBack(t *testing.T, tg *Target, text string) *circuit.Circuit {
	t.Helper()
	var c *circuit.Circuit
	var err error
	switch tg.Format {
	case FormatIonQ:
		c, err = readIonQ([]byte(text))
	case FormatQuil:
		c, err = readQuil(text)
	default:
		c, _, err = qasm.Parse("export.qasm", []byte(ReadableQASM(tg, text)), nil)
	}
	if err != nil {
		t.Fatalf("%s: reading the export back: %v\n%s", tg.Name, err, text)
	}
	return c
}

// Round trips through the files: random circuits for every target that
// transpiles, with and without coupling maps, are written, read back and
// simulated; the distribution equals the source's to 1e-10 up to the final
// layout.
func TestRoundTripFiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(20, 20))
	maps := []*CouplingMap{nil, Line(6), mustHeavyHex(t, 2, 8), mustParse(t, "directed-line", `[[0,1],[2,1],[2,3],[4,3],[4,5],[5,6]]`)}
	trials := 4
	if testing.Short() {
		trials = 2
	}
	for _, tg := range Targets() {
		worst := 0.0
		files := 0
		for mi, cm := range maps {
			if tg.AsWritten && cm != nil {
				continue // written as is: no routing
			}
			for trial := 0; trial < trials; trial++ {
				files++
				n := 2 + rng.IntN(4)
				src := randomCircuit(rng, n, 10+rng.IntN(25), tg.Dynamic && trial%2 == 1)
				res, err := Transpile(src, tg, &Options{Coupling: cm, AllToAll: cm == nil, Route: RouteOptions{Seed: uint64(trial), LayoutTrials: 4}})
				if err != nil {
					t.Fatalf("%s map %d: %v", tg.Name, mi, err)
				}
				var buf bytes.Buffer
				if err := res.Write(&buf, Header{Source: "random.qasm"}); err != nil {
					t.Fatalf("%s: write: %v", tg.Name, err)
				}
				var again bytes.Buffer
				if err := res.Write(&again, Header{Source: "random.qasm"}); err != nil || again.String() != buf.String() {
					t.Fatalf("%s: two writes differ", tg.Name)
				}
				back := readBack(t, tg, buf.String())
				chk, err := Verify(res.Source, back, res.Layout.Final, nil)
				if err != nil {
					t.Fatalf("%s map %d trial %d: %v\n%s", tg.Name, mi, trial, err, buf.String())
				}
				worst = max(worst, chk.MaxDiff, chk.ClassicalDiff)
			}
		}
		t.Logf("%-12s %2d files read back and verified, max probability difference %.1e", tg.Name, files, worst)
	}
}

// Symbolic parameters survive the file: braket writes input float and the
// read-back export verifies at random values.
func TestRoundTripSymbolicFile(t *testing.T) {
	c := qcbmCircuit(4, 2, [][2]int{{0, 1}, {1, 2}, {2, 3}})
	tg := mustTarget("braket")
	res, err := Transpile(c, tg, &Options{Symbolic: true})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := res.Write(&buf, Header{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "input float t0;") || !strings.Contains(buf.String(), "rx(t0) q[0];") {
		t.Fatalf("no symbolic parameters in\n%s", buf.String())
	}
	back := readBack(t, tg, buf.String())
	for seed := uint64(1); seed <= 3; seed++ {
		if _, err := Verify(res.Source, back, res.Layout.Final, SymbolicValues(c.Symbols, seed)); err != nil {
			t.Fatal(err)
		}
	}
}

// A wrong export is caught: verification is not vacuous.
func TestVerifyCatchesErrors(t *testing.T) {
	c := circuit.New(2, 0)
	c.G(circuit.QELib1Gates["h"], 0).G(circuit.QELib1Gates["cx"], 0, 1)
	res, err := Transpile(c, mustTarget("ibm-heron"), &Options{Coupling: Line(2)})
	if err != nil {
		t.Fatal(err)
	}
	bad := *res.Circuit
	bad.Ops = append([]circuit.Op{{Kind: circuit.GateOp, Gate: circuit.StdGates["sx"], Qubits: []int{1}}}, res.Circuit.Ops...)
	if _, err := Verify(res.Source, &bad, res.Layout.Final, nil); err == nil || !strings.Contains(err.Error(), "differs") {
		t.Errorf("an extra sx: %v", err)
	}
	// Swapping the final layout of the symmetric Bell state changes no
	// probability, so it passes; for an asymmetric state it is caught below.
	if _, err := Verify(res.Source, res.Circuit, []int{1, 0}, nil); err != nil {
		t.Errorf("a swapped layout of the Bell state: %v", err)
	}
	c2 := circuit.New(2, 0)
	c2.G(circuit.QELib1Gates["x"], 0)
	res2, err := Transpile(c2, mustTarget("quil"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(res2.Source, res2.Circuit, []int{1, 0}, nil); err == nil {
		t.Error("a swapped layout passed")
	}
}

func ExampleResult_Write() {
	c := circuit.New(2, 0)
	q := circuit.QELib1Gates
	c.G(q["h"], 0).G(q["cx"], 0, 1)
	res, err := Transpile(c, mustTarget("ionq-native"), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	var buf bytes.Buffer
	if err := res.Write(&buf, Header{Source: "bell.qasm"}); err != nil {
		fmt.Println(err)
	}
	fmt.Print(buf.String())
	// Output:
	// {"format":"ionq.circuit.v0","gateset":"native","qubits":2,"circuit":[
	//   {"gate":"ms","targets":[0,1],"phases":[0.5,0]},
	//   {"gate":"gpi2","target":0,"phase":0.75},
	//   {"gate":"gpi2","target":1,"phase":0}
	// ]}
}
