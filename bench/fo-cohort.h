/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "fo-family.h"

G_BEGIN_DECLS

/* A synthetic family, deterministic for a seed and an index. Names are invented from
 * syllables; no real person's data is used. */
JsonNode *fo_cohort_family_json (guint32 seed,
                                 guint   index);
FoFamily *fo_cohort_family      (guint32 seed,
                                 guint   index);

G_END_DECLS
