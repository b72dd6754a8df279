/**
 * A seeded generator of requests the API must refuse: wrong types, missing fields, huge
 * strings, invalid UTF-8, deep JSON, wrong content types, SQL and regex-bomb strings,
 * invalid ids and dates, across every endpoint. The same seed gives the same requests.
 */
export interface BadRequest {
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Hostile but legal input (e.g. a SQL string as a search term) may be answered 2xx. */
  mayPass?: boolean;
}

/** mulberry32: small, fast and good enough to pick test cases. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE_STRINGS = [
  "'; DROP TABLE contacts; --",
  '1 OR 1=1',
  "' UNION SELECT * FROM pg_shadow --",
  '%',
  '_',
  '\\',
  '$$; SELECT pg_sleep(10); $$',
  '(a+)+$',
  '^(a|aa)+$',
  `${'a'.repeat(64)}!`,
  '(.*a){25}',
  '((a*)*)*b',
  '\u0000',
  '\ud800',
  '\u202e\u0301',
  '😀'.repeat(1000),
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '__proto__',
  'constructor',
];
const BAD_DATES = [
  '2026-13-45T00:00:00Z',
  'yesterday',
  '',
  '0000-00-00T25:61:00Z',
  '+275760-09-13T00:00:00.001Z',
  '2026-11-27',
  '2026-11-27T10:00:00',
  '1e20',
  'NaN',
  '2001-01-01T00:00:00Z',
];
const BAD_IDS = [
  '0',
  '-1',
  'abc',
  '1.5',
  '1e3',
  '99999999999999999999',
  '%00',
  '%FF',
  '..%2F..%2F',
  'NaN',
  'Infinity',
  '0x10',
  ' 1',
  'a'.repeat(300),
  '%C3%28',
  "1'%20OR%20'1'='1",
  '1;DROP',
  '18446744073709551616',
];
const WRONG_TYPES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  '',
  'x',
  [],
  [1, 2],
  {},
  { a: 1 },
  '9'.repeat(400),
];
const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'image/png',
  '',
  'application/jsonx',
];
const INVALID_UTF8 = [
  [0xff, 0xfe],
  [0xc3],
  [0xed, 0xa0, 0x80],
  [0xe2, 0x28, 0xa1],
  [0xc0, 0xaf],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
];

interface Endpoint {
  method: string;
  path: (id: string) => string;
  /** A valid body, which the generator then spoils; undefined for endpoints without one. */
  valid?: () => Record<string, unknown>;
  /** Routes with a path id: requests to an unknown or invalid id are refused whatever the body. */
  byId?: boolean;
}

const contact = () => ({ name: 'Ada', phone_number: '+4915112345678', email: 'ada@example.com', opted_out: false });
const message = () => ({ phone_number: '+4915112345678', message: 'hi', scheduled_at: '2099-01-01T00:00:00Z' });
const rule = () => ({
  name: 'r',
  match: 'contains',
  pattern: 'price',
  reply: { message: 'ok' },
  priority: 1,
  business_hours: { time_zone: 'Europe/Berlin', days: ['mon'], start: '09:00', end: '17:00' },
});
const status = () => ({ text: 'news', scheduled_at: '2099-01-01T00:00:00Z', group_ids: [1] });
const webhook = () => ({
  object: 'whatsapp_business_account',
  entry: [
    {
      id: '1',
      changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: '1' } } }],
    },
  ],
});

const ENDPOINTS: Endpoint[] = [
  { method: 'POST', path: () => '/contacts/', valid: contact },
  { method: 'PUT', path: (id) => `/contacts/${id}/`, valid: contact, byId: true },
  { method: 'PATCH', path: (id) => `/contacts/${id}/`, valid: contact, byId: true },
  { method: 'GET', path: (id) => `/contacts/${id}/`, byId: true },
  { method: 'DELETE', path: (id) => `/contacts/${id}/`, byId: true },
  { method: 'POST', path: () => '/whatsapp/', valid: message },
  {
    method: 'PATCH',
    path: (id) => `/whatsapp/${id}/`,
    valid: () => ({ scheduled_at: '2099-01-01T00:00:00Z' }),
    byId: true,
  },
  { method: 'GET', path: (id) => `/whatsapp/${id}/`, byId: true },
  { method: 'DELETE', path: (id) => `/whatsapp/${id}/`, byId: true },
  { method: 'POST', path: () => '/groups/', valid: () => ({ name: 'g', capacity: 10 }) },
  { method: 'PATCH', path: (id) => `/groups/${id}/`, valid: () => ({ name: 'g', capacity: 10 }), byId: true },
  { method: 'GET', path: (id) => `/groups/${id}/contacts/`, byId: true },
  { method: 'DELETE', path: (id) => `/groups/${id}/`, byId: true },
  { method: 'POST', path: () => '/auto-replies/', valid: rule },
  { method: 'PUT', path: (id) => `/auto-replies/${id}/`, valid: rule, byId: true },
  { method: 'DELETE', path: (id) => `/auto-replies/${id}/`, byId: true },
  { method: 'POST', path: () => '/status/', valid: status },
  { method: 'GET', path: (id) => `/status/${id}/`, byId: true },
  { method: 'DELETE', path: (id) => `/status/${id}/`, byId: true },
  { method: 'POST', path: () => '/webhooks/360dialog', valid: webhook },
];
const LISTS = ['/contacts/', '/whatsapp/', '/groups/', '/auto-replies/', '/status/'];
const PAGE_QUERIES = [
  'page=0',
  'page=-1',
  'page=abc',
  'page=1e9',
  'page_size=0',
  'page_size=100000',
  'page_size=1.5',
  'page=%FF',
  'page=1&page=2',
  'page_size=',
  'page=9007199254740993',
];
// Each list's own filters; an unknown query parameter is ignored, like most APIs do.
const FILTER_QUERIES: Record<string, string[]> = {
  '/contacts/': ['search=%00', `search=${'x'.repeat(300)}`],
  '/whatsapp/': [
    'status=bogus',
    'direction=sideways',
    'contact_id=abc',
    'contact_id=0',
    'parent_id=-4',
    'parent_id=1e400',
    'status=sent&status=read',
  ],
  '/status/': ['status=bogus', 'status='],
  '/groups/': [],
  '/auto-replies/': [],
};

/**
 * Percent-encoded; a lone surrogate (which encodeURIComponent refuses) goes as the invalid UTF-8 a careless
 * client would send. Such a query decodes to U+FFFD and is a legal (empty) search, so these may pass.
 */
const queryValue = (value: string) => {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
};

const JSON_HEADERS = { 'content-type': 'application/json', 'x-webhook-secret': 'test-webhook-secret' };

export function generateBadRequests(count: number, seed: number): BadRequest[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const json = (value: unknown) => Buffer.from(JSON.stringify(value));
  const bodyEndpoints = ENDPOINTS.filter((e) => e.valid);
  const withBody = (
    kind: string,
    body: Buffer,
    endpoint = pick(bodyEndpoints),
    headers: Record<string, string> = JSON_HEADERS,
  ): BadRequest => ({
    kind,
    method: endpoint.method,
    // A valid id that names nothing (the tables are empty): the body is judged first, or the id is a 404.
    path: endpoint.path(String(1 + Math.floor(random() * 1e6))),
    headers,
    body,
  });
  const spoilField = (spoil: (valid: Record<string, unknown>, key: string) => void) => {
    const endpoint = pick(bodyEndpoints);
    const valid = (endpoint.valid as () => Record<string, unknown>)();
    spoil(valid, pick(Object.keys(valid)));
    return { endpoint, body: valid };
  };

  const makers: (() => BadRequest)[] = [
    () => {
      const { endpoint, body } = spoilField((valid, key) => (valid[key] = pick(WRONG_TYPES)));
      return { ...withBody('wrong_type', json(body), endpoint), mayPass: true };
    },
    () => {
      const { endpoint, body } = spoilField((valid, key) => delete valid[key]);
      return { ...withBody('missing_field', json(body), endpoint), mayPass: true };
    },
    () => {
      const { endpoint, body } = spoilField(
        (valid, key) => (valid[key] = pick(['x', '😀', 'a b ']).repeat(1_000 + Math.floor(random() * 200_000))),
      );
      return { ...withBody('huge_string', json(body), endpoint), mayPass: true };
    },
    // Past the 1 MB limit now and then (the bytes add up), otherwise no body at all.
    () =>
      random() < 0.1
        ? withBody('body_over_1mb', json({ name: 'x'.repeat(1_100_000) }))
        : withBody('empty_body', Buffer.alloc(0)),
    () => {
      const body = Buffer.concat([
        Buffer.from('{"name":"a'),
        Buffer.from(pick(INVALID_UTF8)),
        Buffer.from('b","phone_number":"+4915112345678"}'),
      ]);
      return withBody('invalid_utf8', body);
    },
    () => {
      const depth = 33 + Math.floor(random() * 50_000);
      const open = pick(['[', '{"a":']);
      const close = open === '[' ? ']' : '}';
      return withBody('deep_json', Buffer.from(`${open.repeat(depth)}1${close.repeat(depth)}`));
    },
    () =>
      withBody(
        'not_json',
        Buffer.from(
          pick(['{', '{"a":}', 'undefined', "{'a':1}", '{"a":1,}', 'NaN', '\u0000', '[1,2', '{"a":1}{"b":2}']),
        ),
      ),
    () => withBody('not_an_object', json(pick([[], [contact()], 'text', 42, null, true]))),
    () =>
      withBody('wrong_content_type', json(contact()), pick(bodyEndpoints), {
        'content-type': pick(CONTENT_TYPES),
        'x-webhook-secret': 'test-webhook-secret',
      }),
    () => {
      const { endpoint, body } = spoilField((valid, key) => (valid[key] = pick(HOSTILE_STRINGS)));
      return { ...withBody('hostile_string', json(body), endpoint), mayPass: true };
    },
    () =>
      withBody(
        'unknown_field',
        json({ ...contact(), [pick(HOSTILE_STRINGS) || 'x']: pick(WRONG_TYPES) }),
        ENDPOINTS[0],
      ),
    () => {
      const { endpoint, body } = spoilField((valid) => {
        for (const key of ['scheduled_at', 'phone_number', 'capacity', 'priority', 'group_ids', 'email'])
          if (key in valid) valid[key] = pick([...BAD_DATES, ...HOSTILE_STRINGS]);
      });
      return { ...withBody('invalid_date_or_format', json(body), endpoint), mayPass: true };
    },
    () => {
      const endpoint = pick(ENDPOINTS.filter((e) => e.byId));
      return {
        kind: 'invalid_id',
        method: endpoint.method,
        path: endpoint.path(pick(BAD_IDS)),
        headers: JSON_HEADERS,
        body: endpoint.valid ? json(endpoint.valid()) : undefined,
      };
    },
    () => {
      const list = pick(LISTS);
      return {
        kind: 'bad_query',
        method: 'GET',
        path: `${list}?${pick([...PAGE_QUERIES, ...FILTER_QUERIES[list]])}`,
        headers: {},
      };
    },
    () => ({
      kind: 'hostile_search',
      method: 'GET',
      path: `/contacts/?search=${queryValue(pick(HOSTILE_STRINGS))}`,
      headers: {},
      mayPass: true,
    }),
    () => ({
      kind: 'unknown_route',
      method: pick(['GET', 'POST', 'PUT', 'TRACE', 'PROPFIND']),
      path: pick(['/nope', '/contacts/1/2/3', '/whatsapp/%', '/%2e%2e/etc', `/${'a/'.repeat(500)}`]),
      headers: {},
    }),
    () => ({
      kind: 'wrong_method',
      method: pick(['PUT', 'PATCH', 'DELETE']),
      path: pick([...LISTS, '/health', '/ready', '/webhooks/360dialog']),
      headers: {},
    }),
    () => ({
      ...withBody('webhook_without_secret', json(webhook()), ENDPOINTS[ENDPOINTS.length - 1], {
        'content-type': 'application/json',
        'x-webhook-secret': pick(['', 'wrong', 'x'.repeat(5000)]),
      }),
    }),
  ];
  return Array.from({ length: count }, () => pick(makers)());
}
