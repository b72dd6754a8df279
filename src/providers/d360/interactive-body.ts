import type { InteractiveContent } from './interactive-schema';

/** Our interactive content as the Cloud API's `interactive` object (type button, list or cta_url). */
export function toCloudApiInteractive(content: InteractiveContent): Record<string, unknown> {
  const frame = {
    type: content.type,
    ...(content.header ? { header: { type: 'text', text: content.header.text } } : {}),
    body: { text: content.body },
    ...(content.footer ? { footer: { text: content.footer } } : {}),
  };
  if (content.type === 'button') {
    return {
      ...frame,
      action: { buttons: content.buttons.map(({ id, title }) => ({ type: 'reply', reply: { id, title } })) },
    };
  }
  if (content.type === 'list') {
    const sections = content.sections.map((section) => ({
      ...(section.title ? { title: section.title } : {}),
      rows: section.rows.map(({ id, title, description }) => ({ id, title, ...(description ? { description } : {}) })),
    }));
    return { ...frame, action: { button: content.button, sections } };
  }
  return {
    ...frame,
    action: { name: 'cta_url', parameters: { display_text: content.cta.display_text, url: content.cta.url } },
  };
}
