package dataset_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"

	"born/dataset"
)

// The first built-in digit (a 0), pixel (i,j) drawn at row i, column j.
func ExampleDigitImages() {
	im, err := dataset.DigitImages()
	if err != nil {
		panic(err)
	}
	fmt.Println(im.Len(), "images of", im.Rows, "x", im.Cols)
	for i := range im.Rows {
		var row strings.Builder
		for j := range im.Cols {
			row.WriteString([]string{".", "#"}[im.Pixel(0, i, j)])
		}
		fmt.Println(row.String())
	}
	// Output:
	// 1797 images of 8 x 8
	// ...##...
	// ..####..
	// ..#..##.
	// ..#..##.
	// ..#..##.
	// ..#..#..
	// ..#.##..
	// ...##...
}

// A 4x4 IDX image downsampled to 2x2 by block means and binarized at half
// intensity.
func ExampleParseIDX() {
	var b bytes.Buffer
	for _, v := range []uint32{dataset.IDXMagic, 1, 4, 4} { // magic, count, rows, cols
		binary.Write(&b, binary.BigEndian, v)
	}
	b.Write([]byte{
		255, 255, 0, 0,
		255, 0, 0, 0,
		0, 0, 200, 200,
		0, 0, 200, 0,
	})
	im, err := dataset.ParseIDX("example.idx", &b, dataset.IDXOptions{Rows: 2, Cols: 2, Threshold: 0.5})
	if err != nil {
		panic(err)
	}
	fmt.Println(im.Format(0), "(q[3]...q[0])")
	// Output: 1001 (q[3]...q[0])
}

// The pixels a completion of the lower half of a 4x3 image hides.
func ExampleParseMask() {
	m, err := dataset.ParseMask("lower", 4, 3)
	if err != nil {
		panic(err)
	}
	for i := range 4 {
		for j := range 3 {
			q := i*3 + j
			fmt.Print([]string{"v", "?"}[m[0]>>uint(q)&1])
		}
		fmt.Println()
	}
	// Output:
	// vvv
	// vvv
	// ???
	// ???
}
