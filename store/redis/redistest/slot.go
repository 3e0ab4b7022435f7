package redistest

import (
	"context"
	"fmt"
	"strings"
	"sync"

	goredis "github.com/redis/go-redis/v9"
)

// KeySlot is the Redis Cluster hash slot of key (the Cluster spec's
// HASH_SLOT): CRC16-CCITT (XMODEM) of the key, or of its hash tag (what
// lies between the first "{" and the next "}", when not empty), mod 16384.
func KeySlot(key string) int {
	if i := strings.IndexByte(key, '{'); i >= 0 {
		if j := strings.IndexByte(key[i+1:], '}'); j > 0 {
			key = key[i+1 : i+1+j]
		}
	}
	return int(crc16(key) % 16384)
}

// crc16 is CRC16-CCITT in the XMODEM variant (polynomial 0x1021, initial
// value 0), as Redis Cluster uses.
func crc16(s string) uint16 {
	var crc uint16
	for i := 0; i < len(s); i++ {
		crc ^= uint16(s[i]) << 8
		for range 8 {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}

// SlotCheck is a go-redis hook that records, for every script run (EVAL,
// EVALSHA, alone or in a pipeline) and every MULTI/EXEC transaction, the
// keys it named, and notes those whose keys span several hash slots: a
// Cluster refuses them (CROSSSLOT).
type SlotCheck struct {
	mu      sync.Mutex
	scripts int
	shas    map[string]bool
	bad     []string
}

var _ goredis.Hook = (*SlotCheck)(nil)

// Scripts is how many script runs were seen.
func (h *SlotCheck) Scripts() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.scripts
}

// Ran says whether a script with this SHA1 ran (EVALSHA, which
// goredis.Script always tries first).
func (h *SlotCheck) Ran(sha string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.shas[sha]
}

// Violations lists the script runs and transactions whose keys span
// several slots.
func (h *SlotCheck) Violations() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.bad...)
}

// DialHook implements goredis.Hook.
func (h *SlotCheck) DialHook(next goredis.DialHook) goredis.DialHook { return next }

// ProcessHook implements goredis.Hook.
func (h *SlotCheck) ProcessHook(next goredis.ProcessHook) goredis.ProcessHook {
	return func(ctx context.Context, cmd goredis.Cmder) error {
		h.script(cmd)
		return next(ctx, cmd)
	}
}

// ProcessPipelineHook implements goredis.Hook. A transaction's commands
// come between MULTI and EXEC; all of their keys must share a slot.
func (h *SlotCheck) ProcessPipelineHook(next goredis.ProcessPipelineHook) goredis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []goredis.Cmder) error {
		var tx []string
		inTx := false
		for _, c := range cmds {
			switch strings.ToLower(c.Name()) {
			case "multi":
				inTx, tx = true, nil
				continue
			case "exec":
				h.check("MULTI/EXEC", tx)
				inTx = false
				continue
			}
			h.script(c)
			if inTx {
				tx = append(tx, cmdKeys(c)...)
			}
		}
		return next(ctx, cmds)
	}
}

// script records a script run's keys.
func (h *SlotCheck) script(cmd goredis.Cmder) {
	switch strings.ToLower(cmd.Name()) {
	case "eval", "evalsha", "eval_ro", "evalsha_ro":
	default:
		return
	}
	args := cmd.Args()
	var keys []string
	if len(args) >= 3 {
		n, _ := args[2].(int)
		for i := 0; i < n && 3+i < len(args); i++ {
			keys = append(keys, fmt.Sprint(args[3+i]))
		}
	}
	h.mu.Lock()
	h.scripts++
	if len(args) >= 2 && strings.HasPrefix(strings.ToLower(cmd.Name()), "evalsha") {
		if h.shas == nil {
			h.shas = map[string]bool{}
		}
		h.shas[fmt.Sprint(args[1])] = true
	}
	h.mu.Unlock()
	h.check(cmd.Name(), keys)
}

// check notes keys that span several slots.
func (h *SlotCheck) check(what string, keys []string) {
	for _, k := range keys[min(1, len(keys)):] {
		if KeySlot(k) != KeySlot(keys[0]) {
			h.mu.Lock()
			h.bad = append(h.bad, fmt.Sprintf("%s with keys %q in slots %v", what, keys, slots(keys)))
			h.mu.Unlock()
			return
		}
	}
}

func slots(keys []string) []int {
	out := make([]int, len(keys))
	for i, k := range keys {
		out[i] = KeySlot(k)
	}
	return out
}

// cmdKeys guesses the keys of a command in a transaction: its first
// argument after the name (every command the stores queue in one names a
// single key there).
func cmdKeys(c goredis.Cmder) []string {
	args := c.Args()
	if len(args) < 2 {
		return nil
	}
	return []string{fmt.Sprint(args[1])}
}
