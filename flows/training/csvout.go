package training

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/diskum-tangerang/umkmbot/flows/field"
	"github.com/diskum-tangerang/umkmbot/store"
)

// Separator is the CSV field separator: Excel opens a .csv with the list
// separator of the computer's regional settings, which is ";" for
// Indonesian.
const Separator = ';'

// partsHeader names the participant file's columns, in Indonesian for the
// staff.
var partsHeader = []string{"No", "Kode", "Nama pemilik", "No. HP", "Nama usaha", "Kecamatan", "Status",
	"Urutan daftar tunggu", "Batas konfirmasi", "Mendaftar pada"}

// statusNames are the booking statuses in the file.
var statusNames = map[string]string{
	store.BookingBooked: "Terdaftar", store.BookingWaitlisted: "Daftar tunggu",
	store.BookingOffered: "Ditawari kursi", store.BookingAttended: "Hadir",
	store.BookingAbsent: "Tidak hadir", store.BookingCancelled: "Dibatalkan",
}

// WriteParticipantsCSV writes a training's participants, every status
// included, as a file Excel opens as it should: UTF-8 with a byte order
// mark, CRLF line ends, ";" between fields, Indonesian headers, times in
// WIB as YYYY-MM-DD HH:MM. A typed text that starts with = + - @ or a tab
// gets a leading apostrophe, so that it cannot run as a formula.
func WriteParticipantsCSV(w io.Writer, parts []store.Participant) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma, cw.UseCRLF = Separator, true
	if err := cw.Write(partsHeader); err != nil {
		return err
	}
	for i, p := range listedAll(parts) {
		pos, offer := "", ""
		if p.Status == store.BookingWaitlisted && p.Position > 0 {
			pos = strconv.Itoa(p.Position)
		}
		if p.Status == store.BookingOffered && !p.OfferDeadline.IsZero() {
			offer = p.OfferDeadline.In(wib).Format("2006-01-02 15:04")
		}
		created := ""
		if !p.CreatedAt.IsZero() {
			created = p.CreatedAt.In(wib).Format("2006-01-02 15:04")
		}
		status, ok := statusNames[p.Status]
		if !ok {
			status = guard(p.Status)
		}
		row := []string{strconv.Itoa(i + 1), guard(p.Code), guard(p.OwnerName), guard(field.FormatPhone(p.Phone)),
			guard(p.BusinessName), guard(kecamatanName(p.Kecamatan)), status, pos, offer, created}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// listedAll is the message's order followed by the cancelled places.
func listedAll(parts []store.Participant) []store.Participant {
	out := listed(parts)
	for _, p := range parts {
		if p.Status == store.BookingCancelled {
			out = append(out, p)
		}
	}
	return out
}

// guard keeps a typed text from being read as a formula.
func guard(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
