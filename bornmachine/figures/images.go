package figures

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"born/bornmachine"
	"born/dataset"
)

// PixelStyle says how ImageGrid draws a pixel.
type PixelStyle uint8

const (
	// Plain pixels are black (1) or white (0).
	Plain PixelStyle = iota
	// Completed pixels were filled in by a model: dark blue (1) or pale
	// blue (0).
	Completed
	// Hidden pixels are unknown: mid grey.
	Hidden
)

var (
	completedOn  = color.RGBA{R: 20, G: 60, B: 160, A: 255}
	completedOff = color.RGBA{R: 200, G: 220, B: 255, A: 255}
	hiddenGrey   = color.RGBA{R: 190, G: 190, B: 190, A: 255}
)

// ImageGrid writes a PNG of binary images in a grid, perRow to a row (0:
// about square): images holds them one after another, each
// dataset.Words(rows*cols) words with pixel (i,j) at bit i*cols+j. style,
// if not nil, gives the style of pixel q of image k (Plain, Completed,
// Hidden). Wide images (Fashion-MNIST's 14x14 or 28x28) get smaller
// pixel squares than bars and stripes.
func ImageGrid(w io.Writer, images []uint64, rows, cols, perRow int, style func(k, q int) PixelStyle) error {
	bits := rows * cols
	if rows < 1 || cols < 1 || bits > dataset.MaxWideBits {
		return fmt.Errorf("figures: image shape %dx%d", rows, cols)
	}
	W := dataset.Words(bits)
	if len(images) == 0 || len(images)%W != 0 {
		return fmt.Errorf("figures: %d words are not whole %dx%d images", len(images), rows, cols)
	}
	n := len(images) / W
	g := Grid{Pix: max(2, min(24, 192/max(rows, cols))), Frame: 1, Gap: 6}.layout(n, rows, cols, perRow)
	img := image.NewRGBA(image.Rect(0, 0, g.W, g.H))
	fill(img, 0, 0, g.W, g.H, gridBackground)
	for k := range n {
		x := images[k*W : (k+1)*W]
		g.drawImage(img, k, rows, cols, gridValid, func(q int) color.Color {
			on := x[q/64]>>uint(q%64)&1 == 1
			st := Plain
			if style != nil {
				st = style(k, q)
			}
			switch {
			case st == Hidden:
				return hiddenGrey
			case st == Completed && on:
				return completedOn
			case st == Completed:
				return completedOff
			case on:
				return color.Black
			}
			return color.White
		})
	}
	return png.Encode(w, img)
}

// NLLPlot writes a PNG of a training run on data too wide for the full
// distribution (no KL): the NLL in nats per data point against the step,
// on the training data when the loss is the NLL (lossName "nll") and on the
// held-out test data where the history has it, titled with the uniform
// distribution's NLL, bits ln 2, for scale. With another loss (a QCBM's
// MMD), the loss gets a panel of its own above the test NLL.
func NLLPlot(w io.Writer, h []bornmachine.Record, bits int, lossName, xlabel string) error {
	if xlabel == "" {
		xlabel = "step"
	}
	train, test := plotter.XYs{}, plotter.XYs{}
	for _, r := range h {
		if !math.IsNaN(r.Loss) && !math.IsInf(r.Loss, 0) {
			train = append(train, plotter.XY{X: float64(r.Step), Y: r.Loss})
		}
		if !math.IsNaN(r.TestNLL) && !math.IsInf(r.TestNLL, 0) {
			test = append(test, plotter.XY{X: float64(r.Step), Y: r.TestNLL})
		}
	}
	nll := lossName == dataset.LossNLL
	if nll && len(train)+len(test) == 0 || !nll && len(train) == 0 {
		return fmt.Errorf("figures: no finite loss or test NLL to plot")
	}
	plt := plot.New()
	plt.Title.Text = fmt.Sprintf("negative log-likelihood (%d bits; uniform: %.1f nats)", bits, float64(bits)*math.Ln2)
	plt.X.Label.Text = xlabel
	plt.X.Tick.Marker = intTicks{}
	plt.Y.Label.Text = "nats per data point"
	plt.Add(plotter.NewGrid())
	add := func(xys plotter.XYs, c color.Color, name string) error {
		l, err := plotter.NewLine(xys)
		if err != nil {
			return err
		}
		l.Color, l.Width = c, vg.Points(1.5)
		plt.Add(l)
		plt.Legend.Add(name, l)
		return nil
	}
	if nll && len(train) > 0 {
		if err := add(train, blue, "training data"); err != nil {
			return err
		}
	}
	if len(test) > 0 {
		if err := add(test, orange, "test data"); err != nil {
			return err
		}
	}
	plt.Legend.Top = true
	if nll {
		wt, err := plt.WriterTo(vg.Points(620), vg.Points(380), "png")
		if err != nil {
			return err
		}
		_, err = wt.WriteTo(w)
		return err
	}
	top, err := logPanel("training loss ("+lossName+")", xlabel, lossName, line(h, func(r bornmachine.Record) float64 { return r.Loss }), blue)
	if err != nil {
		return err
	}
	panels := [][]*plot.Plot{{top}}
	if len(test) > 0 {
		panels = append(panels, []*plot.Plot{plt})
	}
	img := vgimg.New(vg.Points(560), vg.Points(float64(260*len(panels))))
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: len(panels), Cols: 1, PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(12), PadY: vg.Points(12)}
	canvases := plot.Align(panels, tiles, dc)
	for i := range panels {
		panels[i][0].Draw(canvases[i][0])
	}
	_, err = vgimg.PngCanvas{Canvas: img}.WriteTo(w)
	return err
}
