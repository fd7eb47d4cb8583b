/** One message to one recipient; plain text always, HTML optionally. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/**
 * Hands a message to the mail system. Resolves once the message was accepted (an SMTP server
 * said 250, a file was written); rejects with MailDeliveryError otherwise.
 */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/**
 * Why a message was not accepted. `permanent` means sending it again cannot help (SMTP 5xx: no such
 * recipient, refused); otherwise (a 4xx, a timeout, a server that cannot be reached) a retry may.
 */
export class MailDeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MailDeliveryError';
  }
}
