import type { AbortUpload } from '../../../application/files/abort-upload.js';
import type { CompleteUpload } from '../../../application/files/complete-upload.js';
import type { GetUploadProgress } from '../../../application/files/get-upload-progress.js';
import type { StartUpload } from '../../../application/files/start-upload.js';
import { fileNotFound } from '../../../domain/file/file-errors.js';
import { onOrigin } from '../file-content.js';
import { defineRoute, type Api } from '../route.js';
import { answerFile, FILE_ETAG } from './files.js';
import { idParams } from '../schemas/common.js';
import {
  CompleteUploadBody,
  FileEnvelope,
  StartedUploadSchema,
  StartUploadBody,
  toFileView,
  toPartView,
  toPlanView,
  UploadProgressSchema,
} from '../schemas/files.js';

export interface FileUploadDeps {
  startUpload: StartUpload;
  getUploadProgress: GetUploadProgress;
  completeUpload: CompleteUpload;
  abortUpload: AbortUpload;
}

const byId = { tag: 'files', auth: true, params: idParams, paramsNotFound: fileNotFound } as const;

/** Direct uploads: the client sends the bytes to pre-signed URLs, the app only plans and checks. */
export function fileUploadRoutes(api: Api, deps: FileUploadDeps): void {
  defineRoute(api, {
    method: 'post',
    path: '/v1/files/uploads',
    operationId: 'startUpload',
    idempotent: true,
    summary: 'Start a direct upload: one pre-signed PUT, or above the multipart threshold one pre-signed URL per part',
    tag: 'files',
    auth: true,
    body: StartUploadBody,
    success: { status: 201, description: 'The pending file and how to upload it', schema: StartedUploadSchema },
    handle: async (ctx, { actor, body }) => {
      const { file, upload } = await deps.startUpload.execute({ actor, ...body });
      ctx.status = 201;
      ctx.set('Location', `/v1/files/${file.id}`);
      ctx.body = { file: toFileView(file), upload: toPlanView(upload, onOrigin(ctx)) };
    },
  });
  defineRoute(api, {
    ...byId,
    method: 'get',
    path: '/v1/files/{id}/upload',
    operationId: 'getUploadProgress',
    summary: 'The parts of a multipart upload that have arrived, to resume it',
    success: { status: 200, description: 'Parts received', schema: UploadProgressSchema },
    handle: async (ctx, { actor, params }) => {
      ctx.body = { parts: (await deps.getUploadProgress.execute({ actor, id: params.id })).map(toPartView) };
    },
  });
  defineRoute(api, {
    ...byId,
    method: 'post',
    path: '/v1/files/{id}/complete',
    operationId: 'completeUpload',
    summary: 'Finish a direct upload; the file is ready once its size checks out',
    body: CompleteUploadBody,
    success: { status: 200, description: 'The ready file', schema: FileEnvelope, headers: FILE_ETAG },
    handle: async (ctx, { actor, params, body }) => {
      answerFile(ctx, await deps.completeUpload.execute({ actor, id: params.id, parts: body.parts }));
    },
  });
  defineRoute(api, {
    ...byId,
    method: 'delete',
    path: '/v1/files/{id}/upload',
    operationId: 'abortUpload',
    summary: 'Abort a direct upload: its parts and its pending file are gone',
    success: { status: 204, description: 'Aborted' },
    handle: async (ctx, { actor, params }) => {
      await deps.abortUpload.execute({ actor, id: params.id });
      ctx.status = 204;
    },
  });
}
