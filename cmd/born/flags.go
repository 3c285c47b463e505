package main

import (
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// hiddenAliases makes old spellings of a command's flags (the keys of
// old2new) work as hidden aliases of the current ones: they parse as the
// new flag, and help shows only the new name.
func hiddenAliases(cmd *cobra.Command, old2new map[string]string) {
	cmd.Flags().SetNormalizeFunc(func(_ *pflag.FlagSet, name string) pflag.NormalizedName {
		if n, ok := old2new[name]; ok {
			return pflag.NormalizedName(n)
		}
		return pflag.NormalizedName(name)
	})
}
