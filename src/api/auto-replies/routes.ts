import Router from '@koa/router';
import type { IdempotentRoute } from '../middleware/idempotency';
import type { AutoRepliesRepository, AutoReplyRuleInput, ReplyContent } from '../../db/repositories/auto-replies';
import { AppError, notFound } from '../../errors';
import { pageRequest, presentPage } from '../pagination';
import { findOr404, parseInput } from '../validate';
import { presentAutoReply } from './presenter';
import { autoReplyListQuerySchema, autoReplyWriteSchema, type AutoReplyWriteInput } from './schemas';

const toRule = (input: AutoReplyWriteInput): AutoReplyRuleInput => ({
  name: input.name,
  match: input.match,
  pattern: input.match === 'any' ? null : (input.pattern ?? null),
  case_sensitive: input.case_sensitive,
  reply: input.reply as ReplyContent,
  priority: input.priority,
  active: input.active,
  business_hours: input.business_hours ?? null,
  outside_hours_reply: (input.outside_hours_reply as ReplyContent | undefined) ?? null,
});

/** Auto-reply rules are data: the highest-priority active match answers an inbound message. */
const overCap = (max: number) =>
  new AppError(
    422,
    'too_many_rules',
    `active: at most ${max} auto-reply rules can be active (AUTO_REPLY_MAX_RULES); deactivate or delete one first`,
    [{ path: 'active', message: `at most ${max} rules can be active` }],
  );

export function autoRepliesRouter(
  rules: AutoRepliesRepository,
  idempotent: IdempotentRoute,
  maxActiveRules: number,
): Router {
  const router = new Router({ prefix: '/auto-replies' });

  const load = (rawId: string | undefined) => findOr404(rawId, (id) => rules.find(id), 'auto-reply rule');

  router.get('/', async (ctx) => {
    const request = pageRequest(parseInput(autoReplyListQuerySchema, ctx.query));
    ctx.body = presentPage(ctx, await rules.list(request), request, presentAutoReply);
  });

  router.get('/:id', async (ctx) => {
    ctx.body = presentAutoReply(await load(ctx.params.id));
  });

  router.post('/', idempotent('/auto-replies/'), async (ctx) => {
    const input = parseInput(autoReplyWriteSchema, ctx.request.body);
    const rule = await rules.withinActiveCap(input.active, maxActiveRules, undefined, (trx) =>
      rules.create(toRule(input), trx),
    );
    if (rule === 'over_cap') throw overCap(maxActiveRules);
    ctx.status = 201;
    ctx.body = presentAutoReply(rule);
  });

  router.put('/:id', async (ctx) => {
    const existing = await load(ctx.params.id);
    const input = parseInput(autoReplyWriteSchema, ctx.request.body);
    const rule = await rules.withinActiveCap(input.active, maxActiveRules, existing.id, (trx) =>
      rules.replace(existing.id, toRule(input), trx),
    );
    if (rule === 'over_cap') throw overCap(maxActiveRules);
    if (!rule) throw notFound('auto-reply rule');
    ctx.body = presentAutoReply(rule);
  });

  router.delete('/:id', async (ctx) => {
    const rule = await load(ctx.params.id);
    await rules.remove(rule.id);
    ctx.status = 204;
  });

  return router;
}
