package field

import "testing"

func TestClassify(t *testing.T) {
	const (
		juta   = 1_000_000
		miliar = 1_000 * juta
	)
	tests := []struct {
		modal, omzet int64
		known        bool
		class        Class
		basis        Basis
	}{
		{0, 0, false, ClassMikro, BasisModal},
		{-5, 0, false, ClassMikro, BasisModal},
		{1 * miliar, 0, false, ClassMikro, BasisModal},
		{1*miliar + 1, 0, false, ClassKecil, BasisModal},
		{5 * miliar, 0, false, ClassKecil, BasisModal},
		{5*miliar + 1, 0, false, ClassMenengah, BasisModal},
		{10 * miliar, 0, false, ClassMenengah, BasisModal},
		{10*miliar + 1, 0, false, ClassBesar, BasisModal},
		{0, 2 * miliar, true, ClassMikro, BasisOmzet},
		{0, 2*miliar + 1, true, ClassKecil, BasisOmzet},
		{0, 15 * miliar, true, ClassKecil, BasisOmzet},
		{0, 15*miliar + 1, true, ClassMenengah, BasisOmzet},
		{0, 50 * miliar, true, ClassMenengah, BasisOmzet},
		{0, 50*miliar + 1, true, ClassBesar, BasisOmzet},
		{20 * miliar, 1 * miliar, true, ClassMikro, BasisOmzet}, // omzet decides when known
		{20 * miliar, 1 * miliar, false, ClassBesar, BasisModal},
		{50 * juta, 0, true, ClassMikro, BasisOmzet},
	}
	for _, tt := range tests {
		c, b := Classify(tt.modal, tt.omzet, tt.known)
		if c != tt.class || b != tt.basis {
			t.Errorf("Classify(%d, %d, %v) = %s, %s; want %s, %s", tt.modal, tt.omzet, tt.known, c, b, tt.class, tt.basis)
		}
	}
	old := Criteria{Modal: [3]int64{50 * juta, 500 * juta, 10 * miliar}, Omzet: [3]int64{300 * juta, 2500 * juta, 50 * miliar}}
	if c, _ := old.Classify(100*juta, 0, false); c != ClassKecil {
		t.Errorf("custom criteria: %s, want kecil", c)
	}
}
