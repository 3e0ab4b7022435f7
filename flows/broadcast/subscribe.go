package broadcast

import (
	"errors"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/store"
)

// subscribeFlow is /berhenti (on false) or /langganan (on true). Both may
// be sent any number of times: the choice is simply recorded again.
func (b *bc) subscribeFlow(name string, on bool) *flows.Flow {
	return commandFlow(name, false, flows.T("bc_title_sub"), func(c *flows.Ctx) error {
		err := b.camps.SetSubscribed(c, c.UserID(), on)
		switch {
		case errors.Is(err, store.ErrNotFound) && on:
			// Announcements go to registered owners only.
			c.Say("bc_subscribe_unregistered")
			return nil
		case err != nil && !errors.Is(err, store.ErrNotFound):
			return err
		case on:
			c.Say("bc_subscribed")
		default:
			c.Say("bc_unsubscribed")
		}
		return nil
	})
}
