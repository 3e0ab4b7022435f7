package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

// version prints what this binary is built from: the module version, the
// VCS commit and its time (when the build recorded them, as `go build`
// does in a git checkout) and the Go version.
func version(w io.Writer) error {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return fmt.Errorf("version: the binary carries no build information")
	}
	_, err := io.WriteString(w, describeBuild(bi))
	return err
}

// describeBuild formats bi as umkmbot version prints it.
func describeBuild(bi *debug.BuildInfo) string {
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	var b strings.Builder
	fmt.Fprintf(&b, "umkmbot %s\n", orElse(bi.Main.Version, "(devel)"))
	fmt.Fprintf(&b, "module  %s\n", bi.Main.Path)
	commit := orElse(settings["vcs.revision"], "unknown (built without VCS information)")
	if settings["vcs.modified"] == "true" {
		commit += " (modified)"
	}
	fmt.Fprintf(&b, "commit  %s\n", commit)
	if t := settings["vcs.time"]; t != "" {
		fmt.Fprintf(&b, "time    %s\n", t)
	}
	fmt.Fprintf(&b, "go      %s\n", bi.GoVersion)
	return b.String()
}

func orElse(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
