package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"syscall"

	"github.com/spf13/cobra"
)

// version is the program version. Release builds may set it at link time
// with -ldflags "-X main.version=v1.2.3"; otherwise it comes from the
// module's build information (see buildVersion).
var version = buildVersion(debug.ReadBuildInfo)

// buildVersion describes this binary from its build information: the
// module version (v1.2.3, or a pseudo-version when built with go install
// born@commit; "(devel)" in a checkout), and, when go build ran in a git
// checkout, the commit, its time and whether the tree had local changes.
func buildVersion(read func() (*debug.BuildInfo, bool)) string {
	bi, ok := read()
	if !ok {
		return "unknown (no build information)"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, when string
	var modified bool
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	var parts []string
	if rev != "" && !strings.Contains(v, rev[:min(12, len(rev))]) { // a pseudo-version names it already
		c := "commit " + rev[:min(12, len(rev))]
		if when != "" {
			c += " (" + when + ")"
		}
		if modified {
			c += " with local changes"
		}
		parts = append(parts, c)
	}
	if bi.GoVersion != "" {
		parts = append(parts, bi.GoVersion)
	}
	if len(parts) > 0 {
		v += ", " + strings.Join(parts, ", ")
	}
	return v
}

// Exit statuses besides 0 and 1: a command stopped by SIGINT (Ctrl-C) or
// SIGTERM exits 128 plus the signal's number, as shells report it.
const (
	exitInterrupt = 130 // 128 + SIGINT
	exitTerminate = 143 // 128 + SIGTERM
)

// gracefulAnnotation marks commands that stop cleanly on SIGINT and SIGTERM
// themselves (saving a checkpoint, say); any other command exits at once.
const gracefulAnnotation = "born/graceful-interrupt"

// Execute runs the command line and exits with a non-zero status on error:
// 130 after Ctrl-C (143 after SIGTERM), 1 otherwise.
func Execute() {
	var caught atomic.Int32 // the signal's exit status, once one arrives
	var graceful atomic.Bool
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		for s := range sigs {
			code := int32(exitInterrupt)
			if s == syscall.SIGTERM {
				code = exitTerminate
			}
			caught.CompareAndSwap(0, code)
			if !graceful.Load() {
				fmt.Fprintln(os.Stderr, "born: interrupted")
				os.Exit(int(code))
			}
		}
	}()
	root := newRootCmd(os.Stdin, os.Stdout, os.Stderr)
	root.PersistentPreRun = func(cmd *cobra.Command, args []string) {
		graceful.Store(cmd.Annotations[gracefulAnnotation] != "")
	}
	err := root.Execute()
	code := int(caught.Load())
	if err != nil {
		fmt.Fprintln(os.Stderr, "born:", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

func newRootCmd(in io.Reader, out, errOut io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:           "born",
		Short:         "Run OpenQASM circuits and train Born machines",
		Long:          "born runs OpenQASM circuits on exact and tensor-network simulators and trains quantum circuit\nBorn machines p(x) = |<x|psi(theta)>|^2 on data.",
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetUsageTemplate(usageTemplate)
	root.SetIn(in)
	root.SetOut(out)
	root.SetErr(errOut)
	root.AddCommand(newRunCmd(nil))
	root.AddCommand(newTrainCmd(nil))
	root.AddCommand(newSampleCmd(nil))
	root.AddCommand(newBenchCmd(nil))
	root.AddCommand(newExportCmd(nil))
	root.AddCommand(newConvertCmd(nil))
	root.AddCommand(newSweepCmd())
	root.AddCommand(newCompareCmd(nil))
	return root
}
