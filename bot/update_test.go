package bot

import (
	"encoding/json"
	"reflect"
	"testing"

	tgm "github.com/go-telegram/bot/models"

	"github.com/diskum-tangerang/umkmbot/flows"
)

func TestToFlows(t *testing.T) {
	budi := &tgm.User{ID: 77, FirstName: "Budi", LanguageCode: "id"}
	chat := tgm.Chat{ID: 77, Type: tgm.ChatTypePrivate}
	msg := func(edit func(m *tgm.Message)) *tgm.Message {
		m := &tgm.Message{ID: 1, Date: 1, From: budi, Chat: chat}
		edit(m)
		return m
	}
	base := flows.Update{ID: 5, UserID: 77, ChatID: 77, FirstName: "Budi", LanguageCode: "id"}
	with := func(edit func(u *flows.Update)) flows.Update {
		u := base
		edit(&u)
		return u
	}
	unsupported := with(func(u *flows.Update) { u.Kind = flows.KindUnsupported })
	tests := []struct {
		name   string
		update tgm.Update
		want   flows.Update
		wantOK bool
	}{
		{name: "text", wantOK: true,
			update: tgm.Update{Message: msg(func(m *tgm.Message) { m.Text = "  halo  " })},
			want:   with(func(u *flows.Update) { u.Kind, u.Text, u.HTML = flows.KindText, "halo", "halo" })},
		{name: "command with bot name and args", wantOK: true,
			update: tgm.Update{Message: msg(func(m *tgm.Message) { m.Text = "/START@umkm_bot daftar" })},
			want: with(func(u *flows.Update) {
				u.Kind, u.Text, u.Command, u.Args = flows.KindText, "/START@umkm_bot daftar", "start", "daftar"
				u.HTML = "/START@umkm_bot daftar"
			})},
		{name: "own contact", wantOK: true,
			update: tgm.Update{Message: msg(func(m *tgm.Message) { m.Contact = &tgm.Contact{PhoneNumber: "+628123", UserID: 77} })},
			want: with(func(u *flows.Update) {
				u.Kind, u.Contact = flows.KindContact, &flows.Contact{Phone: "+628123", UserID: 77}
			})},
		{name: "other person's contact keeps its user id", wantOK: true,
			update: tgm.Update{Message: msg(func(m *tgm.Message) { m.Contact = &tgm.Contact{PhoneNumber: "0812", UserID: 9} })},
			want: with(func(u *flows.Update) {
				u.Kind, u.Contact = flows.KindContact, &flows.Contact{Phone: "0812", UserID: 9}
			})},
		{name: "sticker", wantOK: true, want: unsupported,
			update: tgm.Update{Message: msg(func(m *tgm.Message) { m.Sticker = &tgm.Sticker{FileID: "s"} })}},
		{name: "photo with caption: its largest size", wantOK: true,
			update: tgm.Update{Message: msg(func(m *tgm.Message) {
				m.Photo = []tgm.PhotoSize{{FileID: "small"}, {FileID: "p"}}
				m.Caption = "ktp"
			})},
			want: with(func(u *flows.Update) {
				u.Kind, u.Text, u.HTML, u.Media = flows.KindMedia, "ktp", "ktp", &flows.Media{Kind: flows.MediaPhoto, FileID: "p"}
			})},
		{name: "message in a forum topic of a group", wantOK: true,
			update: tgm.Update{Message: msg(func(m *tgm.Message) {
				m.Text, m.Chat = "halo", tgm.Chat{ID: 77, Type: tgm.ChatTypeSupergroup}
				m.IsTopicMessage, m.MessageThreadID = true, 12
			})},
			want: with(func(u *flows.Update) {
				u.Kind, u.Text, u.HTML, u.Group, u.Thread = flows.KindText, "halo", "halo", true, 12
			})},
		{name: "voice", wantOK: true, want: unsupported,
			update: tgm.Update{Message: msg(func(m *tgm.Message) { m.Voice = &tgm.Voice{FileID: "v"} })}},
		{name: "document", wantOK: true,
			update: tgm.Update{Message: msg(func(m *tgm.Message) { m.Document = &tgm.Document{FileID: "d"} })},
			want: with(func(u *flows.Update) {
				u.Kind, u.Media = flows.KindMedia, &flows.Media{Kind: flows.MediaDocument, FileID: "d"}
			})},
		{name: "location", wantOK: true, want: unsupported,
			update: tgm.Update{Message: msg(func(m *tgm.Message) { m.Location = &tgm.Location{Latitude: -6.2} })}},
		{name: "callback", wantOK: true,
			update: tgm.Update{CallbackQuery: &tgm.CallbackQuery{ID: "c", From: *budi, Data: "reg:nik:ok",
				Message: tgm.MaybeInaccessibleMessage{Message: &tgm.Message{ID: 3, Date: 1, Chat: chat}}}},
			want: with(func(u *flows.Update) { u.Kind, u.Button = flows.KindButton, "reg:nik:ok" })},
		{name: "callback on an inaccessible message", wantOK: true,
			update: tgm.Update{CallbackQuery: &tgm.CallbackQuery{ID: "c", From: *budi, Data: "x",
				Message: tgm.MaybeInaccessibleMessage{Type: tgm.MaybeInaccessibleMessageTypeInaccessibleMessage,
					InaccessibleMessage: &tgm.InaccessibleMessage{}}}},
			want: with(func(u *flows.Update) { u.Kind, u.Button = flows.KindButton, "x" })},
		{name: "edited message ignored", update: tgm.Update{EditedMessage: msg(func(m *tgm.Message) { m.Text = "x" })}},
		{name: "channel post ignored", update: tgm.Update{ChannelPost: msg(func(m *tgm.Message) { m.Text = "x" })}},
		{name: "message without sender ignored", update: tgm.Update{Message: msg(func(m *tgm.Message) { m.From, m.Text = nil, "x" })}},
		{name: "chat member update ignored", update: tgm.Update{MyChatMember: &tgm.ChatMemberUpdated{Chat: chat}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.update.ID = 5
			got, ok := toFlows(&tt.update)
			if ok != tt.wantOK {
				t.Fatalf("ok = %v, want %v", ok, tt.wantOK)
			}
			if ok && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// TestCallbackChatFromTheWire decodes callbacks as Telegram sends them: the
// chat comes from the message, or from the user when the message is gone.
func TestCallbackChatFromTheWire(t *testing.T) {
	tests := []struct {
		name string
		json string
		want int64
	}{
		{name: "message", want: -100, json: `{"update_id":1,"callback_query":{"id":"c","from":{"id":77,"is_bot":false,"first_name":"B"},
			"data":"x","message":{"message_id":3,"date":1,"chat":{"id":-100,"type":"group"}}}}`},
		{name: "inaccessible", want: -100, json: `{"update_id":1,"callback_query":{"id":"c","from":{"id":77,"is_bot":false,"first_name":"B"},
			"data":"x","message":{"message_id":3,"date":0,"chat":{"id":-100,"type":"group"}}}}`},
		{name: "inline, no message", want: 77, json: `{"update_id":1,"callback_query":{"id":"c","from":{"id":77,"is_bot":false,"first_name":"B"},
			"data":"x","inline_message_id":"im"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var u tgm.Update
			if err := json.Unmarshal([]byte(tt.json), &u); err != nil {
				t.Fatal(err)
			}
			in, ok := toFlows(&u)
			if !ok || in.ChatID != tt.want || chatOf(&u) != tt.want {
				t.Errorf("chat = %d (ok %v), want %d", in.ChatID, ok, tt.want)
			}
		})
	}
}
