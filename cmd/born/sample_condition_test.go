package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"born/bornmachine"
	"born/bornmachine/mpsbm"
	"born/classical/flow"
	"born/classical/rbm"
	"born/dataset"
	"born/model"
)

// modelDir writes m, trained (or not) on data with test set test, as a
// run folder and returns it.
func modelDir(t *testing.T, m model.Model, data, test *dataset.Dataset) string {
	t.Helper()
	mf, err := bornmachine.NewModelFile(m)
	if err != nil {
		t.Fatal(err)
	}
	mf.Data = data.Info(test)
	dir := filepath.Join(t.TempDir(), m.Kind())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := bornmachine.WriteModelDir(dir, mf, nil); err != nil {
		t.Fatal(err)
	}
	return dir
}

func randomParams(t *testing.T, m model.Model, scale float64) {
	t.Helper()
	r := rand.New(rand.NewPCG(5, 5))
	th := make([]float64, m.NumParams())
	for i := range th {
		th[i] = scale * r.NormFloat64()
	}
	if err := m.SetParams(th); err != nil {
		t.Fatal(err)
	}
}

// randomIDX writes an IDX file of count 14x14 images of random
// intensities and returns its path.
func randomIDX(t *testing.T, count int, seed uint64) string {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, seed))
	raw := make([]byte, 16, 16+count*196)
	binary.BigEndian.PutUint32(raw[0:], dataset.IDXMagic)
	binary.BigEndian.PutUint32(raw[4:], uint32(count))
	binary.BigEndian.PutUint32(raw[8:], 14)
	binary.BigEndian.PutUint32(raw[12:], 14)
	for range count * 196 {
		raw = append(raw, byte(r.IntN(256)))
	}
	idx := filepath.Join(t.TempDir(), "images-idx3-ubyte")
	if err := os.WriteFile(idx, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return idx
}

type conditionJSON struct {
	Bits, Rows, Cols int
	Mask, Data, Part string
	HiddenRight      float64 `json:"hidden_right"`
	HiddenZero       float64 `json:"hidden_zero"`
	Images           []struct {
		Image, Visible string
		Completions    []string
	}
}

// checkCompletions: every completion keeps the visible pixels, the hidden
// ones are exactly those the mask names, and the images come from test.
func checkCompletions(t *testing.T, what string, j conditionJSON, images, completions int, hidden []uint64, test *dataset.Dataset) {
	t.Helper()
	if len(j.Images) != images || j.Part != "test" {
		t.Fatalf("%s: %d images of the %s data", what, len(j.Images), j.Part)
	}
	n := j.Bits
	inTest := map[string]bool{}
	for i := range test.Len() {
		inTest[test.FormatState(i)] = true
	}
	for _, im := range j.Images {
		if !inTest[im.Image] {
			t.Errorf("%s: image %s is not in the test set", what, im.Image)
		}
		if len(im.Completions) != completions {
			t.Fatalf("%s: %d completions", what, len(im.Completions))
		}
		for q := range n {
			c := n - 1 - q // q[n-1] first
			isHidden := hidden[q/64]>>uint(q%64)&1 == 1
			if isHidden != (im.Visible[c] == '?') || !isHidden && im.Visible[c] != im.Image[c] {
				t.Fatalf("%s: visible %s of image %s, pixel %d", what, im.Visible, im.Image, q)
			}
			for _, y := range im.Completions {
				if !isHidden && y[c] != im.Image[c] {
					t.Fatalf("%s: completion %s changes visible pixel %d of %s", what, y, q, im.Image)
				}
			}
		}
	}
	if !(j.HiddenRight > 0 && j.HiddenRight < 1) {
		t.Errorf("%s: hidden_right %v", what, j.HiddenRight)
	}
	// hidden_zero and hidden_right by their definitions.
	var zero, right, total int
	for _, im := range j.Images {
		for c := range n {
			if im.Visible[c] != '?' {
				continue
			}
			if im.Image[c] == '0' {
				zero++
			}
			for _, y := range im.Completions {
				total++
				if y[c] == im.Image[c] {
					right++
				}
			}
		}
	}
	if want := float64(zero) * float64(completions) / float64(total); math.Abs(j.HiddenZero-want) > 1e-12 {
		t.Errorf("%s: hidden_zero %v, want %v", what, j.HiddenZero, want)
	}
	if want := float64(right) / float64(total); math.Abs(j.HiddenRight-want) > 1e-12 {
		t.Errorf("%s: hidden_right %v, want %v", what, j.HiddenRight, want)
	}
}

// TestSampleCondition completes digits with an MPS and a MADE (random
// parameters: the exactness of the conditionals is tested in their
// packages) and a 14x14 IDX image set with an MPS (196 bits), in json,
// text and png.
func TestSampleCondition(t *testing.T) {
	digits, digitsTest, err := dataset.Load("digits", 0.2, 1)
	if err != nil {
		t.Fatal(err)
	}
	mp, err := mpsbm.New(64, 3, 0, 2)
	if err != nil {
		t.Fatal(err)
	}
	made, err := flow.New(64, 16)
	if err != nil {
		t.Fatal(err)
	}
	randomParams(t, made, 0.5)
	idx := randomIDX(t, 40, 3)
	wide, wideTest, err := dataset.Load("idx:"+idx, 0.25, 4)
	if err != nil {
		t.Fatal(err)
	}
	mpWide, err := mpsbm.New(196, 2, 0, 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name       string
		dir        string
		test       *dataset.Dataset
		mask       string
		rows, cols int
	}{
		{"mps digits", modelDir(t, mp, digits, digitsTest), digitsTest, "lower", 8, 8},
		{"flow digits", modelDir(t, made, digits, digitsTest), digitsTest, "lower", 8, 8},
		{"flow digits box", modelDir(t, made, digits, digitsTest), digitsTest, "box:6-7,4-7", 8, 8},
		{"mps digits left", modelDir(t, mp, digits, digitsTest), digitsTest, "left", 8, 8},
		{"mps 14x14", modelDir(t, mpWide, wide, wideTest), wideTest, "lower", 14, 14},
	} {
		hidden, err := dataset.ParseMask(c.mask, c.rows, c.cols)
		if err != nil {
			t.Fatal(err)
		}
		out, err := sample(t, c.dir, "--condition", c.mask, "--images", "5", "--completions", "3", "--format", "json", "--seed", "7")
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var j conditionJSON
		if err := json.Unmarshal([]byte(out), &j); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		checkCompletions(t, c.name, j, 5, 3, hidden, c.test)
		again, _ := sample(t, c.dir, "--condition", c.mask, "--images", "5", "--completions", "3", "--format", "json", "--seed", "7")
		if again != out {
			t.Errorf("%s: the same seed gave other completions", c.name)
		}
		text, err := sample(t, c.dir, "--condition", c.mask, "--images", "2", "--completions", "2")
		if err != nil || strings.Count(text, "\ncompletion  ") != 4 || !strings.Contains(text, "of the hidden pixels completed right") {
			t.Errorf("%s: text %v\n%s", c.name, err, text)
		}
		// png: one row per image: the image, the visible part with grey
		// hidden pixels, then completions with blue hidden pixels.
		pngPath := filepath.Join(t.TempDir(), "c.png")
		if _, err := sample(t, c.dir, "--condition", c.mask, "--images", "2", "--completions", "2", "--format", "png", "-o", pngPath); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(pngPath)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		pix := max(2, min(24, 192/max(c.rows, c.cols)))
		const gap, frame = 6, 1
		cw, ch := c.cols*pix+2*frame, c.rows*pix+2*frame
		// The grid at the top left, three caption lines (18 px each and a
		// margin of 8) under it.
		if b := img.Bounds(); b.Dx() < gap+4*(cw+gap) || b.Dy() != gap+2*(ch+gap)+3*18+8 {
			t.Fatalf("%s: png %v", c.name, b)
		}
		at := func(col, q int) color.RGBA {
			i, jj := q/c.cols, q%c.cols
			x := gap + col*(cw+gap) + frame + jj*pix + pix/2
			y := gap + frame + i*pix + pix/2
			return color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
		}
		for q := range c.rows * c.cols {
			h := hidden[q/64]>>uint(q%64)&1 == 1
			o, v, comp := at(0, q), at(1, q), at(2, q)
			black, white := color.RGBA{0, 0, 0, 255}, color.RGBA{255, 255, 255, 255}
			if o != black && o != white {
				t.Fatalf("%s: original pixel %d is %v", c.name, q, o)
			}
			if h && (v != color.RGBA{190, 190, 190, 255} || comp.B <= comp.R) || !h && (v != o || comp != o) {
				t.Fatalf("%s: pixel %d (hidden %v): original %v, visible %v, completion %v", c.name, q, h, o, v, comp)
			}
		}
	}
}

func TestSampleConditionBadInput(t *testing.T) {
	digits, digitsTest, err := dataset.Load("digits", 0.2, 1)
	if err != nil {
		t.Fatal(err)
	}
	mp, _ := mpsbm.New(64, 2, 0, 2)
	rb, _ := rbm.New(64, 4)
	gauss, _ := dataset.Gaussian(6, 30, 8)
	mpg, _ := mpsbm.New(6, 2, 0, 2)
	mpsDir := modelDir(t, mp, digits, digitsTest)
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"rbm", []string{modelDir(t, rb, digits, digitsTest), "--condition", "lower"}, "--condition needs exact conditional sampling, which mps and flow models have; this is a rbm model"},
		{"not images", []string{modelDir(t, mpg, gauss, nil), "--condition", "lower"}, "not on image data"},
		{"bad mask", []string{mpsDir, "--condition", "bottom"}, `--condition: mask "bottom": use lower, upper, left, right or box`},
		{"box outside", []string{mpsDir, "--condition", "box:0-8,0"}, `"0-8" is not a range A-B with 0 <= A <= B < 8`},
		{"shots", []string{mpsDir, "--condition", "lower", "--shots", "5"}, "--shots does not apply to --condition"},
		{"no images", []string{mpsDir, "--condition", "lower", "--images", "0"}, "need at least 1 of each"},
		{"grid too large", []string{mpsDir, "--condition", "lower", "--images", "200", "--completions", "8", "--format", "png", "-o", filepath.Join(t.TempDir(), "x.png")}, "a grid shows at most 1024"},
	} {
		_, err := sample(t, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
}

// TestSampleWidePNG draws plain samples of a 196-bit model as a grid and
// as text, and of a 64-bit RBM on digits as a grid.
func TestSampleWidePNG(t *testing.T) {
	idx := randomIDX(t, 10, 1)
	data, _, err := dataset.Load("idx:"+idx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := mpsbm.New(196, 2, 0, 3)
	dir := modelDir(t, m, data, nil)
	var out, errOut bytes.Buffer
	cmd := newSampleCmd(nil)
	cmd.SetArgs([]string{dir, "--format", "png", "--shots", "12"})
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&out)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() < 4*14*2 || !strings.Contains(errOut.String(), "12 samples of 14x14 images") {
		t.Errorf("png %v, summary %q", b, errOut.String())
	}
	// An RBM on digits (64 bits, no conditional sampling) draws its grid
	// too.
	digits, _, err := dataset.Load("digits", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	rb, _ := rbm.New(64, 8)
	randomParams(t, rb, 0.3)
	pngPath := filepath.Join(t.TempDir(), "rbm.png")
	if msg, err := sample(t, modelDir(t, rb, digits, nil), "--format", "png", "--shots", "16", "-o", pngPath); err != nil || !strings.Contains(msg, "16 samples of 8x8 images") {
		t.Errorf("rbm png: %v %q", err, msg)
	}
	text, err := sample(t, dir, "--shots", "30")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(text), "\n")
	total := 0
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if len(f) != 3 || len(f[0]) != 196 {
			t.Fatalf("line %q", l)
		}
		var c int
		for _, ch := range f[1] {
			c = 10*c + int(ch-'0')
		}
		total += c
	}
	if total != 30 {
		t.Errorf("counts add to %d", total)
	}
}
