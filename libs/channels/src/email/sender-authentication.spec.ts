import { isSenderVerified } from './sender-authentication';

describe('isSenderVerified', () => {
  const trusted = 'mx.example.com';

  it('trusts dmarc=pass from our own authserv-id', () => {
    expect(isSenderVerified(['mx.example.com; spf=pass smtp.mailfrom=gmail.com; dkim=pass header.d=gmail.com; dmarc=pass (p=NONE) header.from=gmail.com'], trusted, 'sari@gmail.com')).toBe(true);
  });

  it('trusts dkim=pass only when the signing domain is aligned with From', () => {
    expect(isSenderVerified(['mx.example.com; dkim=pass header.d=mail.id'], trusted, 'budi@mail.id')).toBe(true);
    expect(isSenderVerified(['mx.example.com; dkim=pass header.d=mail.id'], trusted, 'budi@corp.mail.id')).toBe(true);
    expect(isSenderVerified(['mx.example.com; dkim=pass header.d=bulk-sender.net'], trusted, 'budi@mail.id')).toBe(false);
  });

  it('ignores results from other authserv-ids, failures, comments and an unset trust', () => {
    expect(isSenderVerified(['attacker.org; dmarc=pass header.from=gmail.com'], trusted, 'sari@gmail.com')).toBe(false);
    expect(isSenderVerified(['mx.example.com; dmarc=fail header.from=gmail.com'], trusted, 'sari@gmail.com')).toBe(false);
    expect(isSenderVerified(['mx.example.com; dmarc=pass header.from=other.com'], trusted, 'sari@gmail.com')).toBe(false);
    expect(isSenderVerified(['mx.example.com; dmarc=none (dmarc=pass) header.from=gmail.com'], trusted, 'sari@gmail.com')).toBe(false);
    expect(isSenderVerified(['mx.example.com; dmarc=pass header.from=gmail.com'], undefined, 'sari@gmail.com')).toBe(false);
  });

  it('reads through nested comments, and a crafted header costs linear time', () => {
    expect(isSenderVerified(['mx.example.com (our (inbound) MX); dmarc=pass (p=reject (strict)) header.from=gmail.com'], trusted, 'sari@gmail.com')).toBe(true);
    const crafted = `mx.example.com; dmarc=pass header.from=gmail.com ${'('.repeat(200_000)}`;
    expect(isSenderVerified([crafted], trusted, 'sari@gmail.com')).toBe(true);
  });
});
