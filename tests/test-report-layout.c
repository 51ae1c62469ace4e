/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-report-layout"

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "fo-demo.h"
#include "fo-report-private.h"

/* The report's pages as laid out: the rules a reader relies on (a table's header on every page
 * it runs onto, no row cut unless it is taller than a page, a heading never alone at the foot
 * of a page), on A4 and on the other papers a print dialog may choose; redaction; writing. */

#define LETTER_WIDTH 612.0
#define LETTER_HEIGHT 792.0
#define A5_WIDTH 419.53
#define A5_HEIGHT 595.28

static FoDay
day (const char *text)
{
  FoDay d;

  g_assert_true (fo_day_parse (text, &d));
  return d;
}

static FoFamily *
load_family (const char *json)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  FoFamily *family;

  root = json_from_string (json, &error);
  g_assert_no_error (error);
  family = fo_family_load_node ("test", root, &error);
  g_assert_no_error (error);
  return family;
}

static FoFamily *
named_family (void)
{
  return load_family (
    "{\"format\": 1, \"reference\": \"RED-1\", \"name\": \"Sazaoss family\", \"plan\": \"nf\","
    " \"entry_date\": \"2025-09-01\", \"members\": ["
    " {\"id\": \"m1\", \"name\": \"Lovo Sazaoss\", \"dob\": \"1990-02-03\", \"role\": \"parent\"},"
    " {\"id\": \"m2\", \"name\": \"Mary-Jane O'Neil\", \"dob\": \"1988-05-06\","
    " \"role\": \"carer\"},"
    " {\"id\": \"m3\", \"name\": \"Will Sazaoss\", \"dob\": \"2012-07-08\", \"role\": \"child\"},"
    " {\"id\": \"m4\", \"name\": \"Wynn Sazaoss\", \"dob\": \"2015-09-10\", \"role\": \"child\"}"
    " ], \"events\": []}");
}

static void
assert_redacted (FoReport   *report,
                 const char *text,
                 const char *expected)
{
  g_autofree char *redacted = fo_report_redact (report, text);

  g_assert_cmpstr (redacted, ==, expected);
}

static void
test_redact (void)
{
  g_autoptr(FoFamily) family = named_family ();
  g_autoptr(FoReport) report = fo_report_new ("Test", family, day ("2026-11-01"),
                                              FO_REPORT_REDACT);
  g_autoptr(FoReport) plain = fo_report_new ("Test", family, day ("2026-11-01"),
                                             FO_REPORT_DEFAULT);

  g_assert_true (fo_report_get_redacted (report));
  assert_redacted (report, "identified for Lovo Sazaoss on 2025-09-01",
                   "identified for L. S. on 2025-09-01");
  assert_redacted (report, "LOVO said so; Lovo agreed", "L. said so; L. agreed");
  assert_redacted (report, "LOVO SAZAOSS", "L. S.");
  assert_redacted (report, "Mary-Jane O'Neil, then Mary-Jane's school, Jane and O'Neil",
                   "M. O., then M.'s school, J. and O.");
  /* Two members share initials: the year of birth tells them apart. */
  assert_redacted (report, "for Will Sazaoss, Wynn Sazaoss",
                   "for W. S. (born 2012), W. S. (born 2015)");
  assert_redacted (report, "the Sazaoss family", "the S. family");
  /* A name that is also a word is left alone in lower case, and longer words stay whole. */
  assert_redacted (report, "we will visit Lovon and Sazaossville",
                   "we will visit Lovon and Sazaossville");
  assert_redacted (report, "no names here", "no names here");
  g_assert_null (fo_report_redact (report, NULL));

  g_assert_false (fo_report_get_redacted (plain));
  assert_redacted (plain, "identified for Lovo Sazaoss", "identified for Lovo Sazaoss");
}

static void
check_pages (FoReport *report)
{
  guint n_pages = fo_report_get_n_pages (report);
  double top = _fo_report_content_top (report), bottom = _fo_report_content_bottom (report);
  g_autoptr(GHashTable) next_row = g_hash_table_new (NULL, NULL);   /* block → next row */
  g_autoptr(GHashTable) offsets = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_autoptr(GHashTable) header_heights = g_hash_table_new_full (NULL, NULL, NULL, g_free);

  g_assert_cmpuint (n_pages, >, 0);
  for (guint page = 0; page < n_pages; page++)
    {
      g_autoptr(GArray) parts = _fo_report_get_parts (report, page);
      g_autoptr(GHashTable) headed = g_hash_table_new (NULL, NULL);
      double last_bottom = top;

      g_assert_cmpuint (parts->len, >, 0);
      for (guint i = 0; i < parts->len; i++)
        {
          const FoReportPart *part = &g_array_index (parts, FoReportPart, i);
          gpointer block = GUINT_TO_POINTER (part->block + 1);

          /* Inside the page's content area, top to bottom, not overlapping. */
          g_assert_cmpfloat (part->y, >=, last_bottom - 0.01);
          g_assert_cmpfloat (part->y + part->height, <=, bottom + 0.01);
          last_bottom = part->y + part->height;

          if (part->kind == FO_REPORT_PART_TABLE_HEADER)
            {
              double *h = g_new (double, 1);

              *h = part->height;
              g_hash_table_insert (headed, block, block);
              g_hash_table_insert (header_heights, block, h);
            }
          if (part->kind == FO_REPORT_PART_ROW || part->kind == FO_REPORT_PART_GROUP_ROW)
            {
              double *offset = g_hash_table_lookup (offsets, block);
              guint expected = GPOINTER_TO_UINT (g_hash_table_lookup (next_row, block));
              double *head = g_hash_table_lookup (header_heights, block);
              double page_room = bottom - top - (head != NULL ? *head : 0);

              /* Rows come in order, each once; a row taller than the page in parts that
               * follow on from each other; no other row is ever cut. */
              g_assert_cmpint (part->row, ==, (int) expected);
              g_assert_cmpfloat (part->offset, ==, offset != NULL ? *offset : 0);
              if (part->height < part->row_height - 0.01)
                g_assert_cmpfloat (part->row_height, >, page_room);
              if (part->offset + part->height >= part->row_height - 0.01)
                {
                  g_hash_table_insert (next_row, block, GUINT_TO_POINTER (expected + 1));
                  g_hash_table_remove (offsets, block);
                }
              else
                {
                  double *next = g_new (double, 1);

                  *next = part->offset + part->height;
                  g_hash_table_insert (offsets, block, next);
                }
              /* A ruled table has its header at the top of every page it is on. */
              if (head != NULL)
                g_assert_true (g_hash_table_contains (headed, block));
            }
        }
      /* Nothing that leads into what follows is left at the foot of a page. */
      if (page + 1 < n_pages)
        {
          const FoReportPart *last = &g_array_index (parts, FoReportPart, parts->len - 1);

          g_assert_cmpint (last->kind, !=, FO_REPORT_PART_HEADING);
          g_assert_cmpint (last->kind, !=, FO_REPORT_PART_GROUP_ROW);
          g_assert_cmpint (last->kind, !=, FO_REPORT_PART_TABLE_HEADER);
        }
    }
  g_assert_cmpuint (g_hash_table_size (offsets), ==, 0);
}

static void
draw_box (cairo_t *cr,
          double   width,
          double   height,
          gpointer user_data)
{
  guint *calls = user_data;

  cairo_rectangle (cr, 0, 0, width, height);
  cairo_stroke (cr);
  (*calls)++;
}

static void
draw_all (FoReport *report,
          double    width,
          double    height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width / 2,
                                                         height / 2);
  cairo_t *cr = cairo_create (surface);

  cairo_scale (cr, 0.5, 0.5);
  for (guint page = 0; page < fo_report_get_n_pages (report); page++)
    {
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
      fo_report_draw_page (report, cr, page);
      g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
    }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static FoReport *
synthetic_report (guint *calls)
{
  g_autoptr(FoFamily) family = named_family ();
  FoReport *report = fo_report_new ("Pagination", family, day ("2026-11-01"), FO_REPORT_DEFAULT);
  const double widths[] = { 0.3, 0.2, 0.5 };
  const char *const titles[] = { "One", "Two", "Three" };
  g_autoptr(GString) long_text = g_string_new (NULL);
  FoReportTable *table;
  GRand *rand = g_rand_new_with_seed (7);

  for (guint i = 0; i < 400; i++)
    g_string_append_printf (long_text, "Line of a very long statement, part %u. ", i);

  fo_report_add_heading (report, 0, "Pagination");
  fo_report_add_field (report, "Reference", "RED-1");
  fo_report_add_field (report, "A long value", long_text->str + long_text->len - 500);
  for (guint t = 0; t < 4; t++)
    {
      fo_report_add_heading (report, 1, "A section");
      fo_report_add_paragraph (report, "An introduction to the table that follows it.");
      fo_report_keep_with_next (report);
      fo_report_add_heading (report, 2, "A subsection");
      table = fo_report_add_table (report, 3, widths, titles);
      for (guint r = 0; r < 70; r++)
        {
          g_autofree char *cell = NULL;
          guint words = g_rand_int_range (rand, 1, 60);
          g_autoptr(GString) text = g_string_new (NULL);

          if (r % 9 == 0)
            {
              fo_report_table_add_group (table, "A group", r % 2 ? "with detail" : NULL);
              continue;
            }
          for (guint w = 0; w < words; w++)
            g_string_append (text, "word ");
          cell = g_strdup_printf ("row %u", r);
          fo_report_table_add_row (table, (const char *const[]) { cell, "two", text->str });
        }
      if (t == 1)
        fo_report_table_add_row (table, (const char *const[]) { "long", "row", long_text->str });
      fo_report_add_drawing (report, 250, draw_box, calls, NULL);
    }
  fo_report_add_page_break (report);
  fo_report_add_note (report, "After a page break.");
  fo_report_add_sign_off (report, (const char *const[]) { "Key worker", "Supervisor", NULL });
  g_rand_free (rand);
  return report;
}

static void
test_pagination (void)
{
  static const double papers[][2] = {
    { FO_REPORT_A4_WIDTH, FO_REPORT_A4_HEIGHT },
    { LETTER_WIDTH, LETTER_HEIGHT },
    { A5_WIDTH, A5_HEIGHT },
  };
  guint calls = 0;
  g_autoptr(FoReport) report = synthetic_report (&calls);
  guint a4_pages = 0;

  for (guint p = 0; p < G_N_ELEMENTS (papers); p++)
    {
      guint n = fo_report_layout (report, papers[p][0], papers[p][1]);

      g_test_message ("%.0f×%.0f: %u pages", papers[p][0], papers[p][1], n);
      g_assert_cmpuint (n, ==, fo_report_get_n_pages (report));
      check_pages (report);
      calls = 0;
      draw_all (report, papers[p][0], papers[p][1]);
      /* Each drawing once, whole. */
      g_assert_cmpuint (calls, ==, 4);
      if (p == 0)
        a4_pages = n;
      else if (p == 2)
        g_assert_cmpuint (n, >, a4_pages);
    }
}

static void
test_progress (void)
{
  const char *source = g_getenv ("FO_SOURCE_DIR");
  g_autofree char *file = g_build_filename (source ? source : SOURCE_DIR, "plans", "herts.json",
                                            NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(FoPlan) plan = fo_plan_load_file (file, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(FoFamily) family = fo_demo_family (plan, 3, i, day ("2026-11-01"));
      g_autoptr(FoEvaluation) evaluation = fo_evaluate (plan, family, day ("2026-11-01"),
                                                        FO_EVALUATE_EXPLAIN);
      g_autoptr(FoReport) report = fo_progress_report_new (evaluation, FO_REPORT_DEFAULT);
      guint n = fo_report_layout (report, FO_REPORT_A4_WIDTH, FO_REPORT_A4_HEIGHT);
      g_autoptr(GArray) last = NULL;
      gboolean signed_off = FALSE;

      g_assert_cmpuint (n, >=, 3);
      check_pages (report);
      draw_all (report, FO_REPORT_A4_WIDTH, FO_REPORT_A4_HEIGHT);
      last = _fo_report_get_parts (report, n - 1);
      for (guint p = 0; p < last->len; p++)
        signed_off |= g_array_index (last, FoReportPart, p).kind == FO_REPORT_PART_SIGN_OFF;
      g_assert_true (signed_off);

      /* The Star chart shares its page with the whole table of its numbers. */
      for (guint page = 0; page < n; page++)
        {
          g_autoptr(GArray) parts = _fo_report_get_parts (report, page);

          for (guint p = 0; p < parts->len; p++)
            {
              const FoReportPart *part = &g_array_index (parts, FoReportPart, p);
              guint rows = 0;

              if (part->kind != FO_REPORT_PART_DRAWING)
                continue;
              for (guint q = p + 1; q < parts->len; q++)
                rows += g_array_index (parts, FoReportPart, q).block == part->block + 1 &&
                        g_array_index (parts, FoReportPart, q).kind == FO_REPORT_PART_ROW;
              g_assert_cmpuint (rows, ==, FO_STAR_AREAS);
            }
        }
    }
}

typedef struct
{
  gboolean done;
  gboolean ok;
  GError  *error;
} Written;

static void
written (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Written *w = user_data;

  w->ok = fo_report_write_pdf_finish (FO_REPORT (source), result, &w->error);
  w->done = TRUE;
}

static void
test_write (void)
{
  g_autoptr(FoFamily) family = named_family ();
  g_autoptr(FoReport) report = fo_report_new ("Write", family, day ("2026-11-01"),
                                              FO_REPORT_DEFAULT);
  g_autofree char *dir = g_dir_make_tmp ("fo-test-report-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "report.pdf", NULL);
  g_autofree char *missing = g_build_filename (dir, "no", "such", "report.pdf", NULL);
  g_autofree char *async_file = g_build_filename (dir, "async.pdf", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GStatBuf st;

  fo_report_add_heading (report, 0, "Write");
  fo_report_add_paragraph (report, "A one-page report.");
  g_assert_true (fo_report_write_pdf (report, file, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fo_report_get_n_pages (report), ==, 1);
  g_assert_true (g_file_get_contents (file, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  g_assert_cmpint (g_stat (file, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_false (fo_report_write_pdf (report, missing, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Cancelled: an error, and no file. */
  {
    Written w = { FALSE, FALSE, NULL };

    g_cancellable_cancel (cancellable);
    fo_report_write_pdf_async (report, async_file, cancellable, written, &w);
    while (!w.done)
      g_main_context_iteration (NULL, TRUE);
    g_assert_false (w.ok);
    g_assert_error (w.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_false (g_file_test (async_file, G_FILE_TEST_EXISTS));
    g_clear_error (&w.error);
  }
  {
    Written w = { FALSE, FALSE, NULL };

    fo_report_write_pdf_async (report, async_file, NULL, written, &w);
    while (!w.done)
      g_main_context_iteration (NULL, TRUE);
    g_assert_no_error (w.error);
    g_assert_true (w.ok);
    g_assert_true (g_file_test (async_file, G_FILE_TEST_IS_REGULAR));
  }

  g_unlink (file);
  g_unlink (async_file);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/report/redact", test_redact);
  g_test_add_func ("/report/pagination", test_pagination);
  g_test_add_func ("/report/progress", test_progress);
  g_test_add_func ("/report/write", test_write);
  return g_test_run ();
}
