/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "fo-report.h"

G_BEGIN_DECLS

/* What fo_report_layout() put on a page, for the tests to check the pagination rules. */
typedef enum
{
  FO_REPORT_PART_HEADING,
  FO_REPORT_PART_TABLE_HEADER,
  FO_REPORT_PART_ROW,
  FO_REPORT_PART_GROUP_ROW,
  FO_REPORT_PART_DRAWING,
  FO_REPORT_PART_SIGN_OFF,
} FoReportPartKind;

typedef struct
{
  FoReportPartKind kind;
  guint            block;        /* the index of the block, in the order it was added */
  int              row;          /* rows only: the row in its table */
  double           y;            /* top, in points from the page's top */
  double           height;
  double           offset;       /* rows only: where in the row this part starts */
  double           row_height;   /* rows only: the whole row's height */
} FoReportPart;

GArray *_fo_report_get_parts     (FoReport *report,
                                  guint     page);
double  _fo_report_content_top    (FoReport *report);
double  _fo_report_content_bottom (FoReport *report);

G_END_DECLS
