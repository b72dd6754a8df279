import Router from '@koa/router';
import { AppError, notFound } from '../../errors';
import type { MediaDownloader } from '../../media/download';
import type { MediaUploader } from '../../media/upload';
import { parseId } from '../validate';

/** A filename as a Content-Disposition parameter: ASCII only, no quotes. */
const dispositionName = (filename: string) => filename.replace(/[^\x20-\x7e]|["\\]/g, '_');

/**
 * POST /media/ reads its multipart body as a stream (mounted before the 1 MB JSON body reader);
 * the media id it returns is sent as `media: {type, id}` on POST /whatsapp/.
 */
export function mediaUploadRouter(upload: MediaUploader): Router {
  const router = new Router({ prefix: '/media' });
  router.post('/', async (ctx) => {
    if (!ctx.is('multipart/form-data')) {
      throw new AppError(415, 'unsupported_media_type', 'send the file as multipart/form-data in the field "file"');
    }
    ctx.status = 201;
    ctx.body = await upload(ctx.req);
  });
  return router;
}

/** GET /whatsapp/{id}/media: an inbound message's image, document, audio, video or sticker, streamed from 360Dialog. */
export function inboundMediaRouter(download: MediaDownloader): Router {
  const router = new Router({ prefix: '/whatsapp' });
  router.get('/:id/media', async (ctx) => {
    const id = parseId(ctx.params.id);
    if (!id) throw notFound('message');
    const file = await download(id);
    ctx.type = file.mimeType;
    if (file.size !== undefined) ctx.length = file.size;
    if (file.filename) ctx.set('Content-Disposition', `inline; filename="${dispositionName(file.filename)}"`);
    ctx.body = file.content;
  });
  return router;
}
