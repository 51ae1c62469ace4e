/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fo-star-chart"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "fo-star-chart.h"

/* The radar is scaled 0–10 from the centre, so that a score of 1 still shows as a point
 * away from the middle rather than vanishing into it. */
#define SCALE_MAX 10.0

/* The trend charts' markers, against the radar's. */
#define MARKER_SCALE 0.9

/**
 * fo_star_chart_data_new:
 * @family: the family
 * @as_of: readings after this day are left out; 0 keeps them all
 *
 * Returns: (transfer full): the family's Family Star Plus readings, oldest first
 */
FoStarChartData *
fo_star_chart_data_new (const FoFamily *family,
                        FoDay           as_of)
{
  GPtrArray *events;
  FoStarChartData *data;

  g_return_val_if_fail (family != NULL, NULL);

  events = family->by_kind[FO_KIND_STAR_READING];
  data = g_new0 (FoStarChartData, 1);
  data->chosen = -1;
  data->readings = g_new0 (FoStarReading, MAX (events->len, 1));
  /* by_kind lists are sorted by date already; the order among same-day readings is the
   * order they were recorded in. */
  for (guint i = 0; i < events->len; i++)
    {
      const FoEvent *event = g_ptr_array_index (events, i);
      FoStarReading *reading;

      if (as_of != 0 && event->start > as_of)
        continue;
      reading = &data->readings[data->n_readings++];
      reading->day = event->start;
      if (g_strcmp0 (event->taken_by, "joint") == 0)
        reading->taken_by = FO_STAR_TAKEN_JOINT;
      else if (g_strcmp0 (event->taken_by, "worker") == 0)
        reading->taken_by = FO_STAR_TAKEN_WORKER;
      else
        reading->taken_by = FO_STAR_TAKEN_UNKNOWN;
      for (guint area = 0; area < FO_STAR_AREAS; area++)
        reading->scores[area] = CLAMP (event->scores[area], 1, 10);
    }
  return data;
}

/**
 * fo_star_chart_data_copy:
 * @data: chart data
 *
 * Returns: (transfer full): a copy of @data
 */
FoStarChartData *
fo_star_chart_data_copy (const FoStarChartData *data)
{
  FoStarChartData *copy;

  g_return_val_if_fail (data != NULL, NULL);

  copy = g_new0 (FoStarChartData, 1);
  copy->n_readings = data->n_readings;
  copy->chosen = data->chosen;
  copy->readings = g_memdup2 (data->readings, MAX (data->n_readings, 1) * sizeof (FoStarReading));
  return copy;
}

void
fo_star_chart_data_free (FoStarChartData *data)
{
  if (data == NULL)
    return;
  g_free (data->readings);
  g_free (data);
}

/**
 * fo_star_chart_data_first:
 * @data: chart data
 *
 * Returns: (nullable) (transfer none): the first reading, or %NULL when there is none
 */
const FoStarReading *
fo_star_chart_data_first (const FoStarChartData *data)
{
  g_return_val_if_fail (data != NULL, NULL);
  return data->n_readings > 0 ? &data->readings[0] : NULL;
}

/**
 * fo_star_chart_data_latest:
 * @data: chart data
 *
 * Returns: (nullable) (transfer none): the latest reading, or %NULL when there is none
 */
const FoStarReading *
fo_star_chart_data_latest (const FoStarChartData *data)
{
  g_return_val_if_fail (data != NULL, NULL);
  return data->n_readings > 0 ? &data->readings[data->n_readings - 1] : NULL;
}

const char *
fo_star_taken_by_label (FoStarTakenBy taken_by)
{
  switch (taken_by)
    {
    case FO_STAR_TAKEN_JOINT: return _("joint");
    case FO_STAR_TAKEN_WORKER: return _("worker only");
    case FO_STAR_TAKEN_UNKNOWN:
    default: return _("taken by: not recorded");
    }
}

static void
set_rgba (double       *rgba,
          unsigned int  hex,
          double        alpha)
{
  rgba[0] = ((hex >> 16) & 0xff) / 255.0;
  rgba[1] = ((hex >> 8) & 0xff) / 255.0;
  rgba[2] = (hex & 0xff) / 255.0;
  rgba[3] = alpha;
}

/**
 * fo_star_chart_style_init_screen:
 * @style: (out caller-allocates): the style to fill in
 * @dark: whether the theme is dark
 *
 * Colours from the GNOME palette, with sizes in pixels. A window may then replace the
 * foreground with its theme's colour.
 */
void
fo_star_chart_style_init_screen (FoStarChartStyle *style,
                                 gboolean          dark)
{
  g_return_if_fail (style != NULL);

  if (dark)
    {
      set_rgba (style->foreground, 0xffffff, 0.9);
      set_rgba (style->muted, 0xffffff, 0.6);
      set_rgba (style->grid, 0xffffff, 0.16);
      set_rgba (style->first, 0xffa348, 1.0);
      set_rgba (style->latest, 0x62a0ea, 1.0);
      set_rgba (style->chosen, 0xdc8add, 1.0);
    }
  else
    {
      set_rgba (style->foreground, 0x000000, 0.8);
      set_rgba (style->muted, 0x000000, 0.55);
      set_rgba (style->grid, 0x000000, 0.13);
      set_rgba (style->first, 0xc64600, 1.0);
      set_rgba (style->latest, 0x1c71d8, 1.0);
      set_rgba (style->chosen, 0x813d9c, 1.0);
    }
  set_rgba (style->background, 0x000000, 0.0);
  style->font_family = "Cantarell, DejaVu Sans, sans-serif";
  style->font_size = 12.0;
  style->line_width = 2.0;
}

/**
 * fo_star_chart_style_init_print:
 * @style: (out caller-allocates): the style to fill in
 *
 * Darker colours that keep their contrast on paper and in greyscale, with sizes in points.
 */
void
fo_star_chart_style_init_print (FoStarChartStyle *style)
{
  g_return_if_fail (style != NULL);

  set_rgba (style->foreground, 0x1e1e1e, 1.0);
  set_rgba (style->muted, 0x5e5c64, 1.0);
  set_rgba (style->grid, 0x9a9996, 0.55);
  set_rgba (style->background, 0xffffff, 0.0);
  set_rgba (style->first, 0xc64600, 1.0);
  set_rgba (style->latest, 0x1a5fb4, 1.0);
  set_rgba (style->chosen, 0x613583, 1.0);
  style->font_family = "Cantarell, DejaVu Sans, sans-serif";
  style->font_size = 8.0;
  style->line_width = 1.2;
}

typedef enum
{
  MARK_FIRST,
  MARK_LATEST,
  MARK_CHOSEN,
  MARK_OTHER,
} Mark;

typedef struct
{
  cairo_t                *cr;
  PangoContext           *context;
  const FoStarChartData  *data;
  const FoStarChartStyle *style;
  double                  size;     /* the base font size */
  double                  lw;
} Chart;

static void
source (cairo_t      *cr,
        const double *rgba,
        double        alpha)
{
  cairo_set_source_rgba (cr, rgba[0], rgba[1], rgba[2], rgba[3] * alpha);
}

static PangoLayout *
text_layout (Chart          *chart,
             const char     *text,
             double          size,
             gboolean        bold,
             double          wrap_width,
             PangoAlignment  align)
{
  PangoLayout *layout = pango_layout_new (chart->context);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string (
    chart->style->font_family);

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
  if (wrap_width > 0)
    {
      pango_layout_set_width (layout, pango_units_from_double (wrap_width));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
    }
  pango_layout_set_alignment (layout, align);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

/* The box to lay text out by: the logical box, grown to the ink where a glyph reaches past
 * it, so that nothing drawn ends up outside the space measured for it. */
static void
layout_size (PangoLayout *layout,
             double      *width,
             double      *height)
{
  PangoRectangle ink, logical;

  pango_layout_get_extents (layout, &ink, &logical);
  if (width != NULL)
    *width = pango_units_to_double (MAX (logical.x + logical.width, ink.x + ink.width));
  if (height != NULL)
    *height = pango_units_to_double (MAX (logical.height, ink.y + ink.height));
}

static void
show_layout (Chart        *chart,
             PangoLayout  *layout,
             double        x,
             double        y,
             const double *rgba)
{
  cairo_save (chart->cr);
  source (chart->cr, rgba, 1.0);
  cairo_move_to (chart->cr, x, y);
  pango_cairo_show_layout (chart->cr, layout);
  cairo_restore (chart->cr);
}

/* Pango would break "well-being" after its hyphen; a label should break at spaces only. */
static void
no_breaks_in_words (PangoLayout *layout,
                    const char  *text)
{
  PangoAttrList *attrs = pango_attr_list_new ();
  const char *word = text;

  while (*word != '\0')
    {
      const char *end = strchr (word, ' ');
      PangoAttribute *attr;

      if (end == NULL)
        end = word + strlen (word);
      attr = pango_attr_allow_breaks_new (FALSE);
      attr->start_index = word - text;
      attr->end_index = end - text;
      pango_attr_list_insert (attrs, attr);
      word = *end != '\0' ? end + 1 : end;
    }
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
}

static const double *
mark_colour (Chart *chart,
             Mark   mark)
{
  switch (mark)
    {
    case MARK_FIRST: return chart->style->first;
    case MARK_LATEST: return chart->style->latest;
    case MARK_CHOSEN: return chart->style->chosen;
    case MARK_OTHER:
    default: return chart->style->muted;
    }
}

/* Each reading has its own dash and marker shape as well as its colour, so that the chart
 * reads in greyscale and for people who do not tell the colours apart. */
static void
set_line (Chart *chart,
          Mark   mark,
          double scale)
{
  cairo_t *cr = chart->cr;
  double lw = chart->lw * scale;

  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  switch (mark)
    {
    case MARK_FIRST:
      {
        double dashes[] = { 4.0 * lw, 2.5 * lw };

        cairo_set_line_width (cr, lw);
        cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
        cairo_set_dash (cr, dashes, 2, 0);
      }
      break;
    case MARK_CHOSEN:
      {
        double dashes[] = { 0.01, 2.2 * lw };

        cairo_set_line_width (cr, lw * 1.1);
        cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
        cairo_set_dash (cr, dashes, 2, 0);
      }
      break;
    case MARK_LATEST:
      cairo_set_line_width (cr, lw * 1.25);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
      cairo_set_dash (cr, NULL, 0, 0);
      break;
    case MARK_OTHER:
    default:
      cairo_set_line_width (cr, lw * 0.75);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
      cairo_set_dash (cr, NULL, 0, 0);
      break;
    }
}

/* A worker-only reading gets a hollow marker; a joint one (or one not marked) a filled one. */
static void
draw_marker (Chart   *chart,
             Mark     mark,
             double   x,
             double   y,
             gboolean hollow,
             double   scale)
{
  cairo_t *cr = chart->cr;
  double r = chart->lw * 1.9 * scale;

  cairo_save (cr);
  cairo_new_path (cr);
  switch (mark)
    {
    case MARK_LATEST:
      r *= 0.92;
      cairo_rectangle (cr, x - r, y - r, 2 * r, 2 * r);
      break;
    case MARK_CHOSEN:
      r *= 1.3;
      cairo_move_to (cr, x, y - r);
      cairo_line_to (cr, x + r, y);
      cairo_line_to (cr, x, y + r);
      cairo_line_to (cr, x - r, y);
      cairo_close_path (cr);
      break;
    case MARK_OTHER:
      r *= 0.75;
      cairo_arc (cr, x, y, r, 0, 2 * G_PI);
      break;
    case MARK_FIRST:
    default:
      cairo_arc (cr, x, y, r, 0, 2 * G_PI);
      break;
    }
  source (cr, mark_colour (chart, mark), 1.0);
  if (hollow)
    {
      cairo_set_dash (cr, NULL, 0, 0);
      cairo_set_line_width (cr, chart->lw * 0.8 * scale);
      /* Punch the middle out with the background, if any, so the marker reads as hollow
       * over a line as well as over an empty plot. */
      cairo_stroke_preserve (cr);
      if (chart->style->background[3] > 0)
        {
          source (cr, chart->style->background, 1.0);
          cairo_fill (cr);
        }
      cairo_new_path (cr);
    }
  else
    cairo_fill (cr);
  cairo_restore (cr);
}

static void
draw_legend_sample (Chart  *chart,
                    Mark    mark,
                    double  x,
                    double  y,
                    double  length)
{
  cairo_t *cr = chart->cr;

  cairo_save (cr);
  set_line (chart, mark, 1.0);
  source (cr, mark_colour (chart, mark), 1.0);
  cairo_move_to (cr, x, y);
  cairo_line_to (cr, x + length, y);
  cairo_stroke (cr);
  cairo_restore (cr);
  draw_marker (chart, mark, x + length / 2, y, FALSE, 1.0);
}

static void
draw_message (Chart      *chart,
              double      width,
              double      height,
              const char *text)
{
  g_autoptr(PangoLayout) layout = text_layout (chart, text, chart->size * 1.1, FALSE,
                                               width * 0.9, PANGO_ALIGN_CENTER);
  double h;

  layout_size (layout, NULL, &h);
  show_layout (chart, layout, width * 0.05, (height - h) / 2, chart->style->muted);
}

/* Radar geometry: spoke @area points at angle(area), the first straight up, clockwise. */
static double
angle (guint area)
{
  return -G_PI / 2 + area * 2 * G_PI / FO_STAR_AREAS;
}

typedef struct
{
  PangoLayout *layout;
  double       width;
  double       height;
} Label;

/* Where the label of a spoke goes for radius @r: beside the spoke's end, on its outer side. */
static void
label_origin (const Label *label,
              guint        area,
              double       cx,
              double       cy,
              double       r,
              double       gap,
              double      *x,
              double      *y)
{
  double c = cos (angle (area)), s = sin (angle (area));
  double ax = cx + (r + gap) * c, ay = cy + (r + gap) * s;

  if (c > 0.2)
    *x = ax;
  else if (c < -0.2)
    *x = ax - label->width;
  else
    *x = ax - label->width / 2;
  if (s < -0.6)
    *y = ay - label->height;
  else if (s > 0.6)
    *y = ay;
  else
    *y = ay - label->height / 2 + s * label->height / 2;
}

static gboolean
labels_fit (const Label *labels,
            double       x0,
            double       y0,
            double       w,
            double       h,
            double       cx,
            double       cy,
            double       r,
            double       gap)
{
  for (guint area = 0; area < FO_STAR_AREAS; area++)
    {
      double x, y;

      label_origin (&labels[area], area, cx, cy, r, gap, &x, &y);
      if (x < x0 || y < y0 || x + labels[area].width > x0 + w ||
          y + labels[area].height > y0 + h)
        return FALSE;
    }
  return TRUE;
}

static void
radar_point (double  cx,
             double  cy,
             double  r,
             guint   area,
             double  value,
             double *x,
             double *y)
{
  *x = cx + r * value / SCALE_MAX * cos (angle (area));
  *y = cy + r * value / SCALE_MAX * sin (angle (area));
}

static void
draw_reading_polygon (Chart               *chart,
                      const FoStarReading *reading,
                      Mark                 mark,
                      double               cx,
                      double               cy,
                      double               r)
{
  cairo_t *cr = chart->cr;
  double fill = mark == MARK_LATEST ? 0.16 : mark == MARK_FIRST ? 0.08 : 0.0;

  cairo_new_path (cr);
  for (guint area = 0; area < FO_STAR_AREAS; area++)
    {
      double x, y;

      radar_point (cx, cy, r, area, reading->scores[area], &x, &y);
      cairo_line_to (cr, x, y);
    }
  cairo_close_path (cr);
  if (fill > 0)
    {
      source (cr, mark_colour (chart, mark), fill);
      cairo_fill_preserve (cr);
    }
  set_line (chart, mark, 1.0);
  source (cr, mark_colour (chart, mark), 1.0);
  cairo_stroke (cr);
  for (guint area = 0; area < FO_STAR_AREAS; area++)
    {
      double x, y;

      radar_point (cx, cy, r, area, reading->scores[area], &x, &y);
      draw_marker (chart, mark, x, y, FALSE, 1.0);
    }
}

static char *
legend_text (const FoStarReading *reading,
             Mark                 mark,
             gboolean             only)
{
  char day[11];

  fo_day_format_buf (reading->day, day);
  if (only)
    /* Translators: the only Family Star Plus reading: its date, then who took it */
    return g_strdup_printf (_("Only reading: %s, %s"), day,
                            fo_star_taken_by_label (reading->taken_by));
  switch (mark)
    {
    case MARK_FIRST:
      /* Translators: the first Family Star Plus reading: its date, then who took it */
      return g_strdup_printf (_("First: %s, %s"), day, fo_star_taken_by_label (reading->taken_by));
    case MARK_CHOSEN:
      return g_strdup_printf (_("Chosen: %s, %s"), day, fo_star_taken_by_label (reading->taken_by));
    case MARK_LATEST:
    case MARK_OTHER:
    default:
      return g_strdup_printf (_("Latest: %s, %s"), day, fo_star_taken_by_label (reading->taken_by));
    }
}

/* One line for each reading drawn, centred as a block, its lines left-aligned. */
static void
draw_legend (Chart                      *chart,
             const Mark                 *marks,
             const FoStarReading *const *readings,
             guint                       n_entries,
             double                      x0,
             double                      w,
             double                      y,
             double                      line)
{
  double sample = chart->size * 2.6, space = chart->size * 0.6, widest = 0, x;
  PangoLayout *layouts[3];

  g_assert (n_entries <= G_N_ELEMENTS (layouts));

  for (guint i = 0; i < n_entries; i++)
    {
      g_autofree char *text = legend_text (readings[i], marks[i],
                                           chart->data->n_readings == 1);
      double tw;

      layouts[i] = text_layout (chart, text, chart->size, FALSE, -1, PANGO_ALIGN_LEFT);
      layout_size (layouts[i], &tw, NULL);
      widest = MAX (widest, tw);
    }
  x = x0 + MAX (0, (w - (sample + space + widest)) / 2);
  for (guint i = 0; i < n_entries; i++)
    {
      double th;

      layout_size (layouts[i], NULL, &th);
      draw_legend_sample (chart, marks[i], x, y + line / 2, sample);
      show_layout (chart, layouts[i], x + sample + space, y + (line - th) / 2,
                   chart->style->foreground);
      y += line;
      g_object_unref (layouts[i]);
    }
}

/* The radar of the first, the chosen and the latest reading, with its legend underneath. */
static void
draw_radar (Chart  *chart,
            double  x0,
            double  y0,
            double  w,
            double  h)
{
  const FoStarChartData *data = chart->data;
  cairo_t *cr = chart->cr;
  Label labels[FO_STAR_AREAS];
  Mark marks[3];
  const FoStarReading *readings[3];
  guint n_entries = 0;
  double legend_line, legend_h, legend_gap, full_h, gap, lo, hi, cx, cy, label_w;

  if (data->n_readings == 1)
    {
      marks[n_entries] = MARK_LATEST;
      readings[n_entries++] = &data->readings[0];
    }
  else
    {
      marks[n_entries] = MARK_FIRST;
      readings[n_entries++] = &data->readings[0];
      if (data->chosen > 0 && (guint) data->chosen < data->n_readings - 1)
        {
          marks[n_entries] = MARK_CHOSEN;
          readings[n_entries++] = &data->readings[data->chosen];
        }
      marks[n_entries] = MARK_LATEST;
      readings[n_entries++] = &data->readings[data->n_readings - 1];
    }

  /* The legend: one line for each reading drawn, under the radar. */
  {
    g_autoptr(PangoLayout) probe = text_layout (chart, "Mg", chart->size, FALSE, -1,
                                                PANGO_ALIGN_LEFT);

    layout_size (probe, NULL, &legend_line);
    legend_line *= 1.3;
  }
  legend_h = n_entries * legend_line;
  legend_gap = chart->size * 1.2;
  full_h = h;
  h -= legend_h + legend_gap;
  if (h <= 0)
    return;

  /* Labels wrap at about a fifth of the width; the radius is then the largest that keeps
   * every label inside the panel. */
  label_w = CLAMP (w * 0.22, chart->size * 5.5, chart->size * 10);
  for (guint area = 0; area < FO_STAR_AREAS; area++)
    {
      double c = cos (angle (area));
      PangoAlignment align = c > 0.2 ? PANGO_ALIGN_LEFT : c < -0.2 ? PANGO_ALIGN_RIGHT
                                                                     : PANGO_ALIGN_CENTER;
      PangoLayoutIter *iter;
      int widest = 0;

      const char *text = fo_star_area_label (area);
      g_auto(GStrv) words = g_strsplit (text, " ", -1);
      double wrap = label_w;

      /* Never narrower than a word, so that a label breaks between words only. */
      for (guint i = 0; words[i] != NULL; i++)
        {
          g_autoptr(PangoLayout) word = text_layout (chart, words[i], chart->size, FALSE, -1,
                                                     PANGO_ALIGN_LEFT);
          double ww;

          layout_size (word, &ww, NULL);
          wrap = MAX (wrap, ww + 1);
        }
      labels[area].layout = text_layout (chart, text, chart->size, FALSE, wrap, align);
      no_breaks_in_words (labels[area].layout, text);
      /* Shrink the wrap width to the widest line, so that the label takes no more room beside
       * the radar than its text does; the lines break the same way. */
      iter = pango_layout_get_iter (labels[area].layout);
      do
        {
          PangoRectangle line;

          pango_layout_iter_get_line_extents (iter, NULL, &line);
          widest = MAX (widest, line.width);
        }
      while (pango_layout_iter_next_line (iter));
      pango_layout_iter_free (iter);
      pango_layout_set_width (labels[area].layout, widest + PANGO_SCALE / 2);
      labels[area].width = pango_units_to_double (widest + PANGO_SCALE / 2);
      layout_size (labels[area].layout, NULL, &labels[area].height);
    }
  gap = chart->size * 0.5;
  cx = x0 + w / 2;
  cy = y0 + h / 2;
  lo = 0;
  hi = MIN (w, h) / 2;
  for (int i = 0; i < 24; i++)
    {
      double mid = (lo + hi) / 2;

      if (labels_fit (labels, x0, y0, w, h, cx, cy, mid, gap))
        lo = mid;
      else
        hi = mid;
    }
  /* Centre the radar, its labels and the legend as one block: the top label may be taller
   * than the bottom one, and the panel taller than the radar needs. */
  {
    double top = G_MAXDOUBLE, bottom = -G_MAXDOUBLE, ox, oy, shift;

    for (guint area = 0; area < FO_STAR_AREAS; area++)
      {
        label_origin (&labels[area], area, cx, cy, lo, gap, &ox, &oy);
        top = MIN (top, oy);
        bottom = MAX (bottom, oy + labels[area].height);
      }
    shift = y0 + (full_h - (bottom - top + legend_gap + legend_h)) / 2 - top;
    cy += shift;
    draw_legend (chart, marks, readings, n_entries, x0, w, bottom + shift + legend_gap,
                 legend_line);
  }

  if (lo >= chart->size * 2)
    {
      double r = lo;

      /* Rings for every point of the scale; 5 and 10 stronger, as the chart is read
       * against them. */
      cairo_save (cr);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      for (int ring = 1; ring <= SCALE_MAX; ring++)
        {
          cairo_new_path (cr);
          for (guint area = 0; area < FO_STAR_AREAS; area++)
            {
              double x, y;

              radar_point (cx, cy, r, area, ring, &x, &y);
              cairo_line_to (cr, x, y);
            }
          cairo_close_path (cr);
          cairo_set_line_width (cr, chart->lw * (ring % 5 == 0 ? 0.55 : 0.3));
          source (cr, chart->style->grid, ring % 5 == 0 ? 1.0 : 0.6);
          cairo_stroke (cr);
        }
      for (guint area = 0; area < FO_STAR_AREAS; area++)
        {
          double x, y;

          radar_point (cx, cy, r, area, SCALE_MAX, &x, &y);
          cairo_move_to (cr, cx, cy);
          cairo_line_to (cr, x, y);
        }
      cairo_set_line_width (cr, chart->lw * 0.4);
      source (cr, chart->style->grid, 1.0);
      cairo_stroke (cr);
      cairo_restore (cr);

      /* Scale numbers along the first spoke, just to its right. */
      for (int ring = 5; ring <= SCALE_MAX; ring += 5)
        {
          g_autofree char *text = g_strdup_printf ("%d", ring);
          g_autoptr(PangoLayout) layout = text_layout (chart, text, chart->size * 0.8, FALSE, -1,
                                                       PANGO_ALIGN_LEFT);
          double th, x, y;

          layout_size (layout, NULL, &th);
          radar_point (cx, cy, r, 0, ring, &x, &y);
          show_layout (chart, layout, x + chart->size * 0.25, y - th * 0.05, chart->style->muted);
        }

      for (guint i = 0; i < n_entries; i++)
        draw_reading_polygon (chart, readings[i], marks[i], cx, cy, r);
    }

  for (guint area = 0; area < FO_STAR_AREAS; area++)
    {
      double x, y;

      label_origin (&labels[area], area, cx, cy, lo, gap, &x, &y);
      show_layout (chart, labels[area].layout, x, y, chart->style->foreground);
      g_object_unref (labels[area].layout);
    }
}

static double
day_x (const FoStarChartData *data,
       guint                  i,
       double                 x0,
       double                 w)
{
  FoDay first = data->readings[0].day, last = data->readings[data->n_readings - 1].day;

  /* Readings on one day share a position; spread them by order instead. */
  if (last == first)
    return x0 + w * i / (data->n_readings - 1);
  return x0 + w * (data->readings[i].day - first) / (double) (last - first);
}

static double
score_y (double value,
         double y0,
         double h)
{
  return y0 + h - h * (value - 1) / (SCALE_MAX - 1);
}

/* One small chart for one area: its name and change on top; the scores over time below, the
 * first score at the left end and the latest at the right. */
static void
draw_trend_cell (Chart  *chart,
                 guint   area,
                 double  x0,
                 double  y0,
                 double  w,
                 double  h,
                 double  title_h,
                 double  value_w)
{
  const FoStarChartData *data = chart->data;
  cairo_t *cr = chart->cr;
  const FoStarReading *first = &data->readings[0];
  const FoStarReading *latest = &data->readings[data->n_readings - 1];
  int change = latest->scores[area] - first->scores[area];
  g_autofree char *change_text = NULL;
  g_autoptr(PangoLayout) title = NULL;
  g_autoptr(PangoLayout) change_layout = NULL;
  double change_w, px0, px1, py0, ph, marker_r, small = chart->size * 0.85;

  if (change > 0)
    change_text = g_strdup_printf ("+%d", change);
  else if (change < 0)
    change_text = g_strdup_printf ("−%d", -change);
  else
    change_text = g_strdup ("±0");
  change_layout = text_layout (chart, change_text, small, TRUE, -1, PANGO_ALIGN_RIGHT);
  layout_size (change_layout, &change_w, NULL);
  show_layout (chart, change_layout, x0 + w - change_w, y0, chart->style->foreground);
  title = text_layout (chart, fo_star_area_label (area), small, FALSE, w - change_w - small * 0.6,
                       PANGO_ALIGN_LEFT);
  show_layout (chart, title, x0, y0, chart->style->foreground);

  marker_r = chart->lw * 1.9 * MARKER_SCALE * 1.3;
  px0 = x0 + value_w + marker_r;
  px1 = x0 + w - value_w - marker_r;
  py0 = y0 + title_h + small * 0.45;
  ph = y0 + h - py0 - small * 0.4;
  if (ph <= small || px1 <= px0)
    return;

  /* The frame: the scale's ends and its middle, faintly. */
  cairo_save (cr);
  for (int v = 1; v <= SCALE_MAX; v += 1)
    {
      double y;

      if (v != 1 && v != 5 && v != SCALE_MAX)
        continue;
      y = round (score_y (v, py0, ph) * 2) / 2;
      cairo_move_to (cr, px0, y);
      cairo_line_to (cr, px1, y);
    }
  cairo_set_line_width (cr, chart->lw * 0.35);
  source (cr, chart->style->grid, 1.0);
  cairo_stroke (cr);
  cairo_restore (cr);

  /* The line stops short of each marker, so that a hollow marker stays hollow. */
  cairo_save (cr);
  set_line (chart, MARK_OTHER, 1.2);
  source (cr, chart->style->foreground, 0.6);
  for (guint i = 1; i < data->n_readings; i++)
    {
      double ax = day_x (data, i - 1, px0, px1 - px0);
      double ay = score_y (data->readings[i - 1].scores[area], py0, ph);
      double bx = day_x (data, i, px0, px1 - px0);
      double by = score_y (data->readings[i].scores[area], py0, ph);
      double length = hypot (bx - ax, by - ay);
      double cut = marker_r * 1.35;

      if (length <= 2 * cut)
        continue;
      cairo_move_to (cr, ax + (bx - ax) * cut / length, ay + (by - ay) * cut / length);
      cairo_line_to (cr, bx - (bx - ax) * cut / length, by - (by - ay) * cut / length);
    }
  cairo_stroke (cr);
  cairo_restore (cr);

  for (guint i = 0; i < data->n_readings; i++)
    {
      Mark mark = i == 0 ? MARK_FIRST : i == data->n_readings - 1 ? MARK_LATEST
        : (int) i == data->chosen ? MARK_CHOSEN : MARK_OTHER;

      draw_marker (chart, mark, day_x (data, i, px0, px1 - px0),
                   score_y (data->readings[i].scores[area], py0, ph),
                   data->readings[i].taken_by == FO_STAR_TAKEN_WORKER, MARKER_SCALE);
    }

  /* The first and latest scores as numbers, level with their points, clear of the markers. */
  for (int end = 0; end < 2; end++)
    {
      const FoStarReading *reading = end == 0 ? first : latest;
      g_autofree char *text = g_strdup_printf ("%d", reading->scores[area]);
      g_autoptr(PangoLayout) layout = text_layout (chart, text, small, end == 1, -1,
                                                   PANGO_ALIGN_LEFT);
      double tw, th, y, pad = marker_r + small * 0.35;

      layout_size (layout, &tw, &th);
      y = CLAMP (score_y (reading->scores[area], py0, ph) - th / 2, py0 - th / 2,
                 py0 + ph - th / 2);
      show_layout (chart, layout, end == 0 ? px0 - pad - tw : px1 + pad, y,
                   chart->style->foreground);
    }
}

/* The ten areas over every reading, in a grid of small charts, with a caption that names the
 * period and the markers. */
static void
draw_trends (Chart  *chart,
             double  x0,
             double  y0,
             double  w,
             double  h,
             guint   columns)
{
  const FoStarChartData *data = chart->data;
  guint rows = (FO_STAR_AREAS + columns - 1) / columns;
  double small = chart->size * 0.85;
  double col_gap = chart->size * 1.4, row_gap = chart->size * 0.7;
  double cell_w = (w - col_gap * (columns - 1)) / columns;
  double caption_h, title_h = 0, cell_h, value_w;
  g_autofree char *caption = NULL;
  g_autoptr(PangoLayout) caption_layout = NULL;
  char first[11], last[11];

  fo_day_format_buf (data->readings[0].day, first);
  fo_day_format_buf (data->readings[data->n_readings - 1].day, last);
  caption = g_strdup_printf (
    /* Translators: under the Family Star Plus trend charts */
    ngettext ("%u reading from %s to %s. Hollow markers: taken by the worker alone.",
              "%u readings from %s to %s. Hollow markers: taken by the worker alone.",
              data->n_readings),
    data->n_readings, first, last);
  caption_layout = text_layout (chart, caption, small, FALSE, w, PANGO_ALIGN_LEFT);
  layout_size (caption_layout, NULL, &caption_h);
  show_layout (chart, caption_layout, x0, y0 + h - caption_h, chart->style->muted);
  h -= caption_h + chart->size * 0.6;

  {
    g_autoptr(PangoLayout) probe = text_layout (chart, "10", small, TRUE, -1, PANGO_ALIGN_LEFT);

    layout_size (probe, &value_w, NULL);
    value_w += small * 0.35;
  }
  /* Every cell gets the tallest title's height, so that the plots line up across a row. */
  for (guint area = 0; area < FO_STAR_AREAS; area++)
    {
      g_autoptr(PangoLayout) probe = text_layout (chart, "+10", small, TRUE, -1,
                                                  PANGO_ALIGN_LEFT);
      g_autoptr(PangoLayout) layout = NULL;
      double change_w, th;

      layout_size (probe, &change_w, NULL);
      layout = text_layout (chart, fo_star_area_label (area), small, FALSE,
                            cell_w - change_w - small * 0.6, PANGO_ALIGN_LEFT);
      layout_size (layout, NULL, &th);
      title_h = MAX (title_h, th);
    }
  cell_h = (h - row_gap * (rows - 1)) / rows;
  for (guint area = 0; area < FO_STAR_AREAS; area++)
    {
      guint col = area / rows, row = area % rows;

      draw_trend_cell (chart, area, x0 + col * (cell_w + col_gap), y0 + row * (cell_h + row_gap),
                       cell_w, cell_h, title_h, value_w);
    }
}

/**
 * fo_star_chart_draw:
 * @cr: where to draw, in its current user space
 * @width: the width to fill
 * @height: the height to fill
 * @data: the readings
 * @style: colours, fonts and sizes
 *
 * Draws the Family Star Plus chart inside (0, 0)–(@width, @height): a radar of the first and
 * the latest reading (and the chosen one, if any), and a small trend chart for each of the ten
 * areas. Readings differ by dash and marker shape as well as by colour. With no reading it
 * draws a message; with one, the radar alone.
 */
void
fo_star_chart_draw (cairo_t                *cr,
                    double                  width,
                    double                  height,
                    const FoStarChartData  *data,
                    const FoStarChartStyle *style)
{
  PangoContext *context;
  cairo_font_options_t *options;
  Chart chart;
  double pad;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (data != NULL);
  g_return_if_fail (style != NULL);

  if (width < 1 || height < 1)
    return;

  context = pango_cairo_create_context (cr);
  /* Unhinted metrics measure the same on screen and in a PDF, so the layout is the same. */
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (context, options);
  cairo_font_options_destroy (options);

  chart = (Chart) { cr, context, data, style, style->font_size, style->line_width };

  cairo_save (cr);
  cairo_new_path (cr);
  if (style->background[3] > 0)
    {
      source (cr, style->background, 1.0);
      cairo_rectangle (cr, 0, 0, width, height);
      cairo_fill (cr);
    }

  /* A glyph may be drawn up to a pixel from where it was measured (cairo rounds glyph
   * positions on images), so keep a pixel's worth clear inside the edges. */
  pad = MIN (style->font_size * 0.1, MIN (width, height) / 4);
  cairo_translate (cr, pad, pad);
  width -= 2 * pad;
  height -= 2 * pad;

  if (data->n_readings == 0)
    draw_message (&chart, width, height, _("No Family Star Plus readings recorded"));
  else if (data->n_readings == 1)
    {
      g_autoptr(PangoLayout) note = text_layout (&chart, _("A trend needs two or more readings."),
                                                 chart.size * 0.85, FALSE, width,
                                                 PANGO_ALIGN_CENTER);
      double nh;

      layout_size (note, NULL, &nh);
      show_layout (&chart, note, 0, height - nh, style->muted);
      draw_radar (&chart, 0, 0, width, height - nh - chart.size * 0.6);
    }
  else if (width >= height * 1.25)
    {
      /* Side by side: the radar takes a square-ish left part, the trends the rest. */
      double radar_w = MIN (height * 1.02, width * 0.54);
      double gap = chart.size * 2;

      draw_radar (&chart, 0, 0, radar_w, height);
      draw_trends (&chart, radar_w + gap, 0, width - radar_w - gap, height, 2);
    }
  else
    {
      /* Stacked: the radar on top, the trends below in as many columns as fit. */
      double radar_h = MIN (height * 0.55, width);
      double gap = chart.size * 1.5;
      guint columns = width >= chart.size * 60 ? 5 : 2;

      draw_radar (&chart, 0, 0, width, radar_h);
      draw_trends (&chart, 0, radar_h + gap, width, height - radar_h - gap, columns);
    }
  cairo_restore (cr);
  g_object_unref (context);
}
