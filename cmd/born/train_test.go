package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"born/bornmachine"
	"born/dataset"
	"born/qasm"
)

// train runs born train with args and returns stdout, stderr and the error.
func train(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	return trainWith(t, nil, args...)
}

func trainWith(t *testing.T, edit func(*trainOptions), args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd := newTrainCmd(func(o *trainOptions) error {
		if edit != nil {
			edit(o)
		}
		return runTrain(o)
	})
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.Execute()
	return out.String(), errOut.String(), err
}

func decodeSummary(t *testing.T, out string) trainSummary {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 1 {
		t.Fatalf("want one summary line, got %q", out)
	}
	var s trainSummary
	if err := json.Unmarshal([]byte(lines[0]), &s); err != nil {
		t.Fatalf("summary %q: %v", lines[0], err)
	}
	return s
}

// TestTrainRunDirectory trains briefly and checks the run directory against
// independent computations: the summary's KL and valid mass recomputed from
// the saved model, one history row per step, and decodable plots.
func TestTrainRunDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	out, _, err := train(t, "--data", "bas:2x2", "--ansatz", "qcbm:3:line", "--steps", "20", "--out", dir, "--quiet")
	if err != nil {
		t.Fatal(err)
	}
	s := decodeSummary(t, out)
	if s.Out != dir || s.Steps != 20 || s.Params != 40 || s.Stop != "steps" || s.Ansatz != "qcbm:3:0-1,1-2,2-3" || s.MMD == nil {
		t.Errorf("summary %+v", s)
	}
	_, m, err := bornmachine.ReadModelFile(filepath.Join(dir, "model.json"))
	if err != nil {
		t.Fatal(err)
	}
	data, _ := dataset.BarsAndStripes(2, 2)
	p, _ := m.Probabilities()
	var kl, valid float64
	for i, x := range data.States {
		kl += data.Probs[i] * math.Log(data.Probs[i]/p[x])
		valid += p[x]
	}
	if math.Abs(kl-*s.KL) > 1e-12 || math.Abs(valid-*s.ValidMass) > 1e-12 {
		t.Errorf("summary KL %v valid %v; from the saved model %v, %v", *s.KL, *s.ValidMass, kl, valid)
	}
	f, _ := os.Open(filepath.Join(dir, "history.csv"))
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(rows) != 22 || strings.Join(rows[0], ",") != "step,loss,kl,valid_mass,wall_seconds,test_nll" || rows[21][0] != "20" {
		t.Errorf("history.csv: %d rows (%v), header %v", len(rows), err, rows[0])
	}
	// circuit.qasm reads back as a circuit with the model's distribution.
	src, err := os.ReadFile(filepath.Join(dir, "circuit.qasm"))
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := qasm.Parse("circuit.qasm", src, nil)
	if err != nil {
		t.Fatal(err)
	}
	u, err := c.Unitary(nil)
	if err != nil {
		t.Fatal(err)
	}
	for x := range p {
		a := u[x*16] // column |0000>
		if d := math.Abs(real(a)*real(a) + imag(a)*imag(a) - p[x]); d > 1e-12 {
			t.Errorf("circuit.qasm gives p(%d) = %v, the model %v", x, real(a)*real(a)+imag(a)*imag(a), p[x])
		}
	}
	for _, name := range []string{"loss.png", "distribution.png"} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil || cfg.Width < 300 || cfg.Height < 300 {
			t.Errorf("%s: %v, %dx%d", name, err, cfg.Width, cfg.Height)
		}
	}
}

// TestTrainDefault runs born train without flags: BAS 2x3 at depth 7, in
// seconds, reaching a KL the reference demo reaches (0.034).
func TestTrainDefault(t *testing.T) {
	if testing.Short() {
		t.Skip("500 shift-gradient steps")
	}
	t.Chdir(t.TempDir())
	out, _, err := train(t)
	if err != nil {
		t.Fatal(err)
	}
	s := decodeSummary(t, out)
	if !strings.HasPrefix(s.Out, "runs"+string(filepath.Separator)) || s.Data != "bas:2x3" || s.Params != 132 || s.Steps != 500 {
		t.Errorf("summary %+v", s)
	}
	if *s.KL > 0.05 || *s.ValidMass < 0.95 {
		t.Errorf("default run: KL %v, valid mass %v", *s.KL, *s.ValidMass)
	}
	if _, err := os.Stat(filepath.Join(s.Out, "model.json")); err != nil {
		t.Error(err)
	}
}

// TestTrainResume checks that a run extended with --resume ends with the
// parameters of a run that trained the same number of steps at once, and
// that an interrupted run says how to resume.
func TestTrainResume(t *testing.T) {
	tmp := t.TempDir()
	whole, short := filepath.Join(tmp, "whole"), filepath.Join(tmp, "short")
	args := []string{"--data", "bas:2x2", "--ansatz", "qcbm:2", "--quiet", "--checkpoint-every", "7"}
	if _, _, err := train(t, append(args, "--steps", "30", "--out", whole)...); err != nil {
		t.Fatal(err)
	}
	if _, _, err := train(t, append(args, "--steps", "12", "--out", short)...); err != nil {
		t.Fatal(err)
	}
	if _, _, err := train(t, "--resume", short, "--data", "bas:3x3"); err == nil || !strings.Contains(err.Error(), "--data cannot change") {
		t.Errorf("resume with --data: %v", err)
	}
	if _, _, err := train(t, "--resume", short); err == nil || !strings.Contains(err.Error(), "complete") {
		t.Errorf("resume of a complete run: %v", err)
	}
	out, _, err := train(t, "--resume", short, "--steps", "30", "--quiet")
	if err != nil {
		t.Fatal(err)
	}
	if s := decodeSummary(t, out); s.Steps != 30 {
		t.Errorf("resumed summary %+v", s)
	}
	_, a, _ := bornmachine.ReadModelFile(filepath.Join(whole, "model.json"))
	_, b, _ := bornmachine.ReadModelFile(filepath.Join(short, "model.json"))
	if !slices.Equal(a.Params(), b.Params()) {
		t.Error("12 steps then 18 more differ from 30 steps")
	}

	// An interrupt (SIGINT cancels the context) saves and says how to go on.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := filepath.Join(tmp, "int")
	_, _, err = trainWith(t, func(o *trainOptions) { o.ctx = ctx }, append(args, "--steps", "30", "--out", dir)...)
	if err == nil || !strings.Contains(err.Error(), "born train --resume "+dir) {
		t.Errorf("interrupted run: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "model.json")); err != nil {
		t.Error(err)
	}
}

func TestTrainProgress(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	_, errOut, err := trainWith(t, func(o *trainOptions) { o.progress = true }, "--data", "bas:2x2", "--ansatz", "qcbm:1", "--steps", "5", "--out", dir)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut, "step 5/5") || !strings.Contains(errOut, "KL") || !strings.HasSuffix(errOut, "\n") {
		t.Errorf("progress output %q", errOut)
	}
	_, errOut, _ = train(t, "--data", "bas:2x2", "--ansatz", "qcbm:1", "--steps", "5", "--out", dir+"2")
	if errOut != "" {
		t.Errorf("progress drawn on a non-terminal: %q", errOut)
	}
}

func TestTrainBadInput(t *testing.T) {
	tmp := t.TempDir()
	mixed := filepath.Join(tmp, "mixed.txt")
	os.WriteFile(mixed, []byte("0101\n0110\n011\n"), 0o644)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--data", "mnist"}, "unknown dataset \"mnist\""},
		{[]string{"--data", "file:" + mixed}, "mixed.txt:3: bitstring \"011\" has 3 bits, but line 1 has 4"},
		{[]string{"--sigmas", ""}, "--sigmas is empty"},
		{[]string{"--sigmas", "0.5,-1"}, "--sigmas"},
		{[]string{"--steps", "0"}, "--steps 0: need at least 1 step"},
		{[]string{"--ansatz", "qcbm:2:0-9"}, "qubits are 0 to 5"},
		{[]string{"--ansatz", "qcbm"}, "unknown ansatz"},
		{[]string{"--grad", "adjoint", "--shots", "100"}, "takes no --shots"},
		{[]string{"--loss", "kl", "--shots", "100"}, "--shots needs --loss mmd"},
		{[]string{"--optimizer", "sgd"}, "unknown optimizer"},
		{[]string{"--workers", "-1"}, "--workers"},
		{[]string{"--resume", filepath.Join(tmp, "nothing")}, "no such file"},
		{[]string{"extra"}, "unknown command"},
	} {
		args := append(c.args, "--quiet")
		if c.args[0] != "--resume" {
			args = append(args, "--out", filepath.Join(tmp, "r"))
		}
		_, _, err := train(t, args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want %q", c.args, err, c.want)
		}
	}
	if _, err := os.Stat(filepath.Join(tmp, "r")); err == nil {
		t.Error("a failed start left a run directory behind")
	}
}

// TestTrainCircuitFile trains an OpenQASM file's input parameters, and
// refuses a file whose qubit count differs from the data width.
func TestTrainCircuitFile(t *testing.T) {
	tmp := t.TempDir()
	prog := filepath.Join(tmp, "c.qasm")
	os.WriteFile(prog, []byte("OPENQASM 3.0;\ninclude \"stdgates.inc\";\ninput float[64] a;\ninput float[64] b;\nqubit[4] q;\n"+
		"rx(a) q[0];\nry(b) q[1];\ncx q[0], q[2];\ncx q[1], q[3];\n"), 0o644)
	dir := filepath.Join(tmp, "run")
	out, _, err := train(t, "--circuit", prog, "--data", "bas:2x2", "--steps", "5", "--out", dir, "--quiet")
	if err != nil {
		t.Fatal(err)
	}
	if s := decodeSummary(t, out); s.Params != 2 || s.Circuit != prog {
		t.Errorf("summary %+v", s)
	}
	if _, err := sample(t, dir, "--shots", "3"); err != nil {
		t.Errorf("sampling the saved model: %v", err)
	}
	three := filepath.Join(tmp, "three.qasm")
	os.WriteFile(three, []byte("OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[3];\nh q[0];\n"), 0o644)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--circuit", three, "--data", "bas:2x2"}, "the circuit has 3 qubits but the data have 4 bits"},
		{[]string{"--circuit", three, "--data", "bas:1x3"}, "no parameters to train"},
		{[]string{"--circuit", prog, "--ansatz", "qcbm:2"}, "not both"},
	} {
		if _, _, err := train(t, append(c.args, "--out", filepath.Join(tmp, "bad"), "--quiet")...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.args, err, c.want)
		}
	}
}

// TestTrainInit starts a run from a trained model's parameters: its first
// history row is the loss the first run ended with.
func TestTrainInit(t *testing.T) {
	tmp := t.TempDir()
	a, b := filepath.Join(tmp, "a"), filepath.Join(tmp, "b")
	args := []string{"--data", "bas:2x2", "--ansatz", "qcbm:2", "--grad", "adjoint", "--quiet"}
	if _, _, err := train(t, append(args, "--steps", "15", "--out", a)...); err != nil {
		t.Fatal(err)
	}
	if _, _, err := train(t, append(args, "--steps", "1", "--seed", "99", "--init", filepath.Join(a, "model.json"), "--out", b)...); err != nil {
		t.Fatal(err)
	}
	ra, _ := bornmachine.OpenRun(a)
	rb, _ := bornmachine.OpenRun(b)
	if last, first := ra.History[len(ra.History)-1], rb.History[0]; last.Loss != first.Loss || last.KL != first.KL {
		t.Errorf("run a ends at loss %v, run b starts at %v", last.Loss, first.Loss)
	}
	if _, _, err := train(t, append(args, "--init", filepath.Join(tmp, "missing.json"), "--out", filepath.Join(tmp, "c"))...); err == nil || !strings.Contains(err.Error(), "--init") {
		t.Errorf("missing --init file: %v", err)
	}
}
