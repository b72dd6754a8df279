import assert from 'node:assert/strict';
import { parameterCounts, parameterProblems } from '../../src/templates/parameters';

describe('template parameters per component', () => {
  it('counts distinct placeholders, media headers and filled buttons', () => {
    const counts = parameterCounts([
      { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}' },
      { type: 'BODY', text: 'Hi {{1}}, {{2}} and again {{1}}' },
      { type: 'FOOTER', text: 'no {{params}} counted here' },
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'URL', url: 'https://x.example/static' },
          { type: 'COPY_CODE' },
          { type: 'URL', url: 'https://x.example/{{1}}' },
        ],
      },
    ]);
    assert.deepEqual(counts, [
      { component: 'header', count: 1 },
      { component: 'body', count: 2 },
      { component: 'button', index: 1, count: 1 },
      { component: 'button', index: 2, count: 1 },
    ]);
    assert.deepEqual(
      parameterCounts([
        { type: 'BODY', text: 'Hello {{first_name}}' },
        { type: 'HEADER', format: 'DOCUMENT' },
      ]),
      [
        { component: 'body', count: 1 },
        { component: 'header', count: 1 },
      ],
    );
  });

  it('names each component that gets too few, too many, or unexpected parameters', () => {
    const required = parameterCounts([
      { type: 'BODY', text: '{{1}} {{2}}' },
      { type: 'BUTTONS', buttons: [{ type: 'URL', url: 'https://x/{{1}}' }] },
    ]);
    assert.deepEqual(
      parameterProblems(required, [
        { type: 'BODY', parameters: [{}, {}] },
        { type: 'button', index: '0', parameters: [{}] },
      ]),
      [],
    );
    assert.deepEqual(
      parameterProblems(required, [
        { type: 'body', parameters: [{}, {}, {}] },
        { type: 'header', parameters: [{}] },
      ]).map((p) => p.message),
      [
        'body needs 2 parameter(s), got 3',
        'button 0 needs 1 parameter(s), got none',
        'header takes no parameters in this template, got 1',
      ],
    );
    assert.deepEqual(parameterProblems([], undefined), []);
  });
});
