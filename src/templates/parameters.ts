import type { ErrorDetail } from '../errors';

/** One component of a template as 360Dialog lists it (Meta's format, upper-case types). */
export interface TemplateComponent {
  type: string;
  format?: string;
  text?: string;
  buttons?: { type?: string; text?: string; url?: string }[];
  [key: string]: unknown;
}

/** How many parameters a send must give one component: `body`, `header`, or `button` at `index`. */
export interface ParameterCount {
  component: 'header' | 'body' | 'button';
  index?: number;
  count: number;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;
const MEDIA_HEADERS = new Set(['IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION']);
/** Buttons whose value the send fills in: a URL with a placeholder, a coupon code, a one-time password. */
const FILLED_BUTTONS = new Set(['COPY_CODE', 'OTP']);

export const placeholders = (text: string | undefined): string[] => [
  ...new Set([...(text ?? '').matchAll(PLACEHOLDER)].map((m) => m[1])),
];

/** Every component that takes parameters, with how many (360Dialog documentation, "Templates on 360Dialog"). */
export function parameterCounts(components: TemplateComponent[]): ParameterCount[] {
  const counts: ParameterCount[] = [];
  for (const component of components) {
    const type = String(component.type).toUpperCase();
    if (type === 'HEADER') {
      const count = MEDIA_HEADERS.has(String(component.format).toUpperCase()) ? 1 : placeholders(component.text).length;
      if (count > 0) counts.push({ component: 'header', count });
    } else if (type === 'BODY') {
      const count = placeholders(component.text).length;
      if (count > 0) counts.push({ component: 'body', count });
    } else if (type === 'BUTTONS') {
      (component.buttons ?? []).forEach((button, index) => {
        const kind = String(button.type).toUpperCase();
        const count = kind === 'URL' ? Math.min(1, placeholders(button.url).length) : FILLED_BUTTONS.has(kind) ? 1 : 0;
        if (count > 0) counts.push({ component: 'button', index, count });
      });
    }
  }
  return counts;
}

type SentComponent = { type?: unknown; index?: unknown; parameters?: unknown };

const label = (c: { component: string; index?: number }) =>
  c.component === 'button' ? `button ${c.index}` : c.component;

/**
 * What a message's `template.components` gets wrong against the template: every component
 * must get exactly the parameters it declares (WhatsApp answers 132000 otherwise).
 */
export function parameterProblems(
  required: ParameterCount[],
  sent: unknown[] | undefined,
  path = 'template.components',
): ErrorDetail[] {
  const given = (sent ?? []).map((raw) => {
    const c = (typeof raw === 'object' && raw !== null ? raw : {}) as SentComponent;
    const component = String(c.type ?? '').toLowerCase();
    return {
      component,
      index: component === 'button' ? Number(c.index) : undefined,
      count: Array.isArray(c.parameters) ? c.parameters.length : 0,
    };
  });
  const problems: ErrorDetail[] = [];
  const same = (a: { component: string; index?: number }, b: { component: string; index?: number }) =>
    a.component === b.component && (a.component !== 'button' || a.index === b.index);
  for (const need of required) {
    const got = given.find((g) => same(g, need));
    if (!got) problems.push({ path, message: `${label(need)} needs ${need.count} parameter(s), got none` });
    else if (got.count !== need.count)
      problems.push({ path, message: `${label(need)} needs ${need.count} parameter(s), got ${got.count}` });
  }
  for (const extra of given.filter((g) => g.count > 0 && !required.some((need) => same(g, need)))) {
    problems.push({ path, message: `${label(extra)} takes no parameters in this template, got ${extra.count}` });
  }
  return problems;
}
