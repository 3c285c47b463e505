package dataset

import "fmt"

// Words returns the number of uint64 words that hold a state of bits bits:
// word k holds bits 64k to 64k+63.
func Words(bits int) int { return max(1, (bits+63)/64) }

// Images are binarized images, one data point each, in the order of their
// source: image k is X[k*w : (k+1)*w] with w = Words(Rows*Cols), and pixel
// (i,j) of an image is its bit i*Cols+j (as for bas:RxC). Duplicates are
// kept: a train/test split draws from the data points.
type Images struct {
	Rows, Cols int
	X          []uint64
	// Spec names the source as ParseDataset reads it (digits,
	// idx:PATH:...); Digest is the SHA-256 of a file's contents ("" for
	// built-in data).
	Spec, Digest string
}

// Bits returns the number of pixels of one image.
func (im *Images) Bits() int { return im.Rows * im.Cols }

// Words returns the number of uint64 words of one image.
func (im *Images) Words() int { return Words(im.Bits()) }

// Len returns the number of images.
func (im *Images) Len() int { return len(im.X) / im.Words() }

// Image returns image k (Words() words, a view into X).
func (im *Images) Image(k int) []uint64 {
	w := im.Words()
	return im.X[k*w : (k+1)*w : (k+1)*w]
}

// Pixel returns pixel (i,j) (0 or 1) of image k.
func (im *Images) Pixel(k, i, j int) int {
	q := i*im.Cols + j
	return int(im.X[k*im.Words()+q/64] >> uint(q%64) & 1)
}

// Format returns image k as a bitstring q[n-1]...q[0]: pixel (0,0) last.
func (im *Images) Format(k int) string { return FormatWords(im.Image(k), im.Bits()) }

// Dataset returns the images as a distribution: every image weighs the
// same, duplicates add; states wider than 64 bits take several words (see
// Dataset).
func (im *Images) Dataset() (*Dataset, error) {
	if im.Len() == 0 {
		return nil, fmt.Errorf("%s: no images", im.Spec)
	}
	return imagePoints(im).dataset()
}
