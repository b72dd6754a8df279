// A mocha reporter: the spec output, then each test file's wall time (its hooks included), slowest first.
// npx mocha --reporter ./scripts/mocha-file-timings.cjs 'test/e2e/**/*.test.ts'
const path = require('node:path');
const Mocha = require('mocha');

const { EVENT_RUN_BEGIN, EVENT_RUN_END, EVENT_SUITE_BEGIN, EVENT_SUITE_END } = Mocha.Runner.constants;

class FileTimings extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const spans = new Map();
    let runStart = 0;
    let firstFile = 0;
    runner.on(EVENT_RUN_BEGIN, () => (runStart = Date.now()));
    runner.on(EVENT_SUITE_BEGIN, (suite) => {
      if (!suite.file || suite.parent?.file === suite.file) return;
      firstFile ||= Date.now();
      const span = spans.get(suite.file) ?? { start: Date.now(), end: 0 };
      spans.set(suite.file, span);
    });
    runner.on(EVENT_SUITE_END, (suite) => {
      if (suite.file && spans.has(suite.file)) spans.get(suite.file).end = Date.now();
    });
    runner.once(EVENT_RUN_END, () => {
      const rows = [...spans].map(([file, { start, end }]) => [path.relative(process.cwd(), file), end - start]);
      rows.sort((a, b) => b[1] - a[1]);
      const out = ['', 'file wall times (hooks included):'];
      out.push(`${(((firstFile || Date.now()) - runStart) / 1000).toFixed(1).padStart(7)} s  (start-up before the first file)`);
      for (const [file, ms] of rows) out.push(`${(ms / 1000).toFixed(1).padStart(7)} s  ${file}`);
      out.push(`${((Date.now() - runStart) / 1000).toFixed(1).padStart(7)} s  total`);
      process.stdout.write(out.join('\n') + '\n');
    });
  }
}

module.exports = FileTimings;
