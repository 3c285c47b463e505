//go:build ignore

// gen_kernels writes kernels_amd64.s and kernels_amd64.go: the assembly
// kernels for AVX-512 and for AVX2, in single and in double precision, each
// from the one description of its shape below (go generate ./statevector/).
// Edit this file, never the generated ones.
//
// Every kernel has the Go signature
//
//	func(d unsafe.Pointer, a *kargs, x, n int)
//
// and applies a prepared gate to n groups of the state at d, starting at
// group base x (block index, with the fixed bits zero) and stepping to the
// next integer whose fixed bits are zero, as the portable kernels do. The
// state layout is the one in layout.go: blocks of 128 bytes, 64 bytes of
// real parts then 64 of imaginary parts. An AVX-512 register holds one
// half of a block; AVX2 kernels do each half in two 32-byte vectors,
// "sub-vectors" hh = 0, 1. A lane permutation that crosses the two
// sub-vectors (the top lane bit) is a change of source address: kargs.hoff.
package main

import (
	"bytes"
	"fmt"
	"go/format"
	"log"
	"os"
	"strings"
)

// The kargs field offsets (see kernels.go).
const (
	aCoef  = 0
	aOffs  = 8
	aPerm  = 16
	aHoff  = 24
	aRowB  = 32
	aNhB   = 40
	aFixed = 48
	aBvalB = 56
	aNlB   = 64
)

type isa struct {
	name  string // "AVX512" or "AVX2"
	reg   string // "Z" or "Y"
	vw    int    // bytes per vector
	subs  int    // vectors per 64-byte half-block
	nregs int
}

type prec struct {
	name string // "F32" or "F64"
	sfx  string // "PS" or "PD"
}

var (
	avx512 = isa{"AVX512", "Z", 64, 1, 32}
	avx2   = isa{"AVX2", "Y", 32, 2, 16}
	f32    = prec{"F32", "PS"}
	f64    = prec{"F64", "PD"}
)

type gen struct {
	b   *bytes.Buffer
	isa isa
	p   prec
	fn  string
}

func (g *gen) i(format string, a ...any) { fmt.Fprintf(g.b, "\t"+format+"\n", a...) }
func (g *gen) label(l string)            { fmt.Fprintf(g.b, "%s_%s:\n", g.fn, l) }
func (g *gen) jmp(op, l string)          { g.i("%s %s_%s", op, g.fn, l) }
func (g *gen) v(n int) string {
	if n >= g.isa.nregs {
		log.Fatalf("%s: register %d out of range", g.fn, n)
	}
	return fmt.Sprintf("%s%d", g.isa.reg, n)
}

// op returns a vector instruction with the precision's suffix.
func (g *gen) op(base string) string { return base + g.p.sfx }

// perm returns the lane permutation instruction: AVX-512 permutes lanes
// of the precision's width; AVX2 permutes 32-bit elements in both
// precisions (a double is two elements; the index vectors say so).
func (g *gen) perm() string {
	if g.isa.name == "AVX2" {
		return "VPERMPS"
	}
	return "VPERM" + g.p.sfx
}

// mem returns disp(base)(idx*1), idx optional.
func mem(disp int, base, idx string) string {
	s := fmt.Sprintf("%d(%s)", disp, base)
	if disp == 0 {
		s = fmt.Sprintf("(%s)", base)
	}
	if idx != "" {
		s += fmt.Sprintf("(%s*1)", idx)
	}
	return s
}

func (g *gen) text(name string, frame int) string {
	g.fn = name + g.isa.name + g.p.name
	fmt.Fprintf(g.b, "\n// func %s(d unsafe.Pointer, a *kargs, x, n int)\n", g.fn)
	flag := "NOSPLIT"
	if frame > 0 {
		flag = "0"
	}
	fmt.Fprintf(g.b, "TEXT ·%s(SB), %s, $%d-32\n", g.fn, flag, frame)
	return g.fn
}

// prologue: SI = args, R11 = d + bval bytes, BX = x, CX = n.
func (g *gen) prologue() {
	g.i("MOVQ a+8(FP), SI")
	g.i("MOVQ d+0(FP), R11")
	g.i("ADDQ %d(SI), R11", aBvalB)
	g.i("MOVQ x+16(FP), BX")
	g.i("MOVQ n+24(FP), CX")
}

// groupStart: AX = address of the group's base block.
func (g *gen) groupStart() {
	g.label("group")
	g.i("MOVQ BX, AX")
	g.i("SHLQ $7, AX")
	g.i("ADDQ R11, AX")
}

// groupEnd steps x to the next group and loops; DI is clobbered.
func (g *gen) groupEnd() {
	g.i("MOVQ %d(SI), DI", aFixed)
	g.i("ORQ DI, BX")
	g.i("INCQ BX")
	g.i("NOTQ DI")
	g.i("ANDQ DI, BX")
	g.i("DECQ CX")
	g.jmp("JNZ", "group")
	g.i("VZEROUPPER")
	g.i("RET")
}

// cmul sets (yr, yi) = c * (xr, xi), or adds it when acc.
func (g *gen) cmac(acc bool, cr, ci, xr, xi, yr, yi string) {
	if acc {
		g.i("%s %s, %s, %s", g.op("VFMADD231"), xr, cr, yr)
		g.i("%s %s, %s, %s", g.op("VFMADD231"), xi, cr, yi)
	} else {
		g.i("%s %s, %s, %s", g.op("VMUL"), xr, cr, yr)
		g.i("%s %s, %s, %s", g.op("VMUL"), xi, cr, yi)
	}
	g.i("%s %s, %s, %s", g.op("VFNMADD231"), xi, ci, yr)
	g.i("%s %s, %s, %s", g.op("VFMADD231"), xr, ci, yi)
}

// dense writes the unrolled kernel of a dense gate whose group is nh
// blocks (high-target patterns, at kargs.offs) each read in nl lane
// permutations (low-target patterns, kargs.perm/hoff): output block r is
// the sum over inputs i = s*nl+q of coefficient vector C[r*nin+i] times
// input i, lane-wise.
func (g *gen) dense(nh, nl int) {
	nin := nh * nl
	g.text(fmt.Sprintf("dense%d%d", nh, nl), 0)
	g.prologue()
	offR := []string{"", "R8", "R9", "R10"}
	if nh > 1 {
		g.i("MOVQ %d(SI), DI", aOffs)
		for s := 1; s < nh; s++ {
			g.i("MOVQ %d(DI), %s", 8*s, offR[s])
		}
	}
	g.i("MOVQ %d(SI), R13", aCoef)
	g.i("MOVQ %d(SI), R12", aPerm)
	// AVX2 with low targets: a lane permutation may read the other
	// sub-vector, so both sub-vectors' inputs are loaded before any output
	// is stored.
	allFirst := g.isa.subs > 1 && nl > 1
	inBase := func(hh int) int {
		if allFirst {
			return 2 * nin * hh
		}
		return 0
	}
	inR := func(hh, i int) (string, string) { return g.v(inBase(hh) + 2*i), g.v(inBase(hh) + 2*i + 1) }
	next := 2 * nin
	if allFirst {
		next = 4 * nin
	}
	accR, accI := g.v(next), g.v(next+1)
	next += 2
	permReg := make([]string, nl)
	var coefReg []string // preloaded: re, im of each coefficient
	var ctR, ctI, ptR string
	if g.isa.name == "AVX512" {
		for q := 1; q < nl; q++ {
			permReg[q] = g.v(next)
			g.i("VMOVUPS %d(R12), %s", 64*q, permReg[q])
			next++
		}
		// Preload as many coefficients as the registers hold: all of them
		// but for a gate with 2 high targets (nh = 4), 10 of 16 there, the
		// others loaded in every group. For that gate (16 qubits, targets
		// 8 and 14, thread CPU time, best of 10) this took 0.140-0.154
		// ns/amp in single precision and 0.304-0.328 in double, against
		// 0.173-0.177 and 0.347-0.373 loading all 16; the three-product
		// form (c(a+b), b(c+d), a(d-c): 3 multiply-adds and 3 coefficient
		// vectors instead of 4 and 2, 5 of them preloaded) took
		// 0.160-0.166 and 0.341-0.357.
		npre := nh * nin
		if next+2*npre > g.isa.nregs {
			npre = (g.isa.nregs - next - 2) / 2
		}
		for c := 0; c < npre; c++ {
			coefReg = append(coefReg, g.v(next), g.v(next+1))
			g.i("VMOVUPS %d(R13), %s", 128*c, g.v(next))
			g.i("VMOVUPS %d(R13), %s", 128*c+64, g.v(next+1))
			next += 2
		}
		if npre < nh*nin {
			ctR, ctI = g.v(next), g.v(next+1)
		}
	} else {
		ctR, ctI, ptR = g.v(next), g.v(next+1), g.v(next+2)
	}
	g.groupStart()
	load := func(hh int) {
		ho := hh * g.isa.vw
		for s := 0; s < nh; s++ {
			for q := 0; q < nl; q++ {
				xr, xi := inR(hh, s*nl+q)
				switch {
				case q == 0:
					g.i("VMOVUPS %s, %s", mem(ho, "AX", offR[s]), xr)
					g.i("VMOVUPS %s, %s", mem(ho+64, "AX", offR[s]), xi)
				case g.isa.name == "AVX512":
					sr, si := inR(hh, s*nl)
					g.i("%s %s, %s, %s", g.perm(), sr, permReg[q], xr)
					g.i("%s %s, %s, %s", g.perm(), si, permReg[q], xi)
				default:
					g.i("MOVQ %d(SI), DX", aHoff)
					g.i("MOVQ %d(DX), DX", 8*(2*q+hh))
					if s > 0 {
						g.i("ADDQ %s, DX", offR[s])
					}
					g.i("VMOVUPS %d(R12), %s", 64*q, ptR)
					g.i("%s %s, %s, %s", g.perm(), mem(0, "AX", "DX"), ptR, xr)
					g.i("%s %s, %s, %s", g.perm(), mem(64, "AX", "DX"), ptR, xi)
				}
			}
		}
	}
	compute := func(hh int) {
		ho := hh * g.isa.vw
		for r := 0; r < nh; r++ {
			for i := 0; i < nin; i++ {
				c := r*nin + i
				var cr, ci string
				if c < len(coefReg)/2 {
					cr, ci = coefReg[2*c], coefReg[2*c+1]
				} else {
					cr, ci = ctR, ctI
					g.i("VMOVUPS %d(R13), %s", 128*c+ho, cr)
					g.i("VMOVUPS %d(R13), %s", 128*c+ho+64, ci)
				}
				xr, xi := inR(hh, i)
				g.cmac(i > 0, cr, ci, xr, xi, accR, accI)
			}
			g.i("VMOVUPS %s, %s", accR, mem(ho, "AX", offR[r]))
			g.i("VMOVUPS %s, %s", accI, mem(ho+64, "AX", offR[r]))
		}
	}
	if allFirst {
		for hh := 0; hh < g.isa.subs; hh++ {
			load(hh)
		}
		for hh := 0; hh < g.isa.subs; hh++ {
			compute(hh)
		}
	} else {
		for hh := 0; hh < g.isa.subs; hh++ {
			load(hh)
			compute(hh)
		}
	}
	g.groupEnd()
}

// denseB writes the kernel of a dense gate whose targets are all high
// (nh blocks a group, nl = 1) and that has no low controls, so that every
// coefficient is the same in all lanes: it is read as a scalar broadcast
// from memory (AVX-512 embedded broadcast) rather than preloaded or loaded
// as a vector, which leaves the registers to the inputs, and the complex
// product m x of m = c + id and x = a + ib takes three multiplications
// instead of four: with
//
//	p0 = c(a+b), p1 = b(c+d), p2 = a(d-c),
//
// re(m x) = p0 - p1 and im(m x) = p0 + p2. The coefficients are three
// scalars per matrix entry (r, s): c, c+d, d-c, at kargs.coef; the sums
// a+b are formed once per input and the two differences once per output.
// It is generated for nh = 8 (3-qubit gates: 24 input registers and two
// sets of 3 accumulators). A 3-qubit gate with high targets (16 qubits,
// targets 6, 10, 14; thread CPU time, best of 10) took 0.275 ns/amp in
// single precision and 0.57-0.63 in double, against 0.54-0.57 and
// 1.16-1.36 with the general kernel. For 2-qubit gates (nh = 4) the same
// form measured no faster than the unrolled kernel with 10 of its 16
// vector coefficients preloaded (0.156-0.162 against 0.152-0.156 ns/amp
// single), so it is not generated.
func (g *gen) denseB(nh int) {
	g.text(fmt.Sprintf("denseB%d", nh), 0)
	g.prologue()
	// High-pattern offsets in registers (R14 and R15 are free in ABI0
	// assembly that references no globals).
	offR := []string{"", "R8", "R9", "R10", "R12", "R14", "R15", "DX"}
	g.i("MOVQ %d(SI), DI", aOffs)
	for s := 1; s < nh; s++ {
		g.i("MOVQ %d(DI), %s", 8*s, offR[s])
	}
	g.i("MOVQ %d(SI), R13", aCoef)
	esz := 4
	if g.p.name == "F64" {
		esz = 8
	}
	// Inputs: a (re), b (im), a+b of block s in 3s, 3s+1, 3s+2; then two
	// sets of three accumulators, alternating between output rows.
	acc := func(r, v int) string { return g.v(3*nh + 3*(r%2) + v) }
	g.groupStart()
	for s := 0; s < nh; s++ {
		g.i("VMOVUPS %s, %s", mem(0, "AX", offR[s]), g.v(3*s))
		g.i("VMOVUPS %s, %s", mem(64, "AX", offR[s]), g.v(3*s+1))
		g.i("%s %s, %s, %s", g.op("VADD"), g.v(3*s+1), g.v(3*s), g.v(3*s+2))
	}
	for r := 0; r < nh; r++ {
		for s := 0; s < nh; s++ {
			base := 3 * esz * (r*nh + s)
			in := [3]string{g.v(3*s + 2), g.v(3*s + 1), g.v(3 * s)} // a+b, b, a
			for v := range 3 {
				op := "VFMADD231"
				if s == 0 {
					op = "VMUL"
				}
				g.i("%s.BCST %d(R13), %s, %s", g.op(op), base+v*esz, in[v], acc(r, v))
			}
		}
		g.i("%s %s, %s, %s", g.op("VSUB"), acc(r, 1), acc(r, 0), acc(r, 1))
		g.i("%s %s, %s, %s", g.op("VADD"), acc(r, 2), acc(r, 0), acc(r, 2))
		g.i("VMOVUPS %s, %s", acc(r, 1), mem(0, "AX", offR[r]))
		g.i("VMOVUPS %s, %s", acc(r, 2), mem(64, "AX", offR[r]))
	}
	g.groupEnd()
}

// denseG writes the general dense kernel for any nh (a multiple of rows)
// and nl with nh*nl <= 64: each group's inputs (every block read in every
// lane permutation) are gathered into a buffer on the stack, then rows
// output blocks at a time are summed from it.
func (g *gen) denseG(rows int) {
	const maxIn = 64
	g.text(fmt.Sprintf("denseG%d", rows), maxIn*128)
	g.prologue()
	g.groupStart()
	// Gather. R9 walks the buffer, R8 = 8s, R10 = 16q.
	g.i("LEAQ (SP), R9")
	g.i("XORQ R8, R8")
	g.label("gs")
	g.i("MOVQ %d(SI), DX", aOffs)
	g.i("MOVQ (DX)(R8*1), DX")
	g.i("XORQ R10, R10")
	g.label("gq")
	g.i("MOVQ %d(SI), R12", aPerm)
	g.i("VMOVUPS (R12)(R10*4), %s", g.v(2))
	if g.isa.name == "AVX512" {
		g.i("%s %s, %s, %s", g.perm(), mem(0, "AX", "DX"), g.v(2), g.v(0))
		g.i("%s %s, %s, %s", g.perm(), mem(64, "AX", "DX"), g.v(2), g.v(1))
		g.i("VMOVUPS %s, (R9)", g.v(0))
		g.i("VMOVUPS %s, 64(R9)", g.v(1))
	} else {
		g.i("MOVQ %d(SI), R12", aHoff)
		for hh := 0; hh < 2; hh++ {
			g.i("MOVQ %d(R12)(R10*1), R13", 8*hh)
			g.i("ADDQ DX, R13")
			g.i("%s %s, %s, %s", g.perm(), mem(0, "AX", "R13"), g.v(2), g.v(0))
			g.i("%s %s, %s, %s", g.perm(), mem(64, "AX", "R13"), g.v(2), g.v(1))
			g.i("VMOVUPS %s, %d(R9)", g.v(0), 32*hh)
			g.i("VMOVUPS %s, %d(R9)", g.v(1), 64+32*hh)
		}
	}
	g.i("ADDQ $128, R9")
	g.i("ADDQ $16, R10")
	g.i("CMPQ R10, %d(SI)", aNlB)
	g.jmp("JNE", "gq")
	g.i("ADDQ $8, R8")
	g.i("CMPQ R8, %d(SI)", aNhB)
	g.jmp("JNE", "gs")

	// Rows. R10 = row stride (nin*128 bytes), R9 = coefficient row r,
	// R8 = 8r; in the inner loop DI walks the buffer to R12, R13 and DX
	// the coefficients of rows r, r+1 and r+2, r+3.
	split := g.isa.name == "AVX512" // two accumulators per part: shorter chains
	g.i("MOVQ %d(SI), R10", aRowB)
	g.i("MOVQ %d(SI), R9", aCoef)
	g.i("XORQ R8, R8")
	g.label("rows")
	for hh := 0; hh < g.isa.subs; hh++ {
		ho := hh * g.isa.vw
		hl := fmt.Sprintf("i%d", hh)
		g.i("MOVQ R9, R13")
		if rows > 2 {
			g.i("LEAQ (R9)(R10*2), DX")
		}
		g.i("LEAQ (SP), DI")
		g.i("LEAQ (DI)(R10*1), R12")
		// registers: x 0,1; coefficient 2,3; accumulators from 4.
		acc := func(j, part int) string { return g.v(4 + 4*j + part) } // part 0 re, 1 im, 2 re', 3 im'
		if !split {
			acc = func(j, part int) string { return g.v(4 + 2*j + part%2) }
		}
		zero := "VXORPS" // AVX; on zmm registers it would need AVX512DQ
		if g.isa.name == "AVX512" {
			zero = "VPXORD"
		}
		for j := 0; j < rows; j++ {
			for part := 0; part < 4; part++ {
				if part >= 2 && !split {
					break
				}
				g.i("%s %s, %s, %s", zero, acc(j, part), acc(j, part), acc(j, part))
			}
		}
		g.label(hl)
		g.i("VMOVUPS %d(DI), %s", ho, g.v(0))
		g.i("VMOVUPS %d(DI), %s", ho+64, g.v(1))
		for j := 0; j < rows; j++ {
			base := []string{"(R13)", "(R13)(R10*1)", "(DX)", "(DX)(R10*1)"}[j]
			at := func(d int) string {
				if d == 0 {
					return base
				}
				return fmt.Sprintf("%d%s", d, base)
			}
			g.i("VMOVUPS %s, %s", at(ho), g.v(2))
			g.i("VMOVUPS %s, %s", at(ho+64), g.v(3))
			g.i("%s %s, %s, %s", g.op("VFMADD231"), g.v(0), g.v(2), acc(j, 0))
			g.i("%s %s, %s, %s", g.op("VFMADD231"), g.v(1), g.v(2), acc(j, 1))
			g.i("%s %s, %s, %s", g.op("VFNMADD231"), g.v(1), g.v(3), acc(j, 2))
			g.i("%s %s, %s, %s", g.op("VFMADD231"), g.v(0), g.v(3), acc(j, 3))
		}
		g.i("ADDQ $128, DI")
		g.i("ADDQ $128, R13")
		if rows > 2 {
			g.i("ADDQ $128, DX")
		}
		g.i("CMPQ DI, R12")
		g.jmp("JNE", hl)
		g.i("MOVQ %d(SI), R12", aOffs)
		for j := 0; j < rows; j++ {
			if split {
				g.i("%s %s, %s, %s", g.op("VADD"), acc(j, 2), acc(j, 0), acc(j, 0))
				g.i("%s %s, %s, %s", g.op("VADD"), acc(j, 3), acc(j, 1), acc(j, 1))
			}
			g.i("MOVQ %d(R12)(R8*1), DI", 8*j)
			g.i("VMOVUPS %s, %s", acc(j, 0), mem(ho, "AX", "DI"))
			g.i("VMOVUPS %s, %s", acc(j, 1), mem(ho+64, "AX", "DI"))
		}
	}
	switch rows {
	case 1:
		g.i("ADDQ R10, R9")
	case 2:
		g.i("LEAQ (R9)(R10*2), R9")
	case 4:
		g.i("LEAQ (R9)(R10*4), R9")
	}
	g.i("ADDQ $%d, R8", 8*rows)
	g.i("CMPQ R8, %d(SI)", aNhB)
	g.jmp("JNE", "rows")
	g.groupEnd()
}

// diag1 writes the diagonal kernel for gates without high targets: one
// block per group, multiplied lane-wise by one coefficient vector.
func (g *gen) diag1() {
	g.text("diag1", 0)
	g.prologue()
	g.i("MOVQ %d(SI), R13", aCoef)
	for hh := 0; hh < g.isa.subs; hh++ {
		g.i("VMOVUPS %d(R13), %s", hh*g.isa.vw, g.v(4+2*hh))
		g.i("VMOVUPS %d(R13), %s", 64+hh*g.isa.vw, g.v(5+2*hh))
	}
	g.groupStart()
	for hh := 0; hh < g.isa.subs; hh++ {
		ho := hh * g.isa.vw
		g.i("VMOVUPS %d(AX), %s", ho, g.v(0))
		g.i("VMOVUPS %d(AX), %s", ho+64, g.v(1))
		g.cmac(false, g.v(4+2*hh), g.v(5+2*hh), g.v(0), g.v(1), g.v(2), g.v(3))
		g.i("VMOVUPS %s, %d(AX)", g.v(2), ho)
		g.i("VMOVUPS %s, %d(AX)", g.v(3), ho+64)
	}
	g.groupEnd()
}

// diagN writes the diagonal kernel for any number of high targets: a
// group is nh blocks, block s multiplied lane-wise by coefficient s.
func (g *gen) diagN() {
	g.text("diagN", 0)
	g.prologue()
	g.i("MOVQ %d(SI), R12", aOffs)
	g.i("MOVQ %d(SI), R10", aNhB)
	g.groupStart()
	g.i("XORQ DI, DI")
	g.i("MOVQ %d(SI), R9", aCoef)
	g.label("s")
	g.i("MOVQ (R12)(DI*1), DX")
	for hh := 0; hh < g.isa.subs; hh++ {
		ho := hh * g.isa.vw
		g.i("VMOVUPS %s, %s", mem(ho, "AX", "DX"), g.v(0))
		g.i("VMOVUPS %s, %s", mem(ho+64, "AX", "DX"), g.v(1))
		g.i("VMOVUPS %d(R9), %s", ho, g.v(4))
		g.i("VMOVUPS %d(R9), %s", ho+64, g.v(5))
		g.cmac(false, g.v(4), g.v(5), g.v(0), g.v(1), g.v(2), g.v(3))
		g.i("VMOVUPS %s, %s", g.v(2), mem(ho, "AX", "DX"))
		g.i("VMOVUPS %s, %s", g.v(3), mem(ho+64, "AX", "DX"))
	}
	g.i("ADDQ $128, R9")
	g.i("ADDQ $8, DI")
	g.i("CMPQ DI, R10")
	g.jmp("JNE", "s")
	g.groupEnd()
}

// The unrolled dense shapes (nh, nl): 1-qubit gates with a high or a low
// target, 2-qubit gates with two, one or no high targets.
var shapes = [][2]int{{2, 1}, {1, 2}, {4, 1}, {2, 2}, {1, 4}}

func main() {
	var s, gsrc bytes.Buffer
	s.WriteString("// Code generated by gen_kernels.go; DO NOT EDIT.\n\n#include \"textflag.h\"\n")
	gsrc.WriteString(`// Code generated by gen_kernels.go; DO NOT EDIT.

package statevector

import "unsafe"
`)
	for _, is := range []isa{avx512, avx2} {
		for _, p := range []prec{f32, f64} {
			g := &gen{b: &s, isa: is, p: p}
			var names []string
			dense := map[[2]int]string{}
			for _, sh := range shapes {
				if is.subs > 1 && sh[1] > 1 && 4*sh[0]*sh[1]+5 > is.nregs {
					continue // both sub-vectors' inputs would not fit: the general kernel
				}
				g.dense(sh[0], sh[1])
				names = append(names, g.fn)
				dense[sh] = g.fn
			}
			tab := func(nh, nl int) string {
				if f, ok := dense[[2]int{nh, nl}]; ok {
					return f
				}
				return "nil"
			}
			for _, rows := range []int{1, 2, 4} {
				g.denseG(rows)
				names = append(names, g.fn)
			}
			bcast8 := "nil"
			if is.name == "AVX512" { // embedded broadcasts, and 30 vector registers (AVX2 has 16)
				g.denseB(8)
				names = append(names, g.fn)
				bcast8 = g.fn
			}
			g.diag1()
			names = append(names, g.fn)
			g.diagN()
			names = append(names, g.fn)
			for _, n := range names {
				fmt.Fprintf(&gsrc, "\n//go:noescape\nfunc %s(d unsafe.Pointer, a *kargs, x, n int)\n", n)
			}
			sfx := is.name + p.name
			fmt.Fprintf(&gsrc, "\nvar asm%s = asmSet{name: %q, avx2: %v,\n\tdense: [3][5]asmFunc{{nil, nil, %s, nil, %s}, {nil, %s, %s}, {nil, %s}},\n\tgeneral: [3]asmFunc{denseG1%s, denseG2%s, denseG4%s}, diag1: diag1%s, diagN: diagN%s, bcast8: %s}\n",
				sfx, strings.ToLower(is.name), is.name == "AVX2", tab(1, 2), tab(1, 4), tab(2, 1), tab(2, 2), tab(4, 1), sfx, sfx, sfx, sfx, sfx, bcast8)
		}
	}
	if err := os.WriteFile("kernels_amd64.s", s.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	src, err := format.Source(gsrc.Bytes())
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("kernels_amd64.go", src, 0o644); err != nil {
		log.Fatal(err)
	}
}
