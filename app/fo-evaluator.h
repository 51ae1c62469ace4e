/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "fo-family.h"
#include "fo-plan.h"
#include "fo-spans.h"

G_BEGIN_DECLS

typedef enum
{
  FO_STATE_NOT_APPLICABLE,
  FO_STATE_INSUFFICIENT_DATA,
  FO_STATE_NOT_MET,
  FO_STATE_ACHIEVED,
  FO_STATE_SUSTAINED,
} FoState;

typedef enum
{
  FO_ISSUE_NOT_IDENTIFIED,
  FO_ISSUE_IDENTIFIED,
  FO_ISSUE_MET,
} FoIssueState;

typedef enum
{
  FO_PROGRESS_NONE,
  FO_PROGRESS_DAYS,
  FO_PROGRESS_WEEKS,
  FO_PROGRESS_MONTHS,
  FO_PROGRESS_TERMS,
  FO_PROGRESS_READINGS,
} FoProgressUnit;

typedef enum
{
  FO_EVALUATE_DEFAULT = 0,
  FO_EVALUATE_EXPLAIN = 1 << 0,
} FoEvaluateFlags;

typedef struct _FoTrace FoTrace;

/* The reasoning behind one rule node, as of the evaluation date. Built only when asked for. */
struct _FoTrace
{
  const FoRule *rule;
  char         *summary;
  gboolean      holds;
  gboolean      sustained;
  gboolean      not_applicable;
  gboolean      insufficient;
  FoDay         since;
  FoDay         sustained_since;
  GPtrArray    *facts;        /* char * */
  GPtrArray    *children;     /* FoTrace */
};

typedef struct
{
  FoProgressUnit unit;
  int            done;
  int            needed;
} FoProgress;

typedef struct
{
  const FoOutcome *outcome;
  FoState          state;
  FoDay            achieved_since;
  FoDay            sustained_since;
  FoDay            projected_sustained;  /* if it keeps holding; 0 when unknown */
  FoDay            held_from;            /* the last run that was lost, when not met */
  FoDay            held_to;
  FoProgress       progress;
  const FoRule    *met_by;               /* the alternative that met it */
  char            *reason;               /* NULL unless explained */
  FoTrace         *trace;                /* NULL unless explained */
  FoSpans          sustained_days;
} FoOutcomeResult;

typedef struct
{
  const FoIndicator *indicator;
  gboolean           identified;
  gboolean           by_practitioner;
  guint64            members;            /* bit i: member i */
  gboolean           family_level;       /* identified for the family as a whole */
  char              *reason;             /* NULL unless explained */
  FoTrace           *entry_trace;
  gboolean           met;
  FoDay              met_since;
  FoSpans            met_days;
  /* One per outcome of the indicator, in the evaluation's block. An indicator that was not
   * identified has none: every one of its outcomes is then "not applicable". */
  FoOutcomeResult   *outcomes;
  guint              n_outcomes;
} FoIndicatorResult;

typedef struct
{
  const FoIssue     *issue;
  FoIssueState       state;
  FoIndicatorResult *indicators;         /* n_indicators, in the evaluation's block */
  guint              n_indicators;
} FoIssueResult;

typedef struct
{
  const FoRoute *route;
  gboolean       claimable;
  FoDay          claimable_from;
  FoDay          projected;
  GPtrArray     *blockers;               /* char *, only when explained */
} FoRouteResult;

struct _FoEvaluation
{
  const FoPlan   *plan;
  const FoFamily *family;
  FoDay           as_of;
  gboolean        explained;
  gboolean        eligible;
  guint           n_issues_identified;
  guint           n_indicators_identified;
  GPtrArray      *eligibility_reasons;   /* char *, only when explained */
  gboolean        claimable;
  const FoRoute  *route;
  FoDay           claimable_from;
  FoDay           projected_claimable;
  GPtrArray      *blockers;              /* char *, only when explained */
  GPtrArray      *routes;                /* FoRouteResult */
  FoIssueResult  *issues;                /* n_issues */
  guint           n_issues;

  /* All results of one evaluation live in three blocks: a cohort is evaluated in bulk. */
  FoIndicatorResult *indicator_block;
  FoOutcomeResult   *outcome_block;
  GPtrArray         *not_applicable;     /* results handed out for unidentified indicators */
};

FoEvaluation            *fo_evaluate              (const FoPlan    *plan,
                                                   const FoFamily  *family,
                                                   FoDay            as_of,
                                                   FoEvaluateFlags  flags);
void                     fo_evaluation_free       (FoEvaluation    *evaluation);
const FoIndicatorResult *fo_evaluation_indicator  (const FoEvaluation *evaluation,
                                                   const char      *id);
const FoOutcomeResult   *fo_evaluation_outcome    (const FoEvaluation *evaluation,
                                                   const char      *indicator_id,
                                                   const char      *outcome_id);
const FoOutcomeResult   *fo_evaluation_not_applicable (const FoEvaluation *evaluation,
                                                       const FoOutcome *outcome);
const FoIssueResult     *fo_evaluation_issue      (const FoEvaluation *evaluation,
                                                   const char      *id);

char                   **fo_evaluation_agreements (const FoEvaluation  *evaluation,
                                                   const FoRouteResult *route);

const char              *fo_state_to_string       (FoState          state);
const char              *fo_state_label           (FoState          state);
const char              *fo_issue_state_to_string (FoIssueState     state);
char                    *fo_progress_to_string    (const FoProgress *progress);

void                     fo_trace_free            (FoTrace         *trace);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FoEvaluation, fo_evaluation_free)

G_END_DECLS
