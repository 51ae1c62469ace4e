/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "fo-batch.h"
#include "fo-evaluator.h"
#include "fo-family-summary.h"
#include "fo-import.h"
#include "fo-store.h"

G_BEGIN_DECLS

#define FO_SESSION_ERROR (fo_session_error_quark ())

typedef enum
{
  /* Someone else saved the family after it was loaded here. */
  FO_SESSION_ERROR_CONFLICT,
  FO_SESSION_ERROR_NO_PLAN,
  FO_SESSION_ERROR_NOT_FOUND,
  FO_SESSION_ERROR_EXISTS,
} FoSessionError;

/* One family as a page shows it: its data, the plan and the explained verdict. */
typedef struct
{
  FoFamily        *family;
  const FoPlan    *plan;        /* NULL: the family's plan is not loaded */
  FoEvaluation    *evaluation;  /* explained; NULL without a plan */
  gint64           data_version;
  FoFamilySummary *summary;     /* the list's row, refreshed with the new verdict */
} FoFamilyView;

void fo_family_view_free (FoFamilyView *view);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FoFamilyView, fo_family_view_free)

#define FO_TYPE_SESSION (fo_session_get_type ())
G_DECLARE_FINAL_TYPE (FoSession, fo_session, FO, SESSION, GObject)

GQuark        fo_session_error_quark        (void);

FoSession    *fo_session_open               (const char          *path,
                                             const char          *plans_dir,
                                             GError             **error);
void          fo_session_create_demo_async  (const char          *path,
                                             const char          *plans_dir,
                                             guint                n_families,
                                             FoDay                as_of,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
FoSession    *fo_session_create_demo_finish (GAsyncResult        *result,
                                             GError             **error);

const char   *fo_session_get_path           (FoSession           *session);
FoDay         fo_session_get_as_of          (FoSession           *session);
void          fo_session_set_as_of          (FoSession           *session,
                                             FoDay                as_of);
GPtrArray    *fo_session_get_plans          (FoSession           *session);
const FoPlan *fo_session_lookup_plan        (FoSession           *session,
                                             const char          *plan_id);

GPtrArray    *fo_session_list_families      (FoSession           *session,
                                             GError             **error);
void          fo_session_refresh_async      (FoSession           *session,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
guint         fo_session_refresh_finish     (FoSession           *session,
                                             GAsyncResult        *result,
                                             GError             **error);

FoFamilyView *fo_session_load_family        (FoSession           *session,
                                             const char          *reference,
                                             GError             **error);
void          fo_session_load_family_async  (FoSession           *session,
                                             const char          *reference,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
FoFamilyView *fo_session_load_family_finish (FoSession           *session,
                                             GAsyncResult        *result,
                                             GError             **error);
FoFamilyView *fo_session_save_family        (FoSession           *session,
                                             FoFamily            *family,
                                             gint64               expected_version,
                                             const char          *actor,
                                             GError             **error);
void          fo_session_save_family_async  (FoSession           *session,
                                             FoFamily            *family,
                                             gint64               expected_version,
                                             const char          *actor,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
FoFamilyView *fo_session_save_family_finish (FoSession           *session,
                                             GAsyncResult        *result,
                                             GError             **error);
void          fo_session_delete_family_async (FoSession          *session,
                                             const char          *reference,
                                             const char          *actor,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean      fo_session_delete_family_finish (FoSession         *session,
                                             GAsyncResult        *result,
                                             GError             **error);

/* Called on the thread that started the import, at most a few times a second. */
typedef void (*FoSessionProgress) (double   fraction,
                                   guint64  rows_done,
                                   gpointer user_data);

void          fo_session_import_async       (FoSession           *session,
                                             FoFeed               feed,
                                             const char          *file,
                                             gboolean             dry_run,
                                             const char          *actor,
                                             FoSessionProgress    progress,
                                             gpointer             progress_data,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
FoImportReport *fo_session_import_finish    (FoSession           *session,
                                             GAsyncResult        *result,
                                             GError             **error);

G_END_DECLS
