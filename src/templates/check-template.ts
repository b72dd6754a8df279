import type { TemplateContent } from '../db/repositories/messages';
import type { TemplateCategory, TemplatesRepository } from '../db/repositories/templates';
import { AppError } from '../errors';
import { ruleExplanation, ruleWarning, type RuleWarning } from '../providers/d360/rule-codes';
import { parameterCounts, parameterProblems, type TemplateComponent } from './parameters';

/**
 * A template a message will send, checked against the synced list at POST time: it exists in
 * that language, is APPROVED, and every component gets exactly its parameters (else WhatsApp
 * answers 132000-132018 hours later). Before the first sync nothing can be known: a warning.
 */
export interface TemplateCheck {
  warnings: RuleWarning[];
  /** Known once the list is synced: MARKETING templates have rules of their own. */
  category?: TemplateCategory;
}

export async function checkTemplate(
  templates: TemplatesRepository,
  template: TemplateContent,
  path: string,
): Promise<TemplateCheck> {
  if (!(await templates.syncState())?.synced_at) return { warnings: [ruleWarning('templates_not_synced')] };
  const { name, language } = template;
  const row = await templates.findByNameAndLanguage(name, language);
  if (!row) {
    const languages = await templates.languagesOf(name);
    const where =
      languages.length > 0 ? `${name} exists only in ${languages.join(', ')}` : `there is no template named ${name}`;
    throw new AppError(422, 'template_not_found', `${ruleExplanation('template_not_found')}: ${where}`, [
      { path: languages.length > 0 ? `${path}.language` : `${path}.name`, message: where },
    ]);
  }
  if (row.status !== 'APPROVED') {
    const why = row.rejected_reason ? ` (${row.rejected_reason})` : '';
    throw new AppError(
      422,
      'template_not_approved',
      `${ruleExplanation('template_not_approved')}: ${name} in ${language} is ${row.status}${why}`,
      [{ path: `${path}.name`, message: `is ${row.status}` }],
    );
  }
  const problems = parameterProblems(
    parameterCounts(row.components as TemplateComponent[]),
    template.components,
    `${path}.components`,
  );
  if (problems.length > 0) {
    throw new AppError(
      422,
      'template_parameters',
      `${ruleExplanation('template_parameters')}: ${problems.map((p) => p.message).join('; ')}`,
      problems,
    );
  }
  return { warnings: [], category: row.category };
}
