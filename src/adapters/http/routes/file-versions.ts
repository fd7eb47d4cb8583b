import type { ListVersions } from '../../../application/files/list-versions.js';
import type { RestoreVersion } from '../../../application/files/restore-version.js';
import type { SetLegalHold } from '../../../application/files/set-legal-hold.js';
import type { SetRetention } from '../../../application/files/set-retention.js';
import { fileNotFound } from '../../../domain/file/file-errors.js';
import { defineRoute, type Api } from '../route.js';
import { answerFile, FILE_ETAG } from './files.js';
import { idParams } from '../schemas/common.js';
import {
  FileEnvelope,
  LegalHoldBody,
  LegalHoldSchema,
  RetentionBody,
  RetentionSchema,
  toVersionView,
  versionParams,
  VersionsSchema,
} from '../schemas/files.js';

export interface FileVersionDeps {
  listVersions: ListVersions;
  restoreVersion: RestoreVersion;
  setLegalHold: SetLegalHold;
  setRetention: SetRetention;
}

const byId = { tag: 'files', auth: true, params: idParams, paramsNotFound: fileNotFound } as const;

/** Versions and object lock, as far as the configured store supports them (501 otherwise). */
export function fileVersionRoutes(api: Api, deps: FileVersionDeps): void {
  defineRoute(api, {
    ...byId,
    method: 'get',
    path: '/v1/files/{id}/versions',
    operationId: 'listFileVersions',
    summary: 'Stored versions, newest first; also of a file whose object was removed outside the API',
    success: { status: 200, description: 'Versions', schema: VersionsSchema },
    handle: async (ctx, { actor, params }) => {
      ctx.body = { items: (await deps.listVersions.execute({ actor, id: params.id })).map(toVersionView) };
    },
  });
  defineRoute(api, {
    ...byId,
    method: 'post',
    path: '/v1/files/{id}/versions/{versionId}/restore',
    operationId: 'restoreFileVersion',
    summary: 'Make an earlier version the latest (history is kept); a gone file is ready again',
    params: versionParams,
    success: {
      status: 200,
      description: 'The file, now at the restored version',
      schema: FileEnvelope,
      headers: FILE_ETAG,
    },
    handle: async (ctx, { actor, params }) => {
      answerFile(ctx, await deps.restoreVersion.execute({ actor, ...params }));
    },
  });
  defineRoute(api, {
    ...byId,
    method: 'put',
    path: '/v1/files/{id}/legal-hold',
    operationId: 'setFileLegalHold',
    summary: "Set or clear a legal hold on the file's current version (admin)",
    body: LegalHoldBody,
    success: { status: 200, description: 'The hold as set', schema: LegalHoldSchema },
    problems: [403, 410, 501],
    handle: async (ctx, { actor, params, body }) => {
      ctx.body = { legalHold: await deps.setLegalHold.execute({ actor, id: params.id, enabled: body.enabled }) };
    },
  });
  defineRoute(api, {
    ...byId,
    method: 'put',
    path: '/v1/files/{id}/retention',
    operationId: 'setFileRetention',
    summary: "Retain the file's current version until a date (admin)",
    body: RetentionBody,
    success: { status: 200, description: 'The retention as set', schema: RetentionSchema },
    problems: [403, 410, 501],
    handle: async (ctx, { actor, params, body }) => {
      const retention = await deps.setRetention.execute({
        actor,
        id: params.id,
        retention: { mode: body.mode, retainUntil: new Date(body.retainUntil) },
      });
      ctx.body = { retention: { mode: retention.mode, retainUntil: retention.retainUntil.toISOString() } };
    },
  });
}
