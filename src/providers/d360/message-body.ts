import type { Message } from '../../db/repositories/messages';
import type { CloudApiMessage } from './client';
import { toCloudApiInteractive } from './interactive-body';

/** Our stored message in the Cloud API's wire format; our id rides along to tie webhooks back to the row. */
export function toCloudApiMessage(
  message: Pick<Message, 'id' | 'phone_number' | 'type' | 'text' | 'template' | 'media' | 'interactive'>,
): CloudApiMessage {
  const envelope = { to: message.phone_number ?? '', biz_opaque_callback_data: String(message.id) };
  if (message.type === 'template' && message.template) {
    const { name, language, components } = message.template;
    return {
      ...envelope,
      type: 'template',
      template: { name, language: { code: language }, ...(components ? { components } : {}) },
    };
  }
  if (message.type === 'interactive' && message.interactive) {
    return { ...envelope, type: 'interactive', interactive: toCloudApiInteractive(message.interactive) };
  }
  if (message.type === 'media' && message.media) {
    const { type, link, id, caption, filename } = message.media;
    const media: Record<string, string> = id ? { id } : { link: link ?? '' };
    if (caption && type !== 'audio' && type !== 'sticker') media.caption = caption;
    if (filename && type === 'document') media.filename = filename;
    return { ...envelope, type, [type]: media };
  }
  return { ...envelope, type: 'text', text: { body: message.text ?? '', preview_url: false } };
}
