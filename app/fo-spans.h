/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "fo-types.h"

G_BEGIN_DECLS

/* A set of days as sorted, disjoint, non-adjacent inclusive ranges. The evaluator's
 * algebra: AND is intersection, OR is union, and "held for P" is a run's length. */
typedef struct
{
  FoDay first;
  FoDay last;
} FoSpan;

/* Most sets hold one to three ranges, so they live inline and need no allocation. */
#define FO_SPANS_INLINE 3

typedef struct
{
  FoSpan *v;
  guint   n;
  guint   cap;
  FoSpan  inline_ranges[FO_SPANS_INLINE];
} FoSpans;

void          fo_spans_init       (FoSpans       *spans);
void          fo_spans_clear      (FoSpans       *spans);
void          fo_spans_reset      (FoSpans       *spans);
void          fo_spans_copy       (FoSpans       *dest,
                                   const FoSpans *src);
void          fo_spans_append     (FoSpans       *spans,
                                   FoDay          first,
                                   FoDay          last);
void          fo_spans_add        (FoSpans       *spans,
                                   FoDay          first,
                                   FoDay          last);
void          fo_spans_intersect  (FoSpans       *dest,
                                   const FoSpans *a,
                                   const FoSpans *b);
void          fo_spans_union      (FoSpans       *dest,
                                   const FoSpans *a,
                                   const FoSpans *b);
void          fo_spans_complement (FoSpans       *dest,
                                   const FoSpans *a,
                                   FoDay          lo,
                                   FoDay          hi);
void          fo_spans_clip       (FoSpans       *spans,
                                   FoDay          lo,
                                   FoDay          hi);
const FoSpan *fo_spans_find       (const FoSpans *spans,
                                   FoDay          day);
const FoSpan *fo_spans_last_before (const FoSpans *spans,
                                    FoDay          day);
gboolean      fo_spans_contains   (const FoSpans *spans,
                                   FoDay          day);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FoSpans, fo_spans_clear)

G_END_DECLS
