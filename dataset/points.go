package dataset

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
)

// Words returns the number of uint64 words of one state.
func (d *Dataset) Words() int { return Words(d.Bits) }

// Len returns the number of distinct states.
func (d *Dataset) Len() int { return len(d.Probs) }

// State returns state i as Words() words (a view into States).
func (d *Dataset) State(i int) []uint64 {
	w := d.Words()
	return d.States[i*w : (i+1)*w : (i+1)*w]
}

// Bit returns bit q (0 or 1) of state i.
func (d *Dataset) Bit(i, q int) int {
	return int(d.States[i*d.Words()+q/64] >> uint(q%64) & 1)
}

// Wide reports whether the states are wider than one word.
func (d *Dataset) Wide() bool { return d.Bits > MaxBits }

// FormatState returns state i as a bitstring, q[n-1]...q[0].
func (d *Dataset) FormatState(i int) string { return FormatWords(d.State(i), d.Bits) }

// FormatWords returns the bits-bit state x (Words(bits) words) as a
// bitstring, q[n-1]...q[0].
func FormatWords(x []uint64, bits int) string {
	b := make([]byte, bits)
	for q := range bits {
		b[bits-1-q] = '0' + byte(x[q/64]>>uint(q%64)&1)
	}
	return string(b)
}

// points are data points in file order: states of bits bits (words words
// each, one after another in x) with weights w.
type points struct {
	spec, digest string
	bits, words  int
	rows, cols   int
	x            []uint64
	w            []float64
}

// imagePoints returns the images as data points of weight 1.
func imagePoints(im *Images) *points {
	p := &points{spec: im.Spec, digest: im.Digest, bits: im.Bits(), words: im.Words(), rows: im.Rows, cols: im.Cols}
	p.x = append(p.x, im.X...)
	p.w = make([]float64, im.Len())
	for i := range p.w {
		p.w[i] = 1
	}
	return p
}

func (p *points) add(x []uint64, w float64) {
	p.x = append(p.x, x...)
	p.w = append(p.w, w)
}

func (p *points) len() int { return len(p.w) }

func (p *points) at(i int) []uint64 { return p.x[i*p.words : (i+1)*p.words] }

// tagSplit is the random stream of the train/test split.
const tagSplit = 0x5b117

// split holds out round(frac * N) data points (at least one, leaving at
// least one) as the test set, drawn by a permutation seeded by seed; both
// parts keep the file order.
func (p *points) split(frac float64, seed uint64) (train, test *points, err error) {
	n := p.len()
	k := int(math.Round(frac * float64(n)))
	k = max(1, min(k, n-1))
	if n < 2 {
		return nil, nil, fmt.Errorf("%d data point(s): a train/test split needs at least 2", n)
	}
	perm := rand.New(rand.NewPCG(seed, tagSplit)).Perm(n)
	isTest := make([]bool, n)
	for _, i := range perm[:k] {
		isTest[i] = true
	}
	train, test = p.empty(), p.empty()
	for i := range n {
		if isTest[i] {
			test.add(p.at(i), p.w[i])
		} else {
			train.add(p.at(i), p.w[i])
		}
	}
	return train, test, nil
}

func (p *points) empty() *points {
	return &points{spec: p.spec, digest: p.digest, bits: p.bits, words: p.words, rows: p.rows, cols: p.cols}
}

// dataset aggregates the points into a distribution: duplicates add their
// weights, states sorted ascending.
func (p *points) dataset() (*Dataset, error) {
	var total float64
	for _, w := range p.w {
		total += w
	}
	if !(total > 0) || math.IsInf(total, 0) {
		return nil, fmt.Errorf("%s: the weights sum to %g; need a finite positive total", p.spec, total)
	}
	d := &Dataset{Spec: p.spec, Bits: p.bits, Samples: p.len(), Rows: p.rows, Cols: p.cols, Digest: p.digest}
	W := p.words
	index := map[string]int{}
	var order []int // first occurrence of each distinct state
	var weight []float64
	key := make([]byte, 8*W)
	for i, w := range p.w {
		for k, v := range p.at(i) {
			binary.LittleEndian.PutUint64(key[8*k:], v)
		}
		j, ok := index[string(key)]
		if !ok {
			j = len(order)
			index[string(key)] = j
			order = append(order, i)
			weight = append(weight, 0)
		}
		weight[j] += w
	}
	idx := make([]int, 0, len(order))
	for j := range order {
		if weight[j] > 0 {
			idx = append(idx, j)
		}
	}
	less := func(a, b int) int {
		xa, xb := p.at(order[a]), p.at(order[b])
		for k := W - 1; k >= 0; k-- {
			if xa[k] != xb[k] {
				if xa[k] < xb[k] {
					return -1
				}
				return 1
			}
		}
		return 0
	}
	slices.SortFunc(idx, less)
	d.States = make([]uint64, 0, len(idx)*W)
	d.Probs = make([]float64, 0, len(idx))
	for _, j := range idx {
		d.States = append(d.States, p.at(order[j])...)
		d.Probs = append(d.Probs, weight[j]/total)
	}
	return d, nil
}

// Find returns the index of state x (Words() words) in the data, or -1.
func (d *Dataset) Find(x []uint64) int {
	W := d.Words()
	i := sort.Search(d.Len(), func(i int) bool {
		s := d.State(i)
		for k := W - 1; k >= 0; k-- {
			if s[k] != x[k] {
				return s[k] > x[k]
			}
		}
		return true
	})
	if i < d.Len() && slices.Equal(d.State(i), x) {
		return i
	}
	return -1
}
