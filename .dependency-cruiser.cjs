/** The arrows point inward: adapters -> application -> domain. No exceptions are listed. */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'domain imports nothing outside domain (no application, adapters, infrastructure, DI)',
      severity: 'error',
      from: { path: '^src/domain' },
      to: { pathNot: '^src/domain', dependencyTypesNot: ['core'] },
    },
    {
      name: 'application-depends-on-domain-only',
      comment: 'use cases know ports, never adapters, infrastructure or a DI library',
      severity: 'error',
      from: { path: '^src/application' },
      to: {
        path: '^(src/adapters|src/infrastructure)|node_modules/(inversify|@inversifyjs|reflect-metadata|@mikro-orm|koa|@aws-sdk|pino)',
      },
    },
    {
      name: 'adapters-do-not-know-the-composition-root',
      severity: 'error',
      from: { path: '^src/adapters' },
      to: { path: '^src/infrastructure|^src/main' },
    },
    {
      name: 'adapters-do-not-import-each-other-across-kinds',
      comment: 'an http adapter must not reach into persistence, files or secrets adapters',
      severity: 'error',
      from: { path: '^src/adapters/([^/]+)/' },
      to: { path: '^src/adapters/', pathNot: '^src/adapters/$1/' },
    },
    {
      name: 'only-the-composition-root-imports-adapters',
      severity: 'error',
      from: { path: '^src/infrastructure', pathNot: '^src/infrastructure/(container|cli)/' },
      to: { path: '^src/adapters' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js'],
    },
  },
};
