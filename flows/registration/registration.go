// Package registration holds the business registration conversation of
// umkmbot (/daftar), the owner's correction of a saved registration
// (/ubahdata), and the CSV format staff export registrations in. It is a
// leaf of flows: it imports flows, flows/field and store, and cmd wires it
// with a store.RegistrationStore. flows/datarights uses its Details,
// KecamatanKeyboard and WriteCSV.
//
// The form's answers live in the session's data as strings (keys k*
// below), so that a half-filled form survives restarts as a draft. Once
// the owner has reached the summary, the data key "editing" is set and
// every answer returns to the summary instead of the next question.
package registration

import (
	"crypto/rand"
	"errors"
	"time"

	"github.com/looplab/fsm"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/field"
	"github.com/diskum-tangerang/umkmbot/store"
)

// Flow names.
const (
	Name     = "reg"
	EditName = "regedit"
)

// Purpose is the consent purpose the registration asks for.
const Purpose = "registration"

// Options configures the registration flows.
type Options struct {
	// ConsentVersion names the privacy notice owners agree to; it is
	// recorded with each consent and shown in the notice. Default "1".
	ConsentVersion string
	// Criteria are the size-class bounds; the zero value means
	// field.PP7_2021.
	Criteria field.Criteria
	// Menu is the flow shown when a flow ends; default "menu".
	Menu string
}

// States.
const (
	stConsent  = "consent"
	stName     = "name"
	stNIK      = "nik"
	stNIKOK    = "nikok"
	stPhone    = "phone"
	stBiz      = "biz"
	stSector   = "sector"
	stProducts = "products"
	stKec      = "kec"
	stDesa     = "desa"
	stAddress  = "address"
	stYear     = "year"
	stWorkers  = "workers"
	stCapital  = "capital"
	stTurnover = "turnover"
	stBesar    = "besar"
	stOmzetOK  = "omzetok" // an implausibly small turnover, confirmed
	stAddrOK   = "addrok"  // the address, after the kecamatan changed
	stNIB      = "nib"
	stHalal    = "halal"
	stSummary  = "summary"
	stEditPick = "editpick"
	stPick     = "pick"
)

// Events.
const (
	evNext      = "next"
	evRetry     = "retry"
	evBesar     = "besar"
	evSummary   = "summary"
	evEdit      = "edit"
	evFixOmz    = "fix_turnover"
	evFixCap    = "fix_capital"
	evCheckOmz  = "check_turnover"
	evCheckAddr = "check_address"
	evFixAddr   = "fix_address"
	evConsent   = "reconsent"
	evTo        = "to_" // + state, from the field keyboard
)

// order is the sequence of the form; "next" moves along it.
var order = []string{stConsent, stName, stNIK, stNIKOK, stPhone, stBiz, stSector, stProducts,
	stKec, stDesa, stAddress, stYear, stWorkers, stCapital, stTurnover, stNIB, stHalal, stSummary}

// editable are the fields the summary's "Ubah" offers, in keyboard order,
// with their button labels.
var editable = []struct{ state, label string }{
	{stName, "btn_edit_name"}, {stNIK, "btn_edit_nik"}, {stPhone, "btn_edit_phone"},
	{stBiz, "btn_edit_biz"}, {stSector, "btn_edit_sector"}, {stProducts, "btn_edit_products"},
	{stKec, "btn_edit_kec"}, {stDesa, "btn_edit_desa"}, {stAddress, "btn_edit_address"},
	{stYear, "btn_edit_year"}, {stWorkers, "btn_edit_workers"}, {stCapital, "btn_edit_capital"},
	{stTurnover, "btn_edit_turnover"}, {stNIB, "btn_edit_nib"}, {stHalal, "btn_edit_halal"},
}

// Data keys.
const (
	kKey        = "key" // idempotency key of this run's registration
	kName       = "name"
	kNIK        = "nik"
	kBirth      = "birth" // 2006-01-02
	kFemale     = "female"
	kHon        = "hon" // "ibu" or "bapak" once the NIK is confirmed
	kPhone      = "phone"
	kBiz        = "biz"
	kSector     = "sector"
	kProducts   = "products"
	kKec        = "kec"
	kDesa       = "desa"
	kAddress    = "address"
	kYear       = "year"
	kWorkers    = "workers"
	kCapital    = "capital"
	kOmzet      = "omzet"       // per year
	kOmzetKnown = "omzet_known" // "1" or "0"
	kOmzetMonth = "omzet_month" // the monthly figure typed, or ""
	kNIB        = "nib"
	kHalal      = "halal"
	kPage       = "page"    // kecamatan keyboard page
	kEditing    = "editing" // "1" once the summary was reached
	kNumber     = "number"  // the registration being corrected
	kConsentV   = "consent_v"
	kConsentAt  = "consent_at" // RFC 3339
	kChoices    = "choices"    // registrations offered for correction (JSON)
	kKecMoved   = "kec_moved"  // "1": the kecamatan changed from the summary, the address is to be checked
)

// wib is Western Indonesia Time: dates the owner sees are WIB dates.
var wib = time.FixedZone("WIB", 7*60*60)

// today is the engine's clock in WIB.
func today(c *flows.Ctx) time.Time { return c.Now.In(wib) }

// builder holds what the steps need.
type builder struct {
	regs store.RegistrationStore
	opt  Options
	edit bool // the correction flow
}

func newBuilder(regs store.RegistrationStore, opt Options, edit bool) *builder {
	if opt.ConsentVersion == "" {
		opt.ConsentVersion = "1"
	}
	if opt.Criteria == (field.Criteria{}) {
		opt.Criteria = field.PP7_2021
	}
	if opt.Menu == "" {
		opt.Menu = "menu"
	}
	return &builder{regs: regs, opt: opt, edit: edit}
}

// New returns the registration flow (/daftar).
func New(regs store.RegistrationStore, opt Options) *flows.Flow {
	b := newBuilder(regs, opt, false)
	return &flows.Flow{
		Name:      Name,
		Version:   1,
		Title:     flows.T("reg_title"),
		Start:     stConsent,
		Commands:  []string{"daftar"},
		KeepDraft: true,
		Events:    b.events(),
		Steps:     b.steps(),
		Enter:     b.enter,
	}
}

// NewEdit returns the correction flow (/ubahdata): the owner picks one of
// their registrations, sees its summary, changes fields and saves.
func NewEdit(regs store.RegistrationStore, opt Options) *flows.Flow {
	b := newBuilder(regs, opt, true)
	steps := b.steps()
	delete(steps, stConsent)
	steps[stPick] = b.pickStep()
	return &flows.Flow{
		Name:     EditName,
		Version:  1,
		Title:    flows.T("reg_edit_title"),
		Start:    stPick,
		Commands: []string{"ubahdata"},
		Events:   b.events(),
		Steps:    steps,
		Enter:    b.enterEdit,
	}
}

// events is the transition table: the form's sequence, the way back to the
// summary from every field, and the summary's field keyboard.
func (b *builder) events() fsm.Events {
	var evs fsm.Events
	seq := order
	if b.edit {
		seq = order[1:]
		evs = append(evs, fsm.EventDesc{Name: evNext, Src: []string{stPick}, Dst: stSummary})
	} else {
		evs = append(evs, fsm.EventDesc{Name: evConsent, Src: []string{stSummary}, Dst: stConsent})
	}
	for i := 0; i+1 < len(seq); i++ {
		evs = append(evs, fsm.EventDesc{Name: evNext, Src: []string{seq[i]}, Dst: seq[i+1]})
	}
	back := []string{stNIKOK, stEditPick, stOmzetOK, stAddrOK}
	if !b.edit {
		back = append(back, stConsent)
	}
	for _, f := range editable {
		back = append(back, f.state)
		evs = append(evs, fsm.EventDesc{Name: evTo + f.state, Src: []string{stEditPick}, Dst: f.state})
	}
	return append(evs,
		fsm.EventDesc{Name: evSummary, Src: back, Dst: stSummary},
		fsm.EventDesc{Name: evEdit, Src: []string{stSummary}, Dst: stEditPick},
		fsm.EventDesc{Name: evRetry, Src: []string{stNIKOK}, Dst: stNIK},
		fsm.EventDesc{Name: evBesar, Src: []string{stCapital, stTurnover, stOmzetOK}, Dst: stBesar},
		fsm.EventDesc{Name: evFixOmz, Src: []string{stBesar, stOmzetOK}, Dst: stTurnover},
		fsm.EventDesc{Name: evCheckOmz, Src: []string{stTurnover, stOmzetOK}, Dst: stOmzetOK},
		fsm.EventDesc{Name: evNext, Src: []string{stOmzetOK}, Dst: stNIB},
		fsm.EventDesc{Name: evCheckAddr, Src: []string{stDesa}, Dst: stAddrOK},
		fsm.EventDesc{Name: evFixAddr, Src: []string{stAddrOK}, Dst: stAddress},
		fsm.EventDesc{Name: evFixCap, Src: []string{stBesar}, Dst: stCapital},
	)
}

// steps returns the behaviour of every state but the correction's pick.
func (b *builder) steps() map[string]*flows.Step {
	return map[string]*flows.Step{
		stConsent:  b.consentStep(),
		stName:     b.nameStep(),
		stNIK:      b.nikStep(),
		stNIKOK:    b.nikOKStep(),
		stPhone:    b.phoneStep(),
		stBiz:      b.bizStep(),
		stSector:   b.sectorStep(),
		stProducts: b.productsStep(),
		stKec:      b.kecStep(),
		stDesa:     b.desaStep(),
		stAddress:  b.addressStep(),
		stYear:     b.yearStep(),
		stWorkers:  b.workersStep(),
		stCapital:  b.capitalStep(),
		stTurnover: b.turnoverStep(),
		stBesar:    b.besarStep(),
		stOmzetOK:  b.turnoverCheckStep(),
		stAddrOK:   b.addressCheckStep(),
		stNIB:      b.nibStep(),
		stHalal:    b.halalStep(),
		stSummary:  b.summaryStep(),
		stEditPick: b.editPickStep(),
	}
}

// next is the event after a field was answered: the next question while
// the form is being filled in, the summary once it was reached. It also
// gives the run its idempotency key at the first answer, so that the key
// is saved with the draft long before "Simpan".
func (b *builder) next(c *flows.Ctx) (string, error) {
	if !b.edit {
		ensureKey(c)
	}
	if c.Get(kEditing) == "1" {
		return evSummary, nil
	}
	return evNext, nil
}

// ensureKey gives the run its idempotency key, once.
func ensureKey(c *flows.Ctx) {
	if c.Get(kKey) == "" {
		c.Set(kKey, rand.Text())
	}
}

// done finishes a flow that left the owner registered: it goes on with what
// waited for the registration (c.Then, e.g. a booking), or the menu.
func (b *builder) done(c *flows.Ctx) (string, error) {
	c.Next(b.opt.Menu)
	return flows.End, nil
}

// end finishes the flow and shows the menu.
func (b *builder) end(c *flows.Ctx) (string, error) {
	c.Switch(b.opt.Menu, "")
	return flows.End, nil
}

// enter skips the privacy notice for an owner who already agreed to this
// version of it (a second business).
func (b *builder) enter(c *flows.Ctx) (string, error) {
	cons, ok, err := b.consent(c)
	if err != nil || !ok || cons.NoticeVersion != b.opt.ConsentVersion {
		return "", err
	}
	c.Say("reg_consent_known", "At", flows.DateTime(cons.At), "Version", cons.NoticeVersion)
	return stName, nil
}

// consent returns the owner's latest answer to the registration notice.
func (b *builder) consent(c *flows.Ctx) (store.Consent, bool, error) {
	cons, err := b.regs.LatestConsent(c, c.UserID(), Purpose)
	if errors.Is(err, store.ErrNotFound) {
		return store.Consent{}, false, nil
	}
	if err != nil {
		return store.Consent{}, false, err
	}
	return cons, cons.Granted, nil
}
