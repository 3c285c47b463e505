package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadmeTour runs the README's tour exactly as written: every line of
// the first sh block under "## A tour", through sh, with a freshly built
// born first on the path, in a folder that holds the repository's
// examples/ as a fresh clone's top folder does. It takes a minute or two,
// so it runs only with BORN_README_TOUR=1 (.ci/run sets it).
func TestReadmeTour(t *testing.T) {
	if os.Getenv("BORN_README_TOUR") != "1" || testing.Short() {
		t.Skip("set BORN_README_TOUR=1 to run the README's tour (.ci/run does)")
	}
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	lines := tourLines(t, string(readme))
	exe := buildBorn(t)
	work := t.TempDir()
	examples, err := filepath.Abs(filepath.Join("..", "..", "examples"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(examples, filepath.Join(work, "examples")); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "PATH="+filepath.Dir(exe)+string(os.PathListSeparator)+os.Getenv("PATH"))
	outputs := map[string]string{}
	for _, line := range lines {
		cmd := exec.Command("sh", "-c", line)
		cmd.Dir, cmd.Env = work, env
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s: %v\nstdout:\n%s\nstderr:\n%s", line, err, stdout.String(), stderr.String())
		}
		outputs[strings.Fields(line)[1]] = stdout.String()
	}
	// What the lines promise.
	png, err := os.ReadFile(filepath.Join(work, "samples.png"))
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("samples.png is not a PNG (%d bytes, %v)", len(png), err)
	}
	for _, f := range []string{"bas33/model.json", "bas33/history.csv", "bas33/loss.png", "cmp/report.md",
		"cmp/compare.png", "bas33-heron.qasm", "route.json"} {
		if _, err := os.Stat(filepath.Join(work, f)); err != nil {
			t.Errorf("the tour did not write %s: %v", f, err)
		}
	}
	if !strings.Contains(outputs["run"], "# bitstrings list the 9 physical qubits the program touches") {
		t.Errorf("born run of the export:\n%.500s", outputs["run"])
	}
	if !strings.Contains(outputs["sweep"], "all 18 tasks finished") {
		t.Errorf("born sweep:\n%s", outputs["sweep"])
	}
}

// tourLines returns the command lines of the first sh block after the
// "## A tour" heading.
func tourLines(t *testing.T, readme string) []string {
	t.Helper()
	_, rest, ok := strings.Cut(readme, "\n## A tour\n")
	if !ok {
		t.Fatal("README.md has no \"## A tour\" section")
	}
	_, rest, ok = strings.Cut(rest, "```sh\n")
	block, _, ok2 := strings.Cut(rest, "\n```")
	if !ok || !ok2 {
		t.Fatal("the tour has no sh block")
	}
	var lines []string
	for _, l := range strings.Split(block, "\n") {
		if strings.TrimSpace(l) != "" {
			if !strings.HasPrefix(l, "born ") {
				t.Fatalf("tour line %q does not start with born", l)
			}
			lines = append(lines, l)
		}
	}
	if len(lines) < 5 {
		t.Fatalf("the tour has %d lines", len(lines))
	}
	return lines
}
