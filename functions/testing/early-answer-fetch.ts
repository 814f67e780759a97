// fetch for tests against a real server that may answer a large upload before reading it (413, or 503
// when busy) and then close the connection: undici's fetch fails such a request once its upload is
// cut off, even though the answer had arrived. Node's HTTP client hands over the answer as it comes,
// so large byte bodies go through it; everything else through fetch, unchanged.
import { request as httpRequest } from 'node:http';

/** Bodies up to this size fit in the sockets' buffers, so the server's early close cannot cut them off. */
const LARGE_BODY_BYTES = 1024 * 1024;

export function earlyAnswerFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const body = init.body;
  if (!(body instanceof Uint8Array) || body.length <= LARGE_BODY_BYTES) return fetch(url, init);
  return new Promise((resolve, reject) => {
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const req = httpRequest(url, { method: init.method ?? 'POST', headers: { ...headers, 'content-length': String(body.length) } });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      const done = () => {
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') responseHeaders.set(name, value);
        resolve(new Response(chunks.length ? Buffer.concat(chunks) : null, { status: res.statusCode, headers: responseHeaders }));
      };
      res.on('end', done);
      // The connection may be reset right after the answer: what arrived is the answer.
      res.on('error', done);
    });
    // An upload cut off after the answer is expected; before it, it is the request's failure.
    req.on('error', (error) => {
      if (!answered) setTimeout(() => (answered ? undefined : reject(error)), 50);
    });
    req.end(body);
  });
}
