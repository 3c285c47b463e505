package figures

import (
	"bytes"
	"image/color"
	"image/png"
	"math"
	"strconv"
	"testing"

	"born/bornmachine"
	"born/dataset"
)

// TestSampleGridPixels checks that pixel (i,j) of a drawn sample shows bit
// i*cols+j, and that samples the validity test rejects get a red frame.
func TestSampleGridPixels(t *testing.T) {
	// 2x3 images: x = 0b000101 sets pixels (0,0) and (0,2).
	samples := []uint64{0b000101, 0b111000}
	var buf bytes.Buffer
	if err := SampleGrid(&buf, samples, 2, 3, func(x uint64) bool { return x == 0b111000 }, "not allowed"); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	g := GridLayout(len(samples), 2, 3, true)
	if g.Pix < 24 {
		t.Errorf("pixel cells of %d px for 2x3 images, want at least 24", g.Pix)
	}
	if b := img.Bounds(); b.Dx() < g.W || b.Dy() != g.H { // wider for the key
		t.Errorf("image %v, layout %dx%d", b, g.W, g.H)
	}
	for k, s := range samples {
		x0, y0 := g.Origin(k, 2, 3)
		for i := range 2 {
			for j := range 3 {
				c := color.GrayModel.Convert(img.At(x0+g.Frame+j*g.Pix+g.Pix/2, y0+g.Frame+i*g.Pix+g.Pix/2)).(color.Gray)
				want := uint8(255)
				if s>>uint(i*3+j)&1 == 1 {
					want = 0
				}
				if c.Y != want {
					t.Errorf("sample %d pixel (%d,%d): gray %d, want %d", k, i, j, c.Y, want)
				}
			}
		}
		r, g, _, _ := img.At(x0, y0).RGBA()
		if red := r > 2*g; red != (k == 0) {
			t.Errorf("sample %d: red frame %v", k, red)
		}
	}
	// The key strip holds a red swatch and dark text pixels.
	var red, dark int
	for y := g.H - g.Key; y < g.H; y++ {
		for x := 0; x < img.Bounds().Dx(); x++ {
			r, gg, b, _ := img.At(x, y).RGBA()
			if r > 2*gg {
				red++
			}
			if r < 0x4000 && gg < 0x4000 && b < 0x4000 {
				dark++
			}
		}
	}
	if red == 0 || dark < 50 {
		t.Errorf("key strip: %d red and %d dark pixels", red, dark)
	}
}

func TestPlotsDecode(t *testing.T) {
	data, _ := dataset.BarsAndStripes(2, 2)
	p, _ := data.Dense()
	h := []bornmachine.Record{{Step: 0, Loss: 0.1, KL: 1}, {Step: 1, Loss: 0.05, KL: 0.5}, {Step: 2, Loss: -1e-4, KL: 0.2}}
	var a, b bytes.Buffer
	if err := LossPlot(&a, h, "mmd", ""); err != nil {
		t.Fatal(err)
	}
	if err := DistributionPlot(&b, data, p); err != nil {
		t.Fatal(err)
	}
	// Gaussian data are drawn against the integer x (every state).
	gauss, err := dataset.ParseDataset("gauss:5")
	if err != nil {
		t.Fatal(err)
	}
	pg, _ := gauss.Dense()
	var c bytes.Buffer
	if err := DistributionPlot(&c, gauss, pg); err != nil {
		t.Fatal(err)
	}
	for _, buf := range []*bytes.Buffer{&a, &b, &c} {
		if _, err := png.Decode(buf); err != nil {
			t.Error(err)
		}
	}
	// One record (a run interrupted after its first step) on values below 1.
	var one bytes.Buffer
	if err := LossPlot(&one, h[:1], "mmd", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(&one); err != nil {
		t.Error(err)
	}
	if err := DistributionPlot(&b, data, p[:3]); err == nil {
		t.Error("a distribution of the wrong size was drawn")
	}
}

// Every log axis gets at least two labelled ticks inside its range, also
// when the range lies between two powers of ten, and every label reads
// back as its tick's value (no rounding noise such as 0.30000000000000004).
func TestLogTicksLabelEveryRange(t *testing.T) {
	for _, r := range [][2]float64{
		{1e-5, 1}, {2.6, 4.1}, {3.3, 7.2}, {2.61, 2.93}, {0.5, 5}, {0.02, 0.5}, {0.013, 0.019},
		{1e-16, 1e-15}, {123, 456}, {0.9, 1.1}, {1, 10},
	} {
		ts := LogTicks{}.Ticks(r[0], r[1])
		var labels []string
		for _, tk := range ts {
			if tk.Label == "" {
				continue
			}
			v, err := strconv.ParseFloat(tk.Label, 64)
			if err != nil || math.Abs(v-tk.Value) > 1e-12*tk.Value {
				t.Errorf("range %g..%g: label %q at %g", r[0], r[1], tk.Label, tk.Value)
			}
			if tk.Value >= r[0]*(1-1e-9) && tk.Value <= r[1]*(1+1e-9) {
				labels = append(labels, tk.Label)
			}
		}
		if len(labels) < 2 {
			t.Errorf("range %g..%g: labels %v inside the range, want at least 2", r[0], r[1], labels)
		}
	}
}
