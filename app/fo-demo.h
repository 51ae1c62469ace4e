/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "fo-family.h"
#include "fo-plan.h"

G_BEGIN_DECLS

FoFamily *fo_demo_family (const FoPlan *plan,
                          guint32       seed,
                          guint         index,
                          FoDay         as_of);

G_END_DECLS
