-- The operating-system user beside the account named on the command line (issue 13): `--user NAME` needs
-- no password (whoever runs the command can open the database file anyway), so the audit log records who
-- ran it as well as whom it acted for. NULL for writes made by the app or by the local operator.
ALTER TABLE audit_log ADD COLUMN os_user VARCHAR;
