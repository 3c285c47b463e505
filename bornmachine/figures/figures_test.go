package figures

import (
	"bytes"
	"image/color"
	"image/png"
	"testing"

	"born/bornmachine"
)

// TestSampleGridPixels checks that pixel (i,j) of a drawn sample shows bit
// i*cols+j, and that samples the validity test rejects get a red frame.
func TestSampleGridPixels(t *testing.T) {
	// 2x3 images: x = 0b000101 sets pixels (0,0) and (0,2).
	samples := []uint64{0b000101, 0b111000}
	var buf bytes.Buffer
	if err := SampleGrid(&buf, samples, 2, 3, func(x uint64) bool { return x == 0b111000 }); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	const pix, gap, frame = 8, 6, 2
	cw := 3*pix + 2*frame
	for k, s := range samples {
		x0, y0 := gap+k*(cw+gap), gap // two samples fit on one row
		for i := range 2 {
			for j := range 3 {
				c := color.GrayModel.Convert(img.At(x0+frame+j*pix+pix/2, y0+frame+i*pix+pix/2)).(color.Gray)
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
}

func TestPlotsDecode(t *testing.T) {
	data, _ := bornmachine.BarsAndStripes(2, 2)
	p, _ := data.Dense()
	h := []bornmachine.Record{{Step: 0, Loss: 0.1, KL: 1}, {Step: 1, Loss: 0.05, KL: 0.5}, {Step: 2, Loss: -1e-4, KL: 0.2}}
	var a, b bytes.Buffer
	if err := LossPlot(&a, h, "mmd"); err != nil {
		t.Fatal(err)
	}
	if err := DistributionPlot(&b, data, p); err != nil {
		t.Fatal(err)
	}
	for _, buf := range []*bytes.Buffer{&a, &b} {
		if _, err := png.Decode(buf); err != nil {
			t.Error(err)
		}
	}
	if err := DistributionPlot(&b, data, p[:3]); err == nil {
		t.Error("a distribution of the wrong size was drawn")
	}
}
