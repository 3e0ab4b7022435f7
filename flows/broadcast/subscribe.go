package broadcast

import (
	"github.com/looplab/fsm"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/field"
)

// StopAsk is the flow the engine starts when someone outside a form types
// "berhenti" or "stop" (flows.Config.StopFlow): it asks whether they want
// to stop receiving announcements.
const StopAsk = "stopask"

// stopAskFlow asks "Berhenti menerima pengumuman?" with Ya / Tidak; yes
// does what /berhenti does, no shows the menu.
func (b *bc) stopAskFlow() *flows.Flow {
	return &flows.Flow{
		Name: StopAsk, Version: 1, Title: flows.T("bc_title_sub"), Start: "ask", Events: fsm.Events{},
		Steps: map[string]*flows.Step{"ask": {
			Prompt: func(*flows.Ctx) flows.Reply {
				return flows.Say("bc_stop_ask").
					WithRow(flows.Btn("bc_btn_stop_yes", "yes"), flows.Btn("bc_btn_stop_no", "no"))
			},
			Help: flows.T("bc_help_stop_ask"),
			Text: true,
			Handle: func(c *flows.Ctx, in flows.Input) (string, error) {
				choice := in.Choice
				switch {
				case choice != "":
				case field.IsYes(in.Text), field.IsStop(in.Text):
					choice = "yes"
				case field.IsNo(in.Text):
					choice = "no"
				}
				switch choice {
				case "yes":
					if err := b.setSubscribed(c, false); err != nil {
						return flows.Stay, err
					}
				case "no":
					c.Say("bc_stop_kept")
				default:
					return flows.Stay, flows.Invalid("err_choose_button")
				}
				c.Switch(b.opt.Menu, "")
				return flows.End, nil
			},
		}},
	}
}

// subscribeFlow is /berhenti (on false) or /langganan (on true). Both may
// be sent any number of times: the choice is simply recorded again.
func (b *bc) subscribeFlow(name string, on bool) *flows.Flow {
	return commandFlow(name, false, flows.T("bc_title_sub"), func(c *flows.Ctx) error {
		return b.setSubscribed(c, on)
	})
}

// setSubscribed records the owner's choice and tells them what it means:
// someone who has not registered a business is told that announcements go
// to registered owners (their choice is kept for when they register).
func (b *bc) setSubscribed(c *flows.Ctx, on bool) error {
	if err := b.camps.SetSubscribed(c, c.UserID(), on); err != nil {
		return err
	}
	if !on {
		c.Say("bc_unsubscribed")
		return nil
	}
	if b.opt.Owners != nil {
		regs, err := b.opt.Owners.RegistrationsOf(c, c.UserID())
		if err != nil {
			return err
		}
		if len(regs) == 0 {
			c.Say("bc_subscribe_unregistered")
			return nil
		}
	}
	c.Say("bc_subscribed")
	return nil
}
