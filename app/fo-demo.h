/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "fo-batch.h"
#include "fo-family.h"
#include "fo-plan.h"

G_BEGIN_DECLS

FoFamily *fo_demo_family (const FoPlan *plan,
                          guint32       seed,
                          guint         index,
                          FoDay         as_of);
GPtrArray *fo_demo_cohort (FoPlanSet    *plans,
                           char * const *plan_ids,
                           guint         n_families,
                           guint32       seed,
                           FoDay         as_of,
                           GError      **error);

G_END_DECLS
