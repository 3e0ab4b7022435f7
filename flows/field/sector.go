package field

import (
	"strconv"
	"strings"
)

// Sector is a business sector from the bot's list (domain.md §4.1). Its
// label is the locale message "sector_<Key>".
type Sector struct {
	// Key is stored with the registration: "kuliner", "digital_kreatif".
	Key string
	// KBLI is the usual KBLI 2020 category letters, for reports that roll
	// up by KBLI ("I/C").
	KBLI string
}

var sectors = []Sector{
	{"kuliner", "I/C"},
	{"fesyen", "C/G"},
	{"kriya", "C"},
	{"agribisnis", "A/C"},
	{"perdagangan", "G"},
	{"jasa", "S/G/N"},
	{"digital_kreatif", "J/M"},
	{"industri", "C"},
	{"lainnya", ""},
}

// Sectors returns the sectors in the order the bot shows them (a fresh copy).
func Sectors() []Sector { return append([]Sector(nil), sectors...) }

// SectorWords maps words owners use for what they sell or do to a sector key.
// General words (toko, warung, jasa, industri) are in WeakSectorWords
// instead, because "toko kue" is kuliner and "jasa foto" digital_kreatif.
var SectorWords = map[string]string{
	// kuliner
	"kuliner": "kuliner", "makanan": "kuliner", "makan": "kuliner", "minuman": "kuliner", "minum": "kuliner",
	"kue": "kuliner", "katering": "kuliner", "catering": "kuliner", "warteg": "kuliner", "resto": "kuliner",
	"restoran": "kuliner", "kafe": "kuliner", "cafe": "kuliner", "kopi": "kuliner", "bakso": "kuliner",
	"gorengan": "kuliner", "jajanan": "kuliner", "snack": "kuliner", "camilan": "kuliner", "cemilan": "kuliner",
	"roti": "kuliner", "keripik": "kuliner", "kripik": "kuliner", "sambal": "kuliner", "masakan": "kuliner",
	"nasi": "kuliner", "mie": "kuliner", "mi": "kuliner", "es": "kuliner", "jus": "kuliner", "bakery": "kuliner",
	"martabak": "kuliner", "seblak": "kuliner", "pempek": "kuliner", "sate": "kuliner", "soto": "kuliner",
	"angkringan": "kuliner", "kedai": "kuliner", "dimsum": "kuliner", "frozen": "kuliner", "food": "kuliner",
	"pangan": "kuliner", "olahan": "kuliner", "kudapan": "kuliner", "bolu": "kuliner", "kerupuk": "kuliner",
	// fesyen
	"fesyen": "fesyen", "fashion": "fesyen", "baju": "fesyen", "pakaian": "fesyen", "konveksi": "fesyen",
	"hijab": "fesyen", "jilbab": "fesyen", "kerudung": "fesyen", "sepatu": "fesyen", "sandal": "fesyen",
	"tas": "fesyen", "busana": "fesyen", "batik": "fesyen", "kaos": "fesyen", "kaus": "fesyen",
	"gamis": "fesyen", "mukena": "fesyen", "celana": "fesyen", "sablon": "fesyen", "garmen": "fesyen",
	// kriya
	"kriya": "kriya", "kerajinan": "kriya", "anyaman": "kriya", "handmade": "kriya", "souvenir": "kriya",
	"suvenir": "kriya", "cenderamata": "kriya", "aksesoris": "kriya", "ukiran": "kriya", "gerabah": "kriya",
	"keramik": "kriya", "rajut": "kriya", "rajutan": "kriya", "manik": "kriya", "bambu": "kriya",
	// agribisnis
	"agribisnis": "agribisnis", "pertanian": "agribisnis", "tani": "agribisnis", "petani": "agribisnis",
	"bertani": "agribisnis", "peternakan": "agribisnis", "ternak": "agribisnis", "peternak": "agribisnis",
	"perikanan": "agribisnis", "tambak": "agribisnis", "budidaya": "agribisnis", "kebun": "agribisnis",
	"perkebunan": "agribisnis", "hidroponik": "agribisnis", "bibit": "agribisnis", "nelayan": "agribisnis",
	"sawah": "agribisnis", "pupuk": "agribisnis", "agro": "agribisnis",
	// perdagangan
	"perdagangan": "perdagangan", "sembako": "perdagangan", "kelontong": "perdagangan",
	"reseller": "perdagangan", "dropship": "perdagangan", "dropshipper": "perdagangan", "grosir": "perdagangan",
	"agen": "perdagangan", "minimarket": "perdagangan", "eceran": "perdagangan", "distributor": "perdagangan",
	"pulsa": "perdagangan",
	// jasa
	"laundry": "jasa", "londri": "jasa", "salon": "jasa", "bengkel": "jasa", "jahit": "jasa",
	"penjahit": "jasa", "servis": "jasa", "service": "jasa", "reparasi": "jasa", "barbershop": "jasa",
	"cukur": "jasa", "pangkas": "jasa", "cuci": "jasa", "rental": "jasa", "sewa": "jasa", "ojek": "jasa",
	"les": "jasa", "kursus": "jasa", "fotokopi": "jasa", "fotocopy": "jasa", "spa": "jasa", "pijat": "jasa",
	"tukang": "jasa", "ekspedisi": "jasa", "kurir": "jasa", "travel": "jasa", "rias": "jasa",
	// digital_kreatif
	"desain": "digital_kreatif",
	"design": "digital_kreatif", "foto": "digital_kreatif", "fotografi": "digital_kreatif",
	"video": "digital_kreatif", "videografi": "digital_kreatif", "konten": "digital_kreatif",
	"content": "digital_kreatif", "aplikasi": "digital_kreatif", "website": "digital_kreatif",
	"web": "digital_kreatif", "software": "digital_kreatif", "animasi": "digital_kreatif",
	"musik": "digital_kreatif", "game": "digital_kreatif", "percetakan": "digital_kreatif",
	"printing": "digital_kreatif", "periklanan": "digital_kreatif",
	// industri
	"pabrik": "industri", "manufaktur": "industri", "mebel": "industri",
	"furnitur": "industri", "furniture": "industri", "las": "industri", "sabun": "industri",
	"plastik": "industri", "logam": "industri", "besi": "industri", "kimia": "industri",
}

// WeakSectorWords are general words: they decide the sector only when no
// word of SectorWords does.
var WeakSectorWords = map[string]string{
	"toko": "perdagangan", "warung": "perdagangan", "jualan": "perdagangan", "jual": "perdagangan",
	"dagang": "perdagangan", "dagangan": "perdagangan", "pedagang": "perdagangan", "berdagang": "perdagangan",
	"kios": "perdagangan", "lapak": "perdagangan", "olshop": "perdagangan",
	"jasa": "jasa", "layanan": "jasa",
	"digital": "digital_kreatif", "kreatif": "digital_kreatif",
	"industri": "industri", "produksi": "industri",
	"lainnya": "lainnya", "lain": "lainnya", "other": "lainnya",
}

// MatchSector finds the sector s names: its key ("kuliner", "digital
// kreatif"), its position in Sectors ("1".."9"), or words of one sector
// ("makanan" → kuliner, "baju"/"konveksi" → fesyen, "toko sembako" →
// perdagangan, "laundry"/"salon"/"bengkel" → jasa). Words of two sectors
// ("jahit baju") fail with CodeSectorUnknown, like no match at all, so that
// the owner picks from the list.
func MatchSector(s string) (Sector, error) {
	norm := Normalize(s)
	if len(norm) > 200 {
		return Sector{}, fail(CodeSectorUnknown)
	}
	if n, err := strconv.Atoi(norm); err == nil && n >= 1 && n <= len(sectors) {
		return sectors[n-1], nil
	}
	compact := strings.ReplaceAll(norm, " ", "")
	for _, sec := range sectors {
		if compact == strings.ReplaceAll(sec.Key, "_", "") {
			return sec, nil
		}
	}
	words := strings.Fields(norm)
	found := onlySector(words, SectorWords)
	if found == "" {
		found = onlySector(words, WeakSectorWords)
	}
	for _, sec := range sectors {
		if sec.Key == found {
			return sec, nil
		}
	}
	return Sector{}, fail(CodeSectorUnknown)
}

// onlySector returns the one sector that words point to in dict, or "" when
// they point to none or to several.
func onlySector(words []string, dict map[string]string) string {
	found := ""
	for _, w := range words {
		key, ok := dict[w]
		if !ok {
			continue
		}
		if found != "" && found != key {
			return ""
		}
		found = key
	}
	return found
}
