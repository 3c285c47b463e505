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
	"born/bornmachine/mpsbm"
	"born/classical"
	"born/dataset"
	"born/internal/atomicfile"
	"born/internal/suggest"
	"born/model"
)

// Config says what to compare.
type Config struct {
	// Data is a dataset specification (dataset.ParseDataset).
	Data string
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
	Train func(ctx context.Context, spec string, data *dataset.Dataset, seed uint64, steps int, sigmas []float64,
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
func trainQCBM(ctx context.Context, spec string, data *dataset.Dataset, seed uint64, steps int, sigmas []float64,
	dir, program string, progress func(bornmachine.Record, int)) (*Trained, error) {
	rs := bornmachine.DefaultRunSpec()
	rs.Data, rs.Ansatz, rs.Seed, rs.Sigmas = data.Spec, spec, seed, sigmas
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

func trainClassical(ctx context.Context, spec string, data *dataset.Dataset, seed uint64, steps int, sigmas []float64,
	dir, program string, progress func(bornmachine.Record, int)) (*Trained, error) {
	sp, err := classical.ParseSpec(spec)
	if err != nil {
		return nil, err
	}
	set := classical.DefaultSettings(sp.Kind)
	set.Seed = seed
	if steps > 0 {
		set.Steps = steps
	}
	res, err := TrainClassical(ctx, spec, data, set)
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
func trainMPS(ctx context.Context, spec string, data *dataset.Dataset, seed uint64, steps int, sigmas []float64,
	dir, program string, progress func(bornmachine.Record, int)) (*Trained, error) {
	set := mpsbm.DefaultSettings()
	set.Seed = seed
	if steps > 0 {
		set.Sweeps = steps
	}
	res, err := mpsbm.Train(ctx, spec, data, set)
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
	Model     string  `json:"model"`
	Family    string  `json:"family"`
	Seed      uint64  `json:"seed"`
	Params    int     `json:"params"`
	KL        float64 `json:"kl"`
	NLL       float64 `json:"nll"`
	MMD       float64 `json:"mmd"`
	ValidMass float64 `json:"valid_mass"`
	Seconds   float64 `json:"seconds"`
	Steps     int     `json:"steps"`
	Method    string  `json:"method,omitempty"`
	Note      string  `json:"note,omitempty"`
	Estimated bool    `json:"estimated,omitempty"`
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
	MMD       Stat   `json:"mmd"`
	ValidMass Stat   `json:"valid_mass"`
	Seconds   Stat   `json:"seconds"`
	Notes     string `json:"notes,omitempty"`
}

// Report is the outcome of a comparison; report.json holds it.
type Report struct {
	Data     string            `json:"data"`
	Bits     int               `json:"bits"`
	Entropy  float64           `json:"entropy"` // of the data: the lowest NLL possible
	Sigmas   []float64         `json:"sigmas"`
	Seeds    []uint64          `json:"seeds"`
	Summary  []Summary         `json:"summary"`
	Trials   []Trial           `json:"trials"`
	Versions map[string]string `json:"versions"`

	data *dataset.Dataset
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
		return fmt.Errorf("--models is empty: name at least one model, as in qcbm:10,rbm:16,flow:16")
	}
	seen := map[string]bool{}
	for _, m := range c.Models {
		if seen[m] {
			return fmt.Errorf("--models names %s twice", m)
		}
		seen[m] = true
		if _, err := family(m); err != nil {
			return err
		}
	}
	if len(c.Seeds) == 0 {
		return fmt.Errorf("no seeds: --seeds must be at least 1")
	}
	if c.Steps < 0 {
		return fmt.Errorf("--steps %d: must be positive (or 0 for each model's default)", c.Steps)
	}
	for _, s := range c.Sigmas {
		if !(s > 0) || math.IsInf(s, 0) {
			return fmt.Errorf("--sigmas: %g is not a finite positive bandwidth", s)
		}
	}
	if c.Out == "" {
		return fmt.Errorf("no output directory (--out)")
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
	data, err := dataset.ParseDataset(cfg.Data)
	if err != nil {
		return nil, err
	}
	if data.Bits > dataset.MaxExactBits {
		return nil, fmt.Errorf("%s has %d bits: a comparison measures exact KL, NLL and MMD, which need at most %d", cfg.Data, data.Bits, dataset.MaxExactBits)
	}
	sigmas := cfg.Sigmas
	if sigmas == nil {
		sigmas = DefaultSigmas
	}
	kernel, err := dataset.NewKernel(data.Bits, data.Metric, sigmas)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(cfg.Out, ReportJSON)); err == nil {
		return nil, fmt.Errorf("%s already holds a comparison; choose another --out", cfg.Out)
	}
	rep := &Report{Data: data.Spec, Bits: data.Bits, Entropy: data.Entropy(), Sigmas: sigmas, Seeds: cfg.Seeds,
		Versions: bornmachine.Versions(cfg.Program), data: data}
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
			tr, err := fam.Train(ctx, spec, data, seed, cfg.Steps, sigmas, dir, cfg.Program, progress)
			if err != nil {
				return nil, fmt.Errorf("%s, seed %d: %w", spec, seed, err)
			}
			met, err := model.Evaluate(tr.Model, data, kernel)
			if err != nil {
				return nil, fmt.Errorf("%s, seed %d: %w", spec, seed, err)
			}
			if !tr.Saved {
				if err := saveModel(dir, tr, data, met, cfg.Program); err != nil {
					return nil, err
				}
			}
			p, err := tr.Model.Probabilities()
			if err != nil {
				return nil, err
			}
			t := Trial{Model: spec, Family: fam.Name, Seed: seed, Params: tr.Model.NumParams(), KL: met.KL, NLL: met.NLL,
				ValidMass: met.ValidMass, Seconds: tr.Seconds, Steps: tr.Steps, Method: tr.Method, Note: tr.Note,
				Estimated: tr.Estimated, Dir: rel, history: tr.History, probs: p}
			if met.MMD != nil {
				t.MMD = *met.MMD
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

// saveModel writes model.json and history.csv of a model its trainer did
// not save.
func saveModel(dir string, tr *Trained, data *dataset.Dataset, met *model.Metrics, program string) error {
	mf, err := bornmachine.NewModelFile(tr.Model)
	if err != nil {
		return err
	}
	mf.Data, mf.Metrics, mf.Versions = data.Info(), met, bornmachine.Versions(program)
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
		r.Summary = append(r.Summary, Summary{
			Model: m, Family: ts[0].Family, Params: ts[0].Params, Seeds: len(ts), Steps: ts[0].Steps,
			KL: col(func(t Trial) float64 { return t.KL }), NLL: col(func(t Trial) float64 { return t.NLL }),
			MMD: col(func(t Trial) float64 { return t.MMD }), ValidMass: col(func(t Trial) float64 { return t.ValidMass }),
			Seconds: col(func(t Trial) float64 { return t.Seconds }), Notes: strings.Join(noteList, "; "),
		})
	}
}

func (r *Report) write(dir string) error {
	if err := atomicfile.Write(filepath.Join(dir, ReportJSON), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}); err != nil {
		return err
	}
	if err := atomicfile.Write(filepath.Join(dir, ReportMD), r.WriteMarkdown); err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, PlotFile), r.Plot)
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

// WriteTable writes the summary as an aligned text table.
func (r *Report) WriteTable(w io.Writer) error {
	rows := [][]string{{"model", "family", "params", "KL", "NLL", "MMD", "valid mass", "seconds", "steps"}}
	for _, s := range r.Summary {
		rows = append(rows, []string{s.Model, s.Family, fmt.Sprint(s.Params), pm(s.KL, "%.4f"), pm(s.NLL, "%.4f"),
			pm(s.MMD, "%.2e"), pm(s.ValidMass, "%.4f"), pm(s.Seconds, "%.2f"), fmt.Sprint(s.Steps)})
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
	fmt.Fprintf(w, "%s: %d bits, entropy %.4f nats (the lowest NLL); mean ± std over %d seed(s)\n", r.Data, r.Bits, r.Entropy, len(r.Seeds))
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
	fmt.Fprintf(w, "%d bits; the data's entropy is %.4f nats, the lowest NLL any model can reach. ", r.Bits, r.Entropy)
	fmt.Fprintf(w, "Every model is trained with seeds %v; figures are mean ± sample standard deviation over seeds. ", r.Seeds)
	fmt.Fprintf(w, "MMD is the exact squared MMD with the kernel sum_s exp(-d(x,y)^2/(2s)), s in %v.\n\n", r.Sigmas)
	fmt.Fprintln(w, "| model | family | params | KL(data‖model) | NLL | MMD | valid mass | seconds | steps |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|---:|---:|")
	for _, s := range r.Summary {
		fmt.Fprintf(w, "| %s | %s | %d | %s | %s | %s | %s | %s | %d |\n", s.Model, s.Family, s.Params,
			pm(s.KL, "%.4f"), pm(s.NLL, "%.4f"), pm(s.MMD, "%.2e"), pm(s.ValidMass, "%.4f"), pm(s.Seconds, "%.2f"), s.Steps)
	}
	fmt.Fprintln(w)
	for _, s := range r.Summary {
		if s.Notes != "" {
			fmt.Fprintf(w, "- %s: %s\n", s.Model, s.Notes)
		}
	}
	fmt.Fprintf(w, "\n![KL against training step, and model probabilities next to the data's](%s)\n\n", PlotFile)
	fmt.Fprintln(w, "## Every run")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| model | seed | KL | NLL | MMD | valid mass | seconds | gradient | files |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---|---|")
	for _, t := range r.Trials {
		fmt.Fprintf(w, "| %s | %d | %.6f | %.6f | %.3e | %.6f | %.2f | %s | %s |\n", t.Model, t.Seed, t.KL, t.NLL, t.MMD,
			t.ValidMass, t.Seconds, t.Method, filepath.ToSlash(t.Dir))
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
