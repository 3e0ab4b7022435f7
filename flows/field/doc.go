// Package field holds the pure parsers that turn what UMKM owners type into
// typed values: NIK, mobile numbers, rupiah amounts, NIB, years, worker
// counts, the kecamatan and desa of Kabupaten Tangerang, business sectors,
// the PP 7/2021 size class, and the short words people use for yes, no,
// cancel, back, menu, help and skip.
//
// Every parser is a plain function of its input (and, where dates matter, of
// the current time passed in): no I/O, no globals that change, no panics on
// any input. A failure is a *Error whose Code names the reason and whose Data
// carries the values the message needs; the flows show it as the message
// "field_<code>" from locales/. Error data never holds a full NIK or phone
// number, so an error may be logged.
//
// Flow packages (flows/<name>) import it; it imports only the standard
// library.
package field
