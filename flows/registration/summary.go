package registration

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/field"
	"github.com/diskum-tangerang/umkmbot/store"
)

// record builds the registration the data describes, with its class.
func (b *builder) record(c *flows.Ctx) store.Registration {
	n := nik(c)
	class, basis := b.classify(c)
	consentAt, _ := time.Parse(time.RFC3339, c.Get(kConsentAt))
	return store.Registration{
		Number:          c.Get(kNumber),
		UserID:          c.UserID(),
		OwnerName:       c.Get(kName),
		NIK:             n.Digits,
		BirthDate:       n.BirthDate,
		Female:          n.Female,
		Phone:           c.Get(kPhone),
		BusinessName:    c.Get(kBiz),
		Sector:          c.Get(kSector),
		Products:        c.Get(kProducts),
		Kecamatan:       c.Get(kKec),
		Desa:            c.Get(kDesa),
		Address:         c.Get(kAddress),
		YearStarted:     int(atoi64(c.Get(kYear))),
		Workers:         int(atoi64(c.Get(kWorkers))),
		Capital:         atoi64(c.Get(kCapital)),
		Turnover:        atoi64(c.Get(kOmzet)),
		TurnoverMonthly: c.Get(kOmzetMonth) != "",
		Class:           string(class),
		ClassBasis:      string(basis),
		NIB:             c.Get(kNIB),
		Halal:           c.Get(kHalal),
		ConsentVersion:  c.Get(kConsentV),
		ConsentAt:       consentAt,
	}
}

// load puts a saved registration into the data, for a correction.
func load(c *flows.Ctx, r store.Registration) {
	omzetKnown, month := "1", ""
	if r.ClassBasis == string(field.BasisModal) {
		omzetKnown = "0"
	}
	if r.TurnoverMonthly {
		month = strconv.FormatInt(r.Turnover/12, 10)
	}
	consentAt := ""
	if !r.ConsentAt.IsZero() {
		consentAt = r.ConsentAt.UTC().Format(time.RFC3339Nano)
	}
	hon := "bapak"
	if r.Female {
		hon = "ibu"
	}
	for k, v := range map[string]string{
		kNumber: r.Number, kName: r.OwnerName, kNIK: r.NIK, kBirth: r.BirthDate.Format(time.DateOnly),
		kFemale: boolStr(r.Female), kHon: hon, kPhone: r.Phone, kBiz: r.BusinessName, kSector: r.Sector,
		kProducts: r.Products, kKec: r.Kecamatan, kDesa: r.Desa, kAddress: r.Address,
		kYear: strconv.Itoa(r.YearStarted), kWorkers: strconv.Itoa(r.Workers),
		kCapital: strconv.FormatInt(r.Capital, 10), kOmzet: strconv.FormatInt(r.Turnover, 10),
		kOmzetKnown: omzetKnown, kOmzetMonth: month, kNIB: r.NIB, kHalal: r.Halal,
		kConsentV: r.ConsentVersion, kConsentAt: consentAt, kEditing: "1",
	} {
		c.Set(k, v)
	}
}

// Details describes a registration to its owner: every field, one per
// line, with the NIK as given (masked by the caller).
func Details(r store.Registration, nik string) flows.Text {
	desa := flows.T("reg_value_empty")
	if d, ok := field.DesaByCode(r.Desa); ok {
		desa = flows.Raw(d.Name)
	}
	nib := flows.T("btn_nib_none")
	if r.NIB != "" {
		nib = flows.Raw(r.NIB)
	}
	return flows.T("reg_details",
		"Name", r.OwnerName, "NIK", nik, "Birth", flows.Date(r.BirthDate), "Gender", genderText(r.Female),
		"Phone", field.FormatPhone(r.Phone), "Business", r.BusinessName, "Sector", SectorText(r.Sector),
		"Products", r.Products, "Kecamatan", KecamatanName(r.Kecamatan), "Desa", desa, "Address", r.Address,
		"Year", r.YearStarted, "Workers", r.Workers, "Capital", flows.Rupiah(r.Capital),
		"Turnover", turnoverText(r), "Class", classText(r.Class), "Basis", basisText(r.ClassBasis),
		"NIB", nib, "Halal", halalText(r.Halal))
}

// turnoverText is the turnover as the summary shows it.
func turnoverText(r store.Registration) flows.Text {
	switch {
	case r.ClassBasis == string(field.BasisModal):
		return flows.T("reg_turnover_unknown")
	case r.TurnoverMonthly:
		return flows.T("reg_turnover_monthly", "Month", flows.Rupiah(r.Turnover/12), "Year", flows.Rupiah(r.Turnover))
	}
	return flows.T("reg_turnover_yearly", "Year", flows.Rupiah(r.Turnover))
}

func (b *builder) summaryStep() *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			r := b.record(c)
			details := Details(r, nik(c).Masked())
			msg := flows.Say("reg_summary", "Details", details)
			if b.edit {
				msg = flows.Say("reg_edit_summary", "Number", r.Number, "Details", details)
			}
			return msg.WithRow(flows.Btn("btn_save", "save"), flows.Btn("btn_change", "edit"))
		},
		Help:    flows.T("reg_help_summary"),
		Example: flows.T("reg_ex_summary"),
		Text:    true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			answer := yesNo(in, "save", "edit")
			if answer == "" && field.IsSave(in.Text) { // "simpan aja", "simpen"
				answer = "save"
			}
			switch answer {
			case "save":
				if b.edit {
					return b.update(c)
				}
				return b.create(c)
			case "edit":
				return evEdit, nil
			}
			return flows.Stay, flows.Invalid("reg_summary_choose")
		},
	}
}

// create saves a new registration once per run: the run's key makes a
// retry of the same "Simpan" (a redelivery after a failure) return the
// record saved the first time.
func (b *builder) create(c *flows.Ctx) (string, error) {
	cons, ok, err := b.consent(c)
	if err != nil {
		return "", err
	}
	if !ok {
		c.Say("reg_consent_missing")
		return evConsent, nil
	}
	ensureKey(c)
	r := b.record(c)
	r.ConsentVersion, r.ConsentAt = cons.NoticeVersion, cons.At
	saved, _, err := b.regs.CreateRegistration(c, c.Get(kKey), r)
	if errors.Is(err, store.ErrConflict) {
		c.Say("reg_duplicate", "Number", saved.Number, "Business", saved.BusinessName)
		return b.done(c)
	}
	if err != nil {
		return "", err
	}
	next := flows.T("reg_next_nib")
	if saved.NIB != "" {
		next = flows.T("reg_next_training")
	}
	c.Say("reg_saved", "Number", saved.Number, "Hon", hon(c), "Phone", field.FormatPhone(saved.Phone), "Next", next)
	return b.done(c)
}

// update saves a correction; the store audits which fields changed.
func (b *builder) update(c *flows.Ctx) (string, error) {
	r := b.record(c)
	err := b.regs.UpdateRegistration(c, c.UserID(), r)
	switch {
	case errors.Is(err, store.ErrNotFound):
		c.Say("reg_edit_gone", "Number", r.Number)
		return b.end(c)
	case errors.Is(err, store.ErrConflict):
		return flows.Stay, flows.Invalid("reg_edit_conflict")
	case err != nil:
		return "", err
	}
	c.Say("reg_updated", "Number", r.Number)
	return b.end(c)
}

func (b *builder) editPickStep() *flows.Step {
	return &flows.Step{
		Prompt: func(c *flows.Ctx) flows.Reply {
			r := flows.Say("reg_editpick")
			for i := 0; i < len(editable); i += 2 {
				var row []flows.Button
				for _, f := range editable[i:min(len(editable), i+2)] {
					row = append(row, flows.Btn(f.label, f.state))
				}
				r = r.WithRow(row...)
			}
			return r.WithRow(flows.Btn("btn_to_summary", "back"))
		},
		Help:    flows.T("reg_help_editpick"),
		Example: flows.T("reg_ex_editpick"),
		Text:    true,
		Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
			choice := in.Choice
			if choice == "" {
				choice = typedField(in.Text)
			}
			if choice == "back" {
				return evSummary, nil
			}
			for _, f := range editable {
				if f.state == choice {
					c.Set(kEditing, "1")
					return evTo + f.state, nil
				}
			}
			return flows.Stay, flows.Invalid("reg_editpick_choose")
		},
	}
}

// fieldWords are the words owners type for the fields they want to change
// ("ubah alamat", "nomor hp salah").
var fieldWords = []struct{ state, words string }{
	{stBiz, "nama usaha|nama toko|nama warung|usaha"},
	{stName, "nama|nama saya|nama pemilik|pemilik"},
	{stNIK, "nik|ktp|tanggal lahir|jenis kelamin"},
	{stPhone, "hp|nomor hp|no hp|nomor|telepon|telpon|wa|whatsapp"},
	{stSector, "sektor|bidang|jenis usaha"},
	{stProducts, "produk|jualan|barang|jasa"},
	{stKec, "kecamatan|kec"},
	{stDesa, "desa|kelurahan|desa kelurahan"},
	{stAddress, "alamat"},
	{stYear, "tahun|tahun mulai"},
	{stWorkers, "tenaga kerja|karyawan|pekerja"},
	{stCapital, "modal|modal usaha"},
	{stTurnover, "omzet|omset|penjualan"},
	{stNIB, "nib"},
	{stHalal, "halal|sertifikat halal|status halal"},
}

// typedField finds the field a typed answer names, with "ubah", "ganti" or
// "perbaiki" in front or not. An owner done with changes ("simpan aja",
// "selesai", "gak ada": field.IsDone) gets "back", the summary again: its
// Simpan button saves, nothing else does.
func typedField(s string) string {
	if field.IsDone(s) {
		return "back"
	}
	t := field.Normalize(s)
	for _, verb := range []string{"ubah ", "ganti ", "perbaiki ", "edit "} {
		t = strings.TrimPrefix(t, verb)
	}
	for _, f := range fieldWords {
		for _, w := range strings.Split(f.words, "|") {
			if t == w {
				return f.state
			}
		}
	}
	return ""
}
