/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fo-audit"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "fo-audit.h"
#include "fo-store-private.h"

/*
 * Checking the audit log against itself and the claims against the log. The log's triggers
 * stop an UPDATE or DELETE through SQL, but not someone who drops them first or edits the file:
 * this recomputes every hash, so such an edit shows. What a hash chain cannot show alone is
 * the loss of its newest records; the claims' cross-check and the head hash, written down
 * elsewhere, cover that.
 */

/* Problems past this many add nothing a person would read. */
#define MAX_PROBLEMS 50

void
fo_audit_record_free (FoAuditRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->at);
  g_free (record->actor);
  g_free (record->action);
  g_free (record->entity);
  g_free (record->entity_id);
  g_free (record->before);
  g_free (record->after);
  g_free (record);
}

void
fo_audit_report_free (FoAuditReport *report)
{
  if (report == NULL)
    return;
  g_free (report->head_hash);
  g_clear_pointer (&report->problems, g_ptr_array_unref);
  g_free (report);
}

gboolean
fo_audit_report_ok (const FoAuditReport *report)
{
  g_return_val_if_fail (report != NULL, FALSE);
  return report->problems->len == 0;
}

static void
problem (FoAuditReport *report,
         gint64         record,
         char          *text)
{
  if (record != 0 && report->first_broken == 0)
    report->first_broken = record;
  if (report->problems->len < MAX_PROBLEMS)
    g_ptr_array_add (report->problems, text);
  else
    g_free (text);
}

static const char *const log_triggers[] = { "audit_log_no_update", "audit_log_no_delete", NULL };
static const char *const claim_triggers[] = {
  "audit_log_no_auditors", "claims_no_delete", "claims_insert", "claims_update",
  "claim_snapshots_insert", "claim_snapshots_no_update", "claim_snapshots_no_delete",
  "claim_agreements_insert", "claim_agreements_no_update", "claim_agreements_no_delete", NULL
};

static gboolean
check_triggers (FoStore        *store,
                FoAuditReport  *report,
                GError        **error)
{
  sqlite3_stmt *stmt = _fo_store_statement (store, "SELECT 1 FROM sqlite_schema "
                                                   "WHERE type = 'trigger' AND name = ?", error);

  if (stmt == NULL)
    return FALSE;
  for (guint set = 0; set < 2; set++)
    {
      const char *const *names = set == 0 ? log_triggers : claim_triggers;

      if (set == 1 && fo_store_schema_version (store) < 3)
        break;
      for (guint i = 0; names[i] != NULL; i++)
        {
          sqlite3_reset (stmt);
          _fo_store_bind_text (stmt, 1, names[i]);
          if (sqlite3_step (stmt) != SQLITE_ROW)
            problem (report, 0, g_strdup_printf (_("the protecting trigger %s has been removed"),
                                                 names[i]));
        }
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
check_chain (FoStore        *store,
             FoAuditReport  *report,
             GError        **error)
{
  gboolean schemes = fo_store_schema_version (store) >= 3;
  sqlite3_stmt *stmt;
  g_autofree char *prev_hash = g_strdup ("");
  long long prev_id = 0;
  int prev_scheme = 1;

  /* The scheme column arrived with schema 3; before it every record used scheme 1. */
  if (schemes)
    stmt = _fo_store_statement (store, "SELECT id, at, actor, action, entity, entity_id, before, "
                                       "after, prev_hash, hash, scheme FROM audit_log "
                                       "ORDER BY id", error);
  else
    stmt = _fo_store_statement (store, "SELECT id, at, actor, action, entity, entity_id, before, "
                                       "after, prev_hash, hash, 1 FROM audit_log ORDER BY id",
                                error);
  if (stmt == NULL)
    return FALSE;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      long long id = sqlite3_column_int64 (stmt, 0);
      const char *text[9];
      int scheme = sqlite3_column_int (stmt, 10);
      g_autofree char *hash = NULL;

      for (int i = 0; i < 9; i++)
        text[i] = (const char *) sqlite3_column_text (stmt, i + 1);
      report->records++;

      if (id != prev_id + 1)
        problem (report, prev_id + 1,
                 id == prev_id + 2
                 ? g_strdup_printf (_("audit record %lld is missing: the log goes "
                                      "from %lld to %lld"),
                                    prev_id + 1, prev_id, id)
                 : g_strdup_printf (_("audit records %lld to %lld"
                                      " are missing"), prev_id + 1, id - 1));
      if (g_strcmp0 (text[7], prev_hash) != 0)
        problem (report, id,
                 prev_id == 0
                 ? g_strdup_printf (_("audit record %lld should start the log, "
                                      "but it names a previous record"), id)
                 : g_strdup_printf (_("audit record %lld does not follow record "
                                      "%lld: records were deleted, inserted or "
                                      "reordered"), id, prev_id));
      if ((scheme != 1 && scheme != 2) || scheme < prev_scheme)
        problem (report, id, g_strdup_printf (_("audit record %lld claims an "
                                                "older or unknown hash scheme"), id));
      else
        {
          hash = fo_store_audit_hash (scheme, id, text[0], text[1], text[2], text[3], text[4],
                                      text[5], text[6], text[7]);
          if (g_strcmp0 (hash, text[8]) != 0)
            problem (report, id, g_strdup_printf (_("audit record %lld was "
                                                    "altered: its contents do not match its "
                                                    "hash"), id));
        }
      g_free (prev_hash);
      prev_hash = g_strdup (text[8] != NULL ? text[8] : "");
      prev_id = id;
      prev_scheme = MAX (prev_scheme, scheme);
    }
  sqlite3_reset (stmt);
  report->head_hash = g_steal_pointer (&prev_hash);
  return TRUE;
}

static const char *
member_text (JsonObject *object,
             const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_string (node) : NULL;
}

/* Each claim as its last audit record left it: a claim changed behind the application's back,
 * or whose newest records were cut from the log, differs. */
static gboolean
check_claims (FoStore        *store,
              FoAuditReport  *report,
              GError        **error)
{
  sqlite3_stmt *stmt = _fo_store_statement (store,
    "SELECT c.id, c.route, c.state, c.claim_date, c.submission, c.decided_by, s.snapshot_sha256, "
    "(SELECT count(*) FROM claim_agreements a WHERE a.claim_id = c.id "
    "   AND a.submission = c.submission), "
    "(SELECT a.id FROM audit_log a WHERE a.entity = 'claim' AND a.entity_id = CAST (c.id AS TEXT) "
    "   ORDER BY a.id DESC LIMIT 1), "
    "(SELECT a.after FROM audit_log a WHERE a.entity = 'claim' "
    "   AND a.entity_id = CAST (c.id AS TEXT) ORDER BY a.id DESC LIMIT 1) "
    "FROM claims c LEFT JOIN claim_snapshots s ON s.claim_id = c.id "
    "AND s.submission = c.submission ORDER BY c.id", error);

  if (stmt == NULL)
    return FALSE;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      long long id = sqlite3_column_int64 (stmt, 0);
      const char *row[] = {
        (const char *) sqlite3_column_text (stmt, 1), (const char *) sqlite3_column_text (stmt, 2),
        (const char *) sqlite3_column_text (stmt, 3), NULL,
        (const char *) sqlite3_column_text (stmt, 5), (const char *) sqlite3_column_text (stmt, 6),
      };
      static const char *const keys[] = {
        "route", "state", "claim_date", "submission", "decided_by", "snapshot_sha256"
      };
      gint64 submission = sqlite3_column_int64 (stmt, 4);
      gint64 agreements = sqlite3_column_int64 (stmt, 7);
      long long record = sqlite3_column_int64 (stmt, 8);
      const char *after = (const char *) sqlite3_column_text (stmt, 9);
      g_autoptr(JsonNode) root = after != NULL ? json_from_string (after, NULL) : NULL;
      JsonObject *logged;

      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        {
          problem (report, 0, g_strdup_printf (_("claim %lld has no audit "
                                                 "record: it was written behind the "
                                                 "application's back"), id));
          continue;
        }
      logged = json_node_get_object (root);
      for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
        {
          gboolean same;

          if (k == 3)
            same = json_object_get_int_member_with_default (logged, keys[k], -1) == submission;
          else
            same = g_strcmp0 (member_text (logged, keys[k]), row[k]) == 0;
          if (!same)
            {
              problem (report, 0,
                       g_strdup_printf (_("claim %lld’s %s is not what its last "
                                          "audit record (%lld) says: it was "
                                          "changed behind the application's back, or later "
                                          "records were removed"), id, keys[k], record));
              break;
            }
        }
      if (json_object_has_member (logged, "agreements") &&
          json_array_get_length (json_object_get_array_member (logged, "agreements"))
          != (guint) agreements)
        problem (report, 0, g_strdup_printf (_("claim %lld’s agreements are not "
                                               "what its last audit record (%lld"
                                               ") says"), id, record));
    }
  sqlite3_reset (stmt);

  /* Each frozen snapshot still hashes to what was recorded when it was taken. Rows carried
   * over from before schema 3 have no hash to check. */
  stmt = _fo_store_statement (store, "SELECT claim_id, submission, snapshot, snapshot_sha256 "
                                     "FROM claim_snapshots WHERE taken_at <> '' "
                                     "ORDER BY claim_id, submission", error);
  if (stmt == NULL)
    return FALSE;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *snapshot = (const char *) sqlite3_column_text (stmt, 2);
      g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                                             snapshot ? snapshot : "", -1);

      if (g_strcmp0 (hash, (const char *) sqlite3_column_text (stmt, 3)) != 0)
        problem (report, 0, g_strdup_printf (_("claim %lld’s snapshot of "
                                               "submission %d was altered"),
                                             sqlite3_column_int64 (stmt, 0),
                                             sqlite3_column_int (stmt, 1)));
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/**
 * fo_audit_verify:
 *
 * Recomputes the audit log's hash chain from the first record, checks that the triggers which
 * keep the log append-only and the claims' rules are still there, and compares every claim
 * with its last audit record. Only a failure to read the file is an error; what is wrong with
 * the log is in the report, the first broken record named.
 *
 * Returns: (transfer full): the report, or %NULL on error
 */
FoAuditReport *
fo_audit_verify (FoStore  *store,
                 GError  **error)
{
  g_autoptr(FoAuditReport) report = g_new0 (FoAuditReport, 1);

  g_return_val_if_fail (store != NULL, NULL);

  report->problems = g_ptr_array_new_with_free_func (g_free);
  if (!check_chain (store, report, error) ||
      !check_triggers (store, report, error) ||
      (fo_store_schema_version (store) >= 3 && !check_claims (store, report, error)))
    return NULL;
  return g_steal_pointer (&report);
}

/**
 * fo_audit_history:
 * @reference: (nullable): one family's history, or %NULL for the whole log
 *
 * The audit records, oldest first. A family's history is its own records, those of its
 * claims, and the bulk writes (a demo cohort) that list it.
 *
 * Returns: (transfer full) (element-type FoAuditRecord): the records
 */
GPtrArray *
fo_audit_history (FoStore     *store,
                  const char  *reference,
                  GError     **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                 fo_audit_record_free);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (store != NULL, NULL);

  stmt = _fo_store_statement (store,
    "SELECT id, at, actor, action, entity, entity_id, before, after FROM audit_log "
    "WHERE ?1 IS NULL "
    "   OR (entity = 'family' AND entity_id = ?1) "
    "   OR (entity = 'claim' AND entity_id IN (SELECT CAST (c.id AS TEXT) FROM claims c "
    "       JOIN families f ON f.id = c.family_id WHERE f.reference = ?1)) "
    "   OR (entity = 'families' AND (substr (after, 1, length (?1) + 1) = ?1 || ' ' "
    "       OR instr (after, char (10) || ?1 || ' ') > 0)) "
    "ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  _fo_store_bind_text (stmt, 1, reference);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      FoAuditRecord *record = g_new0 (FoAuditRecord, 1);

      record->id = sqlite3_column_int64 (stmt, 0);
      record->at = _fo_store_column_text (stmt, 1);
      record->actor = _fo_store_column_text (stmt, 2);
      record->action = _fo_store_column_text (stmt, 3);
      record->entity = _fo_store_column_text (stmt, 4);
      record->entity_id = _fo_store_column_text (stmt, 5);
      record->before = _fo_store_column_text (stmt, 6);
      record->after = _fo_store_column_text (stmt, 7);
      g_ptr_array_add (records, record);
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&records);
}
