package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"born/internal/atomicfile"
	"born/sweep"
)

func newSweepCmd() *cobra.Command {
	var out string
	var force, quiet bool
	cmd := &cobra.Command{
		Use:         "sweep SPEC.yaml --out DIR",
		Annotations: map[string]string{gracefulAnnotation: "stops between tasks"},
		Short:       "Run a grid of training runs or comparisons, here or as a Slurm or Kubernetes array job",
		Long: `A sweep file lists a born command (train or compare), fixed flags and a grid of
swept flags; the tasks are every combination, numbered in a stable order:

  name: depth-scan
  command: train
  seed: 7           # task seeds derive from (seed, task id) unless seed is set
  repeats: 3        # runs per grid point
  args: {data: "bas:3x3", steps: 300}
  grid:
    ansatz: [qcbm:2, qcbm:4, qcbm:6]

"born sweep SPEC.yaml --out DIR" runs every unfinished task here, one after
another. Each task writes DIR/tasks/ID/ atomically (result.json and the
command's own output in run/); a finished task is skipped unless --force.
The subcommands plan, run one task, report status, collect a table and a
plot, and write Slurm or Kubernetes job files.`,
		Example: `  born sweep plan scan.yaml
  born sweep scan.yaml --out results
  born sweep slurm scan.yaml --out /scratch/results --limit 20 --submit
  born sweep collect --out results`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			spec, err := readSweepTo(args[0], out)
			if err != nil {
				return err
			}
			d, err := sweep.Open(out, spec)
			if err != nil {
				return err
			}
			errOut := cmd.ErrOrStderr()
			// Progress: "task k of N" with an estimate of the time left, a
			// line per task and, on a terminal, a live status line.
			tasks := spec.Tasks()
			kinds := make([]string, len(tasks))
			for i, t := range tasks {
				if force || !d.Done(t.ID) {
					kinds[i] = taskKind(t)
				}
			}
			var prog *jobProgress
			if !quiet {
				prog = newJobProgress(errOut, isTerminal(errOut), true, "task", kinds)
			}
			// A task in progress stops on its own on SIGINT or SIGTERM; the
			// sweep then starts no other.
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			for _, t := range tasks {
				if ctx.Err() != nil {
					if prog != nil {
						prog.finish()
					}
					return fmt.Errorf("interrupted before task %d; run the sweep again to finish it", t.ID)
				}
				if prog != nil {
					prog.begin(taskLabel(t), taskKind(t))
				}
				ran, err := d.RunTask(t.ID, force, taskExec(errOut))
				if prog != nil {
					switch {
					case err != nil:
						prog.end("failed", false)
					case ran:
						prog.end("done", false)
					default:
						prog.end("already finished", true)
					}
				}
				if err != nil {
					if prog != nil {
						prog.finish()
					}
					return err
				}
			}
			if prog != nil {
				prog.finish()
			}
			return collectTo(cmd.OutOrStdout(), d, "text", "")
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "result directory")
	cmd.Flags().BoolVar(&force, "force", false, "rerun finished tasks")
	cmd.Flags().BoolVar(&quiet, "quiet", false, "no progress on stderr (task k of N, elapsed time, ETA)")
	cmd.AddCommand(newSweepPlanCmd(), newSweepRunCmd(), newSweepStatusCmd(), newSweepCollectCmd(),
		newSweepSlurmCmd(), newSweepK8sCmd())
	return inFlagWords(cmd)
}

// taskLabel names a task in progress lines: its id and swept values.
func taskLabel(t sweep.Task) string {
	parts := []string{fmt.Sprintf("id %d", t.ID)}
	for _, k := range slices.Sorted(maps.Keys(t.Values)) {
		parts = append(parts, k+"="+t.Values[k])
	}
	if t.Repeat > 0 {
		parts = append(parts, fmt.Sprintf("repeat %d", t.Repeat))
	}
	return strings.Join(parts, " ")
}

// taskKind groups tasks expected to take as long as each other: those at
// the same grid point (repeats differ only in their seed).
func taskKind(t sweep.Task) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(t.Values)) {
		parts = append(parts, k+"="+t.Values[k])
	}
	return strings.Join(parts, " ")
}

// readSweep reads a sweep file and checks every flag it sets against the
// command it runs.
func readSweep(path string) (*sweep.Spec, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	spec, err := sweep.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := checkTemplate(spec); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return spec, nil
}

// readSweepTo is readSweep for a command that writes results to out, which
// must be given.
func readSweepTo(path, out string) (*sweep.Spec, error) {
	spec, err := readSweep(path)
	if err != nil {
		return nil, err
	}
	if out == "" {
		return nil, fmt.Errorf("--out DIR is required")
	}
	return spec, nil
}

// checkTemplate checks that every fixed and swept flag exists on the
// command and that every value parses.
func checkTemplate(spec *sweep.Spec) error {
	var cmd *cobra.Command
	switch spec.Command {
	case "train":
		cmd = newTrainCmd(nil)
	case "compare":
		cmd = newCompareCmd(nil)
	}
	flags := cmd.Flags()
	check := func(name, value string) error {
		f := flags.Lookup(name)
		if f == nil {
			var known []string
			flags.VisitAll(func(f *pflag.Flag) {
				if f.Name != "out" && f.Name != "help" {
					known = append(known, f.Name)
				}
			})
			return fmt.Errorf("born %s has no flag --%s (its flags: %s)", spec.Command, name, strings.Join(known, ", "))
		}
		if err := flags.Set(name, value); err != nil {
			return fmt.Errorf("--%s=%s: %v", name, value, err)
		}
		return nil
	}
	for _, f := range spec.Fixed {
		if err := check(f[0], f[1]); err != nil {
			return err
		}
	}
	for k, key := range spec.Keys {
		for _, v := range spec.Values[k] {
			if err := check(key, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// taskExec runs a born command in this process, as a task of a sweep.
func taskExec(errOut io.Writer) sweep.Exec {
	return func(command string, args []string, out string) error {
		root := newRootCmd(strings.NewReader(""), io.Discard, errOut)
		root.SetArgs(append(append([]string{command}, args...), "--out", out, "--quiet"))
		return root.Execute()
	}
}

func newSweepPlanCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "plan SPEC.yaml",
		Short: "Print the tasks of a sweep with their ids and command lines",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			spec, err := readSweep(args[0])
			if err != nil {
				return err
			}
			tasks := spec.Tasks()
			w := cmd.OutOrStdout()
			switch format {
			case "json":
				return writeJSON(w, struct {
					Command string       `json:"command"`
					Digest  string       `json:"digest"`
					Tasks   []sweep.Task `json:"tasks"`
				}{spec.Command, spec.Digest(), tasks})
			case "text":
				fmt.Fprintf(w, "# %d tasks of born %s (sweep digest %s)\n", len(tasks), spec.Command, spec.Digest()[:12])
				for _, t := range tasks {
					fmt.Fprintf(w, "%d\tborn %s %s\n", t.ID, spec.Command, strings.Join(t.Args, " "))
				}
				return nil
			}
			return fmt.Errorf("--format %q: use text or json", format)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "text or json")
	return cmd
}

// taskFromEnv returns the task id from --task or the array index a
// scheduler sets.
func taskFromEnv(flag int, set bool) (int, error) {
	if set {
		return flag, nil
	}
	for _, v := range []string{"SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"} {
		if s := os.Getenv(v); s != "" {
			id, err := strconv.Atoi(s)
			if err != nil {
				return 0, fmt.Errorf("%s=%q is not a task id", v, s)
			}
			return id, nil
		}
	}
	return 0, fmt.Errorf("no task: give --task ID (or run under Slurm or a Kubernetes Indexed Job, which set SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX)")
}

func newSweepRunCmd() *cobra.Command {
	var out string
	var task int
	var force, quiet bool
	cmd := &cobra.Command{
		Use:         "run SPEC.yaml --out DIR [--task ID]",
		Annotations: map[string]string{gracefulAnnotation: "the task's own"},
		Short:       "Run one task of a sweep (--task, SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX)",
		Args:        cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			spec, err := readSweepTo(args[0], out)
			if err != nil {
				return err
			}
			id, err := taskFromEnv(task, cmd.Flags().Changed("task"))
			if err != nil {
				return err
			}
			if _, err := spec.Task(id); err != nil {
				return err
			}
			d, err := sweep.Open(out, spec)
			if err != nil {
				return err
			}
			ran, err := d.RunTask(id, force, taskExec(cmd.ErrOrStderr()))
			if err != nil {
				return err
			}
			if !quiet {
				if ran {
					fmt.Fprintf(cmd.OutOrStdout(), "task %d done: %s\n", id, d.TaskPath(id))
				} else {
					fmt.Fprintf(cmd.OutOrStdout(), "task %d already finished (--force reruns it)\n", id)
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "result directory")
	cmd.Flags().IntVar(&task, "task", 0, "task id")
	cmd.Flags().BoolVar(&force, "force", false, "rerun a finished task")
	cmd.Flags().BoolVar(&quiet, "quiet", false, "print nothing on success")
	return cmd
}

func newSweepStatusCmd() *cobra.Command {
	var out, format string
	cmd := &cobra.Command{
		Use:   "status --out DIR",
		Short: "Show which tasks of a sweep have finished (exit status 1 while some are missing)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := sweep.OpenExisting(out)
			if err != nil {
				return err
			}
			done, missing := d.Status()
			switch format {
			case "json":
				if err := writeJSON(cmd.OutOrStdout(), struct {
					Tasks    int   `json:"tasks"`
					Finished []int `json:"finished"`
					Missing  []int `json:"missing"`
				}{d.Spec.NumTasks(), nonNil(done), nonNil(missing)}); err != nil {
					return err
				}
			case "text":
				fmt.Fprintf(cmd.OutOrStdout(), "%d of %d tasks finished\n", len(done), d.Spec.NumTasks())
				if len(missing) > 0 {
					fmt.Fprintf(cmd.OutOrStdout(), "missing: %s\n", sweep.Ranges(missing))
				}
			default:
				return fmt.Errorf("--format %q: use text or json", format)
			}
			// The exit status says whether the sweep is complete.
			if len(missing) > 0 {
				return fmt.Errorf("%d of %d tasks have not finished (%s)", len(missing), d.Spec.NumTasks(), sweep.Ranges(missing))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "result directory")
	cmd.Flags().StringVar(&format, "format", "text", "text or json")
	return cmd
}

func nonNil(xs []int) []int {
	if xs == nil {
		return []int{}
	}
	return xs
}

func collectTo(w io.Writer, d *sweep.Dir, format, plotPath string) error {
	t, err := d.Collect()
	if err != nil {
		return err
	}
	if plotPath == "" {
		plotPath = filepath.Join(d.Path, "collect.png")
	}
	if len(t.Rows) > 0 && plotPath != "-" {
		if err := atomicfile.Write(plotPath, t.Plot); err != nil {
			return err
		}
	}
	switch format {
	case "json":
		if t.Missing == nil {
			t.Missing = []int{}
		}
		return writeJSON(w, t)
	case "csv":
		return t.WriteCSV(w)
	case "text":
		return t.WriteText(w)
	}
	return fmt.Errorf("--format %q: use text, json or csv", format)
}

func newSweepCollectCmd() *cobra.Command {
	var out, format, plotPath string
	cmd := &cobra.Command{
		Use:   "collect --out DIR",
		Short: "Collect the finished tasks of a sweep into a table and a plot, naming the missing ones",
		Long: `Collect every finished task of the sweep in DIR into one table (one row per
trained model: the swept values, seed, parameters, steps, KL, NLL, valid mass,
MMD, the model's own training seconds and the task's) and a plot of the final
KL over the first swept flag (DIR/collect.png unless --plot). A compare task's
models show mean ± standard deviation over its seeds (CSV and JSON: a _std
field next to each mean). Missing tasks are named.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := sweep.OpenExisting(out)
			if err != nil {
				return err
			}
			return collectTo(cmd.OutOrStdout(), d, format, plotPath)
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "result directory")
	cmd.Flags().StringVar(&format, "format", "text", "text, json or csv")
	cmd.Flags().StringVar(&plotPath, "plot", "", "plot file (default DIR/collect.png; - for none)")
	return cmd
}

func newSweepSlurmCmd() *cobra.Command {
	var out, script, binary string
	var submit bool
	o := sweep.SlurmOptions{}
	cmd := &cobra.Command{
		Use:   "slurm SPEC.yaml --out DIR",
		Short: "Write an sbatch script that runs the sweep as a Slurm job array (--submit submits it)",
		Long: `Write an sbatch script (default DIR/sweep.sbatch) that runs the sweep as a job
array, --array=0-(N-1)%LIMIT, each array task running "born sweep run" with its
id from SLURM_ARRAY_TASK_ID. Logs go to DIR/logs/. With --submit, the script
is submitted with sbatch and the job id printed. DIR must be on a file system
the compute nodes share.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			spec, err := readSweepTo(args[0], out)
			if err != nil {
				return err
			}
			if o.SpecPath, err = filepath.Abs(args[0]); err != nil {
				return err
			}
			if o.Out, err = filepath.Abs(out); err != nil {
				return err
			}
			if binary == "" {
				if binary, err = os.Executable(); err != nil {
					return fmt.Errorf("cannot find the born binary: give --binary: %v", err)
				}
			}
			if o.Binary, err = filepath.Abs(binary); err != nil {
				return err
			}
			text, err := spec.SlurmScript(o)
			if err != nil {
				return err
			}
			// Claim the directory now, so array tasks starting together
			// find it ready.
			if _, err := sweep.Open(o.Out, spec); err != nil {
				return err
			}
			if err := os.MkdirAll(filepath.Join(o.Out, "logs"), 0o755); err != nil {
				return err
			}
			if script == "" {
				script = filepath.Join(o.Out, "sweep.sbatch")
			}
			if err := atomicfile.WriteBytes(script, []byte(text)); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s (%d tasks)\n", script, spec.NumTasks())
			if !submit {
				return nil
			}
			res, err := exec.Command("sbatch", "--parsable", script).CombinedOutput()
			if err != nil {
				return fmt.Errorf("sbatch %s: %v: %s", script, err, strings.TrimSpace(string(res)))
			}
			fmt.Fprintf(cmd.OutOrStdout(), "submitted job %s\n", strings.TrimSpace(string(res)))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&out, "out", "", "result directory (shared by the compute nodes)")
	f.StringVarP(&script, "output", "o", "", "script file (default DIR/sweep.sbatch)")
	f.StringVar(&binary, "binary", "", "path of the born binary on the cluster (default: this one)")
	f.IntVar(&o.Limit, "limit", 0, "tasks running at once (0: no limit)")
	f.IntVar(&o.CPUs, "cpus", 2, "CPUs per task")
	f.StringVar(&o.Mem, "mem", "4G", "memory per task (Slurm's form, e.g. 4G)")
	f.StringVar(&o.Time, "time", "01:00:00", "time limit per task")
	f.StringVar(&o.Partition, "partition", "", "partition (default: the cluster's)")
	f.StringVar(&o.Account, "account", "", "account to charge")
	f.BoolVar(&submit, "submit", false, "submit the script with sbatch")
	return cmd
}

func newSweepK8sCmd() *cobra.Command {
	var output string
	o := sweep.K8sOptions{}
	cmd := &cobra.Command{
		Use:   "k8s SPEC.yaml --image IMAGE",
		Short: "Write a Kubernetes Indexed Job manifest that runs the sweep (for kubectl apply -f)",
		Long: `Write a batch/v1 Job with completionMode Indexed: completions = the number of
tasks, each pod running "born sweep run" with its index from
JOB_COMPLETION_INDEX. The sweep file comes from a ConfigMap (key sweep.yaml)
and results go to a PersistentVolumeClaim mounted at /results.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			spec, err := readSweep(args[0])
			if err != nil {
				return err
			}
			text, err := spec.K8sJob(o)
			if err != nil {
				return err
			}
			return writeOutput(cmd.OutOrStdout(), output, []byte(text))
		},
	}
	f := cmd.Flags()
	f.StringVarP(&output, "output", "o", "", "manifest file (default stdout)")
	f.StringVar(&o.Image, "image", "", "container image with the born binary (required)")
	f.StringVar(&o.Binary, "binary", "born", "path of born inside the image")
	f.IntVar(&o.Parallelism, "parallelism", 4, "pods running at once")
	f.StringVar(&o.CPU, "cpu", "2", "CPU request per pod")
	f.StringVar(&o.Memory, "memory", "4Gi", "memory request per pod")
	f.StringVar(&o.ConfigMap, "configmap", "", "ConfigMap holding the sweep file (default <job>-spec)")
	f.StringVar(&o.ResultClaim, "claim", "", "PersistentVolumeClaim for results (default <job>-results)")
	f.StringVar(&o.Namespace, "namespace", "", "namespace")
	f.IntVar(&o.BackoffPer, "retries", 1, "retries per task (backoffLimitPerIndex)")
	return cmd
}
