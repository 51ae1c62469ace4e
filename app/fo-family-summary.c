/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fo-store"

#include "config.h"

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "fo-family-summary.h"

/* One statement reads every family with its members' names, its cached verdict and its
 * latest claim, so that a list of 20,000 families needs no per-family queries. */
static const char summaries_sql[] =
  "SELECT f.id, f.reference, f.name, f.key_worker, f.plan, f.entry_date, f.closure_date,"
  "  f.data_version,"
  "  (SELECT group_concat (m.name, ' ') FROM members m WHERE m.family_id = f.id),"
  "  e.plan_hash, e.data_version, e.as_of, e.eligible, e.claimable, e.claimable_from,"
  "  e.projected_claimable, e.issues,"
  "  (SELECT c.state FROM claims c WHERE c.family_id = f.id ORDER BY c.id DESC LIMIT 1)"
  " FROM families f LEFT JOIN evaluations e ON e.family_id = f.id"
  " WHERE ?1 IS NULL OR f.reference = ?1"
  " ORDER BY f.id";

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
  int rc;

  g_return_val_if_fail (store != NULL, NULL);

  db = fo_store_get_db (store);
  if (sqlite3_prepare_v2 (db, summaries_sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Cannot list the families: %s"), sqlite3_errmsg (db));
      return NULL;
    }
  if (reference != NULL)
    sqlite3_bind_text (stmt, 1, reference, -1, SQLITE_STATIC);

  summaries = g_ptr_array_new_with_free_func ((GDestroyNotify) fo_family_summary_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
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
      summary->member_names = column_dup (stmt, 8);
      summary->evaluated = sqlite3_column_type (stmt, 9) != SQLITE_NULL;
      if (summary->evaluated)
        {
          summary->plan_hash = column_dup (stmt, 9);
          summary->evaluated_version = sqlite3_column_int64 (stmt, 10);
          summary->as_of = column_day (stmt, 11);
          summary->eligible = sqlite3_column_int (stmt, 12) != 0;
          summary->claimable = sqlite3_column_int (stmt, 13) != 0;
          summary->claimable_from = column_day (stmt, 14);
          summary->projected_claimable = column_day (stmt, 15);
          summary->issues = column_dup (stmt, 16);
        }
      summary->claim_stage = claim_stage_from_state ((const char *) sqlite3_column_text (stmt, 17));
      g_ptr_array_add (summaries, summary);
    }
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Cannot list the families: %s"), sqlite3_errmsg (db));
      sqlite3_finalize (stmt);
      return NULL;
    }
  sqlite3_finalize (stmt);
  return g_steal_pointer (&summaries);
}
