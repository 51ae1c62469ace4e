/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "fo-batch.h"
#include "fo-store.h"

G_BEGIN_DECLS

#define FO_CLAIM_ERROR (fo_claim_error_quark ())

/* Why a claim operation was refused: a caller can tell the person what to do next. */
typedef enum
{
  FO_CLAIM_ERROR_NOT_FOUND,        /* no such claim, user or family */
  FO_CLAIM_ERROR_PERMISSION,       /* the person's role does not allow it */
  FO_CLAIM_ERROR_FOUR_EYES,        /* the person prepared or submitted the claim */
  FO_CLAIM_ERROR_STATE,            /* not in the claim's present state */
  FO_CLAIM_ERROR_NOT_CLAIMABLE,    /* the evaluator does not support the claim */
  FO_CLAIM_ERROR_CHANGED,          /* the family's data or the plan changed since submission */
  FO_CLAIM_ERROR_NEEDS_AGREEMENT,  /* a role the plan names has not agreed */
  FO_CLAIM_ERROR_EXISTS,           /* a live claim for the family, or a user of that name */
  FO_CLAIM_ERROR_INVALID,          /* an unknown route or role, a missing reason, a future date */
} FoClaimError;

GQuark fo_claim_error_quark (void);

typedef enum
{
  FO_USER_COORDINATOR,
  FO_USER_SUPERVISOR,
  FO_USER_AUDITOR,
} FoUserRole;

/* "coordinator", "supervisor", "auditor", NULL: the names the users table keeps. */
extern const char *const fo_user_role_names[];

typedef enum
{
  FO_CLAIM_DRAFT,
  FO_CLAIM_SUBMITTED,
  FO_CLAIM_APPROVED,
  FO_CLAIM_REJECTED,
  FO_CLAIM_RETURNED,     /* approved, and included in a return to the programme */
  FO_CLAIM_WITHDRAWN,
  FO_CLAIM_REVERSED,     /* approved, then taken back by a supervisor, with a reason */
  FO_N_CLAIM_STATES
} FoClaimState;

/* "draft", "submitted", …, NULL: the names the claims table keeps. */
extern const char *const fo_claim_state_names[];

typedef struct
{
  char        *name;
  FoUserRole   role;
  char       **plan_roles;   /* the plan's roles this person holds, such as business_manager */
} FoUser;

typedef struct
{
  char *plan_role;
  char *agreed_by;
  char *agreed_at;
} FoClaimAgreement;

typedef struct
{
  gint64        id;
  char         *reference;          /* the family's */
  char         *plan;               /* the plan id */
  char         *route;
  FoClaimState  state;
  FoDay         claim_date;         /* the day the claim is judged as of */
  char         *prepared_by;
  char         *prepared_at;        /* timestamps are ISO 8601, UTC */
  int           submission;         /* how many times submitted; 0 for a first draft */
  char         *submitted_by;
  char         *submitted_at;
  char         *decided_by;         /* the supervisor who approved or rejected */
  char         *decided_at;
  char         *decision_reason;    /* a rejection's reason */
  char         *returned_by;
  char         *returned_at;
  char         *return_ref;
  char         *ended_by;           /* who withdrew or reversed it */
  char         *ended_at;
  char         *end_reason;
  gint64        row_version;

  /* From the present submission's frozen snapshot; NULL before the first submission. */
  char         *plan_sha256;
  char         *plan_version;
  char         *family_sha256;
  gint64        family_data_version;
  char         *snapshot_sha256;
  char        **needs_agreement_of;  /* never NULL */
  GPtrArray    *agreements;          /* FoClaimAgreement, for the present submission */
  char         *snapshot;            /* the snapshot JSON, when asked for */
} FoClaim;

/* What fo_claims_list () and fo_claims_count () return. */
typedef struct
{
  int          state;           /* an FoClaimState, or -1 for any */
  const char  *reference;       /* one family's claims, or NULL */
  const char  *queue_for;       /* the sign-off queue: submitted claims this user may decide,
                                 * oldest submission first */
} FoClaimFilter;

#define FO_CLAIM_FILTER_INIT { -1, NULL, NULL }

void        fo_user_free                (FoUser        *user);
void        fo_claim_free               (FoClaim       *claim);
const char *fo_claim_state_label        (FoClaimState   state);
JsonNode   *fo_claim_to_json            (const FoClaim *claim);

gboolean    fo_users_add                (FoStore       *store,
                                         const char    *actor,
                                         const char    *name,
                                         FoUserRole     role,
                                         const char *const *plan_roles,
                                         GError       **error);
FoUser     *fo_users_get                (FoStore       *store,
                                         const char    *name,
                                         GError       **error);
GPtrArray  *fo_users_list               (FoStore       *store,
                                         GError       **error);

gint64      fo_claims_prepare           (FoStore       *store,
                                         FoPlanSet     *plans,
                                         const char    *actor,
                                         const char    *reference,
                                         const char    *route,
                                         FoDay          claim_date,
                                         GError       **error);
gboolean    fo_claims_edit              (FoStore       *store,
                                         FoPlanSet     *plans,
                                         const char    *actor,
                                         gint64         id,
                                         const char    *route,
                                         FoDay          claim_date,
                                         GError       **error);
gboolean    fo_claims_submit            (FoStore       *store,
                                         FoPlanSet     *plans,
                                         const char    *actor,
                                         gint64         id,
                                         GError       **error);
gboolean    fo_claims_agree             (FoStore       *store,
                                         const char    *actor,
                                         gint64         id,
                                         const char    *plan_role,
                                         GError       **error);
gboolean    fo_claims_approve           (FoStore       *store,
                                         FoPlanSet     *plans,
                                         const char    *actor,
                                         gint64         id,
                                         GError       **error);
gboolean    fo_claims_reject            (FoStore       *store,
                                         const char    *actor,
                                         gint64         id,
                                         const char    *reason,
                                         GError       **error);
gboolean    fo_claims_withdraw          (FoStore       *store,
                                         const char    *actor,
                                         gint64         id,
                                         const char    *reason,
                                         GError       **error);
gboolean    fo_claims_reverse           (FoStore       *store,
                                         const char    *actor,
                                         gint64         id,
                                         const char    *reason,
                                         GError       **error);
gboolean    fo_claims_mark_returned     (FoStore       *store,
                                         const char    *actor,
                                         const gint64  *ids,
                                         guint          n_ids,
                                         const char    *return_ref,
                                         GError       **error);

FoClaim    *fo_claims_get               (FoStore       *store,
                                         gint64         id,
                                         gboolean       with_snapshot,
                                         GError       **error);
GPtrArray  *fo_claims_list              (FoStore       *store,
                                         const FoClaimFilter *filter,
                                         GError       **error);
gint64      fo_claims_count             (FoStore       *store,
                                         const FoClaimFilter *filter,
                                         GError       **error);
GPtrArray  *fo_claims_approved_between  (FoStore       *store,
                                         FoDay          from,
                                         FoDay          to,
                                         GError       **error);
GPtrArray  *fo_claims_sample            (FoStore       *store,
                                         double         percent,
                                         guint32        seed,
                                         FoDay          from,
                                         FoDay          to,
                                         GError       **error);
char       *fo_claims_export_csv        (FoStore       *store,
                                         FoDay          from,
                                         FoDay          to,
                                         GArray        *out_returnable,
                                         GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FoUser, fo_user_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FoClaim, fo_claim_free)

G_END_DECLS
