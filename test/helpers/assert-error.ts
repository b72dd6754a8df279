import assert from 'node:assert/strict';

export interface ErrorBody {
  code: string;
  message: string;
  details?: { path: string; message: string }[];
}

/** Asserts the API's one error shape `{"error":{code,message,details?}}` and returns the error. */
export function assertError(
  response: { status: number; body: any; headers?: Headers },
  status: number,
  code: string,
): ErrorBody {
  const shown = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
  assert.equal(response.status, status, shown);
  assert.equal(response.headers?.get('content-type')?.split(';')[0] ?? 'application/json', 'application/json', shown);
  assert.ok(response.body && typeof response.body.error === 'object', `not the error shape: ${shown}`);
  assert.deepEqual(Object.keys(response.body).sort(), ['error'], shown);
  assert.equal(response.body.error.code, code, shown);
  assert.equal(typeof response.body.error.message, 'string', shown);
  assert.ok(response.body.error.message.length > 0, shown);
  for (const key of Object.keys(response.body.error))
    assert.ok(['code', 'message', 'details'].includes(key), `unexpected key ${key}: ${shown}`);
  return response.body.error;
}
