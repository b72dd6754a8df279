/** Parts of the configuration handed whole to one subsystem (parsed in config.ts). */

/** Signed event webhooks out (docs/conversations.md). */
export interface EventWebhookSettings {
  /** Deliver to private, loopback and link-local addresses too (EVENT_WEBHOOKS_ALLOW_PRIVATE; tests and trusted
   * networks only). */
  allowPrivate: boolean;
  /** The first retry's delay; each further retry doubles it, up to an hour (EVENT_WEBHOOKS_RETRY_BASE). */
  retryBaseMs: number;
}

/** What the inbound workflows need to decide on replies and opt-outs (handed to the activities). */
export interface InboundSettings {
  autoReplyCooldownMs: number;
  maxAgeMs: number;
  markRead: boolean;
  optOutKeywords: string[];
  optInKeywords: string[];
  optOutConfirmation: string;
  optInConfirmation: string;
}
