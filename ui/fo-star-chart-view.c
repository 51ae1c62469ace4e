/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fo-star-chart-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "fo-star-chart.h"
#include "fo-star-chart-view.h"

/* The Family Star Plus chart on screen. The drawing itself is fo_star_chart_draw(), shared
 * with the PDF report, so that paper and screen show the same picture; the page puts a table
 * of the same numbers beside it for screen readers. */
struct _FoStarChartView
{
  GtkWidget        parent_instance;
  FoStarChartData *data;
};

G_DEFINE_FINAL_TYPE (FoStarChartView, fo_star_chart_view, GTK_TYPE_WIDGET)

static void
fo_star_chart_view_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  FoStarChartView *self = FO_STAR_CHART_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  FoStarChartStyle style;
  cairo_t *cr;

  if (width <= 0 || height <= 0 || self->data == NULL)
    return;
  fo_star_chart_style_init_screen (&style,
                                   adw_style_manager_get_dark (adw_style_manager_get_default ()));
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  fo_star_chart_draw (cr, width, height, self->data, &style);
  cairo_destroy (cr);
}

static void
fo_star_chart_view_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 320;
      *natural = 760;
    }
  else
    {
      /* The radar stays round and the ten trend lines readable: height follows width. */
      int width = for_size > 0 ? for_size : 760;

      *minimum = *natural = CLAMP (width * 3 / 5, 380, 560);
    }
}

static GtkSizeRequestMode
fo_star_chart_view_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
dark_changed_cb (FoStarChartView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
fo_star_chart_view_finalize (GObject *object)
{
  FoStarChartView *self = FO_STAR_CHART_VIEW (object);

  g_clear_pointer (&self->data, fo_star_chart_data_free);

  G_OBJECT_CLASS (fo_star_chart_view_parent_class)->finalize (object);
}

static void
fo_star_chart_view_class_init (FoStarChartViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = fo_star_chart_view_finalize;
  widget_class->snapshot = fo_star_chart_view_snapshot;
  widget_class->measure = fo_star_chart_view_measure;
  widget_class->get_request_mode = fo_star_chart_view_get_request_mode;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
fo_star_chart_view_init (FoStarChartView *self)
{
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (dark_changed_cb), self, G_CONNECT_SWAPPED);
}

GtkWidget *
fo_star_chart_view_new (void)
{
  return g_object_new (FO_TYPE_STAR_CHART_VIEW, NULL);
}

static void
update_description (FoStarChartView *self)
{
  const FoStarReading *first = fo_star_chart_data_first (self->data);
  const FoStarReading *latest = fo_star_chart_data_latest (self->data);
  g_autofree char *text = NULL;

  if (first == NULL)
    text = g_strdup (_("Family Star Plus chart: no readings yet"));
  else
    {
      g_autofree char *first_day = fo_day_to_display (first->day);
      g_autofree char *latest_day = fo_day_to_display (latest->day);

      text = g_strdup_printf (ngettext ("Family Star Plus chart of %u reading, from %s to %s; "
                                        "the numbers are in the table below",
                                        "Family Star Plus chart of %u readings, from %s to %s; "
                                        "the numbers are in the table below",
                                        self->data->n_readings),
                              self->data->n_readings, first_day, latest_day);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

void
fo_star_chart_view_set_family (FoStarChartView *self,
                               const FoFamily  *family)
{
  g_return_if_fail (FO_IS_STAR_CHART_VIEW (self));

  g_clear_pointer (&self->data, fo_star_chart_data_free);
  if (family != NULL)
    {
      /* Every reading recorded: the chart shows the record, not a what-if date. */
      self->data = fo_star_chart_data_new (family, 0);
      update_description (self);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* @chosen: the reading, counted from the first, to draw beside the first and latest; -1 none */
void
fo_star_chart_view_set_chosen (FoStarChartView *self,
                               int              chosen)
{
  g_return_if_fail (FO_IS_STAR_CHART_VIEW (self));

  if (self->data == NULL)
    return;
  self->data->chosen = chosen >= 0 && (guint) chosen < self->data->n_readings ? chosen : -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
