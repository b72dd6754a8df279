import assert from 'node:assert/strict';
import { buildOpenApiDocument } from '../../src/api/docs/openapi';

describe('OpenAPI for campaigns', () => {
  it('documents every tags, segments, import, report, lead webhook and sequence operation with an operationId and a summary', () => {
    const { paths } = buildOpenApiDocument() as unknown as {
      paths: Record<string, Record<string, { operationId?: string; summary?: string }>>;
    };
    const expected: [string, string, string][] = [
      ['/tags/', 'get', 'listTags'],
      ['/segments/', 'get', 'listSegments'],
      ['/segments/', 'post', 'createSegment'],
      ['/segments/{id}/', 'get', 'getSegment'],
      ['/segments/{id}/', 'patch', 'updateSegment'],
      ['/segments/{id}/', 'delete', 'deleteSegment'],
      ['/segments/{id}/contacts/', 'get', 'listSegmentContacts'],
      ['/contacts/import/', 'post', 'importContacts'],
      ['/contacts/import/', 'get', 'listContactImports'],
      ['/contacts/import/{id}/', 'get', 'getContactImport'],
      ['/whatsapp/{id}/recipients/', 'get', 'listBroadcastRecipients'],
      ['/whatsapp/{id}/report/', 'get', 'getBroadcastReport'],
      ['/whatsapp/{id}/retry/', 'post', 'retryBroadcast'],
      ['/webhooks/wordpress/', 'post', 'receiveWordPressLead'],
      ['/sequences/', 'get', 'listSequences'],
      ['/sequences/', 'post', 'createSequence'],
      ['/sequences/{id}/', 'get', 'getSequence'],
      ['/sequences/{id}/', 'patch', 'updateSequence'],
      ['/sequences/{id}/', 'delete', 'deleteSequence'],
      ['/sequences/{id}/enrollments/', 'get', 'listSequenceEnrollments'],
      ['/sequences/{id}/enrollments/', 'post', 'enrollContact'],
      ['/sequences/{id}/enrollments/{enrollmentId}/', 'get', 'getSequenceEnrollment'],
      ['/sequences/{id}/enrollments/{enrollmentId}/', 'delete', 'cancelSequenceEnrollment'],
    ];
    for (const [path, method, operationId] of expected) {
      const operation = paths[path]?.[method];
      assert.ok(operation, `${method.toUpperCase()} ${path} is documented`);
      assert.equal(operation.operationId, operationId);
      assert.ok(operation.summary && operation.summary.length > 0, `${operationId} has a summary`);
    }
  });
});
