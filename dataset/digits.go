package dataset

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
)

// digitsGz is the binarized digits data (data/README.md says where it comes
// from and under which licence): a data file in the format of file:PATH,
// one 64-bit bitstring q[63]...q[0] per image, gzipped.
// TestDigitsFromSource re-derives it from scikit-learn's digits.csv.gz.
//
//go:embed data/digits.txt.gz
var digitsGz []byte

// DigitsCount is the number of images in the digits data.
const DigitsCount = 1797

// DigitsThreshold is the binarization rule of the digits data: a pixel of
// intensity v in 0..16 (the number of set pixels in a 4x4 block of the
// original 32x32 bitmap) is 1 when v >= DigitsThreshold, half intensity.
const DigitsThreshold = 8

// DigitImages returns the digits data as images in scikit-learn's order:
// the 1797 8x8 handwritten digits of the UCI "Optical Recognition of
// Handwritten Digits" set (Alpaydin and Kaynak, 1998; its test part, 13
// writers) as scikit-learn ships them (load_digits), each pixel set when
// its intensity is at least DigitsThreshold of 16. Pixel (i,j) is bit
// i*8+j.
func DigitImages() (*Images, error) {
	zr, err := gzip.NewReader(bytes.NewReader(digitsGz))
	if err != nil {
		return nil, fmt.Errorf("digits: the built-in data are damaged: %v", err)
	}
	pts, err := parsePoints("digits", zr)
	if err != nil {
		return nil, fmt.Errorf("digits: the built-in data are damaged: %v", err)
	}
	if pts.bits != 64 {
		return nil, fmt.Errorf("digits: the built-in data are damaged: %d bits a line, want 64", pts.bits)
	}
	im := &Images{Rows: 8, Cols: 8, Spec: "digits", X: pts.x}
	if im.Len() != DigitsCount {
		return nil, fmt.Errorf("digits: the built-in data hold %d images, want %d", im.Len(), DigitsCount)
	}
	return im, nil
}

// Digits returns the digits data (DigitImages) as a distribution over 64-bit
// states: every image weighs 1/1797, duplicates add.
func Digits() (*Dataset, error) {
	im, err := DigitImages()
	if err != nil {
		return nil, err
	}
	return im.Dataset()
}
