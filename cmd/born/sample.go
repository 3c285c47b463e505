package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"sort"
	"text/tabwriter"

	"github.com/spf13/cobra"

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
have been trained on image data, bas:RxC), framing invalid patterns in red.
The output goes to standard output, or to the file -o names; a PNG goes to
samples.png when standard output is a terminal and -o is not given. The
same --seed gives the same samples.`,
		Example: `  born sample runs/20260101-120000/model.json --shots 20
  born sample runs/20260101-120000 --shots 100 --format png > bas.png
  born sample runs/20260101-120000 --shots 100 --format png -o bas.png`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.out, opts.errOut = cmd.OutOrStdout(), cmd.ErrOrStderr()
			opts.model = args[0]
			opts.stdoutTerminal = isTerminal(opts.out)
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
	var data *dataset.Dataset
	if opts.format == "png" {
		if mf.Data == nil || mf.Data.Rows == 0 || mf.Data.Cols == 0 {
			spec := "unknown data"
			if mf.Data != nil {
				spec = mf.Data.Spec
			}
			return fmt.Errorf("--format png draws images, but this model was trained on %s, not on image data (bas:RxC); use text or json", spec)
		}
		if data, err = dataset.BarsAndStripes(mf.Data.Rows, mf.Data.Cols); err != nil {
			return err
		}
	}
	n := m.NumBits()
	if opts.format == "json" && opts.shots > maxListedSamples {
		return fmt.Errorf("--shots %d: --format json lists every sample, at most %d; --format text prints the counts of any number of shots", opts.shots, maxListedSamples)
	}
	var samples []uint64
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
		if samples, err = m.Sample(draws, opts.seed); err != nil {
			return err
		}
	}
	// Where the output goes: the file -o names, else standard output
	// (but not a PNG on a terminal).
	if opts.format == "png" && opts.file == "" && opts.stdoutTerminal {
		opts.file = "samples.png"
	}
	emit := func(write func(io.Writer) error) error {
		if opts.file == "" {
			return write(opts.out)
		}
		return atomicfile.Write(opts.file, write)
	}
	switch opts.format {
	case "png":
		draw := samples
		if opts.shots > len(draw) {
			fmt.Fprintf(opts.errOut, "note: drawing the first %d of %d samples\n", len(draw), opts.shots)
		}
		valid := func(x uint64) bool { return data.Prob(x) > 0 }
		if err := emit(func(w io.Writer) error {
			return figures.SampleGrid(w, draw, data.Rows, data.Cols, valid, fmt.Sprintf("not one of the %d %s patterns", len(data.States), data.Spec))
		}); err != nil {
			return err
		}
		var nvalid int
		for _, x := range draw {
			if valid(x) {
				nvalid++
			}
		}
		// The summary goes to stderr when the image went to stdout.
		dest, sum := opts.file, opts.out
		if opts.file == "" {
			dest, sum = "standard output", opts.errOut
		}
		fmt.Fprintf(sum, "wrote %s: %d samples of %dx%d images, %d valid\n", dest, len(draw), data.Rows, data.Cols, nvalid)
		return nil
	case "json":
		counts := map[string]int{}
		strs := make([]string, len(samples))
		for i, x := range samples {
			strs[i] = circuit.FormatBits(x, n)
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
	if counts == nil {
		counts = map[uint64]int64{}
		for _, x := range samples {
			counts[x]++
		}
	}
	keys := make([]uint64, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if counts[keys[i]] != counts[keys[j]] {
			return counts[keys[i]] > counts[keys[j]]
		}
		return keys[i] < keys[j]
	})
	return emit(func(w io.Writer) error {
		fmt.Fprintf(w, "# %d samples from %s, seed %d; qubits %s\n", opts.shots, path, opts.seed, qubitOrder(n))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		for _, k := range keys {
			fmt.Fprintf(tw, "%s\t%d\t%.4f\t\n", circuit.FormatBits(k, n), counts[k], float64(counts[k])/float64(opts.shots))
		}
		return tw.Flush()
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
