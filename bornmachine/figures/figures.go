// Package figures draws the pictures of a Born machine training run with
// gonum/plot: the loss and KL divergence against the step, the model's
// distribution against the data's, and grids of sampled images (the
// bars-and-stripes figure of Liu and Wang).
package figures

import (
	"fmt"
	"image"
	"image/color"
	stddraw "image/draw"
	"image/png"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"born/bornmachine"
	"born/circuit"
	"born/dataset"
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

func logPanel(title, xlabel, ylabel string, xys plotter.XYs, c color.Color) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xlabel
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
		// One value (a run stopped after its first step): plot would widen
		// the empty range by 1 on each side, below 0 on a log axis.
		lo, hi := xys[0].Y, xys[0].Y
		for _, q := range xys {
			lo, hi = min(lo, q.Y), max(hi, q.Y)
		}
		if lo == hi {
			p.Y.Min, p.Y.Max = lo/2, hi*2
		}
	}
	return p, nil
}

// LogTicks marks a logarithmic axis at powers of ten, labelled 1e-05,
// 0.001, 1, 100 ..., without the rounding noise of plot.LogTicks. When
// fewer than two powers of ten fall inside the range (a curve between 2.6
// and 4.1, say), it labels the 1-2-5 multiples inside it, or every integer
// multiple of a power of ten, or finally evenly spaced values, so that
// every log axis carries at least two labelled ticks.
type LogTicks struct{}

// Ticks returns the ticks between min and max.
func (LogTicks) Ticks(min, max float64) []plot.Tick {
	if !(min > 0) || !(max >= min) || math.IsInf(max, 0) {
		return nil
	}
	lo := int(math.Floor(math.Log10(min) + 1e-9))
	hi := int(math.Ceil(math.Log10(max) - 1e-9))
	inside := func(v float64) bool { return v >= min*(1-1e-9) && v <= max*(1+1e-9) }
	// Candidate labels by increasing density: mantissas 1; 1, 2, 5; 1..9.
	for _, mant := range [][]int{{1}, {1, 2, 5}, {1, 2, 3, 4, 5, 6, 7, 8, 9}} {
		var ts []plot.Tick
		labelled := 0
		for e := lo; e <= hi; e++ {
			for m := 1; m <= 9; m++ {
				if e == hi && m > 1 {
					break
				}
				t := plot.Tick{Value: math.Pow(10, float64(e)) * float64(m)}
				if slices.Contains(mant, m) {
					t.Label = decimal(m, e)
					if inside(t.Value) {
						labelled++
					}
				}
				ts = append(ts, t)
			}
		}
		if labelled >= 2 {
			return ts
		}
	}
	// A range narrower than two neighbouring integer multiples of a power of
	// ten: evenly spaced labels, as on a linear axis.
	var out []plot.Tick
	for _, t := range (plot.DefaultTicks{}).Ticks(min, max) {
		if t.Value > 0 {
			out = append(out, t)
		}
	}
	return out
}

// decimal formats m * 10^e without rounding noise (3e-05, 0.002, 40).
func decimal(m, e int) string {
	v, _ := strconv.ParseFloat(fmt.Sprintf("%de%d", m, e), 64)
	return strconv.FormatFloat(v, 'g', -1, 64)
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
// out). xlabel names the unit of Record.Step ("" means "step"; an MPS Born
// machine counts two-site sweeps).
func LossPlot(w io.Writer, h []bornmachine.Record, lossName, xlabel string) error {
	if xlabel == "" {
		xlabel = "step"
	}
	top, err := logPanel("training loss ("+lossName+")", xlabel, lossName, line(h, func(r bornmachine.Record) float64 { return r.Loss }), blue)
	if err != nil {
		return err
	}
	bottom, err := logPanel("KL(data || model)", xlabel, "KL (nats)", line(h, func(r bornmachine.Record) float64 { return r.KL }), orange)
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

// DistributionPlot writes a PNG of the model's probabilities p (2^n of
// them) beside the data's. Data that are numbers (dataset.Integer, the
// discretised Gaussians) are drawn against the integer x = 0 ... 2^n - 1,
// the model as a line over the data's bars. Other data are a bar chart of
// states labelled q[n-1]...q[0]: every state when there are at most 64,
// otherwise the 40 states most probable under the model or the data, most
// probable first, as the title says.
func DistributionPlot(w io.Writer, data *dataset.Dataset, p []float64) error {
	n := data.Bits
	if len(p) != 1<<uint(n) {
		return fmt.Errorf("figures: %d probabilities for %d-bit data", len(p), n)
	}
	if data.Metric == dataset.Integer {
		return integerPlot(w, data, p)
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
		title = fmt.Sprintf("the %d most probable of the %d states (by model or data probability)", len(states), len(p))
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

// integerPlot draws the distributions of numeric data against the integer
// x: the data as bars, the model as a line through its probabilities.
func integerPlot(w io.Writer, data *dataset.Dataset, p []float64) error {
	plt := plot.New()
	plt.Title.Text = fmt.Sprintf("model and data distributions over x = 0 ... %d", len(p)-1)
	plt.X.Label.Text = fmt.Sprintf("x (the %d bits read as an integer)", data.Bits)
	plt.X.Tick.Marker = intTicks{}
	plt.Y.Label.Text = "probability"
	plt.Add(plotter.NewGrid())
	target := make(plotter.XYs, len(p))
	model := make(plotter.XYs, len(p))
	var top float64
	for x := range p {
		target[x] = plotter.XY{X: float64(x), Y: data.Prob(uint64(x))}
		model[x] = plotter.XY{X: float64(x), Y: p[x]}
		top = max(top, target[x].Y, p[x])
	}
	// The data as a histogram: a filled step line, one step per integer.
	steps := make(plotter.XYs, 0, 2*len(p)+2)
	steps = append(steps, plotter.XY{X: -0.5, Y: 0})
	for _, t := range target {
		steps = append(steps, plotter.XY{X: t.X - 0.5, Y: t.Y}, plotter.XY{X: t.X + 0.5, Y: t.Y})
	}
	steps = append(steps, plotter.XY{X: float64(len(p)) - 0.5, Y: 0})
	hist, err := plotter.NewLine(steps)
	if err != nil {
		return err
	}
	hist.Color = orange
	hist.FillColor = color.RGBA{R: 255, G: 200, B: 150, A: 255}
	hist.Width = vg.Points(0.8)
	line, err := plotter.NewLine(model)
	if err != nil {
		return err
	}
	line.Color, line.Width = blue, vg.Points(1.5)
	plt.Add(hist, line)
	plt.Legend.Add("data", hist)
	plt.Legend.Add("model", line)
	plt.Legend.Top = true
	plt.X.Min, plt.X.Max = -0.5, float64(len(p))-0.5
	plt.Y.Min, plt.Y.Max = 0, 1.2*top // headroom for the legend
	wt, err := plt.WriterTo(vg.Points(760), vg.Points(420), "png")
	if err != nil {
		return err
	}
	_, err = wt.WriteTo(w)
	return err
}

// Grid is the layout of SampleGrid in pixels: every image pixel is a
// Pix x Pix square, each sample is framed by a Frame-wide border, samples
// are Gap apart, PerRow to a row, and the key (when there is one) is a
// strip of height Key at the bottom.
type Grid struct {
	Pix, Frame, Gap, PerRow, GridRows, Key int
	W, H                                   int
}

// GridLayout returns the layout SampleGrid uses for n samples of rows x
// cols images: pixel cells of 24 px for images up to 8 pixels a side
// (smaller for larger images, never below 6 px), in a grid about as wide
// as it is tall.
func GridLayout(n, rows, cols int, key bool) Grid {
	g := Grid{Pix: max(6, min(24, 192/max(rows, cols))), Frame: 3, Gap: 10}.layout(n, rows, cols, 0)
	if key {
		g.Key = 44
		g.H += g.Key
	}
	return g
}

// layout returns g, whose Pix, Frame and Gap are set, laid out for n
// images of rows x cols pixels, perRow to a row (0: a grid about as wide
// as it is tall), without a key.
func (g Grid) layout(n, rows, cols, perRow int) Grid {
	if perRow <= 0 {
		perRow = int(math.Ceil(math.Sqrt(float64(n) * float64(rows) / float64(cols))))
	}
	g.PerRow = max(1, min(perRow, n))
	g.GridRows = (n + g.PerRow - 1) / g.PerRow
	cw, ch := cols*g.Pix+2*g.Frame, rows*g.Pix+2*g.Frame
	g.W, g.H = g.Gap+g.PerRow*(cw+g.Gap), g.Gap+g.GridRows*(ch+g.Gap)
	return g
}

// fill paints the rectangle [x0,x1) x [y0,y1) of img in colour c (one
// draw call: image/draw fills an RGBA image row by row, where Set would
// convert the colour at every pixel).
func fill(img stddraw.Image, x0, y0, x1, y1 int, c color.Color) {
	stddraw.Draw(img, image.Rect(x0, y0, x1, y1), image.NewUniform(c), image.Point{}, stddraw.Src)
}

// drawImage draws image k of rows x cols pixels into its cell of the
// grid: a frame of colour border, and pixel (i,j), bit q = i*cols+j, in
// colour pixel(q).
func (g Grid) drawImage(img stddraw.Image, k, rows, cols int, border color.Color, pixel func(q int) color.Color) {
	x0, y0 := g.Origin(k, rows, cols)
	fill(img, x0, y0, x0+cols*g.Pix+2*g.Frame, y0+rows*g.Pix+2*g.Frame, border)
	for q := range rows * cols {
		px, py := x0+g.Frame+(q%cols)*g.Pix, y0+g.Frame+(q/cols)*g.Pix
		fill(img, px, py, px+g.Pix, py+g.Pix, pixel(q))
	}
}

// Origin returns the top-left corner of sample k's frame.
func (g Grid) Origin(k, rows, cols int) (x, y int) {
	cw, ch := cols*g.Pix+2*g.Frame, rows*g.Pix+2*g.Frame
	return g.Gap + (k%g.PerRow)*(cw+g.Gap), g.Gap + (k/g.PerRow)*(ch+g.Gap)
}

var (
	gridBackground = color.RGBA{R: 236, G: 236, B: 236, A: 255}
	gridValid      = color.RGBA{R: 150, G: 150, B: 150, A: 255}
	gridInvalid    = color.RGBA{R: 214, G: 39, B: 40, A: 255}
)

// SampleGrid writes a PNG of sampled images in a grid, like the paper's
// figure of bars-and-stripes samples: sample x is a rows x cols image whose
// pixel (i,j) is bit i*cols+j of x (1 black, 0 white), drawn as a square
// of GridLayout's Pix pixels. When valid is not nil, samples it rejects get
// a red frame and the others a grey one, and a key under the grid says
// what red means: invalid describes the rejected samples ("not a
// bars-and-stripes pattern"), followed by how many of the samples it
// rejects.
func SampleGrid(w io.Writer, samples []uint64, rows, cols int, valid func(uint64) bool, invalid string) error {
	if rows < 1 || cols < 1 || rows*cols > 64 {
		return fmt.Errorf("figures: image shape %dx%d", rows, cols)
	}
	if len(samples) == 0 {
		return fmt.Errorf("figures: no samples to draw")
	}
	g := GridLayout(len(samples), rows, cols, valid != nil)
	face := font.DefaultCache.Lookup(plot.DefaultFont, vg.Points(13))
	var keyValid, keyInvalid string
	if valid != nil {
		bad := 0
		for _, s := range samples {
			if !valid(s) {
				bad++
			}
		}
		if invalid == "" {
			invalid = "rejected"
		}
		keyInvalid = fmt.Sprintf("red frame: %s (%d of %d samples)", invalid, bad, len(samples))
		keyValid = fmt.Sprintf("grey frame: valid (%d of %d)", len(samples)-bad, len(samples))
		need := int(math.Ceil(float64(face.Width(keyInvalid)+face.Width(keyValid)))) + 3*g.Gap + 2*24 + 40
		g.W = max(g.W, need)
	}
	// Text goes through a vg canvas at 72 dpi, one point per pixel (y grows
	// upwards there); the cells are then set pixel by pixel.
	c := vgimg.NewWith(vgimg.UseWH(vg.Length(g.W), vg.Length(g.H)), vgimg.UseDPI(72), vgimg.UseBackgroundColor(gridBackground))
	img := c.Image()
	for k, s := range samples {
		border := gridValid
		if valid != nil && !valid(s) {
			border = gridInvalid
		}
		g.drawImage(img, k, rows, cols, border, func(q int) color.Color {
			if s>>uint(q)&1 == 1 {
				return color.Black
			}
			return color.White
		})
	}
	if valid == nil {
		return png.Encode(w, img)
	}
	// The key: a swatch of each frame colour and what it means.
	const sw = 18
	top := g.H - g.Key + (g.Key-sw)/2
	swatch := func(x int, c color.Color) {
		fill(img, x, top, x+sw, top+sw, c)
		fill(img, x+g.Frame, top+g.Frame, x+sw-g.Frame, top+sw-g.Frame, color.White)
	}
	x := g.Gap
	swatch(x, gridInvalid)
	xText1 := x + sw + 8
	x = xText1 + int(math.Ceil(float64(face.Width(keyInvalid)))) + 3*g.Gap
	swatch(x, gridValid)
	xText2 := x + sw + 8
	c.SetColor(color.Black)
	base := vg.Length(g.H-top-sw) + 4 // baseline, from the bottom edge
	c.FillString(face, vg.Point{X: vg.Length(xText1), Y: base}, keyInvalid)
	c.FillString(face, vg.Point{X: vg.Length(xText2), Y: base}, keyValid)
	return png.Encode(w, c.Image())
}
