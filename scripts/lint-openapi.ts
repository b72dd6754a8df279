import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildOpenApiDocument } from '../src/api/docs/openapi';

/**
 * Lints the OpenAPI document exactly as GET /openapi.json serves it (the same generator, no
 * server) with Redocly's recommended rules (redocly.yaml), the checks a client generator needs.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'wa-openapi-'));
const file = path.join(dir, 'openapi.json');
try {
  writeFileSync(file, JSON.stringify(buildOpenApiDocument(), null, 2));
  const root = path.resolve(__dirname, '..');
  const result = spawnSync(
    path.join(root, 'node_modules', '.bin', 'redocly'),
    ['lint', file, '--config', path.join(root, 'redocly.yaml'), ...process.argv.slice(2)],
    {
      stdio: 'inherit',
      // No telemetry and no update check: the lint runs offline, in CI too.
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    },
  );
  process.exitCode = result.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
