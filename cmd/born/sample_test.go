package main

import (
	"bytes"
	"encoding/json"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"born/bornmachine"
	"born/bornmachine/figures"
	"born/internal/testguard"
)

func sample(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd := newSampleCmd(nil)
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.Execute()
	return out.String(), err
}

// trainedRun trains a small model on data and returns its directory.
func trainedRun(t *testing.T, data, ansatz string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "run")
	if _, _, err := train(t, "--data", data, "--ansatz", ansatz, "--steps", "40", "--grad", "adjoint", "--out", dir, "--quiet"); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestSample(t *testing.T) {
	dir := trainedRun(t, "bas:2x2", "qcbm:3")
	model := filepath.Join(dir, "model.json")

	// text: counts add up to the shots, most frequent first.
	out, err := sample(t, model, "--shots", "500", "--seed", "3")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	total, prev := 0, 1<<30
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if len(f) != 3 || len(f[0]) != 4 {
			t.Fatalf("line %q", l)
		}
		c, _ := strconv.Atoi(f[1])
		if c > prev {
			t.Errorf("counts not in decreasing order: %q", out)
		}
		prev = c
		total += c
	}
	if total != 500 || !strings.Contains(lines[0], "q[3]...q[0]") {
		t.Errorf("total %d, header %q", total, lines[0])
	}

	// json: same seed, same samples; the run directory works as the argument.
	var a, b struct {
		Bits    int            `json:"bits"`
		Shots   int            `json:"shots"`
		Seed    uint64         `json:"seed"`
		Counts  map[string]int `json:"counts"`
		Samples []string       `json:"samples"`
	}
	o1, err := sample(t, model, "--shots", "50", "--seed", "9", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	o2, _ := sample(t, dir, "--shots", "50", "--seed", "9", "--format", "json")
	json.Unmarshal([]byte(o1), &a)
	json.Unmarshal([]byte(o2), &b)
	if a.Bits != 4 || a.Shots != 50 || len(a.Samples) != 50 || strings.Join(a.Samples, ",") != strings.Join(b.Samples, ",") {
		t.Errorf("json %+v vs %+v", a, b)
	}
	n := 0
	for s, c := range a.Counts {
		n += c
		if strings.Count(strings.Join(a.Samples, ","), s) != c {
			t.Errorf("count of %s is %d, samples say otherwise", s, c)
		}
	}
	if n != 50 {
		t.Errorf("counts add to %d", n)
	}

	// png: a grid of 2x2 images.
	img := filepath.Join(t.TempDir(), "s.png")
	out, err = sample(t, model, "--shots", "16", "--format", "png", "--out", img)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(img)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	// 16 images of 2x2 pixels, 4 per row, each pixel a cell of at least
	// 24 px, with a key under the grid.
	g := figures.GridLayout(16, 2, 2, true)
	if err != nil || g.Pix < 24 || g.PerRow != 4 || cfg.Width < g.W || cfg.Height != g.H || !strings.Contains(out, "16 samples of 2x2 images") {
		t.Errorf("png: %v %dx%d, %q", err, cfg.Width, cfg.Height, out)
	}
}

func TestSampleErrors(t *testing.T) {
	gauss := trainedRun(t, "gauss:3", "qcbm:1:line")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{filepath.Join(gauss, "model.json"), "--format", "png"}, "not on image data"},
		{[]string{gauss, "--format", "svg"}, "use text, json or png"},
		{[]string{gauss, "--shots", "0"}, "at least 1"},
		{[]string{filepath.Join(gauss, "history.csv")}, "not a born model file"},
		{[]string{filepath.Join(gauss, "none.json")}, "no such file"},
	} {
		if _, err := sample(t, c.args...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.args, err, c.want)
		}
	}
}

// born sample prints the counts of 10^15 shots (which would panic storing
// them) in well under a second of CPU and 100 MB, summing to the shots
// with frequencies within 10^-6 of the model's exact distribution; json,
// which lists every sample, refuses so many with the reason.
func TestSampleHugeShots(t *testing.T) {
	dir := trainedRun(t, "bas:2x2", "qcbm:3")
	_, m, err := bornmachine.ReadModelFile(filepath.Join(dir, "model.json"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := m.Probabilities()
	if err != nil {
		t.Fatal(err)
	}
	const shots = 1_000_000_000_000_000
	var out string
	testguard.Within(t, "born sample --shots 1e15", time.Second, 100<<20, func() {
		out, err = sample(t, dir, "--shots", strconv.Itoa(shots), "--seed", "4")
	})
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, l := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
		f := strings.Fields(l)
		x, _ := strconv.ParseUint(f[0], 2, 64)
		c, _ := strconv.ParseInt(f[1], 10, 64)
		total += c
		if d := float64(c)/shots - p[x]; math.Abs(d) > 1e-6 {
			t.Errorf("%s: frequency %.9f, exact %.9f", f[0], float64(c)/shots, p[x])
		}
	}
	if total != shots {
		t.Errorf("counts sum to %d", total)
	}
	if _, err := sample(t, dir, "--shots", strconv.Itoa(shots), "--format", "json"); err == nil || !strings.Contains(err.Error(), "lists every sample") {
		t.Errorf("json with 10^15 shots: %v", err)
	}
}
