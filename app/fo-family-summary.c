/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fo-store"

#include "config.h"

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "fo-family-summary.h"

/* Reading 20,000 families must take a few tens of milliseconds: each table is read once, in
 * family order, and the rows are merged here, instead of a subquery per family. */
static const char families_sql[] =
  "SELECT f.id, f.reference, f.name, f.key_worker, f.plan, f.entry_date, f.closure_date,"
  "  f.data_version, e.plan_hash, e.data_version, e.as_of, e.eligible, e.claimable,"
  "  e.claimable_from, e.projected_claimable, e.issues"
  " FROM families f LEFT JOIN evaluations e ON e.family_id = f.id"
  " ORDER BY f.id";
static const char one_family_sql[] =
  "SELECT f.id, f.reference, f.name, f.key_worker, f.plan, f.entry_date, f.closure_date,"
  "  f.data_version, e.plan_hash, e.data_version, e.as_of, e.eligible, e.claimable,"
  "  e.claimable_from, e.projected_claimable, e.issues"
  " FROM families f LEFT JOIN evaluations e ON e.family_id = f.id"
  " WHERE f.reference = ?1";
static const char members_sql[] =
  "SELECT family_id, name FROM members ORDER BY family_id, position";
static const char one_family_members_sql[] =
  "SELECT family_id, name FROM members WHERE family_id = ?1 ORDER BY position";
/* The latest claim of each family: ids grow, so the last row per family wins. */
static const char claims_sql[] =
  "SELECT family_id, state FROM claims ORDER BY id";
static const char one_family_claims_sql[] =
  "SELECT family_id, state FROM claims WHERE family_id = ?1 ORDER BY id";

void
fo_family_summary_free (FoFamilySummary *summary)
{
  if (summary == NULL)
    return;
  g_free (summary->reference);
  g_free (summary->name);
  g_free (summary->key_worker);
  g_free (summary->plan);
  g_free (summary->member_names);
  g_free (summary->plan_hash);
  g_free (summary->issues);
  g_free (summary);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static FoDay
column_day (sqlite3_stmt *stmt,
            int           column)
{
  FoDay day = 0;

  if (sqlite3_column_type (stmt, column) != SQLITE_NULL)
    fo_day_parse ((const char *) sqlite3_column_text (stmt, column), &day);
  return day;
}

static FoClaimStage
claim_stage_from_state (const char *state)
{
  if (state == NULL || g_str_equal (state, "withdrawn") || g_str_equal (state, "reversed"))
    return FO_CLAIM_STAGE_NONE;
  if (g_str_equal (state, "draft"))
    return FO_CLAIM_STAGE_DRAFT;
  if (g_str_equal (state, "submitted"))
    return FO_CLAIM_STAGE_AWAITING_SIGN_OFF;
  if (g_str_equal (state, "rejected"))
    return FO_CLAIM_STAGE_REJECTED;
  return FO_CLAIM_STAGE_CLAIMED;
}

static gboolean
prepare (sqlite3       *db,
         const char    *sql,
         sqlite3_stmt **out_stmt,
         GError       **error)
{
  if (sqlite3_prepare_v2 (db, sql, -1, out_stmt, NULL) == SQLITE_OK)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot list the families: %s"),
               sqlite3_errmsg (db));
  return FALSE;
}

static gboolean
finish (sqlite3       *db,
        sqlite3_stmt  *stmt,
        int            rc,
        GError       **error)
{
  sqlite3_finalize (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot list the families: %s"),
               sqlite3_errmsg (db));
  return FALSE;
}

static FoFamilySummary *
summary_from_row (sqlite3_stmt *stmt)
{
  FoFamilySummary *summary = g_new0 (FoFamilySummary, 1);

  summary->family_id = sqlite3_column_int64 (stmt, 0);
  summary->reference = column_dup (stmt, 1);
  summary->name = column_dup (stmt, 2);
  summary->key_worker = column_dup (stmt, 3);
  summary->plan = column_dup (stmt, 4);
  summary->entry_date = column_day (stmt, 5);
  summary->closure_date = column_day (stmt, 6);
  summary->data_version = sqlite3_column_int64 (stmt, 7);
  summary->evaluated = sqlite3_column_type (stmt, 8) != SQLITE_NULL;
  if (summary->evaluated)
    {
      summary->plan_hash = column_dup (stmt, 8);
      summary->evaluated_version = sqlite3_column_int64 (stmt, 9);
      summary->as_of = column_day (stmt, 10);
      summary->eligible = sqlite3_column_int (stmt, 11) != 0;
      summary->claimable = sqlite3_column_int (stmt, 12) != 0;
      summary->claimable_from = column_day (stmt, 13);
      summary->projected_claimable = column_day (stmt, 14);
      summary->issues = column_dup (stmt, 15);
    }
  return summary;
}

/* Finds the summary of @family_id; @summaries is in family order, and so are the calls. */
static FoFamilySummary *
advance_to (GPtrArray *summaries,
            guint     *position,
            gint64     family_id)
{
  while (*position < summaries->len &&
         ((FoFamilySummary *) g_ptr_array_index (summaries, *position))->family_id < family_id)
    (*position)++;
  if (*position < summaries->len &&
      ((FoFamilySummary *) g_ptr_array_index (summaries, *position))->family_id == family_id)
    return g_ptr_array_index (summaries, *position);
  return NULL;
}

static gboolean
add_member_names (sqlite3    *db,
                  GPtrArray  *summaries,
                  gint64      only,
                  GError    **error)
{
  sqlite3_stmt *stmt;
  g_autoptr(GString) names = g_string_new (NULL);
  FoFamilySummary *current = NULL;
  guint position = 0;
  int rc;

  if (!prepare (db, only != 0 ? one_family_members_sql : members_sql, &stmt, error))
    return FALSE;
  if (only != 0)
    sqlite3_bind_int64 (stmt, 1, only);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      FoFamilySummary *summary = advance_to (summaries, &position,
                                             sqlite3_column_int64 (stmt, 0));

      if (summary != current && current != NULL)
        current->member_names = g_strdup (names->str);
      if (summary != current)
        g_string_truncate (names, 0);
      current = summary;
      if (summary != NULL)
        g_string_append_printf (names, "%s%s", names->len ? " " : "",
                                (const char *) sqlite3_column_text (stmt, 1));
    }
  if (current != NULL)
    current->member_names = g_strdup (names->str);
  return finish (db, stmt, rc, error);
}

static gboolean
add_claim_stages (sqlite3    *db,
                  GPtrArray  *summaries,
                  gint64      only,
                  GError    **error)
{
  sqlite3_stmt *stmt;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  int rc;

  if (!prepare (db, only != 0 ? one_family_claims_sql : claims_sql, &stmt, error))
    return FALSE;
  if (only != 0)
    sqlite3_bind_int64 (stmt, 1, only);
  for (guint i = 0; i < summaries->len; i++)
    {
      FoFamilySummary *summary = g_ptr_array_index (summaries, i);

      g_hash_table_insert (by_id, &summary->family_id, summary);
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 family_id = sqlite3_column_int64 (stmt, 0);
      FoFamilySummary *summary = g_hash_table_lookup (by_id, &family_id);

      if (summary != NULL)
        summary->claim_stage = claim_stage_from_state ((const char *) sqlite3_column_text (stmt, 1));
    }
  return finish (db, stmt, rc, error);
}

/**
 * fo_store_list_summaries:
 * @store: the store
 * @reference: (nullable): one family's reference, or %NULL for all of them
 * @error: the SQLite failure, if any
 *
 * Returns: (transfer full) (element-type FoFamilySummary): the families in store order
 */
GPtrArray *
fo_store_list_summaries (FoStore     *store,
                         const char  *reference,
                         GError     **error)
{
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GPtrArray) summaries = NULL;
  gint64 only = 0;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);

  db = fo_store_get_db (store);
  if (!prepare (db, reference != NULL ? one_family_sql : families_sql, &stmt, error))
    return NULL;
  if (reference != NULL)
    sqlite3_bind_text (stmt, 1, reference, -1, SQLITE_STATIC);
  summaries = g_ptr_array_new_with_free_func ((GDestroyNotify) fo_family_summary_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (summaries, summary_from_row (stmt));
  if (!finish (db, stmt, rc, error))
    return NULL;
  if (reference != NULL)
    {
      if (summaries->len == 0)
        return g_steal_pointer (&summaries);
      only = ((FoFamilySummary *) g_ptr_array_index (summaries, 0))->family_id;
    }
  if (!add_member_names (db, summaries, only, error) ||
      !add_claim_stages (db, summaries, only, error))
    return NULL;
  return g_steal_pointer (&summaries);
}
