package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"strconv"
)

// serve's log names a chat or a user by a keyed hash of its id, never the
// id itself: a log shipped to a collector then says nothing about who
// wrote to the Dinas, while the lines of one chat still share their hash
// (and a user's hash is their private chat's). The key is LOG_SALT, or one
// derived from the bot token, so that it is the same across restarts and
// replicas. To find a chat's lines, hash its id the same way
// (logHash).

// idKeys are the attribute keys that carry a chat or user id, and the key
// each is logged under.
var idKeys = map[string]string{"chat_id": "chat", "chat": "chat", "user_id": "user", "user": "user"}

// logKey is the HMAC key of the hashed ids: LOG_SALT, else derived from
// the token.
func logKey(cfg *config) []byte {
	if cfg.LogSalt != "" {
		return []byte(cfg.LogSalt)
	}
	sum := sha256.Sum256([]byte("umkmbot log salt\x00" + cfg.Token))
	return sum[:]
}

// logHash is the first 12 hex digits of HMAC-SHA256(key, decimal id).
func logHash(key []byte, id int64) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(strconv.FormatInt(id, 10)))
	return hex.EncodeToString(m.Sum(nil))[:12]
}

// hideIDs is a slog ReplaceAttr that logs every chat and user id
// attribute (idKeys) as its hash under "chat" or "user".
func hideIDs(key []byte) func(groups []string, a slog.Attr) slog.Attr {
	return func(_ []string, a slog.Attr) slog.Attr {
		name, ok := idKeys[a.Key]
		if !ok {
			return a
		}
		v := a.Value.Resolve()
		var id int64
		switch v.Kind() {
		case slog.KindInt64:
			id = v.Int64()
		case slog.KindUint64:
			id = int64(v.Uint64())
		case slog.KindString:
			n, err := strconv.ParseInt(v.String(), 10, 64)
			if err != nil {
				return slog.String(name, "unreadable")
			}
			id = n
		default:
			return slog.String(name, "unreadable")
		}
		return slog.String(name, logHash(key, id))
	}
}
