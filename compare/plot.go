package compare

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"born/bornmachine"
	"born/bornmachine/figures"
	"born/circuit"
	"born/dataset"
)

var palette = []color.RGBA{
	{R: 31, G: 119, B: 180, A: 255},
	{R: 214, G: 39, B: 40, A: 255},
	{R: 44, G: 160, B: 44, A: 255},
	{R: 148, G: 103, B: 189, A: 255},
	{R: 140, G: 86, B: 75, A: 255},
	{R: 227, G: 119, B: 194, A: 255},
}

var dataColor = color.RGBA{R: 255, G: 127, B: 14, A: 255}

// maxDecades is the most decades of KL the curves span: a model that fits
// the data exactly reaches 1e-16, and drawing it there would squeeze every
// other curve into the top of the panel. Values below the floor are drawn
// at it, and the panel's title says so.
const maxDecades = 8

// maxBars is the largest number of states the probability panel shows.
const maxBars = 24

// maxLinePoints is the largest number of states the probability panel of
// numeric (integer) data draws against x.
const maxLinePoints = 1 << 14

// Plot writes compare.png. The top row draws KL(data || model) during
// training for every model, the mean over seeds as a line and the range
// over seeds (min to max) as a band, on log axes whose range comes from the
// data; models trained by Adam steps and models trained by MPS sweeps get
// separate panels, since a step and a sweep are different units of work.
// The bottom panel draws the probabilities of the final models next to the
// data's: bars at the mean over seeds with whiskers from min to max, for the
// states its title names (the data's most probable states, and the states
// outside the data the models favour most), or, for numeric data (gauss),
// lines against the integer x. A legend column names the models.
func (r *Report) Plot(w io.Writer) error {
	const width, height = 28 * vg.Centimeter, 22 * vg.Centimeter
	img := vgimg.New(width, height)
	dc := draw.New(img)
	pad := vg.Millimeter * 3
	legendW := 6 * vg.Centimeter
	split := height * 0.52 // the bottom panel's height

	top := draw.Crop(dc, pad, -legendW-pad, split+pad, -pad)
	bottom := draw.Crop(dc, pad, -legendW-pad, pad, -(height - split + pad))
	legendArea := draw.Crop(dc, width-legendW, -pad, pad, -pad)

	panels, err := r.klPanels()
	if err != nil {
		return err
	}
	gapX := vg.Millimeter * 8
	for i, p := range panels {
		w := (top.Max.X - top.Min.X - gapX*vg.Length(len(panels)-1)) / vg.Length(len(panels))
		left := vg.Length(i) * (w + gapX)
		p.Draw(draw.Crop(top, left, -(top.Max.X - top.Min.X - left - w), 0, 0))
	}
	prob, err := r.probPanel()
	if err != nil {
		return err
	}
	prob.Draw(bottom)
	leg := r.legend()
	leg.Draw(legendArea)
	_, err = vgimg.PngCanvas{Canvas: img}.WriteTo(w)
	return err
}

// modelColor returns the colour of the i-th model.
func modelColor(i int) color.RGBA { return palette[i%len(palette)] }

// translucent returns c with alpha a (premultiplied, as image/color wants).
func translucent(c color.RGBA, a uint8) color.RGBA {
	f := float64(a) / 255
	return color.RGBA{R: uint8(float64(c.R) * f), G: uint8(float64(c.G) * f), B: uint8(float64(c.B) * f), A: a}
}

// legend lists the data and every model, in the colours of the panels, and
// says what lines, bands, bars and whiskers are.
func (r *Report) legend() plot.Legend {
	l := plot.NewLegend()
	l.Top, l.Left = true, true
	l.TextStyle.Font.Size = vg.Points(11)
	box := func(c color.Color) plot.Thumbnailer {
		b, _ := plotter.NewBarChart(plotter.Values{1}, vg.Points(10))
		b.Color, b.LineStyle.Width = c, 0
		return b
	}
	l.Add("data", box(dataColor))
	for i, s := range r.Summary {
		l.Add(fmt.Sprintf("%s (%s)", s.Model, s.Family), box(modelColor(i)))
	}
	l.Add("", box(color.Transparent))
	notes := []string{fmt.Sprintf("lines, bars: mean of %d seeds", len(r.Seeds)), "bands, whiskers: min to max", "over the seeds"}
	if len(r.Seeds) == 1 {
		notes = []string{"one seed: no spread shown"}
	}
	for _, line := range notes {
		l.Add(line, box(color.Transparent))
	}
	return l
}

// curve is one model's KL history: the mean over seeds and the range.
type curve struct {
	model        int // index into Summary
	mean, lo, hi plotter.XYs
	sweeps, logX bool
	name         string
}

// klCurve returns, for a model, the KL at each step over its seeds: mean,
// min and max, at the steps where every seed has a row. On a log x axis
// (logX) step 0 is left out.
func (r *Report) klCurve(model string, logX bool) (mean, lo, hi plotter.XYs) {
	var runs [][]bornmachine.Record
	for _, t := range r.Trials {
		if t.Model == model && len(t.history) > 0 {
			runs = append(runs, t.history)
		}
	}
	if len(runs) == 0 {
		return nil, nil, nil
	}
	n := len(runs[0])
	for _, h := range runs {
		n = min(n, len(h))
	}
	for i := 0; i < n; i++ {
		step := runs[0][i].Step
		var sum float64
		mn, mx := math.Inf(1), math.Inf(-1)
		ok := !(logX && step <= 0)
		for _, h := range runs {
			v := h[i].KL
			if h[i].Step != step || math.IsNaN(v) || math.IsInf(v, 0) {
				ok = false
				break
			}
			sum += v
			mn, mx = math.Min(mn, v), math.Max(mx, v)
		}
		if !ok {
			continue
		}
		x := float64(step)
		mean = append(mean, plotter.XY{X: x, Y: sum / float64(len(runs))})
		lo = append(lo, plotter.XY{X: x, Y: mn})
		hi = append(hi, plotter.XY{X: x, Y: mx})
	}
	return mean, lo, hi
}

// klPanels returns one panel for the models trained by gradient steps and
// one for those trained by MPS sweeps (either may be absent), each with a y
// range chosen from its own data.
func (r *Report) klPanels() ([]*plot.Plot, error) {
	var curves []curve
	for i, s := range r.Summary {
		sweeps := false
		for _, t := range r.Trials {
			if t.Model == s.Model && t.Method == bornmachine.OptSweep {
				sweeps = true
			}
		}
		c := curve{model: i, sweeps: sweeps, logX: !sweeps, name: s.Model}
		c.mean, c.lo, c.hi = r.klCurve(s.Model, c.logX)
		if len(c.mean) > 0 {
			curves = append(curves, c)
		}
	}
	var panels []*plot.Plot
	for _, sweeps := range []bool{false, true} {
		var mine []curve
		for _, c := range curves {
			if c.sweeps == sweeps {
				mine = append(mine, c)
			}
		}
		if p, err := klPanel(mine, sweeps); err != nil {
			return nil, err
		} else if p != nil {
			panels = append(panels, p)
		}
	}
	return panels, nil
}

// klPanel draws curves on log axes whose y range spans the data, at most
// maxDecades below the highest value.
func klPanel(curves []curve, sweeps bool) (*plot.Plot, error) {
	top, bottom := 0.0, math.Inf(1)
	for _, c := range curves {
		for k := range c.mean {
			top = math.Max(top, c.hi[k].Y)
			if c.lo[k].Y > 0 {
				bottom = math.Min(bottom, c.lo[k].Y)
			}
		}
	}
	if !(top > 0) {
		return nil, nil
	}
	floor := math.Min(bottom, top)
	clipped := false
	if floor < top*math.Pow(10, -maxDecades) {
		floor, clipped = top*math.Pow(10, -maxDecades), true
	}
	p := plot.New()
	if sweeps {
		p.Title.Text = "KL(data || model) by MPS sweep"
		p.X.Label.Text = "two-site sweep"
	} else {
		p.Title.Text = "KL(data || model) by gradient step"
		p.X.Label.Text = "gradient step (log scale)"
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = figures.LogTicks{}
	}
	p.Y.Label.Text = "KL (nats)"
	if clipped {
		p.Title.Text += fmt.Sprintf("\n(values below %.0e drawn at %.0e)", floor, floor)
	}
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = figures.LogTicks{}
	p.Y.Min, p.Y.Max = floor/1.3, top*1.3
	p.Add(plotter.NewGrid())
	clamp := func(xys plotter.XYs) plotter.XYs {
		out := make(plotter.XYs, len(xys))
		for k, xy := range xys {
			out[k] = plotter.XY{X: xy.X, Y: math.Max(xy.Y, floor)}
		}
		return out
	}
	for _, c := range curves {
		col := modelColor(c.model)
		if len(c.mean) > 1 {
			band := append(clamp(c.hi), reversed(clamp(c.lo))...)
			poly, err := plotter.NewPolygon(band)
			if err != nil {
				return nil, err
			}
			poly.Color = translucent(col, 60)
			poly.LineStyle.Width = 0
			p.Add(poly)
		}
		l, err := plotter.NewLine(clamp(c.mean))
		if err != nil {
			return nil, err
		}
		l.Color, l.Width = col, vg.Points(1.5)
		p.Add(l)
		if len(c.mean) == 1 {
			sc, err := plotter.NewScatter(clamp(c.mean))
			if err != nil {
				return nil, err
			}
			sc.Color = col
			p.Add(sc)
		}
	}
	return p, nil
}

func reversed(xys plotter.XYs) plotter.XYs {
	out := slices.Clone(xys)
	slices.Reverse(out)
	return out
}

// modelProbs returns, for every model in Summary order, its probability of
// each state: mean, min and max over seeds.
func (r *Report) modelProbs() (mean, lo, hi [][]float64) {
	for _, s := range r.Summary {
		var m, mn, mx []float64
		seeds := 0
		for _, t := range r.Trials {
			if t.Model != s.Model || t.probs == nil {
				continue
			}
			if m == nil {
				m = make([]float64, len(t.probs))
				mn = slices.Clone(t.probs)
				mx = slices.Clone(t.probs)
			}
			for x, v := range t.probs {
				m[x] += v
				mn[x], mx[x] = math.Min(mn[x], v), math.Max(mx[x], v)
			}
			seeds++
		}
		for x := range m {
			m[x] /= float64(seeds)
		}
		mean, lo, hi = append(mean, m), append(lo, mn), append(hi, mx)
	}
	return mean, lo, hi
}

// chooseStates picks the states the bar panel shows: the data's most
// probable states (up to maxBars), then, while there is room, the states
// outside the data to which some model gives the most probability (at
// least 1e-3). It returns them in index order and a title saying what they
// are.
func (r *Report) chooseStates(mean [][]float64) ([]uint64, string) {
	data := r.data
	total := uint64(1) << uint(r.Bits)
	idx := make([]int, len(data.States))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return data.Probs[idx[a]] > data.Probs[idx[b]] })
	var states []uint64
	inData := map[uint64]bool{}
	for _, i := range idx {
		inData[data.States[i]] = true
		if len(states) < maxBars {
			states = append(states, data.States[i])
		}
	}
	nData := len(states)
	type cand struct {
		x uint64
		p float64
	}
	var extra []cand
	if len(states) < maxBars {
		best := map[uint64]float64{}
		for _, m := range mean {
			for x, v := range m {
				if !inData[uint64(x)] && v >= 1e-3 {
					best[uint64(x)] = math.Max(best[uint64(x)], v)
				}
			}
		}
		for x, p := range best {
			extra = append(extra, cand{x, p})
		}
		sort.Slice(extra, func(a, b int) bool {
			if extra[a].p != extra[b].p {
				return extra[a].p > extra[b].p
			}
			return extra[a].x < extra[b].x
		})
		for _, c := range extra[:min(len(extra), maxBars-len(states))] {
			states = append(states, c.x)
		}
	}
	nExtra := len(states) - nData
	var title string
	if nData < len(data.States) {
		title = fmt.Sprintf("probabilities of the top %d of the data's %d states by data probability (%d states in all)", nData, len(data.States), total)
	} else {
		title = fmt.Sprintf("probabilities of the %d data states (of %d)", nData, total)
	}
	switch {
	case nExtra > 0:
		title += fmt.Sprintf(" and the %d states outside the data the models favour most", nExtra)
	case nData == len(data.States) && uint64(nData) < total:
		title += "; no model puts 1e-3 on any other state"
	}
	sort.Slice(states, func(a, b int) bool { return states[a] < states[b] })
	return states, title
}

func (r *Report) probPanel() (*plot.Plot, error) {
	mean, lo, hi := r.modelProbs()
	if r.data.Metric == dataset.Integer && 1<<uint(r.Bits) <= maxLinePoints {
		return r.integerPanel(mean, lo, hi)
	}
	p := plot.New()
	states, title := r.chooseStates(mean)
	p.Title.Text = title
	p.Y.Label.Text = "probability"
	p.Add(plotter.NewGrid())
	groups := 1 + len(r.Summary)
	barW := vg.Points(math.Max(2, 420/float64(len(states)*groups)))
	var ymax float64
	add := func(vals plotter.Values, c color.Color, k int) (*plotter.BarChart, error) {
		b, err := plotter.NewBarChart(vals, barW)
		if err != nil {
			return nil, err
		}
		b.Color = c
		b.LineStyle.Width = 0
		b.Offset = barW * vg.Length(float64(k)-float64(groups-1)/2)
		p.Add(b)
		return b, nil
	}
	vals := make(plotter.Values, len(states))
	for i, s := range states {
		vals[i] = r.data.Prob(s)
		ymax = math.Max(ymax, vals[i])
	}
	if _, err := add(vals, dataColor, 0); err != nil {
		return nil, err
	}
	for k := range r.Summary {
		if mean[k] == nil {
			continue
		}
		vals := make(plotter.Values, len(states))
		errs := make(plotter.YErrors, len(states))
		pts := make(plotter.XYs, len(states))
		for i, s := range states {
			vals[i] = mean[k][s]
			errs[i].Low, errs[i].High = mean[k][s]-lo[k][s], hi[k][s]-mean[k][s]
			ymax = math.Max(ymax, hi[k][s])
		}
		b, err := add(vals, modelColor(k), k+1)
		if err != nil {
			return nil, err
		}
		if len(r.Seeds) > 1 {
			for i := range states {
				pts[i] = plotter.XY{X: float64(i), Y: vals[i]}
			}
			eb, err := plotter.NewYErrorBars(whiskers{pts, errs})
			if err != nil {
				return nil, err
			}
			eb.LineStyle.Width = vg.Points(0.8)
			eb.LineStyle.Color = color.RGBA{R: 60, G: 60, B: 60, A: 255}
			eb.CapWidth = barW * 0.8
			p.Add(offsetErrorBars{eb, b.Offset})
		}
	}
	names := make([]string, len(states))
	for i, s := range states {
		names[i] = circuit.FormatBits(s, r.Bits)
	}
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.6, float64(len(states))-0.4
	p.Y.Min, p.Y.Max = 0, 1.08*ymax
	p.X.Tick.Label.Rotation = math.Pi / 2
	p.X.Tick.Label.XAlign = draw.XRight
	p.X.Tick.Label.YAlign = draw.YCenter
	if len(states) > 16 {
		p.X.Tick.Label.Font.Size = vg.Points(8)
	}
	return p, nil
}

// whiskers is the data of a model's error bars: its bar tops and ranges.
type whiskers struct {
	xys  plotter.XYs
	errs plotter.YErrors
}

func (w whiskers) Len() int                        { return len(w.xys) }
func (w whiskers) XY(i int) (float64, float64)     { return w.xys[i].X, w.xys[i].Y }
func (w whiskers) YError(i int) (float64, float64) { return w.errs[i].Low, w.errs[i].High }

// offsetErrorBars draws error bars shifted sideways by off, to sit on the
// bars of a grouped bar chart.
type offsetErrorBars struct {
	*plotter.YErrorBars
	off vg.Length
}

func (e offsetErrorBars) Plot(c draw.Canvas, p *plot.Plot) {
	c.Rectangle.Min.X += e.off
	c.Rectangle.Max.X += e.off
	e.YErrorBars.Plot(c, p)
}

// integerPanel draws numeric data against the integer x: the data as a
// filled histogram and every model as its mean over seeds, with a band
// from min to max.
func (r *Report) integerPanel(mean, lo, hi [][]float64) (*plot.Plot, error) {
	n := 1 << uint(r.Bits)
	p := plot.New()
	p.Title.Text = "probabilities of the final models against the data's"
	p.X.Label.Text = fmt.Sprintf("x (the %d bits read as an integer)", r.Bits)
	p.Y.Label.Text = "probability"
	p.Add(plotter.NewGrid())
	var ymax float64
	steps := plotter.XYs{{X: -0.5, Y: 0}}
	for x := range n {
		v := r.data.Prob(uint64(x))
		ymax = math.Max(ymax, v)
		steps = append(steps, plotter.XY{X: float64(x) - 0.5, Y: v}, plotter.XY{X: float64(x) + 0.5, Y: v})
	}
	steps = append(steps, plotter.XY{X: float64(n) - 0.5, Y: 0})
	hist, err := plotter.NewLine(steps)
	if err != nil {
		return nil, err
	}
	hist.Color, hist.Width = dataColor, vg.Points(0.8)
	hist.FillColor = translucent(dataColor, 90)
	p.Add(hist)
	for k := range r.Summary {
		if mean[k] == nil {
			continue
		}
		m := make(plotter.XYs, n)
		band := make(plotter.XYs, 0, 2*n)
		for x := range n {
			m[x] = plotter.XY{X: float64(x), Y: mean[k][x]}
			band = append(band, plotter.XY{X: float64(x), Y: hi[k][x]})
			ymax = math.Max(ymax, hi[k][x])
		}
		for x := n - 1; x >= 0; x-- {
			band = append(band, plotter.XY{X: float64(x), Y: lo[k][x]})
		}
		if len(r.Seeds) > 1 {
			poly, err := plotter.NewPolygon(band)
			if err != nil {
				return nil, err
			}
			poly.Color, poly.LineStyle.Width = translucent(modelColor(k), 60), 0
			p.Add(poly)
		}
		l, err := plotter.NewLine(m)
		if err != nil {
			return nil, err
		}
		l.Color, l.Width = modelColor(k), vg.Points(1.3)
		p.Add(l)
	}
	p.X.Min, p.X.Max = -0.5, float64(n)-0.5
	p.Y.Min, p.Y.Max = 0, 1.08*ymax
	return p, nil
}
