package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// version is the program version, set at link time with -ldflags "-X main.version=...".
var version = "dev"

// Execute runs the command line and exits with a non-zero status on error.
func Execute() {
	root := newRootCmd(os.Stdin, os.Stdout, os.Stderr)
	if err := root.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "born:", err)
		os.Exit(1)
	}
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
