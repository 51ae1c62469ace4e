/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fo-batch"

#include "config.h"

#include <glib/gi18n.h>

#include "fo-batch.h"

struct _FoPlanSet
{
  GHashTable   *by_id;     /* plan id → FoPlan (owned) */
  const FoPlan *forced;    /* when set, used for every family */
};

FoPlanSet *
fo_plan_set_new (void)
{
  FoPlanSet *set = g_new0 (FoPlanSet, 1);

  set->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                      (GDestroyNotify) fo_plan_free);
  return set;
}

void
fo_plan_set_free (FoPlanSet *set)
{
  if (set == NULL)
    return;
  g_clear_pointer (&set->by_id, g_hash_table_unref);
  g_free (set);
}

gboolean
fo_plan_set_add_file (FoPlanSet   *set,
                      const char  *file,
                      GError     **error)
{
  FoPlan *plan;

  g_return_val_if_fail (set != NULL, FALSE);
  g_return_val_if_fail (file != NULL, FALSE);

  plan = fo_plan_load_file (file, error);
  if (plan == NULL)
    return FALSE;
  g_hash_table_replace (set->by_id, plan->id, plan);
  return TRUE;
}

gboolean
fo_plan_set_add_dir (FoPlanSet   *set,
                     const char  *dir,
                     GError     **error)
{
  g_autoptr(GDir) folder = g_dir_open (dir, 0, error);
  const char *name;

  if (folder == NULL)
    return FALSE;
  while ((name = g_dir_read_name (folder)) != NULL)
    {
      g_autofree char *file = NULL;

      if (!g_str_has_suffix (name, ".json"))
        continue;
      file = g_build_filename (dir, name, NULL);
      if (!fo_plan_set_add_file (set, file, error))
        return FALSE;
    }
  return TRUE;
}

void
fo_plan_set_force (FoPlanSet    *set,
                   const FoPlan *plan)
{
  g_return_if_fail (set != NULL);
  set->forced = plan;
}

const FoPlan *
fo_plan_set_lookup (FoPlanSet  *set,
                    const char *plan_id)
{
  g_return_val_if_fail (set != NULL, NULL);

  if (set->forced != NULL)
    return set->forced;
  return plan_id != NULL ? g_hash_table_lookup (set->by_id, plan_id) : NULL;
}

/**
 * fo_evaluation_issue_states:
 *
 * The headline issues' states in one line, "CBC-1=met CBC-2=identified …", as cached for
 * the family list's filters. Not-identified issues are left out. Returns: (transfer full)
 */
char *
fo_evaluation_issue_states (const FoEvaluation *evaluation)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < evaluation->n_issues; i++)
    {
      const FoIssueResult *issue = &evaluation->issues[i];

      if (issue->state == FO_ISSUE_NOT_IDENTIFIED)
        continue;
      g_string_append_printf (text, "%s%s=%s", text->len ? " " : "", issue->issue->id,
                              fo_issue_state_to_string (issue->state));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

typedef struct
{
  FoStore        *store;
  FoPlanSet      *plans;
  FoDay           as_of;
  FoDay           soon;
  gboolean        update_cache;
  FoBatchFunc     func;
  gpointer        user_data;
  FoBatchSummary *summary;
  GError         *error;
} BatchData;

static gboolean
evaluate_one (FoFamily *family,
              gint64    data_version,
              gpointer  user_data)
{
  BatchData *data = user_data;
  const FoPlan *plan = fo_plan_set_lookup (data->plans, family->plan);
  g_autoptr(FoFamily) owned = family;
  g_autoptr(FoEvaluation) evaluation = NULL;
  gboolean keep_going = TRUE;
  gboolean achieved = FALSE;

  data->summary->families++;
  if (plan == NULL)
    {
      data->summary->skipped++;
      return TRUE;
    }
  evaluation = fo_evaluate (plan, family, data->as_of, FO_EVALUATE_DEFAULT);
  data->summary->eligible += evaluation->eligible;
  if (evaluation->claimable)
    data->summary->claimable_now++;
  else if (evaluation->projected_claimable != 0 && evaluation->projected_claimable <= data->soon)
    data->summary->claimable_soon++;
  for (guint i = 0; i < evaluation->n_issues && !achieved; i++)
    for (guint j = 0; j < evaluation->issues[i].n_indicators && !achieved; j++)
      {
        const FoIndicatorResult *indicator = &evaluation->issues[i].indicators[j];

        for (guint k = 0; k < indicator->n_outcomes; k++)
          if (indicator->outcomes[k].state >= FO_STATE_ACHIEVED)
            achieved = TRUE;
      }
  data->summary->achieved += achieved;

  if (data->update_cache)
    {
      g_autofree char *issues = fo_evaluation_issue_states (evaluation);
      FoCachedEvaluation cached = {
        family->reference, plan->content_hash, data_version, data->as_of,
        evaluation->eligible, evaluation->claimable, evaluation->claimable_from,
        evaluation->projected_claimable, issues,
      };

      if (!fo_store_put_evaluation (data->store, &cached, &data->error))
        return FALSE;
      data->summary->refreshed++;
    }
  if (data->func != NULL)
    keep_going = data->func (family, evaluation, data->user_data);
  return keep_going;
}

/**
 * fo_batch_evaluate:
 *
 * Evaluates every family in @store as of @as_of, with the plan each family names (or the
 * forced plan), and sums up. With @update_cache, each verdict is cached with the plan's
 * content hash and the family's data version, all in one transaction.
 */
gboolean
fo_batch_evaluate (FoStore         *store,
                   FoPlanSet       *plans,
                   FoDay            as_of,
                   gboolean         update_cache,
                   FoBatchFunc      func,
                   gpointer         user_data,
                   FoBatchSummary  *out_summary,
                   GError         **error)
{
  FoBatchSummary summary = { 0 };
  BatchData data = { store, plans, as_of, fo_day_add_months (as_of, 3), update_cache, func,
                     user_data, &summary, NULL };

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (plans != NULL, FALSE);

  if (update_cache && !fo_store_begin (store, error))
    return FALSE;
  if (!fo_store_for_each_family (store, evaluate_one, &data, error) || data.error != NULL)
    {
      if (data.error != NULL)
        g_propagate_error (error, g_steal_pointer (&data.error));
      if (update_cache)
        fo_store_rollback (store);
      return FALSE;
    }
  if (update_cache && !fo_store_commit (store, error))
    return FALSE;
  if (out_summary != NULL)
    *out_summary = summary;
  return TRUE;
}
