package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// BotProc runs `umkmbot serve` as a child process that can be killed and
// started again.
type BotProc struct {
	Path string
	Env  []string // the child's whole environment
	Log  io.Writer

	cmd    *exec.Cmd
	exited chan struct{}
	err    error
	// Starts counts the processes started.
	Starts int
}

// Start starts a new process; the previous one must have exited.
func (b *BotProc) Start() error {
	cmd := exec.Command(b.Path, "serve")
	cmd.Env = b.Env
	cmd.Stdout, cmd.Stderr = b.Log, b.Log
	// Its own process group: a Ctrl-C at the terminal reaches the driver,
	// which stops the bot itself.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start bot: %w", err)
	}
	b.cmd, b.exited = cmd, make(chan struct{})
	b.Starts++
	go func() {
		b.err = cmd.Wait()
		close(b.exited)
	}()
	return nil
}

// Running reports whether a started process has not exited yet.
func (b *BotProc) Running() bool {
	if b.cmd == nil {
		return false
	}
	select {
	case <-b.exited:
		return false
	default:
		return true
	}
}

// Pid is the running process's id.
func (b *BotProc) Pid() int { return b.cmd.Process.Pid }

// Exited is closed when the current process has exited.
func (b *BotProc) Exited() <-chan struct{} { return b.exited }

// Kill sends SIGKILL and waits for the process to be gone.
func (b *BotProc) Kill() {
	_ = b.cmd.Process.Signal(syscall.SIGKILL)
	<-b.exited
}

// Stop sends SIGTERM and waits up to timeout for a clean exit, then kills.
// It returns the exit error of a process that did not exit cleanly.
func (b *BotProc) Stop(timeout time.Duration) error {
	_ = b.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-b.exited:
		return b.err
	case <-time.After(timeout):
		b.Kill()
		return fmt.Errorf("bot did not stop within %v after SIGTERM; killed", timeout)
	}
}

// runOnce runs the bot binary with args to completion (e.g. migrate).
func runOnce(ctx context.Context, path string, env []string, log io.Writer, args ...string) error {
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("umkmbot %v: %w", args, err)
	}
	return nil
}

// buildBot builds cmd/umkmbot of the module in the working directory into
// dir and returns the binary's path.
func buildBot(ctx context.Context, dir string, log io.Writer) (string, error) {
	out := dir + "/umkmbot"
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, "github.com/diskum-tangerang/umkmbot/cmd/umkmbot")
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("build umkmbot (run from the repository, or pass --bot): %w", err)
	}
	return out, nil
}

// childEnv is the driver's environment with vars set (and replacing any
// value the driver had).
func childEnv(vars map[string]string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if _, ok := vars[k]; !ok {
			env = append(env, kv)
		}
	}
	for k, v := range vars {
		env = append(env, k+"="+v)
	}
	return env
}

// procCPU returns the user+system CPU time of process pid so far, from
// /proc/<pid>/stat (Linux only).
func procCPU(pid int) (time.Duration, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	return parseStatCPU(string(data))
}

// clockTicks is USER_HZ, 100 on every Linux this runs on.
const clockTicks = 100

// parseStatCPU reads utime and stime (fields 14 and 15) of a
// /proc/<pid>/stat line; the command name in parentheses may hold spaces.
func parseStatCPU(stat string) (time.Duration, error) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, errors.New("malformed /proc stat")
	}
	var state string
	var ppid, pgrp, session, tty, tpgid int
	var flags, minflt, cminflt, majflt, cmajflt, utime, stime uint64
	_, err := fmt.Sscan(stat[i+1:], &state, &ppid, &pgrp, &session, &tty, &tpgid, &flags,
		&minflt, &cminflt, &majflt, &cmajflt, &utime, &stime)
	if err != nil {
		return 0, fmt.Errorf("malformed /proc stat: %w", err)
	}
	return time.Duration(utime+stime) * time.Second / clockTicks, nil
}
