package broadcast

import (
	"crypto/rand"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/looplab/fsm"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/field"
	"github.com/diskum-tangerang/umkmbot/store"
)

// Data keys of the compose flow.
const (
	kBody   = "body"   // the announcement, Telegram HTML
	kButton = "btn"    // "", btnURL or btnDaftar
	kLabel  = "blabel" // label of the URL button
	kURL    = "burl"
	kAud    = "aud" // set once an audience with recipients is chosen
	kKec    = "akec"
	kSector = "asec"
	kTrain  = "atrain"
	kRun    = "run" // this composition's key: a retried Kirim finds its campaign
	kCount  = "n"   // recipients when the audience was chosen
	kPage   = "page"
)

// Extra buttons under an announcement.
const (
	btnURL    = "url"
	btnDaftar = "daftar"
)

// Limits of what the staff types.
const (
	// maxBodyHTML bounds the body's HTML source in UTF-16 units: the
	// transport splits longer texts, which would cut tags, and bc_message's
	// header takes the rest of Telegram's 4,096.
	maxBodyHTML = 3900
	maxLabel    = 30
	maxURL      = 512
	kecPage     = 10 // kecamatan buttons per page
)

func (b *bc) composeFlow() *flows.Flow {
	return &flows.Flow{
		Name: Compose, Version: 1, Title: flows.T("bc_title"), Start: "text",
		Commands: []string{Compose}, StaffOnly: true, KeepDraft: true,
		Events: fsm.Events{
			{Name: "texted", Src: []string{"text"}, Dst: "button"},
			{Name: "retexted", Src: []string{"text"}, Dst: "confirm"},
			{Name: "buttoned", Src: []string{"button", "url"}, Dst: "audience"},
			{Name: "wanturl", Src: []string{"button"}, Dst: "label"},
			{Name: "labelled", Src: []string{"label"}, Dst: "url"},
			{Name: "bykec", Src: []string{"audience"}, Dst: "kec"},
			{Name: "bysector", Src: []string{"audience"}, Dst: "sector"},
			{Name: "bytraining", Src: []string{"audience"}, Dst: "training"},
			{Name: "chosen", Src: []string{"audience", "kec", "sector", "training"}, Dst: "confirm"},
			{Name: "edit", Src: []string{"confirm"}, Dst: "text"},
		},
		Steps: map[string]*flows.Step{
			"text": {
				Prompt: func(*flows.Ctx) flows.Reply { return flows.Say("bc_ask_text", "Max", Num(maxBody)) },
				Help:   flows.T("bc_help_text"),
				Text:   true,
				MaxLen: flows.MaxMessageLen,
				Handle: b.readText,
			},
			"button": {
				Prompt: func(*flows.Ctx) flows.Reply {
					return flows.Say("bc_ask_button").WithButtons(flows.Btn("bc_btn_none", "none"),
						flows.Btn("bc_btn_url", btnURL), flows.Btn("bc_btn_daftar", btnDaftar))
				},
				Help:   flows.T("bc_help_button"),
				Handle: readButton,
			},
			"label": {
				Prompt:  func(*flows.Ctx) flows.Reply { return flows.Say("bc_ask_label", "Max", maxLabel) },
				Example: flows.T("bc_example_label"),
				Text:    true,
				Handle:  readLabel,
			},
			"url": {
				Prompt:  func(*flows.Ctx) flows.Reply { return flows.Say("bc_ask_url") },
				Example: flows.T("bc_example_url"),
				Text:    true,
				Handle:  readURL,
			},
			"audience": {
				Prompt: func(*flows.Ctx) flows.Reply {
					r := flows.Say("bc_ask_audience").WithButtons(flows.Btn("bc_btn_all", "all"),
						flows.Btn("bc_btn_bykec", "kec"), flows.Btn("bc_btn_bysector", "sector"))
					if b.opt.Trainings != nil {
						r = r.WithButtons(flows.Btn("bc_btn_bytraining", "train"))
					}
					return r
				},
				Help:   flows.T("bc_help_audience"),
				Text:   true,
				Handle: b.readAudience,
			},
			"kec": {
				Prompt: kecPrompt,
				Help:   flows.T("bc_help_kec"),
				Text:   true,
				Handle: b.readKecamatan,
			},
			"sector": {
				Prompt: sectorPrompt,
				Help:   flows.T("bc_help_sector"),
				Text:   true,
				Handle: b.readSector,
			},
			"training": {
				Prompt: b.trainingPrompt,
				Help:   flows.T("bc_help_training"),
				Text:   true,
				Handle: b.readTraining,
			},
			"confirm": {
				Prompt: b.confirmPrompt,
				Help:   flows.T("bc_help_confirm"),
				Handle: b.readConfirm,
			},
		},
	}
}

// readText keeps the announcement with its formatting. After "Ubah teks"
// the audience is known already, so the preview follows at once.
func (b *bc) readText(c *flows.Ctx, _ flows.Input) (string, error) {
	body, err := bodyOf(c.Update)
	if err != nil {
		return flows.Stay, err
	}
	c.Set(kBody, body)
	if c.Get(kAud) == "" {
		return "texted", nil
	}
	a := storedAudience(c)
	n, err := b.camps.AudienceSize(c, a)
	if err != nil {
		return flows.Stay, err
	}
	if n == 0 {
		c.Say("bc_audience_empty", "Audience", audienceText(a))
		c.Del(kAud)
		return "texted", nil
	}
	b.preview(c, n)
	return "retexted", nil
}

// bodyOf returns the announcement as Telegram HTML: the transport's HTML
// (formatting kept), or the escaped text when the transport has none. Both
// the characters owners read and the HTML source (tags, link addresses,
// escapes) must fit one message.
func bodyOf(u flows.Update) (string, error) {
	if n := utf8.RuneCountInString(u.Text); n > maxBody {
		return "", flows.Invalid("bc_text_too_long", "Max", Num(maxBody), "Count", Num(n))
	}
	body := u.HTML
	if body == "" {
		body = escaper.Replace(u.Text)
	}
	if strings.TrimSpace(body) == "" {
		return "", flows.Invalid("bc_text_empty")
	}
	if utf16Len(body) > maxBodyHTML {
		return "", flows.Invalid("bc_text_too_rich")
	}
	return body, nil
}

func readButton(c *flows.Ctx, in flows.Input) (string, error) {
	switch in.Choice {
	case "none":
		c.Set(kButton, "")
		return "buttoned", nil
	case btnDaftar:
		c.Set(kButton, btnDaftar)
		return "buttoned", nil
	case btnURL:
		return "wanturl", nil
	}
	return flows.Stay, flows.Invalid("err_choose_button")
}

func readLabel(c *flows.Ctx, in flows.Input) (string, error) {
	label := strings.Join(strings.Fields(in.Text), " ")
	if label == "" || utf8.RuneCountInString(label) > maxLabel || strings.Contains(in.Text, "\n") {
		return flows.Stay, flows.Invalid("bc_label_invalid", "Max", maxLabel)
	}
	c.Set(kLabel, label)
	return "labelled", nil
}

func readURL(c *flows.Ctx, in flows.Input) (string, error) {
	u, ok := checkURL(in.Text)
	if !ok {
		return flows.Stay, flows.Invalid("bc_url_invalid")
	}
	c.Set(kURL, u)
	c.Set(kButton, btnURL)
	return "buttoned", nil
}

// checkURL accepts an https address with a host name that has a dot, no
// user info and nothing that would need escaping.
func checkURL(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > maxURL || strings.ContainsAny(s, " \t\r\n\"'<>\\`") {
		return "", false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return "", false
		}
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.User != nil || u.Opaque != "" {
		return "", false
	}
	host := u.Hostname()
	if !strings.Contains(host, ".") || strings.HasPrefix(host, ".") || strings.HasSuffix(host, ".") {
		return "", false
	}
	return s, true
}

func (b *bc) readAudience(c *flows.Ctx, in flows.Input) (string, error) {
	if in.Choice == "" {
		// "semua", "per kecamatan", "sektor kuliner" typed loosely.
		switch t := field.Normalize(in.Text); {
		case strings.Contains(t, "semua"), strings.Contains(t, "all"):
			in.Choice = "all"
		case strings.Contains(t, "kecamatan"), strings.Contains(t, "kec"):
			in.Choice = "kec"
		case strings.Contains(t, "sektor"), strings.Contains(t, "sector"):
			in.Choice = "sector"
		case strings.Contains(t, "pelatihan"), strings.Contains(t, "peserta"), strings.Contains(t, "training"):
			in.Choice = "train"
		}
	}
	switch in.Choice {
	case "all":
		return b.choose(c, store.Audience{})
	case "kec":
		c.Del(kPage)
		return "bykec", nil
	case "sector":
		return "bysector", nil
	case "train":
		if b.opt.Trainings != nil {
			return "bytraining", nil
		}
	}
	return flows.Stay, flows.Invalid("err_choose_button")
}

// kecPrompt shows one page of kecamatan, two to a row, with paging buttons.
func kecPrompt(c *flows.Ctx) flows.Reply {
	ks := field.Kecamatans()
	pages := (len(ks) + kecPage - 1) / kecPage
	page, _ := strconv.Atoi(c.Get(kPage))
	page = min(max(page, 0), pages-1)
	r := flows.Say("bc_ask_kec", "Page", page+1, "Pages", pages)
	var row []flows.Button
	for _, k := range ks[page*kecPage : min((page+1)*kecPage, len(ks))] {
		row = append(row, flows.Button{Label: flows.Raw(k.Name), Data: k.Code})
		if len(row) == 2 {
			r, row = r.WithRow(row...), nil
		}
	}
	if len(row) > 0 {
		r = r.WithRow(row...)
	}
	var nav []flows.Button
	if page > 0 {
		nav = append(nav, flows.Btn("btn_prev", "pg:"+strconv.Itoa(page-1)))
	}
	if page < pages-1 {
		nav = append(nav, flows.Btn("btn_next", "pg:"+strconv.Itoa(page+1)))
	}
	if len(nav) > 0 {
		r = r.WithRow(nav...)
	}
	return r
}

func (b *bc) readKecamatan(c *flows.Ctx, in flows.Input) (string, error) {
	if p, ok := strings.CutPrefix(in.Choice, "pg:"); ok {
		c.Set(kPage, p)
		c.Prompt()
		return flows.Stay, nil
	}
	code := in.Choice
	if code == "" {
		k, err := field.MatchKecamatan(in.Text)
		var fe *field.Error
		switch {
		case errors.As(err, &fe) && fe.Code == field.CodeKecamatanOutside:
			return flows.Stay, flows.Invalid("bc_kec_outside", "Name", fe.Data["Name"], "Region", fe.Data["Region"])
		case err != nil:
			return flows.Stay, flows.Invalid("bc_kec_unknown")
		}
		code = k.Code
	}
	if _, ok := field.KecamatanByCode(code); !ok {
		return flows.Stay, flows.Invalid("bc_kec_unknown")
	}
	return b.choose(c, store.Audience{Kecamatan: code})
}

// sectorPrompt shows the sectors, two to a row.
func sectorPrompt(*flows.Ctx) flows.Reply {
	r := flows.Say("bc_ask_sector")
	var row []flows.Button
	for _, s := range field.Sectors() {
		row = append(row, flows.Button{Label: sectorText(s.Key), Data: s.Key})
		if len(row) == 2 {
			r, row = r.WithRow(row...), nil
		}
	}
	if len(row) > 0 {
		r = r.WithRow(row...)
	}
	return r
}

func (b *bc) readSector(c *flows.Ctx, in flows.Input) (string, error) {
	key := in.Choice
	if key == "" {
		s, err := field.MatchSector(in.Text)
		if err != nil {
			return flows.Stay, flows.Invalid("bc_sector_unknown")
		}
		key = s.Key
	}
	for _, s := range field.Sectors() {
		if s.Key == key {
			return b.choose(c, store.Audience{Sector: key})
		}
	}
	return flows.Stay, flows.Invalid("bc_sector_unknown")
}

// choose counts the audience. Nobody to send to: it says so and asks again,
// and Kirim is never offered. Otherwise it keeps the audience, shows the
// preview and moves on to the confirmation.
func (b *bc) choose(c *flows.Ctx, a store.Audience) (string, error) {
	n, err := b.camps.AudienceSize(c, a)
	if err != nil {
		return flows.Stay, err
	}
	if n == 0 {
		c.Say("bc_audience_empty", "Audience", audienceText(a))
		c.Prompt()
		return flows.Stay, nil
	}
	c.Set(kAud, "1")
	c.Set(kKec, a.Kecamatan)
	c.Set(kSector, a.Sector)
	c.Set(kTrain, strconv.FormatInt(a.Training, 10))
	b.preview(c, n)
	return "chosen", nil
}

// preview sends the staff exactly the message owners will get.
func (b *bc) preview(c *flows.Ctx, n int) {
	if c.Get(kRun) == "" {
		// Saved with the preview, before Kirim can be tapped.
		c.Set(kRun, rand.Text())
	}
	c.Set(kCount, strconv.Itoa(n))
	c.Say("bc_preview_intro")
	c.Reply(ownerReply(c))
}

// storedAudience is the audience chosen in this flow.
func storedAudience(c *flows.Ctx) store.Audience {
	id, _ := strconv.ParseInt(c.Get(kTrain), 10, 64)
	return store.Audience{Kecamatan: c.Get(kKec), Sector: c.Get(kSector), Training: id}
}

// trainingPrompt lists the coming trainings to pick the participants of;
// one held earlier can be typed by its number.
func (b *bc) trainingPrompt(c *flows.Ctx) flows.Reply {
	list, _, err := b.opt.Trainings.Upcoming(c, c.Now, "", 0, 10)
	r := flows.Say("bc_ask_training", "None", err != nil || len(list) == 0)
	for _, t := range list {
		r = r.WithButtons(flows.Button{Label: flows.Raw("#" + strconv.FormatInt(t.ID, 10) + " " + t.Title),
			Data: strconv.FormatInt(t.ID, 10)})
	}
	return r
}

// readTraining takes a training by its button or its typed number.
func (b *bc) readTraining(c *flows.Ctx, in flows.Input) (string, error) {
	raw := in.Choice
	if raw == "" {
		raw = strings.TrimPrefix(strings.TrimSpace(in.Text), "#")
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return flows.Stay, flows.Invalid("bc_training_unknown")
	}
	if _, err := b.opt.Trainings.Training(c, id); errors.Is(err, store.ErrNotFound) {
		return flows.Stay, flows.Invalid("bc_training_unknown")
	} else if err != nil {
		return flows.Stay, err
	}
	return b.choose(c, store.Audience{Training: id})
}

// ownerReply is the announcement as every owner gets it: the body under
// the Dinas's header, the chosen button, and a button to stop
// announcements. It has no language: the header and the buttons are
// rendered in each owner's language when sent (the preview in the staff
// member's), the body stays as staff wrote it.
func ownerReply(c *flows.Ctx) flows.Reply {
	r := flows.Say("bc_message", "Body", flows.HTML(c.Get(kBody)))
	switch c.Get(kButton) {
	case btnURL:
		r = r.WithButtons(flows.Button{Label: flows.Raw(c.Get(kLabel)), URL: c.Get(kURL)})
	case btnDaftar:
		r = r.WithButtons(flows.Btn("bc_btn_daftar", "/daftar"))
	}
	return r.WithButtons(flows.Btn("bc_btn_stop", "/"+Unsubscribe))
}

func (b *bc) confirmPrompt(c *flows.Ctx) flows.Reply {
	n, _ := strconv.Atoi(c.Get(kCount))
	r := flows.Say("bc_confirm", "Count", Num(n), "Audience", audienceText(storedAudience(c)),
		"Duration", Duration(n, b.opt.Rate))
	if start := b.opt.startAt(c.Now); start.After(c.Now) {
		r.Text.Data["Quiet"] = flows.T("bc_quiet_note", "Start", flows.DateTime(start))
	}
	return r.WithRow(flows.Btn("bc_btn_send", "send")).
		WithRow(flows.Btn("bc_btn_edit", "edit"), flows.Btn("bc_btn_abort", "abort"))
}

func (b *bc) readConfirm(c *flows.Ctx, in flows.Input) (string, error) {
	switch in.Choice {
	case "send":
		return b.send(c)
	case "edit":
		return "edit", nil
	case "abort":
		c.Say("bc_aborted")
		return flows.End, nil
	}
	return flows.Stay, flows.Invalid("err_choose_button")
}

// send creates the campaign: the store freezes the audience into outbox
// rows that wait until StartAt. The outbox sender posts the progress message
// in this chat and keeps it up to date (ProgressReply).
func (b *bc) send(c *flows.Ctx) (string, error) {
	payload, err := flows.EncodeReply(ownerReply(c))
	if err != nil {
		return flows.Stay, err
	}
	a := storedAudience(c)
	start := b.opt.startAt(c.Now)
	camp, n, err := b.camps.CreateCampaign(c, store.Campaign{
		Key: "siaran:" + c.Get(kRun), CreatedBy: c.UserID(), Payload: payload, Audience: a, Status: store.CampaignRunning,
		StartAt: start, CreatedAt: c.Now, ProgressChat: c.ChatID(),
	})
	if err != nil {
		return flows.Stay, err
	}
	if n == 0 {
		// Everyone left the audience since it was counted; the store files
		// the campaign as done.
		c.Say("bc_created_empty", "ID", camp.ID, "Audience", audienceText(a))
		return flows.End, nil
	}
	when := flows.T("bc_when_now", "Duration", Duration(n, b.opt.Rate))
	if start.After(c.Now) {
		when = flows.T("bc_when_later", "Start", flows.DateTime(start))
	}
	c.Say("bc_created", "ID", camp.ID, "Count", Num(n), "Audience", audienceText(a), "When", when)
	return flows.End, nil
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
