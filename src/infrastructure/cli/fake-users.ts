import { faker } from '@faker-js/faker';
import { v7 } from 'uuid';
import { Email } from '../../domain/user/email.js';
import { checkProfile } from '../../domain/user/profile.js';
import { User } from '../../domain/user/user.js';

/**
 * Makes believable users, never admins (their password is printed), that all share one password hash (bcrypt per user would dominate the
 * run). Emails are unique within a run; ids are UUIDv7 stamped with createdAt, so id order is
 * still creation order.
 */
export function fakeUsers(count: number, passwordHash: string, now = new Date()): User[] {
  const seen = new Set<string>();
  return Array.from({ length: count }, (_, i) => {
    const firstName = faker.person.firstName();
    const lastName = faker.person.lastName();
    const email = uniqueEmail(faker.internet.email({ firstName, lastName, provider: 'example.com' }), i, seen);
    const createdAt = faker.date.past({ years: 2, refDate: now });
    const updatedAt = faker.date.between({ from: createdAt, to: now });
    const profile = checkProfile({
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
    return new User(
      v7({ msecs: createdAt.getTime() }),
      email,
      `${firstName} ${lastName}`,
      'user',
      profile,
      passwordHash,
      createdAt,
      updatedAt,
    );
  });
}

function uniqueEmail(raw: string, index: number, seen: Set<string>): string {
  let email = Email.parse(raw).value;
  if (seen.has(email)) email = email.replace('@', `.${index}@`);
  seen.add(email);
  return email;
}
