package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"born/internal/testguard"
	"born/statevector"
)

const bellMeasured = `OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
creg c[2];
h q[0];
cx q[0], q[1];
measure q -> c;
`

// born run --shots 10^15 (which panicked making a slice for every shot)
// prints counts drawn as one multinomial variate, on both engines, in well
// under a second of CPU and 100 MB.
func TestRunHugeShots(t *testing.T) {
	for _, engine := range []string{"statevector", "mps"} {
		var out string
		var err error
		testguard.Within(t, "born run --shots 1e15 --engine "+engine, time.Second, 100<<20, func() {
			out, _, err = runBorn(t, bellMeasured, "run", "-", "--shots", "1000000000000000", "--engine", engine, "--format", "json")
		})
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Shots  int64            `json:"shots"`
			Counts map[string]int64 `json:"counts"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		c00, c11 := got.Counts["00"], got.Counts["11"]
		if got.Shots != 1e15 || len(got.Counts) != 2 || c00+c11 != 1e15 {
			t.Fatalf("%s: %+v", engine, got)
		}
		// Binomial(10^15, 1/2): the standard deviation is 1.6e7 shots.
		if d := float64(c00) - 5e14; math.Abs(d) > 5*math.Sqrt(1e15/4) {
			t.Errorf("%s: %d of 10^15 shots gave 00", engine, c00)
		}
	}
}

// born train --shots 10^15 (which panicked making a slice for every shot)
// trains with each histogram drawn as one multinomial variate, in a few
// seconds of CPU and little memory.
func TestTrainHugeShots(t *testing.T) {
	dir := t.TempDir()
	var out string
	var err error
	testguard.Within(t, "born train --shots 1e15", 5*time.Second, 200<<20, func() {
		out, _, err = train(t, "--data", "bas:2x2", "--ansatz", "qcbm:2", "--steps", "3", "--shots", "1000000000000000",
			"--out", dir+"/run", "--quiet")
	})
	if err != nil {
		t.Fatal(err)
	}
	if s := decodeSummary(t, out); s.Steps != 3 || !(s.Loss >= 0) {
		t.Errorf("summary %+v", s)
	}
}

// A 1.8 KB file whose gate g60 doubles sixty times (2^60 operations) is
// refused with its position by every command that lowers it, within a
// second and 100 MB (born run grew past 2.6 GB until the machine ran out
// of memory).
func TestExpansionRefusedEverywhere(t *testing.T) {
	var b strings.Builder
	b.WriteString("OPENQASM 3.0;\ninclude \"stdgates.inc\";\ninput float th;\nqubit[2] q;\ngate g0(t) a { rx(t) a; }\n")
	for i := 1; i <= 60; i++ {
		fmt.Fprintf(&b, "gate g%d(t) a { g%d(t) a; g%d(t) a; }\n", i, i-1, i-1)
	}
	b.WriteString("g60(th) q[0];\n")
	file := filepath.Join(t.TempDir(), "g60.qasm")
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	want := "g60.qasm:66:1: g60 expands to 2^60 operations (limit 4194304)"
	for _, args := range [][]string{
		{"run", file, "--param", "th=0.1"},
		{"export", file, "--target", "ibm-heron", "--param", "th=0.1"},
		{"train", "--data", "bas:1x2", "--circuit", file, "--steps", "1", "--out", filepath.Join(t.TempDir(), "r"), "--quiet"},
	} {
		var err error
		testguard.Within(t, args[0], time.Second, 100<<20, func() {
			_, _, err = runBorn(t, "", args...)
		})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("born %s: %v, want an error containing %q", args[0], err, want)
		}
	}
}

// pow(2^62) @ x is the identity and pow(10^18) @ h too: born run prints
// |00> with probability exactly 1 (it printed P(1) = 0.123 and P(0) = 0.558),
// and born export checks these powers by a route independent of the
// lowering.
func TestPowExactCLI(t *testing.T) {
	src := "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[2] q;\npow(2**62) @ x q[0];\npow(1e18) @ h q[1];\n"
	out, _, err := runBorn(t, src, "run", "-", "--print", "probs", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Probabilities map[string]float64 `json:"probabilities"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Probabilities) != 1 || got.Probabilities["00"] != 1 {
		t.Errorf("probabilities %v, want exactly {00: 1}", got.Probabilities)
	}
	report := filepath.Join(t.TempDir(), "report.json")
	if _, _, err := runBorn(t, src, "export", "-", "--target", "qasm3", "--report", report); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Verification struct {
			Powers int `json:"powers_checked"`
		} `json:"verification"`
	}
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Verification.Powers != 2 {
		t.Errorf("export report: %d powers checked, want 2: %s", rep.Verification.Powers, raw)
	}
}

// born run /dev/zero and train --circuit /dev/zero read without end (train
// was killed for memory); now they are refused at once, as is an include
// outside the program's folder with --confine-includes.
func TestRefuseDevices(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	for _, args := range [][]string{
		{"run", "/dev/zero"},
		{"export", "/dev/zero", "--target", "qasm3"},
		{"train", "--data", "bas:2x2", "--circuit", "/dev/zero", "--steps", "1", "--out", filepath.Join(t.TempDir(), "r"), "--quiet"},
	} {
		var err error
		testguard.Within(t, args[0]+" /dev/zero", time.Second, 100<<20, func() { _, _, err = runBorn(t, "", args...) })
		if err == nil || !strings.Contains(err.Error(), "/dev/zero is a device, not a regular file") {
			t.Errorf("born %s: %v", strings.Join(args, " "), err)
		}
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "p.qasm"), []byte("OPENQASM 2.0;\ninclude \"/etc/passwd\";\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := runBorn(t, "", "run", filepath.Join(dir, "p.qasm"), "--confine-includes")
	if err == nil || !strings.Contains(err.Error(), `cannot include "/etc/passwd": it is outside`) {
		t.Errorf("--confine-includes: %v", err)
	}
}

// A statement on a million-qubit register is refused where it stands, before
// it is read into memory (refused after 12 s and 586 MB before); a program
// that touches few qubits of such a register still runs.
func TestHugeRegisterRefused(t *testing.T) {
	for _, args := range [][]string{{"run", "-"}, {"run", "-", "--print", "probs", "--engine", "mps"}} {
		var err error
		testguard.Within(t, strings.Join(args, " "), time.Second, 100<<20, func() {
			_, _, err = runBorn(t, "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1000000];\nh q;\n", args...)
		})
		if err == nil || !strings.Contains(err.Error(), "<stdin>:4:1: the program acts on more than") {
			t.Errorf("born %s: %v", strings.Join(args, " "), err)
		}
	}
	out, _, err := runBorn(t, "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1000000];\ncreg c[1];\nx q[999999];\nmeasure q[999999] -> c[0];\n", "run", "-", "--format", "json")
	var got struct {
		Counts map[string]int `json:"counts"`
	}
	if err != nil || json.Unmarshal([]byte(out), &got) != nil || len(got.Counts) != 1 || got.Counts["1"] != 1024 {
		t.Errorf("one qubit of a million: %v %.300s", err, out)
	}
}

// A run killed after its final model.json and before its plots (no
// distribution.png, a .distribution.png.tmpNNN left) is completed by
// --resume, which made no plots before and exited 1; a run killed at
// start-up, before its first checkpoint, is named as such by --resume and
// starts again with --out.
func TestResumeFinalPhase(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	if _, _, err := train(t, "--data", "bas:2x2", "--ansatz", "qcbm:1", "--steps", "2", "--out", dir, "--quiet"); err != nil {
		t.Fatal(err)
	}
	plot := filepath.Join(dir, "distribution.png")
	if err := os.Remove(plot); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, ".distribution.png.tmp123456")
	if err := os.WriteFile(stale, []byte("half a png"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := train(t, "--resume", dir)
	if err != nil {
		t.Fatalf("resume of a complete run without its plot: %v", err)
	}
	if s := decodeSummary(t, out); s.Steps != 2 {
		t.Errorf("summary %+v", s)
	}
	if !strings.Contains(errOut, "made the missing distribution.png") || !strings.Contains(errOut, "removed the unfinished .distribution.png.tmp123456") {
		t.Errorf("note: %q", errOut)
	}
	if _, err := os.Stat(plot); err != nil {
		t.Errorf("distribution.png not made: %v", err)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Errorf("stale temporary file left")
	}
	if _, _, err := train(t, "--resume", dir); err == nil || !strings.Contains(err.Error(), "is complete (2 steps) with all its outputs") {
		t.Errorf("resume of a complete run: %v", err)
	}

	// Killed at start-up: history.csv and a temporary model file only.
	dir2 := filepath.Join(t.TempDir(), "run2")
	if err := os.Mkdir(dir2, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"history.csv": "step,loss\n", ".model.json.tmp99": "{"} {
		if err := os.WriteFile(filepath.Join(dir2, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := train(t, "--resume", dir2); err == nil || !strings.Contains(err.Error(), "the run never saved its first checkpoint") {
		t.Errorf("resume of a run killed at start-up: %v", err)
	}
	if _, _, err := train(t, "--data", "bas:2x2", "--ansatz", "qcbm:1", "--steps", "1", "--out", dir2, "--quiet"); err != nil {
		t.Errorf("starting again: %v", err)
	}
}

// Messages a user can act on: sample -o EXISTING_FOLDER named an internal
// temporary file; --max-memory above the machine's memory ended in Go's
// out-of-memory dump.
func TestHardeningMessages(t *testing.T) {
	dir := trainedRun(t, "bas:2x2", "qcbm:1")
	folder := t.TempDir()
	if _, err := sample(t, dir, "-o", folder); err == nil || err.Error() != folder+" is a folder; name a file to write" {
		t.Errorf("sample -o FOLDER: %v", err)
	}
	if statevector.PhysicalMemory() == 0 {
		t.Skip("physical memory unknown")
	}
	_, _, err := runBorn(t, "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[40];\nh q;\n", "run", "-", "--print", "counts", "--max-memory", "1PiB")
	if err == nil || !strings.Contains(err.Error(), "--max-memory: 1PiB is more than this machine's") {
		t.Errorf("--max-memory 1PiB: %v", err)
	}
}
