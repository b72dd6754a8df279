/**
 * A validated POST /templates/ body (api/templates/schemas.ts is checked to produce it). Type aliases, not
 * interfaces: the body is handed on as a plain JSON record (to 360Dialog and the templates table).
 */
export type TemplateCreateInput = {
  name: string;
  language: string;
  category: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
  /** Exactly one BODY; at most one HEADER, FOOTER and BUTTONS. */
  components: TemplateComponentInput[];
};

export type TemplateComponentInput =
  | {
      type: 'HEADER';
      format: 'TEXT' | 'IMAGE' | 'VIDEO' | 'DOCUMENT' | 'LOCATION';
      text?: string;
      example?: Record<string, unknown>;
    }
  | { type: 'BODY'; text: string; example?: Record<string, unknown> }
  | { type: 'FOOTER'; text: string }
  | { type: 'BUTTONS'; buttons: TemplateButtonInput[] };

export type TemplateButtonInput = {
  type: 'QUICK_REPLY' | 'URL' | 'PHONE_NUMBER' | 'COPY_CODE' | 'OTP';
  text?: string;
  url?: string;
  phone_number?: string;
  example?: unknown;
  otp_type?: string;
};
