import type { IncomingMessage } from 'node:http';
import { Transform, type Readable } from 'node:stream';
import busboy from 'busboy';
import { AppError, fieldError } from '../errors';
import { MAX_MEDIA_BYTES } from './media-types';

export interface ReceivedFile {
  content: Readable;
  filename: string;
  mimeType: string;
}

/** Form fields besides the file, and their size: the form carries nothing else of ours. */
const LIMITS = { files: 1, fields: 10, fieldSize: 1024, parts: 12, fileSize: MAX_MEDIA_BYTES + 1, headerPairs: 20 };

/** `what`: the files the limit is for, e.g. "image/png files". */
export const tooLarge = (maxBytes: number, what: string) =>
  new AppError(413, 'file_too_large', `file: WhatsApp takes ${what} of at most ${maxBytes} bytes`, [
    { path: 'file', message: `is larger than ${maxBytes} bytes, WhatsApp's limit for ${what}` },
  ]);

/**
 * The `file` part of a multipart/form-data request, as a stream (busboy parses the body as it
 * arrives; nothing is buffered whole). Other parts are read and ignored.
 */
export function receiveFile(req: IncomingMessage): Promise<ReceivedFile> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: LIMITS });
    } catch {
      return reject(fieldError('file', 'the body must be multipart/form-data with a boundary'));
    }
    let found = false;
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || found) return void stream.resume();
      found = true;
      resolve({ content: stream, filename: info.filename || 'upload', mimeType: info.mimeType });
    });
    parser.on('error', () => reject(fieldError('file', 'the multipart body could not be read')));
    parser.on('close', () => reject(fieldError('file', 'is required: send the file as the form field "file"')));
    req.pipe(parser);
  });
}

/**
 * Passes a file through while counting it: past `maxBytes` the stream fails with a 413 naming
 * the field, and an empty file fails with a 400.
 */
export function sizeBounded(maxBytes: number, mimeType: string): Transform & { bytes: () => number } {
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(bytes > maxBytes ? tooLarge(maxBytes, `${mimeType} files`) : null, chunk);
    },
    flush(done) {
      done(bytes === 0 ? fieldError('file', 'is empty') : null);
    },
  });
  return Object.assign(counter, { bytes: () => bytes });
}
