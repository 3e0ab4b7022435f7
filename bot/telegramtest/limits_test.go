package telegramtest

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// TestPerChatOnly: the per-chat limit applies to the sends PerChatOnly
// picks; replies burst, share the global window, and 429s are counted by
// the limit that refused them.
func TestPerChatOnly(t *testing.T) {
	s := Start(t)
	s.SetLimits(Limits{Global: 5, PerChat: 1, PerChatOnly: func(_ string, p map[string]string) bool {
		return strings.HasPrefix(p["text"], "news")
	}})
	send := func(chat int, text string) envelope {
		return post(t, s, "sendMessage", url.Values{"chat_id": {strconv.Itoa(chat)}, "text": {text}})
	}
	steps := []struct {
		chat   int
		text   string
		wantOK bool
	}{
		{1, "reply", true}, {1, "reply", true}, {1, "news", true}, {1, "news", false}, {1, "reply", true},
		{2, "news", true}, {3, "reply", false},
	}
	for i, st := range steps {
		if e := send(st.chat, st.text); e.OK != st.wantOK {
			t.Errorf("step %d chat %d %s: ok=%v (%s), want %v", i, st.chat, st.text, e.OK, e.Description, st.wantOK)
		}
	}
	global, perChat := s.LimitViolations()
	if global != 1 || perChat != 1 || s.Violations() != 2 {
		t.Errorf("violations: global %d, per chat %d, all %d; want 1, 1, 2", global, perChat, s.Violations())
	}
}

func TestMessages(t *testing.T) {
	s := Start(t)
	for _, chat := range []string{"5", "6", "5"} {
		post(t, s, "sendMessage", url.Values{"chat_id": {chat}, "text": {"hi " + chat}})
	}
	got := s.Messages()
	if len(got) != 3 || got[0].ChatID != 5 || got[1].ChatID != 6 || got[2].Text != "hi 5" {
		t.Errorf("Messages = %+v", got)
	}
}
