import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config';
import { mapEntry, parseWordPressTime, seenBefore } from '../../src/providers/wordpress/entry';
import { joinText, pickText, readPath } from '../../src/providers/wordpress/field-map';
import { PRESETS } from '../../src/providers/wordpress/presets';

const BASE_ENV = {
  WEBHOOK_SECRET: 'x',
  WORDPRESS_URL: 'https://shop.example.com/',
  WORDPRESS_USERNAME: 'bot',
  WORDPRESS_APP_PASSWORD: 'abcd efgh ijkl mnop',
};

describe('WordPress field paths', () => {
  it('follows plain dot paths and keys that contain dots', () => {
    const gravity = {
      id: '7',
      '1.3': 'Ada',
      '1.6': 'Lovelace',
      '3': '+49 151 12345678',
      fields: { phone: { number: '1' } },
    };
    assert.equal(readPath(gravity, 'fields.phone.number'), '1');
    assert.equal(pickText(gravity, '3'), '+49 151 12345678');
    assert.equal(joinText(gravity, '1.3,1.6'), 'Ada Lovelace');
  });

  it('reads inside JSON held in a string (Fluent Forms) and key/value arrays (Elementor)', () => {
    const fluent = {
      id: 3,
      response: JSON.stringify({ names: { first_name: 'Grace', last_name: 'Hopper' }, phone: '+4915112345679' }),
    };
    assert.equal(joinText(fluent, PRESETS['fluent-forms'].fields.name), 'Grace Hopper');
    assert.equal(pickText(fluent, PRESETS['fluent-forms'].fields.phone), '+4915112345679');
    const elementor = {
      id: 9,
      values: [
        { key: 'name', value: 'Linus' },
        { key: 'phone', value: '+4915112345670' },
      ],
    };
    assert.equal(pickText(elementor, 'values.phone'), '+4915112345670');
    assert.equal(pickText(elementor, 'values.1.value'), '+4915112345670');
  });

  it('takes the first comma-separated alternative that holds a value, and rendered objects', () => {
    assert.equal(pickText({ modified: '2026-01-01 10:00:00' }, 'modified_gmt,modified'), '2026-01-01 10:00:00');
    assert.equal(pickText({ title: { rendered: ' Hello ' } }, 'title'), 'Hello');
    assert.equal(pickText({ phone: '' }, 'phone'), undefined);
  });
});

describe('WordPress entries to leads', () => {
  const fields = PRESETS.custom.fields;

  it('normalises the phone and keeps only a plausible email', () => {
    const mapped = mapEntry(
      { id: 5, name: 'Ada', phone: '+49 (151) 1234-5678', email: 'not an email', modified_gmt: '2026-11-27T10:00:00' },
      fields,
    );
    assert.deepEqual(mapped, {
      ok: true,
      lead: {
        externalId: '5',
        modifiedAt: '2026-11-27T10:00:00.000Z',
        name: 'Ada',
        email: undefined,
        phone: '+4915112345678',
      },
    });
  });

  it('reports missing and invalid phones with their reason', () => {
    assert.deepEqual(mapEntry({ id: 1, name: 'x' }, fields), { ok: false, externalId: '1', reason: 'missing_phone' });
    assert.deepEqual(mapEntry({ id: 2, phone: '12345' }, fields), {
      ok: false,
      externalId: '2',
      reason: 'invalid_phone',
      value: '12345',
    });
    const local = mapEntry({ id: 3, phone: '0151 12345678' }, fields, 'DE');
    assert.equal(local.ok && local.lead.phone, '+4915112345678');
  });

  it('reads WordPress times without an offset as UTC and compares with the cursor', () => {
    assert.equal(parseWordPressTime('2026-11-27 10:15:00'), '2026-11-27T10:15:00.000Z');
    assert.equal(parseWordPressTime('2026-11-27T10:15:00+01:00'), '2026-11-27T09:15:00.000Z');
    assert.equal(parseWordPressTime('yesterday'), undefined);
    const cursor = { modifiedAt: '2026-11-27T10:00:00.000Z', id: '10' };
    assert.equal(seenBefore({ modifiedAt: '2026-11-27T10:00:00.000Z', externalId: '9' }, cursor), true);
    assert.equal(seenBefore({ modifiedAt: '2026-11-27T10:00:00.000Z', externalId: '11' }, cursor), false);
    assert.equal(seenBefore({ externalId: '1' }, cursor), false);
  });
});

describe('WordPress configuration', () => {
  it('is off without WORDPRESS_URL', () => {
    assert.equal(loadConfig({ WEBHOOK_SECRET: 'x' }).wordpress, undefined);
  });

  it('fills path, paging and fields from a preset; variables override them', () => {
    const gravity = loadConfig({
      ...BASE_ENV,
      WORDPRESS_PRESET: 'gravity-forms',
      WORDPRESS_FIELD_PHONE: '4',
      WORDPRESS_SYNC_INTERVAL: '30s',
    }).wordpress;
    assert.equal(gravity?.url, 'https://shop.example.com');
    assert.equal(gravity?.path, '/wp-json/gf/v2/entries');
    assert.equal(gravity?.paging, 'gravity');
    assert.equal(gravity?.fields.phone, '4');
    assert.equal(gravity?.fields.name, '1.3,1.6');
    assert.equal(gravity?.intervalMs, 30_000);
    assert.equal(gravity?.appPassword, 'abcd efgh ijkl mnop');
    const custom = loadConfig({
      ...BASE_ENV,
      WORDPRESS_CONTACTS_PATH: '/wp-json/leads/v1/entries',
      WORDPRESS_FIELD_PHONE: 'fields.phone',
    }).wordpress;
    assert.equal(custom?.preset, 'custom');
    assert.equal(custom?.intervalMs, 5 * 60_000);
    assert.equal(custom?.fields.phone, 'fields.phone');
  });

  it('stops start-up naming the variable that is missing or malformed', () => {
    const fails = (env: Record<string, string>, name: string) =>
      assert.throws(
        () => loadConfig({ ...BASE_ENV, ...env }),
        (err: Error) => err instanceof ConfigError && err.message.includes(name),
      );
    fails({}, 'WORDPRESS_CONTACTS_PATH');
    fails({ WORDPRESS_PRESET: 'gravity-forms', WORDPRESS_SYNC_INTERVAL: 'often' }, 'WORDPRESS_SYNC_INTERVAL');
    fails({ WORDPRESS_PRESET: 'ninja' }, 'WORDPRESS_PRESET');
    fails({ WORDPRESS_PRESET: 'users', WORDPRESS_APP_PASSWORD: '' }, 'WORDPRESS_APP_PASSWORD');
    fails({ WORDPRESS_PRESET: 'users', WORDPRESS_URL: 'ftp://x' }, 'WORDPRESS_URL');
    fails({ WORDPRESS_CONTACTS_PATH: 'wp-json/x' }, 'WORDPRESS_CONTACTS_PATH');
  });
});
