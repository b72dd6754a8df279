export interface ErrorDetail {
  path: string;
  message: string;
}

/** Every failure the API reports is one of these; `code` is stable for clients. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
  }
}

export const validationError = (details: ErrorDetail[]) =>
  new AppError(
    400,
    'validation_error',
    details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; '),
    details,
  );

export const fieldError = (path: string, message: string) => validationError([{ path, message }]);

export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`);

export const conflict = (code: string, message: string) => new AppError(409, code, message);

export const unavailable = (code: string, message: string) => new AppError(503, code, message);
