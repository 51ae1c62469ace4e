/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fo-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "fo-detail.h"
#include "fo-store.h"

/*
 * The store keeps families in one SQLite file. Every change runs in a transaction and writes
 * an audit record, each chained to the previous one by a hash. Events live in a table
 * clustered by family (WITHOUT ROWID, keyed by family then event), so that loading one family
 * reads neighbouring pages: reading events is what a cohort evaluation spends its time on.
 * All SQL is fixed text with bound parameters.
 */

struct _FoStore
{
  sqlite3    *db;
  char       *path;
  GHashTable *statements;   /* const char *sql → sqlite3_stmt */
  int         depth;        /* nested fo_store_begin () calls */
  int         version;      /* the schema version once open */
};

/* Each step brings the schema from version N − 1 to N. They never change once released. */
/* Dates are checked with date (x, '+0 days') = x: SQLite's date () alone accepts 2026-02-30,
 * while a modifier normalises it to 2026-03-02, which then differs. */
static const char *const migrations[] = {
  /* 1: the core tables */
  "CREATE TABLE families ("
  "  id INTEGER PRIMARY KEY,"
  "  reference TEXT NOT NULL UNIQUE CHECK (length (reference) > 0),"
  "  name TEXT, key_worker TEXT, plan TEXT,"
  "  entry_date TEXT NOT NULL CHECK (entry_date = date (entry_date, '+0 days')),"
  "  closure_date TEXT CHECK (closure_date IS NULL"
  "    OR closure_date = date (closure_date, '+0 days')),"
  "  closure_reason TEXT,"
  "  data_version INTEGER NOT NULL DEFAULT 1,"
  "  row_version INTEGER NOT NULL DEFAULT 1);"
  "CREATE TABLE members ("
  "  family_id INTEGER NOT NULL REFERENCES families (id) ON DELETE CASCADE,"
  "  member_id TEXT NOT NULL,"
  "  position INTEGER NOT NULL,"
  "  name TEXT NOT NULL,"
  "  surname TEXT NOT NULL,"
  "  dob TEXT NOT NULL CHECK (dob = date (dob, '+0 days')),"
  "  role TEXT NOT NULL CHECK (role IN ('parent', 'carer', 'child', 'other')),"
  "  sex TEXT, upn TEXT, person_ref TEXT,"
  "  household_from TEXT CHECK (household_from IS NULL"
  "    OR household_from = date (household_from, '+0 days')),"
  "  household_to TEXT CHECK (household_to IS NULL"
  "    OR household_to = date (household_to, '+0 days')),"
  "  PRIMARY KEY (family_id, member_id)) WITHOUT ROWID;"
  "CREATE INDEX members_upn ON members (upn) WHERE upn IS NOT NULL;"
  "CREATE INDEX members_person_ref ON members (person_ref) WHERE person_ref IS NOT NULL;"
  "CREATE INDEX members_surname_dob ON members (surname, dob);"
  /* One row per record, slim: reading these rows is what a cohort evaluation spends its
   * time on. Each kind uses at most one number (exclusion days, missing hours, assessment
   * score, employment hours a week), kept in amount; Star scores are packed two digits an
   * area; statement details that few records have are one JSON object. */
  "CREATE TABLE events ("
  "  family_id INTEGER NOT NULL REFERENCES families (id) ON DELETE CASCADE,"
  "  event_id TEXT NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  member_id TEXT,"
  "  start TEXT NOT NULL CHECK (start = date (start, '+0 days')),"
  "  \"end\" TEXT CHECK (\"end\" IS NULL"
  "    OR (\"end\" = date (\"end\", '+0 days') AND \"end\" >= start)),"
  "  type TEXT, end_reason TEXT, term TEXT,"
  "  amount REAL,"
  "  possible INTEGER, attended INTEGER CHECK (attended IS NULL OR attended <= possible),"
  "  unauthorised INTEGER,"
  "  scores TEXT CHECK (scores IS NULL OR length (scores) = 20),"
  "  taken_by TEXT, level TEXT, indicator TEXT, author_role TEXT,"
  "  detail TEXT CHECK (detail IS NULL OR json_valid (detail)),"
  "  import_key TEXT,"
  "  PRIMARY KEY (family_id, event_id),"
  "  FOREIGN KEY (family_id, member_id) REFERENCES members (family_id, member_id)"
  "    DEFERRABLE INITIALLY DEFERRED) WITHOUT ROWID;"
  "CREATE VIEW star_readings AS SELECT family_id, event_id, start AS date, taken_by,"
  "  CAST (substr (scores, 1, 2) AS INTEGER) AS physical_health,"
  "  CAST (substr (scores, 3, 2) AS INTEGER) AS wellbeing,"
  "  CAST (substr (scores, 5, 2) AS INTEGER) AS emotional_needs,"
  "  CAST (substr (scores, 7, 2) AS INTEGER) AS keeping_safe,"
  "  CAST (substr (scores, 9, 2) AS INTEGER) AS social_networks,"
  "  CAST (substr (scores, 11, 2) AS INTEGER) AS education_learning,"
  "  CAST (substr (scores, 13, 2) AS INTEGER) AS boundaries_behaviour,"
  "  CAST (substr (scores, 15, 2) AS INTEGER) AS family_routine,"
  "  CAST (substr (scores, 17, 2) AS INTEGER) AS home_money,"
  "  CAST (substr (scores, 19, 2) AS INTEGER) AS progress_to_work"
  "  FROM events WHERE kind = 'star_reading';"
  "CREATE VIEW evidence AS SELECT family_id, event_id, start AS date, type, indicator,"
  "  json_extract (detail, '$.outcome') AS outcome, json_extract (detail, '$.author') AS author,"
  "  author_role, json_extract (detail, '$.approved_by') AS approved_by,"
  "  json_extract (detail, '$.approver_role') AS approver_role,"
  "  json_extract (detail, '$.approved_on') AS approved_on,"
  "  json_extract (detail, '$.covers_from') AS covers_from,"
  "  json_extract (detail, '$.covers_to') AS covers_to, level,"
  "  json_extract (detail, '$.tool') AS tool, json_extract (detail, '$.text') AS text"
  "  FROM events WHERE kind = 'evidence';"
  "CREATE VIEW identified_indicators AS SELECT family_id, event_id, start AS date, indicator,"
  "  member_id, json_extract (detail, '$.author') AS author, author_role"
  "  FROM events WHERE kind = 'identified';"
  "CREATE TABLE users ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE,"
  "  role TEXT NOT NULL CHECK (role IN ('coordinator', 'supervisor', 'auditor')));"
  "CREATE TABLE claims ("
  "  id INTEGER PRIMARY KEY,"
  "  family_id INTEGER NOT NULL REFERENCES families (id),"
  "  route TEXT NOT NULL,"
  "  state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'approved', 'rejected',"
  "                                       'returned')),"
  "  claim_date TEXT NOT NULL CHECK (claim_date = date (claim_date, '+0 days')),"
  "  prepared_by TEXT NOT NULL,"
  "  snapshot TEXT,"
  "  row_version INTEGER NOT NULL DEFAULT 1);"
  "CREATE TABLE audit_log ("
  "  id INTEGER PRIMARY KEY,"
  "  at TEXT NOT NULL,"
  "  actor TEXT NOT NULL,"
  "  action TEXT NOT NULL,"
  "  entity TEXT NOT NULL,"
  "  entity_id TEXT,"
  "  before TEXT,"
  "  after TEXT,"
  "  prev_hash TEXT NOT NULL,"
  "  hash TEXT NOT NULL);"
  "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
  "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
  "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
  "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;",

  /* 2: each family's last verdict, so that lists can filter without evaluating everyone */
  "CREATE TABLE evaluations ("
  "  family_id INTEGER PRIMARY KEY REFERENCES families (id) ON DELETE CASCADE,"
  "  plan_hash TEXT NOT NULL,"
  "  data_version INTEGER NOT NULL,"
  "  as_of TEXT NOT NULL,"
  "  eligible INTEGER NOT NULL,"
  "  claimable INTEGER NOT NULL,"
  "  claimable_from TEXT,"
  "  projected_claimable TEXT,"
  "  issues TEXT NOT NULL);"
  "CREATE INDEX evaluations_claimable ON evaluations (claimable, claimable_from);",

  /* 3: the claim lifecycle (docs/claims.md). Claims are rebuilt, since a column's CHECK cannot
   * be altered; no earlier version wrote claims, but any rows a person added are kept. The
   * triggers hold the rules that must survive a raw write: four-eyes, roles, the order of
   * states, and approved claims frozen. An audit record now names its hash scheme: scheme 2
   * also covers the record's id. */
  "ALTER TABLE audit_log ADD COLUMN scheme INTEGER NOT NULL DEFAULT 1;"
  "CREATE TRIGGER audit_log_no_auditors BEFORE INSERT ON audit_log"
  "  WHEN (SELECT role FROM users WHERE name = NEW.actor) = 'auditor'"
  "  BEGIN SELECT RAISE (ABORT, 'auditors cannot change anything'); END;"
  "CREATE TABLE user_plan_roles ("
  "  user_name TEXT NOT NULL REFERENCES users (name),"
  "  plan_role TEXT NOT NULL CHECK (length (plan_role) > 0),"
  "  PRIMARY KEY (user_name, plan_role)) WITHOUT ROWID;"
  "CREATE TABLE claims_v3 ("
  "  id INTEGER PRIMARY KEY,"
  "  family_id INTEGER NOT NULL REFERENCES families (id),"
  "  plan TEXT NOT NULL,"
  "  route TEXT NOT NULL,"
  "  state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'approved', 'rejected',"
  "                                       'returned', 'withdrawn', 'reversed')),"
  "  claim_date TEXT NOT NULL CHECK (claim_date = date (claim_date, '+0 days')),"
  "  prepared_by TEXT NOT NULL REFERENCES users (name),"
  "  prepared_at TEXT NOT NULL,"
  "  submission INTEGER NOT NULL DEFAULT 0,"
  "  submitted_by TEXT REFERENCES users (name),"
  "  submitted_at TEXT,"
  "  decided_by TEXT REFERENCES users (name),"
  "  decided_at TEXT,"
  "  decision_reason TEXT,"
  "  returned_by TEXT REFERENCES users (name),"
  "  returned_at TEXT,"
  "  return_ref TEXT,"
  "  ended_by TEXT REFERENCES users (name),"
  "  ended_at TEXT,"
  "  end_reason TEXT,"
  "  changed_by TEXT NOT NULL REFERENCES users (name),"
  "  row_version INTEGER NOT NULL DEFAULT 1);"
  "INSERT OR IGNORE INTO users (name, role) SELECT DISTINCT prepared_by, 'coordinator' FROM claims;"
  "INSERT INTO claims_v3 (id, family_id, plan, route, state, claim_date, prepared_by, prepared_at,"
  "                       submission, changed_by, row_version)"
  "  SELECT c.id, c.family_id, coalesce (f.plan, ''), c.route, c.state, c.claim_date,"
  "         c.prepared_by, '', c.snapshot IS NOT NULL, c.prepared_by, c.row_version"
  "  FROM claims c JOIN families f ON f.id = c.family_id;"
  "CREATE TABLE claim_snapshots ("
  "  claim_id INTEGER NOT NULL REFERENCES claims_v3 (id),"
  "  submission INTEGER NOT NULL,"
  "  taken_at TEXT NOT NULL,"
  "  plan_sha256 TEXT NOT NULL,"
  "  plan_version TEXT,"
  "  family_sha256 TEXT NOT NULL,"
  "  family_data_version INTEGER NOT NULL,"
  "  needs_agreement_of TEXT NOT NULL DEFAULT '[]' CHECK (json_valid (needs_agreement_of)),"
  "  snapshot TEXT NOT NULL,"
  "  snapshot_sha256 TEXT NOT NULL,"
  "  PRIMARY KEY (claim_id, submission)) WITHOUT ROWID;"
  "INSERT INTO claim_snapshots (claim_id, submission, taken_at, plan_sha256, family_sha256,"
  "                             family_data_version, snapshot, snapshot_sha256)"
  "  SELECT id, 1, '', '', '', 0, snapshot, '' FROM claims WHERE snapshot IS NOT NULL;"
  "DROP TABLE claims;"
  "ALTER TABLE claims_v3 RENAME TO claims;"
  "CREATE TABLE claim_agreements ("
  "  claim_id INTEGER NOT NULL,"
  "  submission INTEGER NOT NULL,"
  "  plan_role TEXT NOT NULL,"
  "  agreed_by TEXT NOT NULL REFERENCES users (name),"
  "  agreed_at TEXT NOT NULL,"
  "  PRIMARY KEY (claim_id, submission, plan_role),"
  "  FOREIGN KEY (claim_id, submission) REFERENCES claim_snapshots (claim_id, submission))"
  "  WITHOUT ROWID;"
  /* A family is claimed for once: a second claim needs the first withdrawn or reversed. */
  "CREATE UNIQUE INDEX claims_one_live ON claims (family_id)"
  "  WHERE state NOT IN ('withdrawn', 'reversed');"
  "CREATE INDEX claims_state ON claims (state, id);"
  "CREATE TRIGGER claims_no_delete BEFORE DELETE ON claims"
  "  BEGIN SELECT RAISE (ABORT, 'claims are never deleted: withdraw or reverse them'); END;"
  "CREATE TRIGGER claims_insert BEFORE INSERT ON claims BEGIN"
  "  SELECT RAISE (ABORT, 'a claim starts as a draft')"
  "    WHERE NEW.state <> 'draft' OR NEW.submission <> 0 OR NEW.submitted_by IS NOT NULL"
  "       OR NEW.decided_by IS NOT NULL;"
  "  SELECT RAISE (ABORT, 'only a coordinator or a supervisor can prepare a claim')"
  "    WHERE coalesce ((SELECT role FROM users WHERE name = NEW.prepared_by), '')"
  "          NOT IN ('coordinator', 'supervisor') OR NEW.changed_by IS NOT NEW.prepared_by;"
  "END;"
  "CREATE TRIGGER claims_update BEFORE UPDATE ON claims BEGIN"
  "  SELECT RAISE (ABORT, 'only a coordinator or a supervisor can change a claim')"
  "    WHERE coalesce ((SELECT role FROM users WHERE name = NEW.changed_by), '')"
  "          NOT IN ('coordinator', 'supervisor');"
  "  SELECT RAISE (ABORT, 'a claim keeps its family, plan and preparer')"
  "    WHERE NEW.id IS NOT OLD.id OR NEW.family_id IS NOT OLD.family_id"
  "       OR NEW.plan IS NOT OLD.plan OR NEW.prepared_by IS NOT OLD.prepared_by"
  "       OR NEW.prepared_at IS NOT OLD.prepared_at;"
  "  SELECT RAISE (ABORT, 'that change of a claim''s state is not allowed')"
  "    WHERE NOT ((OLD.state IN ('draft', 'rejected')"
  "                AND NEW.state IN ('draft', 'submitted', 'withdrawn'))"
  "               OR (OLD.state = 'submitted'"
  "                   AND NEW.state IN ('approved', 'rejected', 'withdrawn'))"
  "               OR (OLD.state = 'approved' AND NEW.state IN ('returned', 'reversed'))"
  "               OR (OLD.state = 'returned' AND NEW.state = 'reversed'));"
  "  SELECT RAISE (ABORT, 'an approved claim cannot be edited: reverse it instead')"
  "    WHERE OLD.state IN ('approved', 'returned')"
  "      AND (NEW.route IS NOT OLD.route OR NEW.claim_date IS NOT OLD.claim_date"
  "           OR NEW.submission IS NOT OLD.submission OR NEW.submitted_by IS NOT OLD.submitted_by"
  "           OR NEW.submitted_at IS NOT OLD.submitted_at OR NEW.decided_by IS NOT OLD.decided_by"
  "           OR NEW.decided_at IS NOT OLD.decided_at"
  "           OR NEW.decision_reason IS NOT OLD.decision_reason"
  "           OR (OLD.state = 'returned' AND (NEW.returned_by IS NOT OLD.returned_by"
  "               OR NEW.returned_at IS NOT OLD.returned_at"
  "               OR NEW.return_ref IS NOT OLD.return_ref)));"
  "  SELECT RAISE (ABORT, 'only the person who prepared a claim can edit it')"
  "    WHERE NEW.state = 'draft' AND NEW.changed_by IS NOT NEW.prepared_by;"
  "  SELECT RAISE (ABORT, 'a submission needs its snapshot')"
  "    WHERE NEW.state = 'submitted' AND OLD.state <> 'submitted'"
  "      AND (NEW.submission <> OLD.submission + 1 OR NEW.submitted_by IS NOT NEW.changed_by"
  "           OR NOT EXISTS (SELECT 1 FROM claim_snapshots"
  "                          WHERE claim_id = NEW.id AND submission = NEW.submission));"
  "  SELECT RAISE (ABORT, 'four eyes: whoever prepared or submitted a claim cannot decide it')"
  "    WHERE OLD.state = 'submitted' AND NEW.state IN ('approved', 'rejected')"
  "      AND (NEW.decided_by IS NOT NEW.changed_by OR NEW.decided_by = NEW.prepared_by"
  "           OR NEW.decided_by IS NEW.submitted_by);"
  "  SELECT RAISE (ABORT, 'only a supervisor can approve, reject, return or reverse a claim')"
  "    WHERE NEW.state IN ('approved', 'rejected', 'returned', 'reversed')"
  "      AND NEW.state <> OLD.state"
  "      AND (SELECT role FROM users WHERE name = NEW.changed_by) <> 'supervisor';"
  "  SELECT RAISE (ABORT, 'a rejection needs a reason')"
  "    WHERE NEW.state = 'rejected' AND OLD.state = 'submitted'"
  "      AND length (trim (coalesce (NEW.decision_reason, ''))) = 0;"
  "  SELECT RAISE (ABORT, 'a reversal needs a reason')"
  "    WHERE NEW.state = 'reversed' AND length (trim (coalesce (NEW.end_reason, ''))) = 0;"
  "  SELECT RAISE (ABORT, 'only the person who prepared a claim or a supervisor can withdraw it')"
  "    WHERE NEW.state = 'withdrawn' AND NEW.changed_by IS NOT NEW.prepared_by"
  "      AND (SELECT role FROM users WHERE name = NEW.changed_by) <> 'supervisor';"
  "  SELECT RAISE (ABORT, 'the claim needs an agreement that is not recorded')"
  "    WHERE NEW.state = 'approved' AND OLD.state = 'submitted' AND EXISTS ("
  "      SELECT 1 FROM claim_snapshots s, json_each (s.needs_agreement_of) r"
  "      WHERE s.claim_id = NEW.id AND s.submission = NEW.submission"
  "        AND NOT EXISTS (SELECT 1 FROM claim_agreements a WHERE a.claim_id = NEW.id"
  "                        AND a.submission = NEW.submission AND a.plan_role = r.value));"
  "END;"
  "CREATE TRIGGER claim_snapshots_insert BEFORE INSERT ON claim_snapshots BEGIN"
  "  SELECT RAISE (ABORT, 'a snapshot is taken only when a claim is submitted')"
  "    WHERE NOT EXISTS (SELECT 1 FROM claims WHERE id = NEW.claim_id"
  "                      AND state IN ('draft', 'rejected') AND submission + 1 = NEW.submission);"
  "END;"
  "CREATE TRIGGER claim_snapshots_no_update BEFORE UPDATE ON claim_snapshots"
  "  BEGIN SELECT RAISE (ABORT, 'a claim''s snapshot is frozen'); END;"
  "CREATE TRIGGER claim_snapshots_no_delete BEFORE DELETE ON claim_snapshots"
  "  BEGIN SELECT RAISE (ABORT, 'a claim''s snapshot is frozen'); END;"
  "CREATE TRIGGER claim_agreements_insert BEFORE INSERT ON claim_agreements BEGIN"
  "  SELECT RAISE (ABORT, 'only a submitted claim can be agreed to')"
  "    WHERE NOT EXISTS (SELECT 1 FROM claims WHERE id = NEW.claim_id AND state = 'submitted'"
  "                      AND submission = NEW.submission);"
  "  SELECT RAISE (ABORT, 'the claim does not need that role''s agreement')"
  "    WHERE NOT EXISTS (SELECT 1 FROM claim_snapshots s, json_each (s.needs_agreement_of) r"
  "                      WHERE s.claim_id = NEW.claim_id AND s.submission = NEW.submission"
  "                        AND r.value = NEW.plan_role);"
  "  SELECT RAISE (ABORT, 'only someone who holds that role can agree')"
  "    WHERE NOT EXISTS (SELECT 1 FROM user_plan_roles"
  "                      WHERE user_name = NEW.agreed_by AND plan_role = NEW.plan_role)"
  "       OR coalesce ((SELECT role FROM users WHERE name = NEW.agreed_by), '')"
  "          NOT IN ('coordinator', 'supervisor');"
  "  SELECT RAISE (ABORT, 'four eyes: whoever prepared or submitted a claim cannot agree to it')"
  "    WHERE EXISTS (SELECT 1 FROM claims WHERE id = NEW.claim_id"
  "                  AND (NEW.agreed_by = prepared_by OR NEW.agreed_by IS submitted_by));"
  "END;"
  "CREATE TRIGGER claim_agreements_no_update BEFORE UPDATE ON claim_agreements"
  "  BEGIN SELECT RAISE (ABORT, 'an agreement cannot be changed'); END;"
  "CREATE TRIGGER claim_agreements_no_delete BEFORE DELETE ON claim_agreements"
  "  BEGIN SELECT RAISE (ABORT, 'an agreement cannot be changed'); END;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == FO_STORE_SCHEMA_VERSION);

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static gboolean
fail_sqlite (FoStore     *store,
             const char  *doing,
             GError     **error)
{
  g_set_error (error, FO_ERROR, FO_ERROR_IO, "%s: %s: %s", store->path, doing,
               sqlite3_errmsg (store->db));
  return FALSE;
}

static gboolean
exec (FoStore     *store,
      const char  *sql,
      GError     **error)
{
  char *message = NULL;

  if (sqlite3_exec (store->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, FO_ERROR, FO_ERROR_IO, "%s: %s", store->path,
                   message ? message : sqlite3_errmsg (store->db));
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

/* A prepared statement for fixed SQL text, kept for reuse. */
static sqlite3_stmt *
statement (FoStore     *store,
           const char  *sql,
           GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (store->statements, sql);

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  if (sqlite3_prepare_v3 (store->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      fail_sqlite (store, _("preparing a statement"), error);
      return NULL;
    }
  g_hash_table_insert (store->statements, (gpointer) sql, stmt);
  return stmt;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

static void
bind_day (sqlite3_stmt *stmt,
          int           index,
          FoDay         day)
{
  char buf[11];

  if (day == 0)
    {
      sqlite3_bind_null (stmt, index);
      return;
    }
  fo_day_format_buf (day, buf);
  sqlite3_bind_text (stmt, index, buf, 10, SQLITE_TRANSIENT);
}

static char *
column_text (sqlite3_stmt *stmt,
             int           index)
{
  const unsigned char *text = sqlite3_column_text (stmt, index);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

static FoDay
column_day (sqlite3_stmt *stmt,
            int           index)
{
  const char *text = (const char *) sqlite3_column_text (stmt, index);
  FoDay day = 0;

  if (text != NULL && !fo_day_parse (text, &day))
    day = 0;
  return day;
}

static int
schema_version (FoStore *store)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  if (sqlite3_prepare_v2 (store->db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

static gboolean
migrate (FoStore  *store,
         int       target,
         GError  **error)
{
  int version = schema_version (store);

  if (version < 0)
    return fail_sqlite (store, _("reading the schema version"), error);
  if (version > FO_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, FO_ERROR, FO_ERROR_IO,
                   _("%s was written by a newer Family Outcomes (schema %d; this one knows %d)"),
                   store->path, version, FO_STORE_SCHEMA_VERSION);
      return FALSE;
    }
  while (version < target)
    {
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      /* Each step and its version number commit together, or not at all. */
      if (!exec (store, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!exec (store, migrations[version], error) || !exec (store, set_version, error))
        {
          exec (store, "ROLLBACK", NULL);
          return FALSE;
        }
      if (!exec (store, "COMMIT", error))
        return FALSE;
      version++;
    }
  return TRUE;
}

static gsize sqlite_configured;

FoStore *
fo_store_open_version (const char  *path,
                       int          version,
                       GError     **error)
{
  g_autoptr(FoStore) store = g_new0 (FoStore, 1);
  int fd;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (version >= 1 && version <= FO_STORE_SCHEMA_VERSION, NULL);

  /* SQLite's memory statistics take a process-wide lock on every allocation, which makes
   * the batch's reader threads wait for each other. Settable only before the first open. */
  if (g_once_init_enter (&sqlite_configured))
    {
      sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
      g_once_init_leave (&sqlite_configured, 1);
    }

  store->path = g_strdup (path);
  store->statements = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                             finalize_statement);

  /* Special-category data: the file is the owner's alone from the first byte. SQLite gives
   * its WAL and shared-memory files the same mode. */
  fd = g_open (path, O_WRONLY | O_CREAT, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, FO_ERROR, FO_ERROR_IO, "%s: %s", path, g_strerror (saved));
      return NULL;
    }
  close (fd);

  if (sqlite3_open_v2 (path, &store->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL)
      != SQLITE_OK)
    {
      fail_sqlite (store, _("opening"), error);
      return NULL;
    }
  sqlite3_extended_result_codes (store->db, 1);
  sqlite3_busy_timeout (store->db, 5000);
  if (!exec (store, "PRAGMA journal_mode = WAL", error) ||
      !exec (store, "PRAGMA foreign_keys = ON", error) ||
      /* FULL: a commit that returned has reached the disk, even through a power cut. */
      !exec (store, "PRAGMA synchronous = FULL", error) ||

      !migrate (store, version, error))
    return NULL;
  store->version = schema_version (store);
  return g_steal_pointer (&store);
}

FoStore *
fo_store_open (const char  *path,
               GError     **error)
{
  return fo_store_open_version (path, FO_STORE_SCHEMA_VERSION, error);
}

void
fo_store_close (FoStore *store)
{
  if (store == NULL)
    return;
  g_clear_pointer (&store->statements, g_hash_table_unref);
  if (store->db != NULL)
    sqlite3_close (store->db);
  g_free (store->path);
  g_free (store);
}

int
fo_store_schema_version (FoStore *store)
{
  g_return_val_if_fail (store != NULL, -1);
  return schema_version (store);
}

void *
fo_store_get_db (FoStore *store)
{
  g_return_val_if_fail (store != NULL, NULL);
  return store->db;
}

gboolean
fo_store_begin (FoStore  *store,
                GError  **error)
{
  g_return_val_if_fail (store != NULL, FALSE);

  if (store->depth++ > 0)
    return TRUE;
  /* IMMEDIATE takes the write lock now, so a busy database is found before any work. */
  if (!exec (store, "BEGIN IMMEDIATE", error))
    {
      store->depth = 0;
      return FALSE;
    }
  return TRUE;
}

gboolean
fo_store_commit (FoStore  *store,
                 GError  **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (store->depth > 0, FALSE);

  if (--store->depth > 0)
    return TRUE;
  if (!exec (store, "COMMIT", error))
    {
      exec (store, "ROLLBACK", NULL);
      return FALSE;
    }
  return TRUE;
}

void
fo_store_rollback (FoStore *store)
{
  g_return_if_fail (store != NULL);

  if (store->depth == 0)
    return;
  store->depth = 0;
  exec (store, "ROLLBACK", NULL);
}

static gboolean
step_done (FoStore      *store,
           sqlite3_stmt *stmt,
           const char   *doing,
           GError      **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      fail_sqlite (store, doing, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/**
 * fo_store_audit_hash:
 *
 * The hash of one audit record under @scheme. Scheme 1 (schema 1 and 2) chains the fields
 * after the id with a separator; scheme 2 also covers the id and writes each field with its
 * length, so that no two different records share an input, and NULL differs from "".
 *
 * Returns: (transfer full): the SHA-256 as hex
 */
char *
fo_store_audit_hash (int          scheme,
                     gint64       id,
                     const char  *at,
                     const char  *actor,
                     const char  *action,
                     const char  *entity,
                     const char  *entity_id,
                     const char  *before,
                     const char  *after,
                     const char  *prev_hash)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  const char *parts[] = { at, actor, action, entity, entity_id, before, after };

  g_return_val_if_fail (scheme == 1 || scheme == 2, NULL);

  if (scheme == 1)
    {
      g_checksum_update (checksum, (const guchar *) (prev_hash ? prev_hash : ""), -1);
      for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
        {
          g_checksum_update (checksum, (const guchar *) "\x1f", 1);
          g_checksum_update (checksum, (const guchar *) (parts[i] ? parts[i] : ""), -1);
        }
    }
  else
    {
      g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

      g_checksum_update (checksum, (const guchar *) "fo-audit/2", -1);
      for (guint i = 0; i < G_N_ELEMENTS (parts) + 2; i++)
        {
          const char *part = i == 0 ? id_text : i <= G_N_ELEMENTS (parts) ? parts[i - 1]
                                                                          : prev_hash;

          if (part == NULL)
            g_checksum_update (checksum, (const guchar *) "N", 1);
          else
            {
              g_autofree char *head = g_strdup_printf ("S%zu:", strlen (part));

              g_checksum_update (checksum, (const guchar *) head, -1);
              g_checksum_update (checksum, (const guchar *) part, -1);
            }
        }
    }
  return g_strdup (g_checksum_get_string (checksum));
}

gboolean
fo_store_audit (FoStore     *store,
                const char  *actor,
                const char  *action,
                const char  *entity,
                const char  *entity_id,
                const char  *before,
                const char  *after,
                GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = g_date_time_format_iso8601 (now);
  g_autofree char *prev_hash = NULL;
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 1;
  int scheme;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (store->depth > 0, FALSE);

  stmt = statement (store, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      id = sqlite3_column_int64 (stmt, 0) + 1;
      prev_hash = column_text (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (prev_hash == NULL)
    prev_hash = g_strdup ("");

  /* Each record's hash covers the previous record's hash: an edit behind the app's back
   * breaks the chain from that record on. Scheme 2 covers the id too, so that moving a
   * record is caught at the record itself. A file still at schema 1 or 2 has no scheme
   * column and keeps scheme 1. */
  scheme = store->version >= 3 ? 2 : 1;
  hash = fo_store_audit_hash (scheme, id, at, actor, action, entity, entity_id, before, after,
                              prev_hash);
  if (scheme == 1)
    stmt = statement (store, "INSERT INTO audit_log (at, actor, action, entity, entity_id, "
                             "before, after, prev_hash, hash, id) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  else
    stmt = statement (store, "INSERT INTO audit_log (at, actor, action, entity, entity_id, "
                             "before, after, prev_hash, hash, id, scheme) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 2)", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, at);
  bind_text (stmt, 2, actor);
  bind_text (stmt, 3, action);
  bind_text (stmt, 4, entity);
  bind_text (stmt, 5, entity_id);
  bind_text (stmt, 6, before);
  bind_text (stmt, 7, after);
  bind_text (stmt, 8, prev_hash);
  bind_text (stmt, 9, hash);
  sqlite3_bind_int64 (stmt, 10, id);
  return step_done (store, stmt, _("writing the audit log"), error);
}

static char *
surname_key (const char *name)
{
  const char *space = strrchr (name, ' ');
  g_autofree char *last = g_strdup (space != NULL ? space + 1 : name);

  return g_utf8_casefold (last, -1);
}

static gboolean
insert_member (FoStore        *store,
               gint64          family_id,
               const FoMember *member,
               GError        **error)
{
  g_autofree char *surname = surname_key (member->name);
  sqlite3_stmt *stmt = statement (store,
    "INSERT INTO members (family_id, member_id, position, name, surname, dob, role, sex, upn, "
    "person_ref, household_from, household_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, family_id);
  bind_text (stmt, 2, member->id);
  sqlite3_bind_int (stmt, 3, member->index);
  bind_text (stmt, 4, member->name);
  bind_text (stmt, 5, surname);
  bind_day (stmt, 6, member->dob);
  bind_text (stmt, 7, fo_role_names[member->role]);
  bind_text (stmt, 8, member->sex);
  bind_text (stmt, 9, member->upn);
  bind_text (stmt, 10, member->person_ref);
  bind_day (stmt, 11, member->household_from);
  bind_day (stmt, 12, member->household_to);
  return step_done (store, stmt, _("writing a member"), error);
}

#define EVENT_COLUMNS \
  "event_id, kind, member_id, start, \"end\", type, end_reason, term, amount, possible, " \
  "attended, unauthorised, scores, taken_by, level, indicator, author_role, detail"
#define N_EVENT_COLUMNS 18

/* The one number a kind of record carries. */
static double *
event_amount (FoEvent *event)
{
  switch (event->kind)
    {
    case FO_KIND_EXCLUSION: return &event->days;
    case FO_KIND_MISSING_EPISODE: return &event->hours;
    case FO_KIND_ASSESSMENT: return &event->score;
    case FO_KIND_EMPLOYMENT: return &event->hours_per_week;
    default: return NULL;
    }
}

/* The statement details as a JSON object, or NULL when the record has none. */
static char *
event_detail (const FoEvent *event)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (event->outcome == NULL && event->author == NULL && event->approved_by == NULL &&
      event->approver_role == NULL && event->approved_on == 0 && event->covers_from == 0 &&
      event->covers_to == 0 && event->tool == NULL && event->text == NULL &&
      event->source == NULL && event->note == NULL)
    return NULL;
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  fo_json_builder_set_string (builder, "outcome", event->outcome);
  fo_json_builder_set_string (builder, "author", event->author);
  fo_json_builder_set_string (builder, "approved_by", event->approved_by);
  fo_json_builder_set_string (builder, "approver_role", event->approver_role);
  fo_json_builder_set_day (builder, "approved_on", event->approved_on);
  fo_json_builder_set_day (builder, "covers_from", event->covers_from);
  fo_json_builder_set_day (builder, "covers_to", event->covers_to);
  fo_json_builder_set_string (builder, "tool", event->tool);
  fo_json_builder_set_string (builder, "text", event->text);
  fo_json_builder_set_string (builder, "source", event->source);
  fo_json_builder_set_string (builder, "note", event->note);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

gboolean
fo_store_insert_event (FoStore        *store,
                       gint64          family_id,
                       const FoEvent  *event,
                       const char     *member_id,
                       const char     *import_key,
                       gboolean       *out_inserted,
                       GError        **error)
{
  g_autofree char *detail = NULL;
  double *amount;
  sqlite3_stmt *stmt;
  int rc, col = 1;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (event != NULL, FALSE);

  /* OR IGNORE: an imported record's id is derived from its import key, so a record already
   * imported collides on the primary key and is not added twice. */
  stmt = statement (store, "INSERT OR IGNORE INTO events (family_id, " EVENT_COLUMNS ", import_key)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    error);
  if (stmt == NULL)
    return FALSE;
  amount = event_amount ((FoEvent *) event);
  detail = event_detail (event);
  sqlite3_bind_int64 (stmt, col++, family_id);
  bind_text (stmt, col++, event->id);
  bind_text (stmt, col++, fo_kind_names[event->kind]);
  bind_text (stmt, col++, member_id);
  bind_day (stmt, col++, event->start);
  bind_day (stmt, col++, event->end);
  bind_text (stmt, col++, event->type);
  bind_text (stmt, col++, event->end_reason);
  bind_text (stmt, col++, event->term);
  if (amount != NULL && (*amount != 0 || event->kind == FO_KIND_ASSESSMENT))
    sqlite3_bind_double (stmt, col, *amount);
  col++;
  if (event->kind == FO_KIND_ATTENDANCE)
    {
      sqlite3_bind_int64 (stmt, col++, event->possible);
      sqlite3_bind_int64 (stmt, col++, event->attended);
      sqlite3_bind_int64 (stmt, col++, event->unauthorised);
    }
  else
    col += 3;
  if (event->kind == FO_KIND_STAR_READING)
    {
      char scores[2 * FO_STAR_AREAS + 1];

      for (guint area = 0; area < FO_STAR_AREAS; area++)
        g_snprintf (scores + 2 * area, 3, "%02d", event->scores[area]);
      bind_text (stmt, col, scores);
    }
  col++;
  bind_text (stmt, col++, event->taken_by);
  bind_text (stmt, col++, event->level != FO_LEVEL_UNSET ? fo_level_names[event->level] : NULL);
  bind_text (stmt, col++, event->indicator);
  bind_text (stmt, col++, event->author_role);
  bind_text (stmt, col++, detail);
  bind_text (stmt, col++, import_key);
  g_assert (col == N_EVENT_COLUMNS + 3);

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return fail_sqlite (store, _("writing an event"), error);
  if (out_inserted != NULL)
    *out_inserted = sqlite3_changes (store->db) > 0;
  return TRUE;
}

static gboolean
family_id_of (FoStore     *store,
              const char  *reference,
              gint64      *out_id,
              gint64      *out_data_version,
              GError     **error)
{
  sqlite3_stmt *stmt = statement (store, "SELECT id, data_version FROM families "
                                         "WHERE reference = ?", error);
  gboolean found = FALSE;

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, reference);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      *out_id = sqlite3_column_int64 (stmt, 0);
      if (out_data_version != NULL)
        *out_data_version = sqlite3_column_int64 (stmt, 1);
      found = TRUE;
    }
  sqlite3_reset (stmt);
  if (!found)
    *out_id = 0;
  return TRUE;
}

static char *
family_json_text (const FoFamily *family)
{
  g_autoptr(JsonNode) node = fo_family_to_json (family);

  return json_to_string (node, FALSE);
}

/* Writes @family over any family with its reference, inside the caller's transaction. With
 * @out_before, the replaced family's JSON, for the audit record. */
static gboolean
write_family (FoStore         *store,
              const FoFamily  *family,
              char           **out_before,
              GError         **error)
{
  sqlite3_stmt *stmt;
  gint64 id = 0, version = 0;

  if (!family_id_of (store, family->reference, &id, &version, error))
    return FALSE;

  if (id != 0)
    {
      if (out_before != NULL)
        {
          g_autoptr(FoFamily) old = fo_store_load_family (store, family->reference, NULL, error);

          if (old == NULL)
            return FALSE;
          *out_before = family_json_text (old);
        }
      stmt = statement (store, "DELETE FROM events WHERE family_id = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      if (!step_done (store, stmt, _("replacing a family"), error))
        return FALSE;
      stmt = statement (store, "DELETE FROM members WHERE family_id = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      if (!step_done (store, stmt, _("replacing a family"), error))
        return FALSE;
      stmt = statement (store, "UPDATE families SET name = ?, key_worker = ?, plan = ?, "
                               "entry_date = ?, closure_date = ?, closure_reason = ?, "
                               "data_version = data_version + 1, row_version = row_version + 1 "
                               "WHERE id = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 7, id);
    }
  else
    {
      stmt = statement (store, "INSERT INTO families (name, key_worker, plan, entry_date, "
                               "closure_date, closure_reason, reference) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 7, family->reference);
    }
  bind_text (stmt, 1, family->name);
  bind_text (stmt, 2, family->key_worker);
  bind_text (stmt, 3, family->plan);
  bind_day (stmt, 4, family->entry_date);
  bind_day (stmt, 5, family->closure_date);
  bind_text (stmt, 6, family->closure_reason);
  if (!step_done (store, stmt, _("writing a family"), error))
    return FALSE;
  if (id == 0)
    id = sqlite3_last_insert_rowid (store->db);

  for (guint i = 0; i < family->members->len; i++)
    if (!insert_member (store, id, g_ptr_array_index (family->members, i), error))
      return FALSE;
  for (guint i = 0; i < family->events->len; i++)
    {
      const FoEvent *event = g_ptr_array_index (family->events, i);
      const char *member = event->member >= 0 ? fo_family_member (family, event->member)->id : NULL;

      if (!fo_store_insert_event (store, id, event, member, NULL, NULL, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
fo_store_put_family (FoStore         *store,
                     const FoFamily  *family,
                     const char      *actor,
                     GError         **error)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (family != NULL, FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  if (!fo_store_begin (store, error))
    return FALSE;
  if (!write_family (store, family, &before, error))
    goto fail;
  after = family_json_text (family);
  if (!fo_store_audit (store, actor, before ? "update" : "create", "family", family->reference,
                       before, after, error))
    goto fail;
  return fo_store_commit (store, error);

fail:
  fo_store_rollback (store);
  return FALSE;
}

/**
 * fo_store_put_families:
 *
 * Writes many families in one transaction (a demo cohort, a bulk load) with one audit
 * record: each family's reference with the SHA-256 of its JSON, so the record still proves
 * what was written without holding a copy of every family.
 */
gboolean
fo_store_put_families (FoStore     *store,
                       FoFamily   **families,
                       guint        n_families,
                       const char  *actor,
                       const char  *action,
                       GError     **error)
{
  g_autoptr(GString) summary = g_string_new (NULL);

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (actor != NULL && action != NULL, FALSE);

  if (!fo_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < n_families; i++)
    {
      g_autofree char *json = family_json_text (families[i]);
      g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, json, -1);

      if (!write_family (store, families[i], NULL, error))
        goto fail;
      g_string_append_printf (summary, "%s %s\n", families[i]->reference, hash);
    }
  if (!fo_store_audit (store, actor, action, "families", NULL, NULL, summary->str, error))
    goto fail;
  return fo_store_commit (store, error) && (store->depth > 0 || fo_store_checkpoint (store, error));

fail:
  fo_store_rollback (store);
  return FALSE;
}

gboolean
fo_store_touch_family (FoStore  *store,
                       gint64    family_id,
                       GError  **error)
{
  sqlite3_stmt *stmt = statement (store, "UPDATE families SET data_version = data_version + 1, "
                                         "row_version = row_version + 1 WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, family_id);
  return step_done (store, stmt, _("updating a family"), error);
}

gboolean
fo_store_delete_family (FoStore     *store,
                        const char  *reference,
                        const char  *actor,
                        GError     **error)
{
  g_autoptr(FoFamily) old = NULL;
  g_autofree char *before = NULL;
  sqlite3_stmt *stmt;
  gint64 id;

  if (!fo_store_begin (store, error))
    return FALSE;
  if (!family_id_of (store, reference, &id, NULL, error))
    goto fail;
  if (id == 0)
    {
      g_set_error (error, FO_ERROR, FO_ERROR_INVALID_ARGUMENT, _("no family has the reference %s"),
                   reference);
      goto fail;
    }
  old = fo_store_load_family (store, reference, NULL, error);
  if (old == NULL)
    goto fail;
  before = family_json_text (old);
  stmt = statement (store, "DELETE FROM families WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!step_done (store, stmt, _("deleting a family"), error) ||
      !fo_store_audit (store, actor, "delete", "family", reference, before, NULL, error))
    goto fail;
  return fo_store_commit (store, error);

fail:
  fo_store_rollback (store);
  return FALSE;
}

static FoMember *
member_from_row (sqlite3_stmt *stmt,
                 int           first)
{
  FoMember *member = fo_member_new ();
  const char *role = (const char *) sqlite3_column_text (stmt, first + 3);

  member->id = column_text (stmt, first);
  member->name = column_text (stmt, first + 1);
  member->dob = column_day (stmt, first + 2);
  member->role = FO_ROLE_OTHER;
  for (int r = 0; fo_role_names[r] != NULL; r++)
    if (g_strcmp0 (role, fo_role_names[r]) == 0)
      member->role = r;
  member->sex = column_text (stmt, first + 4);
  member->upn = column_text (stmt, first + 5);
  member->person_ref = column_text (stmt, first + 6);
  member->household_from = column_day (stmt, first + 7);
  member->household_to = column_day (stmt, first + 8);
  return member;
}

#define MEMBER_COLUMNS \
  "member_id, name, dob, role, sex, upn, person_ref, household_from, household_to"

static double
column_number (sqlite3_stmt *stmt,
               int           index)
{
  return sqlite3_column_type (stmt, index) == SQLITE_NULL ? 0 : sqlite3_column_double (stmt, index);
}

/* Record strings repeat (types, terms, roles): each family keeps one copy of each. */
static char *
shared_text (FoFamily   *family,
             const char *text)
{
  if (text == NULL)
    return NULL;
  if (family->strings == NULL)
    family->strings = g_string_chunk_new (1024);
  return g_string_chunk_insert_const (family->strings, text);
}

static char *
shared_column (FoFamily     *family,
               sqlite3_stmt *stmt,
               int           index)
{
  return shared_text (family, (const char *) sqlite3_column_text (stmt, index));
}

static FoEvent *
event_from_row (FoFamily     *family,
                sqlite3_stmt *stmt,
                int           first)
{
  const char *kind_name = (const char *) sqlite3_column_text (stmt, first + 1);
  const char *member_id = (const char *) sqlite3_column_text (stmt, first + 2);
  const char *scores = (const char *) sqlite3_column_text (stmt, first + 12);
  const char *level = (const char *) sqlite3_column_text (stmt, first + 14);
  const char *detail = (const char *) sqlite3_column_text (stmt, first + 17);
  int kind = kind_name ? fo_kind_from_name (kind_name) : -1;
  double *amount;
  FoEvent *event;

  if (kind < 0)
    return NULL;
  event = fo_event_new (kind);
  event->shared_strings = TRUE;
  event->id = shared_column (family, stmt, first);
  event->member = member_id ? fo_family_member_index (family, member_id) : -1;
  event->start = column_day (stmt, first + 3);
  event->end = column_day (stmt, first + 4);
  event->type = shared_column (family, stmt, first + 5);
  event->end_reason = shared_column (family, stmt, first + 6);
  event->term = shared_column (family, stmt, first + 7);
  amount = event_amount (event);
  if (amount != NULL)
    *amount = column_number (stmt, first + 8);
  if (kind == FO_KIND_ATTENDANCE)
    {
      event->possible = sqlite3_column_int64 (stmt, first + 9);
      event->attended = sqlite3_column_int64 (stmt, first + 10);
      event->unauthorised = sqlite3_column_int64 (stmt, first + 11);
    }
  for (guint area = 0; scores != NULL && area < FO_STAR_AREAS; area++)
    event->scores[area] = (gint8) ((scores[2 * area] - '0') * 10 + (scores[2 * area + 1] - '0'));
  event->taken_by = shared_column (family, stmt, first + 13);
  for (int l = 0; level != NULL && fo_level_names[l] != NULL; l++)
    if (g_str_equal (level, fo_level_names[l]))
      event->level = l;
  event->indicator = shared_column (family, stmt, first + 15);
  event->author_role = shared_column (family, stmt, first + 16);
  if (detail != NULL)
    {
      FoDetail parts;

      if (fo_detail_read (detail, &parts))
        {
          event->outcome = shared_text (family, parts.outcome);
          event->author = shared_text (family, parts.author);
          event->approved_by = shared_text (family, parts.approved_by);
          event->approver_role = shared_text (family, parts.approver_role);
          event->tool = shared_text (family, parts.tool);
          event->text = shared_text (family, parts.text);
          event->source = shared_text (family, parts.source);
          event->note = shared_text (family, parts.note);
          if (parts.approved_on != NULL)
            fo_day_parse (parts.approved_on, &event->approved_on);
          if (parts.covers_from != NULL)
            fo_day_parse (parts.covers_from, &event->covers_from);
          if (parts.covers_to != NULL)
            fo_day_parse (parts.covers_to, &event->covers_to);
          fo_detail_clear (&parts);
        }
    }
  return event;
}

static FoFamily *
family_from_row (sqlite3_stmt *stmt)
{
  FoFamily *family = fo_family_new ();

  family->reference = column_text (stmt, 1);
  family->name = column_text (stmt, 2);
  family->key_worker = column_text (stmt, 3);
  family->plan = column_text (stmt, 4);
  family->entry_date = column_day (stmt, 5);
  family->closure_date = column_day (stmt, 6);
  family->closure_reason = column_text (stmt, 7);
  return family;
}

#define FAMILY_COLUMNS \
  "id, reference, name, key_worker, plan, entry_date, closure_date, closure_reason, data_version"

FoFamily *
fo_store_load_family (FoStore     *store,
                      const char  *reference,
                      gint64      *out_data_version,
                      GError     **error)
{
  g_autoptr(FoFamily) family = NULL;
  sqlite3_stmt *stmt;
  gint64 id;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (reference != NULL, NULL);

  stmt = statement (store, "SELECT " FAMILY_COLUMNS " FROM families WHERE reference = ?", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, reference);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, FO_ERROR, FO_ERROR_INVALID_ARGUMENT, _("no family has the reference %s"),
                   reference);
      return NULL;
    }
  id = sqlite3_column_int64 (stmt, 0);
  if (out_data_version != NULL)
    *out_data_version = sqlite3_column_int64 (stmt, 8);
  family = family_from_row (stmt);
  sqlite3_reset (stmt);

  stmt = statement (store, "SELECT " MEMBER_COLUMNS " FROM members WHERE family_id = ? "
                           "ORDER BY position", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    fo_family_take_member (family, member_from_row (stmt, 0));
  sqlite3_reset (stmt);

  stmt = statement (store, "SELECT " EVENT_COLUMNS " FROM events WHERE family_id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      FoEvent *event = event_from_row (family, stmt, 0);

      if (event != NULL)
        fo_family_take_event (family, event);
    }
  sqlite3_reset (stmt);

  if (!fo_family_finish (family, error))
    return NULL;
  return g_steal_pointer (&family);
}

gboolean
fo_store_for_each_family (FoStore           *store,
                          FoStoreFamilyFunc  func,
                          gpointer           user_data,
                          GError           **error)
{
  return fo_store_for_each_family_in (store, G_MININT64, G_MAXINT64, func, user_data, error);
}

gboolean
fo_store_family_ids (FoStore  *store,
                     gint64   *out_first,
                     gint64   *out_last,
                     GError  **error)
{
  sqlite3_stmt *stmt = statement (store, "SELECT min (id), max (id) FROM families", error);

  if (stmt == NULL)
    return FALSE;
  *out_first = *out_last = 0;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      *out_first = sqlite3_column_int64 (stmt, 0);
      *out_last = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  return TRUE;
}

const char *
fo_store_get_path (FoStore *store)
{
  g_return_val_if_fail (store != NULL, NULL);
  return store->path;
}

static int
compare_positions (gconstpointer a,
                   gconstpointer b)
{
  const FoMember *x = *(FoMember **) a, *y = *(FoMember **) b;

  return (int) x->index - (int) y->index;
}

/* A statement over the families with ids @first … @last (bound as ?1 and ?2). */
static sqlite3_stmt *
range_statement (FoStore     *store,
                 const char  *sql,
                 gint64       first,
                 gint64       last,
                 GError     **error)
{
  sqlite3_stmt *stmt;

  if (error != NULL && *error != NULL)
    return NULL;
  stmt = statement (store, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, first);
  sqlite3_bind_int64 (stmt, 2, last);
  return stmt;
}

/**
 * fo_store_for_each_family_in:
 *
 * Reads the families whose ids lie in @first_id … @last_id, in id order. Separate ranges
 * can be read by separate connections at once (WAL readers do not block each other).
 */
gboolean
fo_store_for_each_family_in (FoStore           *store,
                             gint64             first_id,
                             gint64             last_id,
                             FoStoreFamilyFunc  func,
                             gpointer           user_data,
                             GError           **error)
{
  sqlite3_stmt *families, *members, *events;
  gboolean have_member, have_event;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  /* Three ordered scans merged by family id: every page is read once, in order. Members come
   * in key order, which needs no sort, and are put in position order per family. */
  families = range_statement (store, "SELECT " FAMILY_COLUMNS " FROM families "
                                     "WHERE id BETWEEN ?1 AND ?2 ORDER BY id",
                              first_id, last_id, error);
  members = range_statement (store, "SELECT family_id, position, " MEMBER_COLUMNS " FROM members "
                                    "WHERE family_id BETWEEN ?1 AND ?2 ORDER BY family_id",
                             first_id, last_id, error);
  events = range_statement (store, "SELECT family_id, " EVENT_COLUMNS " FROM events "
                                   "WHERE family_id BETWEEN ?1 AND ?2 ORDER BY family_id",
                            first_id, last_id, error);
  if (families == NULL || members == NULL || events == NULL)
    return FALSE;

  have_member = sqlite3_step (members) == SQLITE_ROW;
  have_event = sqlite3_step (events) == SQLITE_ROW;
  while (sqlite3_step (families) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (families, 0);
      gint64 version = sqlite3_column_int64 (families, 8);
      FoFamily *family = family_from_row (families);
      g_autoptr(GError) local_error = NULL;

      while (have_member && sqlite3_column_int64 (members, 0) <= id)
        {
          if (sqlite3_column_int64 (members, 0) == id)
            {
              FoMember *member = member_from_row (members, 2);

              member->index = sqlite3_column_int (members, 1);
              g_ptr_array_add (family->members, member);
            }
          have_member = sqlite3_step (members) == SQLITE_ROW;
        }
      g_ptr_array_sort (family->members, compare_positions);
      while (have_event && sqlite3_column_int64 (events, 0) <= id)
        {
          if (sqlite3_column_int64 (events, 0) == id)
            {
              FoEvent *event = event_from_row (family, events, 1);

              if (event != NULL)
                fo_family_take_event (family, event);
            }
          have_event = sqlite3_step (events) == SQLITE_ROW;
        }
      if (!fo_family_finish (family, &local_error))
        {
          g_warning ("%s", local_error->message);
          fo_family_free (family);
          continue;
        }
      if (!func (family, id, version, user_data))
        break;
    }
  sqlite3_reset (families);
  sqlite3_reset (members);
  sqlite3_reset (events);
  return TRUE;
}

GPtrArray *
fo_store_list_references (FoStore  *store,
                          GError  **error)
{
  GPtrArray *references = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = statement (store, "SELECT reference FROM families ORDER BY reference",
                                  error);

  if (stmt == NULL)
    {
      g_ptr_array_unref (references);
      return NULL;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (references, column_text (stmt, 0));
  sqlite3_reset (stmt);
  return references;
}

gint64
fo_store_count_families (FoStore  *store,
                         GError  **error)
{
  sqlite3_stmt *stmt = statement (store, "SELECT count(*) FROM families", error);
  gint64 count = -1;

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return count;
}

gboolean
fo_store_find_member (FoStore     *store,
                      const char  *upn,
                      const char  *person_ref,
                      const char  *surname,
                      FoDay        dob,
                      gint64      *out_family_id,
                      char       **out_member_id,
                      guint       *out_matches,
                      GError     **error)
{
  sqlite3_stmt *stmt;
  guint matches = 0;

  g_return_val_if_fail (store != NULL, FALSE);

  *out_family_id = 0;
  *out_member_id = NULL;
  /* A stable identifier first; surname and date of birth only when there is none. */
  if (upn != NULL && upn[0] != '\0')
    {
      stmt = statement (store, "SELECT family_id, member_id FROM members WHERE upn = ?", error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, upn);
    }
  else if (person_ref != NULL && person_ref[0] != '\0')
    {
      stmt = statement (store, "SELECT family_id, member_id FROM members WHERE person_ref = ?",
                        error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, person_ref);
    }
  else if (surname != NULL && dob != 0)
    {
      g_autofree char *key = g_utf8_casefold (surname, -1);

      stmt = statement (store, "SELECT family_id, member_id FROM members "
                               "WHERE surname = ? AND dob = ?", error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, key);
      bind_day (stmt, 2, dob);
    }
  else
    {
      *out_matches = 0;
      return TRUE;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      if (matches++ == 0)
        {
          *out_family_id = sqlite3_column_int64 (stmt, 0);
          *out_member_id = column_text (stmt, 1);
        }
    }
  sqlite3_reset (stmt);
  *out_matches = matches;
  return TRUE;
}

gboolean
fo_store_put_evaluation (FoStore                  *store,
                         const FoCachedEvaluation *cached,
                         GError                  **error)
{
  sqlite3_stmt *stmt;
  gint64 id = cached->family_id;

  if (id == 0 && !family_id_of (store, cached->reference, &id, NULL, error))
    return FALSE;
  if (id == 0)
    {
      g_set_error (error, FO_ERROR, FO_ERROR_INVALID_ARGUMENT, _("no family has the reference %s"),
                   cached->reference);
      return FALSE;
    }
  stmt = statement (store, "INSERT OR REPLACE INTO evaluations (family_id, plan_hash, "
                           "data_version, as_of, eligible, claimable, claimable_from, "
                           "projected_claimable, issues) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  bind_text (stmt, 2, cached->plan_hash);
  sqlite3_bind_int64 (stmt, 3, cached->data_version);
  bind_day (stmt, 4, cached->as_of);
  sqlite3_bind_int (stmt, 5, cached->eligible);
  sqlite3_bind_int (stmt, 6, cached->claimable);
  bind_day (stmt, 7, cached->claimable_from);
  bind_day (stmt, 8, cached->projected_claimable);
  bind_text (stmt, 9, cached->issues ? cached->issues : "");
  return step_done (store, stmt, _("caching an evaluation"), error);
}

gboolean
fo_store_get_evaluation (FoStore             *store,
                         const char          *reference,
                         FoCachedEvaluation  *out,
                         GError             **error)
{
  sqlite3_stmt *stmt = statement (store, "SELECT e.plan_hash, e.data_version, e.as_of, "
                                         "e.eligible, e.claimable, e.claimable_from, "
                                         "e.projected_claimable, e.issues FROM evaluations e "
                                         "JOIN families f ON f.id = e.family_id "
                                         "WHERE f.reference = ?", error);
  gboolean found = FALSE;

  memset (out, 0, sizeof *out);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, reference);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      out->reference = g_strdup (reference);
      out->plan_hash = column_text (stmt, 0);
      out->data_version = sqlite3_column_int64 (stmt, 1);
      out->as_of = column_day (stmt, 2);
      out->eligible = sqlite3_column_int (stmt, 3);
      out->claimable = sqlite3_column_int (stmt, 4);
      out->claimable_from = column_day (stmt, 5);
      out->projected_claimable = column_day (stmt, 6);
      out->issues = column_text (stmt, 7);
      found = TRUE;
    }
  sqlite3_reset (stmt);
  return found;
}

void
fo_cached_evaluation_clear (FoCachedEvaluation *cached)
{
  g_clear_pointer (&cached->reference, g_free);
  g_clear_pointer (&cached->plan_hash, g_free);
  g_clear_pointer (&cached->issues, g_free);
}

static void
cache_state_clear (gpointer data)
{
  FoCacheState *state = data;

  g_free (state->reference);
  g_free (state->plan);
  g_free (state->cached_plan_hash);
}

/**
 * fo_store_cache_states:
 *
 * Every family with what its cached verdict was computed from, so that a caller can find
 * the ones to evaluate again. Returns: (transfer full) (element-type FoCacheState)
 */
GArray *
fo_store_cache_states (FoStore  *store,
                       GError  **error)
{
  GArray *states = g_array_new (FALSE, TRUE, sizeof (FoCacheState));
  sqlite3_stmt *stmt = statement (store, "SELECT f.id, f.reference, f.plan, f.data_version, "
                                         "e.plan_hash, e.data_version, e.as_of FROM families f "
                                         "LEFT JOIN evaluations e ON e.family_id = f.id "
                                         "ORDER BY f.id", error);

  g_array_set_clear_func (states, cache_state_clear);
  if (stmt == NULL)
    {
      g_array_unref (states);
      return NULL;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      FoCacheState state = {
        sqlite3_column_int64 (stmt, 0), column_text (stmt, 1), column_text (stmt, 2),
        sqlite3_column_int64 (stmt, 3), column_text (stmt, 4), sqlite3_column_int64 (stmt, 5),
        column_day (stmt, 6),
      };

      g_array_append_val (states, state);
    }
  sqlite3_reset (stmt);
  return states;
}

/**
 * fo_store_cached_claimable:
 *
 * From the cache: the references of families claimable as of @as_of, or projected to be by
 * @soon, in claimable-from order. Only verdicts cached for @as_of count. Returns:
 * (transfer full) (element-type utf8)
 */
GPtrArray *
fo_store_cached_claimable (FoStore  *store,
                           FoDay     as_of,
                           FoDay     soon,
                           GError  **error)
{
  GPtrArray *references = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = statement (store, "SELECT f.reference FROM evaluations e "
                                         "JOIN families f ON f.id = e.family_id "
                                         "WHERE e.as_of = ?1 AND (e.claimable = 1 "
                                         "  OR (e.projected_claimable IS NOT NULL "
                                         "      AND e.projected_claimable <= ?2)) "
                                         "ORDER BY coalesce (e.claimable_from, "
                                         "e.projected_claimable), f.reference", error);

  if (stmt == NULL)
    {
      g_ptr_array_unref (references);
      return NULL;
    }
  bind_day (stmt, 1, as_of);
  bind_day (stmt, 2, soon);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (references, column_text (stmt, 0));
  sqlite3_reset (stmt);
  return references;
}

/* After a bulk write: move the write-ahead log into the file and empty it, so that the next
 * reader does not walk a log as large as the data. */
gboolean
fo_store_checkpoint (FoStore  *store,
                     GError  **error)
{
  return exec (store, "PRAGMA wal_checkpoint (TRUNCATE)", error);
}

/* For the files that extend the store: fo-store-private.h. */

sqlite3_stmt *
_fo_store_statement (FoStore     *store,
                     const char  *sql,
                     GError     **error)
{
  return statement (store, sql, error);
}

gboolean
_fo_store_step_done (FoStore       *store,
                     sqlite3_stmt  *stmt,
                     const char    *doing,
                     GError       **error)
{
  return step_done (store, stmt, doing, error);
}

void
_fo_store_bind_text (sqlite3_stmt *stmt,
                     int           index,
                     const char   *text)
{
  bind_text (stmt, index, text);
}

void
_fo_store_bind_day (sqlite3_stmt *stmt,
                    int           index,
                    FoDay         day)
{
  bind_day (stmt, index, day);
}

char *
_fo_store_column_text (sqlite3_stmt *stmt,
                       int           index)
{
  return column_text (stmt, index);
}

FoDay
_fo_store_column_day (sqlite3_stmt *stmt,
                      int           index)
{
  return column_day (stmt, index);
}

/* The SHA-256 of the family's canonical JSON: the same text the audit log records. */
char *
_fo_store_family_sha256 (const FoFamily *family)
{
  g_autofree char *json = family_json_text (family);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, json, -1);
}

/* Backups */

/* What a copy is checked against: the schema, how many families, and where the audit chain
 * ends. */
typedef struct
{
  int     schema_version;
  gint64  families;
  char   *last_hash;      /* NULL: no audit record yet */
} StoreFigures;

static gboolean
read_figures (sqlite3      *db,
              StoreFigures *out)
{
  static const char *const queries[] = {
    "PRAGMA user_version",
    "SELECT count(*) FROM families",
    "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1",
  };

  memset (out, 0, sizeof *out);
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      sqlite3_stmt *stmt = NULL;
      int rc;

      if (sqlite3_prepare_v2 (db, queries[i], -1, &stmt, NULL) != SQLITE_OK)
        return FALSE;
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW && i == 0)
        out->schema_version = sqlite3_column_int (stmt, 0);
      else if (rc == SQLITE_ROW && i == 1)
        out->families = sqlite3_column_int64 (stmt, 0);
      else if (rc == SQLITE_ROW && i == 2)
        out->last_hash = column_text (stmt, 0);
      sqlite3_finalize (stmt);
      if (rc != SQLITE_ROW && (i < 2 || rc != SQLITE_DONE))
        return FALSE;
    }
  return TRUE;
}

static void
figures_clear (StoreFigures *figures)
{
  g_clear_pointer (&figures->last_hash, g_free);
}

/* The copy, opened on its own: SQLite's integrity check, then the figures. */
static gboolean
verify_copy (const char          *path,
             const StoreFigures  *expected,
             GError             **error)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  StoreFigures found = { 0 };
  g_autofree char *problem = NULL;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    problem = g_strdup (sqlite3_errmsg (db));
  /* The copy carries the store's write-ahead-log mode; a backup is better as one file. */
  else if (sqlite3_exec (db, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK)
    problem = g_strdup (sqlite3_errmsg (db));
  else if (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL) != SQLITE_OK)
    problem = g_strdup (sqlite3_errmsg (db));
  else
    {
      /* One row, "ok", when nothing is wrong; otherwise up to 100 rows of problems. */
      if (sqlite3_step (stmt) != SQLITE_ROW ||
          g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") != 0)
        problem = g_strdup_printf (_("the integrity check failed: %s"),
                                   sqlite3_column_text (stmt, 0) != NULL
                                   ? (const char *) sqlite3_column_text (stmt, 0)
                                   : sqlite3_errmsg (db));
      sqlite3_finalize (stmt);
    }
  if (problem == NULL && !read_figures (db, &found))
    problem = g_strdup (sqlite3_errmsg (db));
  else if (problem == NULL && found.schema_version != expected->schema_version)
    problem = g_strdup_printf (_("schema version %d, not %d"), found.schema_version,
                               expected->schema_version);
  else if (problem == NULL && found.families != expected->families)
    problem = g_strdup_printf (_("%lld families, not %lld"), (long long) found.families,
                               (long long) expected->families);
  else if (problem == NULL && g_strcmp0 (found.last_hash, expected->last_hash) != 0)
    problem = g_strdup (_("the audit log ends with a different record"));
  figures_clear (&found);
  sqlite3_close (db);

  if (problem != NULL)
    {
      g_set_error (error, FO_ERROR, FO_ERROR_IO, _("%s: the copy does not check out: %s"), path,
                   problem);
      return FALSE;
    }
  return TRUE;
}

static void
remove_copy (const char *path)
{
  static const char *const suffixes[] = { "", "-journal", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

/**
 * fo_store_backup:
 * @store: an open store, not inside a transaction
 * @path: the file to write, which must not exist yet
 * @error: return location for a #GError
 *
 * Copies the store into a new file that only its owner can read, with SQLite's online backup,
 * so that other programs can go on using the store meanwhile. The copy is one file, of the
 * store as it was at one moment. It is then checked on its own: SQLite's integrity check, and
 * the same schema version, number of families and last audit record as the store had at that
 * moment. A copy that cannot be finished or checked is deleted. An existing file is never
 * overwritten (%FO_ERROR_INVALID_ARGUMENT).
 *
 * Blocking: call it off the main loop.
 *
 * Returns: %TRUE if @path holds a checked copy of the store
 */
gboolean
fo_store_backup (FoStore     *store,
                 const char  *path,
                 GError     **error)
{
  StoreFigures figures = { 0 };
  sqlite3 *copy = NULL;
  sqlite3_backup *backup;
  g_autofree char *problem = NULL;
  int fd, rc;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (store->depth == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Special-category data, like the store: the owner's alone from the first byte. */
  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      if (saved == EEXIST)
        g_set_error (error, FO_ERROR, FO_ERROR_INVALID_ARGUMENT,
                     _("%s already exists; a backup never replaces a file"), path);
      else
        g_set_error (error, FO_ERROR, FO_ERROR_IO, "%s: %s", path, g_strerror (saved));
      return FALSE;
    }
  /* The umask may have taken away the owner's write permission, which SQLite needs. */
  if (fchmod (fd, 0600) != 0)
    {
      int saved = errno;

      close (fd);
      g_unlink (path);
      g_set_error (error, FO_ERROR, FO_ERROR_IO, "%s: %s", path, g_strerror (saved));
      return FALSE;
    }
  close (fd);

  /* One read transaction: the figures and the pages copied are of the same moment, whatever
   * other connections write meanwhile. */
  if (!exec (store, "BEGIN", error))
    {
      g_unlink (path);
      return FALSE;
    }
  if (!read_figures (store->db, &figures))
    problem = g_strdup (sqlite3_errmsg (store->db));
  else if (sqlite3_open_v2 (path, &copy, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    problem = g_strdup (sqlite3_errmsg (copy));
  else if ((backup = sqlite3_backup_init (copy, "main", store->db, "main")) == NULL)
    problem = g_strdup (sqlite3_errmsg (copy));
  else
    {
      rc = sqlite3_backup_step (backup, -1);
      if (sqlite3_backup_finish (backup) != SQLITE_OK || rc != SQLITE_DONE)
        problem = g_strdup (sqlite3_errmsg (copy));
    }
  sqlite3_close (copy);
  exec (store, "COMMIT", NULL);

  if (problem != NULL)
    {
      g_set_error (error, FO_ERROR, FO_ERROR_IO, _("%s: the backup failed: %s"), path, problem);
      figures_clear (&figures);
      remove_copy (path);
      return FALSE;
    }
  if (!verify_copy (path, &figures, error))
    {
      figures_clear (&figures);
      remove_copy (path);
      return FALSE;
    }
  figures_clear (&figures);
  return TRUE;
}
