// Package figures draws the pictures of a Born machine training run with
// gonum/plot: the loss and KL divergence against the step, the model's
// distribution against the data's, and grids of sampled images (the
// bars-and-stripes figure of Liu and Wang).
package figures

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"sort"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"born/bornmachine"
	"born/circuit"
)

var (
	blue   = color.RGBA{R: 31, G: 119, B: 180, A: 255}
	orange = color.RGBA{R: 255, G: 127, B: 14, A: 255}
)

// line returns the points (step, value) with value > 0 (for a log axis).
func line(h []bornmachine.Record, value func(bornmachine.Record) float64) plotter.XYs {
	var xys plotter.XYs
	for _, r := range h {
		v := value(r)
		if v > 0 && !math.IsInf(v, 0) {
			xys = append(xys, plotter.XY{X: float64(r.Step), Y: v})
		}
	}
	return xys
}

func logPanel(title, ylabel string, xys plotter.XYs, c color.Color) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "step"
	p.X.Tick.Marker = intTicks{}
	p.Y.Label.Text = ylabel
	p.Add(plotter.NewGrid())
	if len(xys) > 0 {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = LogTicks{}
		l, err := plotter.NewLine(xys)
		if err != nil {
			return nil, err
		}
		l.Color = c
		l.Width = vg.Points(1.5)
		p.Add(l)
	}
	return p, nil
}

// LogTicks marks a logarithmic axis at powers of ten, labelled 1e-05,
// 0.001, 1, 100 ..., without the rounding noise of plot.LogTicks.
type LogTicks struct{}

// Ticks returns the ticks between min and max.
func (LogTicks) Ticks(min, max float64) []plot.Tick {
	ts := plot.LogTicks{Prec: -1}.Ticks(min, max)
	for i := range ts {
		if ts[i].Label != "" {
			e := math.Round(math.Log10(ts[i].Value))
			ts[i].Label = strconv.FormatFloat(math.Pow(10, e), 'g', -1, 64)
		}
	}
	return ts
}

// intTicks labels an axis of whole numbers (steps) without decimals.
type intTicks struct{}

func (intTicks) Ticks(min, max float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(min, max)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = strconv.FormatFloat(ts[i].Value, 'f', -1, 64)
		}
	}
	return ts
}

// LossPlot writes a PNG of two panels: the loss (named lossName) and
// KL(data || model) against the training step, both on log scales
// (non-positive values, which a sampled MMD estimate can take, are left
// out).
func LossPlot(w io.Writer, h []bornmachine.Record, lossName string) error {
	top, err := logPanel("training loss ("+lossName+")", lossName, line(h, func(r bornmachine.Record) float64 { return r.Loss }), blue)
	if err != nil {
		return err
	}
	bottom, err := logPanel("KL(data || model)", "KL (nats)", line(h, func(r bornmachine.Record) float64 { return r.KL }), orange)
	if err != nil {
		return err
	}
	img := vgimg.New(vg.Points(560), vg.Points(520))
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 2, Cols: 1, PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(12), PadY: vg.Points(12)}
	canvases := plot.Align([][]*plot.Plot{{top}, {bottom}}, tiles, dc)
	top.Draw(canvases[0][0])
	bottom.Draw(canvases[1][0])
	_, err = vgimg.PngCanvas{Canvas: img}.WriteTo(w)
	return err
}

// MaxAllStates is the largest state count DistributionPlot draws in full;
// above it, it draws the TopStates most probable states.
const (
	MaxAllStates = 64
	TopStates    = 40
)

// DistributionPlot writes a PNG bar chart of the model's probabilities p
// (2^n of them) beside the data's: every state when there are at most 64,
// otherwise the 40 states most probable under the model or the data, most
// probable first. States are labelled q[n-1]...q[0].
func DistributionPlot(w io.Writer, data *bornmachine.Dataset, p []float64) error {
	n := data.Bits
	if len(p) != 1<<uint(n) {
		return fmt.Errorf("figures: %d probabilities for %d-bit data", len(p), n)
	}
	var states []uint64
	title := "model and data distributions"
	if len(p) <= MaxAllStates {
		for x := range uint64(len(p)) {
			states = append(states, x)
		}
	} else {
		score := map[uint64]float64{}
		for x, v := range p {
			score[uint64(x)] = v
		}
		for i, x := range data.States {
			score[x] = max(score[x], data.Probs[i])
		}
		for x := range score {
			states = append(states, x)
		}
		sort.Slice(states, func(i, j int) bool {
			si, sj := score[states[i]], score[states[j]]
			if si != sj {
				return si > sj
			}
			return states[i] < states[j]
		})
		if len(states) > TopStates {
			states = states[:TopStates]
		}
		title = fmt.Sprintf("the %d most probable states", len(states))
	}
	model := make(plotter.Values, len(states))
	target := make(plotter.Values, len(states))
	labels := make([]string, len(states))
	var top float64
	for i, x := range states {
		model[i], target[i] = p[x], data.Prob(x)
		labels[i] = circuit.FormatBits(x, n)
		top = max(top, model[i], target[i])
	}
	plt := plot.New()
	plt.Title.Text = title
	plt.Y.Label.Text = "probability"
	plt.Add(plotter.NewGrid())
	width := vg.Points(math.Max(1, math.Min(8, 380/float64(len(states)))))
	bm, err := plotter.NewBarChart(model, width)
	if err != nil {
		return err
	}
	bm.Color, bm.LineStyle.Width = blue, 0
	bm.Offset = -width / 2
	bd, err := plotter.NewBarChart(target, width)
	if err != nil {
		return err
	}
	bd.Color, bd.LineStyle.Width = orange, 0
	bd.Offset = width / 2
	plt.Add(bm, bd)
	plt.Legend.Add("model", bm)
	plt.Legend.Add("data", bd)
	plt.Legend.Top = true
	plt.NominalX(labels...)
	plt.X.Min, plt.X.Max = -1, float64(len(states))
	plt.Y.Min, plt.Y.Max = 0, 1.25*top // headroom for the legend
	plt.X.Tick.Label.Rotation = math.Pi / 2
	plt.X.Tick.Label.XAlign = draw.XRight
	plt.X.Tick.Label.YAlign = draw.YCenter
	plt.X.Tick.Label.Font.Size = vg.Points(math.Max(5, math.Min(9, 600/float64(len(states)))))
	wt, err := plt.WriterTo(vg.Points(760), vg.Points(420), "png")
	if err != nil {
		return err
	}
	_, err = wt.WriteTo(w)
	return err
}

// SampleGrid writes a PNG of sampled images in a grid, like the paper's
// figure of bars-and-stripes samples: sample x is a rows x cols image whose
// pixel (i,j) is bit i*cols+j of x (1 black, 0 white). When valid is not
// nil, samples it rejects get a red frame.
func SampleGrid(w io.Writer, samples []uint64, rows, cols int, valid func(uint64) bool) error {
	if rows < 1 || cols < 1 || rows*cols > 64 {
		return fmt.Errorf("figures: image shape %dx%d", rows, cols)
	}
	if len(samples) == 0 {
		return fmt.Errorf("figures: no samples to draw")
	}
	const pix, gap, frame = 8, 6, 2
	per := int(math.Ceil(math.Sqrt(float64(len(samples)) * float64(rows) / float64(cols))))
	per = max(1, min(per, len(samples)))
	gridRows := (len(samples) + per - 1) / per
	cw, ch := cols*pix+2*frame, rows*pix+2*frame
	W, H := gap+per*(cw+gap), gap+gridRows*(ch+gap)
	img := image.NewRGBA(image.Rect(0, 0, W, H))
	fill := func(x0, y0, x1, y1 int, c color.Color) {
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				img.Set(x, y, c)
			}
		}
	}
	fill(0, 0, W, H, color.RGBA{R: 236, G: 236, B: 236, A: 255})
	red := color.RGBA{R: 214, G: 39, B: 40, A: 255}
	for k, s := range samples {
		x0 := gap + (k%per)*(cw+gap)
		y0 := gap + (k/per)*(ch+gap)
		border := color.Color(color.RGBA{R: 160, G: 160, B: 160, A: 255})
		if valid != nil && !valid(s) {
			border = red
		}
		fill(x0, y0, x0+cw, y0+ch, border)
		for i := range rows {
			for j := range cols {
				c := color.Color(color.White)
				if s>>uint(i*cols+j)&1 == 1 {
					c = color.Black
				}
				px, py := x0+frame+j*pix, y0+frame+i*pix
				fill(px, py, px+pix, py+pix, c)
			}
		}
	}
	return png.Encode(w, img)
}
