import type { Template } from '../../db/repositories/templates';
import { parameterCounts, type TemplateComponent } from '../../templates/parameters';

export const presentTemplate = (t: Template) => ({
  id: t.id,
  name: t.name,
  language: t.language,
  category: t.category,
  status: t.status,
  quality: t.quality,
  components: t.components,
  parameters: parameterCounts(t.components as TemplateComponent[]),
  rejected_reason: t.rejected_reason,
  synced_at: t.synced_at.toISOString(),
  created_at: t.created_at.toISOString(),
  updated_at: t.updated_at.toISOString(),
});
