import assert from 'node:assert/strict';
import { replyIdOf } from '../../src/inbound/interactive-reply';
import { chooseRule } from '../../src/inbound/rules';
import { rule } from '../helpers/auto-reply-rule';

describe('interactive taps', () => {
  it('reads the tapped id from button_reply, list_reply and a template quick reply', () => {
    assert.equal(
      replyIdOf({
        type: 'interactive',
        interactive: { type: 'button_reply', button_reply: { id: 'prices', title: 'Prices' } },
      }),
      'prices',
    );
    assert.equal(
      replyIdOf({
        type: 'interactive',
        interactive: { type: 'list_reply', list_reply: { id: 'row-1', title: 'Row' } },
      }),
      'row-1',
    );
    assert.equal(replyIdOf({ type: 'button', button: { text: 'Yes', payload: 'CONFIRM' } }), 'CONFIRM');
    for (const raw of [
      { type: 'text', text: { body: 'prices' } },
      { type: 'interactive', interactive: { button_reply: { id: 5 } } },
      { type: 'button', button: { payload: '' } },
    ]) {
      assert.equal(replyIdOf(raw), undefined, JSON.stringify(raw));
    }
  });

  it('a button rule answers only a tap with exactly its id, never the same words typed', () => {
    const rules = [
      rule({ id: 1, match: 'button', pattern: 'prices' }),
      rule({ id: 2, match: 'contains', pattern: 'hours' }),
    ];
    const now = new Date();
    assert.equal(chooseRule(rules, { text: 'Prices', replyId: 'prices' }, now)?.rule.id, 1);
    assert.equal(chooseRule(rules, { text: 'prices' }, now), undefined);
    assert.equal(chooseRule(rules, 'prices', now), undefined);
    assert.equal(chooseRule(rules, { text: 'Prices', replyId: 'PRICES' }, now), undefined);
    assert.equal(chooseRule(rules, { text: 'Opening hours', replyId: 'hours-btn' }, now)?.rule.id, 2);
  });
});
