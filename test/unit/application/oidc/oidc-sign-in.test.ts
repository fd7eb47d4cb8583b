import { expect } from 'chai';
import { v7 } from 'uuid';
import { oidcDenied, oidcInvalid } from '../../../../src/domain/oidc/oidc-errors.js';
import { Identity, type ProvenIdentity } from '../../../../src/domain/oidc/identity.js';
import { anOidcCore } from '../../../support/oidc-core.js';
import { rejectionOf } from '../../../support/rejection.js';

type Core = Awaited<ReturnType<typeof anOidcCore>>;

const APP = 'https://app.example.com/portal';
const codeOf = (promise: Promise<unknown>) => rejectionOf(promise).then((e) => e.code);
let people = 0;
const aPerson = (extra: Partial<ProvenIdentity> = {}): ProvenIdentity => ({
  subject: `subject-${++people}`,
  email: `person${people}@example.com`,
  emailVerified: true,
  name: 'Grace Hopper',
  ...extra,
});

/** The callback's answer for a flow started now: the provider signs `person` in. */
async function callback(core: Core, person: ProvenIdentity | Error, start: { returnTo?: string; link?: string } = {}) {
  const started = await core.start.execute({ provider: 'test', returnTo: `${APP}/back?x=1`, ...start });
  const state = new URL(started.location).searchParams.get('state') ?? '';
  core.providers.next = person;
  const callbackUrl = new URL(`https://api.example.com/cb?code=abc&state=${state}`);
  const { location } = await core.finish.execute({ provider: 'test', callbackUrl, flow: started.flow });
  return new URL(location);
}

async function signInAs(core: Core, person: ProvenIdentity) {
  const back = await callback(core, person);
  expect(back.searchParams.get('error')).to.equal(null);
  return core.exchange.execute({ code: back.searchParams.get('code') ?? '' });
}

/** The sealed flow with one character of its ciphertext changed. */
function altered(sealed: string): string {
  const parts = sealed.split('.');
  const body = parts[3] ?? '';
  parts[3] = (body[0] === 'A' ? 'B' : 'A') + body.slice(1);
  return parts.join('.');
}

const register = (core: Core, email: string) =>
  core.register.execute({ email, password: 'correct horse battery', name: 'Ada' });

describe('OpenID Connect sign-in', () => {
  it('creates a passwordless account for a new person, verified when the provider says so, and signs it in with amr ["fed"]', async () => {
    const core = await anOidcCore();
    const person = aPerson();
    const back = await callback(core, person);
    expect(back.origin + back.pathname).to.equal(`${APP}/back`);
    expect(back.searchParams.get('x')).to.equal('1');
    expect(back.searchParams.get('code')).to.match(/^oc_/);
    const result = await core.exchange.execute({ code: back.searchParams.get('code') ?? '' });
    expect(result.user.email).to.equal(person.email);
    expect(result.user.passwordHash).to.equal('');
    expect(result.user.emailVerifiedAt).to.deep.equal(core.clock.now());
    const payload = JSON.parse(Buffer.from(result.access.token.split('.')[1] ?? '', 'base64url').toString());
    expect(payload.amr).to.deep.equal(['fed']);
  });

  it('creates an unverified account when the provider does not vouch for the email', async () => {
    const core = await anOidcCore();
    const result = await signInAs(core, aPerson({ emailVerified: false }));
    expect(result.user.emailVerifiedAt).to.equal(null);
  });

  it('signs the linked user in again, whatever email the provider says now', async () => {
    const core = await anOidcCore();
    const person = aPerson();
    const first = await signInAs(core, person);
    const again = await signInAs(core, { ...person, email: 'changed@example.com' });
    expect(again.user.id).to.equal(first.user.id);
  });

  it('links an existing account only when both sides verified the email and it has no second factor', async () => {
    const core = await anOidcCore();
    const verified = await register(core, 'ver@example.com');
    verified.emailVerifiedAt = core.clock.now();
    await core.users.update(verified);
    const unverified = await register(core, 'unver@example.com');
    const withTotp = await register(core, 'totp@example.com');
    Object.assign(withTotp, {
      emailVerifiedAt: core.clock.now(),
      totpSecret: 'sealed',
      totpEnabledAt: core.clock.now(),
    });
    await core.users.update(withTotp);

    const refused = await callback(core, aPerson({ email: 'ver@example.com', emailVerified: false }));
    expect(refused.searchParams.get('error')).to.equal('AUTH.OIDC_LINK_REQUIRED');
    expect(refused.searchParams.get('code')).to.equal(null);
    const mine = await callback(core, aPerson({ email: 'unver@example.com' }));
    expect(mine.searchParams.get('error')).to.equal('AUTH.OIDC_LINK_REQUIRED');
    const second = await callback(core, aPerson({ email: 'totp@example.com' }));
    expect(second.searchParams.get('error')).to.equal('AUTH.OIDC_LINK_REQUIRED');
    const linked = await signInAs(core, aPerson({ email: 'ver@example.com' }));
    expect(linked.user.id).to.equal(verified.id);
    expect(await core.identities.countByUser(unverified.id)).to.equal(0);
  });

  it('drops a link whose user is gone for good (no cascade on MongoDB) and signs the person up afresh', async () => {
    const core = await anOidcCore();
    const person = aPerson();
    await core.identities.insert(new Identity(v7(), v7(), 'test', person.subject, person.email, core.clock.now()));
    const result = await signInAs(core, person);
    expect(result.user.email).to.equal(person.email);
    expect((await core.identities.findBySubject('test', person.subject))?.userId).to.equal(result.user.id);
  });

  it('refuses a provider that shared no email', async () => {
    const core = await anOidcCore();
    const back = await callback(core, aPerson({ email: null }));
    expect(back.searchParams.get('error')).to.equal('AUTH.OIDC_EMAIL_MISSING');
  });

  it('sends the provider’s refusals back to returnTo as problem codes', async () => {
    const core = await anOidcCore();
    for (const [error, code] of [
      [oidcDenied(), 'AUTH.OIDC_DENIED'],
      [oidcInvalid(), 'AUTH.OIDC_INVALID'],
    ] as const) {
      expect((await callback(core, error)).searchParams.get('error')).to.equal(code);
    }
  });

  it('throws (no returnTo to trust) without a flow, with an altered one, an expired one or another provider’s', async () => {
    const core = await anOidcCore();
    const started = await core.start.execute({ provider: 'test', returnTo: APP });
    const state = new URL(started.location).searchParams.get('state');
    const callbackUrl = new URL(`https://api.example.com/cb?code=abc&state=${state}`);
    const finish = (flow: string | undefined, provider = 'test') =>
      codeOf(core.finish.execute({ provider, callbackUrl, flow }));
    expect(await finish(undefined)).to.equal('AUTH.OIDC_STATE_INVALID');
    expect(await finish(altered(started.flow))).to.equal('AUTH.OIDC_STATE_INVALID');
    expect(await finish(started.flow, 'other')).to.equal('AUTH.OIDC_STATE_INVALID');
    core.clock.advance(600_000);
    expect(await finish(started.flow)).to.equal('AUTH.OIDC_STATE_INVALID');
    expect(core.providers.completed).to.deep.equal([]);
  });

  it('refuses an answer whose state is not the flow’s before asking the provider', async () => {
    const core = await anOidcCore();
    const started = await core.start.execute({ provider: 'test', returnTo: APP });
    const callbackUrl = new URL('https://api.example.com/cb?code=abc&state=forged');
    const { location } = await core.finish.execute({ provider: 'test', callbackUrl, flow: started.flow });
    expect(new URL(location).searchParams.get('error')).to.equal('AUTH.OIDC_STATE_INVALID');
    expect(core.providers.completed).to.deep.equal([]);
  });

  it('refuses a returnTo that is not a page of the app', async () => {
    const core = await anOidcCore();
    for (const returnTo of [
      'https://evil.example.com/portal',
      'https://app.example.com/elsewhere',
      'https://app.example.com/portalx',
      'https://user:pw@app.example.com/portal/x',
      'http://app.example.com/portal',
      'not a url',
    ]) {
      expect(await codeOf(core.start.execute({ provider: 'test', returnTo })), returnTo).to.equal('REQUEST.INVALID');
    }
    expect(await codeOf(core.start.execute({ provider: 'nope', returnTo: APP }))).to.equal(
      'AUTH.OIDC_PROVIDER_UNKNOWN',
    );
  });
});

describe('OpenID Connect exchange codes', () => {
  it('work once, within their lifetime', async () => {
    const core = await anOidcCore();
    const [once, late] = [await callback(core, aPerson()), await callback(core, aPerson())];
    const code = once.searchParams.get('code') ?? '';
    await core.exchange.execute({ code });
    expect(await codeOf(core.exchange.execute({ code }))).to.equal('AUTH.TOKEN_INVALID');
    core.clock.advance(60_000);
    expect(await codeOf(core.exchange.execute({ code: late.searchParams.get('code') ?? '' }))).to.equal(
      'AUTH.TOKEN_INVALID',
    );
  });

  it('refuse a disabled user (AUTH.ACCOUNT_DISABLED) and a deleted one (as an unknown code)', async () => {
    const core = await anOidcCore();
    const [disabled, deleted] = [aPerson(), aPerson()];
    const a = (await signInAs(core, disabled)).user;
    const b = (await signInAs(core, deleted)).user;
    const [codeA, codeB] = [await callback(core, disabled), await callback(core, deleted)];
    a.status = 'disabled';
    await core.users.update(a);
    b.deletedAt = core.clock.now();
    await core.users.update(b);
    expect(await codeOf(core.exchange.execute({ code: codeA.searchParams.get('code') ?? '' }))).to.equal(
      'AUTH.ACCOUNT_DISABLED',
    );
    expect(await codeOf(core.exchange.execute({ code: codeB.searchParams.get('code') ?? '' }))).to.equal(
      'AUTH.TOKEN_INVALID',
    );
    expect((await callback(core, disabled)).searchParams.get('error')).to.equal('AUTH.ACCOUNT_DISABLED');
    expect((await callback(core, deleted)).searchParams.get('error')).to.equal('AUTH.OIDC_ALREADY_LINKED');
  });
});

describe('OpenID Connect linking', () => {
  async function aUserWithPassword(core: Core) {
    const user = await register(core, `linker${++people}@example.com`);
    return { id: user.id, role: user.role };
  }
  const ticketOf = (location: string) => new URL(location).searchParams.get('link') ?? '';

  it('starts with a single-use ticket on the API’s start URL, then links whoever the provider signs in', async () => {
    const core = await anOidcCore();
    const actor = await aUserWithPassword(core);
    const { location } = await core.startLink.execute({ actor, provider: 'test', returnTo: `${APP}/settings` });
    expect(location.startsWith('https://api.example.com/v1/auth/oidc/test/start?')).to.equal(true);
    const link = ticketOf(location);
    expect(link).to.match(/^ol_/);
    const person = aPerson({ email: 'elsewhere@example.org', emailVerified: false });
    const back = await callback(core, person, { link, returnTo: `${APP}/settings` });
    expect(back.href).to.equal(`${APP}/settings?linked=test`);
    expect(await codeOf(core.start.execute({ provider: 'test', returnTo: APP, link }))).to.equal(
      'AUTH.OIDC_STATE_INVALID',
    );
    expect((await signInAs(core, person)).user.id).to.equal(actor.id);
    const listed = await core.list.execute({ actor });
    expect(listed.map((i) => [i.provider, i.subject, i.email])).to.deep.equal([['test', person.subject, person.email]]);
  });

  it('refuses an expired ticket, and a provider account linked to somebody else', async () => {
    const core = await anOidcCore();
    const [ada, bob] = [await aUserWithPassword(core), await aUserWithPassword(core)];
    const late = ticketOf((await core.startLink.execute({ actor: ada, provider: 'test', returnTo: APP })).location);
    core.clock.advance(300_000);
    expect(await codeOf(core.start.execute({ provider: 'test', returnTo: APP, link: late }))).to.equal(
      'AUTH.OIDC_STATE_INVALID',
    );
    const person = aPerson();
    await signInAs(core, person);
    const link = ticketOf((await core.startLink.execute({ actor: bob, provider: 'test', returnTo: APP })).location);
    const back = await callback(core, person, { link });
    expect(back.searchParams.get('error')).to.equal('AUTH.OIDC_ALREADY_LINKED');
  });

  it('unlinks unless it is the last way in: a password or a passkey is another', async () => {
    const core = await anOidcCore();
    const { user } = await signInAs(core, aPerson());
    const actor = { id: user.id, role: user.role };
    expect(await codeOf(core.unlink.execute({ actor, provider: 'test' }))).to.equal('AUTH.OIDC_LAST_SIGN_IN_METHOD');
    expect(await codeOf(core.unlink.execute({ actor, provider: 'other' }))).to.equal('AUTH.OIDC_NOT_LINKED');
    core.passkeys.count = 1;
    await core.unlink.execute({ actor, provider: 'test' });
    expect(await core.list.execute({ actor })).to.deep.equal([]);
    const withPassword = await aUserWithPassword(core);
    const link = ticketOf(
      (await core.startLink.execute({ actor: withPassword, provider: 'test', returnTo: APP })).location,
    );
    await callback(core, aPerson(), { link });
    core.passkeys.count = 0;
    await core.unlink.execute({ actor: withPassword, provider: 'test' });
  });
});
