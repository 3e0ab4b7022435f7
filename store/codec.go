package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// The session stores keep a Session and an Owed record in a compact
// binary form, read far faster than JSON and about half its size: every
// update of every chat reads and writes both. A session starts with
// "S1:<version>:" in ASCII, so that a Redis script can compare the version
// without decoding the rest; an owed record starts with "O1:". After the
// header come the fields in a fixed order: integers as varints, strings and
// byte strings with a uvarint length, maps (sorted by key) and lists with a
// uvarint count, times as a uvarint flag (0 = zero time) followed by Unix
// seconds and nanoseconds. Records written as JSON before this form (the
// stores' first encoding) are still read.
//
// A field added later goes in a new form ("S2:"), never in the middle of
// this one; the decoders keep reading the old forms.

const (
	sessionMagic = "S1:"
	owedMagic    = "O1:"
)

// ErrCorrupt says that stored bytes are not a session or owed record in any
// known form.
var ErrCorrupt = errors.New("corrupt record")

// EncodeSession returns s in the stores' compact form.
func EncodeSession(s *Session) []byte {
	b := make([]byte, 0, 128+16*len(s.Data))
	b = append(b, sessionMagic...)
	b = strconv.AppendInt(b, s.Version, 10)
	b = append(b, ':')
	b = binary.AppendVarint(b, s.ChatID)
	b = binary.AppendVarint(b, s.UserID)
	b = appendStr(b, s.Lang)
	b = appendStr(b, s.ClientLang)
	b = appendStr(b, s.Flow)
	b = binary.AppendVarint(b, int64(s.FlowVersion))
	b = appendStr(b, s.State)
	b = appendMap(b, s.Data)
	b = appendList(b, s.History)
	b = binary.AppendVarint(b, int64(s.Tries))
	b = appendStr(b, s.Then)
	b = binary.AppendUvarint(b, uint64(len(s.Drafts)))
	for _, name := range sortedKeys(s.Drafts) {
		d := s.Drafts[name]
		b = appendStr(b, name)
		b = binary.AppendVarint(b, int64(d.FlowVersion))
		b = appendStr(b, d.State)
		b = appendMap(b, d.Data)
		b = appendList(b, d.History)
		b = appendTime(b, d.SavedAt)
	}
	b = binary.AppendVarint(b, s.LastUpdate)
	b = appendTime(b, s.UpdatedAt)
	return b
}

// DecodeSession reads a session in the compact form or in JSON.
func DecodeSession(raw []byte) (*Session, error) {
	if !bytes.HasPrefix(raw, []byte(sessionMagic)) {
		var s Session
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("decode session: %w: %w", ErrCorrupt, err)
		}
		return &s, nil
	}
	r := reader{b: raw[len(sessionMagic):]}
	var s Session
	s.Version = r.header()
	s.ChatID = r.varint()
	s.UserID = r.varint()
	s.Lang = r.str()
	s.ClientLang = r.str()
	s.Flow = r.str()
	s.FlowVersion = r.int()
	s.State = r.str()
	s.Data = r.strMap()
	s.History = r.list()
	s.Tries = r.int()
	s.Then = r.str()
	if n := r.count(); n > 0 {
		s.Drafts = make(map[string]Draft, n)
		for range n {
			name := r.str()
			var d Draft
			d.FlowVersion = r.int()
			d.State = r.str()
			d.Data = r.strMap()
			d.History = r.list()
			d.SavedAt = r.time()
			s.Drafts[name] = d
		}
	}
	s.LastUpdate = r.varint()
	s.UpdatedAt = r.time()
	if err := r.done(); err != nil {
		return nil, fmt.Errorf("decode session: %w", err)
	}
	return &s, nil
}

// EncodeOwed returns o in the stores' compact form.
func EncodeOwed(o *Owed) []byte {
	b := make([]byte, 0, 32+len(o.Input)+len(o.Replies)+len(o.Undo))
	b = append(b, owedMagic...)
	b = binary.AppendVarint(b, o.Version)
	b = binary.AppendVarint(b, o.UpdateID)
	b = appendStr(b, string(o.Status))
	b = appendStr(b, o.Input)
	b = appendBytes(b, o.Replies)
	b = appendBytes(b, o.Undo)
	b = appendTime(b, o.At)
	return b
}

// DecodeOwed reads an owed record in the compact form or in JSON.
func DecodeOwed(raw []byte) (*Owed, error) {
	if !bytes.HasPrefix(raw, []byte(owedMagic)) {
		// The JSON form held the replies and the session to undo as JSON
		// values, not as strings of bytes.
		var o struct {
			Owed
			Replies json.RawMessage `json:"r,omitempty"`
			Undo    json.RawMessage `json:"undo,omitempty"`
		}
		if err := json.Unmarshal(raw, &o); err != nil {
			return nil, fmt.Errorf("decode owed: %w: %w", ErrCorrupt, err)
		}
		o.Owed.Replies, o.Owed.Undo = o.Replies, o.Undo
		return &o.Owed, nil
	}
	r := reader{b: raw[len(owedMagic):]}
	var o Owed
	o.Version = r.varint()
	o.UpdateID = r.varint()
	o.Status = OwedStatus(r.str())
	o.Input = r.str()
	o.Replies = r.bytes()
	o.Undo = r.bytes()
	o.At = r.time()
	if err := r.done(); err != nil {
		return nil, fmt.Errorf("decode owed: %w", err)
	}
	return &o, nil
}

func appendStr(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendBytes(b, p []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(p)))
	return append(b, p...)
}

func appendMap(b []byte, m map[string]string) []byte {
	b = binary.AppendUvarint(b, uint64(len(m)))
	for _, k := range sortedKeys(m) {
		b = appendStr(b, k)
		b = appendStr(b, m[k])
	}
	return b
}

func appendList(b []byte, l []string) []byte {
	b = binary.AppendUvarint(b, uint64(len(l)))
	for _, s := range l {
		b = appendStr(b, s)
	}
	return b
}

func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(b, 0)
	}
	b = append(b, 1)
	b = binary.AppendVarint(b, t.Unix())
	return binary.AppendUvarint(b, uint64(t.Nanosecond()))
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// reader reads the compact form; the first fault sticks, and every read
// after it returns a zero value.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: bad %s", ErrCorrupt, what)
	}
	r.b = nil
}

// header reads the session version and the ':' after it.
func (r *reader) header() int64 {
	i := bytes.IndexByte(r.b, ':')
	if i < 0 {
		r.fail("header")
		return 0
	}
	v, err := strconv.ParseInt(string(r.b[:i]), 10, 64)
	if err != nil {
		r.fail("header")
		return 0
	}
	r.b = r.b[i+1:]
	return v
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail("integer")
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) int() int {
	return int(r.varint())
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail("length")
		return 0
	}
	r.b = r.b[n:]
	return v
}

// count reads a length and checks it against what is left (each element
// takes at least a byte), so that a corrupt count allocates nothing large.
func (r *reader) count() int {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.fail("length")
		return 0
	}
	return int(n)
}

func (r *reader) raw() []byte {
	n := r.count()
	p := r.b[:n]
	r.b = r.b[n:]
	return p
}

func (r *reader) str() string {
	return string(r.raw())
}

func (r *reader) bytes() []byte {
	if p := r.raw(); len(p) > 0 {
		return bytes.Clone(p)
	}
	return nil
}

func (r *reader) strMap() map[string]string {
	n := r.count()
	if n == 0 {
		return nil
	}
	m := make(map[string]string, n)
	for range n {
		k := r.str()
		m[k] = r.str()
	}
	return m
}

func (r *reader) list() []string {
	n := r.count()
	if n == 0 {
		return nil
	}
	l := make([]string, n)
	for i := range l {
		l[i] = r.str()
	}
	return l
}

func (r *reader) time() time.Time {
	if len(r.b) == 0 {
		r.fail("time")
		return time.Time{}
	}
	set := r.b[0]
	r.b = r.b[1:]
	switch set {
	case 0:
		return time.Time{}
	case 1:
		sec := r.varint()
		ns := r.uvarint()
		if ns >= 1e9 {
			r.fail("time")
			return time.Time{}
		}
		return time.Unix(sec, int64(ns)).UTC()
	default:
		r.fail("time")
		return time.Time{}
	}
}

// done reports the first fault, or bytes left over.
func (r *reader) done() error {
	if r.err == nil && len(r.b) > 0 {
		r.err = fmt.Errorf("%w: %d bytes left over", ErrCorrupt, len(r.b))
	}
	return r.err
}
