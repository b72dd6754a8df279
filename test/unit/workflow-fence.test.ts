import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const WORKFLOWS_DIR = path.resolve(__dirname, '../../workflows');
const ALLOWED = [/^@temporalio\/(workflow|common)$/, /^\.\/[\w-]+$/];

/**
 * Workflow code runs in Temporal's deterministic sandbox: only the SDK and other workflow files, types from elsewhere.
 */
describe('the workflow sandbox fence', () => {
  for (const file of readdirSync(WORKFLOWS_DIR).filter((name) => name.endsWith('.ts'))) {
    it(`${file} imports only the workflow SDK, workflow files, and types`, () => {
      const source = readFileSync(path.join(WORKFLOWS_DIR, file), 'utf8');
      for (const match of source.matchAll(/^(import|export)(\s+type)?[^;]*?from\s+'([^']+)';/gms)) {
        const [statement, , typeOnly, specifier] = match;
        if (typeOnly) continue;
        assert.ok(
          ALLOWED.some((pattern) => pattern.test(specifier)),
          `${file}: ${statement.replace(/\s+/g, ' ')}`,
        );
      }
    });
  }
});
