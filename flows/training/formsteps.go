package training

import (
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/field"
)

// Bounds of the form's texts, in characters.
const (
	minTitle, maxTitle = 5, 120
	minDesc, maxDesc   = 10, 1000
	minPlace, maxPlace = 5, 200
	maxURL             = 300
	// MaxCapacity bounds a training's seats.
	MaxCapacity = 10000
)

func (b *tr) topicStep() *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			return flows.Say("train_new_topic").
				WithRow(topicButtonKey(0), topicButtonKey(1)).
				WithRow(topicButtonKey(2), topicButtonKey(3))
		},
		Help: flows.T("train_help_topic"),
		Text: true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			key := in.Choice
			if key == "" {
				key, _ = typedTopic(in.Text)
			}
			for _, t := range topics {
				if t.key == key {
					c.Set(kTopic, key)
					return next(c), nil
				}
			}
			return flows.Stay, flows.Invalid("train_topic_choose")
		},
	}
}

// topicButtonKey is the button of topics[i], its choice the topic key.
func topicButtonKey(i int) flows.Button {
	return flows.Button{Label: flows.T(topics[i].label), Data: topics[i].key}
}

// oneLine collapses the white space of a typed text.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func (b *tr) titleStep() *flows.Step {
	return &flows.Step{
		Prompt:  func(c *flows.Ctx) flows.Reply { return flows.Say("train_new_title") },
		Help:    flows.T("train_help_title"),
		Example: flows.T("train_ex_title"),
		Text:    true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			title := oneLine(in.Text)
			if n := utf8.RuneCountInString(title); n < minTitle || n > maxTitle {
				return flows.Stay, flows.Invalid("train_title_length", "Min", minTitle, "Max", maxTitle)
			}
			c.Set(kTitle, title)
			return next(c), nil
		},
	}
}

func (b *tr) descStep() *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			return flows.Say("train_new_desc").WithRow(flows.Btn("btn_skip", "skip"))
		},
		Help: flows.T("train_help_desc"),
		Text: true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			if in.Choice == "skip" || field.IsSkip(in.Text) {
				c.Set(kDesc, "")
				return next(c), nil
			}
			desc := strings.TrimSpace(in.Text)
			if n := utf8.RuneCountInString(desc); n < minDesc || n > maxDesc {
				return flows.Stay, flows.Invalid("train_desc_length", "Min", minDesc, "Max", maxDesc)
			}
			c.Set(kDesc, desc)
			return next(c), nil
		},
	}
}

func (b *tr) startStep() *flows.Step {
	return &flows.Step{
		Prompt:  func(c *flows.Ctx) flows.Reply { return flows.Say("train_new_start") },
		Help:    flows.T("train_help_start"),
		Example: flows.T("train_ex_start"),
		Text:    true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			start, err := ParseDateTime(in.Text, c.Now)
			if err != nil {
				return flows.Stay, err
			}
			if err := checkStart(start, c.Now); err != nil {
				return flows.Stay, err
			}
			c.Say("train_start_ok", "Start", flows.DateTime(start))
			b.moveStart(c, start)
			return next(c), nil
		},
	}
}

// moveStart sets a new start. A form that had an end keeps its length; a
// default deadline follows the start, and a typed one that no longer fits
// goes back to the default, with a word to the staff.
func (b *tr) moveStart(c *flows.Ctx, start time.Time) {
	old, end := timeData(c, kStart), timeData(c, kEnd)
	setTime(c, kStart, start)
	if c.Get(kEnd) != "" && end.After(old) {
		setTime(c, kEnd, start.Add(end.Sub(old)))
	}
	if c.Get(kDeadline) == "" {
		return
	}
	if c.Get(kDLAuto) == "1" {
		setTime(c, kDeadline, defaultDeadline(start, c.Now))
		return
	}
	if checkDeadline(timeData(c, kDeadline), start, c.Now) != nil {
		dl := defaultDeadline(start, c.Now)
		setTime(c, kDeadline, dl)
		c.Set(kDLAuto, "1")
		c.Say("train_deadline_reset", "Deadline", flows.DateTime(dl))
	}
}

func (b *tr) endStep() *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			return flows.Say("train_new_end", "Default", flows.Clock(defaultEnd(timeData(c, kStart)))).
				WithRow(flows.Btn("train_btn_end_default", "default"))
		},
		Help:    flows.T("train_help_end"),
		Example: flows.T("train_ex_end"),
		Text:    true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			start := timeData(c, kStart)
			end := defaultEnd(start)
			if in.Choice != "default" && !field.IsSkip(in.Text) {
				var err error
				if end, err = parseEnd(in.Text, start); err != nil {
					return flows.Stay, err
				}
			}
			setTime(c, kEnd, end)
			return next(c), nil
		},
	}
}

func (b *tr) placeStep() *flows.Step {
	return &flows.Step{
		Prompt:  func(c *flows.Ctx) flows.Reply { return flows.Say("train_new_place") },
		Help:    flows.T("train_help_place"),
		Example: flows.T("train_ex_place"),
		Text:    true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			s := strings.TrimSpace(in.Text)
			lower := strings.ToLower(s)
			if strings.HasPrefix(lower, "http") || strings.HasPrefix(lower, "www.") {
				link, ok := checkURL(s)
				if !ok {
					return flows.Stay, flows.Invalid("train_link_invalid")
				}
				c.Set(kLink, link)
				c.Set(kPlace, "")
				return next(c), nil
			}
			place := oneLine(s)
			if n := utf8.RuneCountInString(place); n < minPlace || n > maxPlace {
				return flows.Stay, flows.Invalid("train_place_length", "Min", minPlace, "Max", maxPlace)
			}
			c.Set(kPlace, place)
			c.Set(kLink, "")
			return next(c), nil
		},
	}
}

// checkURL accepts an https address with a host name that has a dot and
// nothing that would need escaping.
func checkURL(s string) (string, bool) {
	if len(s) > maxURL || strings.ContainsAny(s, " \t\r\n\"'<>\\`") {
		return "", false
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

func (b *tr) capStep() *flows.Step {
	return &flows.Step{
		Prompt:  func(c *flows.Ctx) flows.Reply { return flows.Say("train_new_cap") },
		Help:    flows.T("train_help_cap"),
		Example: flows.T("train_ex_cap"),
		Text:    true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			n, ok := parseCapacity(in.Text)
			if !ok {
				return flows.Stay, flows.Invalid("train_cap_invalid", "Max", MaxCapacity)
			}
			c.Set(kCap, strconv.Itoa(n))
			if n == 0 {
				return "zero", nil
			}
			return next(c), nil
		},
	}
}

// capacityWords may surround the number of seats: "30 orang", "kuota 25".
var capacityWords = map[string]bool{"orang": true, "peserta": true, "kursi": true, "kuota": true,
	"maks": true, "maksimal": true, "maximal": true, "sebanyak": true, "seats": true, "people": true}

// parseCapacity reads a whole number of seats from 0 to MaxCapacity.
func parseCapacity(s string) (int, bool) {
	if strings.ContainsAny(s, "-−") {
		return 0, false
	}
	var num string
	for _, w := range strings.Fields(field.Normalize(strings.ReplaceAll(s, ".", ""))) {
		switch {
		case capacityWords[w]:
		case num == "" && isNumber(w):
			num = w
		default:
			return 0, false
		}
	}
	if num == "" || len(num) > 6 {
		return 0, false
	}
	n, err := strconv.Atoi(num)
	if err != nil || n > MaxCapacity {
		return 0, false
	}
	return n, true
}

func (b *tr) cap0Step() *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			return flows.Say("train_cap0_ask").
				WithRow(flows.Btn("train_btn_cap0_yes", "yes"), flows.Btn("train_btn_cap0_no", "no"))
		},
		Help:   flows.T("train_help_cap0"),
		Text:   true,
		NoBack: true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			switch yesNo(in, "yes", "no") {
			case "yes":
				if c.Get(kEditing) == "1" {
					return "summary", nil
				}
				return "next", nil
			case "no":
				return "recap", nil
			}
			return flows.Stay, flows.Invalid("train_cap0_choose")
		},
	}
}

func (b *tr) deadlineStep() *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			dl := defaultDeadline(timeData(c, kStart), c.Now)
			return flows.Say("train_new_deadline", "Default", flows.DateTime(dl)).
				WithRow(flows.Btn("train_btn_deadline_default", "default"))
		},
		Help:    flows.T("train_help_deadline"),
		Example: flows.T("train_ex_deadline"),
		Text:    true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			start := timeData(c, kStart)
			if in.Choice == "default" || field.IsSkip(in.Text) {
				setTime(c, kDeadline, defaultDeadline(start, c.Now))
				c.Set(kDLAuto, "1")
				return next(c), nil
			}
			dl, err := parseDeadline(in.Text, c.Now)
			if err != nil {
				return flows.Stay, err
			}
			if err := checkDeadline(dl, start, c.Now); err != nil {
				return flows.Stay, err
			}
			setTime(c, kDeadline, dl)
			c.Set(kDLAuto, "")
			return next(c), nil
		},
	}
}
