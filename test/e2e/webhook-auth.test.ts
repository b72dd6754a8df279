import assert from 'node:assert/strict';
import { inboundText } from '../fakes/webhook-bodies';
import { apiClient, testPhone } from '../helpers/api-client';
import { assertError } from '../helpers/assert-error';
import { startSystem, type TestSystem } from '../helpers/system';
import { postWebhook } from '../helpers/webhooks';

describe('webhook authentication modes', () => {
  let system: TestSystem | undefined;
  afterEach(async () => {
    await system?.stop();
    system = undefined;
  });

  it('needs no API key: the webhook has its own secret, every other route still asks for the key', async () => {
    system = await startSystem({ API_KEY: 'the-api-key' }, { worker: false });
    const api = apiClient(system.baseUrl);
    assert.equal((await postWebhook(api, inboundText('hi', { from: testPhone() }).body)).status, 200);
    assertError(await postWebhook(api, inboundText('hi', { from: testPhone() }).body, 'wrong'), 401, 'unauthorized');
    assertError(await api.get('/auto-replies/'), 401, 'unauthorized');
    assert.equal((await api.get('/auto-replies/', { headers: { authorization: 'Bearer the-api-key' } })).status, 200);
  });

  it('with ALLOW_UNAUTHENTICATED_WEBHOOKS=true and no secret, accepts webhooks without the header', async () => {
    system = await startSystem({ WEBHOOK_SECRET: '', ALLOW_UNAUTHENTICATED_WEBHOOKS: 'true' }, { worker: false });
    const api = apiClient(system.baseUrl);
    assert.equal((await postWebhook(api, inboundText('hi', { from: testPhone() }).body, null)).status, 200);
  });
});
