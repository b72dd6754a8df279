/**
 * Our own codes for a send we refuse, defer or pause before WhatsApp would say no, each with a
 * sentence a marketer understands. They sit beside WhatsApp's error explanations (errors.ts):
 * the API's error bodies, the rows' `error`, warnings and the Temporal memo all use them.
 */
export const RULE_EXPLANATIONS = {
  outside_service_window:
    "the customer's 24-hour service window is closed (they have not written to us in the last 24 hours), so WhatsApp only accepts an approved template; nothing was sent",
  outside_service_window_warning:
    "the customer's 24-hour service window will be closed at this message's time, so WhatsApp will probably refuse it (131047); send an approved template or add a fallback_template",
  outside_service_window_fallback:
    "the customer's 24-hour service window was closed at send time, so the fallback template was sent instead of the message",
  template_not_found: 'there is no template with this name in this language on the WhatsApp account',
  template_not_approved: 'the template is not approved by WhatsApp (yet), so it cannot be sent',
  template_parameters: 'the template needs a different number of parameters than the message gives',
  marketing_to_us_number:
    'Meta does not deliver marketing templates to US (+1) numbers (since April 2025); send a utility template, or set ALLOW_US_MARKETING_TEMPLATES=true once Meta lifts this',
  marketing_to_us_number_warning:
    'some recipients have US (+1) numbers, to which Meta delivers no marketing templates: they will be skipped',
  messaging_limit:
    "the WhatsApp number's daily limit of customers reached by templates is used up; this message (or the rest of a broadcast) is deferred and goes out by itself when the 24-hour window moves",
  marketing_cap_deferred:
    "Meta's per-user marketing limit (131049): this customer has had enough marketing messages from all businesses for now; we try once more later",
  template_paused:
    'WhatsApp paused, disabled or rejected this template; sending waits and goes on by itself when the template is approved again (or cancel it)',
  paused_red_quality:
    "the WhatsApp number's quality is RED, so marketing broadcasts pause until it improves (PAUSE_ON_RED_QUALITY); it goes on by itself then (or cancel it)",
  templates_not_synced:
    'the template list has not been read from 360Dialog yet, so the template could not be checked before sending',
} as const;

export type RuleCode = keyof typeof RULE_EXPLANATIONS;

export const ruleExplanation = (code: RuleCode) => RULE_EXPLANATIONS[code];

/** A warning the API returns with a message it accepted. */
export interface RuleWarning {
  code: RuleCode;
  message: string;
}

export const ruleWarning = (code: RuleCode, detail?: string): RuleWarning => ({
  code,
  message: detail ? `${RULE_EXPLANATIONS[code]} (${detail})` : RULE_EXPLANATIONS[code],
});
