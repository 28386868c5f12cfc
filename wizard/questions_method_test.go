package wizard

import (
	"testing"

	"sitecfg/config"
)

// Every auth method config knows is offered by the wizard, in the same
// order, and choosing it shows only its own questions.
func TestEveryMethodHasItsQuestions(t *testing.T) {
	t.Parallel()
	methods := config.AuthMethods()
	if len(methods) != len(methodUIs) {
		t.Fatalf("config has %d methods, the wizard offers %d", len(methods), len(methodUIs))
	}
	q := authQuestion()
	for i, m := range methods {
		if methodUIs[i].method != m || q.Options[i].Value != string(m) {
			t.Errorf("method %d: config %s, wizard %s / %s", i, m, methodUIs[i].method, q.Options[i].Value)
		}
		s := NewState(nil)
		if err := q.Set(s, string(m)); err != nil {
			t.Fatalf("choose %s: %v", m, err)
		}
		for _, other := range methodUIs {
			if other.method == m {
				continue
			}
			for _, oq := range other.questions() {
				if oq.Applies(s) && oq.Page != PageServer {
					// A question of another method is asked only when the
					// chosen method asks the same field itself.
					if Find(m2q(methodUIs[i]), s, oq.ID) == nil {
						t.Errorf("%s asks %s (%s) of %s", m, oq.ID, oq.Page, other.method)
					}
				}
			}
		}
	}
}

func m2q(ui methodUI) []*Question { return ui.questions() }
