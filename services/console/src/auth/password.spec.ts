import { DECOY_HASH, hashPassword, verifyPassword } from './password-hash';
import { passwordProblems } from './password-policy';

describe('password hashing (scrypt)', () => {
  it('verifies the password it hashed and refuses another, with a fresh salt each time', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', hash)).toBe(false);
    expect(await hashPassword('correct horse battery staple')).not.toBe(hash);
  });

  it('refuses malformed stored hashes and nothing matches the decoy', async () => {
    expect(await verifyPassword('x', 'plain-text')).toBe(false);
    expect(await verifyPassword('', DECOY_HASH)).toBe(false);
    expect(await verifyPassword('switchboard-demo', DECOY_HASH)).toBe(false);
  });
});

describe('passwordProblems', () => {
  it('accepts a long passphrase', () => {
    expect(passwordProblems('purple monkey dishwasher', 'ana@example.com')).toEqual([]);
  });

  it('names each problem', () => {
    expect(passwordProblems('short', 'ana@example.com')).toContain('use at least 12 characters');
    expect(passwordProblems('aaaaaaaaaaaaaa', 'ana@example.com')).toContain('use more than three different characters');
    expect(passwordProblems('my-name-is-sarita', 'sarita@example.com')).toContain('do not include your email name');
    expect(passwordProblems('Password1234', 'x@example.com')).toContain('this password is too common');
  });
});
