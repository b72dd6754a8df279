import type { AutoReplyRule, ReplyContent } from '../db/repositories/auto-replies';
import { withinBusinessHours } from './business-hours';
import { regexTest } from './regex-engine';

export interface RuleChoice {
  rule: AutoReplyRule;
  reply: ReplyContent;
  kind: 'rule' | 'outside_hours';
}

/** What a customer sent that rules look at: the words, and the id of a tapped button or list row. */
export interface Said {
  text: string | undefined;
  replyId?: string;
}

function matches(rule: AutoReplyRule, { text, replyId }: Said): boolean {
  if (rule.match === 'any') return true;
  // Ids are ours, set when the buttons were sent: compared exactly, whatever case_sensitive says.
  if (rule.match === 'button') return replyId !== undefined && replyId === rule.pattern;
  if (text === undefined || rule.pattern === null) return false;
  if (rule.match === 'regex') return regexTest(rule.pattern, rule.case_sensitive, text);
  const fold = (value: string) => (rule.case_sensitive ? value : value.toLocaleLowerCase()).trim();
  const [said, pattern] = [fold(text), fold(rule.pattern)];
  if (rule.match === 'exact') return said === pattern;
  if (rule.match === 'starts_with') return said.startsWith(pattern);
  return said.includes(pattern);
}

/**
 * The first matching rule in priority order answers. Outside its business hours a rule
 * answers with its outside-hours reply, or, having none, steps aside for the next rule.
 */
export function chooseRule(
  rules: AutoReplyRule[],
  saidOrText: Said | string | undefined,
  sentAt: Date,
): RuleChoice | undefined {
  const said = typeof saidOrText === 'object' ? saidOrText : { text: saidOrText };
  for (const rule of rules) {
    if (!matches(rule, said)) continue;
    if (!rule.business_hours || withinBusinessHours(rule.business_hours, sentAt))
      return { rule, reply: rule.reply, kind: 'rule' };
    if (rule.outside_hours_reply) return { rule, reply: rule.outside_hours_reply, kind: 'outside_hours' };
  }
  return undefined;
}
