import assert from 'node:assert/strict';
import { extractEvents } from '../../src/api/webhooks/events';
import { MAX_INBOUND_TEXT } from '../../src/inbound/bounded-text';
import { foldKeyword, isKeyword } from '../../src/inbound/keywords';
import { inboundText } from '../fakes/webhook-bodies';

const HOSTILE = 128 * 1024;

describe('inbound text: bounded and matched in linear time', () => {
  it('folds a 128K-character hostile text (a long run of spaces and punctuation not at the end) correctly', () => {
    // The shape that made `[\p{P}\s]+$` quadratic: every start inside the run scanned to its end, then failed.
    const hostile = `a${' !'.repeat(HOSTILE / 2)}b`;
    assert.equal(foldKeyword(hostile), `A${' !'.repeat(HOSTILE / 2)}B`);
    assert.equal(isKeyword(hostile, ['STOP']), false);
    assert.equal(isKeyword(`${' .'.repeat(HOSTILE / 2)}Stop${'! '.repeat(HOSTILE / 2)}`, ['STOP']), true);
    assert.equal(foldKeyword(`¡¿ Arrêt ?!`), 'ARRET');
  });

  it("keeps at most 4,096 characters of an inbound text (WhatsApp's limit), in the event and its raw copy", () => {
    const { body } = inboundText(`STOP${' '.repeat(HOSTILE)}`, { from: '+4915112345678' });
    const [event] = extractEvents(body as never).messages;
    assert.equal(event.text?.length, MAX_INBOUND_TEXT);
    assert.equal(isKeyword(event.text, ['STOP']), true);
    assert.equal((event.raw as { text: { body: string } }).text.body.length, MAX_INBOUND_TEXT);
    // A cut never leaves half of a surrogate pair.
    const emoji = inboundText(`x${'😀'.repeat(HOSTILE)}`, { from: '+4915112345678' });
    const text = extractEvents(emoji.body as never).messages[0].text ?? '';
    assert.equal(text.length, MAX_INBOUND_TEXT - 1);
    assert.equal(text, `x${'😀'.repeat((MAX_INBOUND_TEXT - 2) / 2)}`);
  });
});
