package storetest

import (
	"testing"

	"github.com/diskum-tangerang/umkmbot/store"
)

// RunUserStore runs the store.UserStore contract against the stores newStore
// returns (one fresh store per subtest).
func RunUserStore(t *testing.T, newStore func(t *testing.T) store.UserStore) {
	type step struct {
		set    string // the language to set first; "" sets nothing
		client string // the client language to set next; "" sets nothing
		want   string // the language User must then give; "-" means ErrNotFound
		// wantClient is the client language User must then give.
		wantClient string
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"not found", []step{{want: "-"}}},
		{"set language", []step{{set: "id", want: "id"}}},
		{"update language", []step{{set: "id", want: "id"}, {set: "en", want: "en"}}},
		{"set the same language again", []step{{set: "en", want: "en"}, {set: "en", want: "en"}}},
		{"update back and forth", []step{{set: "id", want: "id"}, {set: "en", want: "en"}, {want: "en"},
			{set: "id", want: "id"}}},
		{"client language creates the user without a choice", []step{{client: "en", wantClient: "en"}}},
		{"client language keeps the choice", []step{{set: "id", want: "id"},
			{client: "en", want: "id", wantClient: "en"}, {client: "id", want: "id", wantClient: "id"}}},
		{"choice keeps the client language", []step{{client: "en", wantClient: "en"},
			{set: "id", want: "id", wantClient: "en"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			const id, other = 5551001, 5551002
			var first store.User
			for i, st := range tt.steps {
				if st.set != "" {
					wantErr(t, "SetLanguage", s.SetLanguage(bg(t), id, st.set), nil)
				}
				if st.client != "" {
					wantErr(t, "SetClientLanguage", s.SetClientLanguage(bg(t), id, st.client), nil)
				}
				u, err := s.User(bg(t), id)
				if st.want == "-" {
					wantErr(t, "User", err, store.ErrNotFound)
					continue
				}
				wantErr(t, "User", err, nil)
				if u.ID != id || u.Lang != st.want || u.ClientLang != st.wantClient {
					t.Errorf("step %d: User = %+v, want id %d, lang %q, client lang %q", i, u, id, st.want, st.wantClient)
				}
				if u.CreatedAt.IsZero() || u.UpdatedAt.Before(u.CreatedAt) {
					t.Errorf("step %d: created %v, updated %v", i, u.CreatedAt, u.UpdatedAt)
				}
				if first.ID == 0 {
					first = u
				} else if !u.CreatedAt.Equal(first.CreatedAt) || u.UpdatedAt.Before(first.UpdatedAt) {
					t.Errorf("step %d: created %v, updated %v; first created %v, updated %v",
						i, u.CreatedAt, u.UpdatedAt, first.CreatedAt, first.UpdatedAt)
				}
			}
			_, err := s.User(bg(t), other)
			wantErr(t, "User of someone else", err, store.ErrNotFound)
		})
	}
}

// RunStaffStore runs the store.StaffStore contract against the stores
// newStore returns (one fresh store per subtest).
func RunStaffStore(t *testing.T, newStore func(t *testing.T) store.StaffStore) {
	tests := []struct {
		name  string
		add   []int64 // added in order, named "Staf <n>"
		check int64
		want  bool
	}{
		{"nobody is staff", nil, 42, false},
		{"added is staff", []int64{42}, 42, true},
		{"another is not staff", []int64{42}, 43, false},
		{"added twice", []int64{42, 42}, 42, true},
		{"one of several", []int64{41, 42, 43}, 42, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			for i, id := range tt.add {
				wantErr(t, "AddStaff", s.AddStaff(bg(t), id, "Staf "+string(rune('A'+i))), nil)
			}
			got, err := s.IsStaff(bg(t), tt.check)
			wantErr(t, "IsStaff", err, nil)
			if got != tt.want {
				t.Errorf("IsStaff(%d) = %v, want %v", tt.check, got, tt.want)
			}
		})
	}
}
