/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "fo-date.h"

G_BEGIN_DECLS

#define FO_MAX_MEMBERS 64
#define FO_STAR_AREAS 10

typedef enum
{
  FO_ROLE_PARENT,
  FO_ROLE_CARER,
  FO_ROLE_CHILD,
  FO_ROLE_OTHER,
  FO_N_ROLES
} FoRole;

/* Declared event kinds. The order is the order of fo_kind_names[]. */
typedef enum
{
  FO_KIND_ATTENDANCE,
  FO_KIND_EXCLUSION,
  FO_KIND_ASB_INCIDENT,
  FO_KIND_ASB_INTERVENTION,
  FO_KIND_OFFENCE,
  FO_KIND_ARREST,
  FO_KIND_NAMED_SUSPECT,
  FO_KIND_DA_NOTIFICATION,
  FO_KIND_MISSING_EPISODE,
  FO_KIND_MARAC_REFERRAL,
  FO_KIND_REFERRAL,
  FO_KIND_ENFORCEMENT_ACTION,
  FO_KIND_CONVICTION,
  FO_KIND_BIRTH,
  FO_KIND_CASE,
  FO_KIND_ORDER,
  FO_KIND_BENEFIT,
  FO_KIND_EMPLOYMENT,
  FO_KIND_ENGAGEMENT,
  FO_KIND_STATUS,
  FO_KIND_ASSESSMENT,
  FO_KIND_STAR_READING,
  FO_KIND_EVIDENCE,
  FO_KIND_IDENTIFIED,
  FO_N_KINDS
} FoKind;

typedef enum
{
  FO_LEVEL_UNSET = -1,
  FO_LEVEL_NONE,
  FO_LEVEL_SOMEWHAT,
  FO_LEVEL_FULLY,
} FoLevel;

extern const char *const fo_kind_names[];
extern const char *const fo_role_names[];
extern const char *const fo_star_area_names[];
extern const char *const fo_level_names[];

gboolean    fo_kind_is_spell      (FoKind kind);
int         fo_kind_from_name     (const char *name);
int         fo_star_area_from_name (const char *name);
const char *fo_star_area_label    (guint area);

struct _FoMember
{
  guint   index;
  char   *id;
  char   *name;
  FoRole  role;
  char   *sex;
  char   *upn;
  char   *person_ref;
  FoDay   dob;
  FoDay   household_from;
  FoDay   household_to;
};

struct _FoEvent
{
  char    *id;
  FoKind   kind;
  /* The strings belong to the family's string chunk (records read from the store): replace
   * them, never free them. */
  gboolean shared_strings;
  int      member;          /* index into members, or -1 for the whole family */
  FoDay    start;           /* the date of a point event */
  FoDay    end;             /* spells only; 0 while ongoing */
  char    *type;
  char    *end_reason;
  char    *term;
  double   days;
  double   hours;
  double   score;
  double   hours_per_week;
  gint64   possible;
  gint64   attended;
  gint64   unauthorised;
  gint8    scores[FO_STAR_AREAS];
  char    *taken_by;
  FoLevel  level;
  char    *indicator;
  char    *outcome;
  char    *author;
  char    *author_role;
  char    *approved_by;
  char    *approver_role;
  FoDay    approved_on;
  FoDay    covers_from;
  FoDay    covers_to;
  char    *tool;
  char    *text;
  char    *source;
  char    *note;
};

struct _FoFamily
{
  char      *reference;
  char      *name;
  char      *key_worker;
  char      *plan;
  FoDay      entry_date;
  FoDay      closure_date;
  char      *closure_reason;
  GPtrArray *members;       /* FoMember */
  GPtrArray *events;        /* FoEvent, sorted by start date */
  GPtrArray *by_kind[FO_N_KINDS]; /* borrowed FoEvent, sorted by start date */
  GStringChunk *strings;    /* shared by records read from the store */
  guint32    member_kinds[FO_MAX_MEMBERS]; /* bit k: the member has a record of kind k */
  guint32    family_kinds;                  /* the same for records of the whole family */
};

FoFamily       *fo_family_new        (void);
FoMember       *fo_member_new        (void);
void            fo_member_free       (FoMember    *member);
FoEvent        *fo_event_new         (FoKind       kind);
void            fo_event_free        (FoEvent     *event);
void            fo_family_take_member (FoFamily   *family,
                                       FoMember   *member);
void            fo_family_take_event (FoFamily    *family,
                                      FoEvent     *event);
gboolean        fo_family_finish     (FoFamily    *family,
                                      GError     **error);
JsonNode       *fo_family_to_json    (const FoFamily *family);
void            fo_json_builder_set_string (JsonBuilder *builder,
                                            const char  *key,
                                            const char  *value);
void            fo_json_builder_set_day (JsonBuilder *builder,
                                         const char  *key,
                                         FoDay        day);
gboolean        fo_type_in           (const char   *type,
                                      char *const  *types);
FoDay           fo_event_last_day    (const FoEvent *event,
                                      FoDay         open_until);
FoFamily       *fo_family_load_file  (const char  *file,
                                      GError     **error);
FoFamily       *fo_family_load_node  (const char  *file,
                                      JsonNode    *root,
                                      GError     **error);
void            fo_family_free       (FoFamily    *family);
const FoMember *fo_family_member     (const FoFamily *family,
                                      guint        index);
int             fo_family_member_index (const FoFamily *family,
                                        const char *id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FoFamily, fo_family_free)

G_END_DECLS
