/**
 * How a message lets its stream go on while it only waits for an archive commit
 * (docs/architecture.md, "The per-stream input queue").
 *
 * A stream handles its input in order: a message that waits for the disk would hold up every
 * later stanza of its client, and a client with k messages in flight would wait for k commits one
 * after another. Instead, the handler that makes a message wait for a commit (the user archive,
 * `im/mam/user-archiver.ts`) calls `releaseInput` once its writes are issued: the stream starts
 * its next message, whose writes join the same commit, and the handler waits for the commit and
 * for the promise `releaseInput` returned (every earlier stanza of that stream, handled) before
 * the delivery goes on. So messages reach their recipients in the order their client sent them,
 * each after its own commit, while the commits of one client overlap.
 *
 * Only a message may start while earlier ones wait, and only one that goes to an account of a
 * host that promises this order (`orderDeliveries`, registered by the module that releases);
 * any other message waits for the earlier ones in `client-stanza.ts` before anything of it
 * happens, and any other input waits in the stream's queue. The stream counts a stanza for
 * XEP-0198 (`h`) only once it and every stanza before it have been handled.
 */
import type { Element } from 'ltx';
import type { Host } from '../host/index.js';

/** The side of a stream that takes a message's release (implemented by `XmppStream`). */
export interface ReleasableInput {
  /**
   * Lets the stream start its next input while `stanza`, the message it is handling, waits.
   * Returns the stream's earlier stanzas, all handled (undefined when none was in flight); the
   * message must wait for it before it is delivered. Undefined too when `stanza` is not the
   * message this stream is handling (released already, or from another stream).
   */
  release(stanza: Element): Promise<void> | undefined;
  /** The earlier stanzas still in flight when `stanza`, the message being handled, started. */
  earlier(stanza: Element): Promise<void> | undefined;
  /** Settles once every stanza the stream started has been handled; undefined when none is left. */
  inFlight(): Promise<void> | undefined;
}

/** The stream that reads each bound session's input (the latest one, after a resumption). */
const inputs = new WeakMap<object, ReleasableInput>();

/** Hosts whose message events wait for `releaseInput`'s answer before any delivery, by registrations. */
const orderingHosts = new WeakMap<Host, number>();

export function attachInput(session: object, input: ReleasableInput): void {
  inputs.set(session, input);
}

/** The stream ended and has nothing in flight: the session (hibernating, maybe) no longer keeps it. */
export function detachInput(session: object, input: ReleasableInput): void {
  if (inputs.get(session) === input) inputs.delete(session);
}

export function inputOf(session: object): ReleasableInput | undefined {
  return inputs.get(session);
}

/**
 * Called by a `message/bare` or `message/full` handler of an ordering host once everything
 * `stanza` still waits for before its delivery is a commit already asked for: see the file comment.
 * The handler then waits for the returned promise (when there is one) before it lets the delivery
 * go on. `origin` is the event's: a stanza from no client stream returns undefined.
 */
export function releaseInput(origin: object | undefined, stanza: Element): Promise<void> | undefined {
  return origin === undefined ? undefined : inputs.get(origin)?.release(stanza);
}

/** What a message that started while earlier stanzas of its stream were in flight must follow. */
export function earlierInput(origin: object, stanza: Element): Promise<void> | undefined {
  return inputs.get(origin)?.earlier(stanza);
}

/**
 * Registers a host whose every message to an account passes a handler that calls `releaseInput`
 * and waits for its answer before anything delivers it. Returns the function that undoes it.
 */
export function orderDeliveries(host: Host): () => void {
  orderingHosts.set(host, (orderingHosts.get(host) ?? 0) + 1);
  let done = false;
  return () => {
    if (done) return;
    done = true;
    const left = (orderingHosts.get(host) ?? 1) - 1;
    if (left === 0) orderingHosts.delete(host);
    else orderingHosts.set(host, left);
  };
}

export function ordersDeliveries(host: Host | undefined): boolean {
  return host !== undefined && orderingHosts.has(host);
}
