package statevector

import (
	"math/bits"

	"born/circuit"
)

// fblock is one operation of a Program: either several lowered
// instructions fused into one matrix on qubits (dense, or diagonal when all
// of them are), or one instruction applied as it is ("raw": targets and
// controls, for gates wider than the fusion limit).
type fblock struct {
	qubits []int // sorted; bit j of the fused matrix's index is qubits[j]
	mask   uint64
	diag   bool
	raw    bool
	instrs []int // lowered instruction indices, in application order
	syms   []int // symbols the instructions' parameters use
}

// fuse groups the unitary instructions of l into blocks of at most maxK
// qubits (maxDiag for blocks of diagonal gates only), in an order that
// respects every dependency. It is greedy: each gate joins the most recent
// block on its qubits, together with the other blocks that own its qubits'
// last operations, when
//   - every one of those blocks other than the most recent is still the
//     last operation on all of its qubits (so it can be moved forward to
//     the most recent one: nothing in between touches its qubits), and
//   - the union of their qubits and the gate's fits the limit.
//
// Otherwise the gate starts a new block. A gate whose qubits' last
// operations all come before a block commutes with everything after them,
// so moving it back into that block is exact. This absorbs 1-qubit gates
// into the neighbouring 2-qubit gates, grows blocks along the circuit's
// light cones, and keeps diagonal runs diagonal. Uncontrolled global phases
// are returned apart: their product is a scalar factor of the program.
//
// A dense block that touches a qubit of lowMask is limited to lowK qubits
// (at most maxK): the kernels apply some shapes faster than others (see
// Compile).
func fuse(l *circuit.Lowered, maxK, maxDiag int, lowMask uint64, lowK int) (out []fblock, phases []int) {
	limit := func(u uint64, diag bool) int {
		switch {
		case diag:
			return max(maxK, maxDiag)
		case u&lowMask != 0:
			return min(maxK, lowK)
		}
		return maxK
	}
	// fits reports whether a block on u (diagonal when dgu) may form: it
	// is within the limit, or no wider than, and of the same kind as, the
	// block on w (diagonal when dgw) that runs anyway: the gate alone, or
	// the block it joins. So a 3-qubit gate on a low qubit, which the
	// limit there cannot split, takes in the gates on its qubits.
	fits := func(u uint64, dgu bool, w uint64, dgw bool) bool {
		return bits.OnesCount64(u) <= limit(u, dgu) || (u == w && dgu == dgw)
	}
	type blk struct {
		fblock
		alive bool
	}
	var blocks []*blk
	last := make([]int, l.NumQubits) // block index of each qubit's last op, or -1
	for q := range last {
		last[q] = -1
	}
	newBlock := func(i int, mask uint64, diag, raw bool) int {
		b := &blk{alive: true}
		b.mask, b.diag, b.raw = mask, diag, raw
		b.instrs = append(b.instrs, i)
		blocks = append(blocks, b)
		id := len(blocks) - 1
		for m := mask; m != 0; m &= m - 1 {
			last[bits.TrailingZeros64(m)] = id
		}
		return id
	}
	var seen []int
	for i := range l.Instrs {
		in := &l.Instrs[i]
		var mask uint64
		for _, q := range in.Targets {
			mask |= 1 << uint(q)
		}
		for _, q := range in.Controls {
			mask |= 1 << uint(q)
		}
		dg := in.Diagonal()
		if mask == 0 { // a global phase: a scalar factor of the whole program
			phases = append(phases, i)
			continue
		}
		k := bits.OnesCount64(mask)
		if maxK <= 0 || k > max(maxK, maxDiag) || (!dg && k > maxK) {
			newBlock(i, mask, dg, true)
			continue
		}
		// The blocks owning the last operation on the gate's qubits.
		seen = seen[:0]
		bm := -1
		for m := mask; m != 0; m &= m - 1 {
			id := last[bits.TrailingZeros64(m)]
			if id < 0 {
				continue
			}
			dup := false
			for _, s := range seen {
				dup = dup || s == id
			}
			if !dup {
				seen = append(seen, id)
				bm = max(bm, id)
			}
		}
		ok := bm >= 0
		union, diag := mask, dg
		for _, id := range seen {
			b := blocks[id]
			union |= b.mask
			diag = diag && b.diag
			if b.raw {
				ok = false
			}
			if id != bm {
				for m := b.mask; m != 0; m &= m - 1 {
					if last[bits.TrailingZeros64(m)] != id {
						ok = false
					}
				}
			}
		}
		if !ok || !fits(union, diag, mask, dg) {
			// The gate alone may still join bm, the latest block on its
			// qubits: it runs after every other one of them anyway.
			if bm < 0 || blocks[bm].raw {
				newBlock(i, mask, dg, false)
				continue
			}
			b := blocks[bm]
			u, dgu := b.mask|mask, b.diag && dg
			if !fits(u, dgu, mask, dg) && !fits(u, dgu, b.mask, b.diag) {
				newBlock(i, mask, dg, false)
				continue
			}
			b.instrs = append(b.instrs, i)
			b.mask, b.diag = u, dgu
			for m := mask; m != 0; m &= m - 1 {
				last[bits.TrailingZeros64(m)] = bm
			}
			continue
		}
		// Merge: the other blocks (disjoint from bm and from each other)
		// first, then bm's own instructions, then the gate.
		target := blocks[bm]
		var instrs []int
		for _, id := range seen {
			if id != bm {
				instrs = append(instrs, blocks[id].instrs...)
				blocks[id].alive = false
				for m := blocks[id].mask; m != 0; m &= m - 1 {
					last[bits.TrailingZeros64(m)] = bm
				}
			}
		}
		if len(instrs) == 0 {
			// Only bm's qubits: append in place (copying the block for
			// every gate made a run of k gates on one qubit cost k^2).
			target.instrs = append(target.instrs, i)
		} else {
			target.instrs = append(append(instrs, target.instrs...), i)
		}
		target.mask = union
		target.diag = diag
		for m := mask; m != 0; m &= m - 1 {
			last[bits.TrailingZeros64(m)] = bm
		}
	}

	for _, b := range blocks {
		if !b.alive {
			continue
		}
		fb := b.fblock
		for m := fb.mask; m != 0; m &= m - 1 {
			fb.qubits = append(fb.qubits, bits.TrailingZeros64(m))
		}
		fb.syms = symbolsOf(l, fb.instrs)
		out = append(out, fb)
	}
	return out, phases
}

// symbolsOf returns the symbols that the parameters of instructions instrs
// of l use, each once, in order of first use.
func symbolsOf(l *circuit.Lowered, instrs []int) []int {
	var out []int
	seen := map[int]bool{}
	for _, i := range instrs {
		for _, e := range l.Instrs[i].Params {
			for _, s := range circuit.Symbols(nil, e) {
				if !seen[s] {
					seen[s] = true
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// applyLocal applies the gate g (a 2^t x 2^t matrix on local bit positions
// tb, controlled by local bits cm having values cv) to the vector v of a
// small register, in place. diag marks g as the diagonal (2^t entries).
// buf and off are scratch of at least 2^t entries.
func applyLocal(v, g []complex128, diag bool, tb []int, cm, cv int, buf []complex128, off []int) {
	t := len(tb)
	d := 1 << uint(t)
	off = off[:d]
	off[0] = 0
	fixed := cm
	for j, b := range tb {
		h := 1 << uint(j)
		for s := 0; s < h; s++ {
			off[h+s] = off[s] | 1<<uint(b)
		}
		fixed |= 1 << uint(b)
	}
	buf = buf[:d]
	if t == 1 && !diag && cm == 0 {
		m0, m1, m2, m3 := g[0], g[1], g[2], g[3]
		o := off[1]
		for x := 0; x < len(v); x = ((x | fixed) + 1) &^ fixed {
			a, b := v[x], v[x|o]
			v[x], v[x|o] = m0*a+m1*b, m2*a+m3*b
		}
		return
	}
	for x := 0; x < len(v); x = ((x | fixed) + 1) &^ fixed {
		base := x | cv
		if diag {
			for s, o := range off {
				v[base|o] *= g[s]
			}
			continue
		}
		for s, o := range off {
			buf[s] = v[base|o]
		}
		for r, o := range off {
			row := g[r*d : (r+1)*d]
			var acc complex128
			for s, u := range buf {
				acc += row[s] * u
			}
			v[base|o] = acc
		}
	}
}
