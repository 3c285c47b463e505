package dataset

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseMask returns the pixels of an rows x cols image that a mask
// specification hides, as Words(rows*cols) words with pixel (i,j) at bit
// i*cols+j:
//
//	lower             rows rows-rows/2 .. rows-1 (the lower half)
//	upper             rows 0 .. rows/2-1
//	left, right       the left or right cols/2 columns
//	box:I0-I1,J0-J1   rows I0..I1 and columns J0..J1 (0-based, inclusive)
func ParseMask(spec string, rows, cols int) ([]uint64, error) {
	if rows < 1 || cols < 1 {
		return nil, fmt.Errorf("mask %q: the data are not images", spec)
	}
	var i0, i1, j0, j1 int // hidden block, inclusive
	switch spec {
	case "lower":
		i0, i1, j0, j1 = rows-rows/2, rows-1, 0, cols-1
	case "upper":
		i0, i1, j0, j1 = 0, rows/2-1, 0, cols-1
	case "left":
		i0, i1, j0, j1 = 0, rows-1, 0, cols/2-1
	case "right":
		i0, i1, j0, j1 = 0, rows-1, cols-cols/2, cols-1
	default:
		box, ok := strings.CutPrefix(spec, "box:")
		rs, cs, ok2 := strings.Cut(box, ",")
		var err error
		if ok && ok2 {
			if i0, i1, err = parseRange(rs, rows); err == nil {
				j0, j1, err = parseRange(cs, cols)
			}
		}
		if !ok || !ok2 || err != nil {
			msg := "use lower, upper, left, right or box:I0-I1,J0-J1 (rows and columns from 0, inclusive)"
			if err != nil {
				msg = err.Error() + "; " + msg
			}
			return nil, fmt.Errorf("mask %q: %s", spec, msg)
		}
	}
	if i0 > i1 || j0 > j1 {
		return nil, fmt.Errorf("mask %q hides no pixel of a %dx%d image", spec, rows, cols)
	}
	m := make([]uint64, Words(rows*cols))
	for i := i0; i <= i1; i++ {
		for j := j0; j <= j1; j++ {
			q := i*cols + j
			m[q/64] |= 1 << uint(q%64)
		}
	}
	return m, nil
}

// parseRange reads A-B (or A) with 0 <= A <= B < n.
func parseRange(s string, n int) (int, int, error) {
	as, bs, ok := strings.Cut(s, "-")
	if !ok {
		bs = as
	}
	a, err1 := strconv.Atoi(as)
	b, err2 := strconv.Atoi(bs)
	if err1 != nil || err2 != nil || a < 0 || b < a || b >= n {
		return 0, 0, fmt.Errorf("%q is not a range A-B with 0 <= A <= B < %d", s, n)
	}
	return a, b, nil
}
