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

/* Where plans are read from unless told: $FO_PLANS_DIR, the installed plans, the plans of a
 * staged install (meson install --destdir) run with XDG_DATA_DIRS pointing into it, as its
 * schema, icons and translations are found, or ./plans. */
const char *
fo_plans_dir_default (void)
{
  const char *dir = g_getenv ("FO_PLANS_DIR");
  const char * const *data_dirs;

  if (dir != NULL && *dir != '\0')
    return dir;
  if (g_file_test (PLANS_DIR, G_FILE_TEST_IS_DIR))
    return PLANS_DIR;
  data_dirs = g_get_system_data_dirs ();
  for (guint i = 0; data_dirs[i] != NULL; i++)
    {
      g_autofree char *staged = g_build_filename (data_dirs[i], "family-outcomes", "plans",
                                                  NULL);

      /* Interned: the caller gets a string that lives as long as the program, as for the
       * other answers. */
      if (g_file_test (staged, G_FILE_TEST_IS_DIR))
        return g_intern_string (staged);
    }
  return "plans";
}

static int
compare_plan_titles (gconstpointer a,
                     gconstpointer b)
{
  const FoPlan *plan_a = *(const FoPlan **) a;
  const FoPlan *plan_b = *(const FoPlan **) b;

  return g_utf8_collate (plan_a->title, plan_b->title);
}

/**
 * fo_plan_set_list:
 * @set: the plans
 *
 * Returns: (transfer container) (element-type FoPlan): the plans, by title
 */
GPtrArray *
fo_plan_set_list (FoPlanSet *set)
{
  GPtrArray *plans;
  GHashTableIter iter;
  gpointer plan;

  g_return_val_if_fail (set != NULL, NULL);

  plans = g_ptr_array_sized_new (g_hash_table_size (set->by_id));
  g_hash_table_iter_init (&iter, set->by_id);
  while (g_hash_table_iter_next (&iter, NULL, &plan))
    g_ptr_array_add (plans, plan);
  g_ptr_array_sort (plans, compare_plan_titles);
  return plans;
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

static void
batch_row_free (FoBatchRow *row)
{
  g_free (row->reference);
  g_free (row->issues);
  g_free (row);
}

/* Shared by the reader threads and the thread that writes the cache. */
typedef struct
{
  FoPlanSet    *plans;
  FoDay         as_of;
  const char   *path;
  GAsyncQueue  *rows;          /* FoBatchRow, or a Done marker per reader */
  gint          cancelled;
  GMutex        lock;
  GError       *error;
} Batch;

typedef struct
{
  Batch     *batch;
  gint64     first_id;
  gint64     last_id;
  guint      index;
  GPtrArray *done;             /* this reader's rows, in id order */
  guint      sent;             /* rows of done already handed to the writer */
} Reader;

/* Rows go to the writer in chunks: waking it for every family costs more than judging one. */
#define CHUNK 256

typedef struct
{
  FoBatchRow **rows;
  guint        n_rows;
} Chunk;

static void
send_chunk (Reader *reader)
{
  Chunk *chunk;

  if (reader->sent == reader->done->len)
    return;
  chunk = g_new (Chunk, 1);
  /* A copy of the pointers: done may grow (and move) while the writer reads the chunk. */
  chunk->n_rows = reader->done->len - reader->sent;
  chunk->rows = g_memdup2 ((FoBatchRow **) reader->done->pdata + reader->sent,
                           chunk->n_rows * sizeof (FoBatchRow *));
  reader->sent = reader->done->len;
  g_async_queue_push (reader->batch->rows, chunk);
}

static Chunk done_marker;

static gboolean
evaluate_one (FoFamily *family,
              gint64    family_id,
              gint64    data_version,
              gpointer  user_data)
{
  Reader *reader = user_data;
  Batch *batch = reader->batch;
  g_autoptr(FoFamily) owned = family;
  const FoPlan *plan = fo_plan_set_lookup (batch->plans, family->plan);
  FoBatchRow *row = g_new0 (FoBatchRow, 1);

  row->family_id = family_id;
  row->reference = g_strdup (family->reference);
  row->data_version = data_version;
  row->plan = plan;
  if (plan != NULL)
    {
      g_autoptr(FoEvaluation) evaluation = fo_evaluate (plan, family, batch->as_of,
                                                        FO_EVALUATE_DEFAULT);

      row->eligible = evaluation->eligible;
      row->claimable = evaluation->claimable;
      row->claimable_from = evaluation->claimable_from;
      row->projected_claimable = evaluation->projected_claimable;
      row->issues = fo_evaluation_issue_states (evaluation);
      for (guint i = 0; i < evaluation->n_issues && !row->achieved; i++)
        for (guint j = 0; j < evaluation->issues[i].n_indicators && !row->achieved; j++)
          {
            const FoIndicatorResult *indicator = &evaluation->issues[i].indicators[j];

            for (guint k = 0; k < indicator->n_outcomes; k++)
              if (indicator->outcomes[k].state >= FO_STATE_ACHIEVED)
                row->achieved = TRUE;
          }
    }
  g_ptr_array_add (reader->done, row);
  if (reader->done->len - reader->sent >= CHUNK)
    send_chunk (reader);
  return !g_atomic_int_get (&batch->cancelled);
}

static gpointer
read_range (gpointer data)
{
  Reader *reader = data;
  Batch *batch = reader->batch;
  g_autoptr(GError) error = NULL;
  g_autoptr(FoStore) store = fo_store_open (batch->path, &error);

  /* Each reader has its own connection: SQLite connections are not shared between threads. */
  if (store == NULL ||
      !fo_store_for_each_family_in (store, reader->first_id, reader->last_id, evaluate_one, reader,
                                    &error))
    {
      g_mutex_lock (&batch->lock);
      if (batch->error == NULL)
        batch->error = g_steal_pointer (&error);
      g_mutex_unlock (&batch->lock);
      g_atomic_int_set (&batch->cancelled, TRUE);
    }
  send_chunk (reader);
  g_async_queue_push (batch->rows, &done_marker);
  return NULL;
}

/**
 * fo_batch_evaluate:
 *
 * Evaluates every family in @store as of @as_of, with the plan each family names (or the
 * forced plan), and sums up. Families are read and judged by one thread per processor, each
 * with its own connection and its own range of families; meanwhile this thread writes each
 * verdict to the cache (with @update_cache), in one transaction. @func then sees the rows in
 * store order.
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
  FoDay soon = fo_day_add_months (as_of, 3);
  Batch batch = { plans, as_of, NULL, NULL, FALSE, { 0 }, NULL };
  gint64 first_id, last_id, families;
  g_autofree Reader *readers = NULL;
  g_autofree GThread **threads = NULL;
  guint n_readers, finished = 0;
  gboolean ok = TRUE;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (plans != NULL, FALSE);

  if (!fo_store_family_ids (store, &first_id, &last_id, error))
    return FALSE;
  families = fo_store_count_families (store, error);
  if (families < 0)
    return FALSE;
  batch.path = fo_store_get_path (store);
  batch.rows = g_async_queue_new ();
  g_mutex_init (&batch.lock);
  /* Small stores are not worth a thread each. */
  n_readers = families < 500 ? 1 : CLAMP (g_get_num_processors (), 1, 8);
  readers = g_new0 (Reader, n_readers);
  threads = g_new0 (GThread *, n_readers);
  for (guint i = 0; i < n_readers; i++)
    {
      gint64 span = (last_id - first_id + 1 + n_readers - 1) / n_readers;

      readers[i].batch = &batch;
      readers[i].index = i;
      readers[i].first_id = first_id + i * span;
      readers[i].last_id = i + 1 == n_readers ? last_id : first_id + (i + 1) * span - 1;
      readers[i].done = g_ptr_array_new_with_free_func ((GDestroyNotify) batch_row_free);
    }

  if (update_cache && !fo_store_begin (store, error))
    {
      ok = FALSE;
      goto out;
    }
  for (guint i = 0; i < n_readers; i++)
    threads[i] = g_thread_new ("fo-batch-reader", read_range, &readers[i]);

  while (finished < n_readers)
    {
      g_autofree Chunk *chunk = g_async_queue_pop (batch.rows);

      if (chunk == &done_marker)
        {
          g_steal_pointer (&chunk);
          finished++;
          continue;
        }
      for (guint c = 0; c < chunk->n_rows; c++)
        {
          FoBatchRow *row = chunk->rows[c];

          summary.families++;
          if (row->plan == NULL)
            {
              summary.skipped++;
              continue;
            }
          summary.eligible += row->eligible;
          summary.achieved += row->achieved;
          if (row->claimable)
            summary.claimable_now++;
          else if (row->projected_claimable != 0 && row->projected_claimable <= soon)
            summary.claimable_soon++;
          if (update_cache && ok)
            {
              FoCachedEvaluation cached = {
                row->family_id, row->reference, row->plan->content_hash, row->data_version, as_of,
                row->eligible, row->claimable, row->claimable_from, row->projected_claimable,
                row->issues,
              };

              if (fo_store_put_evaluation (store, &cached, error))
                summary.refreshed++;
              else
                {
                  ok = FALSE;
                  g_atomic_int_set (&batch.cancelled, TRUE);
                }
            }

        }
      g_free (chunk->rows);
    }
  for (guint i = 0; i < n_readers; i++)
    g_thread_join (threads[i]);

  if (ok && batch.error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&batch.error));
      ok = FALSE;
    }
  if (update_cache)
    {
      if (ok)
        ok = fo_store_commit (store, error);
      else
        fo_store_rollback (store);
    }
  for (guint i = 0; ok && func != NULL && i < n_readers; i++)
    for (guint j = 0; j < readers[i].done->len; j++)
      if (!func (g_ptr_array_index (readers[i].done, j), user_data))
        {
          i = n_readers;
          break;
        }
  if (ok && out_summary != NULL)
    *out_summary = summary;

out:
  for (guint i = 0; i < n_readers; i++)
    g_ptr_array_unref (readers[i].done);
  g_clear_error (&batch.error);
  g_async_queue_unref (batch.rows);
  g_mutex_clear (&batch.lock);
  return ok;
}

/**
 * fo_batch_cache_evaluation:
 * @store: the store
 * @family_id: the family's row, or 0 to look it up by the evaluated family's reference
 * @data_version: the version of the family's data that was evaluated
 * @evaluation: the verdict
 * @error: the SQLite failure, if any
 *
 * Keeps one family's verdict with what it was judged on, for the family list.
 */
gboolean
fo_batch_cache_evaluation (FoStore            *store,
                           gint64              family_id,
                           gint64              data_version,
                           const FoEvaluation *evaluation,
                           GError            **error)
{
  g_autofree char *issues = NULL;

  g_return_val_if_fail (store != NULL && evaluation != NULL, FALSE);

  issues = fo_evaluation_issue_states (evaluation);
  {
    FoCachedEvaluation cached = {
      family_id, evaluation->family->reference, evaluation->plan->content_hash, data_version,
      evaluation->as_of, evaluation->eligible, evaluation->claimable,
      evaluation->claimable_from, evaluation->projected_claimable, issues,
    };

    return fo_store_put_evaluation (store, &cached, error);
  }
}

/**
 * fo_batch_refresh_states:
 * @states: (element-type FoCacheState): from fo_store_cache_states()
 * @from: the first state to look at
 * @to: one past the last
 * @out_refreshed: (out) (optional): how many verdicts were written
 *
 * Evaluates again, in one transaction, the families in @states[@from … @to) whose cached
 * verdict is missing or was computed from another plan text, another version of their data,
 * or another as-of date. Taking a slice at a time lets an application interleave other work.
 */
gboolean
fo_batch_refresh_states (FoStore    *store,
                         FoPlanSet  *plans,
                         FoDay       as_of,
                         GArray     *states,
                         guint       from,
                         guint       to,
                         guint      *out_refreshed,
                         GError    **error)
{
  guint refreshed = 0;

  g_return_val_if_fail (store != NULL && plans != NULL && states != NULL, FALSE);

  to = MIN (to, states->len);
  if (!fo_store_begin (store, error))
    return FALSE;
  for (guint i = from; i < to; i++)
    {
      const FoCacheState *state = &g_array_index (states, FoCacheState, i);
      const FoPlan *plan = fo_plan_set_lookup (plans, state->plan);
      g_autoptr(FoFamily) family = NULL;
      g_autoptr(FoEvaluation) evaluation = NULL;
      gint64 version;

      if (plan == NULL ||
          (state->cached_plan_hash != NULL && g_str_equal (state->cached_plan_hash,
                                                           plan->content_hash) &&
           state->cached_data_version == state->data_version && state->cached_as_of == as_of))
        continue;
      family = fo_store_load_family (store, state->reference, &version, error);
      if (family == NULL)
        goto fail;
      evaluation = fo_evaluate (plan, family, as_of, FO_EVALUATE_DEFAULT);
      if (!fo_batch_cache_evaluation (store, state->family_id, version, evaluation, error))
        goto fail;
      refreshed++;
    }
  if (!fo_store_commit (store, error))
    return FALSE;
  if (out_refreshed != NULL)
    *out_refreshed = refreshed;
  return TRUE;

fail:
  fo_store_rollback (store);
  return FALSE;
}

/**
 * fo_batch_refresh_stale:
 *
 * Evaluates again only the families whose cached verdict is out of date (see
 * fo_batch_refresh_states()): at start-up this is usually none, and the family list filters
 * on the cache alone.
 */
gboolean
fo_batch_refresh_stale (FoStore    *store,
                        FoPlanSet  *plans,
                        FoDay       as_of,
                        guint      *out_refreshed,
                        GError    **error)
{
  g_autoptr(GArray) states = fo_store_cache_states (store, error);

  if (states == NULL)
    return FALSE;
  return fo_batch_refresh_states (store, plans, as_of, states, 0, states->len, out_refreshed,
                                  error);
}
