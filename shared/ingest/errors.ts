/**
 * Base of the errors that refuse a whole request; `statusCode` is the HTTP answer. The message is
 * the answer's `message`: it never quotes the body.
 *
 * @example
 * ```ts
 * if (error instanceof IngestError) return jsonResponse(error.statusCode, { message: error.message });
 * ```
 */
class IngestError extends Error {
  readonly statusCode: number;
  constructor(message: string, statusCode: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IngestError';
    this.statusCode = statusCode;
  }
}

/** The body is not what the content type promises (not UTF-8, not JSON, a batch that is no array). */
class MalformedRequestError extends IngestError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 400, options);
    this.name = 'MalformedRequestError';
  }
}

/** The body or the batch is larger than the settings allow. */
class PayloadTooLargeError extends IngestError {
  constructor(message: string) {
    super(message, 413);
    this.name = 'PayloadTooLargeError';
  }
}

/** A content type other than the two CloudEvents JSON ones. */
class UnsupportedMediaTypeError extends IngestError {
  constructor(message: string) {
    super(message, 415);
    this.name = 'UnsupportedMediaTypeError';
  }
}

/** The broker did not acknowledge in time, or could not be reached: nothing was accepted. */
class ProducerUnavailableError extends IngestError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 503, options);
    this.name = 'ProducerUnavailableError';
  }
}

export {
  IngestError,
  MalformedRequestError,
  PayloadTooLargeError,
  ProducerUnavailableError,
  UnsupportedMediaTypeError,
};
