import assert from 'node:assert/strict';
import { bearerToken } from '../../src/credentials';
import { hostnameOf } from '../../src/api/middleware/host-guard';
import { withoutTrailingSlashes } from '../../src/api/middleware/trailing-slash';

// A megabyte: a backtracking regex (the old /^Bearer\s+(.+?)\s*$/i and /\/+$/) is quadratic on these
// shapes and would not finish within the suite's timeout; a scan is one pass. No clock is read here.
const MB = 1024 * 1024;

describe('header and path parsers are single scans', () => {
  it('bearerToken reads the token, the scheme in any case, and nothing else', () => {
    assert.equal(bearerToken('Bearer abc'), 'abc');
    assert.equal(bearerToken('bearer   abc  '), 'abc');
    assert.equal(bearerToken('BEARER\tabc'), 'abc');
    assert.equal(bearerToken('  Bearer a b '), 'a b');
    for (const header of ['', 'Bearer', 'Bearer ', 'Bearer    ', 'Bearerabc', 'Basic abc', 'abc', 'Bearer\n'])
      assert.equal(bearerToken(header), undefined, JSON.stringify(header));
  });

  it('bearerToken answers on hostile megabyte headers', () => {
    assert.equal(bearerToken(`Bearer x${' '.repeat(MB)}y`), `x${' '.repeat(MB)}y`);
    assert.equal(bearerToken(`Bearer ${' \t'.repeat(MB)}`), undefined);
    assert.equal(bearerToken(`Bearer ${'a '.repeat(MB)}`)?.length, 2 * MB - 1);
    assert.equal(bearerToken(' '.repeat(MB)), undefined);
  });

  it('withoutTrailingSlashes strips only the trailing run, on hostile megabyte paths too', () => {
    assert.equal(withoutTrailingSlashes('/contacts/'), '/contacts');
    assert.equal(withoutTrailingSlashes('/contacts///'), '/contacts');
    assert.equal(withoutTrailingSlashes('/'), '/');
    assert.equal(withoutTrailingSlashes('//'), '/');
    assert.equal(withoutTrailingSlashes('/a//b'), '/a//b');
    assert.equal(withoutTrailingSlashes(`/${'/'.repeat(MB)}x`), `/${'/'.repeat(MB)}x`);
    assert.equal(withoutTrailingSlashes(`/x${'/'.repeat(MB)}`), '/x');
  });

  it('hostnameOf drops the port without a regex', () => {
    assert.equal(hostnameOf('LocalHost:8000'), 'localhost');
    assert.equal(hostnameOf('[::1]:8000'), '[::1]');
    assert.equal(hostnameOf(`${':'.repeat(MB)}`), '');
    assert.equal(hostnameOf(`[${':'.repeat(MB)}`).length, MB + 1);
  });
});
