package figures

import (
	"bytes"
	"fmt"
	"image"
	stddraw "image/draw"
	"image/png"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgimg"
)

// Captioned writes the PNG that draw makes with lines of text under it, so
// that the picture says what it shows: ImageGrid of completions with a key
// to its columns and colours, for example. The image is widened (on the
// grid's background) when a line is longer than it is wide.
func Captioned(w io.Writer, lines []string, draw func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := draw(&buf); err != nil {
		return err
	}
	if len(lines) == 0 {
		_, err := w.Write(buf.Bytes())
		return err
	}
	top, err := png.Decode(&buf)
	if err != nil {
		return fmt.Errorf("figures: %v", err)
	}
	face := font.DefaultCache.Lookup(plot.DefaultFont, vg.Points(13))
	const margin, lineH = 8, 18
	width := top.Bounds().Dx()
	for _, l := range lines {
		width = max(width, int(math.Ceil(float64(face.Width(l))))+2*margin)
	}
	height := top.Bounds().Dy() + len(lines)*lineH + margin
	// Text through a vg canvas at 72 dpi, one point per pixel (y grows
	// upwards there); the picture is copied in at the top left.
	c := vgimg.NewWith(vgimg.UseWH(vg.Length(width), vg.Length(height)), vgimg.UseDPI(72), vgimg.UseBackgroundColor(gridBackground))
	img := c.Image()
	stddraw.Draw(img, top.Bounds(), top, image.Point{}, stddraw.Src)
	c.SetColor(image.Black.C)
	for i, l := range lines {
		base := vg.Length(height - top.Bounds().Dy() - (i+1)*lineH + 4)
		c.FillString(face, vg.Point{X: margin, Y: base}, l)
	}
	return png.Encode(w, img)
}
