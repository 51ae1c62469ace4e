/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "fo-family.h"

G_BEGIN_DECLS

#define FO_TYPE_STAR_CHART_VIEW (fo_star_chart_view_get_type ())
G_DECLARE_FINAL_TYPE (FoStarChartView, fo_star_chart_view, FO, STAR_CHART_VIEW, GtkWidget)

GtkWidget *fo_star_chart_view_new        (void);
void       fo_star_chart_view_set_family (FoStarChartView *self,
                                          const FoFamily  *family);
void       fo_star_chart_view_set_chosen (FoStarChartView *self,
                                          int              chosen);

G_END_DECLS
