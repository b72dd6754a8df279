import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_WORKFLOW_BUNDLE_PATH } from '../../src/runtime/workflow-bundle';
import { loadCompose, parseDockerfile, readRepoFile, REPO_ROOT, resolveDockerArgs } from '../helpers/stack-files';

// No Docker engine runs here, so the Dockerfile is checked by reading it.
const instructions = parseDockerfile(readRepoFile('Dockerfile'));
const froms = instructions.filter((instruction) => instruction.keyword === 'FROM');
const lastStage = froms.length - 1;
const inStage = (stage: number, keyword: string) =>
  instructions.filter((i) => i.stage === stage && i.keyword === keyword);
const stageNames = froms.map(({ args }) => / AS (\S+)$/i.exec(args)?.[1]);
const execForm = (args: string) => JSON.parse(args) as string[];
const packageJson = JSON.parse(readRepoFile('package.json')) as { scripts: Record<string, string> };
const tsconfigBuild = JSON.parse(readRepoFile('tsconfig.build.json')) as { extends?: string; include: string[] };
const tsconfig = JSON.parse(readRepoFile('tsconfig.json')) as { compilerOptions: { outDir: string; rootDir: string } };

/** dist/src/x.js -> src/x.ts, as tsconfig.build.json compiles it. */
function sourceOf(compiled: string): string {
  const { outDir, rootDir } = tsconfig.compilerOptions;
  const relative = path.relative(outDir, compiled);
  assert.ok(!relative.startsWith('..'), `${compiled} is not under ${outDir}`);
  const source = path.join(rootDir, relative).replace(/\.js$/, '.ts');
  assert.ok(
    tsconfigBuild.include.includes(source.split(path.sep)[0]),
    `${source} is not compiled by tsconfig.build.json`,
  );
  return source;
}

describe('Dockerfile', () => {
  it('has a build stage and a runtime stage, on a pinned glibc Node image', () => {
    assert.ok(froms.length >= 2, 'multi-stage');
    assert.equal(stageNames.filter(Boolean).length, froms.length, 'every stage is named');
    for (const { args } of froms) {
      const image = resolveDockerArgs(instructions, args.split(' ')[0]);
      assert.match(image, /^node:\d+[\w.-]*$/, image);
      assert.doesNotMatch(image, /latest|alpine/, `${image}: pinned, and glibc for the Temporal native core`);
    }
  });

  it('runs as a non-root user in the final stage', () => {
    const users = inStage(lastStage, 'USER');
    assert.ok(users.length > 0, 'no USER in the runtime stage');
    assert.doesNotMatch(users.at(-1)!.args, /^(root|0)(:|$)/);
  });

  it('copies only files that exist in the repository and that .dockerignore lets through', () => {
    const ignored = readRepoFile('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    const copies = instructions.filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--from'));
    assert.ok(copies.length > 0);
    for (const { args } of copies) {
      const sources = args
        .split(' ')
        .filter((word) => !word.startsWith('--'))
        .slice(0, -1);
      for (const source of sources) {
        assert.ok(existsSync(path.join(REPO_ROOT, source)), `COPY ${source}: no such file`);
        assert.ok(
          !ignored.includes(source.replace(/^\.\//, '').split('/')[0]),
          `COPY ${source}: excluded by .dockerignore`,
        );
      }
    }
    for (const { args } of instructions.filter((i) => i.keyword === 'COPY' && i.args.startsWith('--from'))) {
      const from = /^--from=(\S+)/.exec(args)![1];
      assert.ok(stageNames.includes(from), `COPY --from=${from}: no such stage`);
    }
  });

  it('builds with npm ci, the build and the workflow bundle, and installs production deps only for runtime', () => {
    const runs = instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    assert.ok(
      runs.some((run) => /npm ci(?! --omit)/.test(run)),
      'a build stage runs npm ci with dev dependencies',
    );
    assert.ok(runs.some((run) => run.includes('npm run build') && run.includes('npm run build:workflows')));
    assert.ok(
      runs.some((run) => run.includes('npm ci --omit=dev')),
      'runtime dependencies without dev ones',
    );
    assert.ok(packageJson.scripts.build && packageJson.scripts['build:workflows']);
    const runtimeDeps = inStage(lastStage, 'COPY').find((i) => i.args.includes('node_modules'));
    const depsStage = stageNames.indexOf(/^--from=(\S+)/.exec(runtimeDeps?.args ?? '')?.[1]);
    assert.ok(
      inStage(depsStage, 'RUN').some((i) => i.args.includes('--omit=dev')),
      'runtime node_modules come from an --omit=dev install',
    );
  });

  it('starts the compiled API by default, and points the worker at the prebuilt bundle', () => {
    const [node, entry] = execForm(inStage(lastStage, 'CMD').at(-1)!.args);
    assert.equal(node, 'node');
    assert.equal(entry, 'dist/src/api-main.js');
    const env = inStage(lastStage, 'ENV')
      .map((i) => i.args)
      .join(' ');
    const bundle = /TEMPORAL_WORKFLOW_BUNDLE=(\S+)/.exec(env)?.[1];
    const workdir = inStage(lastStage, 'WORKDIR').at(-1)!.args;
    assert.equal(
      bundle,
      path.posix.join(workdir, path.relative(REPO_ROOT, DEFAULT_WORKFLOW_BUNDLE_PATH)),
      'the bundle npm run build:workflows writes',
    );
    assert.match(packageJson.scripts['build:workflows'], /dist\/src\/runtime\/build-workflow-bundle\.js/);
  });

  it('runs entry points that the TypeScript build produces from files in the repository', () => {
    const compose = loadCompose();
    const entries = [
      execForm(inStage(lastStage, 'CMD').at(-1)!.args)[1],
      ...['worker', 'migrate'].map((name) => compose.services[name].command![1]),
      /node (\S+)/.exec(packageJson.scripts['build:workflows'])![1],
      /node (\S+)/.exec(packageJson.scripts['start:api'])![1],
      /node (\S+)/.exec(packageJson.scripts['start:worker'])![1],
    ];
    assert.equal(tsconfigBuild.extends, './tsconfig.json');
    for (const entry of entries)
      assert.ok(existsSync(path.join(REPO_ROOT, sourceOf(entry))), `${entry}: no source for it`);
  });
});
