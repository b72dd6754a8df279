import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { wordpressLeadAcceptedSchema, wordpressLeadSchema } from '../wordpress-webhook/schemas';
import { pageQuerySchema, pagedSchema } from '../pagination';
import {
  enrollmentCreateSchema,
  enrollmentListQuerySchema,
  enrollmentSchema,
  sequencePatchSchema,
  sequenceSchema,
  sequenceWriteSchema,
} from '../sequences/schemas';
import { idParam, json, problem } from './openapi-parts';

/** POST /webhooks/wordpress/: instant leads from WordPress forms. */
export function registerLeadWebhook(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'post',
    path: '/webhooks/wordpress/',
    operationId: 'receiveWordPressLead',
    summary: 'One lead from a WordPress form, the moment it is submitted',
    tags: ['Contacts'],
    security: [{ webhookSecret: [] }],
    description:
      'Called by a WordPress hook (docs/wordpress.md) with `X-Webhook-Secret: WORDPRESS_WEBHOOK_SECRET`; not behind API_KEY, ' +
      'and closed (401) while WORDPRESS_WEBHOOK_SECRET is unset. The lead is upserted exactly as the periodic sync does: by ' +
      'phone (DEFAULT_PHONE_REGION for national numbers), seated in a group, tags from the body plus WORDPRESS_TAGS and ' +
      'WORDPRESS_FIELD_TAGS paths, an opted-out number stays opted out. A repeated delivery changes nothing. A new contact ' +
      'enrols in the sequences its source or tags trigger. Body at most 64 KB; unknown keys are ignored.',
    request: {
      headers: z.object({
        'X-Webhook-Secret': z
          .string()
          .optional()
          .meta({ description: 'Must equal WORDPRESS_WEBHOOK_SECRET (constant-time compare)' }),
      }),
      body: json(wordpressLeadSchema(), 'The submitted fields'),
    },
    responses: {
      201: json(wordpressLeadAcceptedSchema, 'A new contact'),
      200: json(wordpressLeadAcceptedSchema, 'A known contact: updated, or unchanged (a repeated delivery)'),
      400: problem('Invalid input; `details` names each bad field'),
      401: problem('Missing or wrong X-Webhook-Secret, or no WORDPRESS_WEBHOOK_SECRET configured'),
      413: problem('The body is larger than 64 KB'),
    },
  });
}

const SEQUENCES_ABOUT =
  'A sequence is a named series of steps (a template or text, each after a delay or at a time of day in a time zone, ' +
  'optionally only if the contact has not written since enrolling). Contacts enrol by its trigger (every new contact from a ' +
  'source or with a tag, on every creation path) or explicitly. Each enrolment is the Temporal workflow ' +
  '`sequence-<id>-contact-<id>`, which reads the step from Postgres when it comes (edits reach running enrolments) and ' +
  "stops by itself on a reply (when the step says so), an opt-out or the contact's removal. Each send is an ordinary " +
  'message: opt-out, rate limits and the 24-hour window apply as always.';

/** /sequences/ and their enrolments. */
export function registerSequences(registry: OpenAPIRegistry): void {
  const tags = ['Sequences'];
  const description = SEQUENCES_ABOUT;
  const invalid = { 400: problem('Invalid input; `details` names each bad field') };
  const missing = (what: string) => ({ 404: problem(`No such ${what}`) });
  const enrollmentParams = z.object({ id: idParam.shape.id, enrollmentId: idParam.shape.id });
  registry.registerPath({
    method: 'get',
    path: '/sequences/',
    operationId: 'listSequences',
    summary: 'List sequences',
    description,
    tags,
    request: { query: pageQuerySchema },
    responses: { 200: json(pagedSchema(sequenceSchema), 'A page of sequences, newest first'), ...invalid },
  });
  registry.registerPath({
    method: 'post',
    path: '/sequences/',
    operationId: 'createSequence',
    summary: 'Create a follow-up sequence',
    description,
    tags,
    request: { body: json(sequenceWriteSchema, 'Name, trigger and steps') },
    responses: { 201: json(sequenceSchema, 'Created'), 409: problem('The name is taken'), ...invalid },
  });
  registry.registerPath({
    method: 'get',
    path: '/sequences/{id}/',
    operationId: 'getSequence',
    summary: 'One sequence',
    tags,
    request: { params: idParam },
    responses: { 200: json(sequenceSchema, 'The sequence'), ...missing('sequence') },
  });
  registry.registerPath({
    method: 'patch',
    path: '/sequences/{id}/',
    operationId: 'updateSequence',
    summary: 'Rename a sequence, change its trigger or replace its steps',
    tags,
    description:
      'Running enrolments follow the new steps from their next step on (a step index past the end completes them).',
    request: { params: idParam, body: json(sequencePatchSchema, 'The fields to change; steps are replaced whole') },
    responses: {
      200: json(sequenceSchema, 'Updated'),
      409: problem('The name is taken'),
      ...missing('sequence'),
      ...invalid,
    },
  });
  registry.registerPath({
    method: 'delete',
    path: '/sequences/{id}/',
    operationId: 'deleteSequence',
    summary: 'Delete a sequence and its enrolments',
    tags,
    description:
      'Their workflows are cancelled (beyond the first 200, they find the enrolment gone at their next step and end without sending).',
    request: { params: idParam },
    responses: { 204: { description: 'Deleted' }, ...missing('sequence') },
  });
  registry.registerPath({
    method: 'get',
    path: '/sequences/{id}/enrollments/',
    operationId: 'listSequenceEnrollments',
    summary: "A sequence's enrolments with their state and step",
    tags,
    request: { params: idParam, query: enrollmentListQuerySchema },
    responses: {
      200: json(pagedSchema(enrollmentSchema), 'A page of enrolments, newest first'),
      ...missing('sequence'),
      ...invalid,
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/sequences/{id}/enrollments/',
    operationId: 'enrollContact',
    summary: 'Enrol a contact in a sequence',
    tags,
    description: 'The enrolment row and its workflow start commit together; the first step follows its delay from now.',
    request: { params: idParam, body: json(enrollmentCreateSchema, 'The contact') },
    responses: {
      201: json(enrollmentSchema, 'Enrolled'),
      409: problem('Already enrolled (each contact once per sequence)'),
      422: problem('The contact opted out (contact_opted_out) or has no phone number (contact_without_phone)'),
      ...missing('sequence'),
      ...invalid,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/sequences/{id}/enrollments/{enrollmentId}/',
    operationId: 'getSequenceEnrollment',
    summary: 'One enrolment',
    tags,
    request: { params: enrollmentParams },
    responses: { 200: json(enrollmentSchema, 'The enrolment'), ...missing('sequence or enrollment') },
  });
  registry.registerPath({
    method: 'delete',
    path: '/sequences/{id}/enrollments/{enrollmentId}/',
    operationId: 'cancelSequenceEnrollment',
    summary: 'Cancel an enrolment',
    tags,
    description: 'Ends an active enrolment as `cancelled` and cancels its workflow; an ended one is answered as it is.',
    request: { params: enrollmentParams },
    responses: { 200: json(enrollmentSchema, 'The enrolment, cancelled'), ...missing('sequence or enrollment') },
  });
}
