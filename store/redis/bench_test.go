package redis_test

import (
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/diskum-tangerang/umkmbot/store"
	redisstore "github.com/diskum-tangerang/umkmbot/store/redis"
	"github.com/diskum-tangerang/umkmbot/store/redis/redistest"
)

// benchSession is a mid-sized session: a registration half-way through.
func benchSession(chatID int64) *store.Session {
	return &store.Session{
		ChatID: chatID, UserID: chatID, Lang: "id",
		Flow: "registration", FlowVersion: 1, State: "ask_phone",
		Data: map[string]string{
			"name": "Siti Aminah", "nik": "3603xxxxxxxxxxxx", "business": "Warung Makan Bu Siti",
			"kecamatan": "Cikupa", "omzet": "15000000", "sector": "kuliner",
		},
		History: []string{"start", "consent", "ask_name", "ask_nik", "ask_business", "ask_kecamatan"},
	}
}

// BenchmarkClaimCommit measures one update's store work on one chat: Claim
// (lock + load) and Commit (compare-and-set save + unlock), two round trips to a real Redis.
func BenchmarkClaimCommit(b *testing.B) {
	rdb, prefix := redistest.New(b)
	s := redisstore.New(rdb, prefix)
	ctx := b.Context()
	var update int64
	for b.Loop() {
		update++
		c, err := s.Claim(ctx, 1, update)
		if err != nil {
			b.Fatal(err)
		}
		sess := c.Session
		if sess == nil {
			sess = benchSession(1)
		}
		sess.Tries = int(update % 3)
		if err := s.Commit(ctx, c, sess, nil, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClaimCommitParallel runs the same work on many chats at once, as
// a bot serving many users does.
func BenchmarkClaimCommitParallel(b *testing.B) {
	rdb, prefix := redistest.New(b)
	s := redisstore.New(rdb, prefix)
	ctx := b.Context()
	var chats, updates atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		chat := chats.Add(1)
		for pb.Next() {
			c, err := s.Claim(ctx, chat, updates.Add(1))
			if err != nil {
				b.Error(err)
				return
			}
			sess := c.Session
			if sess == nil {
				sess = benchSession(chat)
			}
			sess.Data["step"] = strconv.FormatInt(c.UpdateID, 10)
			if err := s.Commit(ctx, c, sess, nil, 0); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
