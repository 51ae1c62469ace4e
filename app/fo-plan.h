/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "fo-date.h"
#include "fo-family.h"

G_BEGIN_DECLS

typedef enum
{
  FO_RULE_COUNT,
  FO_RULE_SPELL,
  FO_RULE_MEASURE,
  FO_RULE_CHANGE,
  FO_RULE_READING,
  FO_RULE_TRANSITION,
  FO_RULE_EVIDENCE,
  FO_RULE_QUANTIFY,
  FO_RULE_TIERED,
  FO_RULE_SUSTAIN,
  FO_RULE_ALL,
  FO_RULE_ANY,
  FO_RULE_AT_LEAST,
  FO_RULE_NOT,
  FO_RULE_AT_ENTRY,
  FO_RULE_UNDEFINED,
  FO_N_RULE_KINDS
} FoRuleKind;

extern const char *const fo_rule_kind_names[];

typedef enum { FO_OP_GE, FO_OP_GT, FO_OP_LE, FO_OP_LT, FO_OP_EQ, FO_OP_NE } FoOp;
extern const char *const fo_op_names[];

typedef enum { FO_SEL_DEFAULT, FO_SEL_FAMILY, FO_SEL_MEMBER, FO_SEL_FILTER } FoSelectorMode;
typedef enum { FO_AGE_AT_DEFAULT, FO_AGE_AT_ENTRY, FO_AGE_AT_DAY } FoAgeAt;

typedef struct
{
  FoSelectorMode mode;
  guint          role_mask;     /* 0: any role */
  int            age_min;       /* -1: none */
  int            age_max;
  FoAgeAt        age_at;
  int            school_age;    /* -1 unset, 0, 1 */
  int            phase;         /* -1 unset, 0 primary, 1 secondary */
  gboolean       identified;
  gboolean       in_household;
} FoSelector;

typedef enum
{
  FO_WINDOW_NONE,
  FO_WINDOW_LAST,
  FO_WINDOW_LAST_TERMS,
  FO_WINDOW_SINCE_ENTRY,
  FO_WINDOW_ON_DAY,
} FoWindowKind;

typedef struct
{
  FoWindowKind kind;
  FoDuration   last;
  int          terms;
  gboolean     at_entry;
} FoWindow;

typedef enum
{
  FO_SERIES_ATTENDANCE,
  FO_SERIES_ATTENDANCE_IGNORING_AUTHORISED,
  FO_SERIES_ABSENCE,
  FO_SERIES_UNAUTHORISED_ABSENCE,
} FoSeries;

typedef enum { FO_AGG_EACH, FO_AGG_SUM, FO_AGG_AVERAGE } FoAggregate;
typedef enum { FO_ZERO_REQUIRE_ZERO, FO_ZERO_FAIL, FO_ZERO_PASS } FoZeroBaseline;
typedef enum { FO_SCOPE_INDICATOR, FO_SCOPE_OUTCOME, FO_SCOPE_FAMILY } FoScope;
typedef enum { FO_Q_ALL, FO_Q_ANY, FO_Q_NONE, FO_Q_AT_LEAST } FoQuantifier;

typedef struct
{
  gboolean has_min, has_max;
  double   min, max;
  FoRule  *rule;
} FoBand;

struct _FoRule
{
  FoRuleKind   kind;
  char        *path;

  /* count, spell, change metric, tiered metric */
  guint32      kinds_mask;
  char       **types;
  FoSelector   subject;
  FoWindow     window;
  int          sum_field;         /* 0 count, 1 days, 2 hours */
  gboolean     has_threshold;
  FoOp         op;
  double       value;

  /* spell */
  FoLevel      min_level;
  gboolean     has_min_hours, has_below_hours;
  double       min_hours, below_hours;
  gboolean     has_continuous, has_n_of_m;
  FoDuration   continuous, n_of_m_n, n_of_m_m;

  /* measure */
  FoSeries     series;
  int          terms;
  gboolean     at_entry;
  gboolean     after_entry;
  gboolean     each_term;

  /* change */
  FoRule      *metric;
  FoWindow     baseline;
  FoDuration   compare;
  gboolean     rate;
  int          direction;         /* +1 increase, -1 decrease */
  gboolean     has_min_pct, has_min_points, has_floor, has_ceiling;
  double       min_pct, min_points, floor_value, ceiling_value;
  FoZeroBaseline zero_baseline;
  int          baseline_terms, compare_terms;

  /* reading */
  char        *instrument;
  gboolean     star;
  guint16      areas_mask;
  int          n_areas;
  FoAggregate  aggregate;
  int          at_least_areas;
  gboolean     has_change;
  double       change_points, change_pct;
  gboolean     change_is_pct;
  gboolean     baseline_only;
  int          sustain_readings;
  gboolean     has_span;
  FoDuration   sustain_span;
  gboolean     joint_only;

  /* transition */
  char       **case_types;
  gboolean     family_case;
  char       **to;
  char       **return_types;
  gboolean     has_return;
  FoDuration   return_for;
  guint32      quiet_kinds;
  gboolean     has_quiet;
  FoDuration   quiet_for;

  /* evidence */
  char       **evidence_kinds;
  FoScope      scope;
  char       **roles;
  char       **approval_roles;
  gboolean     has_not_before;
  FoDuration   not_before;
  gboolean     or_on_closure;
  gboolean     has_min_period;
  FoDuration   min_period;
  FoLevel      evidence_min_level;
  char        *tool;

  /* quantify */
  FoSelector   over;
  FoQuantifier quantifier;
  int          k;
  gboolean     if_empty;

  /* tiered */
  GPtrArray   *bands;             /* FoBand */

  /* sustain */
  FoDuration   period;

  /* all, any, at_least, not, at_entry, quantify, sustain */
  GPtrArray   *children;          /* FoRule */

  /* undefined */
  char        *reason;

  /* Set by the loader: the rule reads the current indicator (an "identified" selector or
   * indicator-scoped evidence), so it cannot be shared between indicators. */
  gboolean     uses_indicator;
  /* Set by the loader: a tier inside may make the rule "not applicable". */
  gboolean     may_not_apply;
};

struct _FoOutcome
{
  char         *id;
  char         *number;
  char         *text;
  char         *source;
  char         *sustain_note;
  GPtrArray    *notes;
  gboolean      supplementary;
  gboolean      has_sustain;
  FoDuration    sustain;
  FoRule       *rule;
  FoIssue      *issue;
  FoIndicator  *owner;            /* NULL for an issue's shared outcomes */
};

gboolean fo_rule_uses_indicator (const FoRule *rule);
gboolean fo_rule_may_not_apply  (const FoRule *rule);

struct _FoIndicator
{
  guint         index;
  char         *id;
  char         *number;
  char         *title;
  char         *text;
  char         *source;
  GPtrArray    *notes;
  gboolean      has_subject;
  FoSelector    subject;
  FoRule       *entry;
  char        **identified_by_roles;
  gboolean      standalone_only;
  char         *outcomes_same_as;
  GPtrArray    *outcomes;         /* FoOutcome, owned */
  GPtrArray    *effective;        /* FoOutcome, borrowed: own, copied or shared */
  FoIssue      *issue;
};

struct _FoIssue
{
  guint         index;
  char         *id;
  char         *number;
  char         *title;
  GPtrArray    *notes;
  GPtrArray    *indicators;       /* FoIndicator, owned */
  GPtrArray    *shared_outcomes;  /* FoOutcome, owned */
};

typedef struct
{
  char   *id;
  char   *text;
  FoRule *rule;
} FoGate;

typedef enum
{
  FO_ROUTE_ALL_IDENTIFIED,
  FO_ROUTE_STANDALONE,
  FO_ROUTE_DISCRETION,
} FoRouteKind;

struct _FoRoute
{
  char        *id;
  FoRouteKind  kind;
  char        *title;
  GPtrArray   *notes;
  GPtrArray   *gates;             /* FoGate */
  char       **confirmation_kinds;
  char       **confirmation_roles;
  gboolean     has_after_closure;
  FoDuration   after_closure;
  char       **outcome_ids;
  GPtrArray   *outcomes;          /* FoOutcome, borrowed */
  char       **decision_kinds;
  char       **decision_roles;
  char       **needs_agreement_of;
};

struct _FoPlan
{
  char        *file;
  char        *content_hash;
  char        *id;
  char        *title;
  char        *council;
  char        *version;
  char        *source_document;
  FoDay        date;
  GPtrArray   *notes;
  int          min_issues;
  int          min_indicators;
  gboolean     dependents_required;
  GPtrArray   *requirements;      /* FoGate */
  GPtrArray   *routes;            /* FoRoute */
  GPtrArray   *issues;            /* FoIssue */
  GPtrArray   *indicators;        /* FoIndicator, borrowed, plan order */
  guint        n_outcomes;
};

FoDay              fo_window_last         (const FoWindow *window,
                                           FoDay         entry,
                                           FoDay         day);
FoDay              fo_window_first        (const FoWindow *window,
                                           FoDay         entry,
                                           FoDay         last,
                                           FoDay         terms_start);
FoPlan            *fo_plan_load_file      (const char   *file,
                                           GError      **error);
FoPlan            *fo_plan_load_data      (const char   *file,
                                           const char   *data,
                                           gsize         length,
                                           GError      **error);
void               fo_plan_free           (FoPlan       *plan);
const FoIndicator *fo_plan_find_indicator (const FoPlan *plan,
                                           const char   *id);
const FoOutcome   *fo_plan_find_outcome   (const FoPlan *plan,
                                           const char   *id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FoPlan, fo_plan_free)

G_END_DECLS
