/**
 * The `http_file_share` component module (Prosody 0.12's mod_http_file_share, XEP-0363 HTTP
 * File Upload) on a `Component(name, 'http_file_share')` host: slot requests over XMPP, and
 * on the host's HTTP routes (`/file_share`, relocatable with `http_paths`) uploads by PUT and
 * downloads by GET. Files live under `<data_path>/http_file_share/<host>/`, records of slots in
 * the host's `http_file_share` store.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Element } from 'ltx';
import { StanzaError } from '../../server/errors/index.js';
import { defineModule } from '../../server/modules/index.js';
import { httpServiceKey } from '../http-types.js';
import { preflightResponse } from './cors.js';
import { handleDownload } from './download-route.js';
import { sweepExpired, sweepInterval } from './expiry-sweep.js';
import { FileDirectory } from './file-directory.js';
import { fileStorageRootKey } from './file-storage-root.js';
import { fileShareLimits, fileShareOptions, validateFileShareOptions } from './options.js';
import { checkSlotRequest, grantSlot, NS_UPLOAD, refusalReply, slotReply, type SlotPolicy } from './slot-request.js';
import { UploadIndex, type UploadRecord } from './upload-index.js';
import { handleUpload } from './upload-route.js';

/** Prosody's http path name for this module (`http_paths = { file_share = "/upload" }`). */
const PATH_NAME = 'file_share';

/** XEP-0363 §3: the service announces its size limit in an extended disco#info form (XEP-0128). */
function limitForm(sizeLimit: number): Element {
  const form = new Element('x', { xmlns: 'jabber:x:data', type: 'result' });
  form.c('field', { var: 'FORM_TYPE', type: 'hidden' }).c('value').t(NS_UPLOAD);
  form.c('field', { var: 'max-file-size', type: 'text-single' }).c('value').t(String(sizeLimit));
  return form;
}

export const httpFileShareModule = defineModule({
  name: 'http_file_share',
  description: 'HTTP File Upload (XEP-0363): upload slots, and the files served over HTTP',
  hostKinds: ['component'],
  componentTypes: ['http_file_share'],
  options: fileShareOptions,
  validate: validateFileShareOptions,
  async load(ctx) {
    const routes = ctx.service(httpServiceKey);
    if (routes === undefined) throw new Error('http_file_share needs the HTTP listener');
    const options = ctx.options;
    const limits = fileShareLimits(options);
    const root = ctx.service(fileStorageRootKey)?.path;
    const directory = root === undefined ? await mkdtemp(join(tmpdir(), 'salon-file-share-')) : join(root, 'http_file_share', encodeURIComponent(ctx.host.name));
    if (root === undefined) ctx.onUnload(() => rm(directory, { recursive: true, force: true }));
    const files = new FileDirectory(directory);
    await files.prepare();
    const index = new UploadIndex(ctx.storage<UploadRecord>('http_file_share'));
    await index.load();
    const secret = options.http_file_share_secret ?? randomBytes(32).toString('base64url');
    const access = new Set(options.http_file_share_access.map((entry) => entry.toLowerCase()));
    const policy: SlotPolicy = {
      limits,
      allowedTypes: options.http_file_share_allowed_file_types,
      // Prosody's default permission: registered users of this server, plus the access list.
      mayUpload: (uploader) => ctx.hostByName(uploader.domain)?.kind === 'user' && uploader.local !== ''
        || access.has(uploader.bare().toString()) || access.has(uploader.domain),
    };
    const basePath = routes.pathFor(PATH_NAME);

    ctx.addIdentity({ category: 'store', type: 'file', name: 'HTTP File Upload' });
    ctx.addFeature(NS_UPLOAD);
    ctx.addDiscoForm(limitForm(limits.sizeLimit));
    ctx.hook(`iq-get/host/${NS_UPLOAD}:request`, async ({ stanza, from }): Promise<true> => {
      const uploader = from.bare();
      const now = Date.now();
      const checked = checkSlotRequest(stanza.getChild('request', NS_UPLOAD)!, uploader, policy, index, now);
      if ('error' in checked) {
        const reply = refusalReply(stanza, checked);
        if (reply !== undefined) ctx.send(reply);
        return true;
      }
      const granted = grantSlot(checked, uploader, secret, now);
      const url = routes.publicUrl(`${basePath}/${granted.slot}/${encodeURIComponent(checked.filename)}`);
      if (url === undefined) {
        // No listener yet (or none at all): no URL to hand out.
        const reply = refusalReply(stanza, { error: StanzaError.wait('service-unavailable') });
        if (reply !== undefined) ctx.send(reply);
        return true;
      }
      await index.add(granted.slot, granted.record);
      ctx.logger.info({ uploader: granted.record.uploader, size: checked.size }, 'upload slot granted');
      ctx.send(slotReply(stanza, url, granted.token));
      return true;
    });

    const inFlight = new Set<string>();
    const disposeRoute = routes.addRoute({
      methods: ['GET', 'PUT', 'OPTIONS'],
      path: `/${PATH_NAME}/*`,
      name: PATH_NAME,
      streamBody: true,
      handler: (request) => {
        if (request.method === 'OPTIONS') return Promise.resolve(preflightResponse());
        if (request.method === 'PUT') return handleUpload(request, { secret, index, files, inFlight, now: Date.now });
        return handleDownload(request, { index, files, safeTypes: options.http_file_share_safe_file_types });
      },
    });
    ctx.onUnload(disposeRoute);

    const expiresAfterMs = limits.expiresAfterMs;
    if (expiresAfterMs !== undefined) {
      let sweeping = false;
      const sweep = (): void => {
        if (sweeping) return; // the previous sweep is still removing files
        sweeping = true;
        void sweepExpired(index, files, expiresAfterMs, Date.now(), ctx.logger).finally(() => (sweeping = false));
      };
      sweep();
      ctx.setInterval(sweep, sweepInterval(expiresAfterMs));
    }
  },
});
