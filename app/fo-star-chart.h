/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>

#include "fo-family.h"

G_BEGIN_DECLS

typedef enum
{
  FO_STAR_TAKEN_UNKNOWN,
  FO_STAR_TAKEN_JOINT,      /* the worker and the family together */
  FO_STAR_TAKEN_WORKER,     /* the worker alone */
} FoStarTakenBy;

/**
 * FoStarReading:
 * @day: the day the reading was taken
 * @taken_by: who took it
 * @scores: one score per area, 1–10, in the order of fo_star_area_names[]
 *
 * One Family Star Plus reading, as the chart draws it.
 */
typedef struct
{
  FoDay         day;
  FoStarTakenBy taken_by;
  gint8         scores[FO_STAR_AREAS];
} FoStarReading;

/**
 * FoStarChartData:
 * @readings: (array length=n_readings): the readings, oldest first
 * @n_readings: how many there are
 * @chosen: a third reading to draw on the radar beside the first and the latest, or -1
 *
 * What the chart draws. The first reading is `readings[0]` and the latest
 * `readings[n_readings - 1]`; with one reading they are the same.
 */
typedef struct
{
  FoStarReading *readings;
  guint          n_readings;
  int            chosen;
} FoStarChartData;

/**
 * FoStarChartStyle:
 *
 * Colours and fonts, so that the screen can follow the theme (dark or light) and the PDF
 * can use print colours. Sizes are in the cairo context's user units: pixels on screen,
 * points in a PDF.
 */
typedef struct
{
  double      foreground[4];  /* labels and values (RGBA, 0–1) */
  double      muted[4];       /* captions and scale numbers */
  double      grid[4];        /* rings, spokes and trend frames */
  double      background[4];  /* filled behind everything; alpha 0 leaves it clear */
  double      first[4];       /* the first reading: dashed line, round markers */
  double      latest[4];      /* the latest reading: solid line, square markers */
  double      chosen[4];      /* the chosen reading: dotted line, diamond markers */
  const char *font_family;    /* a Pango family list, like "Cantarell, DejaVu Sans" */
  double      font_size;      /* the area labels; everything else is sized from it */
  double      line_width;     /* the readings' lines; the grid is drawn thinner */
} FoStarChartStyle;

FoStarChartData *fo_star_chart_data_new         (const FoFamily     *family,
                                                 FoDay               as_of);
FoStarChartData *fo_star_chart_data_copy        (const FoStarChartData *data);
void             fo_star_chart_data_free        (FoStarChartData    *data);
const FoStarReading *fo_star_chart_data_first   (const FoStarChartData *data);
const FoStarReading *fo_star_chart_data_latest  (const FoStarChartData *data);

void             fo_star_chart_style_init_screen (FoStarChartStyle  *style,
                                                  gboolean           dark);
void             fo_star_chart_style_init_print (FoStarChartStyle   *style);

const char      *fo_star_taken_by_label         (FoStarTakenBy       taken_by);

void             fo_star_chart_draw             (cairo_t            *cr,
                                                 double              width,
                                                 double              height,
                                                 const FoStarChartData *data,
                                                 const FoStarChartStyle *style);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FoStarChartData, fo_star_chart_data_free)

G_END_DECLS
