/** Admin accounts (legacy-redis-format.md §4.12): `admin:user:{id}` + `admin:users:index`. */
import { fromAdminUserRow, toAdminUserRow } from '../../backends/postgres/mappers/admin.js';
import { type AdminUserRow, adminUsers } from '../../backends/postgres/schema/admin.js';
import { recordEntity } from './record-entity.js';

export const adminUsersEntity = recordEntity({
  name: 'admin_users',
  domain: 'admin',
  family: 'adminUser',
  recordKey: (keys, id) => keys.adminUser(id),
  indexes: [{ kind: 'set', key: (ctx) => ctx.keys.adminUsersIndex() }],
  indexKey: (keys) => keys.adminUsersIndex(),
  table: adminUsers,
  idColumn: adminUsers.id,
  toRows: async (_db, record) => ({ row: toAdminUserRow(record) }),
  fromRows: (row) => fromAdminUserRow(row as AdminUserRow),
});
