import { describe, expect, it } from 'vitest';
import { bcryptHash, bcryptHashWithSalt, bcryptVerify } from '../../src/api/bcrypt.js';

/** Made by libxcrypt (glibc crypt(3)), an independent implementation; the first is OpenWall's vector. */
const LIBXCRYPT_VECTORS: [string, string][] = [
  ['U*U', '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW'],
  ['', '$2b$04$abcdefghijklmnopqrstuubyCG3zY1GIXMyxfivm.ClDiInHzxjiq'],
  ['correct horse battery staple', '$2b$06$0123456789ABCDEFGHIJKuLlY0YHBYpLj0MmMN.GT/6U2lEH4VAuC'],
  ['pässwörd ☃', '$2b$05$XXXXXXXXXXXXXXXXXXXXXuPi4CQ/kP10JxQaTIVoOPagSSl3hZdY6'],
  ['a'.repeat(72), '$2b$04$ZZZZZZZZZZZZZZZZZZZZZumZm692SEBnH.sV1fWMKtCFX10A90lwK'],
  ['hunter2', '$2y$04$aaaaaaaaaaaaaaaaaaaaauunr8/tExbA69dlQ3xHZqgJWadqkkju.'],
  ['Desert Candle', '$2b$10$N9qo8uLOickgx2ZMRZoMyeOQ1J1.z1CfQ6Xcr8S.RnK8fuq3OQweu'],
];

describe('bcrypt', () => {
  it.each(LIBXCRYPT_VECTORS)('hashes %j exactly as libxcrypt does', async (password, expected) => {
    expect(await bcryptHashWithSalt(password, expected.slice(0, 29))).toBe(expected);
    expect(await bcryptVerify(password, expected)).toBe(true);
  });

  it('refuses a wrong password and a hash that is not bcrypt', async () => {
    const [, hash] = LIBXCRYPT_VECTORS[2]!;
    expect(await bcryptVerify('correct horse battery stapler', hash)).toBe(false);
    expect(await bcryptVerify('correct horse battery staple', 'plain-text')).toBe(false);
    expect(await bcryptVerify('x', `${hash.slice(0, -1)}`)).toBe(false);
  });

  it('ignores bytes after the 72nd, as every bcrypt does', async () => {
    expect(await bcryptVerify(`${'a'.repeat(72)}IGNORED`, LIBXCRYPT_VECTORS[4]![1])).toBe(true);
  });

  it('makes salted $2b$ hashes that verify and differ per call', async () => {
    const a = await bcryptHash('s3cret!', 4);
    const b = await bcryptHash('s3cret!', 4);
    expect(a).toMatch(/^\$2b\$04\$[./A-Za-z0-9]{53}$/);
    expect(a).not.toBe(b);
    expect(await bcryptVerify('s3cret!', a)).toBe(true);
    expect(await bcryptVerify('s3cret?', a)).toBe(false);
    await expect(bcryptHash('x', 3)).rejects.toThrow(RangeError);
  });
});
