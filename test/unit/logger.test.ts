import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createLogger } from '../../src/logger';

function capture(pretty: boolean): { lines: () => string[]; logger: ReturnType<typeof createLogger> } {
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return {
    logger: createLogger('info', { pretty, destination: out }),
    lines: () => chunks.join('').split('\n').filter(Boolean),
  };
}

describe('createLogger', () => {
  it('writes JSON lines for log collectors', () => {
    const { logger, lines } = capture(false);
    logger.info({ messageId: 7 }, 'sent');
    const [line] = lines().map((text) => JSON.parse(text));
    assert.deepEqual([line.level, line.msg, line.messageId, line.service], [30, 'sent', 7, 'wa-automation']);
  });

  it('writes readable lines for a person at a terminal', () => {
    const { logger, lines } = capture(true);
    logger.info({ messageId: 7 }, 'sent');
    assert.match(lines()[0], /^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: sent$/);
    assert.match(lines()[1], /messageId: 7/);
  });
});
