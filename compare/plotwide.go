package compare

import (
	"fmt"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// PlotNLL writes compare.png for data too wide for the full distribution
// (above dataset.MaxExactBits bits): the test NLL of every model against
// its training time in seconds (log axis: the families train for very
// different times), one line per run, the models in the colours of Plot,
// and the uniform distribution's NLL, bits ln 2, as a dashed line. Test
// NLLs missing from a run's history (no test set, or rows between AIS
// estimates) are skipped; without a test set the runs' final training NLLs
// are drawn as points instead.
func (r *Report) PlotNLL(w io.Writer) error {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("%s: NLL (nats per data point; uniform %.1f)", r.Data, float64(r.Bits)*math.Ln2)
	p.X.Label.Text = "training time (s)"
	p.X.Scale, p.X.Tick.Marker = plot.LogScale{}, plot.LogTicks{}
	p.Y.Label.Text = "test NLL"
	if r.TestSamples == 0 {
		p.Y.Label.Text = "training NLL"
	}
	p.Add(plotter.NewGrid())
	index := map[string]int{}
	for i, s := range r.Summary {
		index[s.Model] = i
	}
	seen := map[string]bool{}
	lo, hi := math.Inf(1), 0.0
	for _, t := range r.Trials {
		c := modelColor(index[t.Model])
		var xys plotter.XYs
		if r.TestSamples > 0 {
			for _, h := range t.history {
				if h.Wall > 0 && !math.IsNaN(h.TestNLL) && !math.IsInf(h.TestNLL, 0) {
					xys = append(xys, plotter.XY{X: h.Wall, Y: h.TestNLL})
				}
			}
		}
		if len(xys) == 0 && t.Seconds > 0 {
			y := t.NLL
			if r.TestSamples > 0 {
				y = t.TestNLL
			}
			if !math.IsNaN(y) {
				xys = plotter.XYs{{X: t.Seconds, Y: y}}
			}
		}
		if len(xys) == 0 {
			continue
		}
		for _, q := range xys {
			lo, hi = min(lo, q.X), max(hi, q.X)
		}
		var th plot.Thumbnailer
		if len(xys) == 1 {
			s, err := plotter.NewScatter(xys)
			if err != nil {
				return err
			}
			s.Color, s.GlyphStyle.Radius = c, vg.Points(3)
			p.Add(s)
			th = s
		} else {
			l, err := plotter.NewLine(xys)
			if err != nil {
				return err
			}
			l.Color, l.Width = c, vg.Points(1.5)
			p.Add(l)
			th = l
		}
		if !seen[t.Model] {
			seen[t.Model] = true
			p.Legend.Add(fmt.Sprintf("%s (%s)", t.Model, t.Family), th)
		}
	}
	if hi > 0 {
		u, err := plotter.NewLine(plotter.XYs{{X: lo, Y: float64(r.Bits) * math.Ln2}, {X: hi, Y: float64(r.Bits) * math.Ln2}})
		if err != nil {
			return err
		}
		u.Color, u.Dashes = dataColor, []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(u)
		p.Legend.Add("uniform", u)
		if lo == hi {
			p.X.Min, p.X.Max = lo/2, hi*2
		}
	}
	p.Legend.Top = true
	wt, err := p.WriterTo(20*vg.Centimeter, 13*vg.Centimeter, "png")
	if err != nil {
		return err
	}
	_, err = wt.WriteTo(w)
	return err
}
