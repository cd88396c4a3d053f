/** `user:{userId}` and `user:email:{email}` (§4.1). */
import type { User } from '../../domain/user.js';
import { type ObjectFields, objectCodec, req } from './object.js';
import { bool, int, isoTimestamp, str } from './primitives.js';
import { jsonValue, plainText } from './value.js';

const userFields: ObjectFields<User> = {
  id: req(str),
  email: req(str),
  passwordHash: req(str),
  firstName: req(str),
  lastName: req(str),
  points: req(int),
  emailVerified: req(bool),
  createdAt: req(isoTimestamp),
  updatedAt: req(isoTimestamp),
};

export const userCodec = objectCodec<User>(userFields, { extra: true });
export const userValue = jsonValue(userCodec);
export const decodeUser = userValue.decode;
export const encodeUser = userValue.encode;

/** `user:email:{email}` → the user id (unquoted plain text, kept verbatim even if it looks like JSON). */
export const userEmailValue = plainText;
export const decodeUserEmail = userEmailValue.decode;
export const encodeUserEmail = userEmailValue.encode;
