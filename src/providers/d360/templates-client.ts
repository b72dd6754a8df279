import { fetch } from 'undici';
import { classifyHttpError, type ClassifiedError } from './errors';

/** A template as 360Dialog's `GET /v1/configs/templates` lists it (Meta's fields). */
export interface D360Template {
  id?: string;
  name: string;
  language: string;
  category: string;
  status: string;
  components?: Record<string, unknown>[];
  quality_score?: { score?: string } | null;
  rejected_reason?: string | null;
}

export interface TemplatePage {
  templates: D360Template[];
  total: number;
}

export type TemplateReply<T> = { ok: true; value: T } | { ok: false; error: ClassifiedError };

export interface TemplatesClientOptions {
  apiUrl: string;
  apiKey?: string;
  timeoutMs: number;
}

/** 360Dialog's template endpoints (360Dialog's WhatsApp Cloud API documentation, "Templates on 360Dialog"). */
export function createD360TemplatesClient({ apiUrl, apiKey, timeoutMs }: TemplatesClientOptions) {
  async function call<T>(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    read: (json: unknown) => T,
  ): Promise<TemplateReply<T>> {
    let status: number;
    let json: unknown;
    try {
      const response = await fetch(`${apiUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/json', 'D360-API-KEY': apiKey ?? '' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      const text = await response.text();
      json = text ? JSON.parse(text) : undefined;
    } catch (err) {
      return {
        ok: false,
        error: { code: 'network_error', message: `360Dialog unreachable: ${(err as Error).message}`, retryable: true },
      };
    }
    if (status >= 200 && status < 300) return { ok: true, value: read(json) };
    return { ok: false, error: classifyHttpError(status, json) };
  }

  return {
    configured: Boolean(apiKey),

    listTemplates: (offset: number, limit: number) =>
      call('GET', `/v1/configs/templates?limit=${limit}&offset=${offset}&sort=id`, undefined, (json): TemplatePage => {
        const body = (json ?? {}) as { waba_templates?: D360Template[]; total?: number; count?: number };
        const templates = Array.isArray(body.waba_templates) ? body.waba_templates : [];
        return { templates, total: Number(body.total ?? body.count ?? templates.length) };
      }),

    createTemplate: (template: Record<string, unknown>) =>
      call('POST', '/v1/configs/templates', template, (json) => (json ?? {}) as Partial<D360Template>),
  };
}

export type D360TemplatesClient = ReturnType<typeof createD360TemplatesClient>;
