/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "fo-store.h"

G_BEGIN_DECLS

/* Where a family's latest claim stands, for the family list's claim filter. */
typedef enum
{
  FO_CLAIM_STAGE_NONE,
  FO_CLAIM_STAGE_DRAFT,
  FO_CLAIM_STAGE_AWAITING_SIGN_OFF,
  FO_CLAIM_STAGE_REJECTED,
  FO_CLAIM_STAGE_CLAIMED,
} FoClaimStage;

/* What the family list shows and filters on for one family, read in one pass. */
typedef struct
{
  gint64       family_id;
  char        *reference;
  char        *name;
  char        *key_worker;
  char        *plan;
  char        *member_names;     /* space-separated, for search */
  FoDay        entry_date;
  FoDay        closure_date;
  gint64       data_version;
  /* The cached verdict; evaluated is FALSE when there is none. */
  gboolean     evaluated;
  char        *plan_hash;
  gint64       evaluated_version;
  FoDay        as_of;
  gboolean     eligible;
  gboolean     claimable;
  FoDay        claimable_from;
  FoDay        projected_claimable;
  char        *issues;           /* "CBC-1=met CBC-2=identified …" */
  FoClaimStage claim_stage;
} FoFamilySummary;

void       fo_family_summary_free     (FoFamilySummary *summary);
GPtrArray *fo_store_list_summaries    (FoStore         *store,
                                       const char      *reference,
                                       GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FoFamilySummary, fo_family_summary_free)

G_END_DECLS
