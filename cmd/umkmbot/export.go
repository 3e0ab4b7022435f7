package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/diskum-tangerang/umkmbot/flows/field"
	"github.com/diskum-tangerang/umkmbot/flows/registration"
	"github.com/diskum-tangerang/umkmbot/store"
	"github.com/diskum-tangerang/umkmbot/store/postgres"
)

// exportRegistrations writes the registrations as the CSV staff get with
// /ekspor: `umkmbot export registrations [--kecamatan X] [--sector Y]`.
// The export is audited with actor 0 (the command line).
func exportRegistrations(ctx context.Context, cfg *config, args []string, sio stdio) error {
	fs := flag.NewFlagSet("umkmbot export registrations", flag.ContinueOnError)
	fs.SetOutput(sio.errOut)
	kec := fs.String("kecamatan", "", "only this kecamatan (name or code, e.g. \"Pasar Kemis\")")
	sec := fs.String("sector", "", "only this sector (kuliner, fesyen, kriya, ...)")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	var f store.RegistrationFilter
	if *kec != "" {
		k, err := field.MatchKecamatan(*kec)
		if err != nil {
			return fmt.Errorf("export: --kecamatan %q is not a kecamatan of Kabupaten Tangerang", *kec)
		}
		f.Kecamatan = k.Code
	}
	if *sec != "" {
		s, err := field.MatchSector(*sec)
		if err != nil {
			return fmt.Errorf("export: --sector %q is not a known sector", *sec)
		}
		f.Sector = s.Key
	}
	db, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	regs, err := db.ExportRegistrations(ctx, 0, f)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return registration.WriteCSV(sio.out, regs)
}

// export dispatches `umkmbot export <what>`.
func export(ctx context.Context, cfg *config, args []string, sio stdio) error {
	if len(args) == 0 {
		return errors.New("export: say what to export: umkmbot export registrations [--kecamatan X] [--sector Y]")
	}
	switch args[0] {
	case "registrations":
		return exportRegistrations(ctx, cfg, args[1:], sio)
	}
	return fmt.Errorf("export: unknown export %q (registrations)", args[0])
}
