/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "fo-evaluator.h"

G_BEGIN_DECLS

/* An A4 page in points, the unit of every size in a report. */
#define FO_REPORT_A4_WIDTH  595.2756
#define FO_REPORT_A4_HEIGHT 841.8898

typedef enum
{
  FO_REPORT_DEFAULT = 0,
  /* Members appear by initials and year of birth only, and no member's name, nor the family's
   * name, appears anywhere: every text added to the report is filtered. */
  FO_REPORT_REDACT = 1 << 0,
} FoReportFlags;

/* A cell's tint, always beside a text that says the same thing. */
typedef enum
{
  FO_REPORT_TONE_NONE,
  FO_REPORT_TONE_GOOD,       /* sustained, met */
  FO_REPORT_TONE_PARTIAL,    /* achieved, not yet sustained */
  FO_REPORT_TONE_ATTENTION,  /* not met, insufficient data */
  FO_REPORT_TONE_QUIET,      /* not identified, not applicable: muted text */
} FoReportTone;

typedef enum
{
  FO_REPORT_CELL_PLAIN = 0,
  FO_REPORT_CELL_STRONG = 1 << 0,       /* the whole cell in bold */
  FO_REPORT_CELL_LEAD = 1 << 1,         /* the first line in bold */
} FoReportCellFlags;

typedef struct _FoReportTable FoReportTable;

/**
 * FoReportDrawFunc:
 * @cr: where to draw, with (0, 0) at the drawing's top left, in points
 * @width: the width to fill
 * @height: the height to fill
 * @user_data: the data given to fo_report_add_drawing()
 *
 * Draws a picture, such as the Family Star Plus chart, into a report.
 */
typedef void (*FoReportDrawFunc) (cairo_t *cr,
                                  double   width,
                                  double   height,
                                  gpointer user_data);

#define FO_TYPE_REPORT (fo_report_get_type ())

G_DECLARE_FINAL_TYPE (FoReport, fo_report, FO, REPORT, GObject)

FoReport      *fo_report_new                (const char        *title,
                                             const FoFamily    *family,
                                             FoDay              as_of,
                                             FoReportFlags      flags);
FoReport      *fo_progress_report_new       (const FoEvaluation *evaluation,
                                             FoReportFlags      flags);
void           fo_report_add_progress       (FoReport          *report,
                                             const FoEvaluation *evaluation);

void           fo_report_set_generated      (FoReport          *report,
                                             GDateTime         *generated);
gboolean       fo_report_get_redacted       (FoReport          *report);
char          *fo_report_redact             (FoReport          *report,
                                             const char        *text);

void           fo_report_add_heading        (FoReport          *report,
                                             guint              level,
                                             const char        *text);
void           fo_report_add_paragraph      (FoReport          *report,
                                             const char        *text);
void           fo_report_add_note           (FoReport          *report,
                                             const char        *text);
void           fo_report_add_field          (FoReport          *report,
                                             const char        *label,
                                             const char        *value);
FoReportTable *fo_report_add_table          (FoReport          *report,
                                             guint              n_columns,
                                             const double      *widths,
                                             const char *const *titles);
guint          fo_report_table_add_row      (FoReportTable     *table,
                                             const char *const *cells);
void           fo_report_table_add_group    (FoReportTable     *table,
                                             const char        *title,
                                             const char        *detail);
void           fo_report_table_set_cell     (FoReportTable     *table,
                                             guint              row,
                                             guint              column,
                                             FoReportCellFlags  flags,
                                             FoReportTone       tone);
void           fo_report_table_set_keep_together (FoReportTable *table,
                                                  gboolean       keep_together);
void           fo_report_keep_with_next     (FoReport          *report);
void           fo_report_add_drawing        (FoReport          *report,
                                             double             height,
                                             FoReportDrawFunc   func,
                                             gpointer           user_data,
                                             GDestroyNotify     destroy);
void           fo_report_add_sign_off       (FoReport          *report,
                                             const char *const *roles);
void           fo_report_add_page_break     (FoReport          *report);

guint          fo_report_layout             (FoReport          *report,
                                             double             page_width,
                                             double             page_height);
guint          fo_report_get_n_pages        (FoReport          *report);
void           fo_report_draw_page          (FoReport          *report,
                                             cairo_t           *cr,
                                             guint              page);

gboolean       fo_report_write_pdf          (FoReport          *report,
                                             const char        *file,
                                             GError           **error);
void           fo_report_write_pdf_async    (FoReport          *report,
                                             const char        *file,
                                             GCancellable      *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer           user_data);
gboolean       fo_report_write_pdf_finish   (FoReport          *report,
                                             GAsyncResult      *result,
                                             GError           **error);

G_END_DECLS
