import { MailDeliveryError, type Mailer, type MailMessage } from '../../domain/ports/mailer.js';

/** Keeps what it is sent, for tests; `failNext` makes the next sends fail as an SMTP server could. */
export class InMemoryMailer implements Mailer {
  readonly sent: MailMessage[] = [];
  private failures: boolean[] = [];

  async send(message: MailMessage): Promise<void> {
    const permanent = this.failures.shift();
    if (permanent !== undefined) {
      throw new MailDeliveryError(`memory mailer: ${permanent ? 'permanent' : 'transient'} failure`, permanent);
    }
    this.sent.push({ ...message });
  }

  /** The next `times` sends fail, permanently (as a 5xx would) or not (a 4xx, a timeout). */
  failNext(kind: 'permanent' | 'transient', times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push(kind === 'permanent');
  }
}
