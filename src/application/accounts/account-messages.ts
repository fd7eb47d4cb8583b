import type { MailMessage } from '../../domain/ports/mailer.js';

/** A link into the client app; the token is the only query parameter. */
export const appLink = (base: string, path: string, token: string) =>
  `${base}/${path}?token=${encodeURIComponent(token)}`;

/** "24 hours", "1 hour", "1.5 hours", "30 minutes". */
const hours = (seconds: number) => {
  if (seconds < 3600) return `${Math.round(seconds / 60)} minutes`;
  const h = Math.round((seconds / 3600) * 10) / 10;
  return `${h} hour${h === 1 ? '' : 's'}`;
};

const lines = (...parts: string[]) => parts.join('\n');

export function verifyEmailMessage(to: string, link: string, ttlSeconds: number): MailMessage {
  return {
    to,
    subject: 'Confirm your email address',
    text: lines(
      'Confirm that this address is yours by opening this link:',
      '',
      link,
      '',
      `The link works once and expires in ${hours(ttlSeconds)}.`,
      'If you did not create an account, ignore this message.',
    ),
  };
}

export function resetPasswordMessage(to: string, link: string, ttlSeconds: number): MailMessage {
  return {
    to,
    subject: 'Reset your password',
    text: lines(
      'Someone asked to reset the password of the account with this address. To choose a new one, open:',
      '',
      link,
      '',
      `The link works once and expires in ${hours(ttlSeconds)}. Every session of the account ends when the password is reset.`,
      'If it was not you, ignore this message: your password stays as it is.',
    ),
  };
}

export function confirmEmailChangeMessage(to: string, link: string, ttlSeconds: number): MailMessage {
  return {
    to,
    subject: 'Confirm your new email address',
    text: lines(
      'To make this the email address of your account, open:',
      '',
      link,
      '',
      `The link works once and expires in ${hours(ttlSeconds)}. Until then the old address stays in use.`,
      'If you did not ask for this, ignore this message.',
    ),
  };
}

export function emailChangeNoticeMessage(to: string, newEmail: string): MailMessage {
  return {
    to,
    subject: 'Your email address is being changed',
    text: lines(
      `Someone signed in to your account asked to change its email address to ${newEmail}.`,
      'The change takes effect only when the link mailed to the new address is followed.',
      'If it was not you, change your password now.',
    ),
  };
}
