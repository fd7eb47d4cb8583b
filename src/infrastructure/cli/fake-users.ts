import { randomFillSync } from 'node:crypto';
import { faker } from '@faker-js/faker';
import { v7 } from 'uuid';
import { Email } from '../../domain/user/email.js';
import { checkProfile, type Profile } from '../../domain/user/profile.js';
import { User } from '../../domain/user/user.js';

const TWO_YEARS_MS = 2 * 365 * 24 * 3600 * 1000;
/**
 * Profiles are drawn once per run and reused: a fresh bio, job, city ... per user made generation
 * slower than the database's inserts (15,000 users/s against about 60,000 without them).
 */
const PROFILE_POOL = 1_000;

function fakeProfile(): Profile {
  return checkProfile({
    bio: faker.person.bio(),
    jobTitle: faker.person.jobTitle(),
    location: { city: faker.location.city(), country: faker.location.countryCode() },
    locale: faker.helpers.arrayElement(['en-GB', 'en-US', 'de-DE', 'fr-FR', 'ja-JP', 'pt-BR']),
    interests: faker.helpers.arrayElements(['music', 'hiking', 'chess', 'cooking', 'film', 'travel', 'code'], {
      min: 0,
      max: 3,
    }),
    newsletter: faker.datatype.boolean(),
  });
}

/** uuid draws 16 random bytes per id with a call into OpenSSL each; one call per 4,096 ids is as random and far cheaper. */
const RANDOM_IDS = 4_096;
const randomBytesFor = (pool: Buffer, n: number) => {
  const i = n % RANDOM_IDS;
  if (i === 0) randomFillSync(pool);
  return pool.subarray(i * 16, i * 16 + 16);
};

const localPart = (name: string) =>
  name
    .normalize('NFD')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

/**
 * Makes `count` believable users, one at a time (a million never sit in memory at once), never
 * admins (their password is printed), that all share one password hash (bcrypt per user would
 * dominate the run). Names are faker's; profiles come from a pool (see PROFILE_POOL). Emails are
 * unique within a run by construction, `first.last<n>@example.com` with n the user's running number
 * (names hold no digits or dots); ids are UUIDv7 stamped with createdAt, so id order is still
 * creation order.
 */
export function* fakeUsers(count: number, passwordHash: string, now = new Date()): Generator<User> {
  const profiles = Array.from({ length: Math.min(count, PROFILE_POOL) }, fakeProfile);
  const end = now.getTime();
  const random = Buffer.alloc(16 * RANDOM_IDS);
  for (let n = 0; n < count; n += 1) {
    const firstName = faker.person.firstName();
    const lastName = faker.person.lastName();
    const email = Email.parse(`${localPart(firstName)}.${localPart(lastName)}${n}@example.com`).value;
    const createdAt = new Date(end - Math.floor(Math.random() * TWO_YEARS_MS));
    const updatedAt = new Date(createdAt.getTime() + Math.floor(Math.random() * (end - createdAt.getTime())));
    yield new User(
      v7({ msecs: createdAt.getTime(), random: randomBytesFor(random, n) }),
      email,
      `${firstName} ${lastName}`,
      'user',
      profiles[n % profiles.length]!,
      passwordHash,
      createdAt,
      updatedAt,
    );
  }
}
