package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows/loan"
	"github.com/diskum-tangerang/umkmbot/flows/training"
	"github.com/diskum-tangerang/umkmbot/locales"
	"github.com/diskum-tangerang/umkmbot/store/postgres"
)

// importData runs `umkmbot import trainings FILE` and `umkmbot import loans
// FILE [FILE]`. Both are idempotent: a second run with the same file
// changes nothing and notifies nobody.
func importData(ctx context.Context, cfg *config, args []string, sio stdio) error {
	if len(args) < 2 {
		return errors.New("import: umkmbot import trainings FILE.csv | umkmbot import loans LOANS.csv [PAYMENTS.csv]")
	}
	db, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	switch args[0] {
	case "trainings":
		if len(args) != 2 {
			return errors.New("import: umkmbot import trainings FILE.csv")
		}
		return importTrainings(ctx, db, args[1], sio)
	case "loans":
		if len(args) > 3 {
			return errors.New("import: umkmbot import loans LOANS.csv [PAYMENTS.csv]")
		}
		for _, file := range args[1:] {
			if err := importLoans(ctx, db, file, sio); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("import: unknown import %q (trainings, loans)", args[0])
}

func importTrainings(ctx context.Context, db *postgres.DB, file string, sio stdio) error {
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	list, rowErrs, err := training.ImportCSV(f, time.Now())
	if err != nil {
		return fmt.Errorf("import %s: %w", file, err)
	}
	if len(rowErrs) > 0 {
		cat, err := locales.New()
		if err != nil {
			return err
		}
		for _, re := range rowErrs {
			fmt.Fprintf(sio.errOut, "%s: %s\n", file, cat.Plain("id", re.Text()))
		}
		return fmt.Errorf("import %s: %d rows need fixing; nothing was imported", file, len(rowErrs))
	}
	// The notices of a new date, time or place carry no language: the
	// sender renders each in its owner's language when it goes out.
	r, err := db.ImportTrainings(ctx, 0, list, training.MovedNotify(time.Now()))
	if err != nil {
		return fmt.Errorf("import %s: %w", file, err)
	}
	fmt.Fprintf(sio.out, "%s: %d pelatihan baru, %d diperbarui, %d tidak berubah; %d pemilik diberi kabar perubahan jadwal atau tempat\n",
		file, r.Created, r.Updated, len(list)-r.Created-r.Updated, r.Told)
	return nil
}

func importLoans(ctx context.Context, db *postgres.DB, file string, sio stdio) error {
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	// The notices are built inside the store's transaction, where the
	// owners' languages cannot be read: they carry none, and the sender
	// renders each in its owner's language when it goes out.
	sum, err := loan.ImportCSV(ctx, f, db, 0, time.Now(), loan.NewNotify(nil))
	if err != nil {
		return fmt.Errorf("import %s: %w", file, err)
	}
	for _, re := range sum.Errors {
		fmt.Fprintf(sio.errOut, "%s: baris %d: %s\n", file, re.Line, re.Reason)
	}
	fmt.Fprintf(sio.out, "%s: %d baru, %d berubah, %d tidak berubah, %d ditolak\n",
		file, sum.Created, sum.Changed, sum.Unchanged, len(sum.Errors))
	return nil
}
