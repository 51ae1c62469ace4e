/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-store"

#include "config.h"

#include <sys/stat.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "fo-audit.h"
#include "fo-batch.h"
#include "fo-store.h"

typedef struct
{
  char    *dir;
  char    *path;
  FoStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("fo-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "families.db", NULL);
  fixture->store = fo_store_open (fixture->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_pointer (&fixture->store, fo_store_close);
  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (fixture->dir, name, NULL);

      g_unlink (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* Every scenario family of every plan: a varied, hand-made set of real-looking data. */
static GPtrArray *
scenario_files (void)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *root = g_build_filename (SOURCE_DIR, "tests", "scenarios", NULL);
  g_autoptr(GDir) plans = g_dir_open (root, 0, NULL);
  const char *plan;

  g_assert_nonnull (plans);
  while ((plan = g_dir_read_name (plans)) != NULL)
    {
      g_autofree char *folder = g_build_filename (root, plan, NULL);
      g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_suffix (name, ".family.json"))
          g_ptr_array_add (files, g_build_filename (folder, name, NULL));
    }
  g_assert_cmpuint (files->len, >=, 30);
  return files;
}

static char *
canonical (const FoFamily *family)
{
  g_autoptr(JsonNode) node = fo_family_to_json (family);

  return json_to_string (node, FALSE);
}

static gint64
count_rows (Fixture    *fixture,
            const char *sql)
{
  sqlite3 *db = fo_store_get_db (fixture->store);
  sqlite3_stmt *stmt = NULL;
  gint64 count = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return count;
}

static void
test_open (Fixture       *fixture,
           gconstpointer  data)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (fo_store_schema_version (fixture->store), ==, FO_STORE_SCHEMA_VERSION);
  g_assert_cmpint (count_rows (fixture, "PRAGMA foreign_keys"), ==, 1);
  {
    sqlite3_stmt *stmt = NULL;

    sqlite3_prepare_v2 (fo_store_get_db (fixture->store), "PRAGMA journal_mode", -1, &stmt, NULL);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
    sqlite3_finalize (stmt);
  }
}

/* JSON → family → JSON, and JSON → family → store → family → JSON: identical. */
static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) files = scenario_files ();

  for (guint i = 0; i < files->len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FoFamily) family = fo_family_load_file (g_ptr_array_index (files, i), &error);
      g_autoptr(FoFamily) reloaded = NULL;
      g_autoptr(FoFamily) stored = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *first = NULL;
      g_autofree char *second = NULL;
      g_autofree char *third = NULL;

      g_assert_no_error (error);
      first = canonical (family);
      node = fo_family_to_json (family);
      reloaded = fo_family_load_node ("round-trip", node, &error);
      g_assert_no_error (error);
      second = canonical (reloaded);
      g_assert_cmpstr (first, ==, second);

      g_assert_true (fo_store_put_family (fixture->store, family, "tester", &error));
      g_assert_no_error (error);
      stored = fo_store_load_family (fixture->store, family->reference, NULL, &error);
      g_assert_no_error (error);
      third = canonical (stored);
      g_assert_cmpstr (first, ==, third);
    }
  g_assert_cmpint (fo_store_count_families (fixture->store, NULL), ==, files->len);
}

static FoFamily *
load_scenario (const char *plan,
               const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_strdup_printf ("%s/tests/scenarios/%s/%s.family.json", SOURCE_DIR,
                                           plan, name);
  FoFamily *family = fo_family_load_file (file, &error);

  g_assert_no_error (error);
  return family;
}

static void
test_update_delete_audit (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FoFamily) family = load_scenario ("cbc", "boundary-attendance-exactly-90");
  g_autoptr(FoFamily) loaded = NULL;
  gint64 version = 0;
  sqlite3 *db = fo_store_get_db (fixture->store);
  char *message = NULL;

  g_assert_true (fo_store_put_family (fixture->store, family, "alice", &error));
  g_assert_no_error (error);
  loaded = fo_store_load_family (fixture->store, family->reference, &version, &error);
  g_assert_cmpint (version, ==, 1);
  g_clear_pointer (&loaded, fo_family_free);

  /* A change bumps the data version, which is what the evaluation cache is keyed on. */
  g_free (family->key_worker);
  family->key_worker = g_strdup ("B. Newworker");
  g_assert_true (fo_store_put_family (fixture->store, family, "bob", &error));
  loaded = fo_store_load_family (fixture->store, family->reference, &version, &error);
  g_assert_cmpint (version, ==, 2);
  g_assert_cmpstr (loaded->key_worker, ==, "B. Newworker");

  g_assert_cmpint (count_rows (fixture, "SELECT count(*) FROM audit_log"), ==, 2);
  g_assert_cmpint (count_rows (fixture, "SELECT count(*) FROM audit_log WHERE action = 'update' "
                                        "AND actor = 'bob' AND before LIKE '%A. Keyworker%' "
                                        "AND after LIKE '%B. Newworker%'"), ==, 1);
  /* Each record names the previous one's hash. */
  g_assert_cmpint (count_rows (fixture, "SELECT count(*) FROM audit_log a JOIN audit_log b "
                                        "ON b.id = a.id + 1 WHERE b.prev_hash = a.hash"), ==, 1);

  g_assert_true (fo_store_delete_family (fixture->store, family->reference, "carol", &error));
  g_assert_no_error (error);
  g_assert_null (fo_store_load_family (fixture->store, family->reference, NULL, &error));
  g_assert_error (error, FO_ERROR, FO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpint (count_rows (fixture, "SELECT count(*) FROM events"), ==, 0);
  g_assert_cmpint (count_rows (fixture, "SELECT count(*) FROM members"), ==, 0);
  g_assert_cmpint (count_rows (fixture, "SELECT count(*) FROM audit_log"), ==, 3);

  /* The log cannot be changed or shortened, even with SQL. */
  g_assert_cmpint (sqlite3_exec (db, "UPDATE audit_log SET actor = 'mallory'", NULL, NULL,
                                 &message),
                   !=, SQLITE_OK);
  g_assert_nonnull (strstr (message, "append-only"));
  sqlite3_free (message);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM audit_log", NULL, NULL, NULL), !=, SQLITE_OK);
  g_assert_cmpint (count_rows (fixture, "SELECT count(*) FROM audit_log"), ==, 3);
}

static void
test_constraints (Fixture       *fixture,
                  gconstpointer  data)
{
  sqlite3 *db = fo_store_get_db (fixture->store);

  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO families (reference, entry_date) "
                                     "VALUES ('X', '2026-02-30')", NULL, NULL, NULL), !=, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO families (reference, entry_date) "
                                     "VALUES ('', '2026-02-01')", NULL, NULL, NULL), !=, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO families (reference, entry_date) "
                                     "VALUES ('X', '2026-02-01')", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO families (reference, entry_date) "
                                     "VALUES ('X', '2026-02-01')", NULL, NULL, NULL), !=, SQLITE_OK);
  /* An event for a member who does not exist, and an end before the start. */
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO events (family_id, event_id, kind, member_id, "
                                     "start) VALUES (1, 'e1', 'offence', 'nobody', '2026-01-01')",
                                 NULL, NULL, NULL), !=, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO events (family_id, event_id, kind, start, "
                                     "\"end\") VALUES (1, 'e2', 'case', '2026-01-01', '2025-01-01')",
                                 NULL, NULL, NULL), !=, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO users (name, role) VALUES ('u', 'admin')",
                                 NULL, NULL, NULL), !=, SQLITE_OK);
}

/* A file written by schema 1 opens with today's code, keeps its data and gains the cache. */
static void
test_migration (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *old_path = g_build_filename (fixture->dir, "old.db", NULL);
  g_autoptr(FoFamily) family = load_scenario ("herts", "sa-esa-13-weeks");
  g_autoptr(FoFamily) loaded = NULL;
  g_autofree char *before = canonical (family);
  g_autofree char *after = NULL;
  FoStore *old = fo_store_open_version (old_path, 1, &error);
  FoStore *store;

  g_assert_no_error (error);
  g_assert_cmpint (fo_store_schema_version (old), ==, 1);
  g_assert_true (fo_store_put_family (old, family, "tester", &error));
  fo_store_close (old);

  store = fo_store_open (old_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fo_store_schema_version (store), ==, FO_STORE_SCHEMA_VERSION);
  loaded = fo_store_load_family (store, family->reference, NULL, &error);
  g_assert_no_error (error);
  after = canonical (loaded);
  g_assert_cmpstr (before, ==, after);
  {
    FoCachedEvaluation cached = { 0, family->reference, (char *) "hash", 1, family->entry_date,
                                  TRUE, FALSE, 0, 0, (char *) "HERTS-4=identified" };
    FoCachedEvaluation read = { 0 };

    g_assert_true (fo_store_put_evaluation (store, &cached, &error));
    g_assert_true (fo_store_get_evaluation (store, family->reference, &read, &error));
    g_assert_cmpstr (read.issues, ==, "HERTS-4=identified");
    fo_cached_evaluation_clear (&read);
  }
  fo_store_close (store);
}

static void
exec_ok (FoStore    *store,
         const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (fo_store_get_db (store), sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static gint64
count_in (FoStore    *store,
          const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 count = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (fo_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return count;
}

/* A schema 2 file with a claim someone wrote by hand: schema 3 rebuilds the claims table
 * around it, keeps its audit records under the old hash scheme, and chains new ones on. */
static void
test_migration_v2 (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *old_path = g_build_filename (fixture->dir, "v2.db", NULL);
  g_autoptr(FoFamily) family = load_scenario ("herts", "equivalent-1-6-approved");
  g_autoptr(FoAuditReport) report = NULL;
  FoStore *old = fo_store_open_version (old_path, 2, &error);
  FoStore *store;
  gboolean legacy_reported = FALSE;

  g_assert_no_error (error);
  g_assert_true (fo_store_put_family (old, family, "tester", &error));
  exec_ok (old, "INSERT INTO claims (family_id, route, state, claim_date, prepared_by, snapshot)"
                " VALUES (1, 'full', 'submitted', '2026-08-01', 'Old Hand', '{\"legacy\": 1}')");
  fo_store_close (old);

  store = fo_store_open (old_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fo_store_schema_version (store), ==, 3);
  g_assert_cmpint (count_in (store, "SELECT count(*) FROM claims WHERE state = 'submitted' "
                                    "AND plan = 'herts' AND prepared_by = 'Old Hand' "
                                    "AND submission = 1"), ==, 1);
  g_assert_cmpint (count_in (store, "SELECT count(*) FROM users WHERE name = 'Old Hand' "
                                    "AND role = 'coordinator'"), ==, 1);
  g_assert_cmpint (count_in (store, "SELECT count(*) FROM claim_snapshots WHERE claim_id = 1 "
                                    "AND snapshot = '{\"legacy\": 1}'"), ==, 1);
  /* The new table's rules hold from now on. */
  g_assert_cmpint (sqlite3_exec (fo_store_get_db (store), "DELETE FROM claims", NULL, NULL,
                                 NULL), !=, SQLITE_OK);

  g_free (family->key_worker);
  family->key_worker = g_strdup ("D. Laterworker");
  g_assert_true (fo_store_put_family (store, family, "tester", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_in (store, "SELECT scheme FROM audit_log WHERE id = 1"), ==, 1);
  g_assert_cmpint (count_in (store, "SELECT scheme FROM audit_log WHERE id = 2"), ==, 2);

  /* Both schemes verify; the hand-written claim has no audit record, and that is reported. */
  report = fo_audit_verify (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->records, ==, 2);
  g_assert_cmpint (report->first_broken, ==, 0);
  for (guint i = 0; i < report->problems->len; i++)
    legacy_reported |= strstr (g_ptr_array_index (report->problems, i),
                               "claim 1 has no audit record") != NULL;
  g_assert_true (legacy_reported);
  g_assert_cmpuint (report->problems->len, ==, 1);
  fo_store_close (store);
}

typedef struct
{
  FoPlanSet *plans;
  FoDay      as_of;
  guint      families;
  guint      claimable;
} OneByOne;

static gboolean
count_one (FoFamily *family,
           gint64    family_id,
           gint64    version,
           gpointer  user_data)
{
  OneByOne *data = user_data;
  g_autoptr(FoFamily) owned = family;
  const FoPlan *plan = fo_plan_set_lookup (data->plans, family->plan);
  g_autoptr(FoEvaluation) evaluation = fo_evaluate (plan, family, data->as_of,
                                                    FO_EVALUATE_EXPLAIN);

  data->families++;
  data->claimable += evaluation->claimable;
  return TRUE;
}

/* The batch summary agrees with evaluating the families one by one, explained. */
static void
test_batch (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = scenario_files ();
  g_autoptr(FoPlanSet) plans = fo_plan_set_new ();
  g_autofree char *plans_dir = g_build_filename (SOURCE_DIR, "plans", NULL);
  FoBatchSummary summary;
  OneByOne one = { plans, 0, 0, 0 };
  FoCachedEvaluation cached = { 0 };

  g_assert_true (fo_day_parse ("2026-08-01", &one.as_of));
  g_assert_true (fo_plan_set_add_dir (plans, plans_dir, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < files->len; i++)
    {
      g_autoptr(FoFamily) family = fo_family_load_file (g_ptr_array_index (files, i), &error);

      g_assert_no_error (error);
      g_assert_true (fo_store_put_family (fixture->store, family, "tester", &error));
    }
  g_assert_true (fo_batch_evaluate (fixture->store, plans, one.as_of, TRUE, NULL, NULL, &summary,
                                    &error));
  g_assert_no_error (error);
  g_assert_true (fo_store_for_each_family (fixture->store, count_one, &one, &error));
  g_assert_cmpuint (summary.families, ==, files->len);
  g_assert_cmpuint (summary.families, ==, one.families);
  g_assert_cmpuint (summary.claimable_now, ==, one.claimable);
  g_assert_cmpuint (summary.claimable_now, >, 0);
  g_assert_cmpuint (summary.refreshed, ==, files->len);
  g_assert_cmpint (count_rows (fixture, "SELECT count(*) FROM evaluations"), ==, files->len);
  g_assert_true (fo_store_get_evaluation (fixture->store, "CBC-T01", &cached, &error));
  g_assert_true (cached.claimable);
  fo_cached_evaluation_clear (&cached);
}

/* The cache is brought up to date only where the data, the plan or the date moved on. */
static void
test_stale_cache (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FoPlanSet) plans = fo_plan_set_new ();
  g_autofree char *plans_dir = g_build_filename (SOURCE_DIR, "plans", NULL);
  g_autoptr(FoFamily) first = load_scenario ("cbc", "boundary-attendance-exactly-90");
  g_autoptr(FoFamily) second = load_scenario ("herts", "sa-esa-13-weeks");
  g_autoptr(GPtrArray) claimable = NULL;
  guint refreshed = 99;
  FoDay as_of, later;

  g_assert_true (fo_day_parse ("2026-08-01", &as_of));
  later = as_of + 1;
  g_assert_true (fo_plan_set_add_dir (plans, plans_dir, &error));
  g_assert_true (fo_store_put_family (fixture->store, first, "tester", &error));
  g_assert_true (fo_store_put_family (fixture->store, second, "tester", &error));

  g_assert_true (fo_batch_refresh_stale (fixture->store, plans, as_of, &refreshed, &error));
  g_assert_cmpuint (refreshed, ==, 2);
  g_assert_true (fo_batch_refresh_stale (fixture->store, plans, as_of, &refreshed, &error));
  g_assert_cmpuint (refreshed, ==, 0);

  g_free (first->key_worker);
  first->key_worker = g_strdup ("C. Otherworker");
  g_assert_true (fo_store_put_family (fixture->store, first, "tester", &error));
  g_assert_true (fo_batch_refresh_stale (fixture->store, plans, as_of, &refreshed, &error));
  g_assert_cmpuint (refreshed, ==, 1);

  g_assert_true (fo_batch_refresh_stale (fixture->store, plans, later, &refreshed, &error));
  g_assert_cmpuint (refreshed, ==, 2);

  /* Both scenario families are claimable by this date, and the cache says so. */
  claimable = fo_store_cached_claimable (fixture->store, later, later + 92, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claimable->len, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/store/open", test_open);
  ADD ("/store/round-trip", test_round_trip);
  ADD ("/store/update-delete-audit", test_update_delete_audit);
  ADD ("/store/constraints", test_constraints);
  ADD ("/store/migration", test_migration);
  ADD ("/store/migration-v2", test_migration_v2);
  ADD ("/store/batch", test_batch);
  ADD ("/store/stale-cache", test_stale_cache);
#undef ADD
  return g_test_run ();
}
