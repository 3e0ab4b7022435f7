package main

import (
	"strings"
	"testing"
)

// wantInOrder fails unless out holds each of want, in that order.
func wantInOrder(t *testing.T, out string, want ...string) {
	t.Helper()
	rest := out
	for _, w := range want {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Fatalf("output lacks %q (after the earlier expectations):\n%s", w, out)
		}
		rest = rest[i+len(w):]
	}
}

func TestChatRegistersByTypedAnswers(t *testing.T) {
	script := `/start
daftar usaha
iya
Siti Aminah
3603 1245 0790 0003
ya benar
0812-3456-7890
Warung Bu Siti
kuliner
nasi uduk, gorengan
pasarkemis
lewati
Jl. Raya Pasar Kemis No. 5
2015
3 orang
50jt
1,5 juta per bulan
belum punya
belum
simpan
/datasaya
`
	out, _, err := runWith(t, nil, script, "chat")
	if err != nil {
		t.Fatal(err)
	}
	wantInOrder(t, out, "Pemberitahuan privasi", "Apakah Anda setuju", "nama lengkap", "NIK",
		"Kamis, 5 Juli 1990", "Perempuan", "✅ Nomor HP dicatat: 0812-3456-7890", "Rp50.000.000",
		"Rp18.000.000 per tahun", "usaha mikro", "Ringkasan pendaftaran", "3603********0003",
		"✅ Pendaftaran berhasil. Nomor pendaftaran Anda: UMKM-3603-", "Data Anda yang kami simpan",
		"UMKM-3603-", "************0003")
	if strings.Contains(out, "3603124507900003") {
		t.Fatal("the full NIK was shown")
	}
}

func TestChatStaffBroadcastsToDemoOwners(t *testing.T) {
	script := `@9001 /siaran
Pelatihan pembukuan gratis minggu depan! Daftar lewat menu Pelatihan.
tanpa tombol
per kecamatan
pasar kemis
kirim
`
	out, _, err := runWith(t, nil, script, "chat")
	if err != nil {
		t.Fatal(err)
	}
	wantInOrder(t, out, "Pratinjau", "Penerima: 2", "Siaran #1 dibuat untuk 2 penerima",
		"[ke 2001] Pengumuman Dinas Koperasi dan Usaha Mikro Kabupaten Tangerang",
		"[ke 2001] Pelatihan pembukuan gratis minggu depan!",
		"[ke 2003] Pengumuman", "Siaran #1 selesai", "Terkirim 2/2 · diblokir 0 · gagal 0")
	if strings.Contains(out, "[ke 2002]") {
		t.Fatal("an owner outside the kecamatan got the announcement")
	}
}

func TestChatTrainingWaitlistPromotion(t *testing.T) {
	script := `@9001 /pelatihanbaru
keuangan
Laporan Keuangan untuk UMKM
Belajar menyusun laporan laba rugi sederhana.
14 Jan 2027 09.00
3 jam
Aula Dinas Koperasi, Tigaraksa
1
lewati
simpan
@2001 /pelatihan 2
daftar
@2002 /pelatihan 2
daftar
ya
@2001 /pelatihansaya
batalkan 1
ya
`
	out, _, err := runWith(t, nil, script, "chat")
	if err != nil {
		t.Fatal(err)
	}
	wantInOrder(t, out, "Kamis, 14 Januari 2027 pukul 09.00 WIB", "https://t.me/umkmbot?start=pelatihan_2",
		"Anda terdaftar di pelatihan Laporan Keuangan untuk UMKM", "PLT-2-0001",
		"urutan ke-1", "sudah dibatalkan",
		"[ke 2002] ⏳ Kabar baik! Ada kursi kosong di pelatihan Laporan Keuangan untuk UMKM", "Ambil kursi")
}

func TestChatLoanLinkAndStaffMove(t *testing.T) {
	script := `/pinjaman
updb 2026 42
3603 1245 0790 0003
@9001 /pinjamanstaf
UPDB-2026-0042
ubah tahap
survei lapangan
lewati
ya
`
	out, _, err := runWith(t, nil, script, "chat")
	if err != nil {
		t.Fatal(err)
	}
	wantInOrder(t, out, "sudah terhubung dengan pengajuan UPDB-2026-0042", "✅ Pengajuan diterima",
		"⏳ Verifikasi berkas", "dipindahkan dari Verifikasi berkas ke Survei lapangan",
		"[ke 1001] 📢 Kabar pinjaman UPDB-2026-0042", "[ke 1001] Tahap sekarang: Survei lapangan")
}

func TestChatBroadcastToTrainingParticipants(t *testing.T) {
	script := `@2001 /pelatihan 1
daftar
@2003 /pelatihan 1
daftar
@9001 /siaran
Ruang pelatihan pindah ke lantai 2.
tanpa tombol
peserta pelatihan
1
kirim
`
	out, _, err := runWith(t, nil, script, "chat")
	if err != nil {
		t.Fatal(err)
	}
	wantInOrder(t, out, "PLT-1-0001", "PLT-1-0002", "Peserta pelatihan", "#1 Pembukuan Sederhana",
		"Penerima: 2 (peserta pelatihan #1)", "[ke 2001] Pengumuman", "[ke 2003] Pengumuman", "Terkirim 2/2")
	if strings.Contains(out, "[ke 2002]") {
		t.Fatal("an owner not booked on the training got the announcement")
	}
}

func TestChatNoticeInOwnersLanguage(t *testing.T) {
	script := `@2003 /bahasa
English
@2001 /pelatihan 1
daftar
@2002 /pelatihan 1
daftar
@2003 /pelatihan 1
daftar
yes
@2001 /pelatihansaya
batalkan 1
ya
`
	out, _, err := runWith(t, nil, script, "chat")
	if err != nil {
		t.Fatal(err)
	}
	wantInOrder(t, out, "Language set to English", "sudah dibatalkan", "[ke 2003] ⏳ Good news!")
}

// Owners and staff whose Telegram speaks English and who never used
// /bahasa get the announcement's header and button, the staff report and
// the seat offer in English.
func TestChatProactiveMessagesInTelegramLanguage(t *testing.T) {
	script := `@2001 /pelatihan 1
daftar
@2002 /pelatihan 1
daftar
@2003 /pelatihan 1
daftar
yes
@9001 /siaran
Ruang pelatihan pindah ke lantai 2.
tanpa tombol
peserta pelatihan
1
kirim
@2001 /pelatihansaya
batalkan 1
ya
`
	out, _, err := runWith(t, nil, script, "chat", "-lang", "en")
	if err != nil {
		t.Fatal(err)
	}
	wantInOrder(t, out, "[ke 2001] Announcement from the Dinas", "Stop announcements",
		"[ke 2002] Announcement from the Dinas", "Stop announcements", "✅ Broadcast #1 finished",
		"[ke 2003] ⏳ Good news!")
}

// Greetings, menu words and "berhenti" work in the wired bot, from the
// training list too.
func TestChatWordsFromAnywhere(t *testing.T) {
	script := `assalamualaikum
daftar pelatihan
cek pinjaman
data saya
makasih
berhenti
ya, berhenti
`
	out, _, err := runWith(t, nil, script, "chat")
	if err != nil {
		t.Fatal(err)
	}
	wantInOrder(t, out, "Waalaikumsalam", "Jadwal pelatihan", "Ketik nomor pengajuan pinjaman Anda",
		"Data Anda yang kami simpan", "Sama-sama", "berhenti menerima pengumuman", "tidak akan menerima pengumuman")
}

// TestChatDemoOwnersMatchTheirNIK: every demo owner's birth date, sex and
// kecamatan are the ones their NIK encodes, their consent is on record, and
// the bot addresses them accordingly.
func TestChatDemoOwnersMatchTheirNIK(t *testing.T) {
	script := `@2001 /datasaya
@2002 /datasaya
@2003 /datasaya
@2001 /ubahdata
[2]
[3]
batal
@2002 /ubahdata
[2]
[3]
batal
`
	out, _, err := runWith(t, nil, script, "chat")
	if err != nil {
		t.Fatal(err)
	}
	wantInOrder(t, out,
		"Siti Aminah (contoh)", "Tanggal lahir: Kamis, 5 Juli 1990", "Jenis kelamin: Perempuan",
		"Kecamatan: Pasar Kemis", "setuju — pendaftaran usaha",
		"Budi Santoso (contoh)", "Tanggal lahir: Selasa, 12 Maret 1985", "Jenis kelamin: Laki-laki",
		"Kecamatan: Cikupa", "setuju — pendaftaran usaha",
		"Dewi Lestari (contoh)", "Tanggal lahir: Jumat, 15 Mei 1992", "Jenis kelamin: Perempuan",
		"Kecamatan: Pasar Kemis", "setuju — pendaftaran usaha",
		"Terima kasih, Ibu. Sekarang nomor HP", "Terima kasih, Bapak. Sekarang nomor HP")
	if strings.Contains(out, "1 Januari 1\n") || strings.Contains(out, "Belum ada.") {
		t.Fatalf("a demo record lacks its birth date or consent:\n%s", out)
	}
}

// TestDemoLoanIsSitisLoan: the demo loan's applicant is the demo owner
// whose NIK it carries.
func TestDemoLoanIsSitisLoan(t *testing.T) {
	for _, o := range demoOwners {
		if o.nik == demoLoanNIK && o.name == "Siti Aminah (contoh)" {
			return
		}
	}
	t.Fatalf("the demo loan's NIK %s is not Siti Aminah's", demoLoanNIK)
}

// TestChatLoanApproval is README's approval script: the approved amount
// is asked, confirmed, and reaches the owner with the staff's note.
func TestChatLoanApproval(t *testing.T) {
	script := `@2001 /pinjaman
UPDB-2026-0042
3603 1245 0790 0003
@9001 /pinjamanstaf UPDB-2026-0042
ubah tahap
survei lapangan
lewati
ya
ubah tahap
menunggu keputusan komite
lewati
ya
ubah tahap
disetujui
20 juta
Jadwal akad kami kabarkan lewat telepon minggu ini.
ya
`
	out, _, err := runWith(t, nil, script, "chat")
	if err != nil {
		t.Fatal(err)
	}
	wantInOrder(t, out, "Berapa jumlah yang disetujui untuk UPDB-2026-0042? Jumlah yang diminta: Rp25.000.000.",
		"Jumlah disetujui: Rp20.000.000", "ke Disetujui sebesar Rp20.000.000",
		"Diminta Rp25.000.000 · disetujui Rp20.000.000", "→ Disetujui (Rp20.000.000)",
		"[ke 2001] Selamat, pinjaman Anda disetujui sebesar Rp20.000.000.",
		"[ke 2001] Catatan petugas: Jadwal akad kami kabarkan lewat telepon minggu ini.")
	if strings.Contains(out, "Rp0") {
		t.Fatalf("an amount of Rp0 was shown:\n%s", out)
	}
}

// TestChatTrainingMove is README's training move script: the staff
// preview says who will be told, and every booked and waitlisted owner
// gets the old and the new time in their language.
func TestChatTrainingMove(t *testing.T) {
	script := `@2001 /pelatihan 1
daftar
@2003 /pelatihan 1
daftar
@2002 /bahasa
English
@2002 /pelatihan 1
join the waiting list
yes
@9001 /pelatihanedit 1
ubah
mulai
lusa 13.00
simpan
`
	out, _, err := runWith(t, nil, script, "chat")
	if err != nil {
		t.Fatal(err)
	}
	wantInOrder(t, out, "Waktu atau tempat berubah", "Waktu lama:", "pukul 09.00 WIB sampai pukul 12.00 WIB",
		"Waktu baru:", "pukul 13.00 WIB sampai pukul 16.00 WIB",
		"kabar perubahan ini dikirim kepada 2 peserta dan 1 orang di daftar tunggu",
		"Kabar perubahan jadwal atau tempat sedang dikirim kepada 3 pemilik usaha.",
		"[ke 2001] ⚠️ Jadwal pelatihan berubah", "[ke 2001] 📅 Waktu lama:", "[ke 2001] 📅 Waktu baru:",
		"Kode pendaftaran Anda tetap PLT-1-0001",
		"[ke 2003] ⚠️ Jadwal pelatihan berubah", "Kode pendaftaran Anda tetap PLT-1-0002",
		"[ke 2002] ⚠️ Training rescheduled", "[ke 2002] 📅 Old time:", "at 09.00 WIB until 12.00 WIB",
		"[ke 2002] 📅 New time:", "at 13.00 WIB until 16.00 WIB")
}
