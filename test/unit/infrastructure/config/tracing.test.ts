import { expect } from 'chai';
import { parseConfig, parseTracingSettings } from '../../../../src/infrastructure/config.js';
import { namesRefused } from '../../../support/config-error-of.js';

const ENDPOINT = 'http://127.0.0.1:4318';

describe('tracing settings', () => {
  it('are off without an OTLP endpoint, and name the service portico', () => {
    expect(parseConfig({}).tracing).to.deep.equal({ enabled: false, serviceName: 'portico' });
    expect(parseTracingSettings({})).to.deep.equal({ enabled: false, serviceName: 'portico' });
  });

  it('turn on with the endpoint for every signal or the one for traces', () => {
    expect(parseTracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: ENDPOINT }).enabled).to.equal(true);
    expect(parseTracingSettings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${ENDPOINT}/v1/traces` }).enabled).to.equal(
      true,
    );
    expect(parseTracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: '' }).enabled).to.equal(false);
  });

  it('stay off with OTEL_SDK_DISABLED, and take the service name from OTEL_SERVICE_NAME', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: ENDPOINT, OTEL_SERVICE_NAME: 'portico-eu' };
    expect(parseTracingSettings(env)).to.deep.equal({ enabled: true, serviceName: 'portico-eu' });
    expect(parseTracingSettings({ ...env, OTEL_SDK_DISABLED: 'true' }).enabled).to.equal(false);
  });

  it('refuse an endpoint that is no URL at boot, while the early read just leaves tracing off', () => {
    expect(namesRefused({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).to.deep.equal([
      'OTEL_EXPORTER_OTLP_ENDPOINT',
    ]);
    expect(parseTracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }).enabled).to.equal(false);
  });
});
