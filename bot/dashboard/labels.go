package dashboard

import (
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/field"
	"github.com/diskum-tangerang/umkmbot/locales"
)

// Labels the bot has no message for: the staff's words for classes, halal
// status and the NIB filter.
var (
	classNames = map[string]string{"mikro": "Mikro", "kecil": "Kecil", "menengah": "Menengah", "besar": "Besar"}
	classOrder = []string{"mikro", "kecil", "menengah", "besar"}
	halalNames = map[string]string{"sudah": "Sudah", "proses": "Diproses", "belum": "Belum", "none": "Tidak perlu"}
	halalOrder = []string{"sudah", "proses", "belum", "none"}
)

// className names a class; an unknown key is shown as stored.
func className(k string) string {
	if n, ok := classNames[k]; ok {
		return n
	}
	if k == "" {
		return "(kosong)"
	}
	return k
}

// sectorName is the sector's name as the bot shows it.
func (s *Server) sectorName(k string) string {
	if k == "" {
		return "(kosong)"
	}
	return s.cfg.Catalog.Label(locales.Languages[0], flows.T("sector_"+k))
}

// stageName is a loan stage's name as the bot shows it to owners.
func (s *Server) stageName(stage string) string {
	return s.cfg.Catalog.Label(locales.Languages[0], flows.T("loan_stage_"+strings.ToLower(stage)))
}

// topicName is a training topic's name as the bot shows it.
func (s *Server) topicName(topic string) string {
	return s.cfg.Catalog.Label(locales.Languages[0], flows.T("train_topic_"+topic))
}

// kecamatanName names a kecamatan by its code.
func kecamatanName(code string) string {
	if k, ok := field.KecamatanByCode(code); ok {
		return k.Name
	}
	if code == "" {
		return "(kosong)"
	}
	return code
}

// desaName names a desa by its code.
func desaName(code string) string {
	if d, ok := field.DesaByCode(code); ok {
		return d.Name
	}
	return code
}

// num writes a count the Indonesian way: 100.000.
func num(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// percent writes part of whole as "87,5 %", or "–" when whole is 0.
func percent(part, whole int) string {
	if whole == 0 {
		return "–"
	}
	return decimal(float64(part)*100/float64(whole)) + " %"
}

// decimal writes x with one decimal, comma as the decimal mark.
func decimal(x float64) string {
	return strings.Replace(strconv.FormatFloat(x, 'f', 1, 64), ".", ",", 1)
}

// date writes a WIB day as 02-01-2006; datetime adds the time.
func date(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return t.In(locales.WIB).Format("02-01-2006")
}

func datetime(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return t.In(locales.WIB).Format("02-01-2006 15.04")
}

// maskNIK shows the NIK the way the bot echoes it: 3603********0003.
func maskNIK(nik string) string { return field.NIK{Digits: nik}.Masked() }

func (s *Server) funcs() template.FuncMap {
	return template.FuncMap{
		"num": num, "rupiah": locales.Rupiah, "percent": percent, "decimal": decimal,
		"date": date, "datetime": datetime, "tanggal": locales.Tanggal, "mask": maskNIK,
		"class": className, "sector": s.sectorName, "stage": s.stageName, "topic": s.topicName,
		"kecamatan": kecamatanName, "desa": desaName, "lower": lowerID,
		"campaignStatus": func(st string) string { return campaignNames[st] },
		"nib": func(n string) string {
			if n == "" {
				return "Belum"
			}
			return "Ada"
		},
		"halal": func(h string) string {
			if h == "" {
				h = "none"
			}
			return halalNames[h]
		},
	}
}
