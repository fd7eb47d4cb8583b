import { Writable } from 'node:stream';
import { expect } from 'chai';
import type { ServiceIdentifier } from 'inversify';
import { ListPasskeys, RemovePasskey } from '../../../../src/application/passkeys/manage-passkeys.js';
import {
  FinishPasskeyRegistration,
  StartPasskeyRegistration,
} from '../../../../src/application/passkeys/passkey-registration.js';
import {
  FinishPasskeySignIn,
  passkeyAmr,
  StartPasskeySignIn,
} from '../../../../src/application/passkeys/passkey-sign-in.js';
import { RegisterUser } from '../../../../src/application/users/register-user.js';
import type { User } from '../../../../src/domain/user/user.js';
import { parseConfig } from '../../../../src/infrastructure/config.js';
import { buildContainer } from '../../../../src/infrastructure/container/build-container.js';
import { TOKENS as T } from '../../../../src/infrastructure/container/tokens.js';
import { createLogger } from '../../../../src/infrastructure/logging.js';
import { FakeHasher, ManualClock, newPrivateKeyPem } from '../../../support/fakes.js';
import { PAGE_ORIGIN } from '../../../support/passkeys.js';
import { rejectionOf } from '../../../support/rejection.js';
import { SoftAuthenticator } from '../../../support/soft-authenticator.js';

const silent = createLogger('silent', new Writable({ write: (_c, _e, done) => done() }));

/** The passkey use cases from the real composition root on memory, the relying party derived from PUBLIC_APP_URL. */
async function aPasskeyCore(env: Record<string, string> = {}, linkedIdentities = 0) {
  const clock = new ManualClock();
  const config = parseConfig({
    PUBLIC_APP_URL: PAGE_ORIGIN,
    DB_DRIVER: 'memory',
    FILE_STORE: 'memory',
    JWT_PRIVATE_KEY: newPrivateKeyPem(),
    WEBAUTHN_CHALLENGE_TTL_S: '60',
    ...env,
  });
  const container = await buildContainer(config, silent, {
    override: (c) => {
      c.rebind(T.Clock).toConstantValue(clock);
      c.rebind(T.PasswordHasher).toConstantValue(new FakeHasher());
      c.rebind(T.LinkedIdentities).toConstantValue({ countByUser: async () => linkedIdentities });
    },
  });
  const get = <S>(id: ServiceIdentifier<S>) => container.getAsync(id);
  const core = {
    clock,
    config,
    users: await get(T.UserStore),
    passkeys: await get(T.PasskeyStore),
    tokens: await get(T.TokenService),
    register: await get(RegisterUser),
    startRegistration: await get(StartPasskeyRegistration),
    finishRegistration: await get(FinishPasskeyRegistration),
    startSignIn: await get(StartPasskeySignIn),
    finishSignIn: await get(FinishPasskeySignIn),
    list: await get(ListPasskeys),
    remove: await get(RemovePasskey),
  };
  let n = 0;
  const aUser = async () => {
    n += 1;
    const user = await core.register.execute({
      email: `p${n}@example.com`,
      password: 'correct horse battery',
      name: 'P',
    });
    return { user, actor: { id: user.id, role: user.role } };
  };
  const enrol = async (actor: { id: string; role: User['role'] }, authenticator: SoftAuthenticator) => {
    const options = await core.startRegistration.execute({ actor });
    return core.finishRegistration.execute({ actor, response: authenticator.create(options as never) });
  };
  const signIn = async (authenticator: SoftAuthenticator) => {
    const response = authenticator.get((await core.startSignIn.execute({ client: '127.0.0.1' })) as never);
    return core.finishSignIn.execute({ response, credentialId: response.id, client: '127.0.0.1' });
  };
  return { ...core, aUser, enrol, signIn };
}

const anAuthenticator = (options: { synced?: boolean; userVerified?: boolean } = {}) =>
  new SoftAuthenticator({ origin: PAGE_ORIGIN, rpId: 'localhost', ...options });

describe('passkeyAmr', () => {
  it('says hwk for a single-device key, swk for a synced or backed-up one, and mfa only when the user was verified', () => {
    expect(passkeyAmr({ deviceType: 'singleDevice', backedUp: false, userVerified: true })).to.deep.equal([
      'hwk',
      'user',
      'mfa',
    ]);
    expect(passkeyAmr({ deviceType: 'multiDevice', backedUp: true, userVerified: true })).to.deep.equal([
      'swk',
      'user',
      'mfa',
    ]);
    expect(passkeyAmr({ deviceType: 'multiDevice', backedUp: false, userVerified: false })).to.deep.equal([
      'swk',
      'user',
    ]);
    expect(passkeyAmr({ deviceType: 'singleDevice', backedUp: false, userVerified: false })).to.deep.equal([
      'hwk',
      'user',
    ]);
  });
});

describe('StartPasskeyRegistration and FinishPasskeyRegistration', () => {
  it('derives the relying party from PUBLIC_APP_URL and excludes the passkeys the user has', async () => {
    const core = await aPasskeyCore();
    expect(core.config.webauthn).to.deep.include({ rpId: 'localhost', origins: [PAGE_ORIGIN], rpName: 'Portico' });
    const { actor } = await core.aUser();
    const first = await core.enrol(actor, anAuthenticator());
    expect(first).to.include({ userId: actor.id, name: 'Passkey', counter: 0, lastUsedAt: null });
    const options = (await core.startRegistration.execute({ actor })) as { excludeCredentials: { id: string }[] };
    expect(options.excludeCredentials.map((c) => c.id)).to.deep.equal([first.id]);
  });

  it('refuses a challenge past its lifetime', async () => {
    const core = await aPasskeyCore();
    const { actor } = await core.aUser();
    const options = await core.startRegistration.execute({ actor });
    core.clock.advance(61_000);
    const response = anAuthenticator().create(options as never);
    const error = await rejectionOf(core.finishRegistration.execute({ actor, response }));
    expect(error.code).to.equal('AUTH.PASSKEY_CHALLENGE_INVALID');
    expect(await core.list.execute({ actor })).to.deep.equal([]);
  });

  it('refuses a response without a readable challenge', async () => {
    const core = await aPasskeyCore();
    const { actor } = await core.aUser();
    const error = await rejectionOf(core.finishRegistration.execute({ actor, response: { response: {} } }));
    expect(error.code).to.equal('AUTH.PASSKEY_CHALLENGE_INVALID');
  });
});

describe('StartPasskeySignIn and FinishPasskeySignIn', () => {
  it('opens a session whose tokens say how (amr), records the use, and never asks for TOTP of a verified user', async () => {
    const core = await aPasskeyCore();
    const { user, actor } = await core.aUser();
    await core.users.update(Object.assign(user, { totpSecret: 'sealed', totpEnabledAt: new Date() }));
    const authenticator = anAuthenticator();
    await core.enrol(actor, authenticator);
    core.clock.advance(5_000);
    const result = await core.signIn(authenticator);
    expect(result.user.id).to.equal(user.id);
    expect(result.refreshToken).to.be.a('string');
    const [passkey] = await core.list.execute({ actor });
    expect(passkey!.lastUsedAt).to.deep.equal(core.clock.now());
    expect(passkey!.counter).to.equal(1);
  });

  it('refuses a passkey without user verification for a user with TOTP, and accepts it for one without', async () => {
    const core = await aPasskeyCore();
    const [withTotp, without] = [await core.aUser(), await core.aUser()];
    await core.users.update(Object.assign(withTotp.user, { totpSecret: 'sealed', totpEnabledAt: new Date() }));
    const [a, b] = [anAuthenticator({ userVerified: false }), anAuthenticator({ userVerified: false })];
    await core.enrol(withTotp.actor, a);
    await core.enrol(without.actor, b);
    expect((await rejectionOf(core.signIn(a))).code).to.equal('AUTH.PASSKEY_INVALID');
    expect((await core.signIn(b)).user.id).to.equal(without.user.id);
  });

  it('answers a deleted user as an unknown passkey and a disabled one with AUTH.ACCOUNT_DISABLED', async () => {
    const core = await aPasskeyCore();
    const [gone, paused] = [await core.aUser(), await core.aUser()];
    const [a, b] = [anAuthenticator(), anAuthenticator()];
    await core.enrol(gone.actor, a);
    await core.enrol(paused.actor, b);
    await core.users.update(Object.assign(gone.user, { deletedAt: new Date() }));
    await core.users.update(Object.assign(paused.user, { status: 'disabled' as const }));
    expect((await rejectionOf(core.signIn(a))).code).to.equal('AUTH.PASSKEY_INVALID');
    expect((await rejectionOf(core.signIn(b))).code).to.equal('AUTH.ACCOUNT_DISABLED');
  });

  it('refuses an unverified email when REQUIRE_VERIFIED_EMAIL is on, as login does', async () => {
    const core = await aPasskeyCore({ REQUIRE_VERIFIED_EMAIL: 'true' });
    const { actor } = await core.aUser();
    const authenticator = anAuthenticator();
    await core.enrol(actor, authenticator);
    expect((await rejectionOf(core.signIn(authenticator))).code).to.equal('AUTH.EMAIL_UNVERIFIED');
  });

  it('refuses an assertion naming another user than the passkey belongs to', async () => {
    const core = await aPasskeyCore();
    const [ada, bob] = [await core.aUser(), await core.aUser()];
    const authenticator = anAuthenticator();
    await core.enrol(ada.actor, authenticator);
    authenticator.userHandle = Buffer.from(bob.user.id).toString('base64url');
    expect((await rejectionOf(core.signIn(authenticator))).code).to.equal('AUTH.PASSKEY_INVALID');
  });

  it('refuses a registration challenge at sign-in, and a sign-in challenge past its lifetime', async () => {
    const core = await aPasskeyCore();
    const { actor } = await core.aUser();
    const authenticator = anAuthenticator();
    await core.enrol(actor, authenticator);
    const registration = await core.startRegistration.execute({ actor });
    const wrong = authenticator.get(registration as never);
    const error = await rejectionOf(core.finishSignIn.execute({ response: wrong, credentialId: wrong.id }));
    expect(error.code).to.equal('AUTH.PASSKEY_CHALLENGE_INVALID');
    const late = authenticator.get((await core.startSignIn.execute({})) as never);
    core.clock.advance(61_000);
    const expired = await rejectionOf(core.finishSignIn.execute({ response: late, credentialId: late.id }));
    expect(expired.code).to.equal('AUTH.PASSKEY_CHALLENGE_INVALID');
  });
});

describe('ListPasskeys and RemovePasskey', () => {
  it("answers another user's passkey as not found", async () => {
    const core = await aPasskeyCore();
    const [ada, bob] = [await core.aUser(), await core.aUser()];
    const passkey = await core.enrol(ada.actor, anAuthenticator());
    expect((await rejectionOf(core.remove.execute({ actor: bob.actor, id: passkey.id }))).code).to.equal(
      'AUTH.PASSKEY_NOT_FOUND',
    );
    expect(await core.list.execute({ actor: ada.actor })).to.have.length(1);
  });

  it('never removes the last way in: no password, no other passkey, no linked identity is 409', async () => {
    const core = await aPasskeyCore();
    const { user, actor } = await core.aUser();
    await core.users.update(Object.assign(user, { passwordHash: '' }));
    const [first, second] = [await core.enrol(actor, anAuthenticator()), await core.enrol(actor, anAuthenticator())];
    await core.remove.execute({ actor, id: first.id });
    expect((await rejectionOf(core.remove.execute({ actor, id: second.id }))).code).to.equal(
      'AUTH.PASSKEY_LAST_SIGN_IN',
    );
    expect((await core.list.execute({ actor })).map((p) => p.id)).to.deep.equal([second.id]);
  });

  it('removes the last passkey of a user who has a linked identity or a password', async () => {
    const linked = await aPasskeyCore({}, 1);
    const one = await linked.aUser();
    await linked.users.update(Object.assign(one.user, { passwordHash: '' }));
    const a = await linked.enrol(one.actor, anAuthenticator());
    await linked.remove.execute({ actor: one.actor, id: a.id });
    expect(await linked.list.execute({ actor: one.actor })).to.deep.equal([]);
    const withPassword = await linked.aUser();
    const b = await linked.enrol(withPassword.actor, anAuthenticator());
    await linked.remove.execute({ actor: withPassword.actor, id: b.id });
    expect(await linked.passkeys.countByUser(withPassword.actor.id)).to.equal(0);
  });
});
