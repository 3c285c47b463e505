package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// born sample --format png > file writes the PNG to standard output (not a
// terminal), with the summary on stderr; -o writes any format to a file.
func TestSampleOutputDestination(t *testing.T) {
	dir := trainedRun(t, "bas:2x2", "qcbm:2")
	out, errOut, err := runBorn(t, "", "sample", dir, "--shots", "16", "--format", "png")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.DecodeConfig(strings.NewReader(out)); err != nil {
		t.Fatalf("stdout is not a PNG (%d bytes %q...): %v", len(out), out[:min(len(out), 40)], err)
	}
	if !strings.Contains(errOut, "wrote standard output: 16 samples of 2x2 images") {
		t.Errorf("stderr %q: want the summary", errOut)
	}
	if _, err := os.Stat("samples.png"); err == nil {
		t.Error("samples.png was written although stdout takes the PNG")
	}

	tmp := t.TempDir()
	img := filepath.Join(tmp, "bas.png")
	out, _, err = runBorn(t, "", "sample", dir, "--shots", "16", "--format", "png", "-o", img)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(img)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.DecodeConfig(bytes.NewReader(raw)); err != nil || !strings.HasPrefix(out, "wrote "+img) {
		t.Errorf("-o %s: %v, stdout %q", img, err, out)
	}

	// Text to a file is what stdout would have shown.
	txt := filepath.Join(tmp, "s.txt")
	want, _, err := runBorn(t, "", "sample", dir, "--shots", "40", "--seed", "4")
	if err != nil {
		t.Fatal(err)
	}
	out, _, err = runBorn(t, "", "sample", dir, "--shots", "40", "--seed", "4", "--output", txt)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(txt)
	if out != "" || string(got) != want {
		t.Errorf("--output %s: stdout %q, file %q, want %q", txt, out, got, want)
	}
	help, _, _ := runBorn(t, "", "sample", "--help")
	if strings.Contains(help, "--out ") || !strings.Contains(help, "-o, --output") {
		t.Errorf("sample --help shows --out or lacks -o, --output:\n%s", help)
	}
}
