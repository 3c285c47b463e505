package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"born/sweep"
)

// A 6-task sweep of quick training runs.
const sweepSpec = `name: ci
command: train
seed: 11
repeats: 2
args:
  data: bas:2x2
  steps: 40
  grad: adjoint
  sigmas: [0.5, 1]
grid:
  ansatz: [qcbm:1, qcbm:2, qcbm:3]
`

func writeSpec(t *testing.T, dir, src string) string {
	t.Helper()
	p := filepath.Join(dir, "sweep.yaml")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// collectJSON runs `born sweep collect --format json` and drops the wall
// times, which differ between runs.
func collectJSON(t *testing.T, out string) *sweep.Table {
	t.Helper()
	js, _, err := runBorn(t, "", "sweep", "collect", "--out", out, "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var tab sweep.Table
	if err := json.Unmarshal([]byte(js), &tab); err != nil {
		t.Fatal(err)
	}
	for i := range tab.Rows {
		tab.Rows[i].Seconds, tab.Rows[i].TaskSeconds = 0, 0
	}
	return &tab
}

func TestSweepLocal(t *testing.T) {
	dir := t.TempDir()
	spec := writeSpec(t, dir, sweepSpec)
	plan, _, err := runBorn(t, "", "sweep", "plan", spec)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plan, "# 6 tasks of born train") || !strings.Contains(plan, "5\tborn train --data=bas:2x2") {
		t.Errorf("plan:\n%s", plan)
	}
	out := filepath.Join(dir, "res")
	// One task alone, then the rest; a finished task is not rerun.
	if _, _, err := runBorn(t, "", "sweep", "run", spec, "--out", out, "--task", "4"); err != nil {
		t.Fatal(err)
	}
	st, _, err := runBorn(t, "", "sweep", "status", "--out", out)
	if !strings.Contains(st, "1 of 6 tasks finished") || !strings.Contains(st, "missing: 0-3,5") {
		t.Errorf("status:\n%s", st)
	}
	if err == nil || !strings.Contains(err.Error(), "5 of 6 tasks have not finished (0-3,5)") {
		t.Errorf("status with tasks missing: error %v, want a non-zero exit", err)
	}
	partial := collectJSON(t, out)
	if len(partial.Rows) != 1 || !reflect.DeepEqual(partial.Missing, []int{0, 1, 2, 3, 5}) {
		t.Errorf("partial collect: %+v", partial)
	}
	before, _ := os.ReadFile(filepath.Join(out, "tasks", "4", sweep.ResultFile))
	table, progress, err := runBorn(t, "", "sweep", spec, "--out", out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(table, "all 6 tasks finished") {
		t.Errorf("table:\n%s", table)
	}
	// Progress: task k of 6 (k from 1), each with an ETA; task 4 was done.
	lines := strings.Split(strings.TrimSpace(progress), "\n")
	if len(lines) != 6 {
		t.Fatalf("progress:\n%s", progress)
	}
	for k, l := range lines {
		state := "done in "
		if k == 4 {
			state = "already finished"
		}
		if !strings.HasPrefix(l, fmt.Sprintf("task %d of 6: id %d ", k+1, k)) || !strings.Contains(l, state) || !strings.Contains(l, "ETA ") {
			t.Errorf("progress line %d: %q", k+1, l)
		}
	}
	if _, quiet, err := runBorn(t, "", "sweep", spec, "--out", out, "--quiet"); err != nil || quiet != "" {
		t.Errorf("--quiet: %v, stderr %q", err, quiet)
	}
	after, _ := os.ReadFile(filepath.Join(out, "tasks", "4", sweep.ResultFile))
	if string(before) != string(after) {
		t.Error("a finished task was run again")
	}
	msg, _, err := runBorn(t, "", "sweep", "run", spec, "--out", out, "--task", "4")
	if err != nil || !strings.Contains(msg, "already finished") {
		t.Errorf("rerun of a finished task: %v %q", err, msg)
	}
	if st, _, err := runBorn(t, "", "sweep", "status", "--out", out, "--format", "json"); err != nil || !strings.Contains(st, `"missing": []`) {
		t.Errorf("status of a complete sweep: %v\n%s", err, st)
	}
	tab := collectJSON(t, out)
	if len(tab.Rows) != 6 || len(tab.Missing) != 0 {
		t.Fatalf("collect: %d rows, missing %v", len(tab.Rows), tab.Missing)
	}
	// Every row is a real training run: its KL matches the model it saved.
	for _, r := range tab.Rows {
		raw, err := os.ReadFile(filepath.Join(out, "tasks", strings.TrimSpace(jsonInt(r.Task)), sweep.RunDir, "model.json"))
		if err != nil {
			t.Fatal(err)
		}
		var mf struct {
			Settings struct {
				Seed uint64 `json:"seed"`
			} `json:"settings"`
			Metrics struct {
				KL float64 `json:"kl"`
			} `json:"metrics"`
		}
		json.Unmarshal(raw, &mf)
		if mf.Metrics.KL != r.KL || mf.Settings.Seed != r.Seed || r.Seed != sweep.TaskSeed(11, r.Task) {
			t.Errorf("task %d: row %+v, model %+v", r.Task, r, mf)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "collect.png")); err != nil {
		t.Error(err)
	}
	// Rerunning a task alone (forced) gives the same result.
	if _, _, err := runBorn(t, "", "sweep", "run", spec, "--out", out, "--task", "2", "--force"); err != nil {
		t.Fatal(err)
	}
	if again := collectJSON(t, out); !reflect.DeepEqual(again, tab) {
		t.Error("a forced rerun changed the results")
	}
}

func jsonInt(i int) string { b, _ := json.Marshal(i); return string(b) }

func TestSweepErrors(t *testing.T) {
	dir := t.TempDir()
	good := writeSpec(t, dir, sweepSpec)
	out := filepath.Join(dir, "res")
	if _, _, err := runBorn(t, "", "sweep", "run", good, "--out", out, "--task", "0"); err != nil {
		t.Fatal(err)
	}
	bad := func(name, src string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(src), 0o644)
		return p
	}
	other := bad("other.yaml", strings.Replace(sweepSpec, "steps: 40", "steps: 41", 1))
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"sweep", "plan", bad("unknown.yaml", sweepSpec+"extra: 1\n")}, "field extra not found"},
		{[]string{"sweep", "plan", bad("flag.yaml", strings.Replace(sweepSpec, "steps: 40", "stepz: 40", 1))}, "born train has no flag --stepz"},
		{[]string{"sweep", "plan", bad("value.yaml", strings.Replace(sweepSpec, "steps: 40", "steps: many", 1))}, "--steps=many"},
		{[]string{"sweep", "run", good, "--out", out, "--task", "6"}, "task 6: the sweep has tasks 0 to 5"},
		{[]string{"sweep", "run", good, "--out", out}, "no task: give --task"},
		{[]string{"sweep", "run", other, "--out", out, "--task", "0"}, "holds the results of another sweep"},
		{[]string{"sweep", "status", "--out", dir}, "holds no sweep"},
		{[]string{"sweep", "slurm", good, "--out", out, "--mem", "lots"}, "--mem"},
		{[]string{"sweep", "k8s", good}, "--image"},
	}
	for _, tc := range cases {
		_, _, err := runBorn(t, "", tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want %q", tc.args[:2], err, tc.want)
		}
	}
	// The task id may come from the scheduler's environment.
	t.Setenv("SLURM_ARRAY_TASK_ID", "3")
	if _, _, err := runBorn(t, "", "sweep", "run", good, "--out", out); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "tasks", "3", sweep.ResultFile)); err != nil {
		t.Error("SLURM_ARRAY_TASK_ID was not used")
	}
}

// buildBorn builds the born binary for tests that run it as a process.
func buildBorn(t *testing.T) string {
	t.Helper()
	exe := filepath.Join(t.TempDir(), "born")
	if out, err := exec.Command("go", "build", "-o", exe, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return exe
}

// A task killed with SIGKILL leaves no result; run again alone it finishes
// the sweep with exactly the result an undisturbed run gives.
func TestSweepKilledTask(t *testing.T) {
	if testing.Short() {
		t.Skip("builds born and trains")
	}
	born := buildBorn(t)
	dir := t.TempDir()
	spec := writeSpec(t, dir, `command: train
seed: 5
args: {data: "bas:3x3", steps: 400, grad: shift, workers: 1}
grid: {ansatz: ["qcbm:3"]}
`)
	killed := filepath.Join(dir, "killed")
	cmd := exec.Command(born, "sweep", "run", spec, "--out", killed, "--task", "0")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until the task is under way, then kill it.
	deadline := time.Now().Add(20 * time.Second)
	for {
		if m, _ := filepath.Glob(filepath.Join(killed, "tasks", ".0.tmp-*", "run", "model.json")); len(m) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the task did not start")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if _, err := os.Stat(filepath.Join(killed, "tasks", "0", sweep.ResultFile)); err == nil {
		t.Skip("the task finished before it could be killed")
	}
	if out, err := exec.Command(born, "sweep", "run", spec, "--out", killed, "--task", "0").CombinedOutput(); err != nil {
		t.Fatalf("rerun: %v\n%s", err, out)
	}
	clean := filepath.Join(dir, "clean")
	if out, err := exec.Command(born, "sweep", "run", spec, "--out", clean, "--task", "0").CombinedOutput(); err != nil {
		t.Fatalf("clean run: %v\n%s", err, out)
	}
	a, b := collectJSON(t, killed), collectJSON(t, clean)
	if !reflect.DeepEqual(a, b) || len(a.Rows) != 1 {
		t.Errorf("killed and rerun: %+v\nundisturbed: %+v", a, b)
	}
	if left, _ := filepath.Glob(filepath.Join(killed, "tasks", ".*")); len(left) != 0 {
		t.Errorf("leftovers of the killed attempt: %v", left)
	}
}

// TestSweepSlurm submits the 6-task sweep to a real Slurm cluster (started
// by scripts/slurm-local.sh in .ci/run), waits for it with squeue, and checks
// that the collected table equals the one from running every task here in
// sequence.
func TestSweepSlurm(t *testing.T) {
	if os.Getenv("BORN_SLURM") == "" {
		t.Skip("BORN_SLURM is unset: .ci/run sets it after starting a local Slurm cluster (scripts/slurm-local.sh)")
	}
	if testing.Short() {
		t.Skip("the Slurm sweep runs in the full test pass")
	}
	born := buildBorn(t)
	dir := t.TempDir()
	spec := writeSpec(t, dir, sweepSpec)
	out := filepath.Join(dir, "slurm")
	res, err := exec.Command(born, "sweep", "slurm", spec, "--out", out, "--cpus", "1", "--mem", "500M", "--limit", "6", "--submit").CombinedOutput()
	if err != nil {
		t.Fatalf("born sweep slurm --submit: %v\n%s", err, res)
	}
	var job string
	for _, line := range strings.Split(string(res), "\n") {
		if j, ok := strings.CutPrefix(line, "submitted job "); ok {
			job = strings.TrimSpace(j)
		}
	}
	if job == "" {
		t.Fatalf("no job id in %q", res)
	}
	deadline := time.Now().Add(5 * time.Minute)
	for {
		q, err := exec.Command("squeue", "-h", "-j", job).CombinedOutput()
		if err == nil && strings.TrimSpace(string(q)) == "" {
			break
		}
		if time.Now().After(deadline) {
			exec.Command("scancel", job).Run()
			t.Fatalf("job %s still queued after 5 minutes:\n%s", job, q)
		}
		time.Sleep(time.Second)
	}
	logs, _ := filepath.Glob(filepath.Join(out, "logs", "*.out"))
	if len(logs) != 6 {
		t.Errorf("%d array task logs, want 6", len(logs))
	}
	local := filepath.Join(dir, "local")
	if _, _, err := runBorn(t, "", "sweep", spec, "--out", local, "--quiet"); err != nil {
		t.Fatal(err)
	}
	a, b := collectJSON(t, out), collectJSON(t, local)
	if len(a.Missing) != 0 {
		for _, l := range logs {
			txt, _ := os.ReadFile(l)
			t.Logf("%s:\n%s", l, txt)
		}
		t.Fatalf("tasks missing after the Slurm job: %v", a.Missing)
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("Slurm results differ from local ones:\n%+v\n%+v", a, b)
	}
}

// The example sweep files stay valid: every flag exists and every value
// parses.
func TestSweepExamples(t *testing.T) {
	files, _ := filepath.Glob("../../examples/sweeps/*.yaml")
	if len(files) == 0 {
		t.Fatal("no example sweep files")
	}
	for _, f := range files {
		if _, _, err := runBorn(t, "", "sweep", "plan", f); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// The per-task lines count tasks from 1 to N: task id 0 is "1 of 2".
func TestSweepTaskCounter(t *testing.T) {
	dir := t.TempDir()
	spec := writeSpec(t, dir, `command: train
args: {data: "bas:2x2", steps: 2}
grid: {ansatz: ["qcbm:1", "qcbm:2"]}
`)
	_, errOut, err := runBorn(t, "", "sweep", spec, "--out", filepath.Join(dir, "res"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut, "task 1 of 2: id 0 ") || !strings.Contains(errOut, "task 2 of 2: id 1 ") {
		t.Errorf("stderr:\n%s", errOut)
	}
}

// sweep collect on a compare sweep: each model keeps its own training time
// and the spread over seeds, as report.json has them.
func TestSweepCollectCompare(t *testing.T) {
	dir := t.TempDir()
	spec := writeSpec(t, dir, `command: compare
args: {data: "bas:2x2", seeds: 3, steps: 30}
grid: {models: ["rbm:2,flow:2"]}
`)
	out := filepath.Join(dir, "res")
	text, _, err := runBorn(t, "", "sweep", spec, "--out", out, "--quiet")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(out, "tasks", "0", sweep.RunDir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Summary []struct {
			Model   string
			Seeds   int
			KL      struct{ Mean, Std float64 }
			Seconds struct{ Mean, Std float64 }
		}
	}
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatal(err)
	}
	js, _, err := runBorn(t, "", "sweep", "collect", "--out", out, "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var tab sweep.Table
	if err := json.Unmarshal([]byte(js), &tab); err != nil {
		t.Fatal(err)
	}
	if len(tab.Rows) != 2 || len(rep.Summary) != 2 {
		t.Fatalf("%d rows, %d summaries", len(tab.Rows), len(rep.Summary))
	}
	var sum float64
	for i, r := range tab.Rows {
		s := rep.Summary[i]
		if r.Model != s.Model || r.Seeds != 3 || r.KL != s.KL.Mean || r.KLStd != s.KL.Std || r.KLStd == 0 ||
			r.Seconds != s.Seconds.Mean || r.SecondsStd != s.Seconds.Std {
			t.Errorf("row %+v, report %+v", r.Row, s)
		}
		sum += r.Seconds * 3
		// The text shows mean ± std.
		if !strings.Contains(text, meanStdText(s.KL.Mean, s.KL.Std)) {
			t.Errorf("text lacks %s for %s:\n%s", meanStdText(s.KL.Mean, s.KL.Std), s.Model, text)
		}
	}
	// The models' times are parts of the task's.
	if tr := tab.Rows[0].TaskSeconds; sum > tr || tab.Rows[0].Seconds == tab.Rows[1].Seconds {
		t.Errorf("model seconds %v and %v (x3 seeds) against the task's %v", tab.Rows[0].Seconds, tab.Rows[1].Seconds, tr)
	}
	// CSV: a _std column after each mean, numbers that read back exactly.
	csvText, _, err := runBorn(t, "", "sweep", "collect", "--out", out, "--format", "csv", "--plot", "-")
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(csvText)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	for i, r := range tab.Rows {
		kl, _ := strconv.ParseFloat(recs[i+1][col["kl"]], 64)
		klStd, _ := strconv.ParseFloat(recs[i+1][col["kl_std"]], 64)
		if kl != r.KL || klStd != r.KLStd {
			t.Errorf("csv kl %v ± %v, want %v ± %v exactly", kl, klStd, r.KL, r.KLStd)
		}
	}
}

// meanStdText is how the table prints a mean and its standard deviation:
// both to the second significant digit of the deviation.
func meanStdText(mean, std float64) string {
	d := max(0, 1-int(math.Floor(math.Log10(std))))
	return strconv.FormatFloat(mean, 'f', d, 64) + " ± " + strconv.FormatFloat(std, 'f', d, 64)
}
