package main

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows/field"
)

// Answer is how an owner answers one question: a typed text, a tap on the
// inline button whose choice is Tap, or a phone shared with the contact
// button.
type Answer struct {
	Text    string
	Tap     string
	Contact string
}

func (a Answer) String() string {
	switch {
	case a.Tap != "":
		return "tap " + a.Tap
	case a.Contact != "":
		return "contact " + a.Contact
	}
	return strconv.Quote(a.Text)
}

// Record is a registration as the bot is expected to store it: the values
// the owner gave, normalised the way the bot stores them.
type Record struct {
	OwnerName       string
	NIK             string
	BirthDate       string // 2006-01-02
	Female          bool
	Phone           string // E.164
	BusinessName    string
	Sector          string
	Products        string
	Kecamatan       string // 6-digit code
	Desa            string // 10-digit code, or ""
	Address         string
	YearStarted     int
	Workers         int
	Capital         int64
	Turnover        int64 // per year
	TurnoverMonthly bool
	Class           string
	ClassBasis      string
	NIB             string
	Halal           string
}

// Owner is one simulated business owner: a Telegram user with the answer
// to every question of the registration and the record it should produce.
type Owner struct {
	ID      int64 // Telegram user id = private chat id
	Answers map[string]Answer
	Want    Record
}

// The registration's questions, by the state name the bot's buttons carry
// ("reg.<state>:<choice>") or, for questions without buttons, by their text.
const (
	qConsent  = "consent"
	qName     = "name"
	qNIK      = "nik"
	qNIKOK    = "nikok"
	qPhone    = "phone"
	qBiz      = "biz"
	qSector   = "sector"
	qProducts = "products"
	qKec      = "kec"
	qDesa     = "desa"
	qAddress  = "address"
	qYear     = "year"
	qWorkers  = "workers"
	qCapital  = "capital"
	qTurnover = "turnover"
	qNIB      = "nib"
	qHalal    = "halal"
	qSummary  = "summary"
)

// questions lists them in the order the form asks them.
var questions = []string{qConsent, qName, qNIK, qNIKOK, qPhone, qBiz, qSector, qProducts, qKec, qDesa,
	qAddress, qYear, qWorkers, qCapital, qTurnover, qNIB, qHalal, qSummary}

var (
	femaleFirst = []string{"Siti", "Dewi", "Nur", "Sri", "Rina", "Ayu", "Fitri", "Wulan", "Yuli", "Ratna",
		"Intan", "Lestari", "Nurul", "Euis", "Neneng", "Imas", "Titin", "Rahmawati"}
	maleFirst = []string{"Budi", "Agus", "Ahmad", "Dedi", "Joko", "Asep", "Ujang", "Hendra", "Rizki", "Eko",
		"Muhammad", "Bambang", "Yusuf", "Dadang", "Iwan", "Ma'ruf", "Slamet", "Sutrisno"}
	lastNames = []string{"Aminah", "Santoso", "Hidayat", "Lestari", "Saputra", "Rahayu", "Wijaya", "Kurniawan",
		"Nurhaliza", "Setiawan", "Hasanah", "Pratama", "Suryani", "Gunawan", "Maulana", "Fauziah",
		"Sulaeman", "Hermawan"}
	bizPrefix = []string{"Warung", "Toko", "Kedai", "Dapur", "Rumah Jahit", "Bengkel", "Kios", "Usaha",
		"Griya", "Sentra"}
	streets = []string{"Jl. Raya Serang", "Jl. Raya Pasar Kemis", "Jl. Otista", "Jl. Ki Hajar Dewantara",
		"Jl. Raya Legok", "Jl. Raya Mauk", "Jl. Kutabumi", "Jl. Raya Cisoka", "Gg. Masjid", "Jl. Melati"}
	landmarks = []string{"dekat masjid", "depan SDN 2", "samping pasar", "belakang balai desa", "dekat pos ronda"}
	phonePre  = []string{"0812", "0813", "0821", "0822", "0852", "0857", "0878", "0896", "0838", "0819"}
)

// sectorPlan is, per sector key, the products an owner of that sector
// sells and a word the owner may type instead of tapping the button.
var sectorPlan = []struct{ key, typed, products string }{
	{"kuliner", "makanan", "nasi uduk, gorengan dan kue basah"},
	{"fesyen", "konveksi", "kaos sablon dan seragam sekolah"},
	{"kriya", "kerajinan", "anyaman bambu dan tas rajut"},
	{"agribisnis", "peternakan", "telur ayam kampung dan bibit lele"},
	{"perdagangan", "", "sembako dan kebutuhan rumah tangga"},
	{"jasa", "", "servis elektronik dan pompa air"},
	{"digital_kreatif", "", "desain undangan dan foto produk"},
	{"industri", "", "sabun cair dan deterjen curah"},
	{"lainnya", "", "penyewaan tenda dan kursi"},
}

// pick returns one element of list.
func pick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

// dotted writes n with dots grouping thousands: 50000000 → "50.000.000".
func dotted(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// collapse is what the bot does to free text: runs of white space become
// one space, the ends are trimmed.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// NewOwner generates owner number n (from 0) of a run with Telegram user
// id id: valid, varied answers to every question, as owners type them, and
// the record they must produce. now is the bot's clock (ages, years).
func NewOwner(r *rand.Rand, n int, id int64, now time.Time) *Owner {
	o := &Owner{ID: id, Answers: map[string]Answer{}}
	w := &o.Want
	set := func(q string, a Answer) { o.Answers[q] = a }
	oneOf := func(as ...Answer) Answer { return as[r.IntN(len(as))] }

	set(qConsent, oneOf(Answer{Tap: "yes"}, Answer{Text: "setuju"}, Answer{Text: "iya"}))

	w.Female = r.IntN(2) == 0
	first := pick(r, maleFirst)
	if w.Female {
		first = pick(r, femaleFirst)
	}
	w.OwnerName = first + " " + pick(r, lastNames)
	typedName := w.OwnerName
	if r.IntN(5) == 0 {
		typedName = "  " + strings.ReplaceAll(typedName, " ", "  ") + " "
	}
	set(qName, Answer{Text: typedName})

	kecs := field.Kecamatans()
	kec := pick(r, kecs)
	w.Kecamatan = kec.Code
	// The NIK: the owner's kecamatan, a birth date 18 to 70 years ago
	// (women's day plus 40), a serial unique in the run.
	born := time.Date(now.Year()-19-r.IntN(52), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
	w.BirthDate = born.Format(time.DateOnly)
	day := born.Day()
	if w.Female {
		day += 40
	}
	w.NIK = fmt.Sprintf("%s%02d%02d%02d%04d", kec.Code, day, int(born.Month()), born.Year()%100, 1+n%9999)
	typedNIK := w.NIK
	switch r.IntN(3) {
	case 1:
		typedNIK = w.NIK[:4] + " " + w.NIK[4:8] + " " + w.NIK[8:12] + " " + w.NIK[12:]
	case 2:
		typedNIK = w.NIK[:6] + "." + w.NIK[6:12] + "." + w.NIK[12:]
	}
	set(qNIK, Answer{Text: typedNIK})
	set(qNIKOK, oneOf(Answer{Tap: "ok"}, Answer{Text: "ya benar"}, Answer{Text: "betul"}))

	national := pick(r, phonePre) + fmt.Sprintf("%08d", r.IntN(100_000_000))
	w.Phone = "+62" + national[1:]
	set(qPhone, oneOf(
		Answer{Text: national},
		Answer{Text: national[:4] + "-" + national[4:8] + "-" + national[8:]},
		Answer{Text: "+62 " + national[1:4] + " " + national[4:8] + " " + national[8:]},
		Answer{Text: "62" + national[1:]},
		Answer{Contact: w.Phone},
		Answer{Contact: w.Phone[1:]}, // some clients send it without the plus
	))

	sp := pick(r, sectorPlan)
	w.BusinessName = fmt.Sprintf("%s %s %d", pick(r, bizPrefix), first, n+1)
	set(qBiz, Answer{Text: w.BusinessName})
	w.Sector = sp.key
	if sp.typed != "" && r.IntN(2) == 0 {
		set(qSector, Answer{Text: sp.typed})
	} else {
		set(qSector, Answer{Tap: sp.key})
	}
	w.Products = sp.products
	set(qProducts, Answer{Text: sp.products})

	if r.IntN(2) == 0 {
		set(qKec, Answer{Tap: kec.Code})
	} else if r.IntN(2) == 0 {
		set(qKec, Answer{Text: kec.Name})
	} else {
		set(qKec, Answer{Text: strings.ToLower(strings.ReplaceAll(kec.Name, " ", ""))})
	}
	desas := field.Desas(kec.Code)
	switch d := pick(r, desas); r.IntN(4) {
	case 0:
		set(qDesa, oneOf(Answer{Tap: "skip"}, Answer{Text: "lewati"}))
	case 1:
		w.Desa = d.Code
		set(qDesa, Answer{Text: d.Name})
	default:
		w.Desa = d.Code
		set(qDesa, Answer{Tap: d.Code[6:]})
	}

	addr := fmt.Sprintf("%s No. %d, RT %02d/RW %02d, %s", pick(r, streets), 1+r.IntN(120), 1+r.IntN(12),
		1+r.IntN(9), pick(r, landmarks))
	w.Address = addr
	if r.IntN(5) == 0 {
		addr = strings.Replace(addr, ", ", ",  ", 1) + "  "
	}
	set(qAddress, Answer{Text: addr})

	w.YearStarted = now.Year() - 1 - r.IntN(30)
	y := strconv.Itoa(w.YearStarted)
	set(qYear, oneOf(Answer{Text: y}, Answer{Text: "sejak " + y}, Answer{Text: "tahun " + y}))

	switch r.IntN(4) {
	case 0:
		w.Workers = 1
		set(qWorkers, oneOf(Answer{Text: "sendiri"}, Answer{Text: "saya sendiri"}, Answer{Text: "1"}))
	default:
		w.Workers = 2 + r.IntN(40)
		c := strconv.Itoa(w.Workers)
		set(qWorkers, oneOf(Answer{Text: c}, Answer{Text: c + " orang"}, Answer{Text: "ada " + c + " karyawan"}))
	}

	w.Capital, o.Answers[qCapital] = money(r, 1+r.IntN(900))
	switch r.IntN(4) {
	case 0:
		set(qTurnover, oneOf(Answer{Tap: "unknown"}, Answer{Text: "belum tahu"}))
	case 1:
		month := int64(1+r.IntN(60)) * 500_000
		w.Turnover, w.TurnoverMonthly = month*12, true
		forms := []string{dotted(month) + " per bulan", "Rp" + dotted(month) + " sebulan"}
		if month%1_000_000 == 0 {
			forms = append(forms, strconv.FormatInt(month/1_000_000, 10)+" juta per bulan",
				strconv.FormatInt(month/1_000_000, 10)+"jt/bln")
		} else {
			forms = append(forms, fmt.Sprintf("%d,5 juta per bulan", month/1_000_000))
		}
		set(qTurnover, Answer{Text: pick(r, forms)})
	default:
		w.Turnover, o.Answers[qTurnover] = money(r, 5+r.IntN(1500))
	}
	known := o.Answers[qTurnover].Tap == "" && o.Answers[qTurnover].Text != "belum tahu"
	class, basis := field.Classify(w.Capital, w.Turnover, known)
	w.Class, w.ClassBasis = string(class), string(basis)

	if r.IntN(2) == 0 {
		w.NIB = fmt.Sprintf("%013d", r.Int64N(10_000_000_000_000))
		if w.NIB[0] == '0' {
			w.NIB = "9" + w.NIB[1:]
		}
		typed := w.NIB
		if r.IntN(2) == 0 {
			typed = w.NIB[:4] + " " + w.NIB[4:8] + " " + w.NIB[8:]
		}
		set(qNIB, Answer{Text: typed})
	} else {
		set(qNIB, oneOf(Answer{Tap: "none"}, Answer{Text: "belum punya"}, Answer{Text: "belum"}))
	}

	halal := []struct {
		stored string
		as     []Answer
	}{
		{"sudah", []Answer{{Tap: "sudah"}, {Text: "sudah punya"}}},
		{"proses", []Answer{{Tap: "proses"}, {Text: "sedang proses"}}},
		{"belum", []Answer{{Tap: "belum"}, {Text: "belum"}}},
		{"", []Answer{{Tap: "tidak"}, {Text: "tidak perlu"}}},
	}
	h := pick(r, halal)
	w.Halal = h.stored
	set(qHalal, pick(r, h.as))
	set(qSummary, oneOf(Answer{Tap: "save"}, Answer{Text: "simpan"}))
	return o
}

// money returns an amount of about juta million rupiah (a yearly figure or
// a capital) and how an owner types it.
func money(r *rand.Rand, juta int) (int64, Answer) {
	amount := int64(juta) * 1_000_000
	forms := []string{
		strconv.Itoa(juta) + " juta",
		strconv.Itoa(juta) + "jt",
		"Rp" + dotted(amount),
		"Rp " + dotted(amount) + ",-",
		dotted(amount),
		strconv.FormatInt(amount, 10),
	}
	if juta < 20 && r.IntN(2) == 0 {
		amount += 500_000
		forms = []string{fmt.Sprintf("%d,5 juta", juta), fmt.Sprintf("%d.5jt", juta), "Rp" + dotted(amount)}
	}
	if juta%1000 == 0 {
		forms = append(forms, strconv.Itoa(juta/1000)+" miliar")
	}
	return amount, Answer{Text: pick(r, forms)}
}
