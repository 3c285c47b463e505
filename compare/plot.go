package compare

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"born/bornmachine/figures"
	"born/circuit"
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

// klFloor is the smallest KL the plot draws: a model that fits the data
// exactly reaches 1e-16 and would stretch the axis over useless decades.
const klFloor = 1e-6

// maxBars is the number of states the probability panel shows.
const maxBars = 24

// Plot writes compare.png: KL(data || model) against the training step for
// every model (mean over seeds, log scale), and the probabilities of the
// data's most likely states and of each model's (first seed) next to the
// data's.
func (r *Report) Plot(w io.Writer) error {
	top, err := r.klPanel()
	if err != nil {
		return err
	}
	bottom, err := r.probPanel()
	if err != nil {
		return err
	}
	const width, height = 26 * vg.Centimeter, 22 * vg.Centimeter
	img := vgimg.New(width, height)
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 2, Cols: 1, PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2, PadX: vg.Millimeter * 2, PadY: vg.Millimeter * 4}
	canvases := plot.Align([][]*plot.Plot{{top}, {bottom}}, tiles, dc)
	top.Draw(canvases[0][0])
	bottom.Draw(canvases[1][0])
	_, err = vgimg.PngCanvas{Canvas: img}.WriteTo(w)
	return err
}

// meanHistory returns, for a model, the KL at each step averaged over its
// seeds (steps where every seed has a row).
func (r *Report) meanHistory(model string) plotter.XYs {
	var runs [][]float64
	var steps []int
	for _, t := range r.Trials {
		if t.Model != model || len(t.history) == 0 {
			continue
		}
		kl := make([]float64, len(t.history))
		for i, h := range t.history {
			kl[i] = h.KL
		}
		if steps == nil {
			for _, h := range t.history {
				steps = append(steps, h.Step)
			}
		}
		runs = append(runs, kl)
	}
	var xys plotter.XYs
	for i, s := range steps {
		var sum float64
		ok := true
		for _, kl := range runs {
			if i >= len(kl) {
				ok = false
				break
			}
			sum += kl[i]
		}
		v := sum / float64(len(runs))
		if ok && s > 0 && v > 0 && !math.IsInf(v, 0) && !math.IsNaN(v) {
			xys = append(xys, plotter.XY{X: float64(s), Y: v})
		}
	}
	return xys
}

func (r *Report) klPanel() (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("KL(data || model) during training, mean over seeds (drawn at least %g)", klFloor)
	p.X.Label.Text = "training step (log scale)"
	p.Y.Label.Text = "KL (nats)"
	p.Add(plotter.NewGrid())
	p.Legend.Top = true
	any := false
	ymax := klFloor
	for i, s := range r.Summary {
		xys := r.meanHistory(s.Model)
		if len(xys) == 0 {
			continue
		}
		for j := range xys {
			xys[j].Y = math.Max(xys[j].Y, klFloor)
			ymax = math.Max(ymax, xys[j].Y)
		}
		l, err := plotter.NewLine(xys)
		if err != nil {
			return nil, err
		}
		l.Color = palette[i%len(palette)]
		l.Width = vg.Points(1.5)
		p.Add(l)
		p.Legend.Add(s.Model+" ("+s.Family+")", l)
		any = true
	}
	if any {
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = figures.LogTicks{}
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = figures.LogTicks{}
		p.Y.Min = klFloor
		p.Y.Max = 30 * ymax // headroom for the legend
	}
	return p, nil
}

func (r *Report) probPanel() (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = "probabilities: data and each model (first seed)"
	p.Y.Label.Text = "probability"
	p.Add(plotter.NewGrid())
	p.Legend.Top = true
	// The states: the data's support first (most likely first), then the
	// states the models put most weight on, up to maxBars.
	data := r.data
	chosen := map[uint64]bool{}
	var states []uint64
	idx := make([]int, len(data.States))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return data.Probs[idx[a]] > data.Probs[idx[b]] })
	for _, i := range idx {
		if len(states) == maxBars {
			break
		}
		states = append(states, data.States[i])
		chosen[data.States[i]] = true
	}
	first := map[string]Trial{}
	var models []string
	for _, t := range r.Trials {
		if _, ok := first[t.Model]; !ok {
			first[t.Model] = t
			models = append(models, t.Model)
		}
	}
	for _, m := range models {
		pr := first[m].probs
		order := make([]int, len(pr))
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(a, b int) bool { return pr[order[a]] > pr[order[b]] })
		for _, x := range order[:min(3, len(order))] {
			if len(states) < maxBars && !chosen[uint64(x)] {
				chosen[uint64(x)] = true
				states = append(states, uint64(x))
			}
		}
	}
	sort.Slice(states, func(a, b int) bool { return states[a] < states[b] })
	groups := 1 + len(models)
	barW := vg.Points(math.Max(2, 300/float64(len(states)*groups)))
	add := func(vals plotter.Values, c color.Color, k int, name string) error {
		b, err := plotter.NewBarChart(vals, barW)
		if err != nil {
			return err
		}
		b.Color = c
		b.LineStyle.Width = 0
		b.Offset = barW * vg.Length(float64(k)-float64(groups-1)/2)
		p.Add(b)
		p.Legend.Add(name, b)
		return nil
	}
	var ymax float64
	vals := make(plotter.Values, len(states))
	for i, s := range states {
		vals[i] = data.Prob(s)
		ymax = math.Max(ymax, vals[i])
	}
	if err := add(vals, dataColor, 0, "data"); err != nil {
		return nil, err
	}
	for k, m := range models {
		pr := first[m].probs
		vals := make(plotter.Values, len(states))
		for i, s := range states {
			vals[i] = pr[s]
			ymax = math.Max(ymax, vals[i])
		}
		if err := add(vals, palette[k%len(palette)], k+1, m); err != nil {
			return nil, err
		}
	}
	names := make([]string, len(states))
	for i, s := range states {
		names[i] = circuit.FormatBits(s, r.Bits)
	}
	p.NominalX(names...)
	// Room for the outer bars of each group and for the legend.
	p.X.Min, p.X.Max = -0.8, float64(len(states))-0.2
	p.Y.Min, p.Y.Max = 0, 1.3*ymax
	p.X.Tick.Label.Rotation = math.Pi / 2
	p.X.Tick.Label.XAlign = draw.XRight
	p.X.Tick.Label.YAlign = draw.YCenter
	return p, nil
}
