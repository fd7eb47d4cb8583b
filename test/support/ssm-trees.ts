import { randomBytes } from 'node:crypto';
import {
  DeleteParametersCommand,
  paginateGetParametersByPath,
  PutParameterCommand,
  type ParameterType,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { motoSsmClient, requireMoto, type Moto } from './moto.js';

export interface SsmTree {
  moto: Moto;
  ssm: SSMClient;
  /** A root of its own (aTestRoot), removed with everything under it after the block. */
  root: string;
}

/** For a describe block on moto's SSM: a client and a parameter root of its own, valid in its tests and hooks. */
export function useSsmTree(): SsmTree {
  const tree = {} as SsmTree;
  before(function () {
    tree.moto = requireMoto(this);
    tree.ssm = motoSsmClient(tree.moto);
    tree.root = aTestRoot();
  });
  after(async () => {
    if (!tree.ssm) return;
    await removeTree(tree.ssm, tree.root);
    tree.ssm.destroy();
  });
  return tree;
}

/**
 * A parameter root of its own on the shared moto (e.g. `/portico-test-1a2b3c4d5e6f/`), so suites and
 * concurrent runs never see each other's trees; the stages go under it through SSM_PREFIX.
 */
export const aTestRoot = (): string => `/portico-test-${randomBytes(6).toString('hex')}/`;

/** Writes `tree` under `prefix` (which ends with `/`), SecureString unless told otherwise. */
export async function putTree(
  ssm: SSMClient,
  prefix: string,
  tree: Record<string, string>,
  type: ParameterType = 'SecureString',
) {
  for (const [name, value] of Object.entries(tree)) {
    await ssm.send(new PutParameterCommand({ Name: `${prefix}${name}`, Value: value, Type: type, Overwrite: true }));
  }
}

/** Every parameter under `prefix`, at any depth, whatever the code under test did. */
export async function removeTree(ssm: SSMClient, prefix: string): Promise<void> {
  const names: string[] = [];
  const pages = paginateGetParametersByPath({ client: ssm }, { Path: prefix.replace(/\/$/, ''), Recursive: true });
  for await (const page of pages) names.push(...(page.Parameters ?? []).flatMap((p) => (p.Name ? [p.Name] : [])));
  // DeleteParameters takes at most 10 names.
  for (let i = 0; i < names.length; i += 10)
    await ssm.send(new DeleteParametersCommand({ Names: names.slice(i, i + 10) }));
}

/**
 * Sets variables in process.env for code that reads them through the AWS SDK's own chain (the app's SSM
 * client finds AWS_ENDPOINT_URL_SSM that way); the returned function puts back what was there before.
 */
export function useEnv(vars: Record<string, string>): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  Object.assign(process.env, vars);
  return () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}
