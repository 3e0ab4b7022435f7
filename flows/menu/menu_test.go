package menu

import "testing"

func TestShortcut(t *testing.T) {
	tests := []struct{ in, want string }{
		{"pelatihan", "/pelatihan"},
		{"Daftar pelatihan", "/pelatihan"},
		{"saya mau daftar pelatihan menjahit", "/pelatihan"},
		{"jadwal training", "/pelatihan"},
		{"pelatihan saya", "/pelatihansaya"},
		{"pinjaman", "/pinjaman"},
		{"cek pinjaman", "/pinjaman"},
		{"mau pinjam modal", "/pinjaman"},
		{"dana bergulir", "/pinjaman"},
		{"data saya", "/datasaya"},
		{"Data saya dong", "/datasaya"},
		{"ubah data", "/ubahdata"},
		{"hapus data saya", "/hapusdata"},
		{"daftar", "/daftar"},
		{"daftar usaha", "/daftar"},
		{"ganti bahasa", "/bahasa"},
		{"check my loan", "/pinjaman"},
		{"", ""},
		{"apa kabar", ""},
		{"UPDB-2026-0042", ""},
		{"Kue Basah Bu Siti", ""},
		{"datang", ""},
		// Commands no flow claims, as typed: the command they name.
		{"/cekpinjaman", "/pinjaman"},
		{"/CekPinjaman@umkm_bot", "/pinjaman"},
		{"/daftarusaha", "/daftar"},
		{"/daftarpelatihan", "/pelatihan"},
		{"/jadwal_pelatihan", "/pelatihan"},
		{"/lihatdatasaya", "/datasaya"},
		{"/hack", ""},
		{"/cek", ""},
		{"/", ""},
	}
	for _, tt := range tests {
		if got := Shortcut(tt.in); got != tt.want {
			t.Errorf("Shortcut(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
