/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fo-demo"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

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
#define CALENDAR_FIRST 2000
#define CALENDAR_YEARS 100

typedef enum { AIM_HOLD, AIM_FAIL, AIM_NEGATE } Aim;

/* Where one identified indicator is taken: met (an outcome sustained), an outcome achieved but
 * not yet sustained, or not met. */
typedef enum { GOAL_SUSTAIN, GOAL_ACHIEVE, GOAL_FAIL } Goal;

/* Where the family as a whole is taken, as of the as-of date. */
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
  guint8   n_terms[FO_MAX_MEMBERS];
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

/* make() writes records so that @rule, judged as the evaluator judges it (@bound is the member
 * an indicator's subject or a quantifier binds, or -1), goes the way @aim asks:
 *   AIM_HOLD    holds from about @lo through the last judged day; *t says from when it holds
 *               and from when it is sustained;
 *   AIM_FAIL    is not sustained on the last judged day;
 *   AIM_NEGATE  holds on no day from @lo through the last judged day (what not() asks for).
 * FALSE when it cannot; whoever called puts back what was written (mark_restore). */
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
  char initial[] = { 'A' + rng_int (d, 0, 25), '.', ' ', '\0' };

  return g_strconcat (initial, surname, NULL);
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

static void
term_dates_of (int    year,
               int    term,
               FoDay *start,
               FoDay *end)
{
  static const int dates[3][4] = { { 9, 3, 12, 19 }, { 1, 6, 3, 27 }, { 4, 14, 7, 22 } };
  int in_year = term == 0 ? year : year + 1;

  *start = fo_day_from_dmy (dates[term][1], dates[term][0], in_year);
  *end = fo_day_from_dmy (dates[term][3], dates[term][2], in_year);
}

/* English school terms of the school year starting in September of @year. A cohort asks for
 * the same few terms millions of times: they are worked out once per process. */
static void
term_dates (int    year,
            int    term,
            FoDay *start,
            FoDay *end)
{
  static FoDay calendar[CALENDAR_YEARS][3][2];
  static gsize ready = 0;
  int slot = year - CALENDAR_FIRST;

  if (g_once_init_enter (&ready))
    {
      for (int y = 0; y < CALENDAR_YEARS; y++)
        for (int t = 0; t < 3; t++)
          term_dates_of (CALENDAR_FIRST + y, t, &calendar[y][t][0], &calendar[y][t][1]);
      g_once_init_leave (&ready, 1);
    }
  if (slot < 0 || slot >= CALENDAR_YEARS)
    {
      term_dates_of (year, term, start, end);
      return;
    }
  *start = calendar[slot][term][0];
  *end = calendar[slot][term][1];
}

/* "e123", "m4", "2025-26 Autumn": formatted by hand, as a cohort formats thousands. */
static char *
prefixed_number (char  prefix,
                 guint n)
{
  char buf[16], *p = buf + sizeof buf;

  *--p = '\0';
  do
    *--p = '0' + n % 10;
  while ((n /= 10) != 0);
  *--p = prefix;
  return g_strdup (p);
}

static char *
term_name (int year,
           int term)
{
  static const char *const names[] = { "Autumn", "Spring", "Summer" };
  char buf[24];
  int next = (year + 1) % 100;

  buf[0] = '0' + year / 1000 % 10;
  buf[1] = '0' + year / 100 % 10;
  buf[2] = '0' + year / 10 % 10;
  buf[3] = '0' + year % 10;
  buf[4] = '-';
  buf[5] = '0' + next / 10;
  buf[6] = '0' + next % 10;
  buf[7] = ' ';
  strcpy (buf + 8, names[term]);
  return g_strdup (buf);
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
  event->id = prefixed_number ('e', d->next_id++);
  event->member = member;
  event->start = start;
  if (source != NULL)
    event->source = g_strdup (source);
  fo_family_take_event (d->family, event);
  return event;
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
  if (!fo_type_in (event->type, types))
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
  for (guint m = 0; m < n_members (d); m++)
    mark->n_terms[m] = d->pupils[m].n_terms;
  memcpy (mark->levels, d->levels, n_members (d) * sizeof (Levels));
  mark->star = d->star_plan;
  mark->closure = d->closure;
}

/* Whether nothing was written since @mark (constraints on levels and scores aside). */
static gboolean
mark_unchanged (Demo       *d,
                const Mark *mark)
{
  return d->family->events->len == mark->n_events && d->undo->len == mark->n_undo &&
         d->closure == mark->closure;
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
  for (guint m = 0; m < mark->n_members; m++)
    d->pupils[m].n_terms = mark->n_terms[m];
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
        if (++found == n)
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
  FoDay terms_start = 0;

  *to = fo_window_last (window, d->entry, day);
  if (window->kind == FO_WINDOW_LAST_TERMS)
    terms_start = terms_window_start (d, mask, window->terms, *to);
  *from = fo_window_first (window, d->entry, *to, terms_start);
  return window->kind != FO_WINDOW_LAST_TERMS || terms_start != 0;
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
          event->start > to || fo_event_last_day (event, NEVER) < from)
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
      last = fo_event_last_day (event, d->hi);
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
        last -= rng_int (d, 0, MIN (window->terms, last + 1) - 1);
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
        {
          int days = CLAMP ((int) need, 1, 5);

          if (days > 2)
            days -= rng_int (d, 0, 1);
          event->days = days;
        }
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

          baby->id = prefixed_number ('m', n_members (d) + 1);
          baby->name = g_strconcat (given, " ", d->surname, NULL);
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
      /* A record on one day cannot hold over days; a spell can. */
      if (rule->window.kind == FO_WINDOW_ON_DAY &&
          !fo_kind_is_spell (pick_kind (d, rule->kinds_mask)))
        return FALSE;
      last = add_count_records (d, rule, mask, family, bound,
                                MIN (MAX (lo, d->entry + 1) + 20, d->hi), have, total);
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
          fo_event_last_day (event, NEVER) < (aim == AIM_NEGATE ? lo : d->hi))
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

static void
add_term (Demo *d,
          guint m,
          int   year,
          int   term)
{
  static const int sessions[] = { 140, 114, 124 };
  Pupil *pupil = &d->pupils[m];
  FoDay start, end;
  FoEvent *event;

  if (pupil->n_terms >= MAX_TERMS)
    return;
  term_dates (year, term, &start, &end);
  event = add_event (d, FO_KIND_ATTENDANCE, m, start);
  event->end = end;
  event->term = term_name (year, term);
  event->possible = sessions[term] + 2 * rng_int (d, -3, 3);
  event->attended = event->possible;
  pupil->terms[pupil->n_terms++] = event;
}

/* A child off the school roll at entry who is back in school by @from: registered again from
 * the next term, with the terms since. FALSE when the child is past school age by then. */
static gboolean
enrol (Demo  *d,
       guint  m,
       FoDay  from)
{
  const Pupil *pupil = &d->pupils[m];
  FoDay first, last, back = 0;

  if (pupil->registration == NULL || pupil->registration->end == 0 ||
      pupil->registration->end >= d->hi || pupil->registration->end >= d->entry ||
      pupil->terms[pupil->n_terms - 1]->end > d->entry)
    return TRUE;
  fo_school_age_span (member_at (d, m)->dob, &first, &last);
  for (int year = year_of (from) - 1; year <= year_of (d->hi) && back == 0; year++)
    for (int term = 0; term < 3 && back == 0; term++)
      {
        FoDay start, end;

        term_dates (year, term, &start, &end);
        if (start >= from && start <= MIN (last, d->hi))
          back = start;
      }
  if (back == 0)
    return FALSE;
  {
    FoEvent *registration = add_event (d, FO_KIND_STATUS, m, back);

    registration->type = g_strdup ("registered_with_school");
    registration->source = g_strdup ("School census");
    if (last <= d->hi)
      registration->end = last;
  }
  for (int year = year_of (back) - 1; year <= year_of (d->hi); year++)
    for (int term = 0; term < 3; term++)
      {
        FoDay start, end;

        term_dates (year, term, &start, &end);
        if (start >= back && end <= d->hi && start <= last)
          add_term (d, m, year, term);
      }
  return TRUE;
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

          if (!level_constrain (&chosen, rule->series, rule->op, rule->value, aim != AIM_HOLD))
            return FALSE;
          continue;
        }
      if (d->check_only)
        return FALSE;
      if (!level_constrain (before ? &levels->pre : &levels->post, rule->series, rule->op,
                            rule->value, aim != AIM_HOLD))
        return FALSE;
      if (!before && aim == AIM_HOLD && !enrol (d, m, MAX (lo, d->entry + 1)))
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
      if (aim == AIM_HOLD && !enrol (d, m, MAX (lo, d->entry + 1)))
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
      if (event->start <= d->entry && fo_event_last_day (event, NEVER) >= base_from)
        baseline += weight;
      if (event->start > d->entry)
        clear = MAX (clear, last_day_in_window (fo_event_last_day (event, d->hi),
                                                &rule->compare) + 1);
      if (fo_event_last_day (event, NEVER) >= fo_duration_window_start (d->hi, &rule->compare) &&
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
          if (!(rule->areas_mask & (1u << a)) ||
              (up ? d->star.base[a] >= 10 : d->star.base[a] <= 1))
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

/* Raises the lowest areas a point at a time (the weakest areas are where work shows first)
 * until the areas' scores add up to @need. Returns the sum reached. */
static int
star_raise (Demo      *d,
            const int *areas,
            int        n,
            int        sum,
            int        need,
            int        from)
{
  const StarPlan *plan = &d->star_plan;

  while (sum < need)
    {
      int lowest = -1, lowest_score = 0;

      for (int i = 0; i < n; i++)
        {
          int now = MAX (plan->target[areas[i]], d->star.base[areas[i]]);

          if (now < star_score_bound (d, areas[i]) &&
              (lowest < 0 || now < lowest_score || (now == lowest_score && rng_chance (d, 40))))
            {
              lowest = areas[i];
              lowest_score = now;
            }
        }
      if (lowest < 0)
        break;
      star_set_target (d, lowest, lowest_score + 1, from);
      sum++;
    }
  return sum;
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
      sum = star_raise (d, areas, n, sum, base + delta, from);
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
      sum = star_raise (d, areas, n, sum, need, from);
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
        score = scale.higher_worse == (rule->direction < 0)
                ? rng_int (d, scale.worse_lo, scale.worse_hi)
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
      date = d->hi - rng_int (d, 3, 20);
      date = MAX (latest->start + 14, date);
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
          double change = rule->change_is_pct
                          ? ceil (fabs (baseline->score) * rule->change_pct / 100.0)
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
          if (aim == AIM_HOLD && event->end != 0 && !fo_type_in (event->end_reason, rule->to))
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

      if (event->kind == FO_KIND_CASE && fo_type_in (event->type, rule->return_types) &&
          event->start > closure && event->start <= d->hi &&
          (event->member < 0 || (mask & BIT (event->member))))
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
    "agreed with the family at the review",
    "confirmed by the school and the family",
    "seen in the case notes and at home visits",
    "reported by the service and checked with the family",
  };
  char *text = g_strconcat (kind, ": ", endings[rng_int (d, 0, G_N_ELEMENTS (endings) - 1)], ".",
                            NULL);

  for (char *c = text; *c != ':'; c++)
    if (*c == '_')
      *c = ' ';
  text[0] = g_ascii_toupper (text[0]);
  return text;
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

          if (statement->kind == FO_KIND_EVIDENCE &&
              fo_type_in (statement->type, rule->evidence_kinds) &&
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
      FoDay covered;

      covers_from = d->entry + rng_int (d, 0, 14);
      covered = fo_duration_completed_on (covers_from, &rule->min_period) + rng_int (d, 0, 10);
      date = MAX (date, covered);
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

  /* Alternatives. Holding: first those that also time right for the goal, then any that
   * holds. Failing: first those that fail with nothing added (a missing statement), then any. */
  for (int pass = 0; pass < 2; pass++)
    {
      Mark mark;
      int done = 0;

      mark_take (d, &mark);
      timing_set (t, NEVER, NEVER);
      for (guint i = 0; i < n && done < needed; i++)
        {
          Mark before;
          Timing part;

          mark_take (d, &before);
          if (make (d, order[i], bound, aim, lo, &part) &&
              (pass == 1 || (aim == AIM_HOLD ? timing_fits (d, &part)
                                             : mark_unchanged (d, &before))))
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

  for (int pass = needed < (int) n ? 0 : 1; pass < 2; pass++)
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
              (pass == 1 || (aim == AIM_HOLD ? timing_fits (d, &part)
                                             : mark_unchanged (d, &before))))
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
        {
          FoDay again = d->hi - rng_int (d, 10, 40);

          return make (d, inner, bound, AIM_HOLD, MAX (again, d->entry + 1), t);
        }
      }
    case FO_RULE_AT_ENTRY:
      return make_at_entry (d, rule, bound, aim, lo, t);
    case FO_RULE_UNDEFINED:
    default:
      return aim != AIM_HOLD;
    }
}

/* ---- which indicators a family presents with -------------------------------------------- */

static gboolean
rule_possible (const FoRule *rule)
{
  switch (rule->kind)
    {
    case FO_RULE_UNDEFINED:
      return FALSE;
    case FO_RULE_ALL:
      for (guint i = 0; i < rule->children->len; i++)
        if (!rule_possible (g_ptr_array_index (rule->children, i)))
          return FALSE;
      return TRUE;
    case FO_RULE_ANY:
    case FO_RULE_AT_LEAST:
      for (guint i = 0; i < rule->children->len; i++)
        if (rule_possible (g_ptr_array_index (rule->children, i)))
          return TRUE;
      return FALSE;
    case FO_RULE_QUANTIFY:
    case FO_RULE_SUSTAIN:
    case FO_RULE_AT_ENTRY:
      return rule_possible (g_ptr_array_index (rule->children, 0));
    case FO_RULE_TIERED:
      for (guint i = 0; i < rule->bands->len; i++)
        if (rule_possible (((FoBand *) g_ptr_array_index (rule->bands, i))->rule))
          return TRUE;
      return FALSE;
    default:
      return TRUE;
    }
}

/* Whether some outcome of the indicator can be met at all (a blank cell in the plan cannot). */
static gboolean
indicator_possible (const FoIndicator *indicator)
{
  for (guint i = 0; i < indicator->effective->len; i++)
    {
      const FoOutcome *outcome = g_ptr_array_index (indicator->effective, i);

      if (!outcome->supplementary && rule_possible (outcome->rule))
        return TRUE;
    }
  return FALSE;
}

/* Whether a rule reads records of @kind (or of a status or case of @type). */
static gboolean
rule_mentions (const FoRule *rule,
               FoKind        kind,
               const char   *type)
{
  if (rule == NULL)
    return FALSE;
  if ((rule->kind == FO_RULE_COUNT || rule->kind == FO_RULE_SPELL) &&
      (rule->kinds_mask & (1u << kind)) &&
      (type == NULL || (rule->types != NULL && g_strv_contains ((const char *const *) rule->types,
                                                                type))))
    return TRUE;
  if (rule->metric != NULL && rule_mentions (rule->metric, kind, type))
    return TRUE;
  for (guint i = 0; rule->children != NULL && i < rule->children->len; i++)
    if (rule_mentions (g_ptr_array_index (rule->children, i), kind, type))
      return TRUE;
  return FALSE;
}

/* Whether a rule reads school records: attendance or exclusions. */
static gboolean
rule_reads_school (const FoRule *rule)
{
  if (rule == NULL)
    return FALSE;
  if (rule->kind == FO_RULE_MEASURE ||
      ((rule->kind == FO_RULE_COUNT || rule->kind == FO_RULE_SPELL) &&
       (rule->kinds_mask & ((1u << FO_KIND_EXCLUSION) | (1u << FO_KIND_ATTENDANCE)))))
    return TRUE;
  if (rule->metric != NULL && rule_reads_school (rule->metric))
    return TRUE;
  for (guint i = 0; rule->children != NULL && i < rule->children->len; i++)
    if (rule_reads_school (g_ptr_array_index (rule->children, i)))
      return TRUE;
  for (guint i = 0; rule->bands != NULL && i < rule->bands->len; i++)
    if (rule_reads_school (((FoBand *) g_ptr_array_index (rule->bands, i))->rule))
      return TRUE;
  return FALSE;
}

static gboolean
indicator_reads_school (const FoIndicator *indicator)
{
  if (rule_reads_school (indicator->entry))
    return TRUE;
  for (guint i = 0; i < indicator->effective->len; i++)
    if (rule_reads_school (((FoOutcome *) g_ptr_array_index (indicator->effective, i))->rule))
      return TRUE;
  return FALSE;
}

static guint
indicators_of (const FoIssue      *issue,
               const FoIndicator **out)
{
  guint n = 0;

  for (guint i = 0; i < issue->indicators->len; i++)
    {
      const FoIndicator *indicator = g_ptr_array_index (issue->indicators, i);

      if (!indicator->standalone_only)
        out[n++] = indicator;
    }
  return n;
}

static gboolean
picked (Demo              *d,
        const FoIndicator *indicator)
{
  for (guint i = 0; i < d->n_picks; i++)
    if (d->picks[i].indicator == indicator)
      return TRUE;
  return FALSE;
}

static void
pick (Demo              *d,
      const FoIndicator *indicator)
{
  if (d->n_picks < MAX_PICKS && !picked (d, indicator))
    d->picks[d->n_picks++] = (Pick) { indicator, -1 };
}

/* Two to four headline issues, the first rotating with the index so that a cohort covers every
 * issue (and, over more families, every indicator of it). */
static void
pick_indicators (Demo     *d,
                 guint     index,
                 gboolean  eligible)
{
  const FoPlan *plan = d->plan;
  const FoIssue *issues[64];
  const FoIndicator *list[64];
  guint n_issues = 0, wanted, n;

  for (guint i = 0; i < plan->issues->len && n_issues < G_N_ELEMENTS (issues); i++)
    {
      const FoIssue *issue = g_ptr_array_index (plan->issues, i);

      if (indicators_of (issue, list) > 0)
        issues[n_issues++] = issue;
    }
  if (n_issues == 0)
    return;

  wanted = (guint) rng_int (d, 2, 4);
  wanted = eligible ? (guint) MAX (plan->min_issues, (int) wanted)
                    : (guint) MAX (plan->min_issues - 1, 1);
  wanted = MIN (wanted, n_issues);
  {
    const FoIssue *first = issues[index % n_issues];

    n = indicators_of (first, list);
    pick (d, list[(index / n_issues) % n]);
    if (n > 1 && rng_chance (d, 25))
      pick (d, list[rng_int (d, 0, n - 1)]);
    issues[index % n_issues] = issues[n_issues - 1];
    issues[n_issues - 1] = first;
  }
  rng_shuffle (d, (gpointer *) issues, n_issues - 1);
  for (guint i = 0; i + 1 < wanted; i++)
    {
      n = indicators_of (issues[i], list);
      pick (d, list[rng_int (d, 0, n - 1)]);
      if (n > 1 && rng_chance (d, 25))
        pick (d, list[rng_int (d, 0, n - 1)]);
    }
  /* A plan may also count indicators. */
  for (int guard = 0; eligible && (int) d->n_picks < plan->min_indicators && guard < 20; guard++)
    {
      n = indicators_of (issues[rng_int (d, 0, (int) wanted - 2 < 0 ? 0 : (int) wanted - 2)], list);
      pick (d, list[rng_int (d, 0, n - 1)]);
    }
}

/* ---- members ---------------------------------------------------------------------------- */

static FoDay
dob_for_age (Demo *d,
             int   age,
             FoDay on)
{
  return fo_day_add_months (on, -12 * age) - rng_int (d, 1, 364);
}

static FoMember *
add_member (Demo       *d,
            FoRole      role,
            const char *sex,
            FoDay       dob,
            const char *surname)
{
  FoMember *member = fo_member_new ();
  g_autofree char *given = invent_word (d, rng_chance (d, 80) ? 2 : 3);

  member->id = prefixed_number ('m', n_members (d) + 1);
  member->name = g_strconcat (given, " ", surname, NULL);
  member->dob = dob;
  member->role = role;
  member->sex = g_strdup (sex);
  if (rng_chance (d, 70))
    {
      g_autofree char *number = prefixed_number ('-', rng_int (d, 100000, 999999));

      member->person_ref = g_strconcat ("P", number, NULL);
    }
  fo_family_take_member (d->family, member);
  return member;
}

static const char *
any_sex (Demo *d)
{
  return rng_chance (d, 50) ? "female" : "male";
}

/* A member the indicator's subject takes at entry: one already there, or a child given the
 * right age, or a newcomer. Returns -1 for indicators of the whole family, -2 for none. */
static int
member_for (Demo              *d,
            const FoIndicator *indicator,
            guint64            taken)
{
  const FoSelector *subject = &indicator->subject;
  gboolean young_mother = rule_mentions (indicator->entry, FO_KIND_BIRTH, NULL) ||
                          rule_mentions (indicator->entry, FO_KIND_STATUS, "pregnant");
  gboolean school = indicator_reads_school (indicator);
  gboolean adults_first;
  FoKind kind = FO_KIND_REFERRAL;
  int found = -2;

  if (!indicator->has_subject)
    return -1;
  /* Offences, exclusions, … make some members likelier than others. */
  for (guint k = 0; k < FO_N_KINDS; k++)
    if (rule_mentions (indicator->entry, k, NULL))
      {
        kind = k;
        break;
      }
  /* An indicator about school is about a pupil; one open to parents is usually about a
   * parent; one member is rarely the subject of several. */
  adults_first = !school && !young_mother &&
                 (subject->role_mask == 0 ||
                  (subject->role_mask & ((1u << FO_ROLE_PARENT) | (1u << FO_ROLE_CARER)))) &&
                 (subject->age_max < 0 || subject->age_max >= 18);
  for (int pass = 0; pass < 4 && found == -2; pass++)
    for (guint m = 0; m < n_members (d) && found == -2; m++)
      if (member_fits (d, subject, m, d->entry) &&
          (pass == 3 || plausible (d, kind, m, d->entry)) &&
          (pass == 1 || pass == 3 || !(taken & BIT (m))) &&
          (pass >= 2 || !adults_first || member_at (d, m)->role != FO_ROLE_CHILD) &&
          (!school || (age_on (d, m, d->entry) >= 6 && age_on (d, m, d->entry) <= 15)) &&
          (!young_mother || g_strcmp0 (member_at (d, m)->sex, "female") == 0))
        found = m;
  if (found >= 0)
    return found;

  {
    int age_min = MAX (subject->age_min, 0);
    int age_max = subject->age_max >= 0 ? subject->age_max : 60;
    gboolean child_role = subject->role_mask == 0 || (subject->role_mask & (1u << FO_ROLE_CHILD));

    if (subject->school_age == 1 || (school && age_min <= 15 && age_max >= 6))
      {
        age_min = MAX (age_min, 6);
        age_max = MIN (age_max, 15);
      }
    if (subject->phase == 0)
      {
        age_min = MAX (age_min, 6);
        age_max = MIN (age_max, 9);
      }
    else if (subject->phase == 1)
      {
        age_min = MAX (age_min, 12);
        age_max = MIN (age_max, 15);
      }
    if (young_mother)
      age_min = MAX (age_min, MIN (15, age_max));
    if (kind == FO_KIND_OFFENCE || kind == FO_KIND_ASB_INCIDENT || kind == FO_KIND_MISSING_EPISODE)
      age_min = MAX (age_min, MIN (12, age_max));
    if (age_min > age_max)
      return -2;

    for (int attempt = 0; attempt < 8; attempt++)
      {
        int m = -1;

        if (child_role && age_min <= 17)
          {
            int age = rng_int (d, age_min, MIN (age_max, 17));

            /* Reuse a child no other indicator needs, or bring one in. */
            for (guint i = 0; i < n_members (d) && m < 0; i++)
              if (member_at (d, i)->role == FO_ROLE_CHILD && !(taken & BIT (i)))
                m = i;
            if (m < 0)
              {
                g_autofree char *surname = g_strdup (d->surname);

                add_member (d, FO_ROLE_CHILD, any_sex (d), d->entry - 1, surname);
                m = n_members (d) - 1;
              }
            member_at (d, m)->dob = dob_for_age (d, age, d->entry);
          }
        else if (age_max >= 18)
          {
            FoRole role = subject->role_mask == 0 || (subject->role_mask & (1u << FO_ROLE_PARENT))
                          ? FO_ROLE_PARENT
                          : (subject->role_mask & (1u << FO_ROLE_CARER)) ? FO_ROLE_CARER
                          : FO_ROLE_OTHER;

            int age = rng_int (d, MAX (age_min, 18), MIN (age_max, 55));

            add_member (d, role, any_sex (d), dob_for_age (d, age, d->entry), d->surname);
            m = n_members (d) - 1;
          }
        else
          return -2;
        if (young_mother)
          {
            g_free (member_at (d, m)->sex);
            member_at (d, m)->sex = g_strdup ("female");
          }
        if (member_fits (d, subject, m, d->entry))
          return m;
      }
  }
  return -2;
}

static void
build_members (Demo *d)
{
  FoDay entry = d->entry;
  int children = rng_int (d, 1, 4);
  gboolean carer = rng_chance (d, 8);
  guint64 taken = 0;
  FoDay oldest = 0;

  add_member (d, carer ? FO_ROLE_CARER : FO_ROLE_PARENT, rng_chance (d, 85) ? "female" : "male",
              dob_for_age (d, carer ? rng_int (d, 48, 66) : rng_int (d, 24, 46), entry),
              d->surname);
  if (rng_chance (d, 55))
    {
      g_autofree char *own = rng_chance (d, 30) ? invent_word (d, 2) : g_strdup (d->surname);

      add_member (d, FO_ROLE_PARENT, g_strcmp0 (member_at (d, 0)->sex, "female") == 0 ? "male"
                                                                                      : "female",
                  dob_for_age (d, rng_int (d, 25, 52), entry), own);
    }
  for (int i = 0; i < children; i++)
    add_member (d, FO_ROLE_CHILD, any_sex (d), dob_for_age (d, rng_int (d, 0, 17), entry),
                d->surname);

  for (guint i = 0; i < d->n_picks; i++)
    {
      d->picks[i].member = member_for (d, d->picks[i].indicator, taken);
      if (d->picks[i].member >= 0)
        taken |= BIT (d->picks[i].member);
    }

  /* Parents are older than their children. */
  for (guint m = 0; m < n_members (d); m++)
    if (member_at (d, m)->role == FO_ROLE_CHILD && age_on (d, m, entry) < 25 &&
        (oldest == 0 || member_at (d, m)->dob < oldest))
      oldest = member_at (d, m)->dob;
  for (guint m = 0; m < n_members (d) && oldest != 0; m++)
    {
      FoMember *member = member_at (d, m);

      if ((member->role == FO_ROLE_PARENT || member->role == FO_ROLE_CARER) &&
          !(taken & BIT (m)) && fo_age_years (member->dob, oldest) < 17)
        member->dob = fo_day_add_months (oldest, -12 * rng_int (d, 18, 30)) - rng_int (d, 0, 300);
    }

  /* Pupils have a unique pupil number; invented, like everything else here. */
  for (guint m = 0; m < n_members (d); m++)
    {
      FoMember *member = member_at (d, m);

      if (member->role == FO_ROLE_CHILD && age_on (d, m, entry) >= 4 &&
          age_on (d, m, entry) <= 16 && rng_chance (d, 85))
        {
          g_autofree char *high = prefixed_number ('Z', rng_int (d, 100000, 999999));
          g_autofree char *low = prefixed_number ('0', rng_int (d, 100000, 999999));

          member->upn = g_strconcat (high, low + 1, NULL);
        }
    }
}

/* ---- everyday records ------------------------------------------------------------------- */

static void
build_schooling (Demo *d)
{
  for (guint m = 0; m < n_members (d); m++)
    {
      const FoMember *member = member_at (d, m);
      Pupil *pupil = &d->pupils[m];
      FoDay first, last, fourth, reception;
      FoEvent *registration;

      level_reset (&d->levels[m].pre);
      level_reset (&d->levels[m].post);
      if (member->role != FO_ROLE_CHILD)
        continue;
      fo_school_age_span (member->dob, &first, &last);
      fourth = fo_day_nth_birthday (member->dob, 4);
      reception = fo_day_from_dmy (1, 9, year_of (fourth));
      if (reception < fourth)
        reception = fo_day_from_dmy (1, 9, year_of (fourth) + 1);
      if (reception > d->as_of || last + 366 < d->entry)
        continue;
      registration = add_event (d, FO_KIND_STATUS, m, reception);
      registration->type = g_strdup ("registered_with_school");
      registration->source = g_strdup ("School census");
      if (last <= d->as_of)
        registration->end = last;
      pupil->registration = registration;

      for (int year = year_of (d->entry) - 3; year <= year_of (d->as_of); year++)
        for (int term = 0; term < 3; term++)
          {
            FoDay start, end;

            term_dates (year, term, &start, &end);
            if (end <= d->as_of && start >= reception && start <= last && end + 730 >= d->entry)
              add_term (d, m, year, term);
          }
    }
}

static void
build_star (Demo *d,
            int   chance)
{
  d->has_star = rng_chance (d, chance);
  for (guint a = 0; a < FO_STAR_AREAS; a++)
    {
      d->star.base[a] = rng_chance (d, 15) ? rng_int (d, 6, 8) : rng_int (d, 2, 6);
      d->star.growth[a] = rng_int (d, 0, 5);
      d->star_plan.cap[a] = 10;
    }
  if (!d->has_star)
    return;
  for (guint i = 0; i < MAX_READINGS; i++)
    {
      FoDay date = i == 0 ? d->entry - rng_int (d, 0, 10)
                          : fo_day_add_months (d->entry, 3 * i) + rng_int (d, -5, 5);
      FoEvent *reading;

      if (date > d->as_of || (i > 0 && date <= d->star.readings[i - 1]->start))
        break;
      reading = add_event (d, FO_KIND_STAR_READING, -1, date);
      reading->taken_by = g_strdup ("joint");
      reading->source = g_strdup ("Family Star Plus");
      d->star.readings[d->star.n++] = reading;
    }
}

static gboolean
has_spell_on (Demo  *d,
              guint  m,
              FoKind kind,
              FoDay  day)
{
  for (guint i = 0; i < d->family->events->len; i++)
    {
      const FoEvent *event = g_ptr_array_index (d->family->events, i);

      if (event->kind == kind && event->member == (int) m && event->start <= day &&
          fo_event_last_day (event, NEVER) >= day)
        return TRUE;
    }
  return FALSE;
}

static gboolean
has_status (Demo       *d,
            guint       m,
            const char *type)
{
  for (guint i = 0; i < d->family->events->len; i++)
    {
      const FoEvent *event = g_ptr_array_index (d->family->events, i);

      if (event->kind == FO_KIND_STATUS && event->member == (int) m &&
          g_strcmp0 (event->type, type) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Work, benefits, habits and the odd old incident: what most families' records hold. Written
 * after the entry data, and about no member an indicator was picked for. */
static void
build_everyday (Demo *d)
{
  guint64 picked_members = 0;
  FoDay oldest = d->entry;

  for (guint i = 0; i < d->n_picks; i++)
    if (d->picks[i].member >= 0)
      picked_members |= BIT (d->picks[i].member);
  for (guint m = 0; m < n_members (d); m++)
    {
      const FoMember *member = member_at (d, m);
      gboolean adult = member->role != FO_ROLE_CHILD && age_on (d, m, d->entry) >= 18;

      if (member->role == FO_ROLE_CHILD)
        oldest = MIN (oldest, member->dob);
      if (!adult)
        continue;
      if (!(picked_members & BIT (m)) && !has_spell_on (d, m, FO_KIND_BENEFIT, d->entry) &&
          !has_spell_on (d, m, FO_KIND_EMPLOYMENT, d->entry) && rng_chance (d, 55))
        {
          FoDay start = d->entry - rng_int (d, 120, 3000);
          FoEvent *job = add_event (d, FO_KIND_EMPLOYMENT, m,
                                    MAX (start, fo_day_nth_birthday (member->dob, 17)));

          job->hours_per_week = rng_int (d, 16, 40);
          /* Out of work before this job, long before entry. */
          if (job->start + 365 < d->entry && rng_chance (d, 30))
            {
              static const char *const types[] = { "JSA", "UC_work_related", "ESA" };
              FoDay before = job->start - rng_int (d, 60, 400);
              FoEvent *benefit = add_event (d, FO_KIND_BENEFIT, m, before);

              benefit->type = g_strdup (types[rng_int (d, 0, G_N_ELEMENTS (types) - 1)]);
              benefit->end = job->start - 1;
              benefit->end_reason = g_strdup ("ended");
            }
        }
      if (rng_chance (d, 25) && !has_status (d, m, "smoker"))
        {
          FoDay start = d->entry - rng_int (d, 800, 5000);
          FoEvent *smoker = add_event (d, FO_KIND_STATUS, m,
                                       MAX (start, fo_day_nth_birthday (member->dob, 16)));

          smoker->type = g_strdup ("smoker");
        }
    }
  {
    FoDay start = oldest + rng_int (d, 20, 60);
    FoEvent *benefit = add_event (d, FO_KIND_BENEFIT, 0, MIN (start, d->entry));

    benefit->type = g_strdup ("child_benefit");
  }
  /* Incidents long before entry: outside every window a plan looks back over. */
  if (rng_chance (d, 25))
    {
      static const FoKind kinds[] = { FO_KIND_ASB_INCIDENT, FO_KIND_ARREST, FO_KIND_REFERRAL };
      FoKind kind = kinds[rng_int (d, 0, G_N_ELEMENTS (kinds) - 1)];
      FoDay date = d->entry - rng_int (d, 420, 1000);
      int member = pick_member (d, kind, all_members (d), FALSE, -1, NULL, date);

      if (member >= 0 && plausible (d, kind, member, date))
        {
          FoEvent *event = add_event (d, kind, member, date);

          if (kind == FO_KIND_REFERRAL)
            event->type = g_strdup ("housing_support");
        }
    }
  {
    FoEvent *resident = add_event (d, FO_KIND_STATUS, -1, d->entry - rng_int (d, 200, 4000));

    resident->type = g_strdup ("resident_in_area");
    resident->source = g_strdup ("Council tax");
  }
}

/* ---- stage one: entry ------------------------------------------------------------------- */

static const FoRule *
find_at_entry (const FoRule *rule)
{
  const FoRule *found = NULL;

  if (rule == NULL)
    return NULL;
  /* Only what was there at entry: "not registered at entry" is nothing to write down. */
  if (rule->kind == FO_RULE_AT_ENTRY)
    {
      const FoRule *state = g_ptr_array_index (rule->children, 0);

      return state->kind == FO_RULE_NOT ? NULL : state;
    }
  if (rule->kind == FO_RULE_NOT)
    return NULL;
  for (guint i = 0; rule->children != NULL && i < rule->children->len && found == NULL; i++)
    found = find_at_entry (g_ptr_array_index (rule->children, i));
  return found;
}

/* An outcome may ask how things stood at entry ("released from prison", "stopped smoking"):
 * a practitioner who identified the indicator would have recorded that too. */
static void
prepare_entry_state (Demo       *d,
                     const Pick *pick)
{
  const FoIndicator *indicator = pick->indicator;
  const FoRule *wanted[16];
  guint n = 0;

  for (guint i = 0; i < indicator->effective->len && n < G_N_ELEMENTS (wanted); i++)
    {
      const FoOutcome *outcome = g_ptr_array_index (indicator->effective, i);
      const FoRule *state = outcome->supplementary ? NULL : find_at_entry (outcome->rule);

      if (state != NULL)
        wanted[n++] = state;
    }
  if (n > 0)
    {
      Mark mark;
      Timing t;

      mark_take (d, &mark);
      if (!make (d, wanted[rng_int (d, 0, n - 1)], pick->member, AIM_HOLD, d->entry, &t))
        mark_restore (d, &mark);
    }
}

static void
identify (Demo *d,
          Pick *pick)
{
  const FoIndicator *indicator = pick->indicator;
  gboolean by_role = indicator->identified_by_roles != NULL &&
                     (indicator->entry == NULL || rng_chance (d, 35));
  FoEvent *record;

  if (pick->member == -2)
    return;
  if (!by_role && indicator->entry != NULL)
    {
      Mark mark;
      Timing t;

      mark_take (d, &mark);
      d->indicator = indicator;
      d->identified = pick->member >= 0 ? BIT (pick->member) : all_members (d);
      if (make (d, indicator->entry, indicator->has_subject ? pick->member : -1, AIM_HOLD,
                d->entry, &t))
        return;
      mark_restore (d, &mark);
      if (indicator->identified_by_roles == NULL)
        return;
    }
  {
    const char *role = pick_string (d, indicator->identified_by_roles);

    record = add_event (d, FO_KIND_IDENTIFIED, indicator->has_subject ? pick->member : -1,
                        d->entry - rng_int (d, 0, 7));
    record->indicator = g_strdup (indicator->id);
    record->author_role = g_strdup (role);
    record->author = g_strdup (author_for (d, role));
  }
  if (indicator->entry == NULL)
    prepare_entry_state (d, pick);
}

static int
pick_level (Demo *d,
            int   lo,
            int   hi,
            int   want_lo,
            int   want_hi)
{
  int a = MAX (lo, want_lo), b = MIN (hi, want_hi);

  if (a <= b)
    return rng_int (d, a, b);
  return want_lo > hi ? hi : lo;
}

static void
write_term (Demo        *d,
            FoEvent     *term,
            const Level *level,
            int          a,
            int          u)
{
  int a_term = a + rng_int (d, -1, 1);
  int u_term = u + rng_int (d, -1, 1);
  int u_hi;

  a_term = CLAMP (a_term, level->a_lo, level->a_hi);
  u_hi = MIN (level->u_hi, 100 - a_term);
  u_term = CLAMP (u_term, MIN (level->u_lo, u_hi), u_hi);

  term->attended = (term->possible * a_term + 50) / 100;
  term->unauthorised = MIN ((term->possible * u_term + 50) / 100, term->possible - term->attended);
}

static int
unauthorised_for (Demo        *d,
                  const Level *level,
                  int          a)
{
  int absence = 100 - a;
  int want = absence * rng_int (d, 25, 60) / 100;

  return CLAMP (want, level->u_lo, MAX (level->u_lo, MIN (level->u_hi, absence)));
}

/* Attendance before entry, Star baseline: the data entry was judged on. */
static void
render_entry (Demo *d)
{
  for (guint m = 0; m < n_members (d); m++)
    {
      Pupil *pupil = &d->pupils[m];
      Levels *levels = &d->levels[m];
      const Level *pre = &levels->pre;
      FoDay left = pupil->registration != NULL && pupil->registration->end != 0
                   ? pupil->registration->end : NEVER;
      guint kept = 0;

      if (pupil->n_terms == 0)
        continue;
      levels->pre_a = pre->a_hi >= 93 ? pick_level (d, pre->a_lo, pre->a_hi, 93, 99)
                      : pick_level (d, pre->a_lo, pre->a_hi, MAX (pre->a_hi - 22, 35), pre->a_hi);
      levels->pre_u = unauthorised_for (d, pre, levels->pre_a);
      for (guint i = 0; i < pupil->n_terms; i++)
        {
          FoEvent *term = pupil->terms[i];

          /* A child taken off roll has no terms after that. */
          if (term->start > left && term->end > d->entry)
            {
              g_ptr_array_remove (d->family->events, term);
              continue;
            }
          write_term (d, term, pre, levels->pre_a, levels->pre_u);
          pupil->terms[kept++] = term;
        }
      pupil->n_terms = kept;
    }
  for (guint i = 0; i < d->star.n; i++)
    memcpy (d->star.readings[i]->scores, d->star.base, sizeof d->star.base);
}

/* ---- stage two: after entry ------------------------------------------------------------- */

typedef struct
{
  const FoIndicator *indicator;
  guint64            members;
  Goal               goal;
} Steer;

static gboolean
outcome_done (GPtrArray       *done,
              const FoOutcome *outcome)
{
  for (guint i = 0; i < done->len; i++)
    if (g_ptr_array_index (done, i) == outcome)
      return TRUE;
  return FALSE;
}

/* Writes the records after entry that take one identified indicator towards @goal. */
static void
steer (Demo            *d,
       const Steer     *what,
       GPtrArray       *done)
{
  const FoIndicator *indicator = what->indicator;
  gpointer outcomes[64];
  guint n = 0;
  Timing t;

  d->indicator = indicator;
  d->identified = what->members != 0 ? what->members : all_members (d);
  for (guint i = 0; i < indicator->effective->len && n < G_N_ELEMENTS (outcomes); i++)
    {
      const FoOutcome *outcome = g_ptr_array_index (indicator->effective, i);

      if (outcome->supplementary)
        continue;
      /* An issue's shared outcome already steered serves every indicator of the issue. */
      if (outcome->owner == NULL && !outcome->rule->uses_indicator && outcome_done (done, outcome))
        goto out;
      outcomes[n++] = (gpointer) outcome;
    }

  if (what->goal != GOAL_FAIL)
    {
      /* Sustained: progress from some months in if that is soon enough, else from early on.
       * Achieved: progress in the last weeks. */
      int span = (int) (d->as_of - d->entry);

      rng_shuffle (d, outcomes, n);
      for (int pass = 0; pass < (what->goal == GOAL_SUSTAIN ? 3 : 1); pass++)
        for (guint i = 0; i < n; i++)
          {
            const FoOutcome *outcome = outcomes[i];
            FoDay lo = what->goal == GOAL_ACHIEVE ? d->as_of - rng_int (d, 20, 80)
                       : pass == 0 ? d->entry + span * rng_int (d, 25, 50) / 100
                       : d->entry + rng_int (d, 14, 60);
            Mark mark;

            mark_take (d, &mark);
            d->outcome = outcome;
            d->goal = what->goal;
            d->fresh = what->goal == GOAL_ACHIEVE;
            if (make (d, outcome->rule, -1, AIM_HOLD, MAX (lo, d->entry + 1), &t) &&
                (pass < 2 ? timing_fits (d, &t) : t.h <= d->as_of))
              {
                g_ptr_array_add (done, (gpointer) outcome);
                goto out;
              }
            mark_restore (d, &mark);
          }
      if (what->goal == GOAL_SUSTAIN)
        goto out;
    }

  /* Not met: every outcome must stay short of sustained. */
  for (guint i = 0; i < n; i++)
    {
      const FoOutcome *outcome = outcomes[i];
      Mark mark;

      mark_take (d, &mark);
      d->outcome = outcome;
      d->goal = GOAL_FAIL;
      d->fresh = FALSE;
      if (!make (d, outcome->rule, -1, AIM_FAIL, d->entry, &t))
        mark_restore (d, &mark);
      else
        g_ptr_array_add (done, (gpointer) outcome);
    }

out:
  d->fresh = FALSE;
  d->indicator = NULL;
  d->outcome = NULL;
  d->identified = all_members (d);
}

/* A claim needs more than the indicators on some routes: gates, a confirmation, a closure. */
static void
steer_claim (Demo *d)
{
  for (guint r = 0; r < d->plan->routes->len; r++)
    {
      const FoRoute *route = g_ptr_array_index (d->plan->routes, r);

      if (route->kind != FO_ROUTE_ALL_IDENTIFIED)
        continue;
      d->goal = GOAL_SUSTAIN;
      for (guint i = 0; route->gates != NULL && i < route->gates->len; i++)
        {
          const FoGate *gate = g_ptr_array_index (route->gates, i);
          Timing t;
          Mark mark;

          mark_take (d, &mark);
          if (!make (d, gate->rule, -1, AIM_HOLD, d->entry + rng_int (d, 14, 60), &t))
            mark_restore (d, &mark);
        }
      if (route->has_after_closure && d->closure == 0)
        {
          FoDay latest = fo_duration_window_start (d->as_of, &route->after_closure) - 2;

          if (latest > d->entry + 30)
            d->closure = rng_day (d, MAX (d->entry + 30, latest - 60), latest);
        }
      if (route->confirmation_kinds != NULL)
        {
          const char *role = route->confirmation_roles != NULL
                             ? pick_string (d, route->confirmation_roles) : "keyworker";
          FoEvent *check = add_event (d, FO_KIND_EVIDENCE, -1, d->as_of - rng_int (d, 0, 6));

          check->type = g_strdup (route->confirmation_kinds[0]);
          check->author_role = g_strdup (role);
          check->author = g_strdup (author_for (d, role));
          check->text = statement_text (d, check->type);
        }
      break;
    }
}

static void
render_outcomes (Demo *d)
{
  for (guint m = 0; m < n_members (d); m++)
    {
      Pupil *pupil = &d->pupils[m];
      Levels *levels = &d->levels[m];
      const Level *post = &levels->post;
      int a, u;

      if (!levels->post_set || pupil->n_terms == 0)
        continue;
      if (post->a_hi >= 93 && post->a_lo <= 99)
        a = pick_level (d, post->a_lo, post->a_hi, 93, 99);
      else
        {
          a = levels->pre_a + rng_int (d, -4, 2);
          a = CLAMP (a, post->a_lo, post->a_hi);
        }
      u = unauthorised_for (d, post, a);
      for (guint i = 0; i < pupil->n_terms; i++)
        if (pupil->terms[i]->end > d->entry)
          write_term (d, pupil->terms[i], post, a, u);
    }

  for (guint i = 1; i < d->star.n; i++)
    for (guint a = 0; a < FO_STAR_AREAS; a++)
      {
        const StarPlan *plan = &d->star_plan;
        int score = d->star.base[a] + (int) (i * d->star.growth[a]) / 10;

        if (score > d->star.base[a] && rng_chance (d, 20))
          score--;
        if (plan->target[a] > d->star.base[a] && (int) i >= plan->from[a])
          score = MAX (score, plan->target[a] + ((int) i - plan->from[a]) * 4 / 10);
        else if (plan->target[a] > d->star.base[a])
          {
            /* On the way up, short of the target until the reading it is reached at. */
            int ramp = d->star.base[a] + (plan->target[a] - 1 - d->star.base[a]) * (int) i /
                       plan->from[a];

            score = MIN (MAX (score, ramp), plan->target[a] - 1);
          }
        else if (plan->target[a] > 0)
          score = MAX (score, plan->target[a]);
        score = MIN (score, plan->cap[a]);
        d->star.readings[i]->scores[a] = CLAMP (score, 1, 10);
      }

  if (d->closure != 0)
    {
      d->family->closure_date = d->closure;
      d->family->closure_reason = g_strdup ("support_completed");
    }
}

/* ---- the family ------------------------------------------------------------------------- */

static Path
choose_path (Demo    *d,
             gboolean eligible)
{
  int roll = rng_int (d, 0, 99);

  if (!eligible)
    return roll < 50 ? PATH_NOT_MET : PATH_ACHIEVED;
  return roll < 32 ? PATH_CLAIMABLE : roll < 56 ? PATH_SUSTAINED
         : roll < 80 ? PATH_ACHIEVED : PATH_NOT_MET;
}

static FoDay
choose_entry (Demo *d,
              Path  path)
{
  /* Families that got further have usually been worked with for longer. */
  switch (path)
    {
    case PATH_CLAIMABLE:
      return d->as_of - rng_int (d, 380, 548);
    case PATH_SUSTAINED:
      return d->as_of - rng_int (d, 250, 548);
    case PATH_ACHIEVED:
      return d->as_of - rng_int (d, 100, 420);
    case PATH_NOT_MET:
    default:
      return d->as_of - rng_int (d, 30, 548);
    }
}

/* Goals by headline issue: the whole issue moves together, as casework does. */
static void
choose_goals (Demo  *d,
              Path   path,
              Steer *steers,
              guint  n)
{
  const FoIssue *blocker = NULL;
  Goal goals[64];
  guint n_issues = MIN (d->plan->issues->len, G_N_ELEMENTS (goals));
  gboolean held_back = FALSE;

  for (guint i = 0; i < n_issues; i++)
    {
      switch (path)
        {
        case PATH_CLAIMABLE:
          goals[i] = GOAL_SUSTAIN;
          break;
        case PATH_SUSTAINED:
          goals[i] = GOAL_SUSTAIN;
          break;
        case PATH_ACHIEVED:
          {
            int roll = rng_int (d, 0, 99);

            goals[i] = roll < 60 ? GOAL_ACHIEVE : roll < 80 ? GOAL_SUSTAIN : GOAL_FAIL;
            held_back = held_back || goals[i] != GOAL_SUSTAIN;
          }
          break;
        case PATH_NOT_MET:
        default:
          goals[i] = GOAL_FAIL;
          break;
        }
    }
  if (path == PATH_SUSTAINED || (path == PATH_ACHIEVED && !held_back))
    {
      for (guint i = 0; i < n; i++)
        if (!steers[i].indicator->standalone_only && (blocker == NULL || rng_chance (d, 40)))
          blocker = steers[i].indicator->issue;
      if (blocker != NULL)
        goals[blocker->index] = path == PATH_ACHIEVED || rng_chance (d, 50) ? GOAL_ACHIEVE
                                                                            : GOAL_FAIL;
    }
  for (guint i = 0; i < n; i++)
    {
      const FoIndicator *indicator = steers[i].indicator;

      if (indicator->standalone_only)
        steers[i].goal = path == PATH_CLAIMABLE ? GOAL_SUSTAIN : GOAL_FAIL;
      else
        steers[i].goal = indicator->issue->index < n_issues ? goals[indicator->issue->index]
                                                            : GOAL_FAIL;
    }
}

static void
demo_clear (Demo *d)
{
  for (guint i = 0; i < d->undo->len; i++)
    g_free (g_array_index (d->undo, Undo, i).end_reason);
  g_array_unref (d->undo);
  g_free (d->surname);
  g_free (d->keyworker);
  for (guint i = 0; i < G_N_ELEMENTS (d->colleagues); i++)
    g_free (d->colleagues[i]);
}

/**
 * fo_demo_family:
 * @plan: the plan the cohort is for
 * @seed: the cohort's seed
 * @index: the family's number in the cohort
 * @as_of: the day the cohort is shown on (no record is dated later)
 *
 * Builds one invented family for @plan, the same for the same @seed and @index. Across a
 * cohort, every headline issue with indicators is identified in some family, and families are
 * not met, achieved, sustained and claimable as of @as_of; a few are not eligible.
 *
 * Returns: (transfer full): a finished family, or %NULL if the generator made an invalid one
 */
FoFamily *
fo_demo_family (const FoPlan *plan,
                guint32       seed,
                guint         index,
                FoDay         as_of)
{
  g_autoptr(FoFamily) family = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) done = NULL;
  Steer steers[256];
  guint n_steers = 0;
  gboolean eligible;
  Path path;
  Demo d;

  g_return_val_if_fail (plan != NULL, NULL);
  g_return_val_if_fail (as_of != 0, NULL);

  memset (&d, 0, sizeof d);
  family = fo_family_new ();
  d.plan = plan;
  d.family = family;
  d.rng = seed * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15) ^
          (index + G_GUINT64_CONSTANT (1)) * G_GUINT64_CONSTANT (0xD1B54A32D192ED03);
  rng_next (&d);
  d.as_of = as_of;
  d.next_id = 1;
  d.undo = g_array_new (FALSE, FALSE, sizeof (Undo));
  d.surname = invent_word (&d, rng_chance (&d, 70) ? 2 : 3);
  d.keyworker = invent_practitioner (&d);
  for (guint i = 0; i < G_N_ELEMENTS (d.colleagues); i++)
    d.colleagues[i] = invent_practitioner (&d);

  eligible = !rng_chance (&d, 8);
  path = choose_path (&d, eligible);
  d.entry = choose_entry (&d, path);
  pick_indicators (&d, index, eligible);
  if (path == PATH_CLAIMABLE)
    for (guint i = 0; i < d.n_picks; i++)
      if (!indicator_possible (d.picks[i].indicator))
        path = PATH_SUSTAINED;

  family->reference = g_strdup_printf ("DEMO-%06u", index);
  family->name = g_strconcat (d.surname, " family", NULL);
  family->key_worker = g_strdup (d.keyworker);
  family->plan = g_strdup (plan->id);
  family->entry_date = d.entry;

  /* Stage one: the family, their everyday records, and what identifies them at entry. */
  d.entry_stage = TRUE;
  d.hi = d.entry;
  d.identified = 0;
  build_members (&d);
  build_schooling (&d);
  /* Families worked with for longer have a Family Star Plus; a new one may not yet. */
  build_star (&d, !eligible ? 50 : path >= PATH_SUSTAINED ? 100 : path == PATH_ACHIEVED ? 92 : 80);
  d.identified = all_members (&d);
  for (guint i = 0; i < d.n_picks; i++)
    identify (&d, &d.picks[i]);
  d.indicator = NULL;
  d.identified = all_members (&d);
  render_entry (&d);
  build_everyday (&d);
  if (!eligible && rng_chance (&d, 50))
    {
      /* Moved into the area after entry. */
      FoEvent *resident = g_ptr_array_index (family->events, family->events->len - 1);

      resident->start = d.entry + rng_int (&d, 1, (int) MIN (d.as_of - d.entry, 60));
    }
  if (!fo_family_finish (family, &error))
    {
      g_critical ("demo family %u for %s is invalid: %s", index, plan->id, error->message);
      demo_clear (&d);
      return NULL;
    }

  /* What the plan makes of it at entry (judged on the entry date: identification and
   * eligibility are settled then, and there is nothing after entry yet to weigh). */
  {
    g_autoptr(FoEvaluation) evaluation = fo_evaluate (plan, family, d.entry,
                                                      FO_EVALUATE_DEFAULT);

    for (guint i = 0; i < evaluation->n_issues; i++)
      for (guint j = 0; j < evaluation->issues[i].n_indicators; j++)
        {
          const FoIndicatorResult *result = &evaluation->issues[i].indicators[j];

          if (result->identified && n_steers < G_N_ELEMENTS (steers))
            steers[n_steers++] = (Steer) { result->indicator, result->members, GOAL_FAIL };
        }
    if (!evaluation->eligible && path == PATH_CLAIMABLE)
      path = PATH_SUSTAINED;
  }

  /* Stage two: the months since entry. Progress first, then what holds other issues back. */
  d.entry_stage = FALSE;
  d.hi = as_of;
  d.identified = all_members (&d);
  done = g_ptr_array_new ();
  choose_goals (&d, path, steers, n_steers);
  for (int goal = GOAL_SUSTAIN; goal <= GOAL_FAIL; goal++)
    for (guint i = 0; i < n_steers; i++)
      if ((int) steers[i].goal == goal)
        steer (&d, &steers[i], done);
  if (path == PATH_CLAIMABLE)
    {
      steer_claim (&d);
      /* Some families have had their case closed since. */
      if (d.closure == 0 && rng_chance (&d, 35))
        {
          FoDay closure = as_of - rng_int (&d, 7, 50);

          if ((!d.has_star || closure > d.star.readings[d.star.n - 1]->start) &&
              closure > d.entry + 120)
            d.closure = closure;
        }
    }
  render_outcomes (&d);
  demo_clear (&d);
  if (!fo_family_finish (family, &error))
    {
      g_critical ("demo family %u for %s is invalid: %s", index, plan->id, error->message);
      return NULL;
    }
  return g_steal_pointer (&family);
}

/**
 * fo_demo_cohort:
 * @plans: the loaded plans
 * @plan_ids: the plans to share the families out between, in turn
 * @n_families: how many families
 * @seed: the cohort's seed: the same seed gives the same families
 * @as_of: the date the cohort's data runs up to
 * @error: names a plan that is not loaded
 *
 * With several plans, each reference starts with its plan's id, so that references stay
 * unique across plans.
 *
 * Returns: (transfer full) (element-type FoFamily): the families
 */
GPtrArray *
fo_demo_cohort (FoPlanSet    *plans,
                char * const *plan_ids,
                guint         n_families,
                guint32       seed,
                FoDay         as_of,
                GError      **error)
{
  g_autoptr(GPtrArray) families = g_ptr_array_new_with_free_func ((GDestroyNotify) fo_family_free);
  guint n_ids;

  g_return_val_if_fail (plans != NULL && plan_ids != NULL, NULL);

  n_ids = g_strv_length ((char **) plan_ids);
  g_return_val_if_fail (n_ids > 0, NULL);
  for (guint p = 0; p < n_ids; p++)
    if (fo_plan_set_lookup (plans, plan_ids[p]) == NULL)
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     _("no plan “%s” is loaded"), plan_ids[p]);
        return NULL;
      }

  for (guint i = 0; i < n_families; i++)
    {
      const FoPlan *plan = fo_plan_set_lookup (plans, plan_ids[i % n_ids]);
      FoFamily *family = fo_demo_family (plan, seed, i / n_ids, as_of);

      if (family == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       _("could not build demo family %u for plan %s"), i, plan->id);
          return NULL;
        }
      if (n_ids > 1)
        {
          g_autofree char *reference = g_strdup_printf ("%s-%s", plan->id, family->reference);

          g_free (family->reference);
          family->reference = g_ascii_strup (reference, -1);
        }
      g_ptr_array_add (families, family);
    }
  return g_steal_pointer (&families);
}
