package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows/field"
	"github.com/diskum-tangerang/umkmbot/locales"
	"github.com/diskum-tangerang/umkmbot/store"
	"github.com/diskum-tangerang/umkmbot/store/postgres"
)

// Per unit of --scale, the demo data set has these many records: scale 100
// is the volume the dashboard is measured at (BENCHMARKS.md).
const (
	demoRegsPerScale  = 1000
	demoTrainPerScale = 20
	demoLoansPerScale = 50
	demoUserBase      = 5_000_000_000
	// There are 3 campaigns, plus one per 4 units of scale, at most 40.
	demoMaxCampaigns     = 40
	demoScalePerCampaign = 4
)

// demoData runs `umkmbot demo-data --scale N [--seed S]`: it fills the
// empty database at DATABASE_URL with generated registrations, trainings
// with bookings, loans with their history and payments, and finished
// campaigns. The same scale and seed give the same data.
func demoData(ctx context.Context, cfg *config, args []string, sio stdio) error {
	fs := flag.NewFlagSet("umkmbot demo-data", flag.ContinueOnError)
	fs.SetOutput(sio.errOut)
	scale := fs.Int("scale", 1, "size: N × (1,000 registrations, 20 trainings, 50 loans)")
	seed := fs.Uint64("seed", 1, "random seed")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("demo-data: %w", err)
	}
	if *scale < 1 || *scale > 1000 {
		return errors.New("demo-data: --scale must be from 1 to 1000")
	}
	db, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	start := time.Now()
	d, err := genDemo(*scale, *seed, time.Now())
	if err != nil {
		return err
	}
	if err := db.LoadDataset(ctx, d); err != nil {
		return fmt.Errorf("demo-data: %w", err)
	}
	fmt.Fprintf(sio.out, "demo-data: %d pendaftaran, %d pelatihan (%d pemesanan), %d pinjaman (%d pembayaran), %d siaran (%d pesan) dalam %s\n",
		len(d.Registrations), len(d.Trainings), len(d.Bookings), len(d.Loans), len(d.Payments), len(d.Campaigns),
		len(d.Outbox), time.Since(start).Round(time.Millisecond))
	return nil
}

// genDemo builds the data set of a scale and seed as of now.
func genDemo(scale int, seed uint64, now time.Time) (store.Dataset, error) {
	g := &demoGen{r: rand.New(rand.NewPCG(seed, uint64(scale))), now: now.In(locales.WIB)}
	var d store.Dataset
	d.Registrations = g.registrations(scale * demoRegsPerScale)
	d.Trainings, d.Bookings = g.trainings(scale*demoTrainPerScale, d.Registrations)
	var err error
	if d.Loans, d.LoanEvents, d.Payments, err = g.loans(scale * demoLoansPerScale); err != nil {
		return d, err
	}
	if d.Campaigns, d.Outbox, err = g.campaigns(min(3+scale/demoScalePerCampaign, demoMaxCampaigns), d.Registrations); err != nil {
		return d, err
	}
	return d, nil
}

type demoGen struct {
	r   *rand.Rand
	now time.Time
}

var (
	demoFirstF = []string{"Siti", "Dewi", "Sri", "Nur", "Rina", "Yuli", "Ani", "Eka", "Lina", "Wati", "Ratna", "Fitri", "Ayu", "Indah", "Maya"}
	demoFirstM = []string{"Budi", "Agus", "Ahmad", "Dedi", "Eko", "Hendra", "Joko", "Rudi", "Slamet", "Wahyu", "Yusuf", "Asep", "Ujang", "Dadang", "Iwan"}
	demoLast   = []string{"Santoso", "Lestari", "Wijaya", "Hidayat", "Saputra", "Kurniawan", "Rahayu", "Pratama", "Setiawan", "Nurhayati", "Maulana", "Suryani", "Gunawan", "Hasanah", "Permana"}
	// demoKinds are business name patterns by sector.
	demoKinds = map[string][]string{
		"kuliner":         {"Warung Nasi %s", "Kue Basah %s", "Keripik %s", "Sambal %s", "Katering %s"},
		"fesyen":          {"Konveksi %s", "Batik %s", "Jahit %s", "Hijab %s"},
		"kriya":           {"Anyaman %s", "Kerajinan Bambu %s", "Gerabah %s"},
		"agribisnis":      {"Tani %s", "Lele %s", "Jamur %s", "Hidroponik %s"},
		"perdagangan":     {"Toko Kelontong %s", "Grosir %s", "Toko Sembako %s"},
		"jasa":            {"Bengkel %s", "Laundry %s", "Salon %s"},
		"digital_kreatif": {"Foto %s", "Desain %s", "Sablon Digital %s"},
		"industri":        {"Mebel %s", "Percetakan %s", "Paving %s"},
		"lainnya":         {"Usaha %s"},
	}
	demoSectorWeights = []struct {
		key string
		w   int
	}{{"kuliner", 34}, {"perdagangan", 20}, {"fesyen", 10}, {"jasa", 10}, {"kriya", 6}, {"agribisnis", 7},
		{"digital_kreatif", 5}, {"industri", 5}, {"lainnya", 3}}
)

func (g *demoGen) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *demoGen) sector() string {
	n := g.r.IntN(100)
	for _, s := range demoSectorWeights {
		if n < s.w {
			return s.key
		}
		n -= s.w
	}
	return "lainnya"
}

// registrations makes n registrations over the last two years, busier
// lately, numbered per WIB year in order of time.
func (g *demoGen) registrations(n int) []store.Registration {
	kecs := field.Kecamatans()
	niks := map[string]bool{}
	list := make([]store.Registration, n)
	for i := range list {
		k := kecs[g.r.IntN(len(kecs))]
		female := g.r.IntN(100) < 55
		first := g.pick(demoFirstM)
		if female {
			first = g.pick(demoFirstF)
		}
		name := first + " " + g.pick(demoLast)
		birth := time.Date(1965+g.r.IntN(40), time.Month(1+g.r.IntN(12)), 1+g.r.IntN(28), 0, 0, 0, 0, time.UTC)
		day := birth.Day()
		if female {
			day += 40
		}
		var nik string
		for {
			nik = fmt.Sprintf("%s%02d%02d%02d%04d", k.Code, day, int(birth.Month()), birth.Year()%100, 1+g.r.IntN(9999))
			if !niks[nik] {
				niks[nik] = true
				break
			}
		}
		sector := g.sector()
		// Older registrations thin out: the square skews toward now.
		age := time.Duration(float64(730*24*time.Hour) * g.r.Float64() * g.r.Float64())
		created := g.now.Add(-age).Truncate(time.Second)
		class, capital, turnover := "mikro", int64(5+g.r.IntN(400))*1_000_000, int64(20+g.r.IntN(1900))*1_000_000
		switch c := g.r.IntN(100); {
		case c >= 97:
			class, capital, turnover = "menengah", int64(5_100+g.r.IntN(4_000))*1_000_000, int64(15_100+g.r.IntN(30_000))*1_000_000
		case c >= 85:
			class, capital, turnover = "kecil", int64(1_100+g.r.IntN(3_800))*1_000_000, int64(2_100+g.r.IntN(12_800))*1_000_000
		}
		nib, halal := "", ""
		if g.r.IntN(100) < 42 {
			nib = fmt.Sprintf("%013d", 1_200_000_000_000+g.r.Int64N(800_000_000_000))
		}
		if sector == "kuliner" {
			halal = []string{"sudah", "proses", "belum", "belum"}[g.r.IntN(4)]
		}
		ds := field.Desas(k.Code)
		list[i] = store.Registration{UserID: demoUserBase + int64(i), OwnerName: name, NIK: nik, BirthDate: birth,
			Female: female, Phone: fmt.Sprintf("+62812%08d", 10_000_000+i), Sector: sector,
			BusinessName: fmt.Sprintf(g.pick(demoKinds[sector]), first), Products: "produk " + sector,
			Kecamatan: k.Code, Desa: ds[g.r.IntN(len(ds))].Code, Address: fmt.Sprintf("Jl. Contoh No. %d", 1+g.r.IntN(200)),
			YearStarted: 2000 + g.r.IntN(26), Workers: 1 + g.r.IntN(12), Capital: capital, Turnover: turnover,
			Class: class, ClassBasis: "omzet", NIB: nib, Halal: halal, ConsentVersion: "2026-11",
			ConsentAt: created, CreatedAt: created}
	}
	slices.SortStableFunc(list, func(a, b store.Registration) int { return a.CreatedAt.Compare(b.CreatedAt) })
	seq := map[int]int{}
	for i := range list {
		r := &list[i]
		r.ID = int64(i + 1)
		y := r.CreatedAt.In(locales.WIB).Year()
		seq[y]++
		r.Number = fmt.Sprintf("UMKM-3603-%d-%06d", y, seq[y])
	}
	return list
}

// demoTitles are training titles by topic.
var demoTitles = map[string][]string{
	store.TopicFinance:   {"Pembukuan Sederhana untuk UMKM", "Mengelola Arus Kas Usaha", "Menghitung Harga Pokok Produksi"},
	store.TopicMarketing: {"Jualan di Marketplace", "Foto Produk dengan Ponsel", "Promosi lewat Media Sosial"},
	store.TopicLegal:     {"Mengurus NIB lewat OSS", "Sertifikasi Halal Gratis (SEHATI)", "Izin PIRT untuk Pangan Olahan"},
	store.TopicExport:    {"Kesiapan Ekspor bagi UMKM", "Kemasan dan Label untuk Ekspor"},
}

// demoAttendance is each topic's share of booked owners who attend, in %.
var demoAttendance = map[string]int{store.TopicFinance: 86, store.TopicMarketing: 91, store.TopicLegal: 78, store.TopicExport: 69}

// trainings makes n trainings from ten months ago to two months ahead and
// their bookings: past ones marked attended or absent, coming ones booked
// and, when full, waitlisted.
func (g *demoGen) trainings(n int, regs []store.Registration) ([]store.Training, []store.Booking) {
	topics := []string{store.TopicFinance, store.TopicMarketing, store.TopicLegal, store.TopicExport}
	kecs := field.Kecamatans()
	var ts []store.Training
	var bs []store.Booking
	for i := range n {
		topic := topics[g.r.IntN(len(topics))]
		day := g.now.AddDate(0, 0, -300+g.r.IntN(360))
		start := time.Date(day.Year(), day.Month(), day.Day(), 9, 0, 0, 0, locales.WIB)
		t := store.Training{ID: int64(i + 1), Topic: topic, Title: g.pick(demoTitles[topic]),
			Description: "Pelatihan gratis dari Dinas Koperasi dan Usaha Mikro.", StartAt: start,
			EndAt: start.Add(3 * time.Hour), Place: "Aula Kecamatan " + kecs[g.r.IntN(len(kecs))].Name,
			Capacity: 20 + 5*g.r.IntN(5), Deadline: start.Add(-24 * time.Hour), Status: store.TrainingOpen,
			CreatedBy: demoStaffID, CreatedAt: start.AddDate(0, 0, -30)}
		if g.r.IntN(100) < 4 {
			t.Status = store.TrainingCancelled
		}
		ts = append(ts, t)
		past := start.Before(g.now)
		want := t.Capacity * (50 + g.r.IntN(70)) / 100
		// Distinct owners: a random start and a stride coprime with len(regs).
		at, stride := g.r.IntN(len(regs)), 7919
		for j := range want {
			r := regs[(at+j*stride)%len(regs)]
			b := store.Booking{ID: int64(len(bs) + 1), Code: fmt.Sprintf("PLT-%d-%04d", t.ID, j+1), TrainingID: t.ID,
				UserID: r.UserID, Status: store.BookingBooked,
				CreatedAt: t.CreatedAt.Add(time.Duration(j+1) * 17 * time.Minute)}
			switch {
			case t.Status == store.TrainingCancelled:
				b.Status = store.BookingCancelled
			case j >= t.Capacity:
				b.Status = store.BookingWaitlisted
				if past {
					b.Status = store.BookingCancelled
				}
			case past && g.r.IntN(100) < demoAttendance[topic]:
				b.Status = store.BookingAttended
			case past:
				b.Status = store.BookingAbsent
			case g.r.IntN(100) < 5:
				b.Status = store.BookingCancelled
			}
			bs = append(bs, b)
		}
	}
	return ts, bs
}

// demoAudience describes a campaign's audience for its message.
func demoAudience(a store.Audience) string {
	switch {
	case a.Kecamatan != "":
		k, _ := field.KecamatanByCode(a.Kecamatan)
		return "pelaku usaha di Kecamatan " + k.Name
	case a.Sector != "":
		return "pelaku usaha " + strings.ReplaceAll(a.Sector, "_", " ")
	}
	return "seluruh pelaku usaha"
}
