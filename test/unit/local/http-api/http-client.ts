import { request } from 'node:http';

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/**
 * One HTTP request with headers exactly as given (a flat name, value, name, value… list, so a
 * header may repeat), which `fetch` would merge.
 */
function rawRequest(
  url: string,
  options: { method?: string; headers?: string[]; body?: string | Buffer } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    // Given as a list, headers go out as they are: Node adds no Host, which HTTP/1.1 requires.
    const headers = ['Host', new URL(url).host, ...(options.headers ?? [])];
    const outgoing = request(url, { method: options.method ?? 'GET', headers });
    outgoing.on('error', reject);
    outgoing.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    outgoing.end(options.body);
  });
}

export { rawRequest };
