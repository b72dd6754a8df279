import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowsPath } from '../worker';
import { DEFAULT_WORKFLOW_BUNDLE_PATH } from './workflow-bundle';

/**
 * `npm run build:workflows` (after `npm run build`): bundles workflows/ once, so a production
 * worker starts without webpack and every replica runs byte-identical workflow code.
 * Optional argument: the output file (default dist/workflow-bundle.js).
 */
async function main(): Promise<void> {
  const outFile = path.resolve(process.argv[2] ?? DEFAULT_WORKFLOW_BUNDLE_PATH);
  const { code } = await bundleWorkflowCode({ workflowsPath: workflowsPath() });
  await mkdir(path.dirname(outFile), { recursive: true });
  await writeFile(outFile, code);
  process.stdout.write(`workflow bundle: ${outFile} (${Math.round(code.length / 1024)} KiB)\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`could not build the workflow bundle: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
