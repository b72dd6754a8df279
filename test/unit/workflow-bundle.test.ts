import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chooseWorkflowBundle, DEFAULT_WORKFLOW_BUNDLE_PATH } from '../../src/runtime/workflow-bundle';
import { REPO_ROOT } from '../helpers/stack-files';

describe('chooseWorkflowBundle', () => {
  let dir: string;
  let workflowsDir: string;
  let bundle: string;
  const touch = (file: string, secondsAgo: number) => {
    writeFileSync(file, '// code');
    const when = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(file, when, when);
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'wa-bundle-'));
    workflowsDir = path.join(dir, 'workflows');
    mkdirSync(workflowsDir);
    bundle = path.join(dir, 'workflow-bundle.js');
    touch(path.join(workflowsDir, 'index.js'), 60);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('defaults to dist/workflow-bundle.js, where npm run build:workflows writes', () => {
    assert.equal(DEFAULT_WORKFLOW_BUNDLE_PATH, path.join(REPO_ROOT, 'dist', 'workflow-bundle.js'));
  });

  it('uses the bundle TEMPORAL_WORKFLOW_BUNDLE names, and refuses to start when it is missing', () => {
    touch(bundle, 3600);
    assert.equal(chooseWorkflowBundle(bundle, workflowsDir, path.join(dir, 'other.js')).codePath, bundle);
    assert.throws(
      () => chooseWorkflowBundle(path.join(dir, 'missing.js'), workflowsDir, bundle),
      /TEMPORAL_WORKFLOW_BUNDLE: no file at .*missing\.js/,
    );
  });

  it('uses the default bundle when it is newer than the workflow code', () => {
    touch(bundle, 1);
    assert.equal(chooseWorkflowBundle(undefined, workflowsDir, bundle).codePath, bundle);
  });

  it('bundles at start when the default bundle is older than the workflow code, or absent', () => {
    touch(bundle, 600);
    const stale = chooseWorkflowBundle(undefined, workflowsDir, bundle);
    assert.equal(stale.codePath, undefined);
    assert.match(stale.reason, /npm run build:workflows/);
    rmSync(bundle);
    assert.equal(chooseWorkflowBundle(undefined, workflowsDir, bundle).codePath, undefined);
  });
});
