/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-claims"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "fo-audit.h"
#include "fo-batch.h"
#include "fo-claims.h"
#include "fo-demo.h"
#include "fo-explain.h"
#include "fo-store.h"

/* The claim lifecycle as the people using it meet it: who may do what, what a claim is frozen
 * on, and what the audit log shows when someone goes behind the application's back. Families
 * are the hand-checked scenarios; every claim is dated 2026-08-01. */

#define ANN "Ann Example"        /* coordinator */
#define CATH "Cath Worker"       /* coordinator */
#define SAM "Sam Super"          /* supervisor */
#define SUE "Sue Visor"          /* supervisor */
#define BEA "Bea Manager"        /* supervisor, the plan's business_manager */
#define HAL "Hal Head"           /* supervisor, the plan's head_of_eh_ifs */
#define AUD "Aud Itor"           /* auditor */

typedef struct
{
  char      *dir;
  char      *path;
  FoStore   *store;
  FoPlanSet *plans;
  FoDay      date;
} Fixture;

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

/* The scenario without its records of one evidence type: the same family, a fact less. */
static FoFamily *
load_scenario_without (const char *plan,
                       const char *name,
                       const char *evidence_type)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_strdup_printf ("%s/tests/scenarios/%s/%s.family.json", SOURCE_DIR,
                                           plan, name);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *events, *kept = json_array_new ();
  JsonObject *root;
  FoFamily *family;

  g_assert_true (json_parser_load_from_file (parser, file, &error));
  root = json_node_get_object (json_parser_get_root (parser));
  events = json_object_get_array_member (root, "events");
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (event, "type", NULL),
                     evidence_type) != 0)
        json_array_add_element (kept, json_node_copy (json_array_get_element (events, i)));
    }
  g_assert_cmpuint (json_array_get_length (kept), <, json_array_get_length (events));
  json_object_set_array_member (root, "events", kept);
  family = fo_family_load_node (file, json_parser_get_root (parser), &error);
  g_assert_no_error (error);
  return family;
}

static void
put_scenario (Fixture    *fixture,
              const char *plan,
              const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FoFamily) family = load_scenario (plan, name);

  g_assert_true (fo_store_put_family (fixture->store, family, "tester", &error));
  g_assert_no_error (error);
}

static void
add_user (FoStore    *store,
          const char *name,
          FoUserRole  role,
          const char *plan_role)
{
  g_autoptr(GError) error = NULL;
  const char *roles[] = { plan_role, NULL };

  g_assert_true (fo_users_add (store, role == FO_USER_SUPERVISOR ? NULL : SAM, name, role,
                               roles, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *plans_dir = g_build_filename (SOURCE_DIR, "plans", NULL);

  fixture->dir = g_dir_make_tmp ("fo-claims-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "families.db", NULL);
  fixture->store = fo_store_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->plans = fo_plan_set_new ();
  g_assert_true (fo_plan_set_add_dir (fixture->plans, plans_dir, &error));
  g_assert_no_error (error);
  g_assert_true (fo_day_parse ("2026-08-01", &fixture->date));

  /* The first supervisor sets the database up; the rest are added by a supervisor. */
  g_assert_true (fo_users_add (fixture->store, NULL, SAM, FO_USER_SUPERVISOR, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (fo_users_add (fixture->store, SAM, SUE, FO_USER_SUPERVISOR, NULL, &error));
  add_user (fixture->store, ANN, FO_USER_COORDINATOR, NULL);
  add_user (fixture->store, CATH, FO_USER_COORDINATOR, NULL);
  g_assert_true (fo_users_add (fixture->store, SAM, BEA, FO_USER_SUPERVISOR,
                               (const char *[]) { "business_manager", NULL }, &error));
  g_assert_true (fo_users_add (fixture->store, SAM, HAL, FO_USER_SUPERVISOR,
                               (const char *[]) { "head_of_eh_ifs", NULL }, &error));
  g_assert_no_error (error);
  add_user (fixture->store, AUD, FO_USER_AUDITOR, NULL);

  put_scenario (fixture, "herts", "claimable-regression-check");     /* HERTS-T-010, full */
  put_scenario (fixture, "herts", "equivalent-1-6-approved");        /* HERTS-T-006, 1.6 */
  put_scenario (fixture, "herts", "gate-blocks-claim");              /* HERTS-T-003, discretion */
  put_scenario (fixture, "herts", "cp-3-3-stepped-back-up");         /* HERTS-T-009, not yet */
  put_scenario (fixture, "herts", "sa-esa-13-weeks");                /* HERTS-T-002, stand-alone */
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_pointer (&fixture->store, fo_store_close);
  g_clear_pointer (&fixture->plans, fo_plan_set_free);
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

static gint64
prepare (Fixture    *fixture,
         const char *actor,
         const char *reference,
         const char *route)
{
  g_autoptr(GError) error = NULL;
  gint64 id = fo_claims_prepare (fixture->store, fixture->plans, actor, reference, route,
                                 fixture->date, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
submit (Fixture    *fixture,
        const char *actor,
        gint64      id)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (fo_claims_submit (fixture->store, fixture->plans, actor, id, &error));
  g_assert_no_error (error);
}

static void
approve (Fixture    *fixture,
         const char *actor,
         gint64      id)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (fo_claims_approve (fixture->store, fixture->plans, actor, id, &error));
  g_assert_no_error (error);
}

static FoClaim *
get (Fixture *fixture,
     gint64   id)
{
  g_autoptr(GError) error = NULL;
  FoClaim *claim = fo_claims_get (fixture->store, id, TRUE, &error);

  g_assert_no_error (error);
  return claim;
}

static FoClaimState
state_of (Fixture *fixture,
          gint64   id)
{
  g_autoptr(FoClaim) claim = get (fixture, id);

  return claim->state;
}

static gint64
count_rows (FoStore    *store,
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

static char *
family_sha256 (Fixture    *fixture,
               const char *reference)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FoFamily) family = fo_store_load_family (fixture->store, reference, NULL, &error);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  node = fo_family_to_json (family);
  text = json_to_string (node, FALSE);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

static FoDay
today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return fo_day_from_dmy (g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                          g_date_time_get_year (now));
}

/* draft → submitted → approved → returned → reversed, and the family claimable again. */
static void
test_lifecycle (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FoClaim) claim = NULL;
  g_autoptr(JsonNode) snapshot = NULL;
  g_autofree char *sha = family_sha256 (fixture, "HERTS-T-010");
  g_autoptr(GPtrArray) history = NULL;
  const FoPlan *plan = fo_plan_set_lookup (fixture->plans, "herts");
  JsonObject *root;
  gint64 id, again;
  static const char *const actions[] = { "prepare", "submit", "approve", "return", "reverse" };

  id = prepare (fixture, ANN, "HERTS-T-010", NULL);
  claim = get (fixture, id);
  g_assert_cmpint (claim->state, ==, FO_CLAIM_DRAFT);
  g_assert_cmpstr (claim->route, ==, "full");
  g_assert_cmpstr (claim->plan, ==, "herts");
  g_assert_cmpstr (claim->prepared_by, ==, ANN);
  g_assert_cmpuint (claim->claim_date, ==, fixture->date);
  g_assert_null (claim->snapshot);
  g_clear_pointer (&claim, fo_claim_free);

  submit (fixture, ANN, id);
  claim = get (fixture, id);
  g_assert_cmpint (claim->state, ==, FO_CLAIM_SUBMITTED);
  g_assert_cmpint (claim->submission, ==, 1);
  g_assert_cmpstr (claim->submitted_by, ==, ANN);
  /* Frozen: what the claim is judged on. */
  g_assert_cmpstr (claim->family_sha256, ==, sha);
  g_assert_cmpstr (claim->plan_sha256, ==, plan->content_hash);
  g_assert_cmpstr (claim->plan_version, ==, "2018-01");
  g_assert_nonnull (claim->snapshot);
  {
    g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, claim->snapshot,
                                                           -1);

    g_assert_cmpstr (hash, ==, claim->snapshot_sha256);
  }
  snapshot = json_from_string (claim->snapshot, &error);
  g_assert_no_error (error);
  root = json_node_get_object (snapshot);
  {
    JsonObject *evaluation = json_object_get_object_member (root, "evaluation");
    JsonObject *family = json_object_get_object_member (root, "family");
    JsonArray *issues = json_object_get_array_member (evaluation, "issues");
    JsonObject *first = json_array_get_object_element (issues, 0);
    JsonObject *indicator = json_array_get_object_element (
      json_object_get_array_member (first, "indicators"), 0);
    g_autoptr(JsonNode) data_node = json_node_copy (json_object_get_member (family, "data"));
    g_autoptr(FoFamily) judged = fo_family_load_node ("snapshot", data_node, &error);
    g_autoptr(JsonNode) judged_node = NULL;
    g_autofree char *judged_text = NULL;
    g_autofree char *judged_sha = NULL;

    g_assert_true (json_object_get_boolean_member (evaluation, "claimable"));
    g_assert_cmpstr (json_object_get_string_member (evaluation, "as_of"), ==, "2026-08-01");
    g_assert_cmpstr (json_object_get_string_member (evaluation, "route"), ==, "full");
    g_assert_cmpstr (json_object_get_string_member (family, "sha256"), ==, sha);
    /* The explanations are kept, not just the verdict. */
    g_assert_true (json_object_has_member (indicator, "reason"));
    /* The family data in the snapshot is the data whose hash was recorded. */
    g_assert_no_error (error);
    judged_node = fo_family_to_json (judged);
    judged_text = json_to_string (judged_node, FALSE);
    judged_sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, judged_text, -1);
    g_assert_cmpstr (judged_sha, ==, sha);
  }
  g_clear_pointer (&claim, fo_claim_free);

  approve (fixture, SAM, id);
  claim = get (fixture, id);
  g_assert_cmpint (claim->state, ==, FO_CLAIM_APPROVED);
  g_assert_cmpstr (claim->decided_by, ==, SAM);
  g_clear_pointer (&claim, fo_claim_free);

  /* An approved claim is never edited, submitted or decided again. */
  g_assert_false (fo_claims_edit (fixture->store, fixture->plans, ANN, id, NULL,
                                  fixture->date - 1, &error));
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_STATE);
  g_clear_error (&error);
  g_assert_false (fo_claims_reject (fixture->store, SUE, id, "second thoughts", &error));
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_STATE);
  g_clear_error (&error);
  g_assert_false (fo_claims_withdraw (fixture->store, ANN, id, NULL, &error));
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_STATE);
  g_clear_error (&error);
  /* Nor can a second claim be made for the family while this one stands. */
  g_assert_cmpint (fo_claims_prepare (fixture->store, fixture->plans, CATH, "HERTS-T-010", NULL,
                                      fixture->date, &error), ==, 0);
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_true (fo_claims_mark_returned (fixture->store, SAM, &id, 1, "2026-Q3", &error));
  g_assert_no_error (error);
  claim = get (fixture, id);
  g_assert_cmpint (claim->state, ==, FO_CLAIM_RETURNED);
  g_assert_cmpstr (claim->return_ref, ==, "2026-Q3");
  g_clear_pointer (&claim, fo_claim_free);

  /* A correction is a reversal, with a reason. */
  g_assert_false (fo_claims_reverse (fixture->store, SAM, id, "  ", &error));
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (fo_claims_reverse (fixture->store, SAM, id, "wrong claim date", &error));
  g_assert_no_error (error);
  claim = get (fixture, id);
  g_assert_cmpint (claim->state, ==, FO_CLAIM_REVERSED);
  g_assert_cmpstr (claim->end_reason, ==, "wrong claim date");
  g_assert_cmpstr (claim->decided_by, ==, SAM);
  g_clear_pointer (&claim, fo_claim_free);

  again = prepare (fixture, CATH, "HERTS-T-010", "full");
  g_assert_cmpint (again, !=, id);

  /* Every transition is in the audit log with the claim before and after. */
  history = fo_audit_history (fixture->store, "HERTS-T-010", &error);
  g_assert_no_error (error);
  {
    g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
    guint seen = 0;

    for (guint i = 0; i < history->len; i++)
      {
        const FoAuditRecord *record = g_ptr_array_index (history, i);

        if (g_strcmp0 (record->entity, "claim") != 0 ||
            g_strcmp0 (record->entity_id, id_text) != 0)
          continue;
        g_assert_cmpuint (seen, <, G_N_ELEMENTS (actions));
        g_assert_cmpstr (record->action, ==, actions[seen]);
        g_assert_true (seen == 0 ? record->before == NULL : record->before != NULL);
        g_assert_nonnull (record->after);
        seen++;
      }
    g_assert_cmpuint (seen, ==, G_N_ELEMENTS (actions));
    /* The family's own record comes first. */
    g_assert_cmpstr (((FoAuditRecord *) g_ptr_array_index (history, 0))->entity, ==, "family");
  }
  {
    g_autoptr(FoAuditReport) report = fo_audit_verify (fixture->store, &error);

    g_assert_no_error (error);
    g_assert_true (fo_audit_report_ok (report));
  }
}

/* A rejected claim goes back to its coordinator, who edits and resubmits it, or withdraws it. */
static void
test_reject_resubmit (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FoClaim) claim = NULL;
  gint64 id = prepare (fixture, ANN, "HERTS-T-010", NULL);

  submit (fixture, ANN, id);
  g_assert_false (fo_claims_reject (fixture->store, SAM, id, "", &error));
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (fo_claims_reject (fixture->store, SAM, id, "attach the regression check",
                                   &error));
  g_assert_no_error (error);
  claim = get (fixture, id);
  g_assert_cmpint (claim->state, ==, FO_CLAIM_REJECTED);
  g_assert_cmpstr (claim->decision_reason, ==, "attach the regression check");
  g_clear_pointer (&claim, fo_claim_free);

  /* Not approvable now; only its preparer edits it. */
  g_assert_false (fo_claims_approve (fixture->store, fixture->plans, SUE, id, &error));
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_STATE);
  g_clear_error (&error);
  g_assert_false (fo_claims_edit (fixture->store, fixture->plans, CATH, id, NULL,
                                  fixture->date - 10, &error));
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, ANN));
  g_clear_error (&error);
  /* An edit is judged again: before the regression check the family was not claimable. */
  g_assert_false (fo_claims_edit (fixture->store, fixture->plans, ANN, id, NULL,
                                  fixture->date - 120, &error));
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_NOT_CLAIMABLE);
  g_clear_error (&error);
  g_assert_cmpint (state_of (fixture, id), ==, FO_CLAIM_REJECTED);
  g_assert_true (fo_claims_edit (fixture->store, fixture->plans, ANN, id, NULL,
                                 fixture->date - 10, &error));
  g_assert_no_error (error);
  claim = get (fixture, id);
  g_assert_cmpint (claim->state, ==, FO_CLAIM_DRAFT);
  g_assert_cmpuint (claim->claim_date, ==, fixture->date - 10);
  g_clear_pointer (&claim, fo_claim_free);

  submit (fixture, ANN, id);
  claim = get (fixture, id);
  g_assert_cmpint (claim->submission, ==, 2);
  g_assert_null (claim->decided_by);
  g_assert_null (claim->decision_reason);
  g_clear_pointer (&claim, fo_claim_free);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM claim_snapshots"), ==, 2);

  /* Withdrawn by its preparer (not by another coordinator), and then final. */
  g_assert_false (fo_claims_withdraw (fixture->store, CATH, id, NULL, &error));
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_true (fo_claims_withdraw (fixture->store, ANN, id, "family moved away", &error));
  g_assert_no_error (error);
  g_assert_cmpint (state_of (fixture, id), ==, FO_CLAIM_WITHDRAWN);
  g_assert_false (fo_claims_submit (fixture->store, fixture->plans, ANN, id, &error));
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_STATE);
}

/* Nobody approves or rejects a claim they prepared or submitted: in the store, and in the
 * schema for a write that skips the store. */
static void
test_four_eyes (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db = fo_store_get_db (fixture->store);
  char *message = NULL;
  g_autofree char *sql = NULL;
  gint64 own, other;

  own = prepare (fixture, SAM, "HERTS-T-010", NULL);
  submit (fixture, SAM, own);
  g_assert_false (fo_claims_approve (fixture->store, fixture->plans, SAM, own, &error));
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_FOUR_EYES);
  g_assert_cmpstr (error->message, ==,
                   "Sam Super prepared this claim, so someone else must approve it");
  g_clear_error (&error);
  g_assert_false (fo_claims_reject (fixture->store, SAM, own, "never mind", &error));
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_FOUR_EYES);
  g_clear_error (&error);

  /* Submitting counts as much as preparing. */
  other = prepare (fixture, ANN, "HERTS-T-002", NULL);
  submit (fixture, SUE, other);
  g_assert_false (fo_claims_approve (fixture->store, fixture->plans, SUE, other, &error));
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_FOUR_EYES);
  g_assert_nonnull (strstr (error->message, "submitted this claim"));
  g_clear_error (&error);

  /* Straight to the database: the trigger refuses it, whoever the row names. */
  sql = g_strdup_printf ("UPDATE claims SET state = 'approved', decided_by = '%s', "
                         "decided_at = 'x', changed_by = '%s' WHERE id = %" G_GINT64_FORMAT,
                         SAM, SAM, own);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, &message), !=, SQLITE_OK);
  g_assert_nonnull (strstr (message, "four eyes"));
  sqlite3_free (message);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE claims SET state = 'approved', "
                                     "decided_by = 'Ann Example', changed_by = 'Ann Example' "
                                     "WHERE id = 1", NULL, NULL, &message), !=, SQLITE_OK);
  g_assert_nonnull (strstr (message, "only a supervisor"));
  sqlite3_free (message);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE claims SET state = 'approved' WHERE id = 1",
                                 NULL, NULL, &message), !=, SQLITE_OK);
  sqlite3_free (message);
  g_assert_cmpint (state_of (fixture, own), ==, FO_CLAIM_SUBMITTED);

  /* Another supervisor may; and then the row is frozen, even to SQL. */
  approve (fixture, SUE, own);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE claims SET route = 'discretion', "
                                     "changed_by = 'Sue Visor' WHERE id = 1", NULL, NULL,
                                 &message), !=, SQLITE_OK);
  g_assert_nonnull (strstr (message, "not allowed"));
  sqlite3_free (message);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE claims SET state = 'returned', route = 'discretion',"
                                     " changed_by = 'Sue Visor' WHERE id = 1", NULL, NULL,
                                 &message), !=, SQLITE_OK);
  g_assert_nonnull (strstr (message, "cannot be edited"));
  sqlite3_free (message);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM claims", NULL, NULL, NULL), !=, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE claim_snapshots SET snapshot = '{}'", NULL, NULL,
                                 NULL), !=, SQLITE_OK);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM claims"), ==, 2);
}

/* Auditors read and change nothing; only supervisors decide, return and reverse. */
static void
test_roles (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FoFamily) family = load_scenario ("herts", "sa-jsa-26-of-30");
  g_autoptr(GPtrArray) claims = NULL;
  gint64 id;

  g_assert_cmpint (fo_claims_prepare (fixture->store, fixture->plans, AUD, "HERTS-T-010", NULL,
                                      fixture->date, &error), ==, 0);
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "auditor"));
  g_clear_error (&error);
  g_assert_cmpint (fo_claims_prepare (fixture->store, fixture->plans, "Nobody Known",
                                      "HERTS-T-010", NULL, fixture->date, &error), ==, 0);
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_NOT_FOUND);
  g_clear_error (&error);

  id = prepare (fixture, ANN, "HERTS-T-010", NULL);
  g_assert_false (fo_claims_submit (fixture->store, fixture->plans, AUD, id, &error));
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_PERMISSION);
  g_clear_error (&error);
  submit (fixture, ANN, id);
  g_assert_false (fo_claims_approve (fixture->store, fixture->plans, AUD, id, &error));
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (fo_claims_approve (fixture->store, fixture->plans, CATH, id, &error));
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "only a supervisor"));
  g_clear_error (&error);
  g_assert_false (fo_claims_reject (fixture->store, CATH, id, "no", &error));
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (fo_claims_withdraw (fixture->store, AUD, id, NULL, &error));
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_PERMISSION);
  g_clear_error (&error);
  approve (fixture, SAM, id);
  g_assert_false (fo_claims_reverse (fixture->store, ANN, id, "mistake", &error));
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (fo_claims_reverse (fixture->store, AUD, id, "mistake", &error));
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (fo_claims_mark_returned (fixture->store, ANN, &id, 1, NULL, &error));
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_cmpint (state_of (fixture, id), ==, FO_CLAIM_APPROVED);

  /* Nor users, nor families: the audit log refuses any record written in an auditor's name. */
  g_assert_false (fo_users_add (fixture->store, AUD, "New Person", FO_USER_SUPERVISOR, NULL,
                                &error));
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (fo_users_add (fixture->store, ANN, "New Person", FO_USER_SUPERVISOR, NULL,
                                &error));
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (fo_users_add (fixture->store, SAM, ANN, FO_USER_SUPERVISOR, NULL, &error));
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_false (fo_store_put_family (fixture->store, family, AUD, &error));
  g_assert_nonnull (strstr (error->message, "auditors cannot change anything"));
  g_clear_error (&error);
  g_assert_null (fo_store_load_family (fixture->store, family->reference, NULL, NULL));

  /* Reading is for everyone. */
  claims = fo_claims_list (fixture->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claims->len, ==, 1);
}

/* Approval judges the family again: a change since submission stops it, with the reasons. */
static void
test_data_changed (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FoFamily) family = load_scenario ("herts", "claimable-regression-check");
  g_autoptr(FoFamily) weaker = load_scenario_without ("herts", "claimable-regression-check",
                                                      "regression_check");
  gint64 id = prepare (fixture, ANN, "HERTS-T-010", NULL);

  submit (fixture, ANN, id);

  /* The verdict still holds, but the data it was judged on is not the data now. */
  g_free (family->key_worker);
  family->key_worker = g_strdup ("N. Ewworker");
  g_assert_true (fo_store_put_family (fixture->store, family, "tester", &error));
  g_assert_false (fo_claims_approve (fixture->store, fixture->plans, SAM, id, &error));
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_CHANGED);
  g_assert_nonnull (strstr (error->message, "data changed since the claim was submitted"));
  g_assert_null (strstr (error->message, "not claimable"));
  g_clear_error (&error);

  /* The regression check is gone: no longer claimable either, and both are said. */
  g_assert_true (fo_store_put_family (fixture->store, weaker, "tester", &error));
  g_assert_false (fo_claims_approve (fixture->store, fixture->plans, SAM, id, &error));
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_CHANGED);
  g_assert_nonnull (strstr (error->message, "data changed since the claim was submitted"));
  g_assert_nonnull (strstr (error->message, "not claimable by route “full” as of 2026-08-01"));
  g_assert_nonnull (strstr (error->message, "regression_check"));
  g_clear_error (&error);
  g_assert_cmpint (state_of (fixture, id), ==, FO_CLAIM_SUBMITTED);

  /* Sent back, the data put right, resubmitted: a new snapshot, and approval goes through. */
  g_assert_true (fo_claims_reject (fixture->store, SAM, id, "data changed", &error));
  g_assert_false (fo_claims_submit (fixture->store, fixture->plans, ANN, id, &error));
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_NOT_CLAIMABLE);
  g_clear_error (&error);
  g_assert_true (fo_store_put_family (fixture->store, family, "tester", &error));
  submit (fixture, ANN, id);
  approve (fixture, SAM, id);
}

/* A claim needs a family the evaluator finds claimable, by a route of its plan, on the date. */
static void
test_not_claimable (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  FoDay tomorrow = today () + 1;

  g_assert_cmpint (fo_claims_prepare (fixture->store, fixture->plans, ANN, "HERTS-T-009", NULL,
                                      fixture->date, &error), ==, 0);
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_NOT_CLAIMABLE);
  g_assert_nonnull (strstr (error->message, "HERTS-T-009 is not claimable as of 2026-08-01"));
  g_clear_error (&error);
  g_assert_cmpint (fo_claims_prepare (fixture->store, fixture->plans, ANN, "HERTS-T-010",
                                      "discretion", fixture->date, &error), ==, 0);
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_NOT_CLAIMABLE);
  g_assert_nonnull (strstr (error->message, "by route “discretion”"));
  g_clear_error (&error);
  g_assert_cmpint (fo_claims_prepare (fixture->store, fixture->plans, ANN, "HERTS-T-010",
                                      "payment-by-magic", fixture->date, &error), ==, 0);
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "full, stand-alone-employment, discretion"));
  g_clear_error (&error);
  /* Before the regression check, the family was not yet claimable. */
  g_assert_cmpint (fo_claims_prepare (fixture->store, fixture->plans, ANN, "HERTS-T-010", NULL,
                                      fixture->date - 120, &error), ==, 0);
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_NOT_CLAIMABLE);
  g_clear_error (&error);
  g_assert_cmpint (fo_claims_prepare (fixture->store, fixture->plans, ANN, "HERTS-T-010", NULL,
                                      tomorrow, &error), ==, 0);
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (fo_claims_prepare (fixture->store, fixture->plans, ANN, "NO-SUCH", NULL,
                                      fixture->date, &error), ==, 0);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM claims"), ==, 0);
}

/* fo_evaluation_agreements () reads the plan: Herts 1.6's Business Manager, the Head of EH&IFS
 * for discretion, nobody otherwise. */
static void
test_agreements_of_plan (Fixture       *fixture,
                         gconstpointer  data)
{
  static const struct
  {
    const char *name;
    const char *route;
    const char *roles;
  } cases[] = {
    { "equivalent-1-6-approved", "full", "business_manager" },
    { "gate-blocks-claim", "discretion", "head_of_eh_ifs" },
    { "claimable-regression-check", "full", "" },
    { "sa-esa-13-weeks", "stand-alone-employment", "" },
    { "cp-3-3-stepped-back-up", "full", "" },
  };
  const FoPlan *plan = fo_plan_set_lookup (fixture->plans, "herts");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(FoFamily) family = load_scenario ("herts", cases[i].name);
      g_autoptr(FoEvaluation) evaluation = fo_evaluate (plan, family, fixture->date,
                                                        FO_EVALUATE_DEFAULT);

      for (guint r = 0; r < evaluation->routes->len; r++)
        {
          const FoRouteResult *route = g_ptr_array_index (evaluation->routes, r);
          g_auto(GStrv) roles = NULL;
          g_autofree char *joined = NULL;

          if (!g_str_equal (route->route->id, cases[i].route))
            continue;
          roles = fo_evaluation_agreements (evaluation, route);
          joined = g_strjoinv (",", roles);
          g_assert_cmpstr (joined, ==, cases[i].roles);
        }
    }
}

/* Herts 1.6 ("equivalent concern") needs the Business Manager's agreement, and a discretionary
 * claim the Head of EH&IFS's: approval waits for it. */
static void
test_herts_agreement (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FoClaim) claim = NULL;
  sqlite3 *db = fo_store_get_db (fixture->store);
  gint64 id = prepare (fixture, ANN, "HERTS-T-006", NULL);
  gint64 discretion, plain;

  submit (fixture, ANN, id);
  claim = get (fixture, id);
  g_assert_cmpstr (claim->needs_agreement_of[0], ==, "business_manager");
  g_assert_null (claim->needs_agreement_of[1]);
  g_assert_cmpuint (claim->agreements->len, ==, 0);
  g_clear_pointer (&claim, fo_claim_free);

  g_assert_false (fo_claims_approve (fixture->store, fixture->plans, SAM, id, &error));
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_NEEDS_AGREEMENT);
  g_assert_nonnull (strstr (error->message, "agreement of a business_manager"));
  g_clear_error (&error);
  /* The trigger holds the same line. */
  g_assert_cmpint (sqlite3_exec (db, "UPDATE claims SET state = 'approved', "
                                     "decided_by = 'Sam Super', changed_by = 'Sam Super' "
                                     "WHERE id = 1", NULL, NULL, NULL), !=, SQLITE_OK);

  /* Only someone holding the role, who did not prepare or submit it, agrees. */
  g_assert_false (fo_claims_agree (fixture->store, SAM, id, "business_manager", &error));
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (fo_claims_agree (fixture->store, ANN, id, "business_manager", &error));
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_FOUR_EYES);
  g_clear_error (&error);
  g_assert_false (fo_claims_agree (fixture->store, HAL, id, "head_of_eh_ifs", &error));
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO claim_agreements VALUES "
                                     "(1, 1, 'business_manager', 'Sam Super', 'x')",
                                 NULL, NULL, NULL), !=, SQLITE_OK);
  g_assert_true (fo_claims_agree (fixture->store, BEA, id, "business_manager", &error));
  g_assert_no_error (error);
  g_assert_false (fo_claims_agree (fixture->store, BEA, id, "business_manager", &error));
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_EXISTS);
  g_clear_error (&error);

  /* An agreement is for one submission: rejected and resubmitted, it is needed again. */
  g_assert_true (fo_claims_reject (fixture->store, SUE, id, "check the statement", &error));
  submit (fixture, ANN, id);
  g_assert_false (fo_claims_approve (fixture->store, fixture->plans, SAM, id, &error));
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_NEEDS_AGREEMENT);
  g_clear_error (&error);
  g_assert_true (fo_claims_agree (fixture->store, BEA, id, "business_manager", &error));
  approve (fixture, SAM, id);
  claim = get (fixture, id);
  g_assert_cmpuint (claim->agreements->len, ==, 1);
  g_assert_cmpstr (((FoClaimAgreement *) g_ptr_array_index (claim->agreements, 0))->agreed_by,
                   ==, BEA);
  g_clear_pointer (&claim, fo_claim_free);

  discretion = prepare (fixture, ANN, "HERTS-T-003", NULL);
  submit (fixture, ANN, discretion);
  claim = get (fixture, discretion);
  g_assert_cmpstr (claim->route, ==, "discretion");
  g_assert_cmpstr (claim->needs_agreement_of[0], ==, "head_of_eh_ifs");
  g_clear_pointer (&claim, fo_claim_free);
  g_assert_false (fo_claims_approve (fixture->store, fixture->plans, SAM, discretion, &error));
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_NEEDS_AGREEMENT);
  g_clear_error (&error);
  g_assert_true (fo_claims_agree (fixture->store, HAL, discretion, "head_of_eh_ifs", &error));
  approve (fixture, SAM, discretion);

  /* A claim the plan asks nothing more of needs no agreement. */
  plain = prepare (fixture, ANN, "HERTS-T-010", NULL);
  submit (fixture, ANN, plain);
  approve (fixture, SAM, plain);
}

/* The sign-off queue: what each person can act on, with its count. */
static void
test_queue (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) queue = NULL;
  FoClaimFilter filter = FO_CLAIM_FILTER_INIT;
  gint64 by_ann = prepare (fixture, ANN, "HERTS-T-010", NULL);
  gint64 by_sam = prepare (fixture, SAM, "HERTS-T-002", NULL);
  gint64 agreement = prepare (fixture, ANN, "HERTS-T-006", NULL);
  gint64 draft = prepare (fixture, ANN, "HERTS-T-003", NULL);

  submit (fixture, ANN, by_ann);
  submit (fixture, SAM, by_sam);
  submit (fixture, ANN, agreement);

  filter.queue_for = SAM;
  queue = fo_claims_list (fixture->store, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (queue->len, ==, 2);
  g_assert_cmpint (((FoClaim *) g_ptr_array_index (queue, 0))->id, ==, by_ann);
  g_assert_cmpint (((FoClaim *) g_ptr_array_index (queue, 1))->id, ==, agreement);
  g_assert_cmpint (fo_claims_count (fixture->store, &filter, &error), ==, 2);
  g_clear_pointer (&queue, g_ptr_array_unref);

  filter.queue_for = SUE;
  g_assert_cmpint (fo_claims_count (fixture->store, &filter, &error), ==, 3);
  filter.queue_for = ANN;
  g_assert_cmpint (fo_claims_count (fixture->store, &filter, &error), ==, 0);
  filter.queue_for = AUD;
  g_assert_cmpint (fo_claims_count (fixture->store, &filter, &error), ==, 0);

  filter.queue_for = NULL;
  filter.state = FO_CLAIM_DRAFT;
  queue = fo_claims_list (fixture->store, &filter, &error);
  g_assert_cmpuint (queue->len, ==, 1);
  g_assert_cmpint (((FoClaim *) g_ptr_array_index (queue, 0))->id, ==, draft);
  g_clear_pointer (&queue, g_ptr_array_unref);
  filter.state = -1;
  filter.reference = "HERTS-T-006";
  g_assert_cmpint (fo_claims_count (fixture->store, &filter, &error), ==, 1);
  g_assert_cmpint (fo_claims_count (fixture->store, NULL, &error), ==, 4);
  g_assert_no_error (error);
}

/* Tampering: each test builds a log, goes behind the store with SQL, and verifies. */
static void
build_log (Fixture *fixture)
{
  gint64 id = prepare (fixture, ANN, "HERTS-T-010", NULL);

  submit (fixture, ANN, id);
  approve (fixture, SAM, id);
}

static void
tamper (Fixture    *fixture,
        const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (fo_store_get_db (fixture->store), sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static FoAuditReport *
verify (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  FoAuditReport *report = fo_audit_verify (fixture->store, &error);

  g_assert_no_error (error);
  return report;
}

static gboolean
report_says (const FoAuditReport *report,
             const char          *text)
{
  for (guint i = 0; i < report->problems->len; i++)
    if (strstr (g_ptr_array_index (report->problems, i), text) != NULL)
      return TRUE;
  return FALSE;
}

static void
test_audit_intact (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(FoAuditReport) report = NULL;
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL;

  build_log (fixture);
  report = verify (fixture);
  g_assert_true (fo_audit_report_ok (report));
  g_assert_cmpint (report->first_broken, ==, 0);
  g_assert_cmpuint (report->records, ==,
                    count_rows (fixture->store, "SELECT count(*) FROM audit_log"));
  g_assert_cmpint (count_rows (fixture->store, "SELECT count(*) FROM audit_log "
                                               "WHERE scheme <> 2"), ==, 0);

  /* Scheme 2 covers the id and tells NULL from empty; scheme 1 did neither. */
  a = fo_store_audit_hash (2, 1, "t", "x", "y", "z", NULL, NULL, "{}", "");
  b = fo_store_audit_hash (2, 2, "t", "x", "y", "z", NULL, NULL, "{}", "");
  c = fo_store_audit_hash (2, 1, "t", "x", "y", "z", "", NULL, "{}", "");
  g_assert_cmpstr (a, !=, b);
  g_assert_cmpstr (a, !=, c);
  g_free (b);
  g_free (c);
  b = fo_store_audit_hash (1, 1, "t", "x", "y", "z", NULL, NULL, "{}", "");
  c = fo_store_audit_hash (1, 2, "t", "x", "y", "z", NULL, NULL, "{}", "");
  d = fo_store_audit_hash (2, 1, "t", "xy", "", "z", NULL, NULL, "{}", "");
  g_assert_cmpstr (b, ==, c);
  g_assert_cmpstr (a, !=, d);
}

static void
test_audit_edited (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(FoAuditReport) report = NULL;

  build_log (fixture);
  tamper (fixture, "DROP TRIGGER audit_log_no_update;"
                   "UPDATE audit_log SET actor = 'Mallory' WHERE id = 9");
  report = verify (fixture);
  g_assert_false (fo_audit_report_ok (report));
  g_assert_cmpint (report->first_broken, ==, 9);
  g_assert_nonnull (strstr (g_ptr_array_index (report->problems, 0), "audit record 9 was "
                                                                     "altered"));
  g_assert_true (report_says (report, "audit_log_no_update has been removed"));
}

/* Editing a record and recomputing its hash moves the break to the next record. */
static void
test_audit_rehashed (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(FoAuditReport) report = NULL;
  sqlite3 *db = fo_store_get_db (fixture->store);
  sqlite3_stmt *stmt = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *sql = NULL;
  const char *text[9];

  build_log (fixture);
  tamper (fixture, "DROP TRIGGER audit_log_no_update;"
                   "UPDATE audit_log SET actor = 'Mallory' WHERE id = 9");
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT at, actor, action, entity, entity_id, before,"
                                           " after, prev_hash FROM audit_log WHERE id = 9", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  for (int i = 0; i < 8; i++)
    text[i] = (const char *) sqlite3_column_text (stmt, i);
  hash = fo_store_audit_hash (2, 9, text[0], text[1], text[2], text[3], text[4], text[5],
                              text[6], text[7]);
  sqlite3_finalize (stmt);
  sql = g_strdup_printf ("UPDATE audit_log SET hash = '%s' WHERE id = 9", hash);
  tamper (fixture, sql);
  report = verify (fixture);
  g_assert_cmpint (report->first_broken, ==, 10);
  g_assert_nonnull (strstr (g_ptr_array_index (report->problems, 0),
                            "audit record 10 does not follow record 9"));
}

static void
test_audit_deleted (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(FoAuditReport) report = NULL;

  build_log (fixture);
  tamper (fixture, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 9");
  report = verify (fixture);
  g_assert_false (fo_audit_report_ok (report));
  g_assert_cmpint (report->first_broken, ==, 9);
  g_assert_nonnull (strstr (g_ptr_array_index (report->problems, 0),
                            "audit record 9 is missing"));
}

/* Two records swap places: each still hashes its own fields, but not its id or place. */
static void
test_audit_reordered (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(FoAuditReport) report = NULL;

  build_log (fixture);
  tamper (fixture, "DROP TRIGGER audit_log_no_update;"
                   "UPDATE audit_log SET id = -1 WHERE id = 9;"
                   "UPDATE audit_log SET id = 9 WHERE id = 10;"
                   "UPDATE audit_log SET id = 10 WHERE id = -1;");
  report = verify (fixture);
  g_assert_false (fo_audit_report_ok (report));
  g_assert_cmpint (report->first_broken, ==, 9);
  g_assert_nonnull (strstr (g_ptr_array_index (report->problems, 0), "audit record 9"));
}

/* The schema edited directly, so that the triggers vanish without DROP TRIGGER. */
static void
test_audit_writable_schema (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FoAuditReport) report = NULL;
  sqlite3 *db = NULL;
  int unused;

  build_log (fixture);
  g_clear_pointer (&fixture->store, fo_store_close);
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  sqlite3_db_config (db, SQLITE_DBCONFIG_DEFENSIVE, 0, &unused);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA writable_schema = ON;"
                                     "DELETE FROM sqlite_schema WHERE type = 'trigger' "
                                     "AND name LIKE 'audit_log_%';"
                                     "PRAGMA writable_schema = OFF;", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE audit_log SET after = '{}' WHERE id = 10", NULL,
                                 NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  fixture->store = fo_store_open (fixture->path, &error);
  g_assert_no_error (error);
  report = verify (fixture);
  g_assert_cmpint (report->first_broken, ==, 10);
  g_assert_true (report_says (report, "audit_log_no_update has been removed"));
}

/* A claim changed with SQL, or whose newest audit records were cut off, no longer matches. */
static void
test_audit_claims (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(FoAuditReport) report = NULL;
  g_autoptr(FoAuditReport) truncated = NULL;

  build_log (fixture);
  tamper (fixture, "DROP TRIGGER claims_update;"
                   "UPDATE claims SET route = 'discretion' WHERE id = 1");
  report = verify (fixture);
  g_assert_false (fo_audit_report_ok (report));
  g_assert_cmpint (report->first_broken, ==, 0);
  g_assert_true (report_says (report, "claim 1’s route is not what its last audit record"));
  g_assert_true (report_says (report, "claims_update has been removed"));

  /* The last record cut off: the chain before it is intact, but the claim says approved. */
  tamper (fixture, "UPDATE claims SET route = 'full' WHERE id = 1;"
                   "DROP TRIGGER audit_log_no_delete;"
                   "DELETE FROM audit_log WHERE id = (SELECT max (id) FROM audit_log)");
  truncated = verify (fixture);
  g_assert_cmpint (truncated->first_broken, ==, 0);
  g_assert_true (report_says (truncated, "claim 1’s state is not what its last audit record"));
}

/* A cohort of demo families, every claimable one claimed and approved. */
static guint
approve_demo_cohort (Fixture *fixture,
                     guint    n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) families = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                  fo_family_free);
  const FoPlan *plan = fo_plan_set_lookup (fixture->plans, "cbc");
  guint approved = 0;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (families, fo_demo_family (plan, 3, i, fixture->date));
  g_assert_true (fo_store_put_families (fixture->store, (FoFamily **) families->pdata,
                                        families->len, "tester", "demo", &error));
  g_assert_no_error (error);
  for (guint i = 0; i < families->len; i++)
    {
      FoFamily *family = g_ptr_array_index (families, i);
      g_autoptr(FoEvaluation) evaluation = fo_evaluate (plan, family, fixture->date,
                                                        FO_EVALUATE_DEFAULT);
      gint64 id;

      if (!evaluation->claimable)
        continue;
      id = prepare (fixture, ANN, family->reference, NULL);
      submit (fixture, ANN, id);
      approve (fixture, SAM, id);
      approved++;
    }
  return approved;
}

static char *
sample_ids (Fixture *fixture,
            double   percent,
            guint32  seed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sample = fo_claims_sample (fixture->store, percent, seed, 0, 0, &error);
  g_autoptr(GString) ids = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < sample->len; i++)
    {
      const FoClaim *claim = g_ptr_array_index (sample, i);

      g_assert_cmpint (claim->state, ==, FO_CLAIM_APPROVED);
      if (i > 0)
        g_assert_cmpint (((FoClaim *) g_ptr_array_index (sample, i - 1))->id, <, claim->id);
      g_string_append_printf (ids, "%" G_GINT64_FORMAT " ", claim->id);
    }
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

static guint
count_words (const char *text)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);
  guint n = 0;

  for (guint i = 0; words[i] != NULL; i++)
    n += words[i][0] != '\0';
  return n;
}

static void
test_sample (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint approved = approve_demo_cohort (fixture, 60);
  g_autofree char *first = NULL, *again = NULL, *other = NULL, *all = NULL, *reopened = NULL;
  g_autofree char *tiny = NULL;

  g_assert_cmpuint (approved, >=, 15);
  first = sample_ids (fixture, 25, 1);
  again = sample_ids (fixture, 25, 1);
  other = sample_ids (fixture, 25, 2);
  g_assert_cmpstr (first, ==, again);
  /* C(n, n/4) samples are possible: two seeds agree with a chance below 1 in 10,000. */
  g_assert_cmpstr (first, !=, other);
  g_assert_cmpuint (count_words (first), ==, (approved + 3) / 4);
  all = sample_ids (fixture, 100, 9);
  g_assert_cmpuint (count_words (all), ==, approved);
  /* Rounded up: any sample of a non-empty set draws something. */
  tiny = sample_ids (fixture, 0.1, 1);
  g_assert_cmpuint (count_words (tiny), ==, 1);

  /* The same seed on the same claims, read through another connection: the same sample. */
  g_clear_pointer (&fixture->store, fo_store_close);
  fixture->store = fo_store_open (fixture->path, &error);
  g_assert_no_error (error);
  reopened = sample_ids (fixture, 25, 1);
  g_assert_cmpstr (first, ==, reopened);

  g_assert_null (fo_claims_sample (fixture->store, 0, 1, 0, 0, &error));
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_INVALID);
}

static GPtrArray *
csv_lines (const char *csv)
{
  g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_ptr_array_add (rows, g_strsplit (lines[i], ",", -1));
  return rows;
}

static const char *
field (GPtrArray  *rows,
       guint       row,
       const char *name)
{
  char **header = g_ptr_array_index (rows, 0);
  char **values = g_ptr_array_index (rows, row);

  for (guint i = 0; header[i] != NULL; i++)
    if (g_str_equal (header[i], name))
      {
        g_assert_cmpuint (i, <, g_strv_length (values));
        return values[i];
      }
  g_error ("no column %s", name);
}

static void
test_export (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) returnable = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *csv = NULL;
  FoDay now = today ();
  gint64 full = prepare (fixture, ANN, "HERTS-T-006", NULL);
  gint64 pending = prepare (fixture, CATH, "HERTS-T-010", NULL);

  submit (fixture, ANN, full);
  g_assert_true (fo_claims_agree (fixture->store, BEA, full, "business_manager", &error));
  approve (fixture, SAM, full);
  submit (fixture, CATH, pending);

  csv = fo_claims_export_csv (fixture->store, now - 30, now, returnable, &error);
  g_assert_no_error (error);
  rows = csv_lines (csv);
  /* The header and one line: the submitted claim is not approved, so not in the return. */
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpstr (field (rows, 1, "record"), ==, "claim");
  g_assert_cmpstr (field (rows, 1, "family_reference"), ==, "HERTS-T-006");
  g_assert_cmpstr (field (rows, 1, "plan"), ==, "herts");
  g_assert_cmpstr (field (rows, 1, "route"), ==, "full");
  g_assert_cmpstr (field (rows, 1, "issues_identified"), ==, "HERTS-1;HERTS-6");
  g_assert_cmpstr (field (rows, 1, "issues_progressed"), ==, "HERTS-1;HERTS-6");
  g_assert_cmpstr (field (rows, 1, "entry_date"), ==, "2025-09-01");
  g_assert_cmpstr (field (rows, 1, "claimable_from"), ==, "2026-02-12");
  g_assert_cmpstr (field (rows, 1, "claim_date"), ==, "2026-08-01");
  g_assert_cmpstr (field (rows, 1, "prepared_by"), ==, ANN);
  g_assert_cmpstr (field (rows, 1, "approved_by"), ==, SAM);
  g_assert_cmpstr (field (rows, 1, "agreed_by"), ==, "business_manager=" BEA);
  g_assert_cmpstr (field (rows, 1, "returned_on"), ==, "");
  g_assert_cmpuint (strlen (field (rows, 1, "snapshot_sha256")), ==, 64);
  {
    char day[11];

    fo_day_format_buf (now, day);
    g_assert_cmpstr (field (rows, 1, "approved_on"), ==, day);
  }
  g_assert_cmpuint (returnable->len, ==, 1);
  g_assert_cmpint (g_array_index (returnable, gint64, 0), ==, full);
  g_clear_pointer (&rows, g_ptr_array_unref);
  g_clear_pointer (&csv, g_free);

  /* A period that ends before today's approval lists nothing. */
  csv = fo_claims_export_csv (fixture->store, now - 30, now - 1, NULL, &error);
  rows = csv_lines (csv);
  g_assert_cmpuint (rows->len, ==, 1);
  g_clear_pointer (&rows, g_ptr_array_unref);
  g_clear_pointer (&csv, g_free);

  /* Included in a return, then reversed: the next export tells the council to take it out. */
  g_assert_true (fo_claims_mark_returned (fixture->store, SAM,
                                          (gint64 *) returnable->data, returnable->len,
                                          "2026-Q4", &error));
  g_assert_false (fo_claims_mark_returned (fixture->store, SAM, &full, 1, "again", &error));
  g_assert_error (error, FO_CLAIM_ERROR, FO_CLAIM_ERROR_STATE);
  g_clear_error (&error);
  g_assert_true (fo_claims_reverse (fixture->store, SUE, full, "statement withdrawn", &error));
  g_array_set_size (returnable, 0);
  csv = fo_claims_export_csv (fixture->store, now, now, returnable, &error);
  g_assert_no_error (error);
  rows = csv_lines (csv);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpstr (field (rows, 1, "record"), ==, "reversal");
  g_assert_cmpstr (field (rows, 1, "return_ref"), ==, "2026-Q4");
  g_assert_cmpstr (field (rows, 1, "family_reference"), ==, "HERTS-T-006");
  g_assert_cmpuint (returnable->len, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/claims/lifecycle", test_lifecycle);
  ADD ("/claims/reject-resubmit", test_reject_resubmit);
  ADD ("/claims/four-eyes", test_four_eyes);
  ADD ("/claims/roles", test_roles);
  ADD ("/claims/data-changed", test_data_changed);
  ADD ("/claims/not-claimable", test_not_claimable);
  ADD ("/claims/agreements-of-plan", test_agreements_of_plan);
  ADD ("/claims/herts-agreement", test_herts_agreement);
  ADD ("/claims/queue", test_queue);
  ADD ("/claims/audit/intact", test_audit_intact);
  ADD ("/claims/audit/edited", test_audit_edited);
  ADD ("/claims/audit/rehashed", test_audit_rehashed);
  ADD ("/claims/audit/deleted", test_audit_deleted);
  ADD ("/claims/audit/reordered", test_audit_reordered);
  ADD ("/claims/audit/writable-schema", test_audit_writable_schema);
  ADD ("/claims/audit/claims", test_audit_claims);
  ADD ("/claims/sample", test_sample);
  ADD ("/claims/export", test_export);
#undef ADD
  return g_test_run ();
}
