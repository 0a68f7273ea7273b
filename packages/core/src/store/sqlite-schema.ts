/**
 * Tables of `SqliteConversationStore`; created on open (idempotent). Version 1.
 * A room's event count and latest index are derived from `events` (indexes are contiguous from 0), so an append
 * writes one table (plus its id index) and nothing else.
 */
export const SQLITE_SCHEMA = `
CREATE TABLE IF NOT EXISTS roomkit_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT OR IGNORE INTO roomkit_meta (key, value) VALUES ('schema_version', '1');
CREATE TABLE IF NOT EXISTS rooms (
  id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  created_at REAL NOT NULL,
  updated_at REAL NOT NULL,
  closed_at REAL,
  metadata TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS bindings (
  room_id TEXT NOT NULL REFERENCES rooms(id),
  channel_id TEXT NOT NULL,
  attached_at REAL NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (room_id, channel_id)
);
CREATE TABLE IF NOT EXISTS events (
  room_id TEXT NOT NULL REFERENCES rooms(id),
  idx INTEGER NOT NULL,
  id TEXT NOT NULL,
  created_at REAL NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (room_id, idx)
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS events_by_id ON events (room_id, id);
`;
