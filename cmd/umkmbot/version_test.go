package main

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersion(t *testing.T) {
	out, _, err := runWith(t, nil, "", "version")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"umkmbot ", "module  github.com/diskum-tangerang/umkmbot", "commit  ", "go      go1."} {
		if !strings.Contains(out, want) {
			t.Errorf("version prints %q, lacks %q", out, want)
		}
	}
}

func TestDescribeBuild(t *testing.T) {
	bi := &debug.BuildInfo{GoVersion: "go1.26.0",
		Main: debug.Module{Path: "github.com/diskum-tangerang/umkmbot", Version: "v1.4.0"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123abcd"}, {Key: "vcs.modified", Value: "true"},
			{Key: "vcs.time", Value: "2026-12-02T10:00:00Z"}}}
	want := "umkmbot v1.4.0\nmodule  github.com/diskum-tangerang/umkmbot\ncommit  0123abcd (modified)\n" +
		"time    2026-12-02T10:00:00Z\ngo      go1.26.0\n"
	if got := describeBuild(bi); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	bi.Settings, bi.Main.Version = nil, ""
	if got := describeBuild(bi); !strings.Contains(got, "umkmbot (devel)\n") || !strings.Contains(got, "commit  unknown") {
		t.Errorf("without VCS information: %s", got)
	}
}
