import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config';
import { createWordPressClient } from '../../src/providers/wordpress/client';
import type { PresetName } from '../../src/providers/wordpress/presets';
import { importLeads, startProgress } from '../../src/services/wordpress-import';
import { FakeWordPress, type FakeEntry, type FakeStyle } from '../fakes/fake-wordpress';
import { truncateAll } from '../helpers/database';
import { getShared } from '../helpers/system';

const phone = (i: number) => `+49 151 ${40_000_000 + i}`;

// Entries shaped like each plugin's REST reply (docs/wordpress.md), 25 of them.
const SHAPES: Record<
  Exclude<PresetName, 'custom'>,
  { style: FakeStyle; path: string; entry: (i: number) => FakeEntry; env?: Record<string, string> }
> = {
  'gravity-forms': {
    style: 'gravity',
    path: '/wp-json/gf/v2/entries',
    entry: (i) => ({
      id: i,
      form_id: '1',
      date_created: '2026-11-01 09:00:00',
      date_updated: '2026-11-01 09:00:00',
      '1.3': 'Ada',
      '1.6': `Gravity${i}`,
      '2': `g${i}@example.com`,
      '3': phone(i),
    }),
  },
  'fluent-forms': {
    style: 'core',
    path: '/wp-json/fluentform/v1/submissions',
    entry: (i) => ({
      id: i,
      form_id: 2,
      updated_at: '2026-11-01 09:00:00',
      response: JSON.stringify({
        names: { first_name: 'Grace', last_name: `Fluent${i}` },
        email: `f${i}@example.com`,
        phone: phone(i),
      }),
    }),
    env: { WORDPRESS_CONTACTS_PATH: '/wp-json/fluentform/v1/submissions?form_id=2' },
  },
  elementor: {
    style: 'elementor',
    path: '/wp-json/elementor/v1/form-submissions',
    entry: (i) => ({
      id: i,
      created_at_gmt: '2026-11-01 09:00:00',
      values: [
        { key: 'name', value: `Elementor ${i}` },
        { key: 'email', value: `e${i}@example.com` },
        { key: 'phone', value: phone(i) },
      ],
    }),
  },
  users: {
    style: 'users',
    path: '/wp-json/wp/v2/users',
    entry: (i) => ({
      id: i,
      name: `User ${i}`,
      email: `u${i}@example.com`,
      registered_date: '2026-11-01T09:00:00+00:00',
      meta: { phone: phone(i) },
    }),
  },
};

describe('WordPress presets: plugin-shaped entries become contacts', () => {
  const db = () => getShared().database.db;
  beforeEach(() => truncateAll(db()));

  for (const [preset, shape] of Object.entries(SHAPES)) {
    it(`${preset}: pages through 25 entries (10 a page) and maps name, email and phone`, async () => {
      const wp = await new FakeWordPress({ style: shape.style, path: shape.path }).start();
      try {
        wp.add(...Array.from({ length: 25 }, (_, i) => shape.entry(i + 1)));
        const config = loadConfig({
          WEBHOOK_SECRET: 'x',
          WORDPRESS_URL: wp.url,
          WORDPRESS_USERNAME: wp.username,
          WORDPRESS_APP_PASSWORD: wp.password,
          WORDPRESS_PRESET: preset,
          WORDPRESS_PER_PAGE: '10',
          ...shape.env,
        }).wordpress!;
        const done = await importLeads(
          {
            db: db(),
            client: createWordPressClient(config),
            fields: config.fields,
            taskQueue: 'wordpress-presets-test',
          },
          undefined,
          startProgress(),
        );
        assert.deepEqual(
          [done.counts.fetched, done.counts.created, done.counts.skipped, done.counts.pages],
          [25, 25, 0, 3],
        );
        const contact = await db()('contacts').where({ phone_number: '+4915140000007' }).first();
        assert.ok(contact, 'entry 7 became a contact');
        assert.match(contact.name, /7$/);
        assert.match(contact.email, /^[a-z]7@example\.com$/);
        assert.equal(contact.source, 'wordpress');
      } finally {
        await wp.stop();
      }
    });
  }
});
