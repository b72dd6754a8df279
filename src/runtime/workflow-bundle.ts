import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

// The same file whether this runs compiled (dist/src/runtime) or from source under tsx (src/runtime).
const PROJECT_ROOT = path.resolve(__dirname, '..', '..', __dirname.includes(`${path.sep}dist${path.sep}`) ? '..' : '');

/** Where `npm run build:workflows` writes the prebuilt workflow code. */
export const DEFAULT_WORKFLOW_BUNDLE_PATH = path.join(PROJECT_ROOT, 'dist', 'workflow-bundle.js');

export interface BundleChoice {
  /** Absolute path of the prebuilt bundle to load; undefined means bundle workflows/ at start. */
  codePath?: string;
  reason: string;
}

const newestMtime = (dir: string) =>
  Math.max(0, ...readdirSync(dir).map((name) => statSync(path.join(dir, name)).mtimeMs));

/**
 * A bundle named by TEMPORAL_WORKFLOW_BUNDLE must exist (the image sets it). Otherwise the default
 * bundle is used only when it is newer than every file of the workflows folder: a stale bundle
 * would run yesterday's workflow code against today's history, so then we bundle at start.
 */
export function chooseWorkflowBundle(
  configured: string | undefined,
  workflowsDir: string,
  defaultPath = DEFAULT_WORKFLOW_BUNDLE_PATH,
): BundleChoice {
  if (configured) {
    const codePath = path.resolve(configured);
    if (!existsSync(codePath)) throw new Error(`TEMPORAL_WORKFLOW_BUNDLE: no file at ${codePath}`);
    return { codePath, reason: 'TEMPORAL_WORKFLOW_BUNDLE' };
  }
  if (!existsSync(defaultPath)) return { reason: 'no prebuilt bundle; bundling workflows at start' };
  if (statSync(defaultPath).mtimeMs < newestMtime(workflowsDir)) {
    return { reason: `${defaultPath} is older than ${workflowsDir}; run npm run build:workflows. Bundling at start` };
  }
  return { codePath: defaultPath, reason: 'prebuilt bundle' };
}
