/** WhatsApp's media message types, inbound and outbound. */
export const MEDIA_TYPES = ['image', 'document', 'audio', 'video', 'sticker'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

const MB = 1024 * 1024;

/**
 * What WhatsApp accepts per type (Cloud API media limits): the MIME types and the largest file.
 * Images 5 MB (JPEG, PNG), audio and video 16 MB, documents 100 MB; stickers are WebP, at most
 * 500 KB (animated; static ones are meant to stay under 100 KB, which WhatsApp checks itself).
 */
export const MEDIA_LIMITS: Record<MediaType, { maxBytes: number; mimeTypes: readonly string[] }> = {
  image: { maxBytes: 5 * MB, mimeTypes: ['image/jpeg', 'image/png'] },
  audio: { maxBytes: 16 * MB, mimeTypes: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'] },
  video: { maxBytes: 16 * MB, mimeTypes: ['video/mp4', 'video/3gpp'] },
  document: {
    maxBytes: 100 * MB,
    mimeTypes: [
      'text/plain',
      'application/pdf',
      'application/msword',
      'application/vnd.ms-excel',
      'application/vnd.ms-powerpoint',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    ],
  },
  sticker: { maxBytes: 500 * 1024, mimeTypes: ['image/webp'] },
};

/** The largest file of any type: the bound on an upload's whole body. */
export const MAX_MEDIA_BYTES = Math.max(...Object.values(MEDIA_LIMITS).map((l) => l.maxBytes));

/** `audio/ogg; codecs=opus` -> `audio/ogg`. */
export const bareMimeType = (mime: string) => mime.split(';')[0].trim().toLowerCase();

/** The media type a MIME type belongs to (each belongs to one), or undefined when WhatsApp takes no such file. */
export function mediaTypeOf(mime: string): MediaType | undefined {
  const bare = bareMimeType(mime);
  return (Object.keys(MEDIA_LIMITS) as MediaType[]).find((type) => MEDIA_LIMITS[type].mimeTypes.includes(bare));
}
