import assert from 'node:assert/strict';
import { assertError } from '../helpers/assert-error';
import { useSystem } from '../helpers/use-system';

describe('managing auto-reply rules at /auto-replies/', () => {
  const sut = useSystem({}, { worker: false });

  const hours = { time_zone: 'Europe/Berlin', days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00' };

  it('creates, lists, reads, replaces and deletes a rule, with defaults filled in', async () => {
    const created = await sut.api.post('/auto-replies', {
      name: 'Opening hours',
      match: 'contains',
      pattern: 'open',
      reply: { message: 'We open at 9.' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(
      { ...created.body, id: undefined, created_at: undefined, updated_at: undefined },
      {
        id: undefined,
        name: 'Opening hours',
        match: 'contains',
        pattern: 'open',
        case_sensitive: false,
        reply: { message: 'We open at 9.' },
        priority: 0,
        active: true,
        business_hours: null,
        outside_hours_reply: null,
        created_at: undefined,
        updated_at: undefined,
      },
    );
    const id = created.body.id;
    await sut.api.post('/auto-replies/', {
      name: 'Fallback',
      match: 'any',
      priority: -10,
      reply: { template: { name: 'thanks', language: 'en' } },
    });

    const list = await sut.api.get('/auto-replies/');
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.results.map((r: any) => r.name),
      ['Opening hours', 'Fallback'],
      'highest priority first',
    );
    assert.equal((await sut.api.get(`/auto-replies/${id}/`)).body.name, 'Opening hours');

    const replaced = await sut.api.put(`/auto-replies/${id}/`, {
      name: 'Opening hours',
      match: 'regex',
      pattern: '^(when|what time).*open',
      priority: 5,
      reply: { message: 'We open at 9.' },
      business_hours: hours,
      outside_hours_reply: { message: 'We are closed now; we open at 9.' },
    });
    assert.equal(replaced.status, 200, JSON.stringify(replaced.body));
    assert.deepEqual(replaced.body.business_hours, hours);
    assert.equal(replaced.body.match, 'regex');

    assert.equal((await sut.api.delete(`/auto-replies/${id}`)).status, 204);
    assertError(await sut.api.get(`/auto-replies/${id}/`), 404, 'not_found');
    assertError(
      await sut.api.put(`/auto-replies/${id}/`, { name: 'x', match: 'any', reply: { message: 'x' } }),
      404,
      'not_found',
    );
  });

  it('refuses invalid rules with a 400 naming the field', async () => {
    const bad = async (body: unknown, path: string) => {
      const error = assertError(await sut.api.post('/auto-replies/', body), 400, 'validation_error');
      assert.ok(
        error.details?.some((d) => d.path === path),
        `${path} not named: ${JSON.stringify(error)}`,
      );
    };
    const reply = { message: 'hi' };
    await bad({ name: 'no pattern', match: 'contains', reply }, 'pattern');
    await bad({ name: 'broken regex', match: 'regex', pattern: '(unclosed', reply }, 'pattern');
    await bad({ name: 'backreference', match: 'regex', pattern: '(a)\\1', reply }, 'pattern');
    await bad({ name: 'lookahead', match: 'regex', pattern: 'order(?=\\d)', reply }, 'pattern');
    await bad({ name: 'bad match', match: 'fuzzy', pattern: 'x', reply }, 'match');
    await bad(
      { name: 'both replies', match: 'any', reply: { message: 'a', template: { name: 't', language: 'en' } } },
      'reply',
    );
    await bad(
      { name: 'zone', match: 'any', reply, business_hours: { ...hours, time_zone: 'Mars/Olympus' } },
      'business_hours.time_zone',
    );
    await bad({ name: 'clock', match: 'any', reply, business_hours: { ...hours, end: '25:00' } }, 'business_hours.end');
    await bad({ name: 'orphan', match: 'any', reply, outside_hours_reply: reply }, 'outside_hours_reply');
    await bad({ name: 'extra', match: 'any', reply, colour: 'red' }, 'colour');
    assert.equal((await sut.api.get('/auto-replies/')).body.count, 0);
  });

  it('runs any pattern RE2 accepts in linear time: the shapes a backtracking engine explodes on are ordinary rules', async () => {
    for (const pattern of ['^((a|a){1,9}){1,9}b', 'a*a*a*a*a*b', '(a+){1,9}$', '^(a+)+$', '(hi|hello)*x']) {
      const created = await sut.api.post('/auto-replies/', {
        name: pattern,
        match: 'regex',
        pattern,
        reply: { message: 'x' },
      });
      assert.equal(created.status, 201, `${pattern}: ${JSON.stringify(created.body)}`);
    }
  });

  it('caps the active rules at AUTO_REPLY_MAX_RULES (100 by default): 422 naming active', async () => {
    await sut.system.db('auto_reply_rules').insert(
      Array.from({ length: 99 }, (_, i) => ({
        name: `r${i}`,
        match: 'any',
        reply: JSON.stringify({ message: 'x' }),
      })),
    );
    const hundredth = await sut.api.post('/auto-replies/', { name: 'last one', match: 'any', reply: { message: 'x' } });
    assert.equal(hundredth.status, 201);
    const over = assertError(
      await sut.api.post('/auto-replies/', { name: 'one too many', match: 'any', reply: { message: 'x' } }),
      422,
      'too_many_rules',
    );
    assert.equal(over.details?.[0].path, 'active');
    const inactive = await sut.api.post('/auto-replies/', {
      name: 'parked',
      match: 'any',
      active: false,
      reply: { message: 'x' },
    });
    assert.equal(inactive.status, 201, 'inactive rules do not count');
    assertError(
      await sut.api.put(`/auto-replies/${inactive.body.id}/`, {
        name: 'parked',
        match: 'any',
        active: true,
        reply: { message: 'x' },
      }),
      422,
      'too_many_rules',
    );
    assert.equal(
      (
        await sut.api.put(`/auto-replies/${hundredth.body.id}/`, {
          name: 'renamed',
          match: 'any',
          reply: { message: 'y' },
        })
      ).status,
      200,
      'an active rule may still change',
    );
  });
});
