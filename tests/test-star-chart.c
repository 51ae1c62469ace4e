/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-star-chart"

#include "config.h"

#include <math.h>
#include <string.h>

#include "fo-demo.h"
#include "fo-star-chart.h"

/* The Family Star Plus chart drawn into an image, as the window and the report draw it. */

#define WIDTH 700
#define HEIGHT 450
#define MARGIN 20

static FoDay
day (const char *text)
{
  FoDay d;

  g_assert_true (fo_day_parse (text, &d));
  return d;
}

/* A family with @n readings from a fixed list, given out of date order on purpose. */
static FoFamily *
family_with_readings (guint n)
{
  static const char *const readings[] = {
    "{\"id\": \"s3\", \"kind\": \"star_reading\", \"date\": \"2026-05-02\","
    " \"taken_by\": \"worker\","
    " \"scores\": {\"physical_health\": 7, \"wellbeing\": 6, \"emotional_needs\": 7,"
    " \"keeping_safe\": 8, \"social_networks\": 5, \"education_learning\": 6,"
    " \"boundaries_behaviour\": 6, \"family_routine\": 7, \"home_money\": 8,"
    " \"progress_to_work\": 4}}",
    "{\"id\": \"s1\", \"kind\": \"star_reading\", \"date\": \"2025-09-10\","
    " \"taken_by\": \"joint\","
    " \"scores\": {\"physical_health\": 5, \"wellbeing\": 4, \"emotional_needs\": 6,"
    " \"keeping_safe\": 5, \"social_networks\": 4, \"education_learning\": 5,"
    " \"boundaries_behaviour\": 3, \"family_routine\": 4, \"home_money\": 5,"
    " \"progress_to_work\": 2}}",
    "{\"id\": \"s2\", \"kind\": \"star_reading\", \"date\": \"2026-01-15\","
    " \"taken_by\": \"joint\","
    " \"scores\": {\"physical_health\": 6, \"wellbeing\": 5, \"emotional_needs\": 6,"
    " \"keeping_safe\": 7, \"social_networks\": 4, \"education_learning\": 6,"
    " \"boundaries_behaviour\": 5, \"family_routine\": 5, \"home_money\": 6,"
    " \"progress_to_work\": 3}}",
  };
  g_autoptr(GString) text = g_string_new (
    "{\"format\": 1, \"reference\": \"STAR-TEST\", \"plan\": \"nf\","
    " \"entry_date\": \"2025-09-01\","
    " \"members\": [{\"id\": \"m1\", \"name\": \"Test Parent\", \"dob\": \"1990-01-01\","
    " \"role\": \"parent\"}], \"events\": [");
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  FoFamily *family;

  g_assert_cmpuint (n, <=, G_N_ELEMENTS (readings));
  /* With fewer than all three, keep the oldest ones so that the first reading stays put. */
  for (guint i = 0, added = 0; i < G_N_ELEMENTS (readings) && added < n; i++)
    {
      if (n < G_N_ELEMENTS (readings) && i == 0)
        continue;
      g_string_append_printf (text, "%s%s", added ? ", " : "", readings[i]);
      added++;
    }
  g_string_append (text, "]}");
  root = json_from_string (text->str, &error);
  g_assert_no_error (error);
  family = fo_family_load_node ("test", root, &error);
  g_assert_no_error (error);
  return family;
}

typedef struct
{
  cairo_surface_t *surface;
  guchar          *pixels;
  int              stride;
} Image;

static void
image_clear (Image *image)
{
  g_clear_pointer (&image->surface, cairo_surface_destroy);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Image, image_clear)

/* Draws on white with the print style, inside a blank margin that must stay blank. */
static void
render (Image                 *image,
        const FoStarChartData *data,
        int                    width,
        int                    height)
{
  FoStarChartStyle style;
  const char *png = g_getenv ("FO_STAR_CHART_PNG");
  cairo_t *cr;

  fo_star_chart_style_init_screen (&style, FALSE);
  image->surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cr = cairo_create (image->surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_translate (cr, MARGIN, MARGIN);
  fo_star_chart_draw (cr, width - 2 * MARGIN, height - 2 * MARGIN, data, &style);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (image->surface);
  image->pixels = cairo_image_surface_get_data (image->surface);
  image->stride = cairo_image_surface_get_stride (image->surface);
  /* To look at a chart: FO_STAR_CHART_PNG=/tmp/chart meson test star-chart */
  if (png != NULL)
    {
      g_autofree char *file = g_strdup_printf ("%s-%s-%dx%d.png", png,
                                               g_test_get_path () + 1, width, height);

      g_strdelimit (file + strlen (png), "/", '-');
      cairo_surface_write_to_png (image->surface, file);
    }
}

static guint32
pixel (const Image *image,
       int          x,
       int          y)
{
  return *(guint32 *) (image->pixels + y * image->stride + x * 4) & 0xffffff;
}

static guint
count_changed (const Image *image,
               int          x0,
               int          y0,
               int          x1,
               int          y1)
{
  guint changed = 0;

  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      if (pixel (image, x, y) != 0xffffff)
        {
          if (changed++ == 0)
            g_test_message ("first drawn pixel in (%d, %d)–(%d, %d): (%d, %d)", x0, y0, x1, y1,
                            x, y);
        }
  return changed;
}

/* Pixels close to @rgb: a reading's own colour, drawn at full strength. */
static guint
count_colour (const Image *image,
              const double *rgba)
{
  int width = cairo_image_surface_get_width (image->surface);
  int height = cairo_image_surface_get_height (image->surface);
  guint found = 0;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 p = pixel (image, x, y);
        double r = ((p >> 16) & 0xff) / 255.0, g = ((p >> 8) & 0xff) / 255.0;
        double b = (p & 0xff) / 255.0;

        if (fabs (r - rgba[0]) < 0.06 && fabs (g - rgba[1]) < 0.06 && fabs (b - rgba[2]) < 0.06)
          found++;
      }
  return found;
}

static void
assert_margin_blank (const Image *image)
{
  int width = cairo_image_surface_get_width (image->surface);
  int height = cairo_image_surface_get_height (image->surface);

  /* Nothing, a label least of all, runs outside the box it was given. */
  g_assert_cmpuint (count_changed (image, 0, 0, width, MARGIN), ==, 0);
  g_assert_cmpuint (count_changed (image, 0, height - MARGIN, width, height), ==, 0);
  g_assert_cmpuint (count_changed (image, 0, 0, MARGIN, height), ==, 0);
  g_assert_cmpuint (count_changed (image, width - MARGIN, 0, width, height), ==, 0);
}

static void
test_data (void)
{
  g_autoptr(FoFamily) family = family_with_readings (3);
  g_autoptr(FoStarChartData) data = fo_star_chart_data_new (family, 0);
  g_autoptr(FoStarChartData) before = fo_star_chart_data_new (family, day ("2026-03-01"));
  g_autoptr(FoStarChartData) copy = NULL;

  g_assert_cmpuint (data->n_readings, ==, 3);
  g_assert_cmpint (data->chosen, ==, -1);
  g_assert_cmpuint (fo_star_chart_data_first (data)->day, ==, day ("2025-09-10"));
  g_assert_cmpuint (fo_star_chart_data_latest (data)->day, ==, day ("2026-05-02"));
  g_assert_cmpint (fo_star_chart_data_first (data)->taken_by, ==, FO_STAR_TAKEN_JOINT);
  g_assert_cmpint (fo_star_chart_data_latest (data)->taken_by, ==, FO_STAR_TAKEN_WORKER);
  g_assert_cmpint (data->readings[1].scores[3], ==, 7);
  g_assert_cmpint (data->readings[2].scores[9], ==, 4);

  /* A reading after the as-of date is not yet known. */
  g_assert_cmpuint (before->n_readings, ==, 2);
  g_assert_cmpuint (fo_star_chart_data_latest (before)->day, ==, day ("2026-01-15"));

  copy = fo_star_chart_data_copy (data);
  g_assert_cmpuint (copy->n_readings, ==, 3);
  g_assert_cmpmem (copy->readings, sizeof (FoStarReading) * 3, data->readings,
                   sizeof (FoStarReading) * 3);
}

static void
test_draw (void)
{
  g_autoptr(FoFamily) family = family_with_readings (3);
  g_autoptr(FoStarChartData) data = fo_star_chart_data_new (family, 0);
  g_auto(Image) image = { 0 };
  FoStarChartStyle style;
  int radar_x0, radar_x1, radar_y0, radar_y1;

  fo_star_chart_style_init_screen (&style, FALSE);
  render (&image, data, WIDTH, HEIGHT);
  assert_margin_blank (&image);

  /* The radar's middle, where all ten spokes and both readings cross, is drawn on… */
  radar_x0 = MARGIN + 120;
  radar_x1 = MARGIN + 250;
  radar_y0 = MARGIN + 110;
  radar_y1 = MARGIN + 240;
  g_assert_cmpuint (count_changed (&image, radar_x0, radar_y0, radar_x1, radar_y1), >,
                    (guint) ((radar_x1 - radar_x0) * (radar_y1 - radar_y0) / 10));
  /* …and so are the trend charts to its right. */
  g_assert_cmpuint (count_changed (&image, WIDTH / 2 + 60, MARGIN, WIDTH - MARGIN,
                                   HEIGHT - MARGIN), >, 3000);
  /* Both readings are there, each in its own colour. */
  g_assert_cmpuint (count_colour (&image, style.first), >, 100);
  g_assert_cmpuint (count_colour (&image, style.latest), >, 100);
  g_assert_cmpuint (count_colour (&image, style.chosen), ==, 0);
}

static void
test_chosen (void)
{
  g_autoptr(FoFamily) family = family_with_readings (3);
  g_autoptr(FoStarChartData) data = fo_star_chart_data_new (family, 0);
  g_auto(Image) image = { 0 };
  FoStarChartStyle style;

  fo_star_chart_style_init_screen (&style, FALSE);
  data->chosen = 1;
  render (&image, data, WIDTH, HEIGHT);
  g_assert_cmpuint (count_colour (&image, style.chosen), >, 50);
  assert_margin_blank (&image);
}

static void
test_empty (void)
{
  g_autoptr(FoFamily) family = family_with_readings (0);
  g_autoptr(FoStarChartData) data = fo_star_chart_data_new (family, 0);
  g_auto(Image) image = { 0 };
  FoStarChartStyle style;

  fo_star_chart_style_init_screen (&style, FALSE);
  g_assert_cmpuint (data->n_readings, ==, 0);
  g_assert_null (fo_star_chart_data_first (data));
  g_assert_null (fo_star_chart_data_latest (data));
  render (&image, data, WIDTH, HEIGHT);
  /* A message in the middle, and no radar. */
  g_assert_cmpuint (count_changed (&image, MARGIN, HEIGHT / 2 - 15, WIDTH - MARGIN,
                                   HEIGHT / 2 + 15), >, 200);
  g_assert_cmpuint (count_changed (&image, MARGIN, MARGIN, WIDTH - MARGIN, HEIGHT / 2 - 30), ==, 0);
  g_assert_cmpuint (count_colour (&image, style.latest), ==, 0);
  assert_margin_blank (&image);
}

static void
test_one_reading (void)
{
  g_autoptr(FoFamily) family = family_with_readings (1);
  g_autoptr(FoStarChartData) data = fo_star_chart_data_new (family, 0);
  g_autoptr(FoStarChartData) two = NULL;
  g_auto(Image) image = { 0 };
  g_auto(Image) image_two = { 0 };
  FoStarChartStyle style;

  fo_star_chart_style_init_screen (&style, FALSE);
  g_assert_cmpuint (data->n_readings, ==, 1);
  g_assert_true (fo_star_chart_data_first (data) == fo_star_chart_data_latest (data));
  render (&image, data, WIDTH, HEIGHT);
  /* The one reading, as the latest; no first reading, so no trend either: the trends' part
   * of the chart holds nothing in the first reading's colour. */
  g_assert_cmpuint (count_colour (&image, style.latest), >, 100);
  g_assert_cmpuint (count_colour (&image, style.first), ==, 0);
  assert_margin_blank (&image);

  /* With a second reading the trends appear, with their first-reading markers. */
  g_clear_pointer (&family, fo_family_free);
  family = family_with_readings (2);
  two = fo_star_chart_data_new (family, 0);
  render (&image_two, two, WIDTH, HEIGHT);
  g_assert_cmpuint (count_colour (&image_two, style.first), >, 100);
  g_assert_cmpuint (count_changed (&image_two, WIDTH - 200, MARGIN, WIDTH - MARGIN,
                                   HEIGHT - MARGIN), >,
                    count_changed (&image, WIDTH - 200, MARGIN, WIDTH - MARGIN,
                                   HEIGHT - MARGIN) + 1000);
}

/* Other shapes and the styles the window and the report use: nothing outside the box. */
static void
test_sizes (void)
{
  static const int sizes[][2] = { { 360, 640 }, { 900, 700 }, { 1200, 420 }, { 500, 300 } };
  g_autoptr(FoFamily) family = family_with_readings (3);
  g_autoptr(FoStarChartData) data = fo_star_chart_data_new (family, 0);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_auto(Image) image = { 0 };

      render (&image, data, sizes[i][0], sizes[i][1]);
      assert_margin_blank (&image);
      g_assert_cmpuint (count_changed (&image, MARGIN, MARGIN, sizes[i][0] - MARGIN,
                                       sizes[i][1] - MARGIN), >, 5000);
    }
}

/* The window's dark theme: light text on a dark background the chart paints itself. */
static void
test_dark (void)
{
  g_autoptr(FoFamily) family = family_with_readings (3);
  g_autoptr(FoStarChartData) data = fo_star_chart_data_new (family, 0);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, WIDTH, HEIGHT);
  cairo_t *cr = cairo_create (surface);
  const char *png = g_getenv ("FO_STAR_CHART_PNG");
  FoStarChartStyle style;
  Image image = { surface, NULL, 0 };
  guint light = 0;

  fo_star_chart_style_init_screen (&style, TRUE);
  style.background[0] = style.background[1] = style.background[2] = 0x24 / 255.0;
  style.background[3] = 1.0;
  fo_star_chart_draw (cr, WIDTH, HEIGHT, data, &style);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  if (png != NULL)
    {
      g_autofree char *file = g_strdup_printf ("%s-dark.png", png);

      cairo_surface_write_to_png (surface, file);
    }
  image.pixels = cairo_image_surface_get_data (surface);
  image.stride = cairo_image_surface_get_stride (surface);
  /* Painted edge to edge, with light text and the readings' lighter colours on it. */
  g_assert_cmpuint (pixel (&image, 0, 0), ==, 0x242424);
  g_assert_cmpuint (pixel (&image, WIDTH - 1, HEIGHT - 1), ==, 0x242424);
  for (int y = 0; y < HEIGHT; y++)
    for (int x = 0; x < WIDTH; x++)
      if ((pixel (&image, x, y) & 0xff) > 0xc0 && ((pixel (&image, x, y) >> 16) & 0xff) > 0xc0)
        light++;
  g_assert_cmpuint (light, >, 500);
  g_assert_cmpuint (count_colour (&image, style.latest), >, 100);
  g_assert_cmpuint (count_colour (&image, style.first), >, 100);
  image_clear (&image);
}

static void
test_degenerate (void)
{
  g_autoptr(FoFamily) family = family_with_readings (3);
  g_autoptr(FoStarChartData) data = fo_star_chart_data_new (family, 0);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 50, 50);
  cairo_t *cr = cairo_create (surface);
  FoStarChartStyle style;

  /* Too small to draw anything useful, and no size at all: no crash, no cairo error. */
  fo_star_chart_style_init_print (&style);
  fo_star_chart_draw (cr, 0, 0, data, &style);
  fo_star_chart_draw (cr, 40, 30, data, &style);
  fo_star_chart_draw (cr, 5, 400, data, &style);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static void
test_demo_family (void)
{
  const char *source = g_getenv ("FO_SOURCE_DIR");
  g_autofree char *file = g_build_filename (source ? source : SOURCE_DIR, "plans", "nf.json",
                                            NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(FoPlan) plan = fo_plan_load_file (file, &error);
  guint drawn = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < 12; i++)
    {
      g_autoptr(FoFamily) family = fo_demo_family (plan, 3, i, day ("2026-11-01"));
      g_autoptr(FoStarChartData) data = fo_star_chart_data_new (family, day ("2026-11-01"));
      g_auto(Image) image = { 0 };

      for (guint r = 1; r < data->n_readings; r++)
        g_assert_cmpuint (data->readings[r - 1].day, <=, data->readings[r].day);
      render (&image, data, WIDTH, HEIGHT);
      assert_margin_blank (&image);
      if (data->n_readings >= 2)
        drawn++;
    }
  /* The demo cohort is meant to show the chart: most of its families have readings. */
  g_assert_cmpuint (drawn, >=, 6);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/star-chart/data", test_data);
  g_test_add_func ("/star-chart/draw", test_draw);
  g_test_add_func ("/star-chart/chosen", test_chosen);
  g_test_add_func ("/star-chart/empty", test_empty);
  g_test_add_func ("/star-chart/one-reading", test_one_reading);
  g_test_add_func ("/star-chart/sizes", test_sizes);
  g_test_add_func ("/star-chart/dark", test_dark);
  g_test_add_func ("/star-chart/degenerate", test_degenerate);
  g_test_add_func ("/star-chart/demo-family", test_demo_family);
  return g_test_run ();
}
