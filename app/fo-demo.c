/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fo-demo"

#include "config.h"

#include <string.h>

#include "fo-demo.h"
#include "fo-evaluator.h"

/* The demo cohort: invented families built for one plan, so that a new user sees every headline
 * issue at work and families at every stage (not met, achieved, sustained, claimable).
 *
 * A family is built in two stages. The first gives it members, everyday records (school terms,
 * Family Star Plus readings, work, a home in the area) and what identifies the indicators picked
 * for it at entry. The evaluator then says what the plan identifies in that data — which can be
 * more than was picked: a Star baseline or a school record may identify indicators of their own.
 * The second stage walks the outcome rules of every identified indicator and writes the records
 * after entry that take it where the family's path goes: sustained, achieved and not yet
 * sustained, or not met. Nothing here knows a council: every choice comes from the plan's rules. */

#define BIT(m) (G_GUINT64_CONSTANT (1) << (m))
#define NEVER G_MAXUINT32
#define MAX_TERMS 20
#define MAX_READINGS 12
#define MAX_PICKS 12

typedef enum { AIM_HOLD, AIM_FAIL, AIM_NEGATE } Aim;
typedef enum { GOAL_SUSTAIN, GOAL_ACHIEVE, GOAL_FAIL } Goal;
typedef enum { PATH_NOT_MET, PATH_ACHIEVED, PATH_SUSTAINED, PATH_CLAIMABLE } Path;

/* When a rule made to hold starts to hold (h) and to be sustained (s); NEVER when not by the
 * as-of date. */
typedef struct
{
  FoDay h;
  FoDay s;
} Timing;

/* Allowed pooled attendance (a) and unauthorised absence (u), in whole percent. */
typedef struct
{
  int a_lo, a_hi, u_lo, u_hi;
} Level;

typedef struct
{
  Level    pre;         /* terms that end on or before entry */
  Level    post;        /* terms after that */
  gboolean post_set;
  int      pre_a, pre_u;
} Levels;

typedef struct
{
  FoEvent *registration;
  FoEvent *terms[MAX_TERMS];
  guint    n_terms;
} Pupil;

typedef struct
{
  FoEvent *readings[MAX_READINGS];  /* [0] is the baseline, just before entry */
  guint    n;
  gint8    base[FO_STAR_AREAS];
  gint8    growth[FO_STAR_AREAS];   /* tenths of a point a reading */
} StarSeries;

typedef struct
{
  gint8 target[FO_STAR_AREAS];      /* 0: none */
  gint8 from[FO_STAR_AREAS];        /* the reading from which the target is reached */
  gint8 cap[FO_STAR_AREAS];
} StarPlan;

typedef struct
{
  FoEvent *event;
  FoDay    end;
  char    *end_reason;
} Undo;

typedef struct
{
  guint    n_events;
  guint    n_members;
  guint    n_undo;
  Levels   levels[FO_MAX_MEMBERS];
  StarPlan star;
  FoDay    closure;
} Mark;

typedef struct
{
  const FoIndicator *indicator;
  int                member;
} Pick;

typedef struct
{
  const FoPlan      *plan;
  FoFamily          *family;
  guint64            rng;
  FoDay              entry;
  FoDay              as_of;
  FoDay              hi;            /* the last day rules are judged on: entry in stage one */
  gboolean           entry_stage;   /* writing what identifies indicators at entry */
  gboolean           check_only;    /* judging an at_entry rule after entry: read, never write */
  gboolean           fresh;         /* a run should start on the day asked for, not before */
  Goal               goal;
  guint              next_id;
  char              *surname;
  char              *keyworker;
  char              *colleagues[3];
  const FoIndicator *indicator;
  const FoOutcome   *outcome;
  guint64            identified;
  FoDay              closure;
  gboolean           has_star;
  StarSeries         star;
  StarPlan           star_plan;
  Pupil              pupils[FO_MAX_MEMBERS];
  Levels             levels[FO_MAX_MEMBERS];
  GArray            *undo;          /* Undo */
  Pick               picks[MAX_PICKS];
  guint              n_picks;
} Demo;

static gboolean make (Demo *d, const FoRule *rule, int bound, Aim aim, FoDay lo, Timing *t);

/* ---- randomness ------------------------------------------------------------------------- */

/* splitmix64: small, fast, and the same on every platform and GLib version. */
static guint64
rng_next (Demo *d)
{
  guint64 z = (d->rng += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

/* A whole number from @lo to @hi, both included. */
static int
rng_int (Demo *d,
         int   lo,
         int   hi)
{
  if (hi <= lo)
    return lo;
  return lo + (int) (rng_next (d) % (guint64) (hi - lo + 1));
}

static gboolean
rng_chance (Demo *d,
            int   percent)
{
  return rng_int (d, 0, 99) < percent;
}

static FoDay
rng_day (Demo  *d,
         FoDay  lo,
         FoDay  hi)
{
  if (hi <= lo)
    return lo;
  return lo + (FoDay) (rng_next (d) % (guint64) (hi - lo + 1));
}

static void
rng_shuffle (Demo     *d,
             gpointer *items,
             guint     n)
{
  for (guint i = n; i > 1; i--)
    {
      guint j = (guint) rng_int (d, 0, (int) i - 1);
      gpointer swap = items[i - 1];

      items[i - 1] = items[j];
      items[j] = swap;
    }
}

/* One of @strv, favouring the first few: plans list the common cases first. */
static const char *
pick_string (Demo        *d,
             char *const *strv)
{
  guint n;

  if (strv == NULL || strv[0] == NULL)
    return NULL;
  n = g_strv_length ((char **) strv);
  if (rng_chance (d, 60))
    return strv[rng_int (d, 0, (int) MIN (n, 2) - 1)];
  return strv[rng_int (d, 0, (int) n - 1)];
}

/* ---- invented names --------------------------------------------------------------------- */

/* Names are composed from these, so that no demo family is a real one. */
static const char *const syllables[] = {
  "ka", "lo", "mi", "ren", "sa", "tor", "vel", "wyn", "za", "bri", "dal", "fen", "gor", "quen",
  "ul", "yar", "nev", "oss", "pim", "ra", "sel", "tib", "vo", "xan", "zef", "ith", "mar", "ode",
  "fi", "lun",
};

static char *
invent_word (Demo *d,
             int   parts)
{
  GString *word = g_string_new (NULL);

  for (int i = 0; i < parts; i++)
    g_string_append (word, syllables[rng_int (d, 0, G_N_ELEMENTS (syllables) - 1)]);
  word->str[0] = g_ascii_toupper (word->str[0]);
  return g_string_free (word, FALSE);
}

static char *
invent_practitioner (Demo *d)
{
  g_autofree char *surname = invent_word (d, 2);

  return g_strdup_printf ("%c. %s", 'A' + rng_int (d, 0, 25), surname);
}

/* ---- dates and school terms ------------------------------------------------------------- */

static FoDay
last_day_in_window (FoDay             day_in,
                    const FoDuration *period)
{
  FoDay last = fo_day_add_duration (day_in, period) - 1;

  while (fo_duration_window_start (last + 1, period) <= day_in)
    last++;
  while (last > day_in && fo_duration_window_start (last, period) > day_in)
    last--;
  return last;
}

static int
duration_days (const FoDuration *period)
{
  switch (period->unit)
    {
    case FO_UNIT_MONTHS:
      return period->n * 30 + period->n / 2;
    case FO_UNIT_WEEKS:
      return period->n * 7;
    case FO_UNIT_DAYS:
    default:
      return period->n;
    }
}

static int
year_of (FoDay day)
{
  return fo_day_year (day);
}

/* English school terms of the school year starting in September of @year. */
static void
term_dates (int    year,
            int    term,
            FoDay *start,
            FoDay *end)
{
  static const int dates[3][4] = { { 9, 3, 12, 19 }, { 1, 6, 3, 27 }, { 4, 14, 7, 22 } };
  int in_year = term == 0 ? year : year + 1;

  *start = fo_day_from_dmy (dates[term][1], dates[term][0], in_year);
  *end = fo_day_from_dmy (dates[term][3], dates[term][2], in_year);
}

/* ---- members and selectors -------------------------------------------------------------- */

static FoMember *
member_at (Demo *d,
           guint m)
{
  return g_ptr_array_index (d->family->members, m);
}

static guint
n_members (Demo *d)
{
  return d->family->members->len;
}

static guint64
all_members (Demo *d)
{
  return n_members (d) == 64 ? G_MAXUINT64 : BIT (n_members (d)) - 1;
}

static int
age_on (Demo *d,
        guint m,
        FoDay day)
{
  return fo_age_years (member_at (d, m)->dob, day);
}

/* Whether member @m is one a selector picks on @day (as the evaluator reads selectors). */
static gboolean
member_fits (Demo             *d,
             const FoSelector *selector,
             guint             m,
             FoDay             day)
{
  const FoMember *member = member_at (d, m);

  if (selector->mode != FO_SEL_FILTER)
    return TRUE;
  if (selector->role_mask != 0 && !(selector->role_mask & (1u << member->role)))
    return FALSE;
  if (selector->identified && !(d->identified & BIT (m)))
    return FALSE;
  if (day < member->dob)
    return FALSE;
  if (selector->age_min >= 0 && day < fo_day_nth_birthday (member->dob, selector->age_min))
    return FALSE;
  if (selector->age_max >= 0 && day >= fo_day_nth_birthday (member->dob, selector->age_max + 1))
    return FALSE;
  if (selector->school_age >= 0)
    {
      FoDay first, last;

      fo_school_age_span (member->dob, &first, &last);
      if ((day >= first && day <= last) != (selector->school_age == 1))
        return FALSE;
    }
  if (selector->phase >= 0 &&
      (day <= fo_primary_phase_last_day (member->dob)) != (selector->phase == 0))
    return FALSE;
  return TRUE;
}

/* The members whose records a primitive pools, and whether family records count too. */
static guint64
subject_of (Demo             *d,
            const FoSelector *selector,
            int               bound,
            FoDay             day,
            gboolean         *family)
{
  guint64 mask = 0;

  *family = FALSE;
  switch (selector->mode)
    {
    case FO_SEL_DEFAULT:
      if (bound >= 0)
        return BIT (bound);
      G_GNUC_FALLTHROUGH;
    case FO_SEL_FAMILY:
      *family = TRUE;
      return all_members (d);
    case FO_SEL_MEMBER:
      return bound >= 0 ? BIT (bound) : 0;
    case FO_SEL_FILTER:
    default:
      {
        FoSelector loose = *selector;

        /* Day-dependent filters are judged record by record, as the evaluator does. */
        if (selector->age_at != FO_AGE_AT_ENTRY)
          {
            loose.age_min = loose.age_max = -1;
            loose.school_age = loose.phase = -1;
          }
        for (guint m = 0; m < n_members (d); m++)
          if (member_fits (d, &loose, m, selector->age_at == FO_AGE_AT_ENTRY ? d->entry : day))
            mask |= BIT (m);
        return mask;
      }
    }
}

/* Whether a record of @kind for member @m on @day would look like real casework. */
static gboolean
plausible (Demo  *d,
           FoKind kind,
           guint  m,
           FoDay  day)
{
  const FoMember *member = member_at (d, m);
  int age = day >= member->dob ? age_on (d, m, day) : -1;

  if (age < 0)
    return FALSE;
  switch (kind)
    {
    case FO_KIND_EXCLUSION:
      return d->pupils[m].n_terms > 0 && age >= 5 && age <= 16;
    case FO_KIND_OFFENCE:
    case FO_KIND_ARREST:
    case FO_KIND_NAMED_SUSPECT:
    case FO_KIND_ASB_INCIDENT:
    case FO_KIND_ASB_INTERVENTION:
    case FO_KIND_CONVICTION:
    case FO_KIND_ORDER:
      return age >= 10;
    case FO_KIND_DA_NOTIFICATION:
    case FO_KIND_MARAC_REFERRAL:
      return age >= 16;
    case FO_KIND_MISSING_EPISODE:
      return age >= 8 && age <= 17;
    case FO_KIND_BIRTH:
      return age >= 14 && g_strcmp0 (member->sex, "female") == 0;
    case FO_KIND_BENEFIT:
    case FO_KIND_EMPLOYMENT:
      return age >= 16;
    case FO_KIND_ENFORCEMENT_ACTION:
      return age >= 18;
    default:
      return TRUE;
    }
}

/* Who a new record of @kind belongs to: -1 for the family, -2 when nobody fits. */
static int
pick_member (Demo             *d,
             FoKind            kind,
             guint64           mask,
             gboolean          family,
             int               bound,
             const FoSelector *selector,
             FoDay             day)
{
  guint candidates[FO_MAX_MEMBERS], n = 0;
  guint preferred[FO_MAX_MEMBERS], n_preferred = 0;
  guint likely[FO_MAX_MEMBERS], n_likely = 0;

  if (family && (kind == FO_KIND_STATUS || kind == FO_KIND_CASE))
    return -1;
  for (guint m = 0; m < n_members (d); m++)
    {
      if (!(mask & BIT (m)) || day < member_at (d, m)->dob)
        continue;
      if (selector != NULL && selector->mode == FO_SEL_FILTER && !member_fits (d, selector, m, day))
        continue;
      candidates[n++] = m;
      if (!plausible (d, kind, m, day))
        continue;
      likely[n_likely++] = m;
      if (d->indicator != NULL && (d->identified & BIT (m)) && d->identified != all_members (d))
        preferred[n_preferred++] = m;
    }
  for (guint i = 0; bound >= 0 && i < n; i++)
    if (candidates[i] == (guint) bound)
      return bound;
  if (n_preferred > 0)
    return (int) preferred[rng_int (d, 0, (int) n_preferred - 1)];
  if (n_likely > 0)
    return (int) likely[rng_int (d, 0, (int) n_likely - 1)];
  if (n > 0)
    return (int) candidates[rng_int (d, 0, (int) n - 1)];
  return family ? -1 : -2;
}

/* ---- records ---------------------------------------------------------------------------- */

static const char *
source_of (FoKind kind)
{
  switch (kind)
    {
    case FO_KIND_ATTENDANCE: return "School census";
    case FO_KIND_EXCLUSION: return "School";
    case FO_KIND_OFFENCE:
    case FO_KIND_ARREST:
    case FO_KIND_NAMED_SUSPECT:
    case FO_KIND_DA_NOTIFICATION: return "Police";
    case FO_KIND_ASB_INCIDENT:
    case FO_KIND_ASB_INTERVENTION: return "Community safety";
    case FO_KIND_BENEFIT: return "DWP";
    case FO_KIND_CASE: return "Children's services";
    case FO_KIND_ORDER: return "Probation";
    default: return NULL;
    }
}

static FoEvent *
add_event (Demo  *d,
           FoKind kind,
           int    member,
           FoDay  start)
{
  FoEvent *event = fo_event_new (kind);
  const char *source = source_of (kind);

  g_assert (start != 0 && start <= d->as_of);
  event->id = g_strdup_printf ("e%u", d->next_id++);
  event->member = member;
  event->start = start;
  if (source != NULL)
    event->source = g_strdup (source);
  fo_family_take_event (d->family, event);
  return event;
}

static gboolean
type_ok (char *const *types,
         const char  *type)
{
  if (types == NULL)
    return TRUE;
  if (type == NULL)
    return FALSE;
  for (guint i = 0; types[i] != NULL; i++)
    if (g_ascii_strcasecmp (types[i], type) == 0)
      return TRUE;
  return FALSE;
}

static FoDay
last_day (const FoEvent *event,
          FoDay          open_until)
{
  if (!fo_kind_is_spell (event->kind))
    return event->start;
  return event->end != 0 ? event->end : open_until;
}

/* Whether a record counts for a primitive over (@mask, @family), as the evaluator pools. */
static gboolean
record_counts (Demo             *d,
               guint32           kinds,
               char *const      *types,
               const FoSelector *selector,
               guint64           mask,
               gboolean          family,
               const FoEvent    *event)
{
  if (!(kinds & (1u << event->kind)))
    return FALSE;
  if (event->member < 0 ? !family : !(mask & BIT (event->member)))
    return FALSE;
  if (!type_ok (types, event->type))
    return FALSE;
  if (selector != NULL && selector->mode == FO_SEL_FILTER && selector->age_at != FO_AGE_AT_ENTRY &&
      event->member >= 0 && !member_fits (d, selector, event->member, event->start))
    return FALSE;
  return TRUE;
}

/* Ends a spell, remembering how it was so that a failed attempt can put it back. */
static void
end_spell (Demo       *d,
           FoEvent    *event,
           FoDay       end,
           const char *reason)
{
  Undo undo = { event, event->end, event->end_reason };

  g_array_append_val (d->undo, undo);
  event->end = MAX (end, event->start);
  event->end_reason = g_strdup (reason);
}

static const char *
end_reason_of (FoKind kind)
{
  switch (kind)
    {
    case FO_KIND_CASE: return "closed";
    case FO_KIND_ORDER: return "completed";
    case FO_KIND_BENEFIT: return "ended";
    default: return NULL;
    }
}

static void
mark_take (Demo *d,
           Mark *mark)
{
  mark->n_events = d->family->events->len;
  mark->n_members = n_members (d);
  mark->n_undo = d->undo->len;
  memcpy (mark->levels, d->levels, n_members (d) * sizeof (Levels));
  mark->star = d->star_plan;
  mark->closure = d->closure;
}

static void
mark_restore (Demo       *d,
              const Mark *mark)
{
  for (guint i = d->undo->len; i > mark->n_undo; i--)
    {
      Undo *undo = &g_array_index (d->undo, Undo, i - 1);

      g_free (undo->event->end_reason);
      undo->event->end = undo->end;
      undo->event->end_reason = undo->end_reason;
    }
  g_array_set_size (d->undo, mark->n_undo);
  g_ptr_array_set_size (d->family->events, mark->n_events);
  g_ptr_array_set_size (d->family->members, mark->n_members);
  memcpy (d->levels, mark->levels, mark->n_members * sizeof (Levels));
  d->star_plan = mark->star;
  d->closure = mark->closure;
}

/* ---- timing ----------------------------------------------------------------------------- */

static void
timing_set (Timing *t,
            FoDay   h,
            FoDay   s)
{
  t->h = h;
  t->s = s;
}

static void
timing_join (Timing       *into,
             const Timing *part)
{
  into->h = MAX (into->h, part->h);
  into->s = MAX (into->s, part->s);
}

static gboolean
timing_fits (Demo         *d,
             const Timing *t)
{
  if (d->goal == GOAL_ACHIEVE)
    return t->h <= d->as_of && t->s > d->as_of;
  return t->s <= d->as_of;
}

/* ---- count ------------------------------------------------------------------------------ */

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
    case FO_OP_NE:
    default: return value != threshold;
    }
}

/* Start of the @n-th most recent complete term among the members' terms, or 0. */
static FoDay
terms_window_start (Demo    *d,
                    guint64  mask,
                    int      n,
                    FoDay    day)
{
  FoDay ends[MAX_TERMS * 2];
  int found = 0;

  /* Terms of one school year end on the same days for every child: walk back by end. */
  for (int year = year_of (day); year > year_of (day) - 8 && found < n; year--)
    for (int term = 2; term >= 0 && found < n; term--)
      {
        FoDay start, end;
        gboolean any = FALSE;

        term_dates (year, term, &start, &end);
        if (end > day)
          continue;
        for (guint m = 0; m < n_members (d) && !any; m++)
          for (guint i = 0; (mask & BIT (m)) && i < d->pupils[m].n_terms; i++)
            if (d->pupils[m].terms[i]->end == end)
              any = TRUE;
        if (!any)
          continue;
        ends[found++] = end;
        if (found == n)
          return start;
      }
  return 0;
}

static gboolean
window_at (Demo           *d,
           const FoWindow *window,
           guint64         mask,
           FoDay           day,
           FoDay          *from,
           FoDay          *to)
{
  switch (window->kind)
    {
    case FO_WINDOW_ON_DAY:
      *from = *to = day;
      return TRUE;
    case FO_WINDOW_LAST:
      *to = window->at_entry ? d->entry : day;
      *from = fo_duration_window_start (*to, &window->last);
      return TRUE;
    case FO_WINDOW_LAST_TERMS:
      *to = window->at_entry ? d->entry : day;
      *from = terms_window_start (d, mask, window->terms, *to);
      return *from != 0;
    case FO_WINDOW_SINCE_ENTRY:
    case FO_WINDOW_NONE:
    default:
      *from = d->entry;
      *to = day;
      return TRUE;
    }
}

static gboolean
count_value (Demo         *d,
             const FoRule *rule,
             guint64       mask,
             gboolean      family,
             FoDay         day,
             double       *value)
{
  FoDay from, to;

  *value = 0;
  if (!window_at (d, &rule->window, mask, day, &from, &to))
    return FALSE;
  for (guint i = 0; i < d->family->events->len; i++)
    {
      const FoEvent *event = g_ptr_array_index (d->family->events, i);

      if (!record_counts (d, rule->kinds_mask, rule->types, &rule->subject, mask, family, event) ||
          event->start > to || last_day (event, NEVER) < from)
        continue;
      *value += rule->sum_field == 1 ? event->days : rule->sum_field == 2 ? event->hours : 1;
    }
  return TRUE;
}

static gboolean
count_passes (Demo         *d,
              const FoRule *rule,
              guint64       mask,
              gboolean      family,
              FoDay         day)
{
  double value;

  return count_value (d, rule, mask, family, day, &value) && compare (value, rule->op, rule->value);
}

static int
compare_days (gconstpointer a,
              gconstpointer b)
{
  FoDay x = *(const FoDay *) a, y = *(const FoDay *) b;

  return x < y ? -1 : x > y;
}

/* The first day of the run of days, through the last judged day, on which the count passes
 * (nothing more being recorded); NEVER when it does not pass on the last day. */
static FoDay
count_clear_from (Demo         *d,
                  const FoRule *rule,
                  guint64       mask,
                  gboolean      family)
{
  g_autoptr(GArray) days = g_array_new (FALSE, FALSE, sizeof (FoDay));
  FoDay day = d->entry;
  guint j;

  g_array_append_val (days, day);
  for (guint i = 0; i < d->family->events->len; i++)
    {
      const FoEvent *event = g_ptr_array_index (d->family->events, i);
      FoDay last;

      if (!record_counts (d, rule->kinds_mask, rule->types, &rule->subject, mask, family, event))
        continue;
      last = last_day (event, d->hi);
      day = event->start;
      g_array_append_val (days, day);
      day = last + 1;
      g_array_append_val (days, day);
      if (rule->window.kind == FO_WINDOW_LAST && !rule->window.at_entry)
        {
          day = last_day_in_window (last, &rule->window.last) + 1;
          g_array_append_val (days, day);
        }
    }
  for (guint m = 0; rule->window.kind == FO_WINDOW_LAST_TERMS && m < n_members (d); m++)
    for (guint i = 0; (mask & BIT (m)) && i < d->pupils[m].n_terms; i++)
      {
        day = d->pupils[m].terms[i]->end;
        g_array_append_val (days, day);
      }
  day = d->hi;
  g_array_append_val (days, day);
  g_array_sort (days, compare_days);

  if (!count_passes (d, rule, mask, family, d->hi))
    return NEVER;
  for (j = days->len; j > 0; j--)
    {
      day = g_array_index (days, FoDay, j - 1);
      if (day < d->entry || day > d->hi)
        continue;
      if (!count_passes (d, rule, mask, family, day))
        break;
    }
  /* Days after the failing one, up to the next break, pass. */
  for (; j < days->len; j++)
    {
      day = g_array_index (days, FoDay, j);
      if (day >= d->entry && day <= d->hi && count_passes (d, rule, mask, family, day))
        return day;
    }
  return d->hi;
}

/* The days a new record of the count's window may carry when judged on @day. */
static gboolean
record_days (Demo         *d,
             const FoRule *rule,
             int           member,
             FoDay         day,
             FoDay        *lo,
             FoDay        *hi)
{
  const FoWindow *window = &rule->window;
  FoDay to = window->at_entry || d->entry_stage ? d->entry : day;

  switch (window->kind)
    {
    case FO_WINDOW_ON_DAY:
      *lo = *hi = to;
      return TRUE;
    case FO_WINDOW_LAST:
      *lo = fo_duration_window_start (to, &window->last);
      *hi = to;
      if (*hi >= *lo + 10)
        {
          *lo += 3;
          *hi -= 3;
        }
      break;
    case FO_WINDOW_LAST_TERMS:
      {
        /* Inside one of the last complete terms. */
        const Pupil *pupil = member >= 0 ? &d->pupils[member] : NULL;
        int last = -1;

        for (guint i = 0; pupil != NULL && i < pupil->n_terms; i++)
          if (pupil->terms[i]->end <= to)
            last = (int) i;
        if (last < 0)
          return FALSE;
        last = MAX (0, last - rng_int (d, 0, MIN (window->terms, last + 1) - 1));
        *lo = pupil->terms[last]->start + 3;
        *hi = pupil->terms[last]->end - 3;
        break;
      }
    case FO_WINDOW_SINCE_ENTRY:
    case FO_WINDOW_NONE:
    default:
      *lo = d->entry;
      *hi = to;
      break;
    }
  if (!d->entry_stage && *lo <= d->entry)
    *lo = d->entry + 1;
  return *lo <= *hi;
}

static void
fill_record (Demo    *d,
             FoEvent *event,
             double   need)
{
  switch (event->kind)
    {
    case FO_KIND_EXCLUSION:
      if (g_strcmp0 (event->type, "permanent") != 0)
        event->days = CLAMP ((int) need, 1, 5) - (need > 2 ? rng_int (d, 0, 1) : 0);
      event->days = MAX (event->days, 1);
      break;
    case FO_KIND_MISSING_EPISODE:
      event->hours = rng_int (d, 4, 30) + (need > 30 ? need - 30 : 0);
      break;
    default:
      break;
    }
}

static const char *
default_type (Demo  *d,
              FoKind kind)
{
  static const char *const offences[] = { "theft", "criminal_damage", "public_order" };

  switch (kind)
    {
    case FO_KIND_OFFENCE:
      return offences[rng_int (d, 0, G_N_ELEMENTS (offences) - 1)];
    case FO_KIND_EXCLUSION:
      return "fixed";
    default:
      return NULL;
    }
}

/* A kind among the rule's, favouring the first. */
static FoKind
pick_kind (Demo    *d,
           guint32  kinds)
{
  int n = 0, chosen;

  for (guint k = 0; k < FO_N_KINDS; k++)
    if (kinds & (1u << k))
      n++;
  chosen = rng_chance (d, 50) ? 0 : rng_int (d, 0, n - 1);
  for (guint k = 0; k < FO_N_KINDS; k++)
    if ((kinds & (1u << k)) && chosen-- == 0)
      return k;
  return FO_KIND_OFFENCE;
}

/* Adds records until the count's total in its window, judged on @day, reaches @total.
 * Returns the day of the last record, or 0 when nobody can carry them. */
static FoDay
add_count_records (Demo         *d,
                   const FoRule *rule,
                   guint64       mask,
                   gboolean      family,
                   int           bound,
                   FoDay         day,
                   double        have,
                   double        total)
{
  FoDay last = 0;

  for (int guard = 0; have < total && guard < 12; guard++)
    {
      FoKind kind = pick_kind (d, rule->kinds_mask);
      const char *type = rule->types ? pick_string (d, rule->types) : default_type (d, kind);
      FoDay lo, hi, date;
      int member;
      FoEvent *event;

      /* A member first (term windows are the member's own), then a day inside the window. */
      member = pick_member (d, kind, mask, family, bound, NULL, day);
      if (member == -2 || !record_days (d, rule, member, day, &lo, &hi))
        return 0;
      date = rng_day (d, lo, hi);
      if (member >= 0 && (date < member_at (d, member)->dob ||
                          (rule->subject.mode == FO_SEL_FILTER &&
                           rule->subject.age_at != FO_AGE_AT_ENTRY &&
                           !member_fits (d, &rule->subject, member, date))))
        return 0;
      event = add_event (d, kind, member, date);
      event->type = g_strdup (type);
      if (fo_kind_is_spell (kind))
        {
          FoDay end = date + rng_int (d, 14, 90);

          if (d->entry_stage && date < d->entry - 20)
            end = MIN (end, d->entry - 1);
          if (end <= d->as_of)
            event->end = end;
        }
      fill_record (d, event, total - have);
      have += rule->sum_field == 1 ? event->days : rule->sum_field == 2 ? event->hours : 1;
      last = MAX (last, date);

      /* A young mother's baby joins the household. */
      if (kind == FO_KIND_BIRTH && member >= 0 && n_members (d) < FO_MAX_MEMBERS)
        {
          FoMember *baby = fo_member_new ();
          g_autofree char *given = invent_word (d, 2);

          baby->id = g_strdup_printf ("m%u", n_members (d) + 1);
          baby->name = g_strdup_printf ("%s %s", given, d->surname);
          baby->dob = date;
          baby->role = FO_ROLE_CHILD;
          baby->sex = g_strdup (rng_chance (d, 50) ? "female" : "male");
          fo_family_take_member (d->family, baby);
        }
    }
  return have >= total ? MAX (last, d->entry) : 0;
}

/* The total a count needs for @op @value to hold (or, with @fail, to fail); -1 for none. */
static double
count_target (FoOp     op,
              double   value,
              gboolean fail)
{
  if (fail)
    {
      switch (op)
        {
        case FO_OP_LE: return floor (value) + 1;
        case FO_OP_LT: return MAX (ceil (value), 1);
        case FO_OP_EQ: return value + 1;
        default: return -1;
        }
    }
  switch (op)
    {
    case FO_OP_GE: return ceil (value);
    case FO_OP_GT: return floor (value) + 1;
    case FO_OP_EQ: return value;
    case FO_OP_NE: return value == 0 ? 1 : 0;
    default: return -1;
    }
}

static gboolean
make_count (Demo         *d,
            const FoRule *rule,
            int           bound,
            Aim           aim,
            FoDay         lo,
            Timing       *t)
{
  gboolean family;
  gboolean zero_ok = compare (0, rule->op, rule->value);
  gboolean fixed = rule->window.at_entry || d->entry_stage;
  FoDay day = fixed ? d->entry : d->hi;
  guint64 mask = subject_of (d, &rule->subject, bound, day, &family);
  double have = 0;
  gboolean passes = count_value (d, rule, mask, family, day, &have) &&
                    compare (have, rule->op, rule->value);

  if (fixed)
    {
      /* Judged once, at entry: only the first stage writes before entry. */
      timing_set (t, d->entry, d->entry);
      if (aim != AIM_HOLD)
        return !passes;
      if (passes)
        return TRUE;
      if (zero_ok || !d->entry_stage || d->check_only)
        return FALSE;
      return add_count_records (d, rule, mask, family, bound, d->entry, have,
                                count_target (rule->op, rule->value, FALSE)) != 0;
    }

  if (aim == AIM_HOLD && zero_ok)
    {
      FoDay clear = count_clear_from (d, rule, mask, family);

      if (clear == NEVER)
        return FALSE;
      /* A relapse just before @lo, so that the clean run starts there. */
      if (d->fresh && !d->check_only && lo > clear + 1 && lo > d->entry + 2 &&
          (rule->window.kind == FO_WINDOW_ON_DAY ||
           (rule->window.kind == FO_WINDOW_LAST && !rule->window.at_entry)))
        {
          FoDay relapse = rule->window.kind == FO_WINDOW_ON_DAY
                          ? lo - 1 : fo_duration_window_start (lo, &rule->window.last) - 1;
          FoKind kind = pick_kind (d, rule->kinds_mask);
          int member = pick_member (d, kind, mask, family, bound, &rule->subject, relapse);

          if (relapse > d->entry && member != -2)
            {
              FoEvent *event = add_event (d, kind, member, relapse);

              event->type = g_strdup (rule->types ? pick_string (d, rule->types)
                                                  : default_type (d, kind));
              if (fo_kind_is_spell (kind))
                event->end = relapse;
              fill_record (d, event, 1);
              clear = count_clear_from (d, rule, mask, family);
            }
        }
      timing_set (t, MAX (clear, d->entry), MAX (clear, d->entry));
      return TRUE;
    }

  if (aim == AIM_HOLD)
    {
      double total = count_target (rule->op, rule->value, FALSE);
      FoDay last;

      if (passes)
        {
          timing_set (t, lo, lo);
          return TRUE;
        }
      if (total < 0 || d->check_only || rule->window.kind == FO_WINDOW_LAST_TERMS)
        return FALSE;
      if (rule->window.kind == FO_WINDOW_ON_DAY && !fo_kind_is_spell (pick_kind (d, rule->kinds_mask)))
        return FALSE;
      last = add_count_records (d, rule, mask, family, bound, MIN (MAX (lo, d->entry + 1) + 20, d->hi),
                                have, total);
      timing_set (t, last, last);
      return last != 0;
    }

  /* Fail (or never hold): a count that holds with nothing recorded needs records near the
   * last day; one that needs records fails without them. */
  timing_set (t, NEVER, NEVER);
  if (!zero_ok)
    return !passes;
  if (!passes)
    return TRUE;
  if (d->check_only)
    return FALSE;
  {
    double total = count_target (rule->op, rule->value, TRUE);

    if (total < 0)
      return FALSE;
    if (rule->window.kind == FO_WINDOW_SINCE_ENTRY || rule->window.kind == FO_WINDOW_NONE)
      return add_count_records (d, rule, mask, family, bound, d->hi, have, total) != 0 &&
             !count_passes (d, rule, mask, family, d->hi);
    return add_count_records (d, rule, mask, family, bound, d->hi - rng_int (d, 0, 3), have,
                              total) != 0 && !count_passes (d, rule, mask, family, d->hi);
  }
}

/* ---- spell ------------------------------------------------------------------------------ */

static gboolean
spell_matches (Demo          *d,
               const FoRule  *rule,
               guint64        mask,
               gboolean       family,
               const FoEvent *event)
{
  if (!record_counts (d, rule->kinds_mask, rule->types, &rule->subject, mask, family, event))
    return FALSE;
  if (rule->min_level != FO_LEVEL_UNSET && event->level < rule->min_level)
    return FALSE;
  if (rule->has_min_hours && event->hours_per_week < rule->min_hours)
    return FALSE;
  if (rule->has_below_hours && event->hours_per_week >= rule->below_hours)
    return FALSE;
  return TRUE;
}

static void
fill_spell (Demo         *d,
            const FoRule *rule,
            FoEvent      *event)
{
  if (event->kind == FO_KIND_ENGAGEMENT || rule->min_level != FO_LEVEL_UNSET)
    event->level = rule->min_level == FO_LEVEL_FULLY || rng_chance (d, 60) ? FO_LEVEL_FULLY
                                                                          : FO_LEVEL_SOMEWHAT;
  if (event->kind == FO_KIND_EMPLOYMENT)
    {
      int hours = rng_int (d, 16, 38);

      if (rule->has_min_hours)
        hours = MAX (hours, (int) ceil (rule->min_hours));
      if (rule->has_below_hours)
        hours = rng_int (d, 6, (int) ceil (rule->below_hours) - 1);
      event->hours_per_week = hours;
    }
}

static gboolean
make_spell (Demo         *d,
            const FoRule *rule,
            int           bound,
            Aim           aim,
            FoDay         lo,
            Timing       *t)
{
  gboolean family;
  guint64 mask = subject_of (d, &rule->subject, bound, d->hi, &family);
  FoEvent *open = NULL;
  FoKind kind;
  int member;
  FoDay start;

  for (guint i = 0; i < d->family->events->len; i++)
    {
      FoEvent *event = g_ptr_array_index (d->family->events, i);

      if (!spell_matches (d, rule, mask, family, event) || event->start > d->hi ||
          last_day (event, NEVER) < (aim == AIM_NEGATE ? lo : d->hi))
        continue;
      if (aim == AIM_HOLD)
        {
          open = event;
          break;
        }
      if (aim == AIM_FAIL || d->check_only)
        return FALSE;
      /* Negate: the spell must have ended before @lo. */
      if (d->entry_stage)
        {
          FoDay end = d->entry - rng_int (d, 20, 150);

          if (event->start >= d->entry)
            return FALSE;
          end_spell (d, event, MAX (end, event->start), end_reason_of (event->kind));
        }
      else
        {
          if (event->start >= lo || lo <= d->entry + 1)
            return FALSE;
          end_spell (d, event, lo - 1, end_reason_of (event->kind));
        }
    }
  if (aim != AIM_HOLD)
    {
      timing_set (t, aim == AIM_NEGATE ? lo : NEVER, aim == AIM_NEGATE ? lo : NEVER);
      return TRUE;
    }

  if (open != NULL)
    start = MAX (open->start, d->entry);
  else
    {
      if (d->check_only)
        return FALSE;
      kind = pick_kind (d, rule->kinds_mask);
      start = d->entry_stage ? d->entry - rng_int (d, 30, 540) : MAX (lo, d->entry + 1);
      member = pick_member (d, kind, mask, family, bound, &rule->subject, start);
      if (member == -2 || start > d->hi)
        return FALSE;
      if (member >= 0 && start <= member_at (d, member)->dob)
        start = member_at (d, member)->dob + 1;
      {
        FoEvent *event = add_event (d, kind, member, start);

        event->type = g_strdup (pick_string (d, rule->types));
        fill_spell (d, rule, event);
      }
      start = MAX (start, d->entry);
    }
  if (rule->has_continuous)
    timing_set (t, start, fo_duration_completed_on (start, &rule->continuous));
  else if (rule->has_n_of_m)
    timing_set (t, start, start + duration_days (&rule->n_of_m_n) - 1);
  else
    timing_set (t, start, start);
  return TRUE;
}

/* ---- measure and attendance change ------------------------------------------------------ */

static void
level_reset (Level *level)
{
  *level = (Level) { 0, 100, 0, 100 };
}

/* Narrows @level so that pooled @series @op @value holds (with @negate, fails), keeping a
 * point of margin for rounding. */
static gboolean
level_constrain (Level   *level,
                 FoSeries series,
                 FoOp     op,
                 double   value,
                 gboolean negate)
{
  int lo = 0, hi = 100;

  if (negate)
    {
      static const FoOp opposite[] = { FO_OP_LT, FO_OP_LE, FO_OP_GT, FO_OP_GE, FO_OP_NE, FO_OP_EQ };

      op = opposite[op];
    }
  switch (op)
    {
    case FO_OP_GE: lo = value <= 0 ? 0 : (int) ceil (value) + 1; break;
    case FO_OP_GT: lo = (int) floor (value) + 2; break;
    case FO_OP_LE: hi = (int) floor (value) - 1; break;
    case FO_OP_LT: hi = (int) ceil (value) - 2; break;
    default: break;
    }
  lo = MIN (lo, 100);
  if (lo > hi)
    return FALSE;
  switch (series)
    {
    case FO_SERIES_ATTENDANCE:
      level->a_lo = MAX (level->a_lo, lo);
      level->a_hi = MIN (level->a_hi, hi);
      break;
    case FO_SERIES_ABSENCE:
      level->a_lo = MAX (level->a_lo, 100 - hi);
      level->a_hi = MIN (level->a_hi, 100 - lo);
      break;
    case FO_SERIES_UNAUTHORISED_ABSENCE:
      level->u_lo = MAX (level->u_lo, lo);
      level->u_hi = MIN (level->u_hi, hi);
      break;
    case FO_SERIES_ATTENDANCE_IGNORING_AUTHORISED:
    default:
      level->u_lo = MAX (level->u_lo, 100 - hi);
      level->u_hi = MIN (level->u_hi, 100 - lo);
      break;
    }
  level->a_hi = MIN (level->a_hi, 100 - level->u_lo);
  return level->a_lo <= level->a_hi && level->u_lo <= level->u_hi;
}

/* The day the @k-th term of member @m after entry ends (with @straddle, counting the term
 * that runs over entry), or NEVER. */
static FoDay
term_end_after_entry (Demo    *d,
                      guint    m,
                      int      k,
                      gboolean straddle)
{
  const Pupil *pupil = &d->pupils[m];

  for (guint i = 0; i < pupil->n_terms; i++)
    {
      const FoEvent *term = pupil->terms[i];

      if (term->start >= d->entry || (straddle && term->end > d->entry))
        if (--k == 0)
          return term->end;
    }
  return NEVER;
}

static gboolean
make_measure (Demo         *d,
              const FoRule *rule,
              int           bound,
              Aim           aim,
              FoDay         lo,
              Timing       *t)
{
  gboolean family;
  gboolean before = rule->at_entry || d->entry_stage;
  guint64 mask = subject_of (d, &rule->subject, bound, before ? d->entry : d->hi, &family);
  gboolean any = FALSE;

  timing_set (t, before ? d->entry : lo, before ? d->entry : lo);
  for (guint m = 0; m < n_members (d); m++)
    {
      Levels *levels = &d->levels[m];

      if (!(mask & BIT (m)) || d->pupils[m].n_terms == 0)
        continue;
      any = TRUE;
      if (before && !d->entry_stage)
        {
          /* Entry is past: what was rendered then stands. */
          Level chosen = { levels->pre_a, levels->pre_a, levels->pre_u, levels->pre_u };

          if (level_constrain (&chosen, rule->series, rule->op, rule->value, aim != AIM_HOLD) !=
              TRUE)
            return FALSE;
          continue;
        }
      if (d->check_only)
        return FALSE;
      if (!level_constrain (before ? &levels->pre : &levels->post, rule->series, rule->op,
                            rule->value, aim != AIM_HOLD))
        return FALSE;
      if (!before)
        {
          FoDay h = term_end_after_entry (d, m, rule->after_entry ? 1 : rule->terms,
                                          !rule->after_entry);
          FoDay s = term_end_after_entry (d, m, rule->terms, !rule->after_entry);
          Timing part = { h, s };

          levels->post_set = TRUE;
          timing_join (t, &part);
        }
    }
  if (!any)
    return aim != AIM_HOLD;
  if (aim != AIM_HOLD)
    timing_set (t, NEVER, NEVER);
  return TRUE;
}

static gboolean
make_attendance_change (Demo         *d,
                        const FoRule *rule,
                        int           bound,
                        Aim           aim,
                        FoDay         lo,
                        Timing       *t)
{
  gboolean family;
  guint64 mask = subject_of (d, &rule->metric->subject, bound, d->hi, &family);
  gboolean any = FALSE;

  if (d->entry_stage || d->check_only || rule->metric->series != FO_SERIES_ATTENDANCE)
    return FALSE;
  timing_set (t, lo, lo);
  for (guint m = 0; m < n_members (d); m++)
    {
      Levels *levels = &d->levels[m];
      int base = levels->pre_a;
      int need_lo = 0, need_hi = 100;

      if (!(mask & BIT (m)) || d->pupils[m].n_terms == 0)
        continue;
      any = TRUE;
      if (aim == AIM_HOLD)
        {
          /* Two points of margin: the baseline terms vary by a point around the chosen level. */
          if (rule->direction > 0)
            {
              need_lo = base + 2;
              if (rule->has_min_points)
                need_lo = base + (int) ceil (rule->min_points) + 2;
              else if (rule->has_min_pct)
                need_lo = (int) ceil (base * (100 + rule->min_pct) / 100.0) + 2;
            }
          else
            {
              need_hi = base - 2;
              if (rule->has_min_points)
                need_hi = base - (int) ceil (rule->min_points) - 2;
              else if (rule->has_min_pct)
                need_hi = (int) floor (base * (100 - rule->min_pct) / 100.0) - 2;
            }
          if (rule->has_floor)
            need_lo = MAX (need_lo, (int) ceil (rule->floor_value) + 1);
          if (rule->has_ceiling)
            need_hi = MIN (need_hi, (int) floor (rule->ceiling_value) - 1);
        }
      else if (rule->direction > 0)
        need_hi = base;
      else
        need_lo = base;
      levels->post.a_lo = MAX (levels->post.a_lo, need_lo);
      levels->post.a_hi = MIN (levels->post.a_hi, need_hi);
      if (levels->post.a_lo > levels->post.a_hi)
        return FALSE;
      levels->post_set = TRUE;
      {
        Timing part = { term_end_after_entry (d, m, 1, FALSE),
                        term_end_after_entry (d, m, rule->compare_terms, FALSE) };

        timing_join (t, &part);
      }
    }
  if (!any)
    return aim != AIM_HOLD;
  if (aim != AIM_HOLD)
    timing_set (t, NEVER, NEVER);
  return TRUE;
}

/* ---- count change ----------------------------------------------------------------------- */

static gboolean
make_count_change (Demo         *d,
                   const FoRule *rule,
                   int           bound,
                   Aim           aim,
                   FoDay         lo,
                   Timing       *t)
{
  const FoRule *metric = rule->metric;
  gboolean family;
  guint64 mask = subject_of (d, &metric->subject, bound, d->hi, &family);
  FoDay base_from = fo_duration_window_start (d->entry, &rule->baseline.last);
  FoDay first = fo_duration_completed_on (d->entry, &rule->compare);
  double baseline = 0, recent = 0;
  FoDay clear;

  if (d->entry_stage || d->check_only)
    return FALSE;
  while (fo_duration_window_start (first, &rule->compare) < d->entry)
    first++;
  while (first > d->entry && fo_duration_window_start (first - 1, &rule->compare) >= d->entry)
    first--;
  clear = first;
  for (guint i = 0; i < d->family->events->len; i++)
    {
      const FoEvent *event = g_ptr_array_index (d->family->events, i);
      double weight;

      if (!record_counts (d, metric->kinds_mask, metric->types, &metric->subject, mask, family,
                          event))
        continue;
      weight = metric->sum_field == 1 ? event->days : metric->sum_field == 2 ? event->hours : 1;
      if (event->start <= d->entry && last_day (event, NEVER) >= base_from)
        baseline += weight;
      if (event->start > d->entry)
        clear = MAX (clear, last_day_in_window (last_day (event, d->hi), &rule->compare) + 1);
      if (last_day (event, NEVER) >= fo_duration_window_start (d->hi, &rule->compare) &&
          event->start <= d->hi)
        recent += weight;
    }

  if (aim == AIM_HOLD)
    {
      if (rule->direction > 0 || (baseline == 0 && rule->zero_baseline == FO_ZERO_FAIL))
        return FALSE;
      timing_set (t, clear, clear);
      return TRUE;
    }

  /* Not holding on the last day: enough records in the compared window that ends there. */
  timing_set (t, NEVER, NEVER);
  if (d->hi < first || rule->direction > 0)
    return TRUE;
  {
    double b = rule->rate ? rule->baseline.last.n : 1;
    double p = rule->rate ? rule->compare.n : 1;
    double need;
    FoCount:
    ;
    if (baseline == 0)
      need = rule->zero_baseline == FO_ZERO_PASS ? -1 : 1;
    else if (rule->has_min_pct)
      need = floor (baseline * p * (100 - rule->min_pct) / (b * 100)) + 1;
    else
      need = ceil (baseline * p / b);
    if (need < 0)
      return FALSE;
    for (int guard = 0; recent < need && guard < 12; guard++)
      {
        FoKind kind = pick_kind (d, metric->kinds_mask);
        FoDay from = MAX (fo_duration_window_start (d->hi, &rule->compare), d->entry + 1);
        FoDay date = rng_day (d, MAX (from, d->hi - 75), d->hi - 1);
        int member = pick_member (d, kind, mask, family, bound, &metric->subject, date);
        FoEvent *event;

        if (member == -2 || date < from)
          return FALSE;
        event = add_event (d, kind, member, date);
        event->type = g_strdup (metric->types ? pick_string (d, metric->types)
                                              : default_type (d, kind));
        if (fo_kind_is_spell (kind))
          event->end = date;
        fill_record (d, event, need - recent);
        recent += metric->sum_field == 1 ? event->days : metric->sum_field == 2 ? event->hours : 1;
      }
    return recent >= need;
  }
}

/* ---- reading ---------------------------------------------------------------------------- */

typedef struct
{
  const char *name;
  int         min, max;     /* the scale */
  int         worse_lo, worse_hi;  /* where a family in need usually starts */
  gboolean    higher_worse;
} Instrument;

static const Instrument instruments[] = {
  { "DASH", 0, 27, 9, 22, TRUE },
  { "SDQ", 0, 40, 17, 28, TRUE },
  { "WEMWBS", 14, 70, 28, 40, FALSE },
  { "AUDIT", 0, 40, 14, 24, TRUE },
  { "AUDIT-C", 0, 12, 6, 10, TRUE },
  { "SADQ", 0, 60, 16, 30, TRUE },
  { "ASSIST-Lite", 0, 12, 4, 9, TRUE },
  { "CRAFFT", 0, 6, 3, 5, TRUE },
  { "DAST-A", 0, 10, 4, 8, TRUE },
  { "BMI", 15, 45, 31, 38, TRUE },
  { "weight", 40, 150, 85, 120, TRUE },
};

static Instrument
instrument_of (const char *name)
{
  Instrument fallback = { name, 0, 40, 15, 25, TRUE };

  for (guint i = 0; i < G_N_ELEMENTS (instruments); i++)
    if (g_ascii_strcasecmp (instruments[i].name, name) == 0)
      return instruments[i];
  return fallback;
}

/* A score on the scale that passes @op @value, or one on the worse side when @op is unset. */
static gboolean
score_for (Demo             *d,
           const Instrument *scale,
           gboolean          has_op,
           FoOp              op,
           double            value,
           gboolean          negate,
           double           *score)
{
  int lo = scale->min, hi = scale->max;

  if (!has_op)
    {
      *score = rng_int (d, scale->worse_lo, scale->worse_hi);
      return TRUE;
    }
  if (negate)
    {
      static const FoOp opposite[] = { FO_OP_LT, FO_OP_LE, FO_OP_GT, FO_OP_GE, FO_OP_NE, FO_OP_EQ };

      op = opposite[op];
    }
  switch (op)
    {
    case FO_OP_GE: lo = MAX (lo, (int) ceil (value)); break;
    case FO_OP_GT: lo = MAX (lo, (int) floor (value) + 1); break;
    case FO_OP_LE: hi = MIN (hi, (int) floor (value)); break;
    case FO_OP_LT: hi = MIN (hi, (int) ceil (value) - 1); break;
    default: break;
    }
  if (lo > hi)
    return FALSE;
  /* Near the threshold, the side a real score would fall on. */
  *score = op == FO_OP_GE || op == FO_OP_GT ? rng_int (d, lo, MIN (hi, lo + 6))
                                            : rng_int (d, MAX (lo, hi - 6), hi);
  return TRUE;
}

static gboolean
star_baseline_passes (Demo         *d,
                      const FoRule *rule)
{
  int passing = 0, sum = 0;

  for (guint a = 0; a < FO_STAR_AREAS; a++)
    if (rule->areas_mask & (1u << a))
      {
        sum += d->star.base[a];
        if (compare (d->star.base[a], rule->op, rule->value))
          passing++;
      }
  if (rule->aggregate == FO_AGG_EACH)
    return passing >= rule->at_least_areas;
  if (rule->aggregate == FO_AGG_AVERAGE)
    return compare (sum, rule->op, rule->value * rule->n_areas);
  return compare (sum, rule->op, rule->value);
}

/* Moves baseline scores until the baseline passes; only while writing entry data. */
static gboolean
star_fix_baseline (Demo         *d,
                   const FoRule *rule)
{
  for (int guard = 0; guard < 80 && !star_baseline_passes (d, rule); guard++)
    {
      gboolean up = rule->op == FO_OP_GE || rule->op == FO_OP_GT;
      int area = -1;

      /* The area furthest from passing moves one point. */
      for (guint a = 0; a < FO_STAR_AREAS; a++)
        {
          if (!(rule->areas_mask & (1u << a)) || (up ? d->star.base[a] >= 10 : d->star.base[a] <= 1))
            continue;
          if (area < 0 || (up ? d->star.base[a] < d->star.base[area]
                              : d->star.base[a] > d->star.base[area]))
            area = a;
        }
      if (area < 0)
        return FALSE;
      d->star.base[area] += up ? 1 : -1;
    }
  return star_baseline_passes (d, rule);
}

static int
star_score_bound (Demo *d,
                  guint a)
{
  return MIN (10, d->star_plan.cap[a]);
}

static void
star_set_target (Demo *d,
                 guint a,
                 int   score,
                 int   from)
{
  StarPlan *plan = &d->star_plan;

  plan->target[a] = MAX (plan->target[a], score);
  plan->from[a] = plan->from[a] > 0 ? MIN (plan->from[a], from) : from;
}

static gboolean
make_star (Demo         *d,
           const FoRule *rule,
           Aim           aim,
           FoDay         lo,
           Timing       *t)
{
  StarPlan *plan = &d->star_plan;
  int areas[FO_STAR_AREAS], n = 0;
  int from = 0;

  if (!d->has_star)
    return aim != AIM_HOLD;
  if (rule->baseline_only)
    {
      timing_set (t, d->entry, d->entry);
      if (aim == AIM_HOLD && d->entry_stage && !d->check_only)
        return star_fix_baseline (d, rule);
      return star_baseline_passes (d, rule) == (aim == AIM_HOLD);
    }
  if (d->entry_stage || d->check_only)
    return FALSE;
  for (guint a = 0; a < FO_STAR_AREAS; a++)
    if (rule->areas_mask & (1u << a))
      areas[n++] = a;

  if (aim != AIM_HOLD)
    {
      /* Fail: keep enough areas down at every reading after entry. */
      timing_set (t, NEVER, NEVER);
      if (rule->has_change || rule->aggregate != FO_AGG_EACH)
        {
          for (int i = 0; i < n; i++)
            if (plan->target[areas[i]] > d->star.base[areas[i]])
              return FALSE;
          for (int i = 0; i < n; i++)
            plan->cap[areas[i]] = MIN (plan->cap[areas[i]], MAX (1, d->star.base[areas[i]] -
                                                                  (rule->has_change ? 0 : 1)));
          return TRUE;
        }
      if (rule->op != FO_OP_GE && rule->op != FO_OP_GT)
        return FALSE;
      {
        int need = rule->op == FO_OP_GE ? (int) ceil (rule->value) : (int) floor (rule->value) + 1;
        int fixed = 0;

        for (int i = 0; i < n; i++)
          if (plan->target[areas[i]] >= need)
            fixed++;
        if (fixed >= rule->at_least_areas)
          return FALSE;
        for (int i = 0; i < n; i++)
          if (plan->target[areas[i]] < need)
            plan->cap[areas[i]] = MIN (plan->cap[areas[i]], MAX (1, need - 1));
        return TRUE;
      }
    }

  for (guint i = 1; i < d->star.n && from == 0; i++)
    if (d->star.readings[i]->start >= lo)
      from = i;
  if (from == 0)
    return FALSE;

  if (rule->has_change)
    {
      int base = 0, sum = 0, delta;

      if (rule->direction < 0)
        return FALSE;
      for (int i = 0; i < n; i++)
        {
          base += d->star.base[areas[i]];
          sum += MAX (plan->target[areas[i]], d->star.base[areas[i]]);
        }
      delta = rule->change_is_pct ? (int) ceil (base * rule->change_pct / 100.0)
              : (int) ceil (rule->change_points *
                            (rule->aggregate == FO_AGG_AVERAGE ? rule->n_areas : 1));
      delta = MAX (delta, 1);
      for (int guard = 0; sum < base + delta && guard < 200; guard++)
        {
          guint a = areas[guard % n];
          int now = MAX (plan->target[a], d->star.base[a]);

          if (now < star_score_bound (d, a))
            {
              star_set_target (d, a, now + 1, from);
              sum++;
            }
        }
      if (sum < base + delta)
        return FALSE;
      for (int i = 0; i < n; i++)
        if (plan->target[areas[i]] > 0)
          star_set_target (d, areas[i], plan->target[areas[i]], from);
    }
  else if (rule->aggregate == FO_AGG_EACH)
    {
      int need, chosen = 0;

      if (rule->op != FO_OP_GE && rule->op != FO_OP_GT)
        return FALSE;
      need = rule->op == FO_OP_GE ? (int) ceil (rule->value) : (int) floor (rule->value) + 1;
      rng_shuffle (d, (gpointer *) NULL, 0);
      /* Areas already on the way first, then the others in a random order. */
      for (int pass = 0; pass < 2 && chosen < rule->at_least_areas; pass++)
        {
          int order[FO_STAR_AREAS];

          for (int i = 0; i < n; i++)
            order[i] = areas[i];
          for (int i = n; i > 1; i--)
            {
              int j = rng_int (d, 0, i - 1), swap = order[i - 1];

              order[i - 1] = order[j];
              order[j] = swap;
            }
          for (int i = 0; i < n && chosen < rule->at_least_areas; i++)
            {
              guint a = order[i];
              gboolean started = plan->target[a] >= need;

              if (started != (pass == 0) || star_score_bound (d, a) < need)
                continue;
              star_set_target (d, a, need, from);
              chosen++;
            }
        }
      if (chosen < rule->at_least_areas)
        return FALSE;
    }
  else
    {
      int need, sum = 0;

      if (rule->op != FO_OP_GE && rule->op != FO_OP_GT)
        return FALSE;
      need = (int) ceil (rule->value * (rule->aggregate == FO_AGG_AVERAGE ? rule->n_areas : 1)) +
             (rule->op == FO_OP_GT ? 1 : 0);
      for (int i = 0; i < n; i++)
        sum += MAX (plan->target[areas[i]], d->star.base[areas[i]]);
      for (int guard = 0; sum < need && guard < 200; guard++)
        {
          guint a = areas[guard % n];
          int now = MAX (plan->target[a], d->star.base[a]);

          if (now < star_score_bound (d, a))
            {
              star_set_target (d, a, now + 1, from);
              sum++;
            }
        }
      if (sum < need)
        return FALSE;
    }

  t->h = d->star.readings[from]->start;
  if (rule->sustain_readings > 0)
    t->s = from + rule->sustain_readings - 1 < (int) d->star.n
           ? d->star.readings[from + rule->sustain_readings - 1]->start : NEVER;
  else if (rule->has_span)
    {
      FoDay done = fo_duration_completed_on (t->h, &rule->sustain_span);

      t->s = NEVER;
      for (guint i = from; i < d->star.n && t->s == NEVER; i++)
        if (d->star.readings[i]->start >= done)
          t->s = d->star.readings[i]->start;
    }
  else
    t->s = t->h;
  return TRUE;
}

/* Assessment scores (DASH, SDQ, WEMWBS, …) of one member. */
static gboolean
make_assessment (Demo         *d,
                 const FoRule *rule,
                 int           bound,
                 Aim           aim,
                 FoDay         lo,
                 Timing       *t)
{
  Instrument scale = instrument_of (rule->instrument);
  gboolean family;
  guint64 mask = subject_of (d, &rule->subject, bound, d->hi, &family);
  const FoEvent *baseline = NULL, *latest = NULL;
  int member = -2;
  FoDay date;
  double score;

  for (guint i = 0; i < d->family->events->len; i++)
    {
      const FoEvent *event = g_ptr_array_index (d->family->events, i);

      if (event->kind != FO_KIND_ASSESSMENT || g_ascii_strcasecmp (event->type, rule->instrument) ||
          !record_counts (d, 1u << FO_KIND_ASSESSMENT, NULL, &rule->subject, mask, family, event))
        continue;
      if (event->start <= d->entry && (baseline == NULL || event->start >= baseline->start))
        baseline = event;
      else if (event->start > d->entry && (latest == NULL || event->start >= latest->start))
        latest = event;
    }
  if (baseline != NULL)
    member = baseline->member;
  else
    member = pick_member (d, FO_KIND_ASSESSMENT, mask, family, bound, &rule->subject, d->entry);
  if (member == -2)
    return aim != AIM_HOLD;

  if (baseline == NULL)
    {
      if (aim != AIM_HOLD || d->check_only)
        return aim != AIM_HOLD;
      /* A baseline taken as the work began. */
      if (!score_for (d, &scale, rule->baseline_only, rule->op, rule->value, FALSE, &score))
        return FALSE;
      if (!rule->baseline_only && rule->has_change)
        score = scale.higher_worse == (rule->direction < 0) ? rng_int (d, scale.worse_lo, scale.worse_hi)
                : rng_int (d, scale.min + (scale.max - scale.min) / 3,
                           scale.min + (scale.max - scale.min) * 2 / 3);
      {
        FoEvent *event = add_event (d, FO_KIND_ASSESSMENT, member, d->entry - rng_int (d, 0, 14));

        event->type = g_strdup (scale.name);
        event->score = score;
        baseline = event;
      }
    }
  if (rule->baseline_only)
    {
      timing_set (t, d->entry, d->entry);
      return compare (baseline->score, rule->op, rule->value) == (aim == AIM_HOLD);
    }
  if (d->entry_stage || d->check_only)
    return FALSE;

  if (aim != AIM_HOLD)
    {
      /* Fail: the latest score shows no change. */
      timing_set (t, NEVER, NEVER);
      if (latest == NULL)
        return TRUE;
      date = MAX (latest->start + 14, d->hi - rng_int (d, 3, 20));
      if (date > d->hi)
        return FALSE;
      {
        FoEvent *event = add_event (d, FO_KIND_ASSESSMENT, member, date);

        event->type = g_strdup (scale.name);
        event->score = baseline->score;
      }
      return TRUE;
    }

  /* Hold: scores from @lo on that pass, every couple of months, long enough for a span. */
  date = MAX (lo, d->entry + 14);
  if (latest != NULL)
    date = MAX (date, latest->start + 7);
  if (date > d->hi)
    return FALSE;
  t->h = date;
  t->s = NEVER;
  for (int i = 0; i < 8 && date <= d->hi; i++)
    {
      FoEvent *event;

      if (rule->has_change)
        {
          double change = rule->change_is_pct ? ceil (fabs (baseline->score) * rule->change_pct / 100.0)
                                              : rule->change_points > 0 ? rule->change_points : 1;

          score = baseline->score + (rule->direction < 0 ? -1 : 1) * (change + rng_int (d, 0, 2));
          if (score < scale.min || score > scale.max)
            score = baseline->score + (rule->direction < 0 ? -1 : 1) * change;
          if (score < scale.min || score > scale.max)
            return FALSE;
        }
      else if (!score_for (d, &scale, rule->has_threshold, rule->op, rule->value, FALSE, &score))
        return FALSE;
      event = add_event (d, FO_KIND_ASSESSMENT, member, date);
      event->type = g_strdup (scale.name);
      event->score = score;
      if (rule->sustain_readings > 0 && i + 1 == rule->sustain_readings)
        t->s = date;
      if (rule->has_span && date >= fo_duration_completed_on (t->h, &rule->sustain_span) &&
          t->s == NEVER)
        t->s = date;
      if (rule->sustain_readings == 0 && !rule->has_span)
        {
          t->s = t->h;
          if (i >= 1)
            break;
        }
      date += rng_int (d, 42, 75);
    }
  return TRUE;
}

/* ---- transition ------------------------------------------------------------------------- */

static gboolean
make_transition (Demo         *d,
                 const FoRule *rule,
                 int           bound,
                 Aim           aim,
                 FoDay         lo,
                 Timing       *t)
{
  gboolean family;
  guint64 mask = subject_of (d, &rule->subject, bound, d->hi, &family);
  FoEvent *cases[16];
  guint n_cases = 0;
  FoDay closure, latest_start = d->entry;
  const char *reason = rule->to != NULL ? pick_string (d, rule->to) : "closed";

  if (d->entry_stage || d->check_only)
    return FALSE;
  if (rule->family_case)
    {
      if (aim != AIM_HOLD)
        {
          timing_set (t, NEVER, NEVER);
          return d->closure == 0;
        }
      closure = d->closure != 0 ? d->closure : MAX (lo - 1, d->entry + 60);
      if (rule->has_quiet)
        for (guint i = 0; i < d->family->events->len; i++)
          {
            const FoEvent *event = g_ptr_array_index (d->family->events, i);

            if ((rule->quiet_kinds & (1u << event->kind)) && event->start <= closure &&
                event->start >= fo_duration_window_start (closure, &rule->quiet_for) - 1)
              {
                if (d->closure != 0)
                  return FALSE;
                closure = last_day_in_window (event->start + 1, &rule->quiet_for) + 2;
                i = (guint) -1;
              }
          }
    }
  else
    {
      for (guint i = 0; i < d->family->events->len && n_cases < G_N_ELEMENTS (cases); i++)
        {
          FoEvent *event = g_ptr_array_index (d->family->events, i);

          if (!record_counts (d, 1u << FO_KIND_CASE, rule->case_types, &rule->subject, mask,
                              family, event) || (event->end != 0 && event->end < d->entry))
            continue;
          if (aim == AIM_HOLD && event->end != 0 && !type_ok (rule->to, event->end_reason))
            return FALSE;
          cases[n_cases++] = event;
          latest_start = MAX (latest_start, event->start);
        }
      if (aim != AIM_HOLD)
        {
          timing_set (t, NEVER, NEVER);
          for (guint i = 0; i < n_cases; i++)
            if (cases[i]->end == 0 || cases[i]->end >= d->hi)
              return TRUE;
          return n_cases == 0;
        }
      closure = MAX (MAX (lo - 1, d->entry + 30), latest_start + 30);
    }
  if (closure >= d->hi)
    return FALSE;

  /* Nothing may open again after closure. */
  for (guint i = 0; rule->return_types != NULL && i < d->family->events->len; i++)
    {
      const FoEvent *event = g_ptr_array_index (d->family->events, i);

      if (event->kind == FO_KIND_CASE && type_ok (rule->return_types, event->type) &&
          event->start > closure && event->start <= d->hi &&
          (event->member < 0 || (mask & BIT (event->member)) || TRUE))
        return FALSE;
    }

  if (rule->family_case)
    d->closure = closure;
  else if (n_cases == 0)
    {
      FoDay start = d->entry + rng_int (d, 3, 20);
      int member = pick_member (d, FO_KIND_CASE, mask, family, bound, &rule->subject, start);
      FoEvent *event;

      if (member == -2 || start + 14 > closure)
        return FALSE;
      event = add_event (d, FO_KIND_CASE, member, start);
      event->type = g_strdup (pick_string (d, rule->case_types));
      event->end = closure;
      event->end_reason = g_strdup (reason);
    }
  else
    for (guint i = 0; i < n_cases; i++)
      if (cases[i]->end == 0 || cases[i]->end > closure)
        end_spell (d, cases[i], closure, reason);
      else
        closure = MAX (closure, cases[i]->end);

  t->h = closure + 1;
  t->s = rule->has_return ? fo_duration_completed_on (closure + 1, &rule->return_for) : t->h;
  return TRUE;
}

/* ---- evidence --------------------------------------------------------------------------- */

static gboolean
evidence_in_scope (Demo          *d,
                   const FoRule  *rule,
                   const FoEvent *event)
{
  switch (rule->scope)
    {
    case FO_SCOPE_FAMILY:
      return TRUE;
    case FO_SCOPE_OUTCOME:
      return d->outcome != NULL && g_strcmp0 (event->outcome, d->outcome->id) == 0;
    case FO_SCOPE_INDICATOR:
    default:
      if (event->indicator == NULL)
        return d->outcome != NULL && g_strcmp0 (event->outcome, d->outcome->id) == 0;
      return d->indicator != NULL && (g_str_equal (event->indicator, d->indicator->id) ||
                                      g_str_equal (event->indicator, d->indicator->issue->id));
    }
}

static char *
statement_text (Demo       *d,
                const char *kind)
{
  static const char *const endings[] = {
    "agreed with the family at the review", "confirmed by the school and the family",
    "seen in the case notes and at home visits", "reported by the service and checked with the family",
  };
  g_autofree char *words = g_strdelimit (g_strdup (kind), "_", ' ');

  words[0] = g_ascii_toupper (words[0]);
  return g_strdup_printf ("%s: %s.", words, endings[rng_int (d, 0, G_N_ELEMENTS (endings) - 1)]);
}

static const char *
role_for (Demo        *d,
          char *const *roles)
{
  if (roles != NULL)
    return pick_string (d, roles);
  if (d->indicator != NULL && d->indicator->identified_by_roles != NULL)
    return d->indicator->identified_by_roles[0];
  return "lead_professional";
}

/* The keyworker signs most statements; other professionals sign their own. */
static const char *
author_for (Demo       *d,
            const char *role)
{
  if (g_str_equal (role, "keyworker") || g_str_equal (role, "lead_professional") ||
      g_str_equal (role, "practitioner") || g_str_equal (role, "family_partner"))
    return d->keyworker;
  return d->colleagues[g_str_hash (role) % G_N_ELEMENTS (d->colleagues)];
}

static gboolean
make_evidence (Demo         *d,
               const FoRule *rule,
               Aim           aim,
               FoDay         lo,
               Timing       *t)
{
  FoDay date, covers_from = 0, effective;
  const char *role;
  FoEvent *event;

  if (aim != AIM_HOLD)
    {
      /* Fail: no statement that counts. */
      timing_set (t, NEVER, NEVER);
      for (guint i = 0; i < d->family->events->len; i++)
        {
          const FoEvent *statement = g_ptr_array_index (d->family->events, i);

          if (statement->kind == FO_KIND_EVIDENCE && type_ok (rule->evidence_kinds, statement->type) &&
              evidence_in_scope (d, rule, statement))
            return FALSE;
        }
      return TRUE;
    }
  if (d->entry_stage || d->check_only)
    return FALSE;

  date = MAX (lo, d->entry + 7);
  if (rule->has_not_before)
    date = MAX (date, fo_day_add_duration (d->entry, &rule->not_before));
  if (rule->has_min_period)
    {
      covers_from = d->entry + rng_int (d, 0, 14);
      date = MAX (date, fo_duration_completed_on (covers_from, &rule->min_period) + rng_int (d, 0, 10));
    }
  effective = date;
  if (rule->approval_roles != NULL)
    effective = date + rng_int (d, 2, 12);
  if (effective > d->hi)
    return FALSE;

  role = role_for (d, rule->roles);
  event = add_event (d, FO_KIND_EVIDENCE, -1, date);
  event->type = g_strdup (pick_string (d, rule->evidence_kinds));
  event->author_role = g_strdup (role);
  event->author = g_strdup (author_for (d, role));
  if (d->indicator != NULL)
    event->indicator = g_strdup (d->indicator->id);
  if (d->outcome != NULL && rule->scope == FO_SCOPE_OUTCOME)
    event->outcome = g_strdup (d->outcome->id);
  if (d->indicator != NULL && d->identified != all_members (d))
    event->member = g_bit_nth_lsf (d->identified, -1);
  if (rule->approval_roles != NULL)
    {
      const char *approver_role = pick_string (d, rule->approval_roles);

      event->approver_role = g_strdup (approver_role);
      event->approved_by = g_strdup (d->colleagues[(g_str_hash (approver_role) + 1) %
                                                   G_N_ELEMENTS (d->colleagues)]);
      if (g_str_equal (event->approved_by, event->author))
        {
          g_free (event->approved_by);
          event->approved_by = invent_practitioner (d);
        }
      event->approved_on = effective;
    }
  if (covers_from != 0)
    {
      event->covers_from = covers_from;
      event->covers_to = date;
    }
  if (rule->evidence_min_level != FO_LEVEL_UNSET)
    event->level = rule->evidence_min_level == FO_LEVEL_FULLY || rng_chance (d, 50)
                   ? FO_LEVEL_FULLY : FO_LEVEL_SOMEWHAT;
  if (rule->tool != NULL)
    event->tool = g_strdup (rule->tool);
  event->text = statement_text (d, event->type);
  timing_set (t, effective, effective);
  return TRUE;
}

/* ---- combinations ----------------------------------------------------------------------- */

static gboolean
make_children (Demo         *d,
               const FoRule *rule,
               int           bound,
               Aim           aim,
               FoDay         lo,
               Timing       *t)
{
  guint n = rule->children->len;
  gpointer order[32];
  int needed;

  n = MIN (n, G_N_ELEMENTS (order));
  for (guint i = 0; i < n; i++)
    order[i] = g_ptr_array_index (rule->children, i);
  rng_shuffle (d, order, n);

  /* How many children must go the way asked. */
  if (rule->kind == FO_RULE_ALL)
    needed = aim == AIM_HOLD ? (int) n : 1;
  else if (rule->kind == FO_RULE_ANY)
    needed = aim == AIM_HOLD ? 1 : (int) n;
  else
    needed = aim == AIM_HOLD ? rule->k : (int) n - rule->k + 1;

  if (needed >= (int) n)
    {
      timing_set (t, aim == AIM_HOLD ? d->entry : NEVER, aim == AIM_HOLD ? d->entry : NEVER);
      for (guint i = 0; i < n; i++)
        {
          Timing part;

          if (!make (d, order[i], bound, aim, lo, &part))
            return FALSE;
          if (aim == AIM_HOLD)
            timing_join (t, &part);
        }
      return TRUE;
    }

  /* Alternatives: first those that also time right for the goal, then any that holds. */
  for (int pass = aim == AIM_HOLD ? 0 : 1; pass < 2; pass++)
    {
      Mark mark;
      int done = 0;

      mark_take (d, &mark);
      timing_set (t, aim == AIM_HOLD ? NEVER : NEVER, NEVER);
      for (guint i = 0; i < n && done < needed; i++)
        {
          Mark before;
          Timing part;

          mark_take (d, &before);
          if (make (d, order[i], bound, aim, lo, &part) &&
              (pass == 1 || timing_fits (d, &part)))
            {
              if (aim == AIM_HOLD)
                {
                  t->h = done == 0 ? part.h : MAX (t->h, part.h);
                  t->s = done == 0 ? part.s : MAX (t->s, part.s);
                }
              done++;
            }
          else
            mark_restore (d, &before);
        }
      if (done >= needed)
        return TRUE;
      mark_restore (d, &mark);
    }
  return FALSE;
}

static gboolean
make_quantify (Demo         *d,
               const FoRule *rule,
               int           bound,
               Aim           aim,
               FoDay         lo,
               Timing       *t)
{
  const FoRule *inner = g_ptr_array_index (rule->children, 0);
  gpointer order[FO_MAX_MEMBERS];
  guint n = 0;
  int needed;
  FoDay day = rule->over.age_at == FO_AGE_AT_ENTRY ? d->entry : d->hi;

  for (guint m = 0; m < n_members (d); m++)
    if (member_fits (d, &rule->over, m, day))
      order[n++] = GUINT_TO_POINTER (m);
  rng_shuffle (d, order, n);
  if (n == 0)
    {
      timing_set (t, d->entry, d->entry);
      return rule->if_empty == (aim == AIM_HOLD);
    }

  switch (rule->quantifier)
    {
    case FO_Q_ALL:
      needed = aim == AIM_HOLD ? (int) n : 1;
      break;
    case FO_Q_NONE:
      /* "None holds" is every member negated; failing it is one member holding. */
      aim = aim == AIM_HOLD ? AIM_NEGATE : AIM_HOLD;
      needed = aim == AIM_NEGATE ? (int) n : 1;
      break;
    case FO_Q_AT_LEAST:
      needed = aim == AIM_HOLD ? rule->k : (int) n - rule->k + 1;
      break;
    case FO_Q_ANY:
    default:
      needed = aim == AIM_HOLD ? 1 : (int) n;
      break;
    }
  if (needed > (int) n)
    return FALSE;

  /* A bound or identified member goes first: the indicator is about them. */
  for (guint i = 0; i < n; i++)
    if (GPOINTER_TO_UINT (order[i]) == (guint) bound ||
        (d->identified != all_members (d) && (d->identified & BIT (GPOINTER_TO_UINT (order[i])))))
      {
        gpointer swap = order[0];

        order[0] = order[i];
        order[i] = swap;
        break;
      }

  for (int pass = aim == AIM_HOLD && needed < (int) n ? 0 : 1; pass < 2; pass++)
    {
      Mark mark;
      int done = 0;

      mark_take (d, &mark);
      timing_set (t, aim == AIM_HOLD ? d->entry : NEVER, aim == AIM_HOLD ? d->entry : NEVER);
      for (guint i = 0; i < n && done < needed; i++)
        {
          Mark before;
          Timing part;

          mark_take (d, &before);
          if (make (d, inner, GPOINTER_TO_INT (order[i]), aim, lo, &part) &&
              (pass == 1 || timing_fits (d, &part)))
            {
              if (aim == AIM_HOLD)
                {
                  if (done == 0 || needed == (int) n)
                    timing_join (t, &part);
                  if (done == 0 && needed < (int) n)
                    *t = part;
                }
              done++;
            }
          else if (needed == (int) n)
            {
              mark_restore (d, &mark);
              return FALSE;
            }
          else
            mark_restore (d, &before);
        }
      if (done >= needed)
        return TRUE;
      mark_restore (d, &mark);
    }
  return FALSE;
}

/* The value a tiered rule chooses its band by, or FALSE when it is not recorded. */
static gboolean
tier_value (Demo         *d,
            const FoRule *metric,
            int           bound,
            double       *value)
{
  gboolean family;
  guint64 mask = subject_of (d, &metric->subject, bound, d->entry, &family);

  switch (metric->kind)
    {
    case FO_RULE_COUNT:
      return count_value (d, metric, mask, family, d->entry, value);
    case FO_RULE_MEASURE:
      {
        int sum = 0, n = 0;

        for (guint m = 0; m < n_members (d); m++)
          if ((mask & BIT (m)) && d->pupils[m].n_terms > 0)
            {
              sum += d->levels[m].pre_a;
              n++;
            }
        *value = n > 0 ? (double) sum / n : 0;
        return n > 0;
      }
    case FO_RULE_READING:
    default:
      if (metric->star)
        {
          int sum = 0;

          if (!d->has_star)
            return FALSE;
          for (guint a = 0; a < FO_STAR_AREAS; a++)
            if (metric->areas_mask & (1u << a))
              sum += d->star.base[a];
          *value = sum;
          return TRUE;
        }
      for (guint i = 0; i < d->family->events->len; i++)
        {
          const FoEvent *event = g_ptr_array_index (d->family->events, i);

          if (event->kind == FO_KIND_ASSESSMENT && event->start <= d->entry &&
              g_ascii_strcasecmp (event->type, metric->instrument) == 0 &&
              record_counts (d, 1u << FO_KIND_ASSESSMENT, NULL, &metric->subject, mask, family,
                             event))
            {
              *value = event->score;
              return TRUE;
            }
        }
      return FALSE;
    }
}

static gboolean
make_tiered (Demo         *d,
             const FoRule *rule,
             int           bound,
             Aim           aim,
             FoDay         lo,
             Timing       *t)
{
  double value;

  if (!tier_value (d, rule->metric, bound, &value))
    {
      /* An assessment not taken yet: take it now, in a band chosen at random. */
      const FoBand *band = g_ptr_array_index (rule->bands, rng_int (d, 0, rule->bands->len - 1));
      Instrument scale;
      gboolean family;
      guint64 mask;
      int member;

      if (aim != AIM_HOLD)
        return TRUE;
      if (rule->metric->kind != FO_RULE_READING || rule->metric->star || d->check_only)
        return FALSE;
      scale = instrument_of (rule->metric->instrument);
      mask = subject_of (d, &rule->metric->subject, bound, d->entry, &family);
      member = pick_member (d, FO_KIND_ASSESSMENT, mask, family, bound, &rule->metric->subject,
                            d->entry);
      if (member == -2)
        return FALSE;
      {
        int lo_score = band->has_min ? MAX (scale.min, (int) ceil (band->min)) : scale.min;
        int hi_score = band->has_max ? MIN (scale.max, (int) floor (band->max)) : scale.max;
        FoEvent *event;

        if (lo_score > hi_score)
          return FALSE;
        event = add_event (d, FO_KIND_ASSESSMENT, member, d->entry - rng_int (d, 0, 14));
        event->type = g_strdup (scale.name);
        event->score = rng_int (d, lo_score, hi_score);
        value = event->score;
      }
    }
  for (guint i = 0; i < rule->bands->len; i++)
    {
      const FoBand *band = g_ptr_array_index (rule->bands, i);

      if ((band->has_min && value < band->min) || (band->has_max && value > band->max))
        continue;
      return make (d, band->rule, bound, aim, lo, t);
    }
  /* No band: the outcome does not apply, which is never "met". */
  return aim != AIM_HOLD;
}

static gboolean
make_sustain (Demo         *d,
              const FoRule *rule,
              int           bound,
              Aim           aim,
              FoDay         lo,
              Timing       *t)
{
  const FoRule *inner = g_ptr_array_index (rule->children, 0);

  if (aim == AIM_HOLD)
    {
      if (!make (d, inner, bound, AIM_HOLD, lo, t))
        return FALSE;
      if (t->h != NEVER)
        t->s = MAX (t->s, fo_duration_completed_on (MAX (t->h, d->entry), &rule->period));
      return TRUE;
    }
  if (aim == AIM_NEGATE)
    return make (d, inner, bound, AIM_NEGATE, lo, t);

  /* Fail: the inner rule fails, or it holds again only recently. */
  {
    Mark mark;
    gboolean fresh = d->fresh;
    int half = MAX (duration_days (&rule->period) / 2, 10);
    FoDay again = d->hi - rng_int (d, 5, half);

    mark_take (d, &mark);
    if (make (d, inner, bound, AIM_FAIL, lo, t))
      return TRUE;
    mark_restore (d, &mark);
    if (again <= d->entry)
      return FALSE;
    d->fresh = TRUE;
    if (make (d, inner, bound, AIM_HOLD, again, t) && t->h != NEVER &&
        fo_duration_completed_on (MAX (t->h, d->entry), &rule->period) > d->hi)
      {
        d->fresh = fresh;
        timing_set (t, NEVER, NEVER);
        return TRUE;
      }
    d->fresh = fresh;
    mark_restore (d, &mark);
    return FALSE;
  }
}

static gboolean
make_at_entry (Demo         *d,
               const FoRule *rule,
               int           bound,
               Aim           aim,
               FoDay         lo,
               Timing       *t)
{
  const FoRule *inner = g_ptr_array_index (rule->children, 0);
  gboolean check_only = d->check_only;
  FoDay hi = d->hi;
  Timing part;
  gboolean held;
  Mark mark;

  timing_set (t, d->entry, d->entry);
  if (d->entry_stage)
    return make (d, inner, bound, aim == AIM_HOLD ? AIM_HOLD : AIM_NEGATE, d->entry, &part);

  /* After entry, the entry date is history: read it, never write it. */
  mark_take (d, &mark);
  d->check_only = TRUE;
  d->hi = d->entry;
  held = make (d, inner, bound, AIM_HOLD, d->entry, &part);
  d->check_only = check_only;
  d->hi = hi;
  mark_restore (d, &mark);
  if (aim != AIM_HOLD)
    timing_set (t, NEVER, NEVER);
  return held == (aim == AIM_HOLD);
}

static gboolean
make (Demo         *d,
      const FoRule *rule,
      int           bound,
      Aim           aim,
      FoDay         lo,
      Timing       *t)
{
  g_assert (rule != NULL);

  timing_set (t, lo, lo);
  switch (rule->kind)
    {
    case FO_RULE_COUNT:
      return make_count (d, rule, bound, aim, lo, t);
    case FO_RULE_SPELL:
      return make_spell (d, rule, bound, aim, lo, t);
    case FO_RULE_MEASURE:
      return make_measure (d, rule, bound, aim, lo, t);
    case FO_RULE_CHANGE:
      if (rule->metric->kind == FO_RULE_COUNT)
        return make_count_change (d, rule, bound, aim, lo, t);
      return make_attendance_change (d, rule, bound, aim, lo, t);
    case FO_RULE_READING:
      if (rule->star)
        return make_star (d, rule, aim, lo, t);
      return make_assessment (d, rule, bound, aim, lo, t);
    case FO_RULE_TRANSITION:
      return make_transition (d, rule, bound, aim, lo, t);
    case FO_RULE_EVIDENCE:
      return make_evidence (d, rule, aim, lo, t);
    case FO_RULE_QUANTIFY:
      return make_quantify (d, rule, bound, aim, lo, t);
    case FO_RULE_TIERED:
      return make_tiered (d, rule, bound, aim, lo, t);
    case FO_RULE_SUSTAIN:
      return make_sustain (d, rule, bound, aim, lo, t);
    case FO_RULE_ALL:
    case FO_RULE_ANY:
    case FO_RULE_AT_LEAST:
      return make_children (d, rule, bound, aim, lo, t);
    case FO_RULE_NOT:
      {
        const FoRule *inner = g_ptr_array_index (rule->children, 0);

        if (aim == AIM_HOLD)
          return make (d, inner, bound, AIM_NEGATE, lo, t);
        if (aim == AIM_NEGATE)
          return make (d, inner, bound, AIM_HOLD, lo, t);
        /* Fail: the inner rule holds again on the last day. */
        if (d->entry_stage)
          return make (d, inner, bound, AIM_HOLD, lo, t);
        return make (d, inner, bound, AIM_HOLD, MAX (d->hi - rng_int (d, 10, 40), d->entry + 1), t);
      }
    case FO_RULE_AT_ENTRY:
      return make_at_entry (d, rule, bound, aim, lo, t);
    case FO_RULE_UNDEFINED:
    default:
      return aim != AIM_HOLD;
    }
}
