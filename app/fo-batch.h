/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "fo-evaluator.h"
#include "fo-store.h"

G_BEGIN_DECLS

/* The plans a batch may use, by plan id. */
typedef struct _FoPlanSet FoPlanSet;

FoPlanSet    *fo_plan_set_new          (void);
void          fo_plan_set_free         (FoPlanSet   *set);
gboolean      fo_plan_set_add_file     (FoPlanSet   *set,
                                        const char  *file,
                                        GError     **error);
gboolean      fo_plan_set_add_dir      (FoPlanSet   *set,
                                        const char  *dir,
                                        GError     **error);
void          fo_plan_set_force        (FoPlanSet   *set,
                                        const FoPlan *plan);
const FoPlan *fo_plan_set_lookup       (FoPlanSet   *set,
                                        const char  *plan_id);
const char   *fo_plans_dir_default     (void);
GPtrArray    *fo_plan_set_list         (FoPlanSet   *set);

typedef struct
{
  guint families;
  guint skipped;          /* no plan for the family */
  guint eligible;
  guint achieved;         /* some outcome achieved or sustained */
  guint claimable_now;
  guint claimable_soon;   /* not claimable, projected within 3 months */
  guint refreshed;        /* cache entries written */
} FoBatchSummary;

/* One family's verdict in a batch. */
typedef struct
{
  gint64        family_id;
  char         *reference;
  const FoPlan *plan;           /* NULL: no plan loaded for the family, it was skipped */
  gint64        data_version;
  gboolean      eligible;
  gboolean      claimable;
  gboolean      achieved;       /* some outcome achieved or sustained */
  FoDay         claimable_from;
  FoDay         projected_claimable;
  char         *issues;         /* as fo_evaluation_issue_states () */
} FoBatchRow;

/* Called once per family, in store order, after all are evaluated; return FALSE to stop. */
typedef gboolean (*FoBatchFunc) (const FoBatchRow *row,
                                 gpointer          user_data);

gboolean      fo_batch_evaluate        (FoStore        *store,
                                        FoPlanSet      *plans,
                                        FoDay           as_of,
                                        gboolean        update_cache,
                                        FoBatchFunc     func,
                                        gpointer        user_data,
                                        FoBatchSummary *out_summary,
                                        GError        **error);
gboolean      fo_batch_refresh_stale   (FoStore        *store,
                                        FoPlanSet      *plans,
                                        FoDay           as_of,
                                        guint          *out_refreshed,
                                        GError        **error);
gboolean      fo_batch_refresh_states  (FoStore        *store,
                                        FoPlanSet      *plans,
                                        FoDay           as_of,
                                        GArray         *states,
                                        guint           from,
                                        guint           to,
                                        guint          *out_refreshed,
                                        GError        **error);
gboolean      fo_batch_cache_evaluation (FoStore           *store,
                                        gint64             family_id,
                                        gint64             data_version,
                                        const FoEvaluation *evaluation,
                                        GError           **error);
char         *fo_evaluation_issue_states (const FoEvaluation *evaluation);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FoPlanSet, fo_plan_set_free)

G_END_DECLS
