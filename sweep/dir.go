package sweep

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"born/bornmachine"
	"born/compare"
	"born/internal/atomicfile"
	"born/internal/setting"
)

// Files of a sweep directory.
const (
	SpecFile   = "sweep.json" // the sweep's definition and digest
	TasksDir   = "tasks"      // tasks/ID/ per finished task
	ResultFile = "result.json"
	RunDir     = "run" // the command's own output, inside tasks/ID/
)

// Dir is a sweep's result directory.
type Dir struct {
	Path string
	Spec *Spec
}

type dirFile struct {
	Format string `json:"format"` // "born-sweep"
	Digest string `json:"digest"`
	Spec   *Spec  `json:"spec"`
	Tasks  int    `json:"tasks"`
}

const dirFormat = "born-sweep"

// Open prepares path for spec's results: a new directory is created and
// claimed for the sweep; an existing one must belong to the same sweep
// (same digest), so that one sweep never overwrites another's results.
func Open(path string, spec *Spec) (*Dir, error) {
	d := &Dir{Path: path, Spec: spec}
	f := filepath.Join(path, SpecFile)
	raw, err := os.ReadFile(f)
	switch {
	case err == nil:
		var df dirFile
		if err := json.Unmarshal(raw, &df); err != nil || df.Format != dirFormat {
			return nil, setting.Errorf("%s is not a born sweep directory (%s is unreadable); choose another folder ({out})", path, f)
		}
		if df.Digest != spec.Digest() {
			return nil, setting.Errorf("%s holds the results of another sweep (different command, seed, args or grid); choose another folder ({out})", path)
		}
		return d, nil
	case !errors.Is(err, os.ErrNotExist):
		return nil, err
	}
	if entries, err := os.ReadDir(path); err == nil && len(entries) > 0 {
		return nil, setting.Errorf("%s is not empty and holds no sweep; choose another folder ({out})", path)
	}
	if err := os.MkdirAll(filepath.Join(path, TasksDir), 0o755); err != nil {
		return nil, err
	}
	if err := writeJSON(f, dirFile{Format: dirFormat, Digest: spec.Digest(), Spec: spec, Tasks: spec.NumTasks()}); err != nil {
		return nil, err
	}
	return d, nil
}

// writeJSON writes v as indented JSON to path, atomically.
func writeJSON(path string, v any) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	})
}

// OpenExisting opens the sweep directory path, reading its definition.
func OpenExisting(path string) (*Dir, error) {
	raw, err := os.ReadFile(filepath.Join(path, SpecFile))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, setting.Errorf("%s holds no sweep (no %s); run a task first or check the folder ({out})", path, SpecFile)
		}
		return nil, err
	}
	var df dirFile
	if err := json.Unmarshal(raw, &df); err != nil || df.Format != dirFormat || df.Spec == nil {
		return nil, fmt.Errorf("%s: not a born sweep file", filepath.Join(path, SpecFile))
	}
	return &Dir{Path: path, Spec: df.Spec}, nil
}

// TaskPath returns the directory of task id's results.
func (d *Dir) TaskPath(id int) string {
	return filepath.Join(d.Path, TasksDir, strconv.Itoa(id))
}

// Done reports whether task id has finished.
func (d *Dir) Done(id int) bool {
	_, err := os.Stat(filepath.Join(d.TaskPath(id), ResultFile))
	return err == nil
}

// Exec runs born command with args, writing its output directory out.
type Exec func(command string, args []string, out string) error

// Result is what a finished task leaves in result.json.
type Result struct {
	Task    Task    `json:"task"`
	Command string  `json:"command"`
	Rows    []Row   `json:"rows"`
	Seconds float64 `json:"seconds"`
}

// Row is one trained model's outcome: a train task has one, a compare task
// one per model, whose metrics are means over the comparison's seeds with
// their sample standard deviations (the _std fields, 0 for one seed).
type Row struct {
	Model     string  `json:"model"`
	Params    int     `json:"params"`
	Steps     int     `json:"steps"`
	KL        float64 `json:"kl"`
	NLL       float64 `json:"nll"`
	ValidMass float64 `json:"valid_mass"`
	MMD       float64 `json:"mmd"`
	// TestNLL is the NLL on held-out data (nil: no test set). KL, valid
	// mass and MMD are NaN above 24 bits (not measured), null in JSON.
	TestNLL *float64 `json:"test_nll,omitempty"`
	// Seconds is the model's own training time (a comparison's: the mean
	// over seeds), not the task's wall time.
	Seconds float64 `json:"seconds"`

	Seeds        int     `json:"seeds,omitempty"` // compare: the seeds the means are over
	KLStd        float64 `json:"kl_std,omitempty"`
	NLLStd       float64 `json:"nll_std,omitempty"`
	ValidMassStd float64 `json:"valid_mass_std,omitempty"`
	MMDStd       float64 `json:"mmd_std,omitempty"`
	TestNLLStd   float64 `json:"test_nll_std,omitempty"`
	SecondsStd   float64 `json:"seconds_std,omitempty"`
}

// RunTask runs task id unless it has finished (or force is set), in a
// temporary directory that is renamed into place when the task succeeds, so
// a killed task leaves no result and can simply be run again.
func (d *Dir) RunTask(id int, force bool, exec Exec) (ran bool, err error) {
	t, err := d.Spec.Task(id)
	if err != nil {
		return false, err
	}
	final := d.TaskPath(id)
	if d.Done(id) && !force {
		return false, nil
	}
	tasks := filepath.Join(d.Path, TasksDir)
	if err := os.MkdirAll(tasks, 0o755); err != nil {
		return false, err
	}
	// Leftovers of killed attempts of this task.
	old, _ := filepath.Glob(filepath.Join(tasks, fmt.Sprintf(".%d.tmp-*", id)))
	for _, o := range old {
		os.RemoveAll(o)
	}
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	tmp := filepath.Join(tasks, fmt.Sprintf(".%d.tmp-%s", id, hex.EncodeToString(rnd[:])))
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return false, err
	}
	defer os.RemoveAll(tmp)
	start := time.Now()
	if err := exec(d.Spec.Command, t.Args, filepath.Join(tmp, RunDir)); err != nil {
		return true, fmt.Errorf("task %d (%s %s): %w", id, d.Spec.Command, strings.Join(t.Args, " "), err)
	}
	res := Result{Task: t, Command: d.Spec.Command, Seconds: time.Since(start).Seconds()}
	rows, err := readRows(d.Spec.Command, filepath.Join(tmp, RunDir))
	if err != nil {
		return true, fmt.Errorf("task %d: %w", id, err)
	}
	res.Rows = rows
	if err := writeJSON(filepath.Join(tmp, ResultFile), res); err != nil {
		return true, err
	}
	if force {
		if err := os.RemoveAll(final); err != nil {
			return true, err
		}
	}
	if err := os.Rename(tmp, final); err != nil {
		return true, fmt.Errorf("task %d: %w", id, err)
	}
	return true, nil
}

// readRows reads the outcome of a train run (model.json) or a comparison
// (report.json) from its output directory.
func readRows(command, out string) ([]Row, error) {
	switch command {
	case "train":
		raw, err := os.ReadFile(filepath.Join(out, bornmachine.ModelFileName))
		if err != nil {
			return nil, err
		}
		var mf bornmachine.ModelFile
		if err := json.Unmarshal(raw, &mf); err != nil {
			return nil, fmt.Errorf("%s: %v", bornmachine.ModelFileName, err)
		}
		if mf.Metrics == nil {
			return nil, fmt.Errorf("%s has no final metrics: the run did not finish", bornmachine.ModelFileName)
		}
		r := Row{Model: mf.Kind, Params: mf.NumParams, KL: mf.Metrics.KL, NLL: mf.Metrics.NLL, ValidMass: mf.Metrics.ValidMass, TestNLL: mf.Metrics.TestNLL}
		if mf.Settings != nil && mf.Settings.Ansatz != "" {
			r.Model = mf.Settings.Ansatz
		}
		if mf.Train != nil {
			r.Steps, r.Seconds = mf.Train.Step, mf.Train.Wall
		}
		if mf.Metrics.MMD != nil {
			r.MMD = *mf.Metrics.MMD
		}
		return []Row{r}, nil
	case "compare":
		raw, err := os.ReadFile(filepath.Join(out, compare.ReportJSON))
		if err != nil {
			return nil, err
		}
		var rep compare.Report
		if err := json.Unmarshal(raw, &rep); err != nil {
			return nil, fmt.Errorf("%s: %v", compare.ReportJSON, err)
		}
		var rows []Row
		for _, s := range rep.Summary {
			rows = append(rows, Row{Model: s.Model, Params: s.Params, Steps: s.Steps, KL: s.KL.Mean, NLL: s.NLL.Mean,
				ValidMass: s.ValidMass.Mean, MMD: s.MMD.Mean, Seconds: s.Seconds.Mean,
				Seeds: s.Seeds, KLStd: s.KL.Std, NLLStd: s.NLL.Std, ValidMassStd: s.ValidMass.Std, MMDStd: s.MMD.Std,
				SecondsStd: s.Seconds.Std, TestNLL: nanNil(s.TestNLL.Mean), TestNLLStd: s.TestNLL.Std})
		}
		return rows, nil
	}
	return nil, fmt.Errorf("unknown command %q", command)
}

// Status lists the finished and missing tasks.
func (d *Dir) Status() (done, missing []int) {
	for id := 0; id < d.Spec.NumTasks(); id++ {
		if d.Done(id) {
			done = append(done, id)
		} else {
			missing = append(missing, id)
		}
	}
	return done, missing
}

// ReadResult reads the result of a finished task.
func (d *Dir) ReadResult(id int) (*Result, error) {
	raw, err := os.ReadFile(filepath.Join(d.TaskPath(id), ResultFile))
	if err != nil {
		return nil, err
	}
	var r Result
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, fmt.Errorf("task %d: %s: %v", id, ResultFile, err)
	}
	return &r, nil
}

// Ranges prints ids compactly: 0-3,7,9-10.
func Ranges(ids []int) string {
	sort.Ints(ids)
	var parts []string
	for i := 0; i < len(ids); {
		j := i
		for j+1 < len(ids) && ids[j+1] == ids[j]+1 {
			j++
		}
		if j == i {
			parts = append(parts, strconv.Itoa(ids[i]))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", ids[i], ids[j]))
		}
		i = j + 1
	}
	return strings.Join(parts, ",")
}

type plainRow Row

// rowJSON is a Row whose metrics that may be unmeasured (NaN) are pointers,
// null in JSON; its fields shadow the embedded Row's.
type rowJSON struct {
	*plainRow
	KL           *float64 `json:"kl"`
	NLL          *float64 `json:"nll"`
	ValidMass    *float64 `json:"valid_mass"`
	MMD          *float64 `json:"mmd"`
	KLStd        *float64 `json:"kl_std,omitempty"`
	ValidMassStd *float64 `json:"valid_mass_std,omitempty"`
	MMDStd       *float64 `json:"mmd_std,omitempty"`
	TestNLLStd   *float64 `json:"test_nll_std,omitempty"`
}

func nanNil(v float64) *float64 {
	if math.IsNaN(v) {
		return nil
	}
	return &v
}

// nonZero is nanNil for the omitempty deviations: 0 and NaN are left out.
func nonZero(v float64) *float64 {
	if v == 0 {
		return nil
	}
	return nanNil(v)
}

func nilNaN(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// MarshalJSON writes the metrics not measured (NaN) as null.
func (r Row) MarshalJSON() ([]byte, error) {
	return json.Marshal(rowJSON{(*plainRow)(&r), nanNil(r.KL), nanNil(r.NLL), nanNil(r.ValidMass), nanNil(r.MMD),
		nonZero(r.KLStd), nonZero(r.ValidMassStd), nonZero(r.MMDStd), nonZero(r.TestNLLStd)})
}

// UnmarshalJSON reads null metrics as NaN.
func (r *Row) UnmarshalJSON(b []byte) error {
	j := rowJSON{plainRow: (*plainRow)(r)}
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	r.KL, r.NLL, r.ValidMass, r.MMD = nilNaN(j.KL), nilNaN(j.NLL), nilNaN(j.ValidMass), nilNaN(j.MMD)
	r.KLStd, r.ValidMassStd, r.MMDStd, r.TestNLLStd = zeroIfNil(j.KLStd), zeroIfNil(j.ValidMassStd), zeroIfNil(j.MMDStd), zeroIfNil(j.TestNLLStd)
	return nil
}

func zeroIfNil(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}
