package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestBuildVersion(t *testing.T) {
	info := func(v string, settings ...string) func() (*debug.BuildInfo, bool) {
		return func() (*debug.BuildInfo, bool) {
			bi := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "born", Version: v}}
			for i := 0; i < len(settings); i += 2 {
				bi.Settings = append(bi.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
			}
			return bi, true
		}
	}
	rev := "cb208a3607067e36e84f4ded67f405e61313c3a6"
	for _, tc := range []struct {
		read func() (*debug.BuildInfo, bool)
		want string
	}{
		{info("v1.2.3"), "v1.2.3, go1.26.8"},
		{info("(devel)"), "(devel), go1.26.8"},
		{info("(devel)", "vcs.revision", rev, "vcs.time", "2026-12-05T05:16:56Z", "vcs.modified", "true"),
			"(devel), commit cb208a360706 (2026-12-05T05:16:56Z) with local changes, go1.26.8"},
		{info("v0.0.0-20261205051656-cb208a360706", "vcs.revision", rev, "vcs.modified", "false"),
			"v0.0.0-20261205051656-cb208a360706, go1.26.8"},
		{func() (*debug.BuildInfo, bool) { return nil, false }, "unknown (no build information)"},
	} {
		if got := buildVersion(tc.read); got != tc.want {
			t.Errorf("buildVersion = %q, want %q", got, tc.want)
		}
	}
}

// The binary's --version is what its build information says (read back
// independently with go version -m), never a placeholder.
func TestVersionFlag(t *testing.T) {
	if testing.Short() {
		t.Skip("builds born")
	}
	exe := filepath.Join(t.TempDir(), "born")
	if out, err := exec.Command("go", "build", "-buildvcs=auto", "-o", exe, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(exe, "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	meta, err := exec.Command("go", "version", "-m", exe).Output()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.TrimSpace(string(out))
	goVersion := strings.Fields(string(meta))[1]
	if !strings.HasPrefix(got, "born version ") || strings.Contains(got, "dev,") == false && !strings.Contains(got, "v") ||
		!strings.HasSuffix(got, goVersion) {
		t.Errorf("--version %q: want the module version and %s", got, goVersion)
	}
	if m := regexp.MustCompile(`vcs\.revision=([0-9a-f]{12})`).FindSubmatch(meta); m != nil && !strings.Contains(got, string(m[1])) {
		t.Errorf("--version %q lacks the commit %s the build information records", got, m[1])
	}
}

// Ctrl-C exits 130 (SIGTERM 143): at once for a command blocked reading its
// input, and after saving the checkpoint for born train.
func TestInterruptExitStatus(t *testing.T) {
	if testing.Short() {
		t.Skip("builds born")
	}
	born := buildBorn(t)
	exitCode := func(cmd *exec.Cmd) int {
		err := cmd.Wait()
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("%v: %v, want a non-zero exit", cmd.Args, err)
		}
		return ee.ExitCode()
	}
	for _, sig := range []struct {
		s    syscall.Signal
		want int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		// born run - waits for standard input that never comes. A signal
		// that arrives before born has started to listen kills it (exit
		// -1) on a loaded machine: wait longer and try again.
		for _, wait := range []time.Duration{300 * time.Millisecond, time.Second, 4 * time.Second} {
			pr, pw, _ := os.Pipe()
			cmd := exec.Command(born, "run", "-")
			cmd.Stdin = pr
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(wait)
			cmd.Process.Signal(sig.s)
			got := exitCode(cmd)
			pw.Close()
			pr.Close()
			if got == -1 && wait < 4*time.Second {
				continue
			}
			if got != sig.want {
				t.Errorf("born run after %v: exit %d, want %d (stderr %q)", sig.s, got, sig.want, stderr.String())
			}
			break
		}
	}

	dir := filepath.Join(t.TempDir(), "run")
	cmd := exec.Command(born, "train", "--data", "bas:3x3", "--ansatz", "qcbm:4", "--steps", "1000000", "--grad", "shift",
		"--checkpoint-every", "1", "--out", dir, "--quiet")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := os.Stat(filepath.Join(dir, "model.json")); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("training did not start")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGINT)
	if got := exitCode(cmd); got != 130 {
		t.Errorf("born train after Ctrl-C: exit %d, want 130", got)
	}
	if !strings.Contains(stderr.String(), "continue with born train --resume") {
		t.Errorf("stderr %q: want the checkpoint note", stderr.String())
	}
}
