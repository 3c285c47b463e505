package sweep

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	"sigs.k8s.io/yaml"
)

const scan = `name: depth-scan
command: train
seed: 7
repeats: 2
args:
  data: bas:2x2
  steps: 60
  sigmas: [0.5, 1]
grid:
  ansatz: [qcbm:1, qcbm:2, qcbm:3]
  lr: [0.05, 0.1]
`

func mustParse(t *testing.T, src string) *Spec {
	t.Helper()
	s, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTasks(t *testing.T) {
	s := mustParse(t, scan)
	if s.NumTasks() != 12 {
		t.Fatalf("%d tasks, want 3*2*2", s.NumTasks())
	}
	// Last key fastest, then the repeat.
	want := []struct {
		ansatz, lr string
		repeat     int
	}{{"qcbm:1", "0.05", 0}, {"qcbm:1", "0.05", 1}, {"qcbm:1", "0.1", 0}, {"qcbm:1", "0.1", 1}, {"qcbm:2", "0.05", 0}}
	seen := map[uint64]bool{}
	for i, tk := range s.Tasks() {
		if tk.ID != i {
			t.Fatalf("task %d has id %d", i, tk.ID)
		}
		if i < len(want) && (tk.Values["ansatz"] != want[i].ansatz || tk.Values["lr"] != want[i].lr || tk.Repeat != want[i].repeat) {
			t.Errorf("task %d = %+v, want %+v", i, tk, want[i])
		}
		if seen[tk.Seed] {
			t.Errorf("task %d repeats a seed", i)
		}
		seen[tk.Seed] = true
		if tk.Seed != TaskSeed(7, i) {
			t.Errorf("task %d seed %d, want TaskSeed(7, %d)", i, tk.Seed, i)
		}
		args := strings.Join(tk.Args, " ")
		for _, w := range []string{"--data=bas:2x2", "--sigmas=0.5,1", "--steps=60", "--ansatz=" + tk.Values["ansatz"], fmt.Sprintf("--seed=%d", tk.Seed)} {
			if !strings.Contains(args, w) {
				t.Errorf("task %d args %q lack %q", i, args, w)
			}
		}
	}
	// A seed given in the grid is used as is.
	s2 := mustParse(t, "command: train\ngrid:\n  seed: [3, 4]\n")
	if tk, _ := s2.Task(1); tk.Seed != 4 || strings.Count(strings.Join(tk.Args, " "), "--seed") != 1 {
		t.Errorf("explicit seed: %+v", tk)
	}
	if _, err := s.Task(12); err == nil {
		t.Error("task 12 of 12 accepted")
	}
	if _, err := s.Task(-1); err == nil {
		t.Error("task -1 accepted")
	}
	// The digest depends on what defines the tasks, not on the name.
	s3 := mustParse(t, strings.Replace(scan, "name: depth-scan", "name: other", 1))
	s4 := mustParse(t, strings.Replace(scan, "seed: 7", "seed: 8", 1))
	if s.Digest() != s3.Digest() || s.Digest() == s4.Digest() {
		t.Error("digest does not identify the tasks")
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct{ src, want string }{
		{"command: train\ngrid: {ansatz: [qcbm:1]}\nextra: 1\n", "field extra not found"},
		{"command: train\nargs: {data: bas:2x2}\ngrid: {ansatz: [qcbm:1]}\nrepeat: 2\n", "field repeat not found"},
		{"grid: {ansatz: [qcbm:1]}\n", "no command"},
		{"command: sample\ngrid: {ansatz: [qcbm:1]}\n", `command "sample"`},
		{"command: train\n", "grid"},
		{"command: train\ngrid: {ansatz: []}\n", "no values"},
		{"command: train\nargs: {ansatz: qcbm:1}\ngrid: {ansatz: [qcbm:2]}\n", "both in args and in grid"},
		{"command: train\ngrid: {--ansatz: [qcbm:2]}\n", "without dashes"},
		{"command: train\nargs: {out: x}\ngrid: {ansatz: [qcbm:2]}\n", "out is set by the sweep"},
		{"command: train\nrepeats: -1\ngrid: {ansatz: [qcbm:2]}\n", "repeats -1"},
		{"command: train\ngrid: {a: [1,2,3,4,5,6,7,8,9,10], b: [1,2,3,4,5,6,7,8,9,10], c: [1,2,3,4,5,6,7,8,9,10], d: [1,2,3,4,5,6,7,8,9,10], e: [1,2,3,4,5,6,7,8,9,10,11]}\n", "at most"},
		{"{{{", "sweep file"},
	}
	for _, tc := range cases {
		_, err := Parse([]byte(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.src, err, tc.want)
		}
	}
}

// fakeExec stands in for born: it writes a model.json whose metrics encode
// the task's arguments, so results can be traced to tasks.
func fakeExec(calls *int) Exec {
	return func(command string, args []string, out string) error {
		*calls++
		if err := os.MkdirAll(out, 0o755); err != nil {
			return err
		}
		kl := float64(len(strings.Join(args, " ")))
		var ansatz string
		for _, a := range args {
			if v, ok := strings.CutPrefix(a, "--ansatz="); ok {
				ansatz = v
			}
		}
		mf := fmt.Sprintf(`{"kind": "qcbm", "num_params": 7, "settings": {"ansatz": %q}, "train": {"step": 60}, "metrics": {"kl": %g, "nll": 1, "valid_mass": 0.5}}`,
			ansatz, kl)
		return os.WriteFile(filepath.Join(out, "model.json"), []byte(mf), 0o644)
	}
}

func TestDirRunCollect(t *testing.T) {
	s := mustParse(t, scan)
	dir := filepath.Join(t.TempDir(), "res")
	d, err := Open(dir, s)
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	for _, id := range []int{0, 5, 11} {
		if ran, err := d.RunTask(id, false, fakeExec(&calls)); err != nil || !ran {
			t.Fatalf("task %d: ran %v, %v", id, ran, err)
		}
	}
	// Finished tasks are not rerun unless forced.
	if ran, _ := d.RunTask(5, false, fakeExec(&calls)); ran || calls != 3 {
		t.Errorf("finished task rerun (ran %v, %d calls)", ran, calls)
	}
	if ran, err := d.RunTask(5, true, fakeExec(&calls)); !ran || err != nil || calls != 4 {
		t.Errorf("--force did not rerun: %v %v", ran, err)
	}
	// A failing task leaves no result and no temporary directory.
	failing := func(string, []string, string) error { return fmt.Errorf("killed") }
	if _, err := d.RunTask(3, false, failing); err == nil || d.Done(3) {
		t.Error("failed task counted as done")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, TasksDir, ".*")); len(left) != 0 {
		t.Errorf("temporary directories left: %v", left)
	}
	done, missing := d.Status()
	if !reflect.DeepEqual(done, []int{0, 5, 11}) || len(missing) != 9 {
		t.Errorf("status: done %v missing %v", done, missing)
	}
	tab, err := d.Collect()
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Rows) != 3 || Ranges(tab.Missing) != "1-4,6-10" {
		t.Fatalf("collect: %d rows, missing %s", len(tab.Rows), Ranges(tab.Missing))
	}
	for _, r := range tab.Rows {
		tk, _ := s.Task(r.Task)
		if r.KL != float64(len(strings.Join(tk.Args, " "))) || r.Model != tk.Values["ansatz"] || r.Seed != tk.Seed {
			t.Errorf("row %+v does not match task %+v", r, tk)
		}
	}
	var text bytes.Buffer
	if err := tab.WriteText(&text); err != nil || !strings.Contains(text.String(), "3 of 12 tasks finished; missing: 1-4,6-10") {
		t.Errorf("text: %v\n%s", err, text.String())
	}
	var png bytes.Buffer
	if err := tab.Plot(&png); err != nil || !bytes.HasPrefix(png.Bytes(), []byte("\x89PNG")) {
		t.Errorf("plot: %v", err)
	}
	// Another sweep may not use the directory, nor may a non-empty one be
	// claimed.
	other := mustParse(t, strings.Replace(scan, "steps: 60", "steps: 61", 1))
	if _, err := Open(dir, other); err == nil || !strings.Contains(err.Error(), "another sweep") {
		t.Errorf("another sweep's directory: %v", err)
	}
	if _, err := Open(dir, s); err != nil {
		t.Errorf("reopening: %v", err)
	}
	busy := t.TempDir()
	os.WriteFile(filepath.Join(busy, "x"), nil, 0o644)
	if _, err := Open(busy, s); err == nil {
		t.Error("claimed a non-empty directory")
	}
	d2, err := OpenExisting(dir)
	if err != nil || d2.Spec.Digest() != s.Digest() {
		t.Errorf("OpenExisting: %v", err)
	}
}

func TestSlurmScript(t *testing.T) {
	s := mustParse(t, scan)
	o := SlurmOptions{Binary: "/opt/born", SpecPath: "/home/u/scan.yaml", Out: "/scratch/res", Limit: 4, CPUs: 2, Mem: "4G", Time: "01:00:00"}
	text, err := s.SlurmScript(o)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"#!/bin/sh", "#SBATCH --array=0-11%4", "#SBATCH --cpus-per-task=2", "#SBATCH --mem=4G",
		"#SBATCH --job-name=born-depth-scan", "#SBATCH --output=/scratch/res/logs/%A_%a.out",
		"exec '/opt/born' sweep run '/home/u/scan.yaml' --out '/scratch/res' --quiet"} {
		if !strings.Contains(text, w) {
			t.Errorf("script lacks %q:\n%s", w, text)
		}
	}
	for _, bad := range []func(*SlurmOptions){
		func(o *SlurmOptions) { o.Out = "rel" },
		func(o *SlurmOptions) { o.CPUs = 0 },
		func(o *SlurmOptions) { o.Mem = "lots" },
		func(o *SlurmOptions) { o.Time = "1h" },
		func(o *SlurmOptions) { o.Limit = -1 },
	} {
		o2 := o
		bad(&o2)
		if _, err := s.SlurmScript(o2); err == nil {
			t.Errorf("bad options %+v accepted", o2)
		}
	}
}

// The manifest decodes into Kubernetes' own batch/v1 Job type with unknown
// fields refused, and has the fields an Indexed Job needs.
func TestK8sJob(t *testing.T) {
	s := mustParse(t, scan)
	text, err := s.K8sJob(K8sOptions{Image: "ghcr.io/example/born:1.0", Parallelism: 3, CPU: "2", Memory: "4Gi", BackoffPer: 1})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := yaml.YAMLToJSON([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	var job batchv1.Job
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&job); err != nil {
		t.Fatalf("not a batch/v1 Job: %v\n%s", err, text)
	}
	sp := job.Spec
	switch {
	case job.APIVersion != "batch/v1" || job.Kind != "Job":
		t.Errorf("apiVersion %q kind %q", job.APIVersion, job.Kind)
	case sp.CompletionMode == nil || *sp.CompletionMode != batchv1.IndexedCompletion:
		t.Error("completionMode is not Indexed")
	case sp.Completions == nil || *sp.Completions != 12 || sp.Parallelism == nil || *sp.Parallelism != 3:
		t.Errorf("completions/parallelism %v/%v", sp.Completions, sp.Parallelism)
	case sp.Template.Spec.RestartPolicy != "Never":
		t.Errorf("restartPolicy %q (an Indexed Job with backoffLimitPerIndex needs Never)", sp.Template.Spec.RestartPolicy)
	case len(sp.Template.Spec.Containers) != 1:
		t.Fatal("want one container")
	}
	c := sp.Template.Spec.Containers[0]
	if c.Image != "ghcr.io/example/born:1.0" || strings.Join(c.Command, " ") != "born sweep run /sweep/sweep.yaml --out /results --quiet" {
		t.Errorf("container %+v", c)
	}
	if q := c.Resources.Requests.Memory(); q.String() != "4Gi" {
		t.Errorf("memory request %v", q)
	}
	if !k8sName.MatchString(job.Name) || len(job.Name) > 63 {
		t.Errorf("job name %q is not a DNS label", job.Name)
	}
	if _, err := s.K8sJob(K8sOptions{Parallelism: 1}); err == nil {
		t.Error("no image accepted")
	}
	if _, err := s.K8sJob(K8sOptions{Image: "x", Parallelism: 1, Memory: "lots"}); err == nil {
		t.Error("bad memory quantity accepted")
	}
}
