package redis

import goredis "github.com/redis/go-redis/v9"

// Scripts are every Lua script of the package, by name, for the hash-slot
// test; TestScriptsAreListed fails when one is missing.
var Scripts = map[string]*goredis.Script{
	"claim": claimScript, "commit": commitScript, "renew": renewScript, "abort": abortScript,
	"setOwed": setOwedScript, "record": recordScript, "limiterWait": limiterWait,
	"limiterPause": limiterPause, "attempts": attemptsScript,
	"balance": balanceScript, "release": releaseScript, "lead": leadScript, "limiterSpent": limiterSpent,
}

// OwedKeyOf is the key of chat's owed record in s.
func OwedKeyOf(s *Store, chat int64) string { return s.owedKey(chat) }
