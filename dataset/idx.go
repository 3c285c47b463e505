package dataset

import (
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// IDXMagic is the magic number of an IDX file of unsigned-byte images:
// 0x0000, type 0x08 (unsigned byte), 3 dimensions (count, rows, columns).
const IDXMagic = 0x00000803

// MaxImageBits is the most pixels an image may keep after downsampling:
// the widest data a dataset holds.
const MaxImageBits = MaxWideBits

// maxIDXSide bounds the rows and columns an IDX header may declare.
const maxIDXSide = 1 << 12

// IDXOptions say how ReadIDX turns grey images into bits.
type IDXOptions struct {
	// Rows and Cols, when not 0, are the shape the images are downsampled
	// to: each new pixel is the mean of a block of (rows/Rows) x
	// (cols/Cols) original pixels, so Rows and Cols must divide the
	// image's rows and columns (28x28 to 14x14, 7x7 or 4x4).
	Rows, Cols int
	// Threshold in (0, 1) binarizes: a pixel (or block) is 1 when its mean
	// intensity is at least Threshold x 255. 0 means 0.5.
	Threshold float64
	// Limit, when > 0, keeps the first Limit images.
	Limit int
}

// threshold returns the threshold in effect.
func (o IDXOptions) threshold() float64 {
	if o.Threshold == 0 {
		return 0.5
	}
	return o.Threshold
}

// ParseIDXSpec splits the argument of idx:PATH[:RxC][:T][:n=N] into the
// path and the options. Options follow the path in any order; a component
// that starts with a digit, a '.' or "n=" is an option and must be valid,
// and the first component from the right that is not ends the options (it
// is part of the path, which may itself hold colons). Examples:
// idx:train-images-idx3-ubyte.gz (28x28, 784 bits, threshold 0.5),
// idx:train-images-idx3-ubyte.gz:14x14:0.5, idx:t10k.gz:7x7:n=1000.
func ParseIDXSpec(arg string) (string, IDXOptions, error) {
	var o IDXOptions
	path := arg
	for {
		i := strings.LastIndexByte(path, ':')
		if i < 0 {
			break
		}
		opt := path[i+1:]
		if opt == "" || !(opt[0] >= '0' && opt[0] <= '9' || opt[0] == '.' || strings.HasPrefix(opt, "n=")) {
			break
		}
		switch {
		case strings.HasPrefix(opt, "n="):
			n, err := strconv.Atoi(opt[2:])
			if err != nil || n < 1 {
				return "", o, fmt.Errorf("%q: the number of images must be a whole number >= 1, as in n=1000", opt)
			}
			if o.Limit != 0 {
				return "", o, fmt.Errorf("%q: the number of images is given twice", opt)
			}
			o.Limit = n
		case strings.ContainsRune(opt, 'x'):
			rs, cs, _ := strings.Cut(opt, "x")
			r, err1 := strconv.Atoi(rs)
			c, err2 := strconv.Atoi(cs)
			if err1 != nil || err2 != nil || r < 1 || c < 1 {
				return "", o, fmt.Errorf("%q: a downsampled shape is RxC with whole numbers >= 1, as in 14x14", opt)
			}
			if o.Rows != 0 {
				return "", o, fmt.Errorf("%q: the shape is given twice", opt)
			}
			o.Rows, o.Cols = r, c
		default:
			t, err := strconv.ParseFloat(opt, 64)
			if err != nil || !(t > 0 && t < 1) {
				return "", o, fmt.Errorf("%q: the threshold is a number in (0,1), the share of full intensity (255) at which a pixel is 1, as in 0.5", opt)
			}
			if o.Threshold != 0 {
				return "", o, fmt.Errorf("%q: the threshold is given twice", opt)
			}
			o.Threshold = t
		}
		path = path[:i]
	}
	if path == "" {
		return "", o, fmt.Errorf("no path: give the IDX file, as in idx:train-images-idx3-ubyte.gz:14x14")
	}
	return path, o, nil
}

// ReadIDXSpec reads the images named by the argument of idx:PATH[:OPT...]
// (ParseIDXSpec, ReadIDX).
func ReadIDXSpec(arg string) (*Images, error) {
	path, o, err := ParseIDXSpec(arg)
	if err != nil {
		return nil, fmt.Errorf("dataset idx:%s: %v; the form is idx:PATH[:RxC][:T][:n=N]", arg, err)
	}
	return ReadIDX(path, o)
}

// ReadIDX reads the images of an IDX file, the format of MNIST and
// Fashion-MNIST (gzipped or not): the magic number 0x00000803, then the
// image count, rows and columns as big-endian uint32, then the pixels, one
// unsigned byte each, image by image, row by row. It downsamples and
// binarizes them as o says; pixel (i,j) of the result is bit i*C+j. Errors
// name the file and what is wrong with it. The Spec of the result is
// idx:ABSPATH:RxC:T[:n=N], the Digest the SHA-256 of the file as stored.
func ReadIDX(path string, o IDXOptions) (*Images, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("idx file: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	im, err := ParseIDX(path, io.TeeReader(f, h), o)
	if err != nil {
		return nil, err
	}
	// Hash what the parser left unread (the rest of the file past Limit).
	if _, err := io.Copy(h, f); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	im.Spec = fmt.Sprintf("idx:%s:%dx%d:%s", abs, im.Rows, im.Cols, formatG(o.threshold()))
	if o.Limit > 0 {
		im.Spec += fmt.Sprintf(":n=%d", o.Limit)
	}
	im.Digest = hex.EncodeToString(h.Sum(nil))
	return im, nil
}

// ParseIDX reads IDX images from r as ReadIDX does; name is used in error
// messages and as the Spec.
func ParseIDX(name string, r io.Reader, o IDXOptions) (*Images, error) {
	if o.Rows < 0 || o.Cols < 0 || (o.Rows == 0) != (o.Cols == 0) || o.Limit < 0 {
		return nil, fmt.Errorf("%s: bad options: shape %dx%d, limit %d", name, o.Rows, o.Cols, o.Limit)
	}
	if o.Threshold != 0 && !(o.Threshold > 0 && o.Threshold < 1) {
		return nil, fmt.Errorf("%s: threshold %v is outside (0,1)", name, o.Threshold)
	}
	br := bufio.NewReader(r)
	var in io.Reader = br
	if head, _ := br.Peek(2); len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%s: a damaged gzip file: %v", name, err)
		}
		in = zr
	}
	var hdr [16]byte
	if n, err := io.ReadFull(in, hdr[:4]); err != nil {
		return nil, fmt.Errorf("%s: truncated: %d bytes, too short for an IDX header (16 bytes)%s", name, n, readErr(err))
	}
	if magic := binary.BigEndian.Uint32(hdr[:4]); magic != IDXMagic {
		return nil, fmt.Errorf("%s: magic number 0x%08x%s; an IDX file of images starts 0x%08x (unsigned bytes, 3 dimensions)", name, magic, magicHint(magic), IDXMagic)
	}
	if n, err := io.ReadFull(in, hdr[4:]); err != nil {
		return nil, fmt.Errorf("%s: truncated: the header ends after %d of its 16 bytes%s", name, 4+n, readErr(err))
	}
	count := int64(binary.BigEndian.Uint32(hdr[4:8]))
	rows := int(binary.BigEndian.Uint32(hdr[8:12]))
	cols := int(binary.BigEndian.Uint32(hdr[12:16]))
	if rows < 1 || cols < 1 || rows > maxIDXSide || cols > maxIDXSide {
		return nil, fmt.Errorf("%s: the header says images of %dx%d pixels; need 1 to %d rows and columns", name, rows, cols, maxIDXSide)
	}
	if count < 1 {
		return nil, fmt.Errorf("%s: the header says the file holds no images", name)
	}
	R, C := rows, cols
	if o.Rows != 0 {
		R, C = o.Rows, o.Cols
		if R > rows || C > cols || rows%R != 0 || cols%C != 0 {
			return nil, fmt.Errorf("%s: %dx%d images cannot be downsampled to %dx%d: the new rows and columns must divide the old (as 28x28 to 14x14 or 7x7)", name, rows, cols, R, C)
		}
	}
	if R*C > MaxImageBits {
		return nil, fmt.Errorf("%s: images of %dx%d = %d pixels; at most %d are supported: downsample, as in :%dx%d", name, R, C, R*C, MaxImageBits, R/2, C/2)
	}
	keep := count
	if o.Limit > 0 && int64(o.Limit) < count {
		keep = int64(o.Limit)
	}
	bi, bj := rows/R, cols/C
	// A block is 1 when its mean intensity is at least T x 255, that is
	// when its pixel sum is at least T x 255 x (block size).
	cut := o.threshold() * 255 * float64(bi*bj)
	im := &Images{Rows: R, Cols: C, Spec: name}
	w := im.Words()
	img := make([]byte, rows*cols)
	sum := make([]int, R*C)
	for k := int64(0); k < keep; k++ {
		if n, err := io.ReadFull(in, img); err != nil {
			return nil, fmt.Errorf("%s: truncated: the header says %d images of %dx%d, but the data end in image %d (%d of its %d bytes)%s", name, count, rows, cols, k+1, n, len(img), readErr(err))
		}
		clear(sum)
		for i := range rows {
			for j, v := range img[i*cols : (i+1)*cols] {
				sum[(i/bi)*C+j/bj] += int(v)
			}
		}
		x := make([]uint64, w)
		for q, s := range sum {
			if float64(s) >= cut {
				x[q/64] |= 1 << uint(q%64)
			}
		}
		im.X = append(im.X, x...)
	}
	if keep == count {
		// The whole data were read: the file must end here.
		var one [1]byte
		if n, err := io.ReadFull(in, one[:]); n != 0 {
			return nil, fmt.Errorf("%s: the header says %d images of %dx%d, but more data follow: the header's dimensions do not match the data", name, count, rows, cols)
		} else if err != io.EOF {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
	}
	return im, nil
}

// readErr describes a read error other than the end of the data.
func readErr(err error) string {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return ""
	}
	return " (" + err.Error() + ")"
}

// magicHint says what a wrong magic number probably is.
func magicHint(magic uint32) string {
	switch {
	case magic == 0x00000801:
		return " (an IDX file of labels, not images)"
	case magic>>16 == 0 && magic>>8&0xff == 0x08:
		return fmt.Sprintf(" (unsigned bytes in %d dimensions, not 3)", magic&0xff)
	case magic>>16 == 0 && magic&0xff == 3:
		return fmt.Sprintf(" (data type 0x%02x, not unsigned bytes)", magic>>8&0xff)
	case magic>>16 == 0:
		return ""
	}
	return " (not an IDX file)"
}
