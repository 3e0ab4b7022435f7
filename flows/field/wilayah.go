package field

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"strings"
)

// wilayahCSV lists the 29 kecamatan and 274 desa/kelurahan of Kabupaten
// Tangerang with their Kemendagri codes (domain.md §3 and appendix A).
// Columns: kode_kecamatan, kecamatan, kode_desa, desa_kelurahan, jenis.
//
//go:embed wilayah-3603.csv
var wilayahCSV string

// Kecamatan is one of the 29 kecamatan of Kabupaten Tangerang.
type Kecamatan struct {
	// Code is the plain Kemendagri code, as in NIK digits 1–6: "360301".
	Code string
	// Name is the official name: "Balaraja", "Pasar Kemis".
	Name string
}

// Dotted writes the code the Kemendagri way: "36.03.01".
func (k Kecamatan) Dotted() string { return dotted(k.Code) }

// Desa is a desa or kelurahan of Kabupaten Tangerang.
type Desa struct {
	// Code is the plain 10-digit code: "3603011001".
	Code string
	// Name is the name as Kemendagri writes it (abbreviations included:
	// "Kmp Melayu Tim").
	Name string
	// Kelurahan is true for a kelurahan (local code 1xxx), false for a desa.
	Kelurahan bool
}

// KecamatanCode is the code of the kecamatan the desa lies in: "360301".
func (d Desa) KecamatanCode() string { return d.Code[:min(6, len(d.Code))] }

// Dotted writes the code the Kemendagri way: "36.03.01.1001".
func (d Desa) Dotted() string { return dotted(d.Code) }

func dotted(code string) string {
	var parts []string
	for i := 0; i < len(code) && i < 6; i += 2 {
		parts = append(parts, code[i:min(i+2, len(code))])
	}
	if len(code) > 6 {
		parts = append(parts, code[6:])
	}
	return strings.Join(parts, ".")
}

var (
	kecamatans []Kecamatan
	desas      = map[string][]Desa{} // by kecamatan code
)

func init() {
	if err := loadWilayah(wilayahCSV); err != nil {
		// The file is embedded at build time; TestWilayah guards its shape.
		panic(err)
	}
	buildPlaceIndex()
}

func loadWilayah(data string) error {
	rows, err := csv.NewReader(strings.NewReader(data)).ReadAll()
	if err != nil {
		return fmt.Errorf("field: wilayah-3603.csv: %w", err)
	}
	if len(rows) < 2 || strings.Join(rows[0], ",") != "kode_kecamatan,kecamatan,kode_desa,desa_kelurahan,jenis" {
		return fmt.Errorf("field: wilayah-3603.csv: unexpected header")
	}
	for n, row := range rows[1:] {
		kecCode := strings.ReplaceAll(row[0], ".", "")
		desaCode := strings.ReplaceAll(row[2], ".", "")
		if len(kecCode) != 6 || !allDigits(kecCode) || len(desaCode) != 10 || !allDigits(desaCode) ||
			desaCode[:6] != kecCode || (row[4] != "desa" && row[4] != "kelurahan") {
			return fmt.Errorf("field: wilayah-3603.csv: bad row %d", n+2)
		}
		if len(kecamatans) == 0 || kecamatans[len(kecamatans)-1].Code != kecCode {
			kecamatans = append(kecamatans, Kecamatan{Code: kecCode, Name: row[1]})
		}
		desas[kecCode] = append(desas[kecCode], Desa{Code: desaCode, Name: row[3], Kelurahan: row[4] == "kelurahan"})
	}
	return nil
}

// Kecamatans returns the 29 kecamatan in code order (a fresh copy).
func Kecamatans() []Kecamatan { return append([]Kecamatan(nil), kecamatans...) }

// KecamatanByCode finds a kecamatan by its plain or dotted code ("360301",
// "36.03.01").
func KecamatanByCode(code string) (Kecamatan, bool) {
	code = strings.ReplaceAll(strings.TrimSpace(code), ".", "")
	for _, k := range kecamatans {
		if k.Code == code {
			return k, true
		}
	}
	return Kecamatan{}, false
}

// Desas returns the desa and kelurahan of a kecamatan in code order (a
// fresh copy), or nil for an unknown code.
func Desas(kecCode string) []Desa {
	k, ok := KecamatanByCode(kecCode)
	if !ok {
		return nil
	}
	return append([]Desa(nil), desas[k.Code]...)
}

// DesaByCode finds a desa or kelurahan by its plain or dotted 10-digit code.
func DesaByCode(code string) (Desa, bool) {
	code = strings.ReplaceAll(strings.TrimSpace(code), ".", "")
	if len(code) != 10 {
		return Desa{}, false
	}
	for _, d := range desas[code[:6]] {
		if d.Code == code {
			return d, true
		}
	}
	return Desa{}, false
}
