import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const API_DIR = path.join(ROOT, 'src/api');
/** The entry points that build and serve the HTTP app. */
const COMPOSITION_ROOTS = ['src/main.ts', 'src/api-main.ts'];

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return full === API_DIR ? [] : tsFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

const intoApi = (file: string, specifier: string) => {
  if (!specifier.startsWith('.')) return false;
  const target = path.resolve(path.dirname(file), specifier);
  return target === API_DIR || target.startsWith(API_DIR + path.sep);
};

/** src/api is the HTTP layer: the rest of the code (types included) must not depend on it. */
describe('the HTTP layer fence', () => {
  const files = ['src', 'activities', 'workflows']
    .flatMap((dir) => tsFiles(path.join(ROOT, dir)))
    .filter((file) => !COMPOSITION_ROOTS.includes(path.relative(ROOT, file)));

  it('finds the code outside src/api', () => assert.ok(files.length > 50, `only ${files.length} files`));

  it('no file outside src/api imports from src/api', () => {
    const offenders = files.flatMap((file) => {
      const source = readFileSync(file, 'utf8');
      const specifiers = [
        ...source.matchAll(/^(?:import|export)\b[^;]*?from\s+'([^']+)';/gms),
        ...source.matchAll(/\b(?:import|require)\(\s*'([^']+)'\s*\)/g),
      ].map((match) => match[1]);
      return specifiers
        .filter((specifier) => intoApi(file, specifier))
        .map((specifier) => `${path.relative(ROOT, file)}: ${specifier}`);
    });
    assert.deepEqual(offenders, []);
  });
});
