package field

// Class is a business size class under PP 7/2021 Pasal 35.
type Class string

// The classes, smallest first.
const (
	ClassMikro    Class = "mikro"
	ClassKecil    Class = "kecil"
	ClassMenengah Class = "menengah"
	ClassBesar    Class = "besar"
)

// Basis says which figure decided the class.
type Basis string

// The bases: annual sales (hasil penjualan tahunan) or capital (modal usaha,
// without land and buildings).
const (
	BasisOmzet Basis = "omzet"
	BasisModal Basis = "modal"
)

// Criteria are the inclusive upper bounds, in whole rupiah, of mikro, kecil
// and menengah; above the last is besar. The law gets amended, so the
// bounds are a value the caller may replace.
type Criteria struct {
	Modal [3]int64
	Omzet [3]int64
}

// PP7_2021 are the bounds of PP 7/2021 Pasal 35 (domain.md §1).
var PP7_2021 = Criteria{
	Modal: [3]int64{1_000_000_000, 5_000_000_000, 10_000_000_000},
	Omzet: [3]int64{2_000_000_000, 15_000_000_000, 50_000_000_000},
}

// Classify applies PP7_2021; see Criteria.Classify.
func Classify(modal, omzetYear int64, omzetKnown bool) (Class, Basis) {
	return PP7_2021.Classify(modal, omzetYear, omzetKnown)
}

// Classify derives the class from annual sales when they are known, and
// from modal usaha otherwise. Bounds are inclusive ("paling banyak"); a
// negative figure counts as zero.
func (c Criteria) Classify(modal, omzetYear int64, omzetKnown bool) (Class, Basis) {
	if omzetKnown {
		return classOf(omzetYear, c.Omzet), BasisOmzet
	}
	return classOf(modal, c.Modal), BasisModal
}

func classOf(v int64, bounds [3]int64) Class {
	switch {
	case v <= bounds[0]:
		return ClassMikro
	case v <= bounds[1]:
		return ClassKecil
	case v <= bounds[2]:
		return ClassMenengah
	}
	return ClassBesar
}
