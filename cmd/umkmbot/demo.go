package main

import (
	"context"
	"fmt"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows/field"
	"github.com/diskum-tangerang/umkmbot/flows/loan/domain"
	"github.com/diskum-tangerang/umkmbot/flows/registration"
	"github.com/diskum-tangerang/umkmbot/locales"
	"github.com/diskum-tangerang/umkmbot/store"
)

// The demo data of `umkmbot chat` on memory stores. Every name says it is an
// example; the ids are the ones README.md's scripts use.
const (
	demoStaffID   = 9001
	demoStaffName = "Petugas Demo (data contoh)"
	// demoLoanNumber and demoLoanNIK link the demo loan (/pinjaman).
	demoLoanNumber = "UPDB-2026-0042"
	demoLoanNIK    = "3603124507900003"
)

// demoOwners are registered owners, the audience of the demo broadcasts and
// the participants of the demo training. Each NIK carries its owner's
// birth date and sex (Siti Aminah and Dewi Lestari are women, Budi Santoso a
// man) and the kecamatan of the registration; seedDemo reads them from it.
var demoOwners = []struct {
	user             int64
	name, nik, phone string
	business, sector string
	kecamatan        string
}{
	{2001, "Siti Aminah (contoh)", "3603124507900003", "+6281200002001", "Warung Nasi Uduk Bu Siti (contoh)", "kuliner", "360312"},
	{2002, "Budi Santoso (contoh)", "3603181203850002", "+6281200002002", "Konveksi Budi (contoh)", "fesyen", "360318"},
	{2003, "Dewi Lestari (contoh)", "3603125505920001", "+6281200002003", "Anyaman Bambu Dewi (contoh)", "kriya", "360312"},
}

// seedDemo fills the memory stores with the demo data set.
func seedDemo(ctx context.Context, a *app) error {
	if err := a.staff.AddStaff(ctx, demoStaffID, demoStaffName); err != nil {
		return err
	}
	now := time.Now()
	for _, o := range demoOwners {
		nik, err := field.ParseNIK(o.nik, now)
		if err != nil {
			return fmt.Errorf("demo owner %d: %w", o.user, err)
		}
		if err := a.regs.RecordConsent(ctx, store.Consent{UserID: o.user, Purpose: registration.Purpose,
			NoticeVersion: a.cfg.ConsentVersion, Granted: true, At: now}); err != nil {
			return fmt.Errorf("demo consent: %w", err)
		}
		r := store.Registration{UserID: o.user, OwnerName: o.name, NIK: nik.Digits, BirthDate: nik.BirthDate,
			Female: nik.Female, Phone: o.phone, BusinessName: o.business, Sector: o.sector, Products: "contoh",
			Kecamatan: o.kecamatan, Address: "Alamat contoh", YearStarted: 2018, Workers: 2, Capital: 20_000_000,
			Turnover: 120_000_000, Class: "mikro", ClassBasis: "omzet", ConsentVersion: a.cfg.ConsentVersion,
			ConsentAt: now}
		if _, _, err := a.regs.CreateRegistration(ctx, fmt.Sprintf("demo-%d", o.user), r); err != nil {
			return fmt.Errorf("demo registration: %w", err)
		}
	}
	day := now.In(locales.WIB).AddDate(0, 0, 7)
	start := time.Date(day.Year(), day.Month(), day.Day(), 9, 0, 0, 0, locales.WIB)
	if _, err := a.trains.CreateTraining(ctx, demoStaffID, store.Training{
		Topic: store.TopicFinance, Title: "Pembukuan Sederhana untuk UMKM (contoh)",
		Description: "Pelatihan contoh: mencatat kas harian dan menghitung laba.",
		StartAt:     start, EndAt: start.Add(3 * time.Hour), Place: "Aula Kecamatan Pasar Kemis (contoh)",
		Capacity: 2, Deadline: start.Add(-9*time.Hour - time.Minute), Status: store.TrainingOpen,
	}); err != nil {
		return fmt.Errorf("demo training: %w", err)
	}
	if _, _, err := a.loans.UpsertLoan(ctx, demoStaffID, store.Loan{
		Number: demoLoanNumber, NIK: demoLoanNIK, ApplicantName: "Siti Aminah (contoh)",
		BusinessName: "Warung Nasi Uduk Bu Siti (contoh)", Requested: 25_000_000, TenorMonths: 36,
		RateBP: 400, Method: domain.MethodAnnuity, Stage: domain.Verifikasi,
	}); err != nil {
		return fmt.Errorf("demo loan: %w", err)
	}
	return nil
}
