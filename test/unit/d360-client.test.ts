import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { createD360Client } from '../../src/providers/d360/client';
import { Fake360Dialog } from '../fakes/fake-360dialog';

describe('360Dialog client', () => {
  let fake: Fake360Dialog;
  before(async () => {
    fake = await new Fake360Dialog().start();
  });
  after(() => fake.stop());
  beforeEach(() => fake.reset());

  const client = (timeoutMs = 2_000, apiUrl = fake.url) =>
    createD360Client({ apiUrl, apiKey: fake.apiKey, timeoutMs, maxConnections: 4 });

  it('sends the Cloud API JSON with the key and returns the wamid', async () => {
    const result = await client().sendMessage({ to: '+4915100000001', type: 'text', text: { body: 'hi' } });
    assert.ok(result.ok);
    assert.match(result.providerMessageId, /^wamid\./);
    const [request] = fake.requests;
    assert.equal(request.headers['d360-api-key'], fake.apiKey);
    assert.match(String(request.headers['content-type']), /application\/json/);
    assert.deepEqual(request.body, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '+4915100000001',
      type: 'text',
      text: { body: 'hi' },
    });
  });

  it('classifies 429, 500 and Meta codes as before', async () => {
    const d360 = client();
    const message = { to: '+4915100000002', type: 'text', text: { body: 'x' } };
    fake.failWithStatus(1, 429);
    fake.failWithStatus(1, 500);
    fake.failWithMetaCode(1, 131047);
    fake.failNext(1, { kind: 'reply', status: 200, body: 'not json' });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await d360.sendMessage(message));
    assert.deepEqual(
      answers.map((a) => !a.ok && [a.error.code, a.error.retryable]),
      [
        ['429', true],
        ['500', true],
        ['131047', false],
        ['bad_reply', false],
      ],
    );
  });

  it('turns no answer in time into a retryable network_error', async () => {
    fake.failNext(1, { kind: 'hang', ms: 1_000 });
    const result = await client(200).sendMessage({ to: '+4915100000003', type: 'text', text: { body: 'x' } });
    assert.deepEqual(!result.ok && result.error, {
      code: 'network_error',
      message: '360Dialog unreachable: no answer within 200 ms',
      retryable: true,
    });
  });

  it('turns a refused connection into a retryable network_error, and markRead into false', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    const d360 = client(2_000, `http://127.0.0.1:${port}`);
    const result = await d360.sendMessage({ to: '+4915100000004', type: 'text', text: { body: 'x' } });
    assert.equal(!result.ok && result.error.code, 'network_error');
    assert.equal(!result.ok && result.error.retryable, true);
    assert.equal(await d360.markRead('wamid.X'), false);
  });

  it('marks a message read', async () => {
    assert.equal(await client().markRead('wamid.READ'), true);
    assert.equal(fake.requests[0].body.status, 'read');
    fake.failWithStatus(1, 500);
    assert.equal(await client().markRead('wamid.READ'), false);
  });
});
