/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fo-spans"

#include "config.h"

#include <string.h>

#include "fo-spans.h"

void
fo_spans_init (FoSpans *spans)
{
  spans->v = spans->inline_ranges;
  spans->n = 0;
  spans->cap = FO_SPANS_INLINE;
}

void
fo_spans_clear (FoSpans *spans)
{
  if (spans->v != spans->inline_ranges)
    g_free (spans->v);
  fo_spans_init (spans);
}

void
fo_spans_reset (FoSpans *spans)
{
  if (spans->v == NULL)
    fo_spans_init (spans);
  spans->n = 0;
}

static void
reserve (FoSpans *spans,
         guint    n)
{
  guint cap;

  /* A zero-initialised set ({ 0 }) starts on its inline storage. */
  if (spans->v == NULL)
    fo_spans_init (spans);
  if (n <= spans->cap)
    return;
  cap = MAX (n, spans->cap * 2);
  if (spans->v == spans->inline_ranges)
    {
      spans->v = g_new (FoSpan, cap);
      memcpy (spans->v, spans->inline_ranges, spans->n * sizeof (FoSpan));
    }
  else
    spans->v = g_renew (FoSpan, spans->v, cap);
  spans->cap = cap;
}

void
fo_spans_copy (FoSpans       *dest,
               const FoSpans *src)
{
  reserve (dest, src->n);
  if (src->n > 0)
    memcpy (dest->v, src->v, src->n * sizeof (FoSpan));
  dest->n = src->n;
}

/* Appends a range that starts at or after every range already held. */
void
fo_spans_append (FoSpans *spans,
                 FoDay    first,
                 FoDay    last)
{
  if (last < first)
    return;
  if (spans->v != NULL && spans->n > 0)
    {
      FoSpan *tail = &spans->v[spans->n - 1];

      g_assert (first >= tail->first);
      if (first <= tail->last + 1)
        {
          tail->last = MAX (tail->last, last);
          return;
        }
    }
  reserve (spans, spans->n + 1);
  spans->v[spans->n].first = first;
  spans->v[spans->n].last = last;
  spans->n++;
}

/* Adds a range anywhere; used where input arrives unsorted (spell records). */
void
fo_spans_add (FoSpans *spans,
              FoDay    first,
              FoDay    last)
{
  FoSpans one = { (FoSpan[]) { { first, last } }, 1, 1 };
  FoSpans merged;

  if (last < first)
    return;
  if (spans->v == NULL || spans->n == 0 || first >= spans->v[spans->n - 1].first)
    {
      fo_spans_append (spans, first, last);
      return;
    }
  fo_spans_init (&merged);
  fo_spans_union (&merged, spans, &one);
  fo_spans_copy (spans, &merged);
  fo_spans_clear (&merged);
}

void
fo_spans_intersect (FoSpans       *dest,
                    const FoSpans *a,
                    const FoSpans *b)
{
  guint i = 0, j = 0;

  g_assert (dest != a && dest != b);
  fo_spans_reset (dest);
  while (i < a->n && j < b->n)
    {
      FoDay first = MAX (a->v[i].first, b->v[j].first);
      FoDay last = MIN (a->v[i].last, b->v[j].last);

      if (first <= last)
        fo_spans_append (dest, first, last);
      if (a->v[i].last < b->v[j].last)
        i++;
      else
        j++;
    }
}

void
fo_spans_union (FoSpans       *dest,
                const FoSpans *a,
                const FoSpans *b)
{
  guint i = 0, j = 0;

  g_assert (dest != a && dest != b);
  fo_spans_reset (dest);
  while (i < a->n || j < b->n)
    {
      const FoSpan *next;

      if (j >= b->n || (i < a->n && a->v[i].first <= b->v[j].first))
        next = &a->v[i++];
      else
        next = &b->v[j++];
      fo_spans_append (dest, next->first, next->last);
    }
}

void
fo_spans_complement (FoSpans       *dest,
                     const FoSpans *a,
                     FoDay          lo,
                     FoDay          hi)
{
  FoDay cursor = lo;

  g_assert (dest != a);
  fo_spans_reset (dest);
  for (guint i = 0; i < a->n && cursor <= hi; i++)
    {
      if (a->v[i].last < cursor)
        continue;
      if (a->v[i].first > cursor)
        fo_spans_append (dest, cursor, MIN (a->v[i].first - 1, hi));
      cursor = a->v[i].last + 1;
    }
  if (cursor <= hi)
    fo_spans_append (dest, cursor, hi);
}

void
fo_spans_clip (FoSpans *spans,
               FoDay    lo,
               FoDay    hi)
{
  guint out = 0;

  for (guint i = 0; i < spans->n; i++)
    {
      FoDay first = MAX (spans->v[i].first, lo);
      FoDay last = MIN (spans->v[i].last, hi);

      if (first <= last)
        {
          spans->v[out].first = first;
          spans->v[out].last = last;
          out++;
        }
    }
  spans->n = out;
}

const FoSpan *
fo_spans_find (const FoSpans *spans,
               FoDay          day)
{
  for (guint i = 0; i < spans->n; i++)
    {
      if (spans->v[i].first > day)
        return NULL;
      if (day <= spans->v[i].last)
        return &spans->v[i];
    }
  return NULL;
}

/* The last range that ends before @day. */
const FoSpan *
fo_spans_last_before (const FoSpans *spans,
                      FoDay          day)
{
  const FoSpan *found = NULL;

  for (guint i = 0; i < spans->n && spans->v[i].last < day; i++)
    found = &spans->v[i];
  return found;
}

gboolean
fo_spans_contains (const FoSpans *spans,
                   FoDay          day)
{
  return fo_spans_find (spans, day) != NULL;
}
