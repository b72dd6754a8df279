import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { contactImportSchema, importQuerySchema } from '../contact-imports/schemas';
import { contactSchema } from '../contacts/schemas';
import { recipientListQuerySchema, recipientSchema, reportSchema } from '../broadcast-reports/schemas';
import { messageSchema } from '../messages/schemas';
import { pageQuerySchema, pagedSchema } from '../pagination';
import { segmentMembersQuerySchema, segmentPatchSchema, segmentSchema, segmentWriteSchema } from '../segments/schemas';
import { tagCountSchema, tagListQuerySchema } from '../tags/routes';
import { json, idParam, problem } from './openapi-parts';

const jsonOrCsv = (schema: z.ZodType, description: string) => ({
  description,
  content: {
    'application/json': { schema },
    'text/csv': { schema: z.string().meta({ description: 'with ?format=csv: a header row, then one row per item' }) },
  },
});
const invalid = { 400: problem('Invalid input; `details` names each bad field') };
const missing = (what: string) => ({ 404: problem(`No such ${what}`) });

const SEGMENTS_ABOUT =
  'A segment is a saved filter over contacts (tags, sources, groups, creation time, opt-in, 24-hour service window, last inbound), ' +
  'evaluated whenever it is used: `GET /segments/{id}/contacts/` lists its members now, and a broadcast or status with `segment_id` ' +
  'reaches its members at send time (opted-out people are always skipped).';

function registerTagsAndSegments(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/tags/',
    operationId: 'listTags',
    summary: 'Tags in use, with how many contacts carry each',
    tags: ['Contacts'],
    request: { query: tagListQuerySchema },
    responses: { 200: json(pagedSchema(tagCountSchema), 'Most used first'), ...invalid },
  });
  const tags = ['Segments'];
  const description = SEGMENTS_ABOUT;
  registry.registerPath({
    method: 'get',
    path: '/segments/',
    operationId: 'listSegments',
    summary: 'List segments',
    description,
    tags,
    request: { query: pageQuerySchema },
    responses: { 200: json(pagedSchema(segmentSchema), 'A page of segments, newest first'), ...invalid },
  });
  registry.registerPath({
    method: 'post',
    path: '/segments/',
    operationId: 'createSegment',
    summary: 'Save a segment filter',
    description,
    tags,
    request: { body: json(segmentWriteSchema, 'Name and filter') },
    responses: {
      201: json(segmentSchema, 'Created, with its member count now'),
      409: problem('The name is taken'),
      ...invalid,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/segments/{id}/',
    operationId: 'getSegment',
    summary: 'One segment with its member count now',
    tags,
    request: { params: idParam },
    responses: { 200: json(segmentSchema, 'The segment'), ...missing('segment') },
  });
  registry.registerPath({
    method: 'patch',
    path: '/segments/{id}/',
    operationId: 'updateSegment',
    summary: 'Rename a segment or replace its filter',
    tags,
    description: 'A new filter applies to every later send, including broadcasts already scheduled to the segment.',
    request: { params: idParam, body: json(segmentPatchSchema, 'The fields to change; a filter is replaced whole') },
    responses: {
      200: json(segmentSchema, 'Updated'),
      409: problem('The name is taken'),
      ...missing('segment'),
      ...invalid,
    },
  });
  registry.registerPath({
    method: 'delete',
    path: '/segments/{id}/',
    operationId: 'deleteSegment',
    summary: 'Delete a segment',
    tags,
    description: 'Broadcasts scheduled to it keep a copy of its filter and still reach that audience.',
    request: { params: idParam },
    responses: { 204: { description: 'Deleted' }, ...missing('segment') },
  });
  registry.registerPath({
    method: 'get',
    path: '/segments/{id}/contacts/',
    operationId: 'listSegmentContacts',
    summary: "The segment's members as they are now",
    tags,
    request: { params: idParam, query: segmentMembersQuerySchema },
    responses: {
      200: jsonOrCsv(pagedSchema(contactSchema), 'A page of contacts, newest first (or every member as CSV)'),
      ...missing('segment'),
      ...invalid,
    },
  });
}

function registerImports(registry: OpenAPIRegistry): void {
  const tags = ['Contacts'];
  registry.registerPath({
    method: 'post',
    path: '/contacts/import/',
    operationId: 'importContacts',
    summary: 'Import contacts from a CSV file (streamed)',
    tags,
    description:
      'The body is the CSV file itself (`Content-Type: text/csv`, up to 64 MB; comma or semicolon, quoted fields, BOM and CRLF all work). ' +
      'The header row names the columns (`name`, `phone_number`, `email`, `tags`, or your own names through the query). Rows are upserted ' +
      'by phone number like the WordPress sync: new contacts join groups, opt-outs are never undone, tags are only added; uploading the ' +
      'same file again changes nothing. Progress is visible at `GET /contacts/import/{id}/` while the upload runs; the response is the finished import.',
    request: {
      query: importQuerySchema,
      body: { description: 'The CSV file', content: { 'text/csv': { schema: z.string() } } },
    },
    responses: {
      201: json(contactImportSchema, 'Finished: counts and the first 1,000 row errors'),
      400: problem('Not CSV that can be read (invalid_csv, naming the row), no phone column, or a bad query parameter'),
      413: problem('Larger than 64 MB'),
      415: problem('Not sent as text/csv'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/contacts/import/',
    operationId: 'listContactImports',
    summary: 'List CSV imports',
    tags,
    request: { query: pageQuerySchema },
    responses: { 200: json(pagedSchema(contactImportSchema), 'Newest first'), ...invalid },
  });
  registry.registerPath({
    method: 'get',
    path: '/contacts/import/{id}/',
    operationId: 'getContactImport',
    summary: "One import's progress and row errors",
    tags,
    request: { params: idParam },
    responses: { 200: json(contactImportSchema, 'The import'), ...missing('import') },
  });
}

function registerReports(registry: OpenAPIRegistry): void {
  const tags = ['WhatsApp messages'];
  registry.registerPath({
    method: 'get',
    path: '/whatsapp/{id}/recipients/',
    operationId: 'listBroadcastRecipients',
    summary: "A broadcast's deliveries, one per recipient",
    tags,
    description:
      'In send order, with the contact, state, times, the error explained, and whether the person replied within 24 hours of the send.',
    request: { params: idParam, query: recipientListQuerySchema },
    responses: {
      200: jsonOrCsv(pagedSchema(recipientSchema), 'A page of deliveries (or all of them as CSV)'),
      ...missing('broadcast'),
      ...invalid,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/whatsapp/{id}/report/',
    operationId: 'getBroadcastReport',
    summary: "A broadcast's summary: states, rates, failures, replies, timing",
    tags,
    request: { params: idParam },
    responses: { 200: json(reportSchema, 'The summary'), ...missing('broadcast') },
  });
  registry.registerPath({
    method: 'post',
    path: '/whatsapp/{id}/retry/',
    operationId: 'retryBroadcast',
    summary: 'Re-send to the recipients that failed for a retryable reason',
    tags,
    description:
      'A new broadcast (`retry_of_id` = this one) to the recipients whose delivery failed for a retryable or deferred reason (throttling, ' +
      'transient errors, per-user marketing limit); never to opted-out contacts or permanent failures. Once per broadcast: retry the retry for another round.',
    request: { params: idParam },
    responses: {
      201: json(messageSchema, 'The new broadcast, sending'),
      409: problem('Still scheduled or sending (broadcast_in_progress), or already retried (already_retried)'),
      422: problem('No recipient qualifies (nothing_to_retry)'),
      ...missing('broadcast'),
    },
  });
}

/** Tags, segments, CSV imports and broadcast reports (docs/campaigns.md). */
export function registerCampaigns(registry: OpenAPIRegistry): void {
  registerTagsAndSegments(registry);
  registerImports(registry);
  registerReports(registry);
}
