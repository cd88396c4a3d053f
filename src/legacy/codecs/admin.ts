/**
 * Admin data (§4.12): `admin:user:*`, `admin:logs` members, `admin:session:*` (JSON, or the pre-
 * 2025-12-04 literal `1`) and the legacy single-admin 2FA keys.
 */
import {
  ADMIN_ROLES,
  type AdminLogEntry,
  type AdminSession,
  type AdminSessionValue,
  type AdminUser,
} from '../../domain/admin.js';
import type { Codec } from './codec.js';
import { type ObjectFields, objectCodec, opt, req } from './object.js';
import { arrayOf, bool, isoTimestamp, jsonObject, oneOf, str } from './primitives.js';
import { jsonValue, plainText } from './value.js';

const adminUserFields: ObjectFields<AdminUser> = {
  id: req(str),
  email: req(str),
  passwordHash: req(str),
  twoFactorSecret: req(str),
  twoFactorBackupCodes: req(arrayOf(str)),
  createdAt: req(isoTimestamp),
  lastLoginAt: opt(isoTimestamp),
  active: req(bool),
  role: req(oneOf(ADMIN_ROLES)),
};

export const adminUserCodec = objectCodec<AdminUser>(adminUserFields, { extra: true });
export const adminUserValue = jsonValue(adminUserCodec);
export const decodeAdminUser = adminUserValue.decode;
export const encodeAdminUser = adminUserValue.encode;

const adminLogFields: ObjectFields<AdminLogEntry> = {
  timestamp: req(isoTimestamp),
  action: req(str),
  adminEmail: opt(str),
  ip: req(str),
  userAgent: req(str),
  details: opt(jsonObject),
  success: req(bool),
};

export const adminLogCodec = objectCodec<AdminLogEntry>(adminLogFields, { extra: true });
/** One `admin:logs` list member. */
export const adminLogValue = jsonValue(adminLogCodec);
export const decodeAdminLogEntry = adminLogValue.decode;
export const encodeAdminLogEntry = adminLogValue.encode;

export const adminSessionCodec = objectCodec<AdminSession>(
  { userId: req(str), email: req(str), role: req(oneOf(ADMIN_ROLES)), createdAt: req(isoTimestamp) },
  { extra: true },
);

// The literal `1` is valid JSON, so both shapes go through one JSON codec.
const adminSessionValueCodec: Codec<AdminSessionValue> = {
  decode: (input, path) => (input === 1 ? 1 : adminSessionCodec.decode(input, path)),
  encode: (value) => (value === 1 ? 1 : adminSessionCodec.encode(value)),
};

export const adminSessionValue = jsonValue(adminSessionValueCodec);
export const decodeAdminSession = adminSessionValue.decode;
export const encodeAdminSession = adminSessionValue.encode;

/** `admin:2fa:secret`: plain base32 text. */
export const admin2faSecretValue = plainText;
export const decodeAdmin2faSecret = admin2faSecretValue.decode;
export const encodeAdmin2faSecret = admin2faSecretValue.encode;

/** `admin:2fa:backup_codes`: JSON-array text written as a string (§1); same bytes as an array. */
export const admin2faBackupCodesValue = jsonValue(arrayOf(str));
export const decodeAdmin2faBackupCodes = admin2faBackupCodesValue.decode;
export const encodeAdmin2faBackupCodes = admin2faBackupCodesValue.encode;
