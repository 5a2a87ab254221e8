/**
 * Reads a request body under a size limit. A body announced as too large is refused before any
 * of it is read; a chunked body is counted while it streams and refused as soon as it crosses
 * the limit. The rest of a refused body is read and discarded (up to a bound) so the 413 reaches
 * a client that is still sending: closing a socket with unread data makes the kernel reset the
 * connection, and the client may lose the response with it. A route's `BodyGate` stops the read
 * earlier, at its own bound, unless what was read so far earns the route's full limit.
 */
import type { IncomingMessage } from 'node:http';
import type { BodyGate } from './http-types.js';

/** Bytes of a refused body discarded before the connection is cut instead. */
const DISCARD_ALLOWANCE = 1024 * 1024;

export type BodyResult =
  | { readonly ok: true; readonly body: Buffer }
  | { readonly ok: false; readonly status: 413 | 400; readonly message: string; readonly closeConnection: boolean };

const TOO_LARGE = 'Request body too large';

function refuse(request: IncomingMessage, closeConnection: boolean): BodyResult {
  discardRest(request);
  return { ok: false, status: 413, message: TOO_LARGE, closeConnection };
}

/** Reads and drops what is left of a body; cuts the connection past the allowance. */
function discardRest(request: IncomingMessage): void {
  let discarded = 0;
  request.removeAllListeners('data');
  request.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > DISCARD_ALLOWANCE) request.socket.destroy();
  });
  request.resume();
}

/**
 * Bytes of a body the route will not read (GET, an unauthorized request) that are still read and
 * dropped, so that a client sending a small body keeps its connection and surely gets the answer;
 * a larger or chunked body closes the connection after the answer instead (RFC 9112 §9.6).
 */
export const UNREAD_BODY_ALLOWANCE = 64 * 1024;

/**
 * Makes sure the body of a request answered without it is never buffered: a body announced
 * within `UNREAD_BODY_ALLOWANCE` is dropped as it arrives; true when the connection must close
 * after the answer instead.
 */
export function leaveBodyUnread(request: IncomingMessage): boolean {
  const { headers } = request;
  const length = Number(headers['content-length']);
  if (headers['transfer-encoding'] !== undefined || !Number.isSafeInteger(length) || length > UNREAD_BODY_ALLOWANCE) return true;
  if (!request.readableEnded) {
    request.removeAllListeners('data');
    request.resume();
  }
  return false;
}

/** The whole body, or why it was refused. */
export function readBody(request: IncomingMessage, limit: number, gate?: BodyGate): Promise<BodyResult> {
  const announced = request.headers['content-length'];
  if (announced !== undefined && Number(announced) > limit) {
    // A body far over the allowance is not worth reading: answer and close.
    return Promise.resolve(refuse(request, Number(announced) - limit > DISCARD_ALLOWANCE));
  }
  if (request.readableEnded) return Promise.resolve({ ok: true, body: Buffer.alloc(0) });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyResult): void => {
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('aborted', onError);
      resolve(result);
    };
    let pending = gate !== undefined && gate.bytes < limit ? gate : undefined;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) return finish(refuse(request, false));
      chunks.push(chunk);
      if (pending === undefined || size <= pending.bytes) return;
      const checked = pending;
      pending = undefined;
      if (checked.allowMore(Buffer.concat(chunks, size))) return;
      // An announced length far past the gate is not worth discarding: answer and close.
      finish(refuse(request, Number(announced ?? size) - checked.bytes > DISCARD_ALLOWANCE));
    };
    const onEnd = (): void => finish({ ok: true, body: Buffer.concat(chunks, size) });
    const onError = (): void => finish({ ok: false, status: 400, message: 'Request body incomplete', closeConnection: true });
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('error', onError);
    request.once('aborted', onError);
  });
}
