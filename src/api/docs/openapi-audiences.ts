import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { contactSchema } from '../contacts/schemas';
import { groupCreateSchema, groupListQuerySchema, groupPatchSchema, groupSchema } from '../groups/schemas';
import { pagedSchema } from '../pagination';
import { statusPostCreateSchema, statusPostListQuerySchema, statusPostSchema } from '../status-posts/schemas';
import { json, idParam, problem } from './openapi-parts';

const invalid = { 400: problem('Invalid input; `details` names each bad field') };

const GROUPS_ABOUT =
  "Groups are this product's own audiences, not WhatsApp groups: the Cloud API's groups hold at most 8 invited participants " +
  '(invite link only), so a group here is a list of up to `capacity` contacts (GROUP_CAPACITY, 250 by default) used for broadcasts ' +
  '(`POST /whatsapp/` with `group_id`). Every new contact, whoever creates it, joins the oldest group with room; when all are full ' +
  'Postgres creates "Contacts N". The cap holds under any concurrency.';

const STATUS_ABOUT =
  'WhatsApp Status (stories) cannot be posted through the WhatsApp Business Platform: the Cloud API has no message type or endpoint ' +
  'for it. So a status here is a scheduled broadcast of its text (or media, or template) to its audience (`group_ids`, or every ' +
  'contact who has not opted out). Each status is the Temporal workflow `status-<id>`, which at its time starts the broadcast ' +
  "`message-<message_id>`; `counts` shows its deliveries per state. WhatsApp's rules are checked as for a broadcast: the " +
  "template (exists, approved, parameters), and free text or media against the audience's 24-hour service windows " +
  '(SERVICE_WINDOW_POLICY): `warnings` says how many are closed and what happens to them; under `enforce` a status that every ' +
  'recipient would miss is refused (422 outside_service_window).';

/** Groups (our audiences) and statuses (scheduled broadcasts to them). */
export function registerAudiences(registry: OpenAPIRegistry): void {
  const groups = ['Groups'];
  const description = GROUPS_ABOUT;
  registry.registerPath({
    method: 'get',
    path: '/groups/',
    operationId: 'listGroups',
    summary: 'List groups',
    tags: groups,
    description,
    request: { query: groupListQuerySchema },
    responses: { 200: json(pagedSchema(groupSchema), 'A page of groups, newest first'), ...invalid },
  });
  registry.registerPath({
    method: 'post',
    path: '/groups/',
    operationId: 'createGroup',
    summary: 'Create a group',
    tags: groups,
    description,
    request: { body: json(groupCreateSchema, 'A new, empty group') },
    responses: { 201: json(groupSchema, 'Created'), 409: problem('The name is taken'), ...invalid },
  });
  registry.registerPath({
    method: 'get',
    path: '/groups/{id}/',
    operationId: 'getGroup',
    summary: 'Get a group',
    tags: groups,
    request: { params: idParam },
    responses: { 200: json(groupSchema, 'The group'), 404: problem('No such group') },
  });
  registry.registerPath({
    method: 'patch',
    path: '/groups/{id}/',
    operationId: 'updateGroup',
    summary: 'Rename a group or change its capacity',
    tags: groups,
    description:
      'Renames a group or changes its capacity; the newest members beyond a lowered capacity move to other groups.',
    request: { params: idParam, body: json(groupPatchSchema, 'The fields to change') },
    responses: {
      200: json(groupSchema, 'Updated'),
      404: problem('No such group'),
      409: problem('The name is taken'),
      ...invalid,
    },
  });
  registry.registerPath({
    method: 'delete',
    path: '/groups/{id}/',
    operationId: 'deleteGroup',
    summary: 'Delete an empty group',
    tags: groups,
    description: 'Deletes an empty group only.',
    request: { params: idParam },
    responses: {
      204: { description: 'Deleted' },
      404: problem('No such group'),
      409: problem('The group still has members; the message says how many (code group_not_empty)'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/groups/{id}/contacts/',
    operationId: 'listGroupContacts',
    summary: "List a group's members",
    tags: groups,
    request: { params: idParam, query: groupListQuerySchema },
    responses: {
      200: json(pagedSchema(contactSchema), "A page of the group's members, newest first"),
      404: problem('No such group'),
    },
  });

  const status = ['Status'];
  registry.registerPath({
    method: 'get',
    path: '/status/',
    operationId: 'listStatuses',
    summary: 'List statuses',
    tags: status,
    description: STATUS_ABOUT,
    request: { query: statusPostListQuerySchema },
    responses: { 200: json(pagedSchema(statusPostSchema), 'A page of statuses, newest first'), ...invalid },
  });
  registry.registerPath({
    method: 'post',
    path: '/status/',
    operationId: 'createStatus',
    summary: 'Publish or schedule a status',
    tags: status,
    description: STATUS_ABOUT,
    request: { body: json(statusPostCreateSchema, 'Publish now, or schedule with scheduled_at') },
    responses: {
      201: json(statusPostSchema, 'Scheduled (or publishing now); `warnings` says what WhatsApp will probably refuse'),
      422: problem(
        "WhatsApp would refuse it: outside_service_window (every recipient's window closed, SERVICE_WINDOW_POLICY=enforce), template_not_found, template_not_approved, template_parameters; `details` names the field",
      ),
      ...invalid,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/status/{id}/',
    operationId: 'getStatus',
    summary: 'Get a status',
    tags: status,
    request: { params: idParam },
    responses: { 200: json(statusPostSchema, 'The status with its delivery counts'), 404: problem('No such status') },
  });
  registry.registerPath({
    method: 'delete',
    path: '/status/{id}/',
    operationId: 'cancelStatus',
    summary: 'Cancel a scheduled status',
    tags: status,
    description:
      'Cancels a scheduled status: it is never published. A status that is publishing or published cannot be withdrawn (messages cannot be unsent).',
    request: { params: idParam },
    responses: {
      200: json(statusPostSchema, 'Cancelled'),
      404: problem('No such status'),
      409: problem('Already publishing or published (code status_not_cancellable)'),
    },
  });
}
