import type { DeleteFile } from '../../../application/files/delete-file.js';
import type { DownloadFile } from '../../../application/files/download-file.js';
import type { GetDownloadUrl } from '../../../application/files/get-download-url.js';
import type { GetFile } from '../../../application/files/get-file.js';
import type { ListFiles } from '../../../application/files/list-files.js';
import type { UploadFile } from '../../../application/files/upload-file.js';
import { invalid } from '../../../domain/errors.js';
import { fileNotFound } from '../../../domain/file/file-errors.js';
import type { StoredFile } from '../../../domain/file/stored-file.js';
import { etagOf, ifMatchOf } from '../conditional.js';
import { attachmentDisposition } from '../content-disposition.js';
import type { HttpContext, RouteContext } from '../context.js';
import { onOrigin, parseRange, sendContent } from '../file-content.js';
import { HttpProblem } from '../problem.js';
import { defineRoute, type Api } from '../route.js';
import { idParams } from '../schemas/common.js';
import {
  BinarySchema,
  ContentQuery,
  DownloadUrlQuery,
  DownloadUrlSchema,
  FileEnvelope,
  FilePageSchema,
  ListFilesQuery,
  toFileView,
  UploadQuery,
} from '../schemas/files.js';

export interface FileDeps {
  uploadFile: UploadFile;
  listFiles: ListFiles;
  getFile: GetFile;
  downloadFile: DownloadFile;
  getDownloadUrl: GetDownloadUrl;
  deleteFile: DeleteFile;
}

const byId = { tag: 'files', auth: true, params: idParams, paramsNotFound: fileNotFound } as const;

/** One file record's answer, with the ETag of its version (not the bytes' ETag: see /content). */
export function answerFile(ctx: RouteContext, file: StoredFile): void {
  ctx.set('ETag', etagOf(file.id, file.version));
  ctx.body = { file: toFileView(file) };
}

/** For the routes that answer a changed file record, not conditional themselves. */
export const FILE_ETAG = {
  ETag: {
    description: 'The strong entity tag of this version of the file record',
    schema: { type: 'string' as const },
  },
};
const CONTENT_HEADERS = {
  ETag: { description: "The stored object's entity tag", schema: { type: 'string' as const } },
  'Content-Disposition': {
    description: 'Always `attachment`, with the name in `filename*` (RFC 6266, RFC 5987)',
    schema: { type: 'string' as const },
  },
};

/** The body's declared length; a chunked body has none. A body with neither header is refused. */
function declaredLength(ctx: HttpContext): number | undefined {
  const header = ctx.get('Content-Length');
  if (header !== '') {
    const length = Number(header);
    if (!/^\d+$/.test(header) || !Number.isSafeInteger(length))
      throw invalid('Content-Length is not a number of bytes.');
    return length;
  }
  if (ctx.get('Transfer-Encoding') === '') throw new HttpProblem('REQUEST.LENGTH_REQUIRED');
  return undefined;
}

export function filesRoutes(api: Api, deps: FileDeps): void {
  defineRoute(api, {
    method: 'post',
    path: '/v1/files',
    operationId: 'uploadFile',
    idempotent: true,
    summary: 'Upload a file: the raw body, streamed to the store (multipart above the threshold)',
    tag: 'files',
    auth: true,
    query: UploadQuery,
    rawBody: { description: 'The file itself, of any Content-Type; Content-Length or chunked' },
    success: {
      status: 201,
      description: 'Stored',
      schema: FileEnvelope,
      headers: { Location: { description: 'The new file', schema: { type: 'string' } } },
    },
    problems: [400, 411, 413],
    handle: async (ctx, { actor, query }) => {
      const contentLength = declaredLength(ctx);
      const contentType = ctx.get('Content-Type') || undefined;
      const file = await deps.uploadFile.execute({
        actor,
        name: query.name,
        contentType,
        contentLength,
        body: ctx.req,
      });
      ctx.status = 201;
      ctx.set('Location', `/v1/files/${file.id}`);
      ctx.body = { file: toFileView(file) };
    },
  });
  defineRoute(api, {
    method: 'get',
    path: '/v1/files',
    operationId: 'listFiles',
    summary: "The caller's files; an admin may ask for another user's with `?ownerId=`",
    tag: 'files',
    auth: true,
    query: ListFilesQuery,
    success: { status: 200, description: 'A page of files', schema: FilePageSchema },
    problems: [400, 403],
    handle: async (ctx, { actor, query }) => {
      const page = await deps.listFiles.execute({ actor, ...query });
      ctx.body = { items: page.items.map(toFileView), nextCursor: page.nextCursor };
    },
  });
  defineRoute(api, {
    ...byId,
    method: 'get',
    path: '/v1/files/{id}',
    operationId: 'getFile',
    summary: "One file's metadata; 410 once its object was removed outside the API (its versions stay listed)",
    success: { status: 200, description: 'The file', schema: FileEnvelope },
    problems: [410],
    conditional: 'read',
    handle: async (ctx, { actor, params }) => {
      answerFile(ctx, await deps.getFile.execute({ actor, id: params.id }));
    },
  });
  contentRoutes(api, deps);
  defineRoute(api, {
    ...byId,
    method: 'delete',
    path: '/v1/files/{id}',
    operationId: 'deleteFile',
    summary: 'Delete a file: its bytes, then its metadata',
    success: { status: 204, description: 'Deleted' },
    conditional: 'write',
    handle: async (ctx, { actor, params }) => {
      await deps.deleteFile.execute({ actor, id: params.id, ifMatch: ifMatchOf(ctx, params.id) });
      ctx.status = 204;
    },
  });
}

function contentRoutes(api: Api, deps: FileDeps): void {
  defineRoute(api, {
    ...byId,
    method: 'get',
    path: '/v1/files/{id}/content',
    operationId: 'downloadFile',
    summary: 'The bytes, streamed; `Range` answers 206, `?versionId=` an earlier version',
    query: ContentQuery,
    // Served with the media type it was stored with, whatever that is.
    success: {
      status: 200,
      description: 'The whole file, as the type it was stored with',
      mediaType: '*/*',
      schema: BinarySchema,
      headers: CONTENT_HEADERS,
    },
    also: [
      {
        status: 206,
        description: 'The requested range',
        mediaType: '*/*',
        schema: BinarySchema,
        headers: CONTENT_HEADERS,
      },
    ],
    problems: [400, 410, 416],
    handle: async (ctx, { actor, params, query }) => {
      const range = parseRange(ctx.get('Range'));
      if (range && !query.versionId) {
        // An unsatisfiable range answers 416 with the size; for that it must be known up front.
        const { size } = await deps.getFile.execute({ actor, id: params.id });
        ctx.state.problemHeaders = { 'Content-Range': `bytes */${size}` };
      }
      const { file, content } = await deps.downloadFile.execute({
        actor,
        id: params.id,
        range,
        versionId: query.versionId,
      });
      sendContent(ctx, content, { contentType: file.contentType, disposition: attachmentDisposition(file.name) });
    },
  });
  defineRoute(api, {
    ...byId,
    method: 'get',
    path: '/v1/files/{id}/download-url',
    operationId: 'getDownloadUrl',
    summary: 'A pre-signed GET for the file, valid at most the configured lifetime',
    query: DownloadUrlQuery,
    success: { status: 200, description: 'The URL and when it expires', schema: DownloadUrlSchema },
    problems: [400, 410],
    handle: async (ctx, { actor, params, query }) => {
      const signed = await deps.getDownloadUrl.execute({
        actor,
        id: params.id,
        ...query,
        disposition: attachmentDisposition,
      });
      ctx.body = { url: onOrigin(ctx)(signed.url), expiresAt: signed.expiresAt.toISOString() };
    },
  });
}
