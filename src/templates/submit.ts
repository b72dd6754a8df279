import type { Logger } from '../logger';
import type { TemplateCreateInput } from '../types/template-input';
import type { Template, TemplatesRepository } from '../db/repositories/templates';
import { AppError, conflict, unavailable } from '../errors';
import type { D360TemplatesClient } from '../providers/d360/templates-client';
import type { OutboxSignal } from '../services/outbox-signals';
import { templatesSyncNowStart } from '../temporal/workflow-starts';

export interface TemplateSubmitDeps {
  templates: TemplatesRepository;
  client: D360TemplatesClient;
  signal: OutboxSignal;
  taskQueue: string;
  logger: Logger;
}

/** POST /templates/: hands a validated template to 360Dialog, stores it as PENDING, and asks the sync to follow its
 * review. */
export function createTemplateSubmitter({ templates, client, signal, taskQueue, logger }: TemplateSubmitDeps) {
  return async function submit(input: TemplateCreateInput): Promise<Template> {
    if (await templates.findByNameAndLanguage(input.name, input.language)) {
      throw conflict(
        'duplicate_template',
        `a template ${input.name} in ${input.language} already exists; change its name or language`,
      );
    }
    if (!client.configured)
      throw unavailable('not_configured', 'D360_API_KEY is not set, so templates cannot be submitted');
    const reply = await client.createTemplate(input);
    if (!reply.ok) {
      if (reply.error.retryable || reply.error.code === 'network_error')
        throw unavailable('whatsapp_unavailable', reply.error.message);
      throw new AppError(422, 'template_refused', `360Dialog refused the template: ${reply.error.message}`);
    }
    const [row] = await templates.upsert([
      {
        name: input.name,
        language: input.language,
        category: input.category,
        status: String(reply.value.status ?? 'PENDING').toUpperCase(),
        quality: null,
        components: input.components,
        rejected_reason: null,
        external_id: reply.value.id ? String(reply.value.id) : null,
      },
    ]);
    // The review's outcome arrives by webhook and sync; a failure here must not hide that 360Dialog has the template.
    await signal(templatesSyncNowStart(taskQueue)).catch((err: unknown) =>
      logger.warn({ err }, 'could not ask the template sync to run'),
    );
    return row;
  };
}
