/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fo-session"

#include "config.h"

#include <errno.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "fo-demo.h"
#include "fo-session.h"

/*
 * A session is one open database with its plans, for the application. Every store access
 * runs on a worker thread behind an _async / _finish pair so that the window never waits on
 * the disk, and one lock serialises them: the store's connection and its statement cache
 * belong to one thread at a time.
 */

struct _FoSession
{
  GObject    parent_instance;

  GMutex     lock;
  FoStore   *store;
  char      *path;
  FoPlanSet *plans;
  GPtrArray *plan_list;    /* FoPlan, borrowed from plans, by title */
  FoDay      as_of;        /* read and written on the main thread; copied into each task */
};

G_DEFINE_FINAL_TYPE (FoSession, fo_session, G_TYPE_OBJECT)

G_DEFINE_QUARK (fo-session-error-quark, fo_session_error)

void
fo_family_view_free (FoFamilyView *view)
{
  if (view == NULL)
    return;
  g_clear_pointer (&view->evaluation, fo_evaluation_free);
  g_clear_pointer (&view->family, fo_family_free);
  g_clear_pointer (&view->summary, fo_family_summary_free);
  g_free (view);
}

static void
fo_session_finalize (GObject *object)
{
  FoSession *self = FO_SESSION (object);

  g_clear_pointer (&self->store, fo_store_close);
  g_clear_pointer (&self->plan_list, g_ptr_array_unref);
  g_clear_pointer (&self->plans, fo_plan_set_free);
  g_clear_pointer (&self->path, g_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (fo_session_parent_class)->finalize (object);
}

static void
fo_session_class_init (FoSessionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fo_session_finalize;
}

static void
fo_session_init (FoSession *self)
{
  g_mutex_init (&self->lock);
  self->as_of = fo_day_today ();
}

/**
 * fo_session_open:
 * @path: the database file; it is created, private to its owner, when missing
 * @plans_dir: the folder of plan files
 * @error: why the database or a plan could not be opened
 *
 * Blocks: call it from a worker thread, or use fo_session_open_async().
 *
 * Returns: (transfer full): the session, or %NULL
 */
FoSession *
fo_session_open (const char  *path,
                 const char  *plans_dir,
                 GError     **error)
{
  g_autoptr(FoSession) self = NULL;
  g_autofree char *folder = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (plans_dir != NULL, NULL);

  self = g_object_new (FO_TYPE_SESSION, NULL);
  self->path = g_strdup (path);
  self->plans = fo_plan_set_new ();
  if (!fo_plan_set_add_dir (self->plans, plans_dir, error))
    return NULL;
  self->plan_list = fo_plan_set_list (self->plans);

  /* The folder of a new database holds personal data too: only its owner may list it. */
  folder = g_path_get_dirname (path);
  if (!g_file_test (folder, G_FILE_TEST_IS_DIR) && g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create the folder %s: %s"), folder, g_strerror (saved_errno));
      return NULL;
    }
  self->store = fo_store_open (path, error);
  if (self->store == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

typedef struct
{
  char  *path;
  char  *plans_dir;
  guint  n_families;
  FoDay  as_of;
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_free (data->path);
  g_free (data->plans_dir);
  g_free (data);
}

static GTask *
open_task_new (const char          *path,
               const char          *plans_dir,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data,
               gpointer             source_tag)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  OpenData *data = g_new0 (OpenData, 1);

  g_task_set_source_tag (task, source_tag);
  data->path = g_strdup (path);
  data->plans_dir = g_strdup (plans_dir);
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);
  return task;
}

static void
create_demo_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  OpenData *data = task_data;
  GError *error = NULL;
  g_autoptr(FoSession) session = NULL;
  g_autoptr(GPtrArray) families = NULL;
  g_autoptr(GPtrArray) ids = NULL;

  /* A demo never lands on top of someone's real data. */
  if (g_file_test (data->path, G_FILE_TEST_EXISTS))
    {
      g_task_return_new_error (task, FO_SESSION_ERROR, FO_SESSION_ERROR_EXISTS,
                               _("%s already exists"), data->path);
      return;
    }
  session = fo_session_open (data->path, data->plans_dir, &error);
  if (session == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  ids = g_ptr_array_new ();
  for (guint i = 0; i < session->plan_list->len; i++)
    g_ptr_array_add (ids, ((FoPlan *) g_ptr_array_index (session->plan_list, i))->id);
  g_ptr_array_add (ids, NULL);
  families = fo_demo_cohort (session->plans, (char **) ids->pdata, data->n_families,
                             (guint32) g_random_int (), data->as_of, &error);
  if (families == NULL ||
      !fo_store_put_families (session->store, (FoFamily **) families->pdata, families->len,
                              g_get_user_name (), "demo", &error) ||
      !fo_batch_evaluate (session->store, session->plans, data->as_of, TRUE, NULL, NULL, NULL,
                          &error))
    {
      g_task_return_error (task, error);
      return;
    }
  session->as_of = data->as_of;
  g_task_return_pointer (task, g_steal_pointer (&session), g_object_unref);
}

/**
 * fo_session_create_demo_async:
 *
 * Makes a new database of invented families shared between every plan in @plans_dir, with
 * their verdicts as of @as_of, and opens it. An existing file is never overwritten.
 */
void
fo_session_create_demo_async (const char          *path,
                              const char          *plans_dir,
                              guint                n_families,
                              FoDay                as_of,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OpenData *data;

  g_return_if_fail (path != NULL && plans_dir != NULL);

  task = open_task_new (path, plans_dir, cancellable, callback, user_data,
                        fo_session_create_demo_async);
  data = g_task_get_task_data (task);
  data->n_families = n_families;
  data->as_of = as_of;
  g_task_run_in_thread (task, create_demo_thread);
}

FoSession *
fo_session_create_demo_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
fo_session_get_path (FoSession *self)
{
  g_return_val_if_fail (FO_IS_SESSION (self), NULL);
  return self->path;
}

FoDay
fo_session_get_as_of (FoSession *self)
{
  g_return_val_if_fail (FO_IS_SESSION (self), 0);
  return self->as_of;
}

void
fo_session_set_as_of (FoSession *self,
                      FoDay      as_of)
{
  g_return_if_fail (FO_IS_SESSION (self));
  self->as_of = as_of != 0 ? as_of : fo_day_today ();
}

/**
 * fo_session_get_plans:
 *
 * Returns: (transfer none) (element-type FoPlan): the loaded plans, by title
 */
GPtrArray *
fo_session_get_plans (FoSession *self)
{
  g_return_val_if_fail (FO_IS_SESSION (self), NULL);
  return self->plan_list;
}

const FoPlan *
fo_session_lookup_plan (FoSession  *self,
                        const char *plan_id)
{
  g_return_val_if_fail (FO_IS_SESSION (self), NULL);
  return fo_plan_set_lookup (self->plans, plan_id);
}

/* What a worker needs besides the session, fixed when the task starts. */
typedef struct
{
  FoDay      as_of;
  char      *reference;
  char      *actor;
  FoFamily  *family;
  gint64     expected_version;
  int        feed;
  char      *file;
  gboolean   dry_run;
  FoSessionProgress progress;
  gpointer   progress_data;
  GMainContext *context;
  gint64     last_progress_time;
} TaskData;

static void
task_data_free (TaskData *data)
{
  g_free (data->reference);
  g_free (data->actor);
  g_free (data->file);
  g_clear_pointer (&data->family, fo_family_free);
  g_clear_pointer (&data->context, g_main_context_unref);
  g_free (data);
}

static GTask *
session_task_new (FoSession           *self,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data,
                  gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  TaskData *data = g_new0 (TaskData, 1);

  g_task_set_source_tag (task, source_tag);
  data->as_of = self->as_of;
  g_task_set_task_data (task, data, (GDestroyNotify) task_data_free);
  return task;
}

static gpointer
session_task_finish (FoSession     *self,
                     GAsyncResult  *result,
                     gpointer       source_tag,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static GPtrArray *
list_families_locked (FoSession  *self,
                      GError    **error)
{
  return fo_store_list_summaries (self->store, NULL, error);
}

/**
 * fo_session_list_families:
 *
 * Blocks. Returns: (transfer full) (element-type FoFamilySummary): every family
 */
GPtrArray *
fo_session_list_families (FoSession  *self,
                          GError    **error)
{
  GPtrArray *summaries;

  g_return_val_if_fail (FO_IS_SESSION (self), NULL);

  g_mutex_lock (&self->lock);
  summaries = list_families_locked (self, error);
  g_mutex_unlock (&self->lock);
  return summaries;
}

/* Families a refresh evaluates between two chances for other work to take the store. */
#define REFRESH_SLICE 256

static void
refresh_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  FoSession *self = source_object;
  TaskData *data = task_data;
  GError *error = NULL;
  g_autoptr(GArray) states = NULL;
  guint refreshed = 0;

  g_mutex_lock (&self->lock);
  states = fo_store_cache_states (self->store, &error);
  g_mutex_unlock (&self->lock);
  if (states == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* A new day makes every verdict stale. Slices keep the store free for the family the
   * person opens meanwhile, instead of making them wait for 20,000 evaluations. */
  for (guint from = 0; from < states->len; from += REFRESH_SLICE)
    {
      guint slice = 0;
      gboolean ok;

      if (g_task_return_error_if_cancelled (task))
        return;
      g_mutex_lock (&self->lock);
      ok = fo_batch_refresh_states (self->store, self->plans, data->as_of, states, from,
                                    from + REFRESH_SLICE, &slice, &error);
      g_mutex_unlock (&self->lock);
      if (!ok)
        {
          g_task_return_error (task, error);
          return;
        }
      refreshed += slice;
    }
  g_task_return_pointer (task, GUINT_TO_POINTER (refreshed), NULL);
}

/**
 * fo_session_refresh_async:
 *
 * Evaluates again the families whose cached verdict is out of date: their data, their
 * plan's text or the session's as-of date changed since. Finishes with how many.
 */
void
fo_session_refresh_async (FoSession           *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (FO_IS_SESSION (self));

  task = session_task_new (self, cancellable, callback, user_data, fo_session_refresh_async);
  g_task_run_in_thread (task, refresh_thread);
}

guint
fo_session_refresh_finish (FoSession     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return GPOINTER_TO_UINT (session_task_finish (self, result, fo_session_refresh_async, error));
}

/* Loads, evaluates with explanations, and keeps the verdict in the cache when it changed. */
static FoFamilyView *
load_view_locked (FoSession   *self,
                  const char  *reference,
                  FoDay        as_of,
                  GError     **error)
{
  g_autoptr(FoFamilyView) view = g_new0 (FoFamilyView, 1);
  g_autoptr(GPtrArray) summaries = NULL;

  view->family = fo_store_load_family (self->store, reference, &view->data_version, error);
  if (view->family == NULL)
    return NULL;
  summaries = fo_store_list_summaries (self->store, reference, error);
  if (summaries == NULL)
    return NULL;
  if (summaries->len == 0)
    {
      g_set_error (error, FO_SESSION_ERROR, FO_SESSION_ERROR_NOT_FOUND,
                   _("No family has the reference %s"), reference);
      return NULL;
    }
  view->summary = g_ptr_array_steal_index (summaries, 0);
  view->plan = fo_plan_set_lookup (self->plans, view->family->plan);
  if (view->plan == NULL)
    return g_steal_pointer (&view);

  view->evaluation = fo_evaluate (view->plan, view->family, as_of, FO_EVALUATE_EXPLAIN);
  if (!view->summary->evaluated || view->summary->as_of != as_of ||
      view->summary->evaluated_version != view->data_version ||
      g_strcmp0 (view->summary->plan_hash, view->plan->content_hash) != 0)
    {
      g_autoptr(GPtrArray) refreshed = NULL;

      if (!fo_batch_cache_evaluation (self->store, view->summary->family_id, view->data_version,
                                      view->evaluation, error) ||
          (refreshed = fo_store_list_summaries (self->store, reference, error)) == NULL)
        return NULL;
      g_clear_pointer (&view->summary, fo_family_summary_free);
      view->summary = g_ptr_array_steal_index (refreshed, 0);
    }
  return g_steal_pointer (&view);
}

/**
 * fo_session_load_family:
 *
 * Blocks. Returns: (transfer full): the family, its plan and its explained verdict
 */
FoFamilyView *
fo_session_load_family (FoSession   *self,
                        const char  *reference,
                        GError     **error)
{
  FoFamilyView *view;

  g_return_val_if_fail (FO_IS_SESSION (self), NULL);
  g_return_val_if_fail (reference != NULL, NULL);

  g_mutex_lock (&self->lock);
  view = load_view_locked (self, reference, self->as_of, error);
  g_mutex_unlock (&self->lock);
  return view;
}

static void
load_family_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  FoSession *self = source_object;
  TaskData *data = task_data;
  GError *error = NULL;
  FoFamilyView *view;

  if (g_task_return_error_if_cancelled (task))
    return;
  g_mutex_lock (&self->lock);
  view = load_view_locked (self, data->reference, data->as_of, &error);
  g_mutex_unlock (&self->lock);
  if (view == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, view, (GDestroyNotify) fo_family_view_free);
}

void
fo_session_load_family_async (FoSession           *self,
                              const char          *reference,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TaskData *data;

  g_return_if_fail (FO_IS_SESSION (self));
  g_return_if_fail (reference != NULL);

  task = session_task_new (self, cancellable, callback, user_data,
                           fo_session_load_family_async);
  data = g_task_get_task_data (task);
  data->reference = g_strdup (reference);
  g_task_run_in_thread (task, load_family_thread);
}

FoFamilyView *
fo_session_load_family_finish (FoSession     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return session_task_finish (self, result, fo_session_load_family_async, error);
}

/* The family's data version now, or 0 when no family has the reference. */
static gboolean
current_version_locked (FoSession   *self,
                        const char  *reference,
                        gint64      *out_version,
                        GError     **error)
{
  sqlite3 *db = fo_store_get_db (self->store);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, "SELECT data_version FROM families WHERE reference = ?", -1,
                          &stmt, NULL) != SQLITE_OK)
    goto fail;
  sqlite3_bind_text (stmt, 1, reference, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    goto fail;
  *out_version = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_finalize (stmt);
  return TRUE;

fail:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot read the family: %s"),
               sqlite3_errmsg (db));
  sqlite3_finalize (stmt);
  return FALSE;
}

static FoFamilyView *
save_family_locked (FoSession   *self,
                    FoFamily    *family,
                    gint64       expected_version,
                    const char  *actor,
                    FoDay        as_of,
                    GError     **error)
{
  gint64 version = 0;

  if (!fo_store_begin (self->store, error))
    return NULL;
  /* The version check and the write share one transaction, so no one can slip in between. */
  if (!current_version_locked (self, family->reference, &version, error))
    goto fail;
  if (expected_version == 0 && version != 0)
    {
      g_set_error (error, FO_SESSION_ERROR, FO_SESSION_ERROR_EXISTS,
                   _("A family with the reference %s already exists"), family->reference);
      goto fail;
    }
  if (expected_version > 0 && version != expected_version)
    {
      g_set_error (error, FO_SESSION_ERROR, FO_SESSION_ERROR_CONFLICT,
                   version == 0 ? _("Someone else deleted family %s meanwhile")
                                : _("Someone else changed family %s meanwhile. Your change "
                                    "was not saved; the family now shows their version."),
                   family->reference);
      goto fail;
    }
  if (!fo_store_put_family (self->store, family, actor, error) ||
      !fo_store_commit (self->store, error))
    goto fail;
  return load_view_locked (self, family->reference, as_of, error);

fail:
  fo_store_rollback (self->store);
  return NULL;
}

/**
 * fo_session_save_family:
 * @family: (transfer none): the family with the change made
 * @expected_version: the data version the change was made on; 0 for a new family, which
 *   must not exist yet; -1 to skip the check
 *
 * Writes the family in one audited transaction, refusing it when someone else saved the
 * family since @expected_version, and evaluates it again. Blocks.
 *
 * Returns: (transfer full): the family as now stored, or %NULL
 */
FoFamilyView *
fo_session_save_family (FoSession   *self,
                        FoFamily    *family,
                        gint64       expected_version,
                        const char  *actor,
                        GError     **error)
{
  FoFamilyView *view;

  g_return_val_if_fail (FO_IS_SESSION (self), NULL);
  g_return_val_if_fail (family != NULL && actor != NULL, NULL);

  g_mutex_lock (&self->lock);
  view = save_family_locked (self, family, expected_version, actor, self->as_of, error);
  g_mutex_unlock (&self->lock);
  return view;
}

static void
save_family_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  FoSession *self = source_object;
  TaskData *data = task_data;
  GError *error = NULL;
  FoFamilyView *view;

  g_mutex_lock (&self->lock);
  view = save_family_locked (self, data->family, data->expected_version, data->actor,
                             data->as_of, &error);
  g_mutex_unlock (&self->lock);
  if (view == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, view, (GDestroyNotify) fo_family_view_free);
}

/**
 * fo_session_save_family_async:
 * @family: (transfer full): the family with the change made
 *
 * See fo_session_save_family(). A save is never cancelled once started: a change the user
 * made is either stored whole or refused with a reason.
 */
void
fo_session_save_family_async (FoSession           *self,
                              FoFamily            *family,
                              gint64               expected_version,
                              const char          *actor,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TaskData *data;

  g_return_if_fail (FO_IS_SESSION (self));
  g_return_if_fail (family != NULL && actor != NULL);

  task = session_task_new (self, cancellable, callback, user_data,
                           fo_session_save_family_async);
  g_task_set_check_cancellable (task, FALSE);
  data = g_task_get_task_data (task);
  data->family = family;
  data->expected_version = expected_version;
  data->actor = g_strdup (actor);
  g_task_run_in_thread (task, save_family_thread);
}

FoFamilyView *
fo_session_save_family_finish (FoSession     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return session_task_finish (self, result, fo_session_save_family_async, error);
}

static void
delete_family_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  FoSession *self = source_object;
  TaskData *data = task_data;
  GError *error = NULL;
  gboolean ok;

  g_mutex_lock (&self->lock);
  ok = fo_store_delete_family (self->store, data->reference, data->actor, &error);
  g_mutex_unlock (&self->lock);
  if (!ok)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, GINT_TO_POINTER (TRUE), NULL);
}

void
fo_session_delete_family_async (FoSession           *self,
                                const char          *reference,
                                const char          *actor,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TaskData *data;

  g_return_if_fail (FO_IS_SESSION (self));
  g_return_if_fail (reference != NULL && actor != NULL);

  task = session_task_new (self, cancellable, callback, user_data,
                           fo_session_delete_family_async);
  g_task_set_check_cancellable (task, FALSE);
  data = g_task_get_task_data (task);
  data->reference = g_strdup (reference);
  data->actor = g_strdup (actor);
  g_task_run_in_thread (task, delete_family_thread);
}

gboolean
fo_session_delete_family_finish (FoSession     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return session_task_finish (self, result, fo_session_delete_family_async, error) != NULL;
}

typedef struct
{
  FoSessionProgress progress;
  gpointer          progress_data;
  double            fraction;
  guint64           rows_done;
} ProgressUpdate;

static gboolean
deliver_progress (gpointer user_data)
{
  ProgressUpdate *update = user_data;

  update->progress (update->fraction, update->rows_done, update->progress_data);
  return G_SOURCE_REMOVE;
}

static gboolean
import_progress (guint64  bytes_done,
                 guint64  bytes_total,
                 guint64  rows_done,
                 gpointer user_data)
{
  GTask *task = user_data;
  TaskData *data = g_task_get_task_data (task);
  gint64 now = g_get_monotonic_time ();

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    return FALSE;
  /* A bar redrawn ten times a second looks smooth; more would only load the main loop. */
  if (data->progress != NULL &&
      (now - data->last_progress_time > G_USEC_PER_SEC / 10 || bytes_done == bytes_total))
    {
      ProgressUpdate *update = g_new0 (ProgressUpdate, 1);

      data->last_progress_time = now;
      update->progress = data->progress;
      update->progress_data = data->progress_data;
      update->fraction = bytes_total > 0 ? (double) bytes_done / bytes_total : 0;
      update->rows_done = rows_done;
      g_main_context_invoke_full (data->context, G_PRIORITY_DEFAULT, deliver_progress, update,
                                  g_free);
    }
  return TRUE;
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  FoSession *self = source_object;
  TaskData *data = task_data;
  GError *error = NULL;
  FoImportReport *report = NULL;
  gboolean ok;

  g_mutex_lock (&self->lock);
  ok = fo_import_feed (self->store, data->feed, data->file, data->dry_run, data->actor,
                       import_progress, task, &report, &error);
  g_mutex_unlock (&self->lock);
  if (!ok)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, (GDestroyNotify) fo_import_report_free);
}

/**
 * fo_session_import_async:
 * @progress: (nullable): told how far the import has got, on the calling thread's context
 *
 * Imports one partner-data feed, all or nothing. Cancelling rolls the import back.
 */
void
fo_session_import_async (FoSession           *self,
                         FoFeed               feed,
                         const char          *file,
                         gboolean             dry_run,
                         const char          *actor,
                         FoSessionProgress    progress,
                         gpointer             progress_data,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TaskData *data;

  g_return_if_fail (FO_IS_SESSION (self));
  g_return_if_fail (file != NULL && actor != NULL);

  task = session_task_new (self, cancellable, callback, user_data, fo_session_import_async);
  data = g_task_get_task_data (task);
  data->feed = feed;
  data->file = g_strdup (file);
  data->dry_run = dry_run;
  data->actor = g_strdup (actor);
  data->progress = progress;
  data->progress_data = progress_data;
  data->context = g_main_context_ref_thread_default ();
  g_task_run_in_thread (task, import_thread);
}

FoImportReport *
fo_session_import_finish (FoSession     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return session_task_finish (self, result, fo_session_import_async, error);
}
