package main

import (
	"cmp"
	"fmt"
	"io"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"born/bornmachine"
	"born/bornmachine/figures"
	"born/circuit"
	"born/dataset"
	"born/internal/atomicfile"
	"born/internal/multinomial"
	"born/model"
	"born/models"
)

type sampleOptions struct {
	out, errOut io.Writer

	model  string
	shots  int
	seed   uint64
	format string
	file   string // -o: where the output goes ("": standard output)
	// stdoutTerminal reports whether standard output is a terminal, where
	// a PNG does not belong.
	stdoutTerminal bool
	// condition is the mask of the pixels to complete ("": plain
	// samples); images is the number of data images completed, completions
	// the samples drawn for each. shotsSet reports whether --shots was given.
	condition           string
	images, completions int
	shotsSet            bool
}

// maxGridSamples is the largest number of samples a png grid draws.
const maxGridSamples = 1024

// maxListedSamples is the most samples drawn one by one: json lists them
// all; text prints the counts of more as one multinomial draw over the
// model's exact distribution.
const maxListedSamples = 1 << 20

func newSampleCmd(runF func(*sampleOptions) error) *cobra.Command {
	opts := &sampleOptions{}
	cmd := &cobra.Command{
		Use:   "sample MODEL.json",
		Short: "Draw samples from a trained Born machine",
		Long: `Draw samples from a trained model (a model.json written by born train, or
its run directory).

--format text prints each sampled bitstring (q[n-1]...q[0]) with its count
and frequency, most frequent first; json prints {"bits", "shots", "seed",
"counts": {"0101": 12, ...}, "samples": ["0101", ...]} with the samples in
the order drawn; png draws the samples as images in a grid (the model must
have been trained on image data: bas:RxC, digits, idx:), framing invalid
bars-and-stripes patterns in red.

--condition MASK completes images instead: it takes --images images of the
model's data (its test set when it was trained with one, else its training
data; drawn with --seed), hides the pixels MASK names (lower, upper, left,
right, or box:I0-I1,J0-J1 with rows and columns from 0, inclusive) and draws
--completions samples of each from the model's exact conditional
distribution given the visible pixels, as Han et al. (PRX 8, 031012, 2018)
complete MNIST digits. mps and flow models sample these exactly. png shows
one image a row: the original, the visible part (hidden pixels grey), then
the completions (completed pixels in blue); text and json list the
bitstrings. The summary gives the share of hidden pixels the completions
got right.

The output goes to standard output, or to the file -o names; a PNG goes to
samples.png when standard output is a terminal and -o is not given. The
same --seed gives the same samples.`,
		Example: `  born sample runs/20260101-120000/model.json --shots 20
  born sample runs/20260101-120000 --shots 100 --format png > bas.png
  born sample runs/20260101-120000 --shots 100 --format png -o bas.png
  born sample runs/20260101-120000 --condition lower --format png -o completions.png`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.out, opts.errOut = cmd.OutOrStdout(), cmd.ErrOrStderr()
			opts.model = args[0]
			opts.stdoutTerminal = isTerminal(opts.out)
			opts.shotsSet = cmd.Flags().Changed("shots")
			if runF != nil {
				return runF(opts)
			}
			return runSample(opts)
		},
	}
	f := cmd.Flags()
	f.IntVar(&opts.shots, "shots", 1000, "number of samples")
	f.Uint64Var(&opts.seed, "seed", 1, "random seed; the same seed gives the same samples")
	f.StringVar(&opts.format, "format", "text", "output: text, json or png")
	f.StringVarP(&opts.file, "output", "o", "", "write to this file (atomically) instead of standard output")
	f.StringVar(&opts.condition, "condition", "", "complete data images with these pixels hidden: lower, upper, left, right or box:I0-I1,J0-J1")
	f.IntVar(&opts.images, "images", 8, "with --condition: number of data images to complete")
	f.IntVar(&opts.completions, "completions", 4, "with --condition: completions drawn for each image")
	hiddenAliases(cmd, map[string]string{"out": "output"})
	return inFlagWords(cmd)
}

func runSample(opts *sampleOptions) error {
	switch opts.format {
	case "text", "json", "png":
	default:
		return fmt.Errorf("--format %q: use text, json or png", opts.format)
	}
	if opts.shots < 1 {
		return fmt.Errorf("--shots %d: need at least 1 sample", opts.shots)
	}
	path := modelFile(opts.model)
	mf, m, err := models.ReadFile(path)
	if err != nil {
		return err
	}
	if opts.condition != "" {
		return runCondition(opts, path, mf, m)
	}
	// bas data: a PNG frames the samples that are not valid patterns.
	var data *dataset.Dataset
	if opts.format == "png" {
		if !isImageData(mf) {
			return fmt.Errorf("--format png draws images, but this model was trained on %s, not on image data (bas:RxC, digits, idx:); use text or json", dataSpec(mf))
		}
		if strings.HasPrefix(mf.Data.Spec, "bas:") && mf.Data.Rows*mf.Data.Cols == m.NumBits() {
			if data, err = dataset.BarsAndStripes(mf.Data.Rows, mf.Data.Cols); err != nil {
				return err
			}
		}
	}
	n := m.NumBits()
	w := dataset.Words(n)
	if opts.format == "json" && opts.shots > maxListedSamples {
		return fmt.Errorf("--shots %d: --format json lists every sample, at most %d; --format text prints the counts of any number of shots", opts.shots, maxListedSamples)
	}
	var samples []uint64 // dataset.Words(n) words each
	var counts map[uint64]int64
	switch {
	case opts.format == "text" && opts.shots > maxListedSamples:
		if counts, err = drawSampleCounts(opts, m); err != nil {
			return err
		}
	default:
		draws := opts.shots
		if opts.format == "png" {
			draws = min(draws, maxGridSamples) // a grid shows no more
		}
		if samples, err = model.SampleWords(m, draws, opts.seed); err != nil {
			return err
		}
	}
	emit := opts.emitter()
	switch opts.format {
	case "png":
		draw := samples
		if opts.shots > len(draw)/w {
			fmt.Fprintf(opts.errOut, "note: drawing the first %d of %d samples\n", len(draw)/w, opts.shots)
		}
		rows, cols := mf.Data.Rows, mf.Data.Cols
		valid := "no validity check"
		if data == nil {
			caption := []string{fmt.Sprintf("%d samples of the %s model trained on %s (seed %d).", len(draw)/w, m.Kind(), shortSpec(mf.Data.Spec), opts.seed)}
			err = emit(func(w io.Writer) error {
				return figures.Captioned(w, caption, func(w io.Writer) error { return figures.ImageGrid(w, draw, rows, cols, 0, nil) })
			})
		} else {
			ok := func(x uint64) bool { return data.Prob(x) > 0 }
			err = emit(func(w io.Writer) error {
				return figures.SampleGrid(w, draw, rows, cols, ok, fmt.Sprintf("not one of the %d %s patterns", len(data.States), data.Spec))
			})
			var nvalid int
			for _, x := range draw {
				if ok(x) {
					nvalid++
				}
			}
			valid = fmt.Sprintf("%d valid", nvalid)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(opts.summaryOut(), "wrote %s: %d samples of %dx%d images, %s\n", opts.dest(), len(draw)/w, rows, cols, valid)
		return nil
	case "json":
		counts := map[string]int{}
		strs := make([]string, len(samples)/w)
		for i := range strs {
			strs[i] = dataset.FormatWords(samples[i*w:(i+1)*w], n)
			counts[strs[i]]++
		}
		return emit(func(w io.Writer) error {
			return writeJSON(w, struct {
				Bits    int            `json:"bits"`
				Shots   int            `json:"shots"`
				Seed    uint64         `json:"seed"`
				Counts  map[string]int `json:"counts"`
				Samples []string       `json:"samples"`
			}{n, opts.shots, opts.seed, counts, strs})
		})
	}
	// text: counts by bitstring, most frequent first; equal counts in
	// increasing order of the state (bitstrings of one width sort so).
	// Drawn counts (at most 2^24 states) stay states until printed.
	type row struct {
		x uint64 // the state, for drawn counts
		s string // the bitstring, for samples
		c int64
	}
	var rows []row
	if counts != nil {
		rows = make([]row, 0, len(counts))
		for x, c := range counts {
			rows = append(rows, row{x: x, c: c})
		}
	} else {
		byString := map[string]int64{}
		for i := 0; i < len(samples); i += w {
			byString[dataset.FormatWords(samples[i:i+w], n)]++
		}
		rows = make([]row, 0, len(byString))
		for k, c := range byString {
			rows = append(rows, row{s: k, c: c})
		}
	}
	slices.SortFunc(rows, func(a, b row) int {
		if a.c != b.c {
			return cmp.Compare(b.c, a.c)
		}
		return cmp.Or(cmp.Compare(a.x, b.x), strings.Compare(a.s, b.s))
	})
	return emit(func(w io.Writer) error {
		fmt.Fprintf(w, "# %d samples from %s, seed %d; qubits %s\n", opts.shots, path, opts.seed, qubitOrder(n))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		for _, r := range rows {
			if counts != nil {
				r.s = circuit.FormatBits(r.x, n)
			}
			fmt.Fprintf(tw, "%s\t%d\t%.4f\t\n", r.s, r.c, float64(r.c)/float64(opts.shots))
		}
		return tw.Flush()
	})
}

// emitter returns the function that writes the output: to the file -o
// names, else to standard output (but a PNG on a terminal goes to
// samples.png).
func (opts *sampleOptions) emitter() func(write func(io.Writer) error) error {
	if opts.format == "png" && opts.file == "" && opts.stdoutTerminal {
		opts.file = "samples.png"
	}
	return func(write func(io.Writer) error) error {
		if opts.file == "" {
			return write(opts.out)
		}
		return atomicfile.Write(opts.file, write)
	}
}

// dest names where the output went; summaryOut is where the summary of a
// PNG goes: standard error when the image went to standard output.
func (opts *sampleOptions) dest() string {
	if opts.file == "" {
		return "standard output"
	}
	return opts.file
}

func (opts *sampleOptions) summaryOut() io.Writer {
	if opts.file == "" {
		return opts.errOut
	}
	return opts.out
}

// shortSpec drops the folder from the path of a file: or idx: data spec.
func shortSpec(spec string) string {
	kind, rest, ok := strings.Cut(spec, ":")
	if i := strings.LastIndexByte(rest, '/'); ok && i >= 0 && (kind == "idx" || kind == "file") {
		return kind + ":" + rest[i+1:]
	}
	return spec
}

func isImageData(mf *bornmachine.ModelFile) bool {
	return mf.Data != nil && mf.Data.Rows > 0 && mf.Data.Cols > 0
}

func dataSpec(mf *bornmachine.ModelFile) string {
	if mf.Data == nil {
		return "unknown data"
	}
	return mf.Data.Spec
}

// conditionStream is the PCG stream that picks the images to complete and
// the seeds of their completions.
const conditionStream = 0x434f4d504c // "COMPL"

// runCondition completes data images whose pixels opts.condition hides.
func runCondition(opts *sampleOptions, path string, mf *bornmachine.ModelFile, m model.Model) error {
	if opts.shotsSet {
		return fmt.Errorf("--shots does not apply to --condition: give --images (data images to complete) and --completions (samples of each)")
	}
	if opts.images < 1 || opts.completions < 1 {
		return fmt.Errorf("--images %d, --completions %d: need at least 1 of each", opts.images, opts.completions)
	}
	if opts.format == "png" && opts.images*(opts.completions+2) > maxGridSamples {
		return fmt.Errorf("--images %d with --completions %d: a grid shows at most %d images; draw fewer", opts.images, opts.completions, maxGridSamples)
	}
	cm, ok := m.(model.Conditional)
	if !ok {
		return fmt.Errorf("--condition needs exact conditional sampling, which mps and flow models have; this is a %s model", m.Kind())
	}
	if !isImageData(mf) {
		return fmt.Errorf("--condition completes images, but this model was trained on %s, not on image data (bas:RxC, digits, idx:)", dataSpec(mf))
	}
	n, rows, cols := m.NumBits(), mf.Data.Rows, mf.Data.Cols
	if rows*cols != n {
		return fmt.Errorf("the model has %d bits, its data %dx%d pixels", n, rows, cols)
	}
	hidden, err := dataset.ParseMask(opts.condition, rows, cols)
	if err != nil {
		return fmt.Errorf("--condition: %v", err)
	}
	// The images: the test set the model was held out from, else its
	// training data.
	train, test, err := dataset.Load(mf.Data.Spec, mf.Data.TestFraction, mf.Data.SplitSeed)
	if err != nil {
		return fmt.Errorf("--condition reads the model's data: %v", err)
	}
	if mf.Data.Digest != "" && train.Digest != mf.Data.Digest {
		fmt.Fprintf(opts.errOut, "warning: %s has changed since the model was trained (sha256 %s, was %s)\n", mf.Data.Spec, train.Digest, mf.Data.Digest)
	}
	data, part := train, "training"
	if test != nil {
		data, part = test, "test"
	}
	if data.Bits != n {
		return fmt.Errorf("the model has %d bits, its data %d", n, data.Bits)
	}
	w := dataset.Words(n)
	rng := rand.New(rand.NewPCG(opts.seed, conditionStream))
	pick := rng.Perm(data.Len())[:min(opts.images, data.Len())]
	known := make([]uint64, w)
	for i := range known {
		known[i] = ^hidden[i]
	}
	if r := n % 64; r != 0 {
		known[w-1] &= 1<<uint(r) - 1
	}
	type completion struct {
		Image       string   `json:"image"`
		Visible     string   `json:"visible"`
		Completions []string `json:"completions"`
	}
	var (
		grid         []uint64 // per image: original, original, completions
		out          []completion
		right, total int
		hiddenZero   int // hidden pixels that are 0 in the images
	)
	hide := func(x []uint64) string {
		s := []byte(dataset.FormatWords(x, n))
		for q := range n {
			if hidden[q/64]>>uint(q%64)&1 == 1 {
				s[n-1-q] = '?'
			}
		}
		return string(s)
	}
	for _, i := range pick {
		x := data.State(i)
		xs, err := cm.SampleConditional(x, known, opts.completions, rng.Uint64())
		if err != nil {
			return err
		}
		c := completion{Image: dataset.FormatWords(x, n), Visible: hide(x)}
		for j := range w {
			hiddenZero += bits.OnesCount64(hidden[j] &^ x[j])
		}
		grid = append(grid, x...)
		grid = append(grid, x...)
		for k := range opts.completions {
			y := xs[k*w : (k+1)*w]
			c.Completions = append(c.Completions, dataset.FormatWords(y, n))
			grid = append(grid, y...)
			for j := range w {
				total += bits.OnesCount64(hidden[j])
				right += bits.OnesCount64(hidden[j] &^ (x[j] ^ y[j]))
			}
		}
		out = append(out, c)
	}
	acc := float64(right) / float64(total)
	zero := float64(hiddenZero) / float64(total/opts.completions)
	emit := opts.emitter()
	switch opts.format {
	case "png":
		per := opts.completions + 2
		style := func(k, q int) figures.PixelStyle {
			col := k % per
			switch {
			case col == 0 || hidden[q/64]>>uint(q%64)&1 == 0:
				return figures.Plain
			case col == 1:
				return figures.Hidden
			}
			return figures.Completed
		}
		caption := []string{
			fmt.Sprintf("Each row: a %s image of %s; its visible pixels, the %s part hidden (grey);", part, shortSpec(data.Spec), opts.condition),
			fmt.Sprintf("%d completions drawn from p(hidden | visible) of the %s model (completed pixels blue).", opts.completions, m.Kind()),
			fmt.Sprintf("Hidden pixels completed right: %.1f%% (all white would score %.1f%%).", 100*acc, 100*zero),
		}
		if err := emit(func(w io.Writer) error {
			return figures.Captioned(w, caption, func(w io.Writer) error { return figures.ImageGrid(w, grid, rows, cols, per, style) })
		}); err != nil {
			return err
		}
		fmt.Fprintf(opts.summaryOut(), "wrote %s: %d %s images of %dx%d with the %s pixels hidden (%s), each row the image, what is visible and %d completions; %.1f%% of the hidden pixels completed right (all white: %.1f%%)\n",
			opts.dest(), len(pick), part, rows, cols, opts.condition, data.Spec, opts.completions, 100*acc, 100*zero)
		return nil
	case "json":
		return emit(func(w io.Writer) error {
			return writeJSON(w, struct {
				Bits        int          `json:"bits"`
				Rows        int          `json:"rows"`
				Cols        int          `json:"cols"`
				Mask        string       `json:"mask"`
				Data        string       `json:"data"`
				Part        string       `json:"part"`
				Seed        uint64       `json:"seed"`
				HiddenRight float64      `json:"hidden_right"`
				HiddenZero  float64      `json:"hidden_zero"`
				Images      []completion `json:"images"`
			}{n, rows, cols, opts.condition, data.Spec, part, opts.seed, acc, zero, out})
		})
	}
	return emit(func(w io.Writer) error {
		fmt.Fprintf(w, "# %d %s images of %s with the %s pixels hidden (?), %d completions each from %s, seed %d; bits %s\n",
			len(pick), part, data.Spec, opts.condition, opts.completions, path, opts.seed, qubitOrder(n))
		fmt.Fprintf(w, "# %.4f of the hidden pixels completed right (all white: %.4f)\n", acc, zero)
		for k, c := range out {
			fmt.Fprintf(w, "image %d     %s\nvisible     %s\n", k+1, c.Image, c.Visible)
			for _, y := range c.Completions {
				fmt.Fprintf(w, "completion  %s\n", y)
			}
		}
		return nil
	})
}

// countsStream is the PCG stream of the counts drawn for text output of
// more than maxListedSamples shots.
const countsStream = 0x434f554e54 // "COUNT"

// drawSampleCounts draws the counts of opts.shots samples as one
// multinomial variate over the model's exact distribution: no sample is
// stored, so any number of shots takes the same time and memory.
func drawSampleCounts(opts *sampleOptions, m model.Model) (map[uint64]int64, error) {
	n := m.NumBits()
	if n > dataset.MaxExactBits {
		return nil, fmt.Errorf("--shots %d: a model of %d bits draws its samples one by one, at most %d; above %d bits there is no exact distribution to draw counts from", opts.shots, n, maxListedSamples, dataset.MaxExactBits)
	}
	if int64(opts.shots) > multinomial.MaxCount {
		return nil, fmt.Errorf("--shots %d: at most 2^53 = %d", opts.shots, int64(multinomial.MaxCount))
	}
	p, err := m.Probabilities()
	if err != nil {
		return nil, err
	}
	counts := map[uint64]int64{}
	rng := rand.New(rand.NewPCG(opts.seed, countsStream))
	if err := multinomial.Draw(rng, int64(opts.shots), p, func(x int, c int64) { counts[uint64(x)] = c }); err != nil {
		return nil, err
	}
	return counts, nil
}
