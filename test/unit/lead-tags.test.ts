import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config';
import { mapEntry } from '../../src/providers/wordpress/entry';
import { PRESETS } from '../../src/providers/wordpress/presets';
import { cleanTags } from '../../src/campaigns/tags';

const BASE_ENV = {
  WEBHOOK_SECRET: 'x',
  WORDPRESS_URL: 'https://shop.example.com/',
  WORDPRESS_USERNAME: 'bot',
  WORDPRESS_APP_PASSWORD: 'abcd efgh ijkl mnop',
};

describe('tags from WordPress entries', () => {
  it('WORDPRESS_FIELD_TAGS and WORDPRESS_TAGS reach the config, normalised', () => {
    const config = loadConfig({
      ...BASE_ENV,
      WORDPRESS_CONTACTS_PATH: '/wp-json/leads/v1/entries',
      WORDPRESS_FIELD_TAGS: 'form,meta.campaign',
      WORDPRESS_TAGS: 'Website; Lead ',
    }).wordpress;
    assert.equal(config?.fields.tags, 'form,meta.campaign');
    assert.deepEqual(config?.fields.fixedTags, ['website', 'lead']);
    assert.deepEqual(loadConfig({ ...BASE_ENV, WORDPRESS_CONTACTS_PATH: '/x' }).wordpress?.fields.fixedTags, []);
  });

  it('a lead carries the fixed tags plus every value under the tag paths (text split at , ; | or lists)', () => {
    const fields = { ...PRESETS.custom.fields, tags: 'form,meta.campaign,missing', fixedTags: ['website'] };
    const entry = {
      id: 1,
      name: 'Ada',
      phone: '+4915112345678',
      form: 'Spring Landing',
      meta: { campaign: ['Berlin', 'VIP|vip', '#bad'] },
    };
    const mapped = mapEntry(entry, fields);
    assert.ok(mapped.ok);
    assert.deepEqual(mapped.lead.tags, ['website', 'spring landing', 'berlin', 'vip']);
    const plain = mapEntry({ id: 2, phone: '+4915112345679' }, PRESETS.custom.fields);
    assert.ok(plain.ok);
    assert.equal(plain.lead.tags, undefined);
  });

  it('cleanTags drops what cannot be a tag and bounds the count', () => {
    assert.deepEqual(cleanTags(['', '  ', 'A  b', 'a b', 'x'.repeat(65)]), ['a b']);
    assert.equal(cleanTags(Array.from({ length: 80 }, (_, i) => `t${i}`)).length, 50);
  });
});
