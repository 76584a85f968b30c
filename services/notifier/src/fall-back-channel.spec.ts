import { ContactDocument } from '@switchboard/persistence';
import { alternative } from './fall-back-channel.use-case';

const address = (contact: ContactDocument['contact'], verifiedKeys: string[] = []): ContactDocument => ({
  _id: `${contact.channel}:${contact.provider ?? ''}:${contact.address}`,
  personId: 'p1',
  contact,
  verifiedKeys,
  firstSeenAt: new Date(),
  lastSeenAt: new Date(),
});

describe('alternative: where a failed message goes next', () => {
  const sms = address({ channel: 'sms', address: '+62811', provider: 'twilio' }, ['phone:+62811']);
  const app = address({ channel: 'inapp', address: 'dewi' }, ['phone:+62811', 'email:dewi@mail.test']);
  const wa = address({ channel: 'social', address: '62811', provider: 'whatsapp' }, ['phone:+62811']);

  it('prefers a verified mailbox, then the app, then chats', () => {
    expect(alternative([sms, app, wa], sms._id, 'sms')).toEqual({ channel: 'email', address: 'dewi@mail.test' });
    expect(alternative([sms, address(app.contact), wa], sms._id, 'sms')).toEqual(app.contact);
    expect(alternative([sms, wa], sms._id, 'sms')).toEqual(wa.contact);
  });

  it('never picks the channel that failed', () => {
    expect(alternative([sms], sms._id, 'sms')).toBeUndefined();
    const otherMailbox = address({ channel: 'email', address: 'dewi.work@mail.test' });
    expect(alternative([address({ channel: 'email', address: 'dewi@mail.test' }), otherMailbox], 'email::dewi@mail.test', 'email')).toBeUndefined();
  });
});
