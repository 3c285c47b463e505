// Package compare trains Born machines of different families on the same
// data with the same seeds and reports them side by side on the same
// metrics: quantum circuits (the QCBM), neural networks (an RBM and a MADE
// autoregressive flow) and tensor networks (an MPS Born machine).
//
// It sits above bornmachine and classical, which do not import each other
// (both build on the packages dataset and model), so that the command line
// stays a thin layer. TrainClassical trains a classical baseline with
// bornmachine's Trainer.
package compare

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"born/bornmachine"
	"born/bornmachine/figures"
	"born/bornmachine/mpsbm"
	"born/classical"
	"born/classical/rbm"
	"born/dataset"
	"born/internal/atomicfile"
	"born/internal/setting"
	"born/internal/suggest"
	"born/model"
)

// Config says what to compare.
type Config struct {
	// Data is a dataset specification (dataset.ParseDataset).
	Data string
	// TestFraction is the share of the data points held out to measure
	// every model's test NLL (dataset.Load); negative: the data's default
	// (dataset.DefaultTestFraction: 0.2 for images, 0 otherwise).
	TestFraction float64
	// SplitSeed seeds the choice of the test set, the same for every model.
	SplitSeed uint64
	// Models are model specifications: qcbm:DEPTH[:pairs], hea:DEPTH,
	// rbm:H, flow:H, or a kind registered with Register.
	Models []string
	// Seeds are the seeds every model is trained with (one run each).
	Seeds []uint64
	// Steps, if > 0, overrides every family's number of training steps.
	Steps int
	// Sigmas are the bandwidths of the MMD kernel all models are measured
	// with (and the QCBM is trained with); nil means 0.5,1,2,4.
	Sigmas []float64
	// Out is the directory the report and the trained models go to.
	Out string
	// Program is born's version, recorded in model files.
	Program string
	// Progress, if set, is called as training goes on.
	Progress func(model string, seed uint64, r bornmachine.Record, steps int)
	// Started, if set, is called before each trial (one model, one seed):
	// trial k (from 1) of trials.
	Started func(model string, seed uint64, k, trials int)
}

// Trained is one trained model, as a family's trainer returns it.
type Trained struct {
	Model   model.Model
	History []bornmachine.Record
	Steps   int
	Seconds float64
	// Method is how gradients were computed (adjoint, exact, pcd, ...).
	Method string
	// Note explains a fallback to an approximate method ("" if none).
	Note string
	// Estimated is set when the metrics rest on estimates (AIS).
	Estimated bool
	// Saved is set when the trainer wrote model.json and history.csv to
	// its directory itself.
	Saved bool
}

// Family trains models of one kind.
type Family struct {
	// Name is the family's name in reports: quantum circuit, neural network
	// or tensor network.
	Name string
	// Train trains the model spec names on data with seed, writing
	// whatever it keeps into dir. steps > 0 overrides its default.
	// test (nil: none) is held-out data whose NLL the history may record.
	Train func(ctx context.Context, spec string, data, test *dataset.Dataset, seed uint64, steps int, sigmas []float64,
		dir string, program string, progress func(bornmachine.Record, int)) (*Trained, error)
}

var families = map[string]Family{}

// Register makes a model kind (the part of a specification before the
// first colon) known to Run.
func Register(kind string, f Family) { families[kind] = f }

func init() {
	Register("qcbm", Family{Name: "quantum circuit", Train: trainQCBM})
	Register("hea", Family{Name: "quantum circuit", Train: trainQCBM})
	for _, k := range classical.Kinds {
		Register(k, Family{Name: "neural network", Train: trainClassical})
	}
	Register("mps", Family{Name: "tensor network", Train: trainMPS})
}

// Kinds returns the registered model kinds.
func Kinds() []string { return slices.Sorted(maps.Keys(families)) }

func family(spec string) (Family, error) {
	kind, _, _ := strings.Cut(spec, ":")
	f, ok := families[kind]
	if !ok {
		return Family{}, fmt.Errorf("unknown model %q%s: use one of %s (as in qcbm:10,rbm:16,flow:16)", spec,
			suggest.DidYouMean(kind, Kinds()), strings.Join(Kinds(), ", "))
	}
	return f, nil
}

// DefaultSigmas are the paper's MMD bandwidths.
var DefaultSigmas = []float64{0.5, 1, 2, 4}

// QCBMSteps is the QCBM's default number of Adam steps in a comparison:
// the paper's BAS 3x3 protocol.
const QCBMSteps = 1000

// trainQCBM trains a QCBM as `born train` does (Adam lr 0.1, MMD with the
// given bandwidths) but with exact adjoint gradients, which equal the
// parameter-shift ones to rounding and cost far less.
func trainQCBM(ctx context.Context, spec string, data, test *dataset.Dataset, seed uint64, steps int, sigmas []float64,
	dir, program string, progress func(bornmachine.Record, int)) (*Trained, error) {
	rs := bornmachine.DefaultRunSpec()
	rs.Data, rs.Ansatz, rs.Seed, rs.Sigmas = data.Spec, spec, seed, sigmas
	if test != nil {
		rs.TestFraction, rs.SplitSeed = test.TestFraction, test.SplitSeed
	}
	rs.Grad = bornmachine.GradAdjoint
	rs.Steps = QCBMSteps
	if steps > 0 {
		rs.Steps = steps
	}
	rs.CheckpointEvery = rs.Steps
	run, err := bornmachine.NewRun(dir, rs, program)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	onRecord := func(r bornmachine.Record) {
		if progress != nil {
			progress(r, rs.Steps)
		}
	}
	if err := run.Train(ctx, 0, onRecord); err != nil {
		return nil, err
	}
	return &Trained{Model: run.Model, History: run.History, Steps: run.State.Step, Seconds: time.Since(start).Seconds(),
		Method: rs.Grad, Saved: true}, nil
}

func trainClassical(ctx context.Context, spec string, data, test *dataset.Dataset, seed uint64, steps int, sigmas []float64,
	dir, program string, progress func(bornmachine.Record, int)) (*Trained, error) {
	sp, err := classical.ParseSpec(spec)
	if err != nil {
		return nil, err
	}
	set := classical.DefaultSettingsFor(sp, data.Bits)
	set.Seed = seed
	if steps > 0 {
		set.Steps = steps
	}
	res, err := TrainClassical(ctx, spec, data, test, set)
	if err != nil {
		return nil, err
	}
	if progress != nil && len(res.History) > 0 {
		progress(res.History[len(res.History)-1], set.Steps)
	}
	return &Trained{Model: res.Model, History: res.History, Steps: set.Steps, Seconds: res.Seconds,
		Method: res.Method, Note: res.Note, Estimated: res.Estimated}, nil
}

// trainMPS trains an MPS Born machine by two-site sweeps on the exact NLL
// (mpsbm's defaults: 40 sweeps, one step each).
func trainMPS(ctx context.Context, spec string, data, test *dataset.Dataset, seed uint64, steps int, sigmas []float64,
	dir, program string, progress func(bornmachine.Record, int)) (*Trained, error) {
	set := mpsbm.DefaultSettings()
	set.Seed = seed
	if steps > 0 {
		set.Sweeps = steps
	}
	res, err := mpsbm.Train(ctx, spec, data, test, set)
	if err != nil {
		return nil, err
	}
	if progress != nil && len(res.History) > 0 {
		progress(res.History[len(res.History)-1], set.Sweeps)
	}
	return &Trained{Model: res.Model, History: res.History, Steps: set.Sweeps, Seconds: res.Seconds, Method: res.Method}, nil
}

// Trial is one trained model of a comparison.
type Trial struct {
	Model  string `json:"model"`
	Family string `json:"family"`
	Seed   uint64 `json:"seed"`
	Params int    `json:"params"`
	// KL, MMD and ValidMass are NaN (null in JSON) above
	// dataset.MaxExactBits bits; TestNLL is NaN without a test set;
	// NLLErr and TestNLLErr are standard errors of AIS estimates (0 when
	// exact).
	KL         float64 `json:"kl"`
	NLL        float64 `json:"nll"`
	NLLErr     float64 `json:"nll_err,omitempty"`
	TestNLL    float64 `json:"test_nll"`
	TestNLLErr float64 `json:"test_nll_err,omitempty"`
	MMD        float64 `json:"mmd"`
	ValidMass  float64 `json:"valid_mass"`
	Seconds    float64 `json:"seconds"`
	Steps      int     `json:"steps"`
	Method     string  `json:"method,omitempty"`
	Note       string  `json:"note,omitempty"`
	Estimated  bool    `json:"estimated,omitempty"`
	// Dir is the directory of the trial's model.json and history.csv,
	// relative to the report.
	Dir string `json:"dir"`

	history []bornmachine.Record
	probs   []float64
}

// Stat is a mean and a sample standard deviation over seeds (0 for one).
type Stat struct {
	Mean float64 `json:"mean"`
	Std  float64 `json:"std"`
}

func stat(xs []float64) Stat {
	var s Stat
	for _, x := range xs {
		s.Mean += x
	}
	s.Mean /= float64(len(xs))
	if len(xs) > 1 {
		for _, x := range xs {
			s.Std += (x - s.Mean) * (x - s.Mean)
		}
		s.Std = math.Sqrt(s.Std / float64(len(xs)-1))
	}
	return s
}

// Summary is one model over all seeds.
type Summary struct {
	Model     string `json:"model"`
	Family    string `json:"family"`
	Params    int    `json:"params"`
	Seeds     int    `json:"seeds"`
	Steps     int    `json:"steps"`
	KL        Stat   `json:"kl"`
	NLL       Stat   `json:"nll"`
	TestNLL   Stat   `json:"test_nll"`
	MMD       Stat   `json:"mmd"`
	ValidMass Stat   `json:"valid_mass"`
	Seconds   Stat   `json:"seconds"`
	Notes     string `json:"notes,omitempty"`
}

// Report is the outcome of a comparison; report.json holds it.
type Report struct {
	Data    string  `json:"data"`
	Bits    int     `json:"bits"`
	Entropy float64 `json:"entropy"` // of the data: the lowest NLL possible
	// TestFraction, SplitSeed, Samples and TestSamples describe the
	// train/test split (0 test samples: none).
	TestFraction float64 `json:"test_fraction"`
	SplitSeed    uint64  `json:"split_seed"`
	Samples      int     `json:"samples"`
	TestSamples  int     `json:"test_samples"`
	// Skipped says which metrics were not measured and why.
	Skipped string `json:"skipped,omitempty"`
	// Rows and Cols are the image shape of image data (0: not images).
	Rows     int               `json:"rows,omitempty"`
	Cols     int               `json:"cols,omitempty"`
	Sigmas   []float64         `json:"sigmas"`
	Seeds    []uint64          `json:"seeds"`
	Summary  []Summary         `json:"summary"`
	Trials   []Trial           `json:"trials"`
	Versions map[string]string `json:"versions"`
	// Warnings are figures that could not be drawn (the results stand).
	Warnings []string `json:"warnings,omitempty"`

	data, test *dataset.Dataset
}

// Files of a comparison directory.
const (
	ReportJSON = "report.json"
	ReportMD   = "report.md"
	PlotFile   = "compare.png"
	ModelsDir  = "models"
)

// Validate checks a configuration without training anything.
func (c *Config) Validate() error {
	if len(c.Models) == 0 {
		return setting.Errorf("{models} is empty: name at least one model, as in qcbm:10,rbm:16,flow:16")
	}
	seen := map[string]bool{}
	for _, m := range c.Models {
		if seen[m] {
			return setting.Errorf("{models} names %s twice", m)
		}
		seen[m] = true
		if _, err := family(m); err != nil {
			return err
		}
	}
	if len(c.Seeds) == 0 {
		return setting.Errorf("no seeds: {seeds} must be at least 1")
	}
	if c.Steps < 0 {
		return setting.Errorf("{steps} %d: must be positive (or 0 for each model's default)", c.Steps)
	}
	for _, s := range c.Sigmas {
		if !(s > 0) || math.IsInf(s, 0) {
			return setting.Errorf("{sigmas}: %g is not a finite positive bandwidth", s)
		}
	}
	if c.Out == "" {
		return setting.Errorf("no output directory ({out})")
	}
	return nil
}

func trialDir(model string, seed uint64) string {
	return filepath.Join(ModelsDir, fmt.Sprintf("%s-seed%d", strings.NewReplacer(":", "_", "/", "_", ",", "_").Replace(model), seed))
}

// Run trains every model with every seed on the data and writes the report,
// the plot and the trained models into cfg.Out.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	frac := cfg.TestFraction
	if frac < 0 {
		frac = dataset.DefaultTestFraction(cfg.Data)
	}
	data, test, err := dataset.Load(cfg.Data, frac, cfg.SplitSeed)
	if err != nil {
		return nil, err
	}
	sigmas := cfg.Sigmas
	if sigmas == nil {
		sigmas = DefaultSigmas
	}
	exact := data.Bits <= dataset.MaxExactBits
	var kernel *dataset.Kernel
	if exact {
		if kernel, err = dataset.NewKernel(data.Bits, data.Metric, sigmas); err != nil {
			return nil, err
		}
	}
	if _, err := os.Stat(filepath.Join(cfg.Out, ReportJSON)); err == nil {
		return nil, setting.Errorf("%s already holds a comparison; choose another {out}", cfg.Out)
	}
	rep := &Report{Data: data.Spec, Bits: data.Bits, Entropy: data.Entropy(), Sigmas: sigmas, Seeds: cfg.Seeds,
		TestFraction: frac, SplitSeed: cfg.SplitSeed, Samples: data.Samples, Rows: data.Rows, Cols: data.Cols,
		Versions: bornmachine.Versions(cfg.Program), data: data, test: test}
	if test != nil {
		rep.TestSamples = test.Samples
	}
	if !exact {
		rep.Skipped = model.SkippedNote
	}
	trial := 0
	for _, spec := range cfg.Models {
		fam, _ := family(spec)
		for _, seed := range cfg.Seeds {
			rel := trialDir(spec, seed)
			dir := filepath.Join(cfg.Out, rel)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return nil, err
			}
			trial++
			if cfg.Started != nil {
				cfg.Started(spec, seed, trial, len(cfg.Models)*len(cfg.Seeds))
			}
			var progress func(bornmachine.Record, int)
			if cfg.Progress != nil {
				progress = func(r bornmachine.Record, steps int) { cfg.Progress(spec, seed, r, steps) }
			}
			tr, err := fam.Train(ctx, spec, data, test, seed, cfg.Steps, sigmas, dir, cfg.Program, progress)
			if err != nil {
				return nil, fmt.Errorf("%s, seed %d: %w", spec, seed, err)
			}
			met, err := evaluate(tr, data, test, kernel)
			if err != nil {
				return nil, fmt.Errorf("%s, seed %d: %w", spec, seed, err)
			}
			if !tr.Saved {
				if err := saveModel(dir, tr, data, test, met, cfg.Program); err != nil {
					return nil, err
				}
			}
			var p []float64
			if exact {
				if p, err = tr.Model.Probabilities(); err != nil {
					return nil, err
				}
			} else if data.IsImage() {
				if err := writeSamples(filepath.Join(dir, SamplesFile), tr.Model, data, seed); err != nil {
					rep.Warnings = append(rep.Warnings, fmt.Sprintf("%s, seed %d: no %s: %v", spec, seed, SamplesFile, err))
				}
			}
			t := Trial{Model: spec, Family: fam.Name, Seed: seed, Params: tr.Model.NumParams(), KL: met.KL, NLL: met.NLL,
				NLLErr: met.NLLErr, TestNLL: math.NaN(), TestNLLErr: met.TestNLLErr, MMD: math.NaN(),
				ValidMass: met.ValidMass, Seconds: tr.Seconds, Steps: tr.Steps, Method: tr.Method, Note: tr.Note,
				Estimated: tr.Estimated, Dir: rel, history: tr.History, probs: p}
			if met.MMD != nil {
				t.MMD = *met.MMD
			}
			if met.TestNLL != nil {
				t.TestNLL = *met.TestNLL
			}
			rep.Trials = append(rep.Trials, t)
		}
	}
	rep.summarize()
	if err := rep.write(cfg.Out); err != nil {
		return nil, err
	}
	return rep, nil
}

// SamplesFile is the grid of 64 samples drawn from each model trained on
// image data above dataset.MaxExactBits bits, in its run's folder.
const SamplesFile = "samples.png"

// writeSamples draws 64 images from m (seeded by seed) and writes them as
// an 8 x 8 grid.
func writeSamples(path string, m model.Model, data *dataset.Dataset, seed uint64) error {
	xs, err := model.SampleWords(m, 64, seed)
	if err != nil {
		return err
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		return figures.ImageGrid(w, xs, data.Rows, data.Cols, 8, nil)
	})
}

// saveModel writes model.json and history.csv of a model its trainer did
// not save.
func saveModel(dir string, tr *Trained, data, test *dataset.Dataset, met *model.Metrics, program string) error {
	mf, err := bornmachine.NewModelFile(tr.Model)
	if err != nil {
		return err
	}
	mf.Data, mf.Metrics, mf.Versions = data.Info(test), met, bornmachine.Versions(program)
	return bornmachine.WriteModelDir(dir, mf, tr.History)
}

func (r *Report) summarize() {
	r.Summary = nil
	var order []string
	by := map[string][]Trial{}
	for _, t := range r.Trials {
		if _, ok := by[t.Model]; !ok {
			order = append(order, t.Model)
		}
		by[t.Model] = append(by[t.Model], t)
	}
	for _, m := range order {
		ts := by[m]
		col := func(f func(Trial) float64) Stat {
			xs := make([]float64, len(ts))
			for i, t := range ts {
				xs[i] = f(t)
			}
			return stat(xs)
		}
		notes := map[string]bool{}
		var noteList []string
		for _, t := range ts {
			if t.Note != "" && !notes[t.Note] {
				notes[t.Note] = true
				noteList = append(noteList, t.Note)
			}
			if t.Estimated && !notes["estimated"] {
				notes["estimated"] = true
				noteList = append(noteList, "NLL and KL are AIS estimates")
			}
		}
		var aisErr float64
		for _, t := range ts {
			aisErr = max(aisErr, t.NLLErr, t.TestNLLErr)
		}
		if aisErr > 0 {
			noteList = append(noteList, fmt.Sprintf("ln Z from AIS: the NLLs carry a standard error of up to %.3g nats", aisErr))
		}
		r.Summary = append(r.Summary, Summary{
			Model: m, Family: ts[0].Family, Params: ts[0].Params, Seeds: len(ts), Steps: ts[0].Steps,
			KL: col(func(t Trial) float64 { return t.KL }), NLL: col(func(t Trial) float64 { return t.NLL }),
			TestNLL: col(func(t Trial) float64 { return t.TestNLL }),
			MMD:     col(func(t Trial) float64 { return t.MMD }), ValidMass: col(func(t Trial) float64 { return t.ValidMass }),
			Seconds: col(func(t Trial) float64 { return t.Seconds }), Notes: strings.Join(noteList, "; "),
		})
	}
}

func (r *Report) write(dir string) error {
	// The models are trained and saved: a plot that cannot be drawn is a
	// warning (in report.json too), not a failure.
	plot := r.Plot
	if r.Skipped != "" {
		plot = r.PlotNLL
	}
	if err := atomicfile.Write(filepath.Join(dir, PlotFile), plot); err != nil {
		r.Warnings = append(r.Warnings, fmt.Sprintf("no %s: %v", PlotFile, err))
	}
	if err := atomicfile.Write(filepath.Join(dir, ReportJSON), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}); err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, ReportMD), r.WriteMarkdown)
}

func pm(s Stat, format string) string {
	return num(format, s.Mean) + " ± " + num(format, s.Std)
}

// num formats x, printing a value that rounds to zero without a minus sign
// (a KL of -1e-16 from rounding reads 0.0000, not -0.0000).
func num(format string, x float64) string {
	out := fmt.Sprintf(format, x)
	if strings.HasPrefix(out, "-") && strings.Trim(out, "-0.e+") == "" {
		return out[1:]
	}
	return out
}

// columns are the summary's columns: KL, MMD and valid mass only when
// measured (at most dataset.MaxExactBits bits), the test NLL only with a
// test set.
func (r *Report) columns() []column {
	exact, test := r.Skipped == "", r.TestSamples > 0
	cols := []column{{"params", "", func(s Summary) string { return fmt.Sprint(s.Params) }}}
	if exact {
		cols = append(cols, column{"KL", "KL(data‖model)", func(s Summary) string { return pm(s.KL, "%.4f") }})
	}
	cols = append(cols, column{"NLL", "", func(s Summary) string { return pm(s.NLL, "%.4f") }})
	if test {
		cols = append(cols, column{"test NLL", "", func(s Summary) string { return pm(s.TestNLL, "%.4f") }})
	}
	if exact {
		cols = append(cols, column{"MMD", "", func(s Summary) string { return pm(s.MMD, "%.2e") }},
			column{"valid mass", "", func(s Summary) string { return pm(s.ValidMass, "%.4f") }})
	}
	return append(cols, column{"seconds", "", func(s Summary) string { return pm(s.Seconds, "%.2f") }},
		column{"steps", "", func(s Summary) string { return fmt.Sprint(s.Steps) }})
}

type column struct {
	name, md string // md: the Markdown header, if not name
	value    func(Summary) string
}

// dataLine describes the data, the split and what was skipped.
func (r *Report) dataLine() string {
	out := fmt.Sprintf("%s: %d bits", r.Data, r.Bits)
	if r.Samples > 0 {
		out += fmt.Sprintf(", %d training data points", r.Samples)
	}
	if r.TestSamples > 0 {
		out += fmt.Sprintf(" and %d held out for testing (fraction %g, split seed %d)", r.TestSamples, r.TestFraction, r.SplitSeed)
	}
	out += fmt.Sprintf("; entropy %.4f nats (the lowest NLL on the training data)", r.Entropy)
	if r.Skipped != "" {
		out += "; " + r.Skipped
	}
	return out
}

// WriteTable writes the summary as an aligned text table.
func (r *Report) WriteTable(w io.Writer) error {
	cols := r.columns()
	head := []string{"model", "family"}
	for _, c := range cols {
		head = append(head, c.name)
	}
	rows := [][]string{head}
	for _, s := range r.Summary {
		row := []string{s.Model, s.Family}
		for _, c := range cols {
			row = append(row, c.value(s))
		}
		rows = append(rows, row)
	}
	width := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, c := range row {
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	for _, row := range rows {
		var b strings.Builder
		for i, c := range row {
			pad := strings.Repeat(" ", width[i]-len([]rune(c)))
			if i <= 1 {
				b.WriteString(c + pad)
			} else {
				b.WriteString(pad + c)
			}
			if i < len(row)-1 {
				b.WriteString("  ")
			}
		}
		if _, err := fmt.Fprintln(w, strings.TrimRight(b.String(), " ")); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "%s; mean ± std over %d seed(s)\n", r.dataLine(), len(r.Seeds))
	for _, s := range r.Summary {
		if s.Notes != "" {
			fmt.Fprintf(w, "note: %s: %s\n", s.Model, s.Notes)
		}
	}
	return nil
}

// WriteMarkdown writes report.md.
func (r *Report) WriteMarkdown(w io.Writer) error {
	fmt.Fprintf(w, "# Born machine comparison on %s\n\n", r.Data)
	fmt.Fprintf(w, "%s. ", r.dataLine())
	fmt.Fprintf(w, "Every model is trained with seeds %v; figures are mean ± sample standard deviation over seeds. ", r.Seeds)
	if r.Skipped == "" {
		fmt.Fprintf(w, "MMD is the exact squared MMD with the kernel sum_s exp(-d(x,y)^2/(2s)), s in %v.", r.Sigmas)
	}
	fmt.Fprint(w, "\n\n")
	cols := r.columns()
	head, rule := "| model | family |", "|---|---|"
	for _, c := range cols {
		name := c.name
		if c.md != "" {
			name = c.md
		}
		head += " " + name + " |"
		rule += "---:|"
	}
	fmt.Fprintln(w, head)
	fmt.Fprintln(w, rule)
	for _, s := range r.Summary {
		line := fmt.Sprintf("| %s | %s |", s.Model, s.Family)
		for _, c := range cols {
			line += " " + c.value(s) + " |"
		}
		fmt.Fprintln(w, line)
	}
	fmt.Fprintln(w)
	for _, s := range r.Summary {
		if s.Notes != "" {
			fmt.Fprintf(w, "- %s: %s\n", s.Model, s.Notes)
		}
	}
	if r.Skipped == "" {
		fmt.Fprintf(w, "\n![KL against training step, and model probabilities next to the data's](%s)\n\n", PlotFile)
	} else {
		fmt.Fprintf(w, "\n![test NLL against training time](%s)\n\n", PlotFile)
		if r.Rows > 0 {
			fmt.Fprintln(w, "64 samples of each model (first seed):")
			fmt.Fprintln(w)
			seen := map[string]bool{}
			for _, t := range r.Trials {
				if !seen[t.Model] {
					seen[t.Model] = true
					fmt.Fprintf(w, "- %s: ![samples of %s](%s)\n", t.Model, t.Model, filepath.ToSlash(filepath.Join(t.Dir, SamplesFile)))
				}
			}
			fmt.Fprintln(w)
		}
	}
	fmt.Fprintln(w, "## Every run")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| model | seed | KL | NLL | test NLL | MMD | valid mass | seconds | gradient | files |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---|---|")
	f := func(format string, x, se float64) string {
		if math.IsNaN(x) {
			return "–"
		}
		out := num(format, x)
		if se > 0 {
			out += fmt.Sprintf(" ± %.2g", se)
		}
		return out
	}
	for _, t := range r.Trials {
		fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %s | %s | %.2f | %s | %s |\n", t.Model, t.Seed, f("%.6f", t.KL, 0), f("%.6f", t.NLL, t.NLLErr),
			f("%.6f", t.TestNLL, t.TestNLLErr), f("%.3e", t.MMD, 0), f("%.6f", t.ValidMass, 0), t.Seconds, t.Method, filepath.ToSlash(t.Dir))
	}
	_, err := fmt.Fprintf(w, "\nVersions: %s\n", versionsLine(r.Versions))
	return err
}

func versionsLine(v map[string]string) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(v)) {
		parts = append(parts, k+" "+v[k])
	}
	return strings.Join(parts, ", ")
}

// lnZer is a model whose likelihoods rest on ln Z, exact or estimated (the
// RBM).
type lnZer interface{ LogZ() (rbm.LogZ, error) }

// evaluate returns the metrics of a trained model on its data, with the
// test NLL, and with the standard error of ln Z as the error bar of both
// NLLs when ln Z is an AIS estimate.
func evaluate(tr *Trained, data, test *dataset.Dataset, kernel *dataset.Kernel) (*model.Metrics, error) {
	met, err := model.Evaluate(tr.Model, data, kernel)
	if err != nil {
		return nil, err
	}
	if test != nil {
		v, err := model.NLL(tr.Model, test)
		if err != nil {
			return nil, err
		}
		met.TestNLL = &v
	}
	if z, ok := tr.Model.(lnZer); ok {
		lz, err := z.LogZ()
		if err != nil {
			return nil, err
		}
		if !lz.Exact {
			met.NLLErr = lz.StdErr
			if test != nil {
				met.TestNLLErr = lz.StdErr
			}
		}
	}
	return met, nil
}

func nanToNil(v float64) *float64 {
	if math.IsNaN(v) {
		return nil
	}
	return &v
}

func nilToNaN(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// MarshalJSON writes a mean and std that were not measured (NaN) as null.
func (s Stat) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Mean *float64 `json:"mean"`
		Std  *float64 `json:"std"`
	}{nanToNil(s.Mean), nanToNil(s.Std)})
}

// UnmarshalJSON reads null as NaN.
func (s *Stat) UnmarshalJSON(b []byte) error {
	var j struct {
		Mean *float64 `json:"mean"`
		Std  *float64 `json:"std"`
	}
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	s.Mean, s.Std = nilToNaN(j.Mean), nilToNaN(j.Std)
	return nil
}

type plainTrial Trial

// trialJSON is a Trial whose metrics that may be unmeasured (NaN) are
// pointers (null in JSON); its fields shadow the embedded Trial's.
type trialJSON struct {
	*plainTrial
	KL        *float64 `json:"kl"`
	TestNLL   *float64 `json:"test_nll"`
	MMD       *float64 `json:"mmd"`
	ValidMass *float64 `json:"valid_mass"`
}

// MarshalJSON writes the metrics that were not measured (NaN) as null.
func (t Trial) MarshalJSON() ([]byte, error) {
	return json.Marshal(trialJSON{(*plainTrial)(&t), nanToNil(t.KL), nanToNil(t.TestNLL), nanToNil(t.MMD), nanToNil(t.ValidMass)})
}

// UnmarshalJSON reads null metrics as NaN.
func (t *Trial) UnmarshalJSON(b []byte) error {
	j := trialJSON{plainTrial: (*plainTrial)(t)}
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	t.KL, t.TestNLL, t.MMD, t.ValidMass = nilToNaN(j.KL), nilToNaN(j.TestNLL), nilToNaN(j.MMD), nilToNaN(j.ValidMass)
	return nil
}
