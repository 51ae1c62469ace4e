/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fo-evaluator"

#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "fo-evaluator.h"

/*
 * Every rule is evaluated over the days from the entry date to the as-of date, to two sets
 * of day ranges: the days on which it holds and the days on which it is sustained. AND is
 * intersection, OR is union, and "sustained for P" is the part of a run past its P-th month.
 * "Achieved since", "sustained since" and "claimable from" are then the starts of the runs
 * that contain the as-of date. The evaluator reads neither the clock nor the disk: records
 * dated after the as-of date are ignored, as if they had not yet been written.
 */

typedef struct
{
  const FoPlan      *plan;
  const FoFamily    *family;
  FoDay              entry;
  FoDay              as_of;
  FoDay              lo;
  FoDay              hi;
  const FoIssue     *issue;
  const FoIndicator *indicator;
  const FoOutcome   *outcome;
  int                bound;
  guint64            identified;
  gboolean           explain;
  /* Per member, worked out when first needed: school age (A26), phase, birthdays. */
  guint64            school_known;
  guint64            dmy_known;
  gboolean           terms_indexed;
  FoDay              school_first[FO_MAX_MEMBERS];
  FoDay              school_last[FO_MAX_MEMBERS];
  FoDay              primary_last[FO_MAX_MEMBERS];
  FoDay              birthdays[FO_MAX_MEMBERS][24];
  /* Each member's school terms, in date order: term_index[term_start[m] …]. */
  guint16            term_start[FO_MAX_MEMBERS + 1];
  const FoEvent     *term_index_inline[256];
  const FoEvent    **term_index;
  guint16            dob_year[FO_MAX_MEMBERS];
  guint8             dob_month[FO_MAX_MEMBERS];
  guint8             dob_day[FO_MAX_MEMBERS];
  GPtrArray         *shared;      /* FoOutcomeResult of shared outcomes judged already */
} Ctx;

typedef struct
{
  FoSpans       holds;
  FoSpans       sustained;
  gboolean      not_applicable;
  gboolean      insufficient;
  gboolean      undefined;
  FoDay         projected;
  FoProgress    progress;
  const FoRule *met_by;
  FoTrace      *trace;
} Res;

static void eval_rule (Ctx *ctx, const FoRule *rule, Res *res);

static void
res_init (Res *res)
{
  memset (res, 0, sizeof *res);
  fo_spans_init (&res->holds);
  fo_spans_init (&res->sustained);
}

static void
res_clear (Res *res)
{
  fo_spans_clear (&res->holds);
  fo_spans_clear (&res->sustained);
  g_clear_pointer (&res->trace, fo_trace_free);
}

void
fo_trace_free (FoTrace *trace)
{
  if (trace == NULL)
    return;
  g_free (trace->summary);
  g_clear_pointer (&trace->facts, g_ptr_array_unref);
  g_clear_pointer (&trace->children, g_ptr_array_unref);
  g_free (trace);
}

static FoTrace *
trace_new (const FoRule *rule)
{
  FoTrace *trace = g_new0 (FoTrace, 1);

  trace->rule = rule;
  trace->facts = g_ptr_array_new_with_free_func (g_free);
  trace->children = g_ptr_array_new_with_free_func ((GDestroyNotify) fo_trace_free);
  return trace;
}

static void G_GNUC_PRINTF (2, 3)
explain_impl (Res        *res,
              const char *format,
              ...)
{
  va_list args;
  char *text;

  if (res->trace == NULL)
    return;
  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  if (res->trace->summary == NULL)
    res->trace->summary = text;
  else
    {
      char *joined = g_strconcat (res->trace->summary, "; ", text, NULL);

      g_free (res->trace->summary);
      g_free (text);
      res->trace->summary = joined;
    }
}

static void G_GNUC_PRINTF (2, 3)
fact_impl (Res        *res,
           const char *format,
           ...)
{
  va_list args;

  if (res->trace == NULL)
    return;
  va_start (args, format);
  g_ptr_array_add (res->trace->facts, g_strdup_vprintf (format, args));
  va_end (args);
}

/* Explanations are only built when asked for: the arguments (translations, formatted dates)
 * cost more than the evaluation itself, so they must not even be computed otherwise. */
#define explain(res, ...) \
  G_STMT_START { if ((res)->trace != NULL) explain_impl ((res), __VA_ARGS__); } G_STMT_END
#define fact(res, ...) \
  G_STMT_START { if ((res)->trace != NULL) fact_impl ((res), __VA_ARGS__); } G_STMT_END

static void
adopt_child_trace (Res *res,
                   Res *child)
{
  if (res->trace != NULL && child->trace != NULL)
    g_ptr_array_add (res->trace->children, g_steal_pointer (&child->trace));
}

#define DAY(d) day_text (d, alloca (11))

static const char *
day_text (FoDay  day,
          char  *buf)
{
  fo_day_format_buf (day, buf);
  return buf;
}

static const char *
member_label (const Ctx *ctx,
              int        member)
{
  if (member < 0)
    return _("family");
  return ((FoMember *) g_ptr_array_index (ctx->family->members, member))->name;
}

static const char *
op_text (FoOp op)
{
  static const char *const texts[] = { "≥", ">", "≤", "<", "=", "≠" };

  return texts[op];
}

static gboolean
compare (double value,
         FoOp   op,
         double threshold)
{
  switch (op)
    {
    case FO_OP_GE: return value >= threshold;
    case FO_OP_GT: return value > threshold;
    case FO_OP_LE: return value <= threshold;
    case FO_OP_LT: return value < threshold;
    case FO_OP_EQ: return value == threshold;
    case FO_OP_NE: return value != threshold;
    default: g_assert_not_reached ();
    }
}

/* Compares num/den against a percentage without dividing: num × 100 op pct × den. */
static gboolean
compare_ratio (gint64 num,
               gint64 den,
               FoOp   op,
               double pct)
{
  return compare ((double) num * 100.0, op, pct * (double) den);
}

/* ---- scratch lists ------------------------------------------------------------------------ */

/* Rules nest only a few levels deep, but a cohort evaluates them millions of times: the
 * working lists are recycled per thread instead of being allocated on every call. */
typedef GPtrArray ScratchPtrs;
typedef GArray ScratchDays;

/* Per thread, and freed when the thread ends (the batch's reader threads do). */
static void
free_ptrs_pool (gpointer pool)
{
  GPtrArray *lists = pool;

  for (guint i = 0; i < lists->len; i++)
    g_ptr_array_unref (g_ptr_array_index (lists, i));
  g_ptr_array_unref (lists);
}

static void
free_days_pool (gpointer pool)
{
  GPtrArray *lists = pool;

  for (guint i = 0; i < lists->len; i++)
    g_array_unref (g_ptr_array_index (lists, i));
  g_ptr_array_unref (lists);
}

static GPrivate ptrs_pool = G_PRIVATE_INIT (free_ptrs_pool);
static GPrivate days_pool = G_PRIVATE_INIT (free_days_pool);

/* Takes a recycled list from @pool, or NULL when it is empty. */
static gpointer
pool_take (GPrivate *key)
{
  GPtrArray *pool = g_private_get (key);

  return pool != NULL && pool->len > 0 ? g_ptr_array_steal_index_fast (pool, pool->len - 1)
                                       : NULL;
}

/* Keeps @list for reuse; FALSE when the pool is full and the caller should free it. */
static gboolean
pool_give (GPrivate *key,
           gpointer  list)
{
  GPtrArray *pool = g_private_get (key);

  if (pool == NULL)
    {
      pool = g_ptr_array_new ();
      g_private_set (key, pool);
    }
  if (pool->len >= 64)
    return FALSE;
  g_ptr_array_add (pool, list);
  return TRUE;
}

static ScratchPtrs *
scratch_ptrs (void)
{
  ScratchPtrs *array = pool_take (&ptrs_pool);

  return array != NULL ? array : g_ptr_array_sized_new (32);
}

static void
scratch_ptrs_release (ScratchPtrs *array)
{
  g_ptr_array_set_size (array, 0);
  if (!pool_give (&ptrs_pool, array))
    g_ptr_array_unref (array);
}

static ScratchDays *
scratch_days (void)
{
  ScratchDays *array = pool_take (&days_pool);

  return array != NULL ? array : g_array_sized_new (FALSE, FALSE, sizeof (FoDay), 64);
}

static void
scratch_days_release (ScratchDays *array)
{
  g_array_set_size (array, 0);
  if (!pool_give (&days_pool, array))
    g_array_unref (array);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScratchPtrs, scratch_ptrs_release)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScratchDays, scratch_days_release)

/* ---- members ---------------------------------------------------------------------------- */

static const FoMember *
member_at (const Ctx *ctx,
           guint      index)
{
  return g_ptr_array_index (ctx->family->members, index);
}

/* One conversion per member: birthdays and school dates are then built from year, month
 * and day directly. */
static void
ensure_dmy (const Ctx *ctx,
            guint      member)
{
  Ctx *cache = (Ctx *) ctx;
  GDate date;

  if (ctx->dmy_known & (G_GUINT64_CONSTANT (1) << member))
    return;
  g_date_clear (&date, 1);
  g_date_set_julian (&date, member_at (ctx, member)->dob);
  cache->dob_year[member] = g_date_get_year (&date);
  cache->dob_month[member] = g_date_get_month (&date);
  cache->dob_day[member] = g_date_get_day (&date);
  cache->dmy_known |= G_GUINT64_CONSTANT (1) << member;
}

static void
ensure_school (const Ctx *ctx,
               guint      member)
{
  Ctx *cache = (Ctx *) ctx;

  if (ctx->school_known & (G_GUINT64_CONSTANT (1) << member))
    return;
  ensure_dmy (ctx, member);
  fo_school_age_span_dmy (ctx->dob_year[member], ctx->dob_month[member], ctx->dob_day[member],
                          &cache->school_first[member], &cache->school_last[member]);
  cache->primary_last[member] = fo_primary_phase_last_day_dmy (ctx->dob_year[member],
                                                               ctx->dob_month[member],
                                                               ctx->dob_day[member]);
  cache->school_known |= G_GUINT64_CONSTANT (1) << member;
}

static FoDay
birthday (const Ctx *ctx,
          guint      member,
          int        years)
{
  Ctx *cache = (Ctx *) ctx;
  GDate date;
  int year, month, day;

  if (years >= (int) G_N_ELEMENTS (ctx->birthdays[0]))
    return fo_day_nth_birthday (member_at (ctx, member)->dob, years);
  if (ctx->birthdays[member][years] != 0)
    return ctx->birthdays[member][years];
  ensure_dmy (ctx, member);
  year = ctx->dob_year[member] + years;
  month = ctx->dob_month[member];
  day = ctx->dob_day[member];
  /* 29 February birthdays fall on 1 March in common years, as in English law. */
  if (month == G_DATE_FEBRUARY && day == 29 && !g_date_is_leap_year (year))
    {
      month = G_DATE_MARCH;
      day = 1;
    }
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, month, year);
  cache->birthdays[member][years] = g_date_get_julian (&date);
  return ctx->birthdays[member][years];
}

static gboolean
member_matches (const Ctx        *ctx,
                const FoSelector *selector,
                const FoMember   *member,
                FoDay             day)
{
  if (selector->role_mask != 0 && !(selector->role_mask & (1u << member->role)))
    return FALSE;
  if (selector->identified && !(ctx->identified & (G_GUINT64_CONSTANT (1) << member->index)))
    return FALSE;
  if (selector->in_household &&
      ((member->household_from && day < member->household_from) ||
       (member->household_to && day > member->household_to)))
    return FALSE;
  if (day < member->dob)
    return FALSE;
  if (selector->age_min >= 0 && day < birthday (ctx, member->index, selector->age_min))
    return FALSE;
  if (selector->age_max >= 0 && day >= birthday (ctx, member->index, selector->age_max + 1))
    return FALSE;
  if (selector->school_age >= 0 || selector->phase >= 0)
    ensure_school (ctx, member->index);
  if (selector->school_age >= 0 &&
      (day >= ctx->school_first[member->index] && day <= ctx->school_last[member->index]) !=
      (selector->school_age == 1))
    return FALSE;
  if (selector->phase >= 0 && (day <= ctx->primary_last[member->index]) != (selector->phase == 0))
    return FALSE;
  return TRUE;
}

/* The members a count, spell, measure or reading pools. Day-dependent filters are read on
 * the entry date or on the last day evaluated, as the selector's age_at says. */
static guint64
subject_mask (const Ctx        *ctx,
              const FoSelector *selector,
              gboolean         *include_family)
{
  guint64 mask = 0;
  FoDay day;

  *include_family = FALSE;
  switch (selector->mode)
    {
    case FO_SEL_DEFAULT:
      if (ctx->bound >= 0)
        return G_GUINT64_CONSTANT (1) << ctx->bound;
      G_GNUC_FALLTHROUGH;
    case FO_SEL_FAMILY:
      *include_family = TRUE;
      return ctx->family->members->len == 64 ? G_MAXUINT64
             : (G_GUINT64_CONSTANT (1) << ctx->family->members->len) - 1;
    case FO_SEL_MEMBER:
      return ctx->bound >= 0 ? G_GUINT64_CONSTANT (1) << ctx->bound : 0;
    case FO_SEL_FILTER:
    default:
      day = selector->age_at == FO_AGE_AT_ENTRY ? ctx->entry : ctx->hi;
      for (guint i = 0; i < ctx->family->members->len; i++)
        {
          /* Day-dependent filters are applied record by record; here, keep anyone who could
           * match (role and identification still decide). */
          FoSelector loose = *selector;

          if (selector->age_at == FO_AGE_AT_DAY)
            {
              loose.age_min = loose.age_max = -1;
              loose.school_age = loose.phase = -1;
              loose.in_household = FALSE;
            }
          if (member_matches (ctx, &loose, member_at (ctx, i), day))
            mask |= G_GUINT64_CONSTANT (1) << i;
        }
      return mask;
    }
}

/* The kinds of record the subject has at all: a rule over other kinds has nothing to read. */
static guint32
subject_kinds (const Ctx *ctx,
               guint64    mask,
               gboolean   include_family)
{
  guint32 kinds = include_family ? ctx->family->family_kinds : 0;

  for (guint m = 0; m < ctx->family->members->len; m++)
    if (mask & (G_GUINT64_CONSTANT (1) << m))
      kinds |= ctx->family->member_kinds[m];
  return kinds;
}

static gboolean
event_in_subject (const FoEvent *event,
                  guint64        mask,
                  gboolean       include_family)
{
  if (event->member < 0)
    return include_family;
  return (mask & (G_GUINT64_CONSTANT (1) << event->member)) != 0;
}

/* ---- piecewise evaluation --------------------------------------------------------------- */

typedef gboolean (*DayPredicate) (Ctx *ctx, const FoRule *rule, FoDay day, gpointer data);

static int
compare_days (gconstpointer a,
              gconstpointer b)
{
  FoDay x = *(const FoDay *) a, y = *(const FoDay *) b;

  return x < y ? -1 : x > y;
}

/* Evaluates @predicate at the start of each piece between breakpoints; the truth is constant
 * within a piece by construction of the breakpoints. */
static void
piecewise (Ctx          *ctx,
           const FoRule *rule,
           GArray       *breaks,
           DayPredicate  predicate,
           gpointer      data,
           FoSpans      *out)
{
  FoDay lo = ctx->lo, hi = ctx->hi;

  g_array_append_val (breaks, lo);
  g_array_sort (breaks, compare_days);
  fo_spans_reset (out);
  for (guint i = 0; i < breaks->len; i++)
    {
      FoDay start = g_array_index (breaks, FoDay, i);
      FoDay end = hi;

      if (start < lo || start > hi)
        continue;
      if (i > 0 && start == g_array_index (breaks, FoDay, i - 1))
        continue;
      for (guint j = i + 1; j < breaks->len; j++)
        if (g_array_index (breaks, FoDay, j) > start)
          {
            end = MIN (hi, g_array_index (breaks, FoDay, j) - 1);
            break;
          }
      if (predicate (ctx, rule, start, data))
        fo_spans_append (out, start, end);
    }
}

static void
fill_all (Ctx     *ctx,
          FoSpans *spans)
{
  fo_spans_reset (spans);
  fo_spans_append (spans, ctx->lo, ctx->hi);
}

/* The first day of "the last P" window ending on @day. */
static FoDay
window_start (FoDay             day,
              const FoDuration *period)
{
  return fo_duration_window_start (day, period);
}

/* The last day whose "last P" window still includes @day_in. */
static FoDay
last_day_in_window (FoDay             day_in,
                    const FoDuration *period)
{
  FoDay last = fo_day_add_duration (day_in, period) - 1;

  while (window_start (last + 1, period) <= day_in)
    last++;
  while (last > day_in && window_start (last, period) > day_in)
    last--;
  return last;
}

/* ---- school terms ----------------------------------------------------------------------- */

typedef struct
{
  FoDay start;
  FoDay end;
} Term;

static void index_terms (const Ctx *ctx);

static void
collect_term_ends (const Ctx *ctx,
                   guint64    mask,
                   GArray    *breaks)
{
  if (!ctx->terms_indexed)
    index_terms (ctx);
  for (guint m = 0; m < ctx->family->members->len; m++)
    {
      if (!(mask & (G_GUINT64_CONSTANT (1) << m)))
        continue;
      for (guint i = ctx->term_start[m]; i < ctx->term_start[m + 1]; i++)
        {
          const FoEvent *term = ctx->term_index[i];

          if (term->end >= ctx->lo && term->end <= ctx->hi)
            g_array_append_val (breaks, term->end);
        }
    }
}

/* Start of the N-th most recent complete term (end ≤ day) among the subject's terms, or 0. */
static FoDay
terms_window_start (const Ctx *ctx,
                    guint64    mask,
                    int        n,
                    FoDay      day)
{
  GPtrArray *terms = ctx->family->by_kind[FO_KIND_ATTENDANCE];
  FoDay ends[12];
  int found = 0;

  g_assert (n <= (int) G_N_ELEMENTS (ends));
  /* Terms arrive sorted by start, so also by end: walk back until N distinct terms. */
  for (int i = (int) terms->len - 1; i >= 0; i--)
    {
      const FoEvent *term = g_ptr_array_index (terms, i);
      gboolean seen = FALSE;

      if (!event_in_subject (term, mask, FALSE) || term->end > day)
        continue;
      for (int j = 0; j < found; j++)
        if (ends[j] == term->end)
          seen = TRUE;
      if (seen)
        continue;
      ends[found++] = term->end;
      if (found == n)
        return term->start;
    }
  return 0;
}

/* ---- count ------------------------------------------------------------------------------ */

typedef struct
{
  guint64   mask;
  gboolean  include_family;
  GPtrArray *records;      /* matching FoEvent, by start date */
  gboolean  missing_terms;
} CountData;

/* Whether a record of @member counts for @selector: a filter that depends on the day (an
 * age band, school age, school phase) is judged on the record's own date, so a 17-year-old's
 * offence stays an under-18 offence after the 18th birthday. */
static gboolean
record_member_matches (const Ctx        *ctx,
                       const FoSelector *selector,
                       const FoEvent    *event)
{
  if (selector == NULL || selector->mode != FO_SEL_FILTER || selector->age_at != FO_AGE_AT_DAY ||
      event->member < 0)
    return TRUE;
  return member_matches (ctx, selector, member_at (ctx, event->member), event->start);
}

static void
collect_subject_records (const Ctx        *ctx,
                         guint32           kinds_mask,
                         char *const      *types,
                         const FoSelector *selector,
                         guint64           mask,
                         gboolean          include_family,
                         GPtrArray        *out);

static void
collect_records (const Ctx    *ctx,
                 guint32       kinds_mask,
                 char *const  *types,
                 guint64       mask,
                 gboolean      include_family,
                 GPtrArray    *out)
{
  collect_subject_records (ctx, kinds_mask, types, NULL, mask, include_family, out);
}

static void
collect_subject_records (const Ctx        *ctx,
                         guint32           kinds_mask,
                         char *const      *types,
                         const FoSelector *selector,
                         guint64           mask,
                         gboolean          include_family,
                         GPtrArray        *out)
{
  for (guint k = 0; k < FO_N_KINDS; k++)
    {
      GPtrArray *events;

      if (!(kinds_mask & (1u << k)))
        continue;
      events = ctx->family->by_kind[k];
      for (guint i = 0; i < events->len; i++)
        {
          const FoEvent *event = g_ptr_array_index (events, i);

          if (event->start > ctx->as_of)
            break;
          if (event_in_subject (event, mask, include_family) && fo_type_in (event->type, types) &&
              record_member_matches (ctx, selector, event))
            g_ptr_array_add (out, (gpointer) event);
        }
    }
}

static int
compare_event_starts (gconstpointer a,
                      gconstpointer b)
{
  const FoEvent *x = *(const FoEvent **) a, *y = *(const FoEvent **) b;

  return x->start < y->start ? -1 : x->start > y->start;
}

static gboolean
window_bounds (const Ctx      *ctx,
               const FoWindow *window,
               guint64         mask,
               FoDay           day,
               FoDay          *from,
               FoDay          *to)
{
  FoDay terms_start = 0;

  *to = fo_window_last (window, ctx->entry, day);
  if (window->kind == FO_WINDOW_LAST_TERMS)
    terms_start = terms_window_start (ctx, mask, window->terms, *to);
  *from = fo_window_first (window, ctx->entry, *to, terms_start);
  return window->kind != FO_WINDOW_LAST_TERMS || terms_start != 0;
}

static double
sum_records (const FoRule *rule,
             GPtrArray    *records,
             FoDay         from,
             FoDay         to,
             Res          *res,
             const Ctx    *ctx)
{
  double total = 0;

  for (guint i = 0; i < records->len; i++)
    {
      const FoEvent *event = g_ptr_array_index (records, i);

      if (event->start > to)
        break;
      if (fo_event_last_day (event, G_MAXUINT32) < from)
        continue;
      total += rule->sum_field == 1 ? event->days : rule->sum_field == 2 ? event->hours : 1;
      if (res != NULL && res->trace != NULL)
        fact (res, "%s %s%s%s (%s)", fo_kind_names[event->kind], DAY (event->start),
              event->type != NULL ? " " : "", event->type != NULL ? event->type : "",
              member_label (ctx, event->member));
    }
  return total;
}

static gboolean
count_predicate (Ctx          *ctx,
                 const FoRule *rule,
                 FoDay         day,
                 gpointer      user_data)
{
  CountData *data = user_data;
  FoDay from, to;

  if (!window_bounds (ctx, &rule->window, data->mask, day, &from, &to))
    {
      data->missing_terms = TRUE;
      return FALSE;
    }
  return compare (sum_records (rule, data->records, from, to, NULL, ctx), rule->op, rule->value);
}

static void
add_record_breaks (const Ctx      *ctx,
                   const FoWindow *window,
                   GPtrArray      *records,
                   GArray         *breaks)
{
  for (guint i = 0; i < records->len; i++)
    {
      const FoEvent *event = g_ptr_array_index (records, i);
      FoDay last = fo_event_last_day (event, ctx->hi);
      FoDay exit_day = 0;

      g_array_append_val (breaks, event->start);
      if (window->kind == FO_WINDOW_ON_DAY)
        exit_day = last + 1;
      else if (window->kind == FO_WINDOW_LAST && !window->at_entry)
        exit_day = last_day_in_window (last, &window->last) + 1;
      if (exit_day != 0)
        g_array_append_val (breaks, exit_day);
    }
}

static void
describe_window (const Ctx      *ctx,
                 const FoWindow *window,
                 FoDay           from,
                 FoDay           to,
                 GString        *out)
{
  if (window->kind == FO_WINDOW_ON_DAY)
    g_string_append_printf (out, _("on %s"), DAY (to));
  else
    g_string_append_printf (out, _("from %s to %s"), DAY (from), DAY (to));
}

static void
eval_count (Ctx          *ctx,
            const FoRule *rule,
            Res          *res)
{
  g_autoptr(ScratchPtrs) records = scratch_ptrs ();
  CountData data = { 0, FALSE, records, FALSE };
  gboolean fixed = rule->window.at_entry;

  data.mask = subject_mask (ctx, &rule->subject, &data.include_family);

  /* No record of these kinds at all: the count is 0 on every day. */
  if (res->trace == NULL && rule->window.kind != FO_WINDOW_LAST_TERMS &&
      (subject_kinds (ctx, data.mask, data.include_family) & rule->kinds_mask) == 0)
    {
      if (compare (0, rule->op, rule->value))
        {
          fill_all (ctx, &res->holds);
          fill_all (ctx, &res->sustained);
        }
      return;
    }
  collect_subject_records (ctx, rule->kinds_mask, rule->types, &rule->subject, data.mask,
                           data.include_family, records);
  if (rule->kinds_mask & (rule->kinds_mask - 1))
    g_ptr_array_sort (records, compare_event_starts);

  /* Entry rules are judged on one day: no pieces to find. */
  if (ctx->lo == ctx->hi && !fixed)
    {
      if (count_predicate (ctx, rule, ctx->lo, &data))
        fill_all (ctx, &res->holds);
    }
  else if (fixed)
    {
      if (count_predicate (ctx, rule, ctx->entry, &data))
        fill_all (ctx, &res->holds);
    }
  else
    {
      g_autoptr(ScratchDays) breaks = scratch_days ();

      add_record_breaks (ctx, &rule->window, records, breaks);
      if (rule->window.kind == FO_WINDOW_LAST_TERMS)
        collect_term_ends (ctx, data.mask, breaks);
      piecewise (ctx, rule, breaks, count_predicate, &data, &res->holds);
    }
  fo_spans_copy (&res->sustained, &res->holds);

  if (rule->window.kind == FO_WINDOW_LAST_TERMS)
    {
      FoDay from, to;

      res->insufficient = !window_bounds (ctx, &rule->window, data.mask, ctx->hi, &from, &to);
    }

  if (res->trace != NULL)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autofree char *kinds = NULL;
      GPtrArray *names = g_ptr_array_new ();
      FoDay from, to;
      double total;

      for (guint k = 0; k < FO_N_KINDS; k++)
        if (rule->kinds_mask & (1u << k))
          g_ptr_array_add (names, (gpointer) fo_kind_names[k]);
      g_ptr_array_add (names, NULL);
      kinds = g_strjoinv (", ", (char **) names->pdata);
      g_ptr_array_free (names, TRUE);
      if (!window_bounds (ctx, &rule->window, data.mask, ctx->hi, &from, &to))
        {
          explain (res, _("%s: fewer than %d complete school terms recorded"), kinds,
                   rule->window.terms);
          return;
        }
      total = sum_records (rule, records, from, to, res, ctx);
      if (rule->sum_field != 0)
        g_string_append_printf (text, _("%g %s of %s "), total,
                                rule->sum_field == 1 ? _("days") : _("hours"), kinds);
      else
        g_string_append_printf (text, _("%g record(s) of %s "), total, kinds);
      describe_window (ctx, &rule->window, from, to, text);
      g_string_append_printf (text, _("; needs %s %g"), op_text (rule->op), rule->value);
      explain (res, "%s", text->str);
    }
}

/* ---- spell ------------------------------------------------------------------------------ */

static void
spell_days (Ctx          *ctx,
            const FoRule *rule,
            FoSpans      *out,
            Res          *res)
{
  g_autoptr(ScratchPtrs) records = NULL;
  gboolean include_family;
  guint64 mask = subject_mask (ctx, &rule->subject, &include_family);

  fo_spans_reset (out);
  if ((subject_kinds (ctx, mask, include_family) & rule->kinds_mask) == 0)
    return;
  records = scratch_ptrs ();
  collect_subject_records (ctx, rule->kinds_mask, rule->types, &rule->subject, mask,
                           include_family, records);
  for (guint i = 0; i < records->len; i++)
    {
      const FoEvent *event = g_ptr_array_index (records, i);

      if (rule->min_level != FO_LEVEL_UNSET && event->level < rule->min_level)
        continue;
      if (rule->has_min_hours && event->hours_per_week < rule->min_hours)
        continue;
      if (rule->has_below_hours && event->hours_per_week >= rule->below_hours)
        continue;
      fo_spans_add (out, event->start, fo_event_last_day (event, ctx->hi));
      if (res->trace != NULL)
        {
          if (event->end != 0)
            fact (res, _("%s %s%s%s from %s to %s (%s)"), fo_kind_names[event->kind],
                  event->type ? event->type : "", event->level >= 0 ? " " : "",
                  event->level >= 0 ? fo_level_names[event->level] : "", DAY (event->start),
                  DAY (event->end), member_label (ctx, event->member));
          else
            fact (res, _("%s %s%s%s from %s, ongoing (%s)"), fo_kind_names[event->kind],
                  event->type ? event->type : "", event->level >= 0 ? " " : "",
                  event->level >= 0 ? fo_level_names[event->level] : "", DAY (event->start),
                  member_label (ctx, event->member));
        }
    }
  fo_spans_clip (out, ctx->lo, ctx->hi);
}

static void
sustain_runs (Ctx              *ctx,
              const FoSpans    *holds,
              const FoDuration *period,
              FoSpans          *out)
{
  fo_spans_reset (out);
  for (guint i = 0; i < holds->n; i++)
    {
      FoDay done = fo_duration_completed_on (MAX (holds->v[i].first, ctx->entry), period);

      if (done <= holds->v[i].last)
        fo_spans_append (out, done, holds->v[i].last);
    }
}

static void
progress_of_run (Ctx              *ctx,
                 const FoSpans    *holds,
                 const FoDuration *period,
                 Res              *res)
{
  const FoSpan *run = fo_spans_find (holds, ctx->hi);

  if (run == NULL)
    return;
  res->progress.unit = period->unit == FO_UNIT_MONTHS ? FO_PROGRESS_MONTHS
                       : period->unit == FO_UNIT_WEEKS ? FO_PROGRESS_WEEKS : FO_PROGRESS_DAYS;
  res->progress.done = fo_duration_whole_units (MAX (run->first, ctx->entry), ctx->hi, period);
  res->progress.needed = period->n;
  res->projected = fo_duration_completed_on (MAX (run->first, ctx->entry), period);
}

static void
eval_spell (Ctx          *ctx,
            const FoRule *rule,
            Res          *res)
{
  spell_days (ctx, rule, &res->holds, res);

  if (rule->has_continuous)
    {
      sustain_runs (ctx, &res->holds, &rule->continuous, &res->sustained);
      progress_of_run (ctx, &res->holds, &rule->continuous, res);
    }
  else if (rule->has_n_of_m)
    {
      int n = fo_day_add_duration (0, &rule->n_of_m_n);
      int m = fo_day_add_duration (0, &rule->n_of_m_m);
      guint length = ctx->hi - ctx->lo + 1;
      g_autofree int *prefix = g_new0 (int, length + 1);

      /* Employed days so far, day by day: the window slides one day at a time. */
      for (guint i = 0; i < length; i++)
        prefix[i + 1] = prefix[i] + (fo_spans_contains (&res->holds, ctx->lo + i) ? 1 : 0);
      fo_spans_reset (&res->sustained);
      for (guint i = 0; i < length; i++)
        {
          int first = MAX (0, (int) i - m + 1);

          if (prefix[i + 1] - prefix[first] >= n)
            fo_spans_append (&res->sustained, ctx->lo + i, ctx->lo + i);
        }
      {
        int first = MAX (0, (int) length - m);

        res->progress.unit = FO_PROGRESS_DAYS;
        res->progress.done = prefix[length] - prefix[first];
        res->progress.needed = n;
      }
    }
  else
    fo_spans_copy (&res->sustained, &res->holds);

  if (res->trace != NULL)
    {
      const FoSpan *run = fo_spans_find (&res->holds, ctx->hi);

      if (run != NULL)
        explain (res, _("in a matching spell since %s"), DAY (run->first));
      else
        explain (res, _("no matching spell on %s"), DAY (ctx->hi));
      if (rule->has_continuous)
        {
          g_autofree char *period = fo_duration_to_string (&rule->continuous);

          explain (res, _("needs %s unbroken from entry"), period);
        }
      if (rule->has_n_of_m)
        explain (res, _("%d days in a spell in the last %d days; needs %d"),
                 res->progress.done, (int) fo_day_add_duration (0, &rule->n_of_m_m),
                 res->progress.needed);
    }
}

/* ---- measure (attendance) --------------------------------------------------------------- */

typedef struct
{
  gint64 num;
  gint64 den;
  int    terms;        /* terms used (the fewest of any member pooled) */
  gboolean each_ok;
  FoDay  first;
  FoDay  last;
} Pooled;

static gint64
series_numerator (FoSeries       series,
                  const FoEvent *term)
{
  switch (series)
    {
    case FO_SERIES_ATTENDANCE:
      return term->attended;
    case FO_SERIES_ATTENDANCE_IGNORING_AUTHORISED:
      return term->possible - term->unauthorised;
    case FO_SERIES_ABSENCE:
      return term->possible - term->attended;
    case FO_SERIES_UNAUTHORISED_ABSENCE:
    default:
      return term->unauthorised;
    }
}

/* Pools the last @n complete terms (end ≤ @day; start ≥ entry when @after_entry) of each
 * member of @mask. Returns FALSE when no member has a term to pool. */
static gboolean
pool_terms (const Ctx    *ctx,
            const FoRule *rule,
            guint64       mask,
            FoSeries      series,
            int           n,
            FoDay         day,
            gboolean      after_entry,
            double        each_threshold,
            Pooled       *out,
            Res          *res)
{
  gboolean any = FALSE;

  if (!ctx->terms_indexed)
    index_terms (ctx);
  *out = (Pooled) { 0, 0, G_MAXINT, TRUE, 0, 0 };
  for (guint m = 0; m < ctx->family->members->len; m++)
    {
      int taken = 0;

      if (!(mask & (G_GUINT64_CONSTANT (1) << m)))
        continue;
      for (int i = (int) ctx->term_start[m + 1] - 1; i >= (int) ctx->term_start[m] && taken < n; i--)
        {
          const FoEvent *term = ctx->term_index[i];

          if (term->end > day || (after_entry && term->start < ctx->entry) ||
              !record_member_matches (ctx, &rule->subject, term))
            continue;
          taken++;
          out->num += series_numerator (series, term);
          out->den += term->possible;
          if (rule->each_term && !compare_ratio (series_numerator (series, term), term->possible,
                                                 rule->op, each_threshold))
            out->each_ok = FALSE;
          out->first = out->first ? MIN (out->first, term->start) : term->start;
          out->last = MAX (out->last, term->end);
          if (res != NULL && res->trace != NULL)
            fact (res, _("%s: %s %lld of %lld sessions (%s to %s), %lld unauthorised absence"),
                  member_label (ctx, m), term->term ? term->term : _("term"),
                  (long long) term->attended, (long long) term->possible, DAY (term->start),
                  DAY (term->end), (long long) term->unauthorised);
        }
      if (taken > 0)
        {
          any = TRUE;
          out->terms = MIN (out->terms, taken);
        }
    }
  if (!any)
    out->terms = 0;
  return any;
}

typedef struct
{
  guint64 mask;
} MeasureData;

/* Groups the terms by member once per evaluation: pooling then reads one member's terms. */
static void
index_terms (const Ctx *ctx)
{
  Ctx *cache = (Ctx *) ctx;
  GPtrArray *terms = ctx->family->by_kind[FO_KIND_ATTENDANCE];
  guint n_members = ctx->family->members->len;
  guint counts[FO_MAX_MEMBERS] = { 0 };
  guint fill[FO_MAX_MEMBERS];

  cache->term_index = terms->len <= G_N_ELEMENTS (ctx->term_index_inline)
                      ? cache->term_index_inline : g_new (const FoEvent *, terms->len);
  for (guint i = 0; i < terms->len; i++)
    {
      const FoEvent *term = g_ptr_array_index (terms, i);

      if (term->member >= 0)
        counts[term->member]++;
    }
  cache->term_start[0] = 0;
  for (guint m = 0; m < n_members; m++)
    {
      cache->term_start[m + 1] = cache->term_start[m] + counts[m];
      fill[m] = cache->term_start[m];
    }
  for (guint i = 0; i < terms->len; i++)
    {
      const FoEvent *term = g_ptr_array_index (terms, i);

      if (term->member >= 0)
        cache->term_index[fill[term->member]++] = term;
    }
  cache->terms_indexed = TRUE;
}

static gboolean
measure_pass (const FoRule *rule,
              const Pooled *pooled)
{
  if (rule->each_term)
    return pooled->each_ok;
  return compare_ratio (pooled->num, pooled->den, rule->op, rule->value);
}

static gboolean
measure_predicate (Ctx          *ctx,
                   const FoRule *rule,
                   FoDay         day,
                   gpointer      user_data)
{
  MeasureData *data = user_data;
  Pooled pooled;

  if (!pool_terms (ctx, rule, data->mask, rule->series, rule->terms, day, rule->after_entry,
                   rule->value, &pooled, NULL))
    return FALSE;
  return measure_pass (rule, &pooled);
}

static gboolean
measure_sustained_predicate (Ctx          *ctx,
                             const FoRule *rule,
                             FoDay         day,
                             gpointer      user_data)
{
  MeasureData *data = user_data;
  Pooled pooled;

  if (!pool_terms (ctx, rule, data->mask, rule->series, rule->terms, day, rule->after_entry,
                   rule->value, &pooled, NULL))
    return FALSE;
  return pooled.terms >= rule->terms && measure_pass (rule, &pooled);
}

static const char *
series_label (FoSeries series)
{
  switch (series)
    {
    case FO_SERIES_ATTENDANCE: return _("attendance");
    case FO_SERIES_ATTENDANCE_IGNORING_AUTHORISED: return _("attendance (authorised absence counted as present)");
    case FO_SERIES_ABSENCE: return _("absence");
    case FO_SERIES_UNAUTHORISED_ABSENCE:
    default: return _("unauthorised absence");
    }
}

static void
eval_measure (Ctx          *ctx,
              const FoRule *rule,
              Res          *res)
{
  g_autoptr(ScratchDays) breaks = scratch_days ();
  MeasureData data = { 0 };
  gboolean include_family;
  Pooled pooled;
  gboolean have;

  data.mask = subject_mask (ctx, &rule->subject, &include_family);
  if (rule->at_entry || ctx->lo == ctx->hi)
    {
      if (measure_predicate (ctx, rule, rule->at_entry ? ctx->entry : ctx->lo, &data))
        fill_all (ctx, &res->holds);
      if (rule->after_entry && !rule->at_entry)
        {
          if (measure_sustained_predicate (ctx, rule, ctx->lo, &data))
            fill_all (ctx, &res->sustained);
        }
      else
        fo_spans_copy (&res->sustained, &res->holds);
    }
  else
    {
      FoDay lo = ctx->lo;

      /* One pooling per piece gives both the days it holds and the days it is sustained. */
      collect_term_ends (ctx, data.mask, breaks);
      g_array_append_val (breaks, lo);
      g_array_sort (breaks, compare_days);
      fo_spans_reset (&res->holds);
      fo_spans_reset (&res->sustained);
      for (guint i = 0; i < breaks->len; i++)
        {
          FoDay start = g_array_index (breaks, FoDay, i);
          FoDay end = ctx->hi;
          Pooled piece;

          if (start < ctx->lo || start > ctx->hi ||
              (i > 0 && start == g_array_index (breaks, FoDay, i - 1)))
            continue;
          for (guint j = i + 1; j < breaks->len; j++)
            if (g_array_index (breaks, FoDay, j) > start)
              {
                end = MIN (ctx->hi, g_array_index (breaks, FoDay, j) - 1);
                break;
              }
          if (!pool_terms (ctx, rule, data.mask, rule->series, rule->terms, start,
                           rule->after_entry, rule->value, &piece, NULL) ||
              !measure_pass (rule, &piece))
            continue;
          fo_spans_append (&res->holds, start, end);
          if (!rule->after_entry || piece.terms >= rule->terms)
            fo_spans_append (&res->sustained, start, end);
        }
    }

  have = pool_terms (ctx, rule, data.mask, rule->series, rule->terms,
                     rule->at_entry ? ctx->entry : ctx->hi, rule->after_entry, rule->value,
                     &pooled, res);
  if (!have)
    res->insufficient = TRUE;
  if (rule->after_entry)
    {
      res->progress.unit = FO_PROGRESS_TERMS;
      res->progress.done = have ? MIN (pooled.terms, rule->terms) : 0;
      res->progress.needed = rule->terms;
    }

  if (res->trace != NULL)
    {
      if (!have)
        explain (res, _("no complete school term of %s recorded%s"), series_label (rule->series),
                 rule->after_entry ? _(" since entry") : "");
      else if (rule->each_term)
        explain (res, _("%s in each of %d term(s) from %s to %s; needs %s %g%% in every term"),
                 series_label (rule->series), pooled.terms, DAY (pooled.first), DAY (pooled.last),
                 op_text (rule->op), rule->value);
      else
        explain (res, _("%s %.1f%% over %d term(s) from %s to %s (%lld of %lld sessions); "
                        "needs %s %g%% over %d term(s)"),
                 series_label (rule->series), 100.0 * pooled.num / pooled.den, pooled.terms,
                 DAY (pooled.first), DAY (pooled.last), (long long) pooled.num,
                 (long long) pooled.den, op_text (rule->op), rule->value, rule->terms);
    }
}

/* ---- change ----------------------------------------------------------------------------- */

typedef struct
{
  guint64    mask;
  gboolean   include_family;
  GPtrArray *records;
  double     baseline;
  Pooled     base_terms;
} ChangeData;

/* A03: pass iff cmp × B × 100 ≤ base × P × (100 − pct) for a decrease, in whole numbers. */
static gboolean
count_change_passes (const FoRule *rule,
                     double        baseline,
                     double        compared)
{
  double b = rule->rate ? rule->baseline.last.n : 1;
  double p = rule->rate ? rule->compare.n : 1;

  if (baseline == 0)
    {
      switch (rule->zero_baseline)
        {
        case FO_ZERO_PASS: return TRUE;
        case FO_ZERO_FAIL: return FALSE;
        case FO_ZERO_REQUIRE_ZERO:
        default: return rule->direction < 0 ? compared == 0 : compared > 0;
        }
    }
  if (rule->direction < 0)
    {
      if (!rule->has_min_pct)
        return compared * b < baseline * p;
      return compared * b * 100 <= baseline * p * (100 - rule->min_pct);
    }
  if (!rule->has_min_pct)
    return compared * b > baseline * p;
  return compared * b * 100 >= baseline * p * (100 + rule->min_pct);
}

static gboolean
change_count_predicate (Ctx          *ctx,
                        const FoRule *rule,
                        FoDay         day,
                        gpointer      user_data)
{
  ChangeData *data = user_data;
  FoDay from = window_start (day, &rule->compare);

  if (from < ctx->entry)
    return FALSE;
  return count_change_passes (rule, data->baseline,
                              sum_records (rule->metric, data->records, from, day, NULL, ctx));
}

static gboolean
attendance_change_passes (const FoRule *rule,
                          const Pooled *base,
                          const Pooled *cmp)
{
  /* Rates as fractions num/den, compared by cross-multiplying: no rounding anywhere. */
  double bn = base->num, bd = base->den, cn = cmp->num, cd = cmp->den;
  double diff = rule->direction > 0 ? cn * bd - bn * cd : bn * cd - cn * bd;

  if (rule->has_floor && cn * 100 < rule->floor_value * cd)
    return FALSE;
  if (rule->has_ceiling && cn * 100 >= rule->ceiling_value * cd)
    return FALSE;
  if (rule->has_min_points)
    return diff * 100 >= rule->min_points * cd * bd;
  if (bn == 0 && rule->has_min_pct)
    return rule->zero_baseline == FO_ZERO_PASS ||
           (rule->zero_baseline == FO_ZERO_REQUIRE_ZERO && rule->direction < 0 && cn == 0);
  if (rule->has_min_pct)
    return diff * 100 >= rule->min_pct * bn * cd;
  return diff > 0;
}

static gboolean
change_terms_predicate (Ctx          *ctx,
                        const FoRule *rule,
                        FoDay         day,
                        gpointer      user_data)
{
  ChangeData *data = user_data;
  Pooled cmp;

  if (!pool_terms (ctx, rule->metric, data->mask, rule->metric->series, rule->compare_terms, day,
                   TRUE, 0, &cmp, NULL))
    return FALSE;
  return attendance_change_passes (rule, &data->base_terms, &cmp);
}

static gboolean
change_terms_sustained_predicate (Ctx          *ctx,
                                  const FoRule *rule,
                                  FoDay         day,
                                  gpointer      user_data)
{
  ChangeData *data = user_data;
  Pooled cmp;

  if (!pool_terms (ctx, rule->metric, data->mask, rule->metric->series, rule->compare_terms, day,
                   TRUE, 0, &cmp, NULL))
    return FALSE;
  return cmp.terms >= rule->compare_terms && attendance_change_passes (rule, &data->base_terms,
                                                                       &cmp);
}

static void
eval_change (Ctx          *ctx,
             const FoRule *rule,
             Res          *res)
{
  g_autoptr(ScratchDays) breaks = scratch_days ();
  g_autoptr(ScratchPtrs) records = scratch_ptrs ();
  ChangeData data = { 0 };
  const char *direction = rule->direction < 0 ? _("reduction") : _("increase");

  data.records = records;
  data.mask = subject_mask (ctx, &rule->metric->subject, &data.include_family);

  if (rule->metric->kind == FO_RULE_COUNT)
    {
      FoDay base_from = window_start (ctx->entry, &rule->baseline.last);
      FoDay first = fo_duration_completed_on (ctx->entry, &rule->compare);

      collect_subject_records (ctx, rule->metric->kinds_mask, rule->metric->types,
                               &rule->metric->subject, data.mask,
                       data.include_family, records);
      if (rule->metric->kinds_mask & (rule->metric->kinds_mask - 1))
        g_ptr_array_sort (records, compare_event_starts);
      data.baseline = sum_records (rule->metric, records, base_from, ctx->entry, NULL, ctx);
      /* The first day whose comparison window starts on or after entry. */
      while (window_start (first, &rule->compare) < ctx->entry)
        first++;
      while (first > ctx->entry && window_start (first - 1, &rule->compare) >= ctx->entry)
        first--;

      {
        FoWindow moving = { FO_WINDOW_LAST, rule->compare, 0, FALSE };

        add_record_breaks (ctx, &moving, records, breaks);
      }
      g_array_append_val (breaks, first);
      piecewise (ctx, rule, breaks, change_count_predicate, &data, &res->holds);
      fo_spans_copy (&res->sustained, &res->holds);

      if (ctx->hi < first)
        {
          res->insufficient = TRUE;
          res->progress.unit = rule->compare.unit == FO_UNIT_MONTHS ? FO_PROGRESS_MONTHS
                               : rule->compare.unit == FO_UNIT_WEEKS ? FO_PROGRESS_WEEKS
                               : FO_PROGRESS_DAYS;
          res->progress.done = fo_duration_whole_units (ctx->entry, ctx->hi, &rule->compare);
          res->progress.needed = rule->compare.n;
          res->projected = first;
        }

      if (res->trace != NULL)
        {
          g_autofree char *base_period = fo_duration_to_string (&rule->baseline.last);
          g_autofree char *cmp_period = fo_duration_to_string (&rule->compare);

          fact (res, _("baseline: %g in the %s to %s"), data.baseline, base_period,
                DAY (ctx->entry));
          if (ctx->hi < first)
            explain (res, _("not yet measurable: the %s after entry end on %s (baseline %g in "
                            "the %s before entry)"), cmp_period, DAY (first), data.baseline,
                     base_period);
          else
            {
              FoDay from = window_start (ctx->hi, &rule->compare);
              double compared = sum_records (rule->metric, records, from, ctx->hi, res, ctx);

              if (data.baseline == 0)
                explain (res, _("baseline 0 in the %s before entry, so a percentage %s is "
                                "undefined; %g in the %s to %s (zero baseline: %s)"),
                         base_period, direction, compared, cmp_period, DAY (ctx->hi),
                         rule->zero_baseline == FO_ZERO_REQUIRE_ZERO ? _("requires none")
                         : rule->zero_baseline == FO_ZERO_PASS ? _("passes") : _("fails"));
              else if (rule->has_min_pct)
                explain (res, _("%g in the %s to %s against %g in the %s before entry (%s); "
                                "needs a %s of at least %g%%"), compared, cmp_period,
                         DAY (ctx->hi), data.baseline, base_period,
                         rule->rate ? _("compared as monthly rates") : _("compared as counts"),
                         direction, rule->min_pct);
              else
                explain (res, _("%g in the %s to %s against %g in the %s before entry; needs "
                                "a %s"), compared, cmp_period, DAY (ctx->hi), data.baseline,
                         base_period, direction);
            }
        }
      return;
    }

  /* Attendance: the baseline terms end on or before entry; the compared ones start after. */
  if (!pool_terms (ctx, rule->metric, data.mask, rule->metric->series, rule->baseline_terms,
                   ctx->entry, FALSE, 0, &data.base_terms, res))
    {
      res->insufficient = TRUE;
      explain (res, _("no attendance recorded for the terms before entry"));
      return;
    }
  collect_term_ends (ctx, data.mask, breaks);
  piecewise (ctx, rule, breaks, change_terms_predicate, &data, &res->holds);
  g_array_set_size (breaks, 0);
  collect_term_ends (ctx, data.mask, breaks);
  piecewise (ctx, rule, breaks, change_terms_sustained_predicate, &data, &res->sustained);
  {
    Pooled cmp;
    gboolean have = pool_terms (ctx, rule->metric, data.mask, rule->metric->series,
                                rule->compare_terms, ctx->hi, TRUE, 0, &cmp, res);

    res->progress.unit = FO_PROGRESS_TERMS;
    res->progress.done = have ? MIN (cmp.terms, rule->compare_terms) : 0;
    res->progress.needed = rule->compare_terms;
    if (!have)
      {
        res->insufficient = TRUE;
        explain (res, _("baseline %s %.1f%%; no complete term since entry yet"),
                 series_label (rule->metric->series),
                 100.0 * data.base_terms.num / data.base_terms.den);
      }
    else if (res->trace != NULL)
      {
        g_autoptr(GString) need = g_string_new (NULL);

        if (rule->has_min_pct)
          g_string_append_printf (need, _("a relative %s of at least %g%%"), direction,
                                  rule->min_pct);
        else if (rule->has_min_points)
          g_string_append_printf (need, _("a %s of at least %g percentage points"), direction,
                                  rule->min_points);
        else
          g_string_append_printf (need, _("a %s"), direction);
        if (rule->has_floor)
          g_string_append_printf (need, _(", to at least %g%%"), rule->floor_value);
        if (rule->has_ceiling)
          g_string_append_printf (need, _(", to below %g%%"), rule->ceiling_value);
        explain (res, _("%s %.1f%% over %d term(s) since entry against %.1f%% over %d term(s) "
                        "before; needs %s"),
                 series_label (rule->metric->series), 100.0 * cmp.num / cmp.den, cmp.terms,
                 100.0 * data.base_terms.num / data.base_terms.den, data.base_terms.terms,
                 need->str);
      }
  }
}

/* ---- reading (Family Star Plus and assessment scores, A13) ------------------------------- */

static double
reading_value (const FoRule  *rule,
               const FoEvent *reading)
{
  double sum = 0;

  if (!rule->star)
    return reading->score;
  for (guint area = 0; area < FO_STAR_AREAS; area++)
    if (rule->areas_mask & (1u << area))
      sum += reading->scores[area];
  return sum;
}

static gboolean
reading_qualifies (const FoRule  *rule,
                   const FoEvent *reading,
                   const FoEvent *baseline)
{
  if (rule->has_change)
    {
      double now = reading_value (rule, reading);
      double base;
      double diff;

      if (baseline == NULL)
        return FALSE;
      base = reading_value (rule, baseline);
      diff = rule->direction > 0 ? now - base : base - now;
      if (rule->change_is_pct)
        return base != 0 && diff * 100 >= rule->change_pct * base;
      if (rule->change_points > 0)
        {
          /* An average's change in points is a sum's change of points × areas (A15). */
          double scale = rule->star && rule->aggregate == FO_AGG_AVERAGE ? rule->n_areas : 1;

          return diff >= rule->change_points * scale;
        }
      return diff > 0;
    }

  if (rule->star && rule->aggregate == FO_AGG_EACH)
    {
      int passing = 0;

      for (guint area = 0; area < FO_STAR_AREAS; area++)
        if ((rule->areas_mask & (1u << area)) && compare (reading->scores[area], rule->op,
                                                          rule->value))
          passing++;
      return passing >= rule->at_least_areas;
    }
  if (rule->star && rule->aggregate == FO_AGG_AVERAGE)
    return compare (reading_value (rule, reading), rule->op, rule->value * rule->n_areas);
  return compare (reading_value (rule, reading), rule->op, rule->value);
}

static void
collect_readings (const Ctx    *ctx,
                  const FoRule *rule,
                  GPtrArray    *out)
{
  gboolean include_family;
  guint64 mask = subject_mask (ctx, &rule->subject, &include_family);
  GPtrArray *events = ctx->family->by_kind[rule->star ? FO_KIND_STAR_READING : FO_KIND_ASSESSMENT];

  for (guint i = 0; i < events->len; i++)
    {
      const FoEvent *event = g_ptr_array_index (events, i);

      if (event->start > ctx->as_of)
        break;
      if (rule->star)
        {
          if (rule->joint_only && g_strcmp0 (event->taken_by, "joint") != 0)
            continue;
        }
      else if (g_ascii_strcasecmp (event->type, rule->instrument) != 0 ||
               !event_in_subject (event, mask, include_family) ||
               !record_member_matches (ctx, &rule->subject, event))
        continue;
      g_ptr_array_add (out, (gpointer) event);
    }
}

/* The latest reading on or before entry, or else the first one after it. */
static const FoEvent *
baseline_reading (const Ctx *ctx,
                  GPtrArray *readings)
{
  const FoEvent *found = NULL;

  for (guint i = 0; i < readings->len; i++)
    {
      const FoEvent *reading = g_ptr_array_index (readings, i);

      if (reading->start <= ctx->entry)
        found = reading;
      else
        return found != NULL ? found : reading;
    }
  return found;
}

static void
describe_reading (const Ctx     *ctx,
                  const FoRule  *rule,
                  const FoEvent *reading,
                  gboolean       qualifies,
                  Res           *res)
{
  if (res->trace == NULL)
    return;
  if (rule->star)
    {
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint area = 0; area < FO_STAR_AREAS; area++)
        if (rule->areas_mask & (1u << area))
          g_string_append_printf (text, "%s%s %d", text->len ? ", " : "",
                                  fo_star_area_label (area), reading->scores[area]);
      fact (res, _("Star reading %s (%s): %s — %s"), DAY (reading->start),
            reading->taken_by ? reading->taken_by : _("unspecified"), text->str,
            qualifies ? _("qualifies") : _("does not qualify"));
    }
  else
    fact (res, _("%s score %g on %s (%s) — %s"), rule->instrument, reading->score,
          DAY (reading->start), member_label (ctx, reading->member),
          qualifies ? _("qualifies") : _("does not qualify"));
}

static void
eval_reading (Ctx          *ctx,
              const FoRule *rule,
              Res          *res)
{
  g_autoptr(ScratchPtrs) readings = scratch_ptrs ();
  const FoEvent *baseline;
  guint run_start = 0, run_length = 0;
  gboolean any_after_entry = FALSE;

  collect_readings (ctx, rule, readings);
  baseline = baseline_reading (ctx, readings);

  if (rule->baseline_only)
    {
      if (baseline == NULL)
        {
          res->insufficient = TRUE;
          explain (res, _("no %s reading to use as the baseline"), rule->instrument);
          return;
        }
      if (reading_qualifies (rule, baseline, NULL))
        fill_all (ctx, &res->holds);
      fo_spans_copy (&res->sustained, &res->holds);
      describe_reading (ctx, rule, baseline, res->holds.n > 0, res);
      explain (res, _("baseline %s reading of %s %s"), rule->instrument, DAY (baseline->start),
               res->holds.n > 0 ? _("qualifies") : _("does not qualify"));
      return;
    }

  fo_spans_reset (&res->holds);
  fo_spans_reset (&res->sustained);
  for (guint i = 0; i < readings->len; i++)
    {
      const FoEvent *reading = g_ptr_array_index (readings, i);
      FoDay until = ctx->hi;
      gboolean qualifies;

      if (reading->start < ctx->entry || reading->start > ctx->hi)
        continue;
      /* Several readings on one day: the last one recorded stands, once. */
      if (i + 1 < readings->len &&
          ((FoEvent *) g_ptr_array_index (readings, i + 1))->start == reading->start)
        continue;
      any_after_entry = TRUE;
      for (guint j = i + 1; j < readings->len; j++)
        if (((FoEvent *) g_ptr_array_index (readings, j))->start > reading->start)
          {
            until = MIN (until, ((FoEvent *) g_ptr_array_index (readings, j))->start - 1);
            break;
          }
        else
          {
            /* Several readings on one day: the last one recorded stands. */
            until = 0;
            break;
          }
      qualifies = reading_qualifies (rule, reading, baseline);
      if (baseline != NULL && reading == baseline && rule->has_change)
        qualifies = FALSE;
      if (qualifies)
        {
          if (run_length == 0)
            run_start = i;
          run_length++;
        }
      else
        run_length = 0;
      describe_reading (ctx, rule, reading, qualifies, res);
      if (until == 0)
        continue;
      if (qualifies)
        {
          const FoEvent *first = g_ptr_array_index (readings, run_start);
          gboolean sustained;

          fo_spans_append (&res->holds, reading->start, until);
          if (rule->sustain_readings > 0)
            sustained = (int) run_length >= rule->sustain_readings;
          else if (rule->has_span)
            sustained = reading->start >= fo_duration_completed_on (first->start,
                                                                    &rule->sustain_span);
          else
            sustained = TRUE;
          if (sustained)
            fo_spans_append (&res->sustained, reading->start, until);
        }
    }

  if (!any_after_entry)
    res->insufficient = TRUE;
  if (run_length > 0 && rule->sustain_readings > 0)
    {
      res->progress.unit = FO_PROGRESS_READINGS;
      res->progress.done = MIN ((int) run_length, rule->sustain_readings);
      res->progress.needed = rule->sustain_readings;
    }
  else if (run_length > 0 && rule->has_span)
    {
      const FoEvent *first = g_ptr_array_index (readings, run_start);
      const FoEvent *last = g_ptr_array_index (readings, readings->len - 1);

      res->progress.unit = rule->sustain_span.unit == FO_UNIT_MONTHS ? FO_PROGRESS_MONTHS
                           : rule->sustain_span.unit == FO_UNIT_WEEKS ? FO_PROGRESS_WEEKS
                           : FO_PROGRESS_DAYS;
      res->progress.done = fo_duration_whole_units (first->start, last->start,
                                                    &rule->sustain_span);
      res->progress.needed = rule->sustain_span.n;
    }

  if (res->trace != NULL)
    {
      g_autoptr(GString) need = g_string_new (NULL);

      if (rule->has_change)
        g_string_append_printf (need, _("a %s of %g%s from the baseline of %s"),
                                rule->direction > 0 ? _("rise") : _("fall"),
                                rule->change_is_pct ? rule->change_pct : rule->change_points,
                                rule->change_is_pct ? "%" : _(" point(s)"),
                                baseline ? DAY (baseline->start) : _("(none)"));
      else if (rule->star && rule->aggregate == FO_AGG_EACH)
        g_string_append_printf (need, _("%s %g in %d of %d area(s)"), op_text (rule->op),
                                rule->value, rule->at_least_areas, rule->n_areas);
      else
        g_string_append_printf (need, _("%s %s %g"), rule->star && rule->aggregate == FO_AGG_AVERAGE
                                ? _("an average") : _("a score"), op_text (rule->op), rule->value);
      if (rule->sustain_readings > 0)
        g_string_append_printf (need, _(", across %d readings in a row"), rule->sustain_readings);
      if (rule->has_span)
        {
          g_autofree char *span = fo_duration_to_string (&rule->sustain_span);

          g_string_append_printf (need, _(", over readings spanning %s"), span);
        }
      if (!any_after_entry)
        explain (res, _("no %s reading since entry; needs %s"), rule->instrument, need->str);
      else
        explain (res, _("%u qualifying reading(s) in a row up to the latest; needs %s"),
                 run_length, need->str);
    }
}

/* ---- transition (case closed or stepped down, no return; A34) ---------------------------- */

typedef struct
{
  GPtrArray *cases;
  GPtrArray *returns;
  GPtrArray *quiet;
} TransitionData;

static gboolean
reason_accepted (char *const *accepted,
                 const char  *reason)
{
  if (accepted == NULL)
    return TRUE;
  return reason != NULL && g_strv_contains ((const char *const *) accepted, reason);
}

/* The closure day a transition rests on, as of @day, or 0. */
static FoDay
transition_closure (Ctx            *ctx,
                    const FoRule   *rule,
                    FoDay           day,
                    TransitionData *data)
{
  FoDay closure = 0;

  if (rule->family_case)
    {
      if (ctx->family->closure_date == 0 || ctx->family->closure_date >= day)
        return 0;
      if (rule->to != NULL && !reason_accepted (rule->to, ctx->family->closure_reason) &&
          !g_strv_contains ((const char *const *) rule->to, "closed"))
        return 0;
      closure = ctx->family->closure_date;
    }
  else
    {
      gboolean any = FALSE;

      for (guint i = 0; i < data->cases->len; i++)
        {
          const FoEvent *episode = g_ptr_array_index (data->cases, i);

          if (episode->start > day)
            break;
          /* A case that ended before entry is history: it neither helps nor blocks (A02). */
          if (episode->end != 0 && episode->end < ctx->entry)
            continue;
          if (episode->end == 0 || episode->end >= day)
            return 0;
          if (!reason_accepted (rule->to, episode->end_reason))
            return 0;
          any = TRUE;
          closure = MAX (closure, episode->end);
        }
      if (!any)
        return 0;
    }
  if (closure < ctx->entry)
    return 0;
  for (guint i = 0; i < data->returns->len; i++)
    {
      const FoEvent *episode = g_ptr_array_index (data->returns, i);

      if (episode->start > closure && episode->start <= day)
        return 0;
    }
  if (rule->has_quiet)
    {
      /* A34: "the month prior to closure" is add_months (c, −1) through c. */
      FoDay quiet_from = fo_duration_window_start (closure, &rule->quiet_for) - 1;

      for (guint i = 0; i < data->quiet->len; i++)
        {
          const FoEvent *event = g_ptr_array_index (data->quiet, i);

          if (event->start >= quiet_from && event->start <= closure)
            return 0;
        }
    }
  return closure;
}

static gboolean
transition_predicate (Ctx          *ctx,
                      const FoRule *rule,
                      FoDay         day,
                      gpointer      user_data)
{
  return transition_closure (ctx, rule, day, user_data) != 0;
}

static void
eval_transition (Ctx          *ctx,
                 const FoRule *rule,
                 Res          *res)
{
  g_autoptr(ScratchPtrs) cases = scratch_ptrs ();
  g_autoptr(ScratchPtrs) returns = scratch_ptrs ();
  g_autoptr(ScratchPtrs) quiet = scratch_ptrs ();
  g_autoptr(ScratchDays) breaks = scratch_days ();
  TransitionData data = { cases, returns, quiet };
  gboolean include_family;
  guint64 mask = subject_mask (ctx, &rule->subject, &include_family);
  FoDay closure;

  if (!rule->family_case)
    collect_subject_records (ctx, 1u << FO_KIND_CASE, rule->case_types, &rule->subject, mask,
                             include_family, cases);
  if (rule->return_types != NULL)
    collect_records (ctx, 1u << FO_KIND_CASE, rule->return_types, mask, TRUE, returns);
  if (rule->has_quiet)
    collect_records (ctx, rule->quiet_kinds, NULL, mask, include_family, quiet);

  for (guint i = 0; i < cases->len; i++)
    {
      const FoEvent *episode = g_ptr_array_index (cases, i);
      FoDay after = episode->end + 1;

      g_array_append_val (breaks, episode->start);
      if (episode->end != 0)
        g_array_append_val (breaks, after);
    }
  for (guint i = 0; i < returns->len; i++)
    g_array_append_val (breaks, ((FoEvent *) g_ptr_array_index (returns, i))->start);
  if (rule->family_case && ctx->family->closure_date != 0)
    {
      FoDay after = ctx->family->closure_date + 1;

      g_array_append_val (breaks, after);
    }
  piecewise (ctx, rule, breaks, transition_predicate, &data, &res->holds);

  fo_spans_reset (&res->sustained);
  for (guint i = 0; i < res->holds.n; i++)
    {
      const FoSpan *run = &res->holds.v[i];
      FoDay run_closure = transition_closure (ctx, rule, run->first, &data);
      FoDay done = rule->has_return ? fo_duration_completed_on (run_closure + 1, &rule->return_for)
                                    : run->first;

      if (done <= run->last)
        fo_spans_append (&res->sustained, MAX (done, run->first), run->last);
    }

  closure = transition_closure (ctx, rule, ctx->hi, &data);
  if (closure != 0 && rule->has_return)
    {
      res->progress.unit = rule->return_for.unit == FO_UNIT_MONTHS ? FO_PROGRESS_MONTHS
                           : rule->return_for.unit == FO_UNIT_WEEKS ? FO_PROGRESS_WEEKS
                           : FO_PROGRESS_DAYS;
      res->progress.done = fo_duration_whole_units (closure + 1, ctx->hi, &rule->return_for);
      res->progress.needed = rule->return_for.n;
      res->projected = fo_duration_completed_on (closure + 1, &rule->return_for);
    }

  if (res->trace != NULL)
    {
      g_autofree char *types = rule->case_types ? g_strjoinv ("/", rule->case_types) : NULL;

      for (guint i = 0; i < cases->len; i++)
        {
          const FoEvent *episode = g_ptr_array_index (cases, i);

          if (episode->end != 0)
            fact (res, _("%s case %s to %s (%s), %s"), episode->type ? episode->type : "",
                  DAY (episode->start), DAY (episode->end),
                  episode->end_reason ? episode->end_reason : _("no reason recorded"),
                  member_label (ctx, episode->member));
          else
            fact (res, _("%s case open since %s, %s"), episode->type ? episode->type : "",
                  DAY (episode->start), member_label (ctx, episode->member));
        }
      for (guint i = 0; i < returns->len; i++)
        {
          const FoEvent *episode = g_ptr_array_index (returns, i);

          fact (res, _("%s case opened %s (%s)"), episode->type ? episode->type : "",
                DAY (episode->start), member_label (ctx, episode->member));
        }
      if (closure != 0)
        {
          if (rule->has_return)
            {
              g_autofree char *period = fo_duration_to_string (&rule->return_for);

              explain (res, _("%s closed or stepped down on %s with no return since; needs %s "
                              "without return (to %s)"), rule->family_case ? _("the family's case")
                       : types, DAY (closure), period, DAY (res->projected));
            }
          else
            explain (res, _("%s closed or stepped down on %s"), rule->family_case
                     ? _("the family's case") : types, DAY (closure));
        }
      else
        explain (res, _("%s not closed or stepped down since entry (or opened again) as of %s"),
                 rule->family_case ? _("the family's case") : types, DAY (ctx->hi));
    }
}

/* ---- evidence (practitioner statements, P7) --------------------------------------------- */

static gboolean
evidence_in_scope (const Ctx     *ctx,
                   const FoRule  *rule,
                   const FoEvent *event)
{
  switch (rule->scope)
    {
    case FO_SCOPE_FAMILY:
      return TRUE;
    case FO_SCOPE_OUTCOME:
      return ctx->outcome != NULL && g_strcmp0 (event->outcome, ctx->outcome->id) == 0;
    case FO_SCOPE_INDICATOR:
    default:
      if (event->indicator == NULL)
        return ctx->outcome != NULL && g_strcmp0 (event->outcome, ctx->outcome->id) == 0;
      return (ctx->indicator != NULL && g_str_equal (event->indicator, ctx->indicator->id)) ||
             (ctx->issue != NULL && g_str_equal (event->indicator, ctx->issue->id));
    }
}

/* The day a statement starts to count, or 0 with the reason it does not. */
static FoDay
evidence_effective (const Ctx     *ctx,
                    const FoRule  *rule,
                    const FoEvent *event,
                    const char   **why_not)
{
  FoDay effective = event->start;

  *why_not = NULL;
  if (rule->roles != NULL && !reason_accepted (rule->roles, event->author_role))
    {
      *why_not = _("signed by a role the plan does not accept");
      return 0;
    }
  if (rule->has_not_before)
    {
      FoDay not_before = fo_day_add_duration (ctx->entry, &rule->not_before);
      gboolean on_closure = rule->or_on_closure && ctx->family->closure_date == event->start &&
                            g_strcmp0 (ctx->family->closure_reason, "support_completed") == 0;

      if (event->start < not_before && !on_closure)
        {
          *why_not = _("dated before the plan allows (too soon after entry)");
          return 0;
        }
    }
  if (rule->has_min_period &&
      (event->covers_from == 0 || event->covers_to == 0 ||
       event->covers_to < fo_duration_completed_on (event->covers_from, &rule->min_period)))
    {
      *why_not = _("does not cover the period the plan requires");
      return 0;
    }
  if (rule->evidence_min_level != FO_LEVEL_UNSET && event->level < rule->evidence_min_level)
    {
      *why_not = _("records a lower level of engagement than required");
      return 0;
    }
  if (rule->tool != NULL && (event->tool == NULL || g_ascii_strcasecmp (event->tool, rule->tool)))
    {
      *why_not = _("does not cite the required tool");
      return 0;
    }
  if (rule->approval_roles != NULL)
    {
      /* A31: approval is never inferred, and nobody approves their own statement. */
      if (event->approved_by == NULL || event->approved_on == 0 || event->approved_on > ctx->as_of ||
          !reason_accepted (rule->approval_roles, event->approver_role))
        {
          *why_not = _("lacks the required approval");
          return 0;
        }
      if (event->author != NULL && g_str_equal (event->author, event->approved_by))
        {
          *why_not = _("was approved by its own author");
          return 0;
        }
      effective = MAX (effective, event->approved_on);
    }
  return effective;
}

static void
eval_evidence (Ctx          *ctx,
               const FoRule *rule,
               Res          *res)
{
  GPtrArray *events = ctx->family->by_kind[FO_KIND_EVIDENCE];
  gboolean seen = FALSE;

  fo_spans_reset (&res->holds);
  for (guint i = 0; i < events->len; i++)
    {
      const FoEvent *event = g_ptr_array_index (events, i);
      const char *why_not;
      FoDay effective;

      if (event->start > ctx->as_of)
        break;
      if (!fo_type_in (event->type, rule->evidence_kinds) || !evidence_in_scope (ctx, rule,
                                                                                   event))
        continue;
      seen = TRUE;
      effective = evidence_effective (ctx, rule, event, &why_not);
      if (effective != 0 && effective <= ctx->hi)
        fo_spans_add (&res->holds, MAX (effective, ctx->lo), ctx->hi);
      if (res->trace != NULL)
        {
          if (effective != 0)
            fact (res, _("%s statement by %s (%s) on %s%s%s"), event->type,
                  event->author ? event->author : _("unnamed"), event->author_role,
                  DAY (event->start), event->approved_by ? _(", approved by ") : "",
                  event->approved_by ? event->approved_by : "");
          else
            fact (res, _("%s statement by %s (%s) on %s does not count: it %s"), event->type,
                  event->author ? event->author : _("unnamed"), event->author_role,
                  DAY (event->start), why_not);
        }
    }
  fo_spans_copy (&res->sustained, &res->holds);

  if (res->trace != NULL)
    {
      g_autofree char *kinds = g_strjoinv (", ", rule->evidence_kinds);
      g_autofree char *roles = rule->roles ? g_strjoinv (", ", rule->roles) : NULL;
      g_autofree char *approvers = rule->approval_roles ? g_strjoinv (", ", rule->approval_roles)
                                                        : NULL;
      g_autoptr(GString) need = g_string_new (NULL);

      g_string_append_printf (need, _("a statement (%s)"), kinds);
      if (roles)
        g_string_append_printf (need, _(" by %s"), roles);
      if (rule->has_not_before)
        {
          FoDay not_before = fo_day_add_duration (ctx->entry, &rule->not_before);

          g_string_append_printf (need, _(", dated on or after %s%s"), DAY (not_before),
                                  rule->or_on_closure ? _(" or on closure with support completed")
                                                      : "");
        }
      if (rule->has_min_period)
        {
          g_autofree char *period = fo_duration_to_string (&rule->min_period);

          g_string_append_printf (need, _(", covering at least %s"), period);
        }
      if (approvers)
        g_string_append_printf (need, _(", approved by %s (not its author)"), approvers);
      if (fo_spans_contains (&res->holds, ctx->hi))
        explain (res, _("evidenced since %s; needs %s"),
                 DAY (fo_spans_find (&res->holds, ctx->hi)->first), need->str);
      else
        explain (res, seen ? _("no statement that counts; needs %s") : _("no statement recorded; "
                 "needs %s"), need->str);
    }
}

/* ---- combinators ------------------------------------------------------------------------ */

static int
compare_edges (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* Days on which at least @k of the sets hold. */
static void
spans_at_least (FoSpans *const *sets,
                guint           n_sets,
                int             k,
                FoSpans        *out)
{
  g_autoptr(GArray) edges = NULL;
  int depth = 0;

  fo_spans_reset (out);
  if (n_sets == 1 && k == 1)
    {
      fo_spans_copy (out, sets[0]);
      return;
    }
  if (k == (int) n_sets || k == 1)
    {
      /* "All" and "any" are plain intersections and unions, folded pairwise. */
      g_auto(FoSpans) scratch = { 0 };

      fo_spans_copy (out, sets[0]);
      for (guint s = 1; s < n_sets; s++)
        {
          if (k == 1)
            fo_spans_union (&scratch, out, sets[s]);
          else
            fo_spans_intersect (&scratch, out, sets[s]);
          fo_spans_copy (out, &scratch);
        }
      return;
    }
  edges = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint s = 0; s < n_sets; s++)
    for (guint i = 0; i < sets[s]->n; i++)
      {
        /* Starts sort before ends on the same day: encode as day*2 and day*2+1. */
        gint64 start = (gint64) sets[s]->v[i].first * 2;
        gint64 end = ((gint64) sets[s]->v[i].last + 1) * 2 - 1;

        g_array_append_val (edges, start);
        g_array_append_val (edges, end);
      }
  g_array_sort (edges, compare_edges);
  {
    gint64 *v = (gint64 *) edges->data;

    for (guint i = 0; i < edges->len; i++)
      {
        gboolean is_start = (v[i] % 2) == 0;
        FoDay day = is_start ? v[i] / 2 : (v[i] + 1) / 2;

        if (is_start)
          {
            depth++;
            if (depth == k)
              fo_spans_append (out, day, day);
          }
        else
          {
            if (depth == k && out->n > 0)
              out->v[out->n - 1].last = day - 1;
            depth--;
          }
      }
  }
}

static void
combine (Ctx          *ctx,
         const FoRule *rule,
         Res          *res)
{
  guint n = rule->children->len;
  Res children_inline[8];
  FoSpans *holds_inline[8], *sustained_inline[8];
  g_autofree Res *children_heap = n > 8 ? g_new (Res, n) : NULL;
  g_autofree FoSpans **holds_heap = n > 8 ? g_new (FoSpans *, n) : NULL;
  g_autofree FoSpans **sustained_heap = n > 8 ? g_new (FoSpans *, n) : NULL;
  Res *children = n > 8 ? children_heap : children_inline;
  FoSpans **holds = n > 8 ? holds_heap : holds_inline;
  FoSpans **sustained = n > 8 ? sustained_heap : sustained_inline;
  guint applicable = 0, insufficient = 0, n_used = 0;
  gboolean definite_failure = FALSE;
  int k;

  guint order_inline[8];
  g_autofree guint *order_heap = n > 8 ? g_new (guint, n) : NULL;
  guint *order = n > 8 ? order_heap : order_inline;
  guint n_order = 0;
  gboolean decided = FALSE;

  for (guint i = 0; i < n; i++)
    res_init (&children[i]);

  /* Without explanations, "all" tries the cheap statements first and stops at a part that
   * never holds, and "any" stops at a part sustained throughout: the rest cannot change the
   * answer, unless a tier inside could make the whole "not applicable". */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < n; i++)
      {
        gboolean cheap = ((FoRule *) g_ptr_array_index (rule->children, i))->kind ==
                         FO_RULE_EVIDENCE;

        if (ctx->explain ? pass == 0 : cheap == (pass == 0))
          order[n_order++] = i;
      }

  for (guint o = 0; o < n && !decided; o++)
    {
      guint i = order[o];
      const FoRule *child_rule = g_ptr_array_index (rule->children, i);

      if (ctx->explain)
        children[i].trace = trace_new (child_rule);
      eval_rule (ctx, child_rule, &children[i]);
      if (children[i].not_applicable)
        continue;
      applicable++;
      if (children[i].insufficient)
        insufficient++;
      else if (!fo_spans_contains (&children[i].holds, ctx->hi))
        definite_failure = TRUE;
      holds[n_used] = &children[i].holds;
      sustained[n_used] = &children[i].sustained;
      n_used++;

      if (ctx->explain || rule->may_not_apply || children[i].insufficient)
        continue;
      if (rule->kind == FO_RULE_ALL && children[i].holds.n == 0)
        {
          fo_spans_reset (&res->holds);
          fo_spans_reset (&res->sustained);
          decided = TRUE;
        }
      else if (rule->kind == FO_RULE_ANY && children[i].sustained.n == 1 &&
               children[i].sustained.v[0].first == ctx->lo &&
               children[i].sustained.v[0].last == ctx->hi)
        {
          fo_spans_copy (&res->holds, &children[i].holds);
          fo_spans_copy (&res->sustained, &children[i].sustained);
          res->met_by = child_rule;
          res->progress = children[i].progress;
          res->projected = children[i].projected;
          decided = TRUE;
        }
    }
  if (decided)
    {
      for (guint i = 0; i < n; i++)
        res_clear (&children[i]);
      return;
    }

  switch (rule->kind)
    {
    case FO_RULE_ALL:
      k = applicable;
      res->not_applicable = applicable < n;
      /* A part that definitely fails decides "not met", whatever data the others lack. */
      res->insufficient = insufficient > 0 && !definite_failure;
      break;
    case FO_RULE_ANY:
      k = 1;
      res->not_applicable = applicable == 0;
      res->insufficient = applicable > 0 && insufficient == applicable;
      break;
    case FO_RULE_AT_LEAST:
    default:
      k = rule->k;
      res->not_applicable = applicable == 0;
      res->insufficient = insufficient > 0 && applicable - insufficient < (guint) k;
      break;
    }

  if (!res->not_applicable && n_used > 0)
    {
      spans_at_least (holds, n_used, k, &res->holds);
      spans_at_least (sustained, n_used, k, &res->sustained);
    }

  /* Which alternative carries the verdict, and how far the slowest part has to go. */
  for (guint pass = 0; pass < 2 && res->met_by == NULL; pass++)
    for (guint i = 0; i < n; i++)
      if (!children[i].not_applicable &&
          fo_spans_contains (pass == 0 ? &children[i].sustained : &children[i].holds, ctx->hi))
        {
          res->met_by = g_ptr_array_index (rule->children, i);
          if (rule->kind != FO_RULE_ALL)
            {
              res->progress = children[i].progress;
              res->projected = children[i].projected;
            }
          break;
        }
  if (rule->kind == FO_RULE_ALL)
    {
      gboolean unknown = FALSE;

      res->met_by = NULL;
      for (guint i = 0; i < n; i++)
        {
          if (children[i].not_applicable || fo_spans_contains (&children[i].sustained, ctx->hi))
            continue;
          if (children[i].projected == 0)
            unknown = TRUE;
          res->projected = MAX (res->projected, children[i].projected);
          if (children[i].progress.unit != FO_PROGRESS_NONE)
            res->progress = children[i].progress;
        }
      if (unknown)
        res->projected = 0;
      /* A part that never holds leaves no progress to report (as when evaluation stops there). */
      for (guint i = 0; i < n; i++)
        if (!children[i].not_applicable && !children[i].insufficient && children[i].holds.n == 0)
          {
            res->progress = (FoProgress) { FO_PROGRESS_NONE, 0, 0 };
            res->projected = 0;
          }
    }

  for (guint i = 0; i < n; i++)
    {
      adopt_child_trace (res, &children[i]);
      res_clear (&children[i]);
    }
  if (res->trace != NULL)
    {
      const char *word = rule->kind == FO_RULE_ALL ? _("all of") : rule->kind == FO_RULE_ANY
                         ? _("any of") : NULL;

      if (word != NULL)
        explain (res, _("%s %u condition(s)"), word, n);
      else
        explain (res, _("at least %d of %u conditions"), rule->k, n);
    }
}

static void
eval_not (Ctx          *ctx,
          const FoRule *rule,
          Res          *res)
{
  Res child;

  res_init (&child);
  if (ctx->explain)
    child.trace = trace_new (g_ptr_array_index (rule->children, 0));
  eval_rule (ctx, g_ptr_array_index (rule->children, 0), &child);
  res->not_applicable = child.not_applicable;
  res->insufficient = child.insufficient;
  fo_spans_complement (&res->holds, &child.holds, ctx->lo, ctx->hi);
  fo_spans_copy (&res->sustained, &res->holds);
  explain (res, _("not the following"));
  adopt_child_trace (res, &child);
  res_clear (&child);
}

static void
eval_at_entry (Ctx          *ctx,
               const FoRule *rule,
               Res          *res)
{
  FoDay lo = ctx->lo, hi = ctx->hi;
  Res child;
  gboolean held;

  res_init (&child);
  if (ctx->explain)
    child.trace = trace_new (g_ptr_array_index (rule->children, 0));
  ctx->lo = ctx->hi = ctx->entry;
  eval_rule (ctx, g_ptr_array_index (rule->children, 0), &child);
  ctx->lo = lo;
  ctx->hi = hi;
  held = fo_spans_contains (&child.holds, ctx->entry);
  res->not_applicable = child.not_applicable;
  res->insufficient = child.insufficient;
  if (held)
    fill_all (ctx, &res->holds);
  fo_spans_copy (&res->sustained, &res->holds);
  explain (res, held ? _("held on the entry date %s") : _("did not hold on the entry date %s"),
           DAY (ctx->entry));
  adopt_child_trace (res, &child);
  res_clear (&child);
}

static void
eval_sustain (Ctx          *ctx,
              const FoRule *rule,
              Res          *res)
{
  g_auto(FoSpans) runs = { 0 };
  Res child;

  fo_spans_init (&runs);
  res_init (&child);
  if (ctx->explain)
    child.trace = trace_new (g_ptr_array_index (rule->children, 0));
  eval_rule (ctx, g_ptr_array_index (rule->children, 0), &child);
  res->not_applicable = child.not_applicable;
  res->insufficient = child.insufficient;
  fo_spans_copy (&res->holds, &child.holds);
  sustain_runs (ctx, &child.holds, &rule->period, &runs);
  fo_spans_intersect (&res->sustained, &runs, &child.sustained);
  progress_of_run (ctx, &res->holds, &rule->period, res);
  if (res->trace != NULL)
    {
      g_autofree char *period = fo_duration_to_string (&rule->period);
      const FoSpan *run = fo_spans_find (&res->holds, ctx->hi);

      if (run != NULL)
        explain (res, _("held since %s; needs %s (complete on %s)"), DAY (run->first), period,
                 DAY (res->projected));
      else
        explain (res, _("not holding on %s; needs %s unbroken"), DAY (ctx->hi), period);
    }
  adopt_child_trace (res, &child);
  res_clear (&child);
}

/* ---- quantify (P9) ---------------------------------------------------------------------- */

/* The days on which @member is in the quantifier's range. */
static void
member_scope (Ctx              *ctx,
              const FoSelector *selector,
              const FoMember   *member,
              FoSpans          *out)
{
  FoDay first = ctx->lo, last = ctx->hi;

  fo_spans_reset (out);
  if (selector->age_at == FO_AGE_AT_ENTRY)
    {
      if (member_matches (ctx, selector, member, ctx->entry))
        fo_spans_append (out, first, last);
      return;
    }
  if (selector->role_mask != 0 && !(selector->role_mask & (1u << member->role)))
    return;
  if (selector->identified && !(ctx->identified & (G_GUINT64_CONSTANT (1) << member->index)))
    return;
  if (selector->in_household)
    {
      if (member->household_from)
        first = MAX (first, member->household_from);
      if (member->household_to)
        last = MIN (last, member->household_to);
    }
  first = MAX (first, member->dob);
  if (selector->age_min >= 0)
    first = MAX (first, birthday (ctx, member->index, selector->age_min));
  if (selector->age_max >= 0)
    last = MIN (last, birthday (ctx, member->index, selector->age_max + 1) - 1);
  if (selector->school_age >= 0 || selector->phase >= 0)
    ensure_school (ctx, member->index);
  if (selector->phase == 0)
    last = MIN (last, ctx->primary_last[member->index]);
  else if (selector->phase == 1)
    first = MAX (first, ctx->primary_last[member->index] + 1);
  if (selector->school_age == 1)
    {
      first = MAX (first, ctx->school_first[member->index]);
      last = MIN (last, ctx->school_last[member->index]);
    }
  if (first > last)
    return;
  fo_spans_append (out, first, last);
  if (selector->school_age == 0)
    {
      FoSpans school = { (FoSpan[]) { { 0, 0 } }, 1, 1 };
      g_auto(FoSpans) outside = { 0 };

      school.v[0].first = ctx->school_first[member->index];
      school.v[0].last = ctx->school_last[member->index];
      fo_spans_init (&outside);
      fo_spans_complement (&outside, &school, first, last);
      fo_spans_copy (out, &outside);
    }
}

static void
eval_quantify (Ctx          *ctx,
               const FoRule *rule,
               Res          *res)
{
  const FoRule *inner = g_ptr_array_index (rule->children, 0);
  guint n_members = ctx->family->members->len;
  FoSpans in_scope[FO_MAX_MEMBERS];
  FoSpans passing[FO_MAX_MEMBERS];
  FoSpans passing_sustained[FO_MAX_MEMBERS];
  FoSpans *sets[FO_MAX_MEMBERS + 1];
  g_auto(FoSpans) anyone = { 0 };
  g_auto(FoSpans) nobody = { 0 };
  g_auto(FoSpans) scratch = { 0 };
  int saved_bound = ctx->bound;
  guint n_in_scope = 0, n_insufficient = 0, n_not_applicable = 0;
  gboolean definite_failure = FALSE;

  fo_spans_init (&anyone);
  fo_spans_init (&nobody);
  fo_spans_init (&scratch);

  for (guint m = 0; m < n_members; m++)
    {
      const FoMember *member = member_at (ctx, m);
      Res child;

      fo_spans_init (&in_scope[m]);
      fo_spans_init (&passing[m]);
      fo_spans_init (&passing_sustained[m]);
      member_scope (ctx, &rule->over, member, &in_scope[m]);
      if (in_scope[m].n == 0)
        continue;
      n_in_scope++;

      res_init (&child);
      if (ctx->explain)
        child.trace = trace_new (inner);
      ctx->bound = m;
      eval_rule (ctx, inner, &child);
      ctx->bound = saved_bound;
      if (child.not_applicable)
        n_not_applicable++;
      if (fo_spans_contains (&in_scope[m], ctx->hi))
        {
          if (child.insufficient)
            n_insufficient++;
          else if (!fo_spans_contains (&child.holds, ctx->hi))
            definite_failure = TRUE;
        }

      if (rule->quantifier == FO_Q_ALL)
        {
          /* Outside a member's range, that member does not stop "every" from holding. */
          fo_spans_complement (&scratch, &in_scope[m], ctx->lo, ctx->hi);
          fo_spans_union (&passing[m], &child.holds, &scratch);
          fo_spans_union (&passing_sustained[m], &child.sustained, &scratch);
        }
      else if (rule->quantifier == FO_Q_NONE)
        {
          fo_spans_intersect (&scratch, &child.holds, &in_scope[m]);
          fo_spans_complement (&passing[m], &scratch, ctx->lo, ctx->hi);
          fo_spans_copy (&passing_sustained[m], &passing[m]);
        }
      else
        {
          fo_spans_intersect (&passing[m], &child.holds, &in_scope[m]);
          fo_spans_intersect (&passing_sustained[m], &child.sustained, &in_scope[m]);
        }
      if (res->trace != NULL && child.trace != NULL)
        {
          FoTrace *wrapper = trace_new (inner);

          wrapper->holds = fo_spans_contains (&child.holds, ctx->hi);
          wrapper->sustained = fo_spans_contains (&child.sustained, ctx->hi);
          wrapper->insufficient = child.insufficient;
          wrapper->summary = g_strdup_printf (_("%s — %s"), member->name,
                                              fo_spans_contains (&child.holds, ctx->hi)
                                              ? _("holds") : _("does not hold"));
          g_ptr_array_add (wrapper->children, g_steal_pointer (&child.trace));
          g_ptr_array_add (res->trace->children, wrapper);
        }
      if (child.projected > res->projected)
        res->projected = child.projected;
      if (child.progress.unit != FO_PROGRESS_NONE && !fo_spans_contains (&child.sustained, ctx->hi))
        res->progress = child.progress;
      res_clear (&child);
    }

  /* Days on which nobody is in range: the quantifier's empty case. */
  {
    guint n_sets = 0;

    for (guint m = 0; m < n_members; m++)
      if (in_scope[m].n > 0)
        sets[n_sets++] = &in_scope[m];
    if (n_sets > 0)
      spans_at_least (sets, n_sets, 1, &anyone);
    fo_spans_complement (&nobody, &anyone, ctx->lo, ctx->hi);
  }

  for (guint pass = 0; pass < 2; pass++)
    {
      FoSpans *out = pass == 0 ? &res->holds : &res->sustained;
      FoSpans *per_member = pass == 0 ? passing : passing_sustained;
      guint n_sets = 0;
      int k;

      for (guint m = 0; m < n_members; m++)
        if (in_scope[m].n > 0)
          sets[n_sets++] = &per_member[m];
      k = rule->quantifier == FO_Q_AT_LEAST ? rule->k
          : rule->quantifier == FO_Q_ANY ? 1 : (int) n_sets;
      fo_spans_reset (out);
      if (n_sets > 0)
        spans_at_least (sets, n_sets, k, out);
      /* On days with nobody in range the answer is if_empty, not the vacuous one. */
      fo_spans_intersect (&scratch, out, &anyone);
      if (rule->if_empty)
        fo_spans_union (out, &scratch, &nobody);
      else
        fo_spans_copy (out, &scratch);
    }
  res->insufficient = n_insufficient > 0 &&
                      !(rule->quantifier == FO_Q_ALL && definite_failure);
  /* A tiered rule that applies to none of the members does not apply at all. */
  res->not_applicable = n_in_scope > 0 && n_not_applicable == n_in_scope;

  for (guint m = 0; m < n_members; m++)
    {
      fo_spans_clear (&in_scope[m]);
      fo_spans_clear (&passing[m]);
      fo_spans_clear (&passing_sustained[m]);
    }
  if (res->trace != NULL)
    {
      if (n_in_scope == 0)
        explain (res, _("no member is in range, so this is %s"),
                 rule->if_empty ? _("taken as met") : _("not met"));
      else if (rule->quantifier == FO_Q_AT_LEAST)
        explain (res, _("at least %d of %u member(s) in range"), rule->k, n_in_scope);
      else if (rule->quantifier == FO_Q_ALL)
        explain (res, _("every one of %u member(s) in range"), n_in_scope);
      else if (rule->quantifier == FO_Q_ANY)
        explain (res, _("at least one of %u member(s) in range"), n_in_scope);
      else
        explain (res, _("none of %u member(s) in range"), n_in_scope);
    }
}

/* ---- tiered (P11) ----------------------------------------------------------------------- */

static gboolean
metric_at_entry (Ctx          *ctx,
                 const FoRule *metric,
                 double       *value)
{
  gboolean include_family;
  guint64 mask = subject_mask (ctx, &metric->subject, &include_family);

  switch (metric->kind)
    {
    case FO_RULE_COUNT:
      {
        g_autoptr(ScratchPtrs) records = scratch_ptrs ();
        FoDay from, to;

        collect_records (ctx, metric->kinds_mask, metric->types, mask, include_family, records);
        if (metric->kinds_mask & (metric->kinds_mask - 1))
          g_ptr_array_sort (records, compare_event_starts);
        if (!window_bounds (ctx, &metric->window, mask, ctx->entry, &from, &to))
          return FALSE;
        *value = sum_records (metric, records, from, to, NULL, ctx);
        return TRUE;
      }
    case FO_RULE_MEASURE:
      {
        Pooled pooled;

        if (!pool_terms (ctx, metric, mask, metric->series, metric->terms, ctx->entry, FALSE, 0,
                         &pooled, NULL))
          return FALSE;
        *value = 100.0 * pooled.num / pooled.den;
        return TRUE;
      }
    case FO_RULE_READING:
    default:
      {
        g_autoptr(ScratchPtrs) readings = scratch_ptrs ();
        const FoEvent *baseline;

        collect_readings (ctx, metric, readings);
        baseline = baseline_reading (ctx, readings);
        if (baseline == NULL)
          return FALSE;
        *value = reading_value (metric, baseline);
        return TRUE;
      }
    }
}

static void
eval_tiered (Ctx          *ctx,
             const FoRule *rule,
             Res          *res)
{
  double value = 0;
  Res child;

  if (!metric_at_entry (ctx, rule->metric, &value))
    {
      res->insufficient = TRUE;
      explain (res, _("the value that chooses the tier is not recorded at entry"));
      return;
    }
  for (guint i = 0; i < rule->bands->len; i++)
    {
      const FoBand *band = g_ptr_array_index (rule->bands, i);

      if ((band->has_min && value < band->min) || (band->has_max && value > band->max))
        continue;
      res_init (&child);
      if (ctx->explain)
        child.trace = trace_new (band->rule);
      eval_rule (ctx, band->rule, &child);
      fo_spans_copy (&res->holds, &child.holds);
      fo_spans_copy (&res->sustained, &child.sustained);
      res->not_applicable = child.not_applicable;
      res->insufficient = child.insufficient;
      res->projected = child.projected;
      res->progress = child.progress;
      res->met_by = child.met_by;
      if (band->has_min && band->has_max)
        explain (res, _("tier set at entry by %g (band %g to %g)"), value, band->min, band->max);
      else if (band->has_min)
        explain (res, _("tier set at entry by %g (band %g or more)"), value, band->min);
      else
        explain (res, _("tier set at entry by %g (band %g or fewer)"), value, band->max);
      adopt_child_trace (res, &child);
      res_clear (&child);
      return;
    }
  res->not_applicable = TRUE;
  explain (res, _("does not apply: the value at entry, %g, is in another tier"), value);
}

/* ---- dispatch ---------------------------------------------------------------------------- */

static void
eval_rule (Ctx          *ctx,
           const FoRule *rule,
           Res          *res)
{
  switch (rule->kind)
    {
    case FO_RULE_COUNT: eval_count (ctx, rule, res); break;
    case FO_RULE_SPELL: eval_spell (ctx, rule, res); break;
    case FO_RULE_MEASURE: eval_measure (ctx, rule, res); break;
    case FO_RULE_CHANGE: eval_change (ctx, rule, res); break;
    case FO_RULE_READING: eval_reading (ctx, rule, res); break;
    case FO_RULE_TRANSITION: eval_transition (ctx, rule, res); break;
    case FO_RULE_EVIDENCE: eval_evidence (ctx, rule, res); break;
    case FO_RULE_QUANTIFY: eval_quantify (ctx, rule, res); break;
    case FO_RULE_TIERED: eval_tiered (ctx, rule, res); break;
    case FO_RULE_SUSTAIN: eval_sustain (ctx, rule, res); break;
    case FO_RULE_ALL:
    case FO_RULE_ANY:
    case FO_RULE_AT_LEAST: combine (ctx, rule, res); break;
    case FO_RULE_NOT: eval_not (ctx, rule, res); break;
    case FO_RULE_AT_ENTRY: eval_at_entry (ctx, rule, res); break;
    case FO_RULE_UNDEFINED:
      res->undefined = TRUE;
      explain (res, _("not defined in the plan: %s"), rule->reason);
      break;
    default:
      g_assert_not_reached ();
    }

  if (res->trace != NULL)
    {
      const FoSpan *run = fo_spans_find (&res->holds, ctx->hi);
      const FoSpan *sustained = fo_spans_find (&res->sustained, ctx->hi);

      res->trace->holds = run != NULL;
      res->trace->sustained = sustained != NULL;
      res->trace->since = run ? run->first : 0;
      res->trace->sustained_since = sustained ? sustained->first : 0;
      res->trace->not_applicable = res->not_applicable;
      res->trace->insufficient = res->insufficient;
    }
}

/* ---- results ------------------------------------------------------------------------------ */

static void
outcome_result_clear (FoOutcomeResult *result)
{
  g_free (result->reason);
  g_clear_pointer (&result->trace, fo_trace_free);
  fo_spans_clear (&result->sustained_days);
}

static void
indicator_result_clear (FoIndicatorResult *result)
{
  g_free (result->reason);
  g_clear_pointer (&result->entry_trace, fo_trace_free);
  fo_spans_clear (&result->met_days);
  for (guint i = 0; i < result->n_outcomes; i++)
    outcome_result_clear (&result->outcomes[i]);
}


static void
route_result_free (FoRouteResult *result)
{
  g_clear_pointer (&result->blockers, g_ptr_array_unref);
  g_free (result);
}

void
fo_evaluation_free (FoEvaluation *evaluation)
{
  if (evaluation == NULL)
    return;
  g_clear_pointer (&evaluation->eligibility_reasons, g_ptr_array_unref);
  g_clear_pointer (&evaluation->blockers, g_ptr_array_unref);
  g_clear_pointer (&evaluation->routes, g_ptr_array_unref);
  for (guint i = 0; i < evaluation->plan->indicators->len; i++)
    indicator_result_clear (&evaluation->indicator_block[i]);
  g_free (evaluation->indicator_block);
  g_free (evaluation->outcome_block);
  g_clear_pointer (&evaluation->not_applicable, g_ptr_array_unref);
  g_free (evaluation->issues);
  g_free (evaluation);
}

const char *
fo_state_to_string (FoState state)
{
  static const char *const names[] = {
    "not_applicable", "insufficient_data", "not_met", "achieved", "sustained"
  };

  return names[state];
}

const char *
fo_state_label (FoState state)
{
  switch (state)
    {
    case FO_STATE_NOT_APPLICABLE: return _("Not applicable");
    case FO_STATE_INSUFFICIENT_DATA: return _("Insufficient data");
    case FO_STATE_NOT_MET: return _("Not met");
    case FO_STATE_ACHIEVED: return _("Achieved");
    case FO_STATE_SUSTAINED: return _("Sustained");
    default: g_assert_not_reached ();
    }
}

const char *
fo_issue_state_to_string (FoIssueState state)
{
  static const char *const names[] = { "not_identified", "identified", "met" };

  return names[state];
}

char *
fo_progress_to_string (const FoProgress *progress)
{
  switch (progress->unit)
    {
    case FO_PROGRESS_DAYS:
      return g_strdup_printf (_("%d of %d days"), progress->done, progress->needed);
    case FO_PROGRESS_WEEKS:
      return g_strdup_printf (_("%d of %d weeks"), progress->done, progress->needed);
    case FO_PROGRESS_MONTHS:
      return g_strdup_printf (_("%d of %d months"), progress->done, progress->needed);
    case FO_PROGRESS_TERMS:
      return g_strdup_printf (_("%d of %d terms"), progress->done, progress->needed);
    case FO_PROGRESS_READINGS:
      return g_strdup_printf (_("%d of %d readings"), progress->done, progress->needed);
    case FO_PROGRESS_NONE:
    default:
      return NULL;
    }
}

/* The reason shown beside a verdict: the rule's own summary and its parts' summaries. */
static char *
reason_from_trace (const FoTrace *trace)
{
  g_autoptr(GString) text = g_string_new (trace->summary ? trace->summary : "");

  for (guint i = 0; i < trace->children->len; i++)
    {
      const FoTrace *child = g_ptr_array_index (trace->children, i);

      if (child->summary == NULL)
        continue;
      g_string_append_printf (text, "%s%s%s", text->len ? "; " : "",
                              child->not_applicable ? _("[n/a] ")
                              : child->sustained ? _("[met] ")
                              : child->holds ? _("[holding] ") : _("[not met] "),
                              child->summary);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Fills @result, a zeroed slot of the indicator's block of outcome results. */
static FoOutcomeResult *
evaluate_outcome (Ctx                     *ctx,
                  const FoOutcome         *outcome,
                  const FoIndicatorResult *indicator,
                  FoOutcomeResult         *result)
{
  const FoSpan *run, *sustained;
  Res res;

  g_assert (indicator->identified);
  memset (result, 0, sizeof *result);
  result->outcome = outcome;
  fo_spans_init (&result->sustained_days);

  res_init (&res);
  if (ctx->explain)
    res.trace = trace_new (outcome->rule);
  ctx->outcome = outcome;
  ctx->lo = ctx->entry;
  ctx->hi = ctx->as_of;
  eval_rule (ctx, outcome->rule, &res);
  ctx->outcome = NULL;

  run = fo_spans_find (&res.holds, ctx->hi);
  sustained = fo_spans_find (&res.sustained, ctx->hi);
  if (res.not_applicable)
    result->state = FO_STATE_NOT_APPLICABLE;
  else if (sustained != NULL)
    result->state = FO_STATE_SUSTAINED;
  else if (run != NULL)
    result->state = FO_STATE_ACHIEVED;
  else if (res.insufficient)
    result->state = FO_STATE_INSUFFICIENT_DATA;
  else
    result->state = FO_STATE_NOT_MET;

  if (result->state >= FO_STATE_ACHIEVED)
    {
      result->achieved_since = run != NULL ? run->first : sustained->first;
      result->sustained_since = sustained != NULL ? sustained->first : 0;
      if (result->state == FO_STATE_ACHIEVED)
        {
          result->projected_sustained = res.projected;
          result->progress = res.progress;
        }
      result->met_by = res.met_by;
    }
  else if (result->state != FO_STATE_NOT_APPLICABLE)
    {
      const FoSpan *lost = fo_spans_last_before (&res.holds, ctx->hi);

      if (lost != NULL)
        {
          result->held_from = lost->first;
          result->held_to = lost->last;
        }
      result->progress = res.progress;
      if (result->state == FO_STATE_INSUFFICIENT_DATA)
        result->projected_sustained = res.projected;
    }
  if (result->state != FO_STATE_NOT_APPLICABLE)
    fo_spans_copy (&result->sustained_days, &res.sustained);

  if (res.trace != NULL)
    {
      g_autofree char *reason = reason_from_trace (res.trace);

      if (result->held_from != 0)
        result->reason = g_strdup_printf (_("%s. It held from %s to %s and was broken on %s"),
                                          reason, DAY (result->held_from),
                                          DAY (result->held_to), DAY (result->held_to + 1));
      else
        result->reason = g_steal_pointer (&reason);
      result->trace = g_steal_pointer (&res.trace);
    }
  res_clear (&res);
  return result;
}

static guint64
all_members (const FoFamily *family)
{
  return family->members->len == 64 ? G_MAXUINT64
         : (G_GUINT64_CONSTANT (1) << family->members->len) - 1;
}

/* Fills @result, a zeroed slot, and its outcomes in @outcomes (zeroed, one per outcome). */
static void
evaluate_indicator (Ctx               *ctx,
                    const FoIndicator *indicator,
                    FoIndicatorResult *result,
                    FoOutcomeResult   *outcomes)
{
  GPtrArray *identified = ctx->family->by_kind[FO_KIND_IDENTIFIED];
  g_autoptr(GString) reason = ctx->explain ? g_string_new (NULL) : NULL;

  memset (result, 0, sizeof *result);
  result->indicator = indicator;
  fo_spans_init (&result->met_days);
  ctx->indicator = indicator;
  ctx->issue = indicator->issue;
  ctx->identified = 0;
  ctx->lo = ctx->hi = ctx->entry;

  if (ctx->explain)
    result->entry_trace = trace_new (indicator->entry);

  if (indicator->entry != NULL)
    {
      if (indicator->has_subject)
        {
          for (guint m = 0; m < ctx->family->members->len; m++)
            {
              Res res;

              if (!member_matches (ctx, &indicator->subject, member_at (ctx, m), ctx->entry))
                continue;
              res_init (&res);
              if (ctx->explain)
                res.trace = trace_new (indicator->entry);
              ctx->bound = m;
              eval_rule (ctx, indicator->entry, &res);
              ctx->bound = -1;
              if (fo_spans_contains (&res.holds, ctx->entry))
                result->members |= G_GUINT64_CONSTANT (1) << m;
              if (res.trace != NULL)
                {
                  FoTrace *wrapper = trace_new (indicator->entry);

                  wrapper->holds = fo_spans_contains (&res.holds, ctx->entry);
                  wrapper->summary = g_strdup_printf (_("%s — %s"), member_at (ctx, m)->name,
                                                      wrapper->holds ? _("identified")
                                                                     : _("not identified"));
                  g_ptr_array_add (wrapper->children, g_steal_pointer (&res.trace));
                  g_ptr_array_add (result->entry_trace->children, wrapper);
                }
              res_clear (&res);
            }
          if (reason != NULL)
            g_string_append_printf (reason, result->members
                                    ? _("the data identify it on the entry date %s for: ")
                                    : _("the data do not identify it on the entry date %s"),
                                    DAY (ctx->entry));
          for (guint m = 0; reason != NULL && m < ctx->family->members->len; m++)
            if (result->members & (G_GUINT64_CONSTANT (1) << m))
              g_string_append_printf (reason, "%s%s", m == (guint) g_bit_nth_lsf (result->members,
                                                                                  -1)
                                      ? "" : ", ", member_at (ctx, m)->name);
        }
      else
        {
          Res res;

          res_init (&res);
          if (ctx->explain)
            res.trace = trace_new (indicator->entry);
          eval_rule (ctx, indicator->entry, &res);
          result->family_level = fo_spans_contains (&res.holds, ctx->entry);
          if (reason != NULL)
            {
              g_autofree char *why = reason_from_trace (res.trace);

              g_string_append_printf (reason, result->family_level
                                      ? _("the data identify it on the entry date %s: %s")
                                      : _("the data do not identify it on the entry date %s: %s"),
                                      DAY (ctx->entry), why);
              g_ptr_array_add (result->entry_trace->children, g_steal_pointer (&res.trace));
            }
          res_clear (&res);
        }
    }

  for (guint i = 0; indicator->identified_by_roles != NULL && i < identified->len; i++)
    {
      const FoEvent *record = g_ptr_array_index (identified, i);

      if (record->start > ctx->as_of)
        break;
      if (g_strcmp0 (record->indicator, indicator->id) != 0 ||
          !reason_accepted (indicator->identified_by_roles, record->author_role))
        continue;
      result->by_practitioner = TRUE;
      if (record->member >= 0)
        result->members |= G_GUINT64_CONSTANT (1) << record->member;
      else
        result->family_level = TRUE;
      if (reason != NULL)
        g_string_append_printf (reason, _("%sidentified by %s (%s) on %s%s%s"),
                                reason->len ? "; " : "",
                                record->author ? record->author : _("a practitioner"),
                                record->author_role, DAY (record->start),
                                record->member >= 0 ? _(" for ") : "",
                                record->member >= 0 ? member_label (ctx, record->member) : "");
    }

  result->identified = result->members != 0 || result->family_level;
  if (reason != NULL)
    result->reason = g_string_free (g_steal_pointer (&reason), FALSE);

  ctx->identified = result->members != 0 ? result->members : all_members (ctx->family);
  if (result->identified)
    {
      result->outcomes = outcomes;
      result->n_outcomes = indicator->effective->len;
    }
  for (guint i = 0; i < result->n_outcomes; i++)
    {
      const FoOutcome *outcome = g_ptr_array_index (indicator->effective, i);
      FoOutcomeResult *slot = &result->outcomes[i];
      FoOutcomeResult *outcome_result = NULL;

      /* An issue's shared outcome that does not read the indicator is the same for each of
       * the issue's indicators: judge it once. Explained runs keep their own traces. */
      if (!ctx->explain && result->identified && outcome->owner == NULL &&
          !outcome->rule->uses_indicator)
        {
          for (guint j = 0; j < ctx->shared->len && outcome_result == NULL; j++)
            {
              const FoOutcomeResult *done = g_ptr_array_index (ctx->shared, j);

              if (done->outcome == outcome)
                {
                  *slot = *done;
                  fo_spans_init (&slot->sustained_days);
                  fo_spans_copy (&slot->sustained_days, &done->sustained_days);
                  outcome_result = slot;
                }
            }
          if (outcome_result == NULL)
            {
              outcome_result = evaluate_outcome (ctx, outcome, result, slot);
              g_ptr_array_add (ctx->shared, outcome_result);
            }
        }
      else
        outcome_result = evaluate_outcome (ctx, outcome, result, slot);
      g_auto(FoSpans) merged = { 0 };

      if (outcome->supplementary || outcome_result->state == FO_STATE_NOT_APPLICABLE)
        continue;
      fo_spans_init (&merged);
      fo_spans_union (&merged, &result->met_days, &outcome_result->sustained_days);
      fo_spans_copy (&result->met_days, &merged);
    }
  if (result->identified)
    {
      const FoSpan *run = fo_spans_find (&result->met_days, ctx->as_of);

      result->met = run != NULL;
      result->met_since = run ? run->first : 0;
    }
  ctx->indicator = NULL;
  ctx->issue = NULL;
}

/* ---- family level ------------------------------------------------------------------------ */

/* Reasons and blockers are words for people: a bulk evaluation without explanations skips
 * composing them (translation look-ups cost more than the verdicts). */
#define SAY(ctx, array, text) \
  G_STMT_START { if ((ctx)->explain) g_ptr_array_add ((array), (text)); } G_STMT_END

static gboolean
evaluate_family_rule (Ctx          *ctx,
                      const FoRule *rule,
                      FoDay         lo,
                      FoDay         hi,
                      FoSpans      *sustained,
                      char        **why)
{
  Res res;
  gboolean holds;

  res_init (&res);
  if (ctx->explain)
    res.trace = trace_new (rule);
  ctx->lo = lo;
  ctx->hi = hi;
  ctx->bound = -1;
  ctx->identified = 0;
  eval_rule (ctx, rule, &res);
  holds = fo_spans_contains (&res.sustained, hi);
  if (sustained != NULL)
    fo_spans_copy (sustained, &res.sustained);
  if (why != NULL)
    *why = res.trace != NULL ? reason_from_trace (res.trace) : NULL;
  res_clear (&res);
  return holds;
}

static gboolean
has_dependants (const Ctx *ctx)
{
  GPtrArray *statuses = ctx->family->by_kind[FO_KIND_STATUS];

  for (guint m = 0; m < ctx->family->members->len; m++)
    {
      const FoMember *member = member_at (ctx, m);
      FoSelector child = { FO_SEL_FILTER, 1u << FO_ROLE_CHILD, -1, 17, FO_AGE_AT_ENTRY, -1, -1,
                           FALSE, TRUE };

      if (member_matches (ctx, &child, member, ctx->entry))
        return TRUE;
    }
  for (guint i = 0; i < statuses->len; i++)
    {
      const FoEvent *status = g_ptr_array_index (statuses, i);

      if (g_strcmp0 (status->type, "pregnant") == 0 && status->start <= ctx->entry &&
          (status->end == 0 || status->end >= ctx->entry))
        return TRUE;
    }
  return FALSE;
}

static void
evaluate_eligibility (Ctx          *ctx,
                      FoEvaluation *evaluation)
{
  const FoPlan *plan = ctx->plan;
  GPtrArray *reasons = evaluation->eligibility_reasons;

  evaluation->eligible = TRUE;
  if ((int) evaluation->n_issues_identified < plan->min_issues)
    {
      evaluation->eligible = FALSE;
      SAY (ctx, reasons, g_strdup_printf (_("%u headline issue(s) identified at entry; "
                                                   "the plan needs %d"),
                                                 evaluation->n_issues_identified,
                                                 plan->min_issues));
    }
  if ((int) evaluation->n_indicators_identified < plan->min_indicators)
    {
      evaluation->eligible = FALSE;
      SAY (ctx, reasons, g_strdup_printf (_("%u indicator(s) identified at entry; "
                                                   "the plan needs %d"),
                                                 evaluation->n_indicators_identified,
                                                 plan->min_indicators));
    }
  if (plan->dependents_required && !has_dependants (ctx))
    {
      evaluation->eligible = FALSE;
      SAY (ctx, reasons, g_strdup (_("no dependent child or expectant parent at entry")));
    }
  for (guint i = 0; plan->requirements != NULL && i < plan->requirements->len; i++)
    {
      const FoGate *requirement = g_ptr_array_index (plan->requirements, i);
      g_autofree char *why = NULL;

      if (!evaluate_family_rule (ctx, requirement->rule, ctx->entry, ctx->entry, NULL, &why))
        {
          evaluation->eligible = FALSE;
          SAY (ctx, reasons, g_strdup_printf (_("not met at entry: %s"), requirement->text));
        }
    }
}

static const FoIndicatorResult *
find_indicator_result (const FoEvaluation *evaluation,
                       const FoIndicator  *indicator)
{
  return &evaluation->issues[indicator->issue->index].indicators[indicator->index];
}

/* What keeps @indicator from being met, in words when @explain, and when it would be. */
static char *
describe_unmet (const FoIndicatorResult *indicator,
                FoDay                   *projected,
                gboolean                 explain)
{
  const FoOutcomeResult *best = NULL;

  for (guint i = 0; i < indicator->n_outcomes; i++)
    {
      const FoOutcomeResult *outcome = &indicator->outcomes[i];

      if (outcome->outcome->supplementary)
        continue;
      if (best == NULL || outcome->state > best->state ||
          (outcome->state == best->state && outcome->projected_sustained != 0 &&
           (best->projected_sustained == 0 ||
            outcome->projected_sustained < best->projected_sustained)))
        best = outcome;
    }
  *projected = best != NULL ? best->projected_sustained : 0;
  if (!explain)
    return NULL;
  if (best == NULL)
    return g_strdup_printf (_("%s: no outcome can meet it"), indicator->indicator->id);
  if (best->state == FO_STATE_ACHIEVED)
    {
      g_autofree char *progress = fo_progress_to_string (&best->progress);

      if (best->projected_sustained != 0)
        return g_strdup_printf (_("%s: %s achieved since %s%s%s, sustained on %s if it holds"),
                                indicator->indicator->id, best->outcome->id,
                                DAY (best->achieved_since), progress ? ", " : "",
                                progress ? progress : "", DAY (best->projected_sustained));
      return g_strdup_printf (_("%s: %s achieved since %s%s%s, not yet sustained"),
                              indicator->indicator->id, best->outcome->id,
                              DAY (best->achieved_since), progress ? ", " : "",
                              progress ? progress : "");
    }
  return g_strdup_printf (_("%s: no outcome achieved (best: %s, %s)"), indicator->indicator->id,
                          best->outcome->id, fo_state_label (best->state));
}

static void
evaluate_all_identified (Ctx           *ctx,
                         FoEvaluation  *evaluation,
                         const FoRoute *route,
                         FoRouteResult *result)
{
  g_auto(FoSpans) claim = { 0 };
  g_auto(FoSpans) scratch = { 0 };
  g_auto(FoSpans) part = { 0 };
  gboolean projectable = TRUE;
  FoDay as_of = ctx->as_of;
  const FoSpan *run;

  fo_spans_init (&claim);
  fo_spans_init (&scratch);
  fo_spans_init (&part);
  fo_spans_append (&claim, ctx->entry, as_of);

  if (!evaluation->eligible)
    {
      projectable = FALSE;
      fo_spans_reset (&claim);
      SAY (ctx, result->blockers, g_strdup (_("the family is not eligible under the plan")));
    }
  if (evaluation->n_indicators_identified == 0)
    {
      projectable = FALSE;
      fo_spans_reset (&claim);
    }

  for (guint i = 0; i < ctx->plan->indicators->len; i++)
    {
      const FoIndicator *indicator = g_ptr_array_index (ctx->plan->indicators, i);
      const FoIndicatorResult *indicator_result = find_indicator_result (evaluation, indicator);

      if (!indicator_result->identified || indicator->standalone_only)
        continue;
      fo_spans_intersect (&scratch, &claim, &indicator_result->met_days);
      fo_spans_copy (&claim, &scratch);
      if (!indicator_result->met)
        {
          FoDay projected;
          char *blocker = describe_unmet (indicator_result, &projected, ctx->explain);

          if (blocker != NULL)
            SAY (ctx, result->blockers, blocker);
          if (projected == 0)
            projectable = FALSE;
          result->projected = MAX (result->projected, projected);
        }
    }

  for (guint i = 0; i < route->gates->len; i++)
    {
      const FoGate *gate = g_ptr_array_index (route->gates, i);
      g_autofree char *why = NULL;

      if (!evaluate_family_rule (ctx, gate->rule, ctx->entry, as_of, &part, &why))
        {
          projectable = FALSE;
          SAY (ctx, result->blockers, why != NULL
                           ? g_strdup_printf (_("%s: not met (%s)"), gate->text, why)
                           : g_strdup_printf (_("%s: not met"), gate->text));
        }
      fo_spans_intersect (&scratch, &claim, &part);
      fo_spans_copy (&claim, &scratch);
    }

  if (route->has_after_closure)
    {
      FoDay closure = ctx->family->closure_date;

      if (closure == 0 || closure > as_of)
        {
          projectable = FALSE;
          fo_spans_reset (&claim);
          SAY (ctx, result->blockers, g_strdup (_("the case has not closed: the plan "
                                                         "judges progress after closure")));
        }
      else
        {
          FoDay after = fo_duration_completed_on (closure + 1, &route->after_closure);

          fo_spans_clip (&claim, after, as_of);
          result->projected = MAX (result->projected, after);
          if (as_of < after)
            SAY (ctx, result->blockers,
                             g_strdup_printf (_("the period after closure completes on %s"),
                                              DAY (after)));
        }
    }

  run = fo_spans_find (&claim, as_of);
  if (run != NULL && route->confirmation_kinds != NULL)
    {
      GPtrArray *statements = ctx->family->by_kind[FO_KIND_EVIDENCE];
      FoDay confirmed = 0;

      for (guint i = 0; i < statements->len && confirmed == 0; i++)
        {
          const FoEvent *statement = g_ptr_array_index (statements, i);

          if (statement->start > as_of)
            break;
          if (statement->start >= run->first &&
              fo_type_in (statement->type, route->confirmation_kinds) &&
              reason_accepted (route->confirmation_roles, statement->author_role))
            confirmed = statement->start;
        }
      if (confirmed == 0)
        {
          g_autofree char *kinds = g_strjoinv (", ", route->confirmation_kinds);

          SAY (ctx, result->blockers,
                           g_strdup_printf (_("needs a practitioner's confirmation (%s) dated on "
                                              "or after %s"), kinds, DAY (run->first)));
          projectable = FALSE;
          run = NULL;
        }
      else
        {
          result->claimable = TRUE;
          result->claimable_from = confirmed;
        }
    }
  else if (run != NULL)
    {
      result->claimable = TRUE;
      result->claimable_from = run->first;
    }
  if (result->claimable || !projectable)
    result->projected = 0;
}

static void
evaluate_route (Ctx           *ctx,
                FoEvaluation  *evaluation,
                const FoRoute *route,
                FoRouteResult *result)
{
  result->route = route;
  result->blockers = g_ptr_array_new_with_free_func (g_free);

  if (evaluation->as_of < ctx->entry)
    {
      SAY (ctx, result->blockers, g_strdup (_("the as-of date is before entry")));
      return;
    }

  switch (route->kind)
    {
    case FO_ROUTE_ALL_IDENTIFIED:
      evaluate_all_identified (ctx, evaluation, route, result);
      break;

    case FO_ROUTE_STANDALONE:
      {
        g_auto(FoSpans) claim = { 0 };
        g_auto(FoSpans) merged = { 0 };
        const FoSpan *run;

        fo_spans_init (&claim);
        fo_spans_init (&merged);
        for (guint i = 0; i < route->outcomes->len; i++)
          {
            const FoOutcome *outcome = g_ptr_array_index (route->outcomes, i);
            const FoIndicatorResult *indicator = find_indicator_result (evaluation, outcome->owner);
            const FoOutcomeResult *outcome_result = NULL;

            for (guint j = 0; j < indicator->n_outcomes; j++)
              if (indicator->outcomes[j].outcome == outcome)
                outcome_result = &indicator->outcomes[j];
            if (!indicator->identified)
              {
                SAY (ctx, result->blockers,
                                 g_strdup_printf (_("%s was not identified at entry"),
                                                  outcome->owner->id));
                continue;
              }
            fo_spans_union (&merged, &claim, &outcome_result->sustained_days);
            fo_spans_copy (&claim, &merged);
            if (outcome_result->state != FO_STATE_SUSTAINED)
              {
                g_autofree char *progress = fo_progress_to_string (&outcome_result->progress);

                SAY (ctx, result->blockers,
                                 g_strdup_printf (_("%s: %s%s%s"), outcome->id,
                                                  fo_state_label (outcome_result->state),
                                                  progress ? ", " : "", progress ? progress : ""));
                if (outcome_result->projected_sustained != 0 &&
                    (result->projected == 0 ||
                     outcome_result->projected_sustained < result->projected))
                  result->projected = outcome_result->projected_sustained;
              }
          }
        run = fo_spans_find (&claim, ctx->as_of);
        if (run != NULL)
          {
            result->claimable = TRUE;
            result->claimable_from = run->first;
            result->projected = 0;
            g_ptr_array_set_size (result->blockers, 0);
          }
      }
      break;

    case FO_ROUTE_DISCRETION:
      {
        GPtrArray *statements = ctx->family->by_kind[FO_KIND_EVIDENCE];

        if (!evaluation->eligible)
          SAY (ctx, result->blockers,
                           g_strdup (_("the family is not eligible under the plan")));
        for (guint i = 0; i < statements->len; i++)
          {
            const FoEvent *statement = g_ptr_array_index (statements, i);

            if (statement->start > ctx->as_of)
              break;
            if (fo_type_in (statement->type, route->decision_kinds) &&
                reason_accepted (route->decision_roles, statement->author_role))
              {
                result->claimable = evaluation->eligible;
                result->claimable_from = statement->start;
                break;
              }
          }
        if (result->claimable_from == 0)
          {
            g_autofree char *roles = g_strjoinv (", ", route->decision_roles);

            SAY (ctx, result->blockers,
                             g_strdup_printf (_("no discretionary decision recorded by %s"),
                                              roles));
          }
        if (!result->claimable)
          result->claimable_from = 0;
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

FoEvaluation *
fo_evaluate (const FoPlan    *plan,
             const FoFamily  *family,
             FoDay            as_of,
             FoEvaluateFlags  flags)
{
  FoEvaluation *evaluation;
  Ctx ctx;

  g_return_val_if_fail (plan != NULL, NULL);
  g_return_val_if_fail (family != NULL, NULL);
  g_return_val_if_fail (as_of != 0, NULL);

  evaluation = g_new0 (FoEvaluation, 1);
  evaluation->plan = plan;
  evaluation->family = family;
  evaluation->as_of = as_of;
  evaluation->explained = (flags & FO_EVALUATE_EXPLAIN) != 0;
  evaluation->eligibility_reasons = g_ptr_array_new_with_free_func (g_free);
  evaluation->blockers = g_ptr_array_new_with_free_func (g_free);
  evaluation->routes = g_ptr_array_new_with_free_func ((GDestroyNotify) route_result_free);
  {
    guint n_outcomes = 0;

    for (guint i = 0; i < plan->indicators->len; i++)
      n_outcomes += ((FoIndicator *) g_ptr_array_index (plan->indicators, i))->effective->len;
    evaluation->n_issues = plan->issues->len;
    evaluation->issues = g_new0 (FoIssueResult, plan->issues->len);
    /* Each slot is cleared as its indicator is judged (calloc of the block costs more). */
    evaluation->indicator_block = g_new (FoIndicatorResult, MAX (plan->indicators->len, 1));
    /* Not zeroed: only identified indicators' slots are used, and each is filled in full. */
    evaluation->outcome_block = g_new (FoOutcomeResult, MAX (n_outcomes, 1));
  }

  /* The per-member tables are filled on demand; only the rest needs clearing. */
  memset (&ctx, 0, offsetof (Ctx, school_first));
  ctx.plan = plan;
  ctx.family = family;
  ctx.entry = family->entry_date;
  /* Before entry nothing can have been identified or achieved yet. */
  ctx.as_of = MAX (as_of, family->entry_date);
  ctx.bound = -1;
  ctx.explain = evaluation->explained;
  ctx.shared = g_ptr_array_new ();
  memset (ctx.birthdays, 0, family->members->len * sizeof ctx.birthdays[0]);

  for (guint i = 0, next_indicator = 0, next_outcome = 0; i < plan->issues->len; i++)
    {
      const FoIssue *issue = g_ptr_array_index (plan->issues, i);
      FoIssueResult *issue_result = &evaluation->issues[i];
      gboolean identified = FALSE, met = TRUE;

      issue_result->issue = issue;
      issue_result->indicators = &evaluation->indicator_block[next_indicator];
      issue_result->n_indicators = issue->indicators->len;
      for (guint j = 0; j < issue->indicators->len; j++)
        {
          const FoIndicator *indicator = g_ptr_array_index (issue->indicators, j);
          FoIndicatorResult *result = &evaluation->indicator_block[next_indicator++];

          evaluate_indicator (&ctx, indicator, result, &evaluation->outcome_block[next_outcome]);
          next_outcome += indicator->effective->len;

          if (as_of < family->entry_date)
            {
              result->identified = FALSE;
              result->met = FALSE;
            }
          if (result->identified && !indicator->standalone_only)
            {
              identified = TRUE;
              evaluation->n_indicators_identified++;
              met = met && result->met;
            }
        }
      issue_result->state = !identified ? FO_ISSUE_NOT_IDENTIFIED
                            : met ? FO_ISSUE_MET : FO_ISSUE_IDENTIFIED;
      if (identified)
        evaluation->n_issues_identified++;
    }

  g_ptr_array_unref (ctx.shared);
  ctx.as_of = as_of;
  if (as_of < family->entry_date)
    {
      evaluation->eligible = FALSE;
      SAY (&ctx, evaluation->eligibility_reasons,
                       g_strdup (_("the as-of date is before the family's entry date")));
    }
  else
    evaluate_eligibility (&ctx, evaluation);

  for (guint r = 0; r < plan->routes->len; r++)
    {
      const FoRoute *route = g_ptr_array_index (plan->routes, r);
      FoRouteResult *result = g_new0 (FoRouteResult, 1);

      evaluate_route (&ctx, evaluation, route, result);
      g_ptr_array_add (evaluation->routes, result);
      if (result->claimable &&
          (!evaluation->claimable || result->claimable_from < evaluation->claimable_from))
        {
          evaluation->claimable = TRUE;
          evaluation->route = route;
          evaluation->claimable_from = result->claimable_from;
        }
    }
  if (ctx.terms_indexed && ctx.term_index != ctx.term_index_inline)
    g_free (ctx.term_index);

  if (!evaluation->claimable && evaluation->routes->len > 0)
    {
      const FoRouteResult *primary = g_ptr_array_index (evaluation->routes, 0);

      for (guint i = 0; i < primary->blockers->len; i++)
        g_ptr_array_add (evaluation->blockers,
                         g_strdup (g_ptr_array_index (primary->blockers, i)));
      for (guint r = 0; r < evaluation->routes->len; r++)
        {
          const FoRouteResult *route = g_ptr_array_index (evaluation->routes, r);

          if (route->projected != 0 &&
              (evaluation->projected_claimable == 0 ||
               route->projected < evaluation->projected_claimable))
            evaluation->projected_claimable = route->projected;
        }
    }
  return evaluation;
}

const FoIssueResult *
fo_evaluation_issue (const FoEvaluation *evaluation,
                     const char         *id)
{
  g_return_val_if_fail (evaluation != NULL, NULL);

  for (guint i = 0; i < evaluation->n_issues; i++)
    {
      const FoIssueResult *issue = &evaluation->issues[i];

      if (g_strcmp0 (issue->issue->id, id) == 0)
        return issue;
    }
  return NULL;
}

const FoIndicatorResult *
fo_evaluation_indicator (const FoEvaluation *evaluation,
                         const char         *id)
{
  g_return_val_if_fail (evaluation != NULL, NULL);

  for (guint i = 0; i < evaluation->n_issues; i++)
    {
      const FoIssueResult *issue = &evaluation->issues[i];

      for (guint j = 0; j < issue->n_indicators; j++)
        {
          const FoIndicatorResult *indicator = &issue->indicators[j];

          if (g_strcmp0 (indicator->indicator->id, id) == 0)
            return indicator;
        }
    }
  return NULL;
}

static void
not_applicable_free (FoOutcomeResult *result)
{
  outcome_result_clear (result);
  g_free (result);
}

/**
 * fo_evaluation_not_applicable:
 *
 * The result of an outcome of an indicator that was not identified: "not applicable", with
 * the reason. Kept by the evaluation, which owns it.
 */
const FoOutcomeResult *
fo_evaluation_not_applicable (const FoEvaluation *evaluation,
                              const FoOutcome    *outcome)
{
  FoEvaluation *cache = (FoEvaluation *) evaluation;
  FoOutcomeResult *result;

  g_return_val_if_fail (evaluation != NULL, NULL);

  if (cache->not_applicable == NULL)
    cache->not_applicable = g_ptr_array_new_with_free_func ((GDestroyNotify) not_applicable_free);
  for (guint i = 0; i < cache->not_applicable->len; i++)
    if (((FoOutcomeResult *) g_ptr_array_index (cache->not_applicable, i))->outcome == outcome)
      return g_ptr_array_index (cache->not_applicable, i);
  result = g_new0 (FoOutcomeResult, 1);
  result->outcome = outcome;
  result->state = FO_STATE_NOT_APPLICABLE;
  result->reason = g_strdup (_("the indicator was not identified at entry"));
  fo_spans_init (&result->sustained_days);
  g_ptr_array_add (cache->not_applicable, result);
  return result;
}

const FoOutcomeResult *
fo_evaluation_outcome (const FoEvaluation *evaluation,
                       const char         *indicator_id,
                       const char         *outcome_id)
{
  g_return_val_if_fail (evaluation != NULL, NULL);

  /* A shared outcome is judged once per indicator: without an indicator, prefer one that
   * was identified. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < evaluation->n_issues; i++)
      {
        const FoIssueResult *issue = &evaluation->issues[i];

        for (guint j = 0; j < issue->n_indicators; j++)
          {
            const FoIndicatorResult *indicator = &issue->indicators[j];

            if (indicator_id != NULL && g_strcmp0 (indicator->indicator->id, indicator_id) != 0)
              continue;
            if (pass == 0 && !indicator->identified)
              continue;
            for (guint k = 0; k < indicator->n_outcomes; k++)
              {
                const FoOutcomeResult *outcome = &indicator->outcomes[k];

                if (g_strcmp0 (outcome->outcome->id, outcome_id) == 0)
                  return outcome;
              }
            for (guint k = 0; !indicator->identified && k < indicator->indicator->effective->len; k++)
              {
                const FoOutcome *outcome = g_ptr_array_index (indicator->indicator->effective, k);

                if (g_strcmp0 (outcome->id, outcome_id) == 0)
                  return fo_evaluation_not_applicable (evaluation, outcome);
              }
          }
      }
  return NULL;
}

static void
add_role (GPtrArray  *roles,
          const char *name)
{
  if (!g_ptr_array_find_with_equal_func (roles, name, g_str_equal, NULL))
    g_ptr_array_add (roles, g_strdup (name));
}

static void
add_roles (GPtrArray   *roles,
           char *const *names)
{
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    add_role (roles, names[i]);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The roles whose approval a statement in @rule needs. A negated statement is not relied on;
 * an alternative that did not carry the verdict is skipped by starting from met_by. */
static void
collect_approval_roles (const FoRule *rule,
                        GPtrArray    *roles)
{
  if (rule == NULL || rule->kind == FO_RULE_NOT)
    return;
  if (rule->kind == FO_RULE_EVIDENCE)
    add_roles (roles, rule->approval_roles);
  for (guint i = 0; rule->children != NULL && i < rule->children->len; i++)
    collect_approval_roles (g_ptr_array_index (rule->children, i), roles);
  for (guint i = 0; rule->bands != NULL && i < rule->bands->len; i++)
    collect_approval_roles (((FoBand *) g_ptr_array_index (rule->bands, i))->rule, roles);
}

/* Of the sustained outcomes @results that could carry a claim, one that needs nobody's
 * agreement is preferred; failing that, the first one's roles are needed. */
static void
add_outcome_roles (GPtrArray              *roles,
                   const FoOutcomeResult **results,
                   guint                   n_results)
{
  g_autoptr(GPtrArray) first = NULL;

  for (guint i = 0; i < n_results; i++)
    {
      g_autoptr(GPtrArray) needed = g_ptr_array_new_with_free_func (g_free);

      collect_approval_roles (results[i]->met_by != NULL ? results[i]->met_by
                                                         : results[i]->outcome->rule, needed);
      if (needed->len == 0)
        return;
      if (first == NULL)
        first = g_steal_pointer (&needed);
    }
  for (guint i = 0; first != NULL && i < first->len; i++)
    add_role (roles, g_ptr_array_index (first, i));
}

/**
 * fo_evaluation_agreements:
 * @evaluation: an evaluation
 * @route: one of @evaluation's route results
 *
 * The roles (the plan's own role names) whose agreement a claim by @route needs: those the
 * route names in `needs_agreement_of`, the deciding roles of a discretionary route, and the
 * approving roles of any statement that an outcome carrying the claim rests on (HERTS-1.6's
 * equivalent progress needs the Business Manager). Empty when @route is not claimable.
 *
 * Returns: (transfer full): a sorted %NULL-terminated list
 */
char **
fo_evaluation_agreements (const FoEvaluation  *evaluation,
                          const FoRouteResult *route)
{
  g_autoptr(GPtrArray) roles = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) sustained = g_ptr_array_new ();

  g_return_val_if_fail (evaluation != NULL, NULL);
  g_return_val_if_fail (route != NULL, NULL);

  if (route->claimable)
    {
      add_roles (roles, route->route->needs_agreement_of);
      switch (route->route->kind)
        {
        case FO_ROUTE_DISCRETION:
          add_roles (roles, route->route->decision_roles);
          break;

        case FO_ROUTE_ALL_IDENTIFIED:
          for (guint i = 0; i < evaluation->n_issues; i++)
            for (guint j = 0; j < evaluation->issues[i].n_indicators; j++)
              {
                const FoIndicatorResult *indicator = &evaluation->issues[i].indicators[j];

                if (!indicator->identified || indicator->indicator->standalone_only)
                  continue;
                g_ptr_array_set_size (sustained, 0);
                for (guint k = 0; k < indicator->n_outcomes; k++)
                  if (indicator->outcomes[k].state == FO_STATE_SUSTAINED &&
                      !indicator->outcomes[k].outcome->supplementary)
                    g_ptr_array_add (sustained, &indicator->outcomes[k]);
                add_outcome_roles (roles, (const FoOutcomeResult **) sustained->pdata,
                                   sustained->len);
              }
          break;

        case FO_ROUTE_STANDALONE:
          for (guint i = 0; i < route->route->outcomes->len; i++)
            {
              const FoOutcome *outcome = g_ptr_array_index (route->route->outcomes, i);
              const FoOutcomeResult *result = fo_evaluation_outcome (evaluation,
                                                                     outcome->owner->id,
                                                                     outcome->id);

              if (result != NULL && result->state == FO_STATE_SUSTAINED)
                g_ptr_array_add (sustained, (gpointer) result);
            }
          add_outcome_roles (roles, (const FoOutcomeResult **) sustained->pdata, sustained->len);
          break;

        default:
          g_assert_not_reached ();
        }
    }
  g_ptr_array_sort (roles, compare_strings);
  g_ptr_array_add (roles, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&roles), FALSE);
}
