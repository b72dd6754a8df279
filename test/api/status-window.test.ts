import assert from 'node:assert/strict';
import { assertError } from '../helpers/assert-error';
import { groupWithMembers } from '../helpers/broadcasts';
import { useSystem } from '../helpers/use-system';

const HOUR = 3_600_000;
const MENU = { type: 'image', link: 'https://example.com/menu.jpg' };

/**
 * POST /status/ checks the audience's 24-hour service windows as POST /whatsapp/ checks a
 * broadcast's: a warning with how many are closed and what happens to them; under `enforce` a
 * status that would reach nobody (every window closed) is refused, naming the field.
 */
function statusWindowSuite(policy: 'enforce' | 'warn') {
  const sut = useSystem({ SERVICE_WINDOW_POLICY: policy }, { worker: false });

  /** A group of `size` whose first `open` members wrote to us an hour ago. */
  async function audience(size: number, open: number) {
    const { group } = await groupWithMembers(sut.system.db, sut.api, size);
    const ids = (await sut.system.db('contacts').where({ group_id: group.id }).orderBy('id').select('id')).map(
      (r: { id: number }) => r.id,
    );
    await sut.system
      .db('contacts')
      .whereIn('id', ids.slice(0, open))
      .update({ last_inbound_at: new Date(Date.now() - HOUR) });
    return group.id as number;
  }

  return { sut, audience };
}

describe('POST /status/ and the 24-hour window (SERVICE_WINDOW_POLICY=enforce)', () => {
  const { sut, audience } = statusWindowSuite('enforce');

  it('accepts a status some recipients cannot get, warning how many will be skipped; GET shows the warning', async () => {
    const groupId = await audience(3, 1);
    const created = await sut.api.post('/status/', { text: 'Open today', group_ids: [groupId] });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(
      created.body.warnings.map((w: any) => w.code),
      ['outside_service_window_warning'],
    );
    assert.match(created.body.warnings[0].message, /2 recipient\(s\) have a closed window.*skipped/);
    assert.deepEqual((await sut.api.get(`/status/${created.body.id}/`)).body.warnings, created.body.warnings);
  });

  it('refuses free text or media that every recipient would miss with 422 outside_service_window, and stores nothing', async () => {
    const groupId = await audience(2, 0);
    const text = assertError(
      await sut.api.post('/status/', { text: 'Open today', group_ids: [groupId] }),
      422,
      'outside_service_window',
    );
    assert.equal(text.details?.[0].path, 'text');
    assert.match(text.message, /2 of 2/);
    const media = assertError(
      await sut.api.post('/status/', { text: 'Menu', media: MENU, group_ids: [groupId] }),
      422,
      'outside_service_window',
    );
    assert.equal(media.details?.[0].path, 'media');
    assert.equal((await sut.api.get('/status/')).body.count, 0);
    // The same rule for a broadcast from POST /whatsapp/, whose free-text field is `message`.
    const broadcast = assertError(
      await sut.api.post('/whatsapp/', { group_id: groupId, message: 'Open today' }),
      422,
      'outside_service_window',
    );
    assert.equal(broadcast.details?.[0].path, 'message');
  });

  it('a template status needs no open window', async () => {
    const groupId = await audience(2, 0);
    const created = await sut.api.post('/status/', {
      text: 'Sale',
      template: { name: 'spring_sale', language: 'en' },
      group_ids: [groupId],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.ok(!created.body.warnings.some((w: any) => w.code.startsWith('outside_service_window')));
  });
});

describe('POST /status/ and the 24-hour window (SERVICE_WINDOW_POLICY=warn)', () => {
  const { sut, audience } = statusWindowSuite('warn');

  it('accepts a status nobody can get as free text, with a warning that WhatsApp will probably refuse it', async () => {
    const groupId = await audience(2, 0);
    const created = await sut.api.post('/status/', { text: 'Open today', group_ids: [groupId] });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.warnings[0].code, 'outside_service_window_warning');
    assert.match(created.body.warnings[0].message, /2 recipient\(s\) have a closed window.*probably refuse/);
  });
});
