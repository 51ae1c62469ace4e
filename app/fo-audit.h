/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "fo-store.h"

G_BEGIN_DECLS

/* One record of the append-only audit log. */
typedef struct
{
  gint64  id;
  char   *at;           /* ISO 8601, UTC */
  char   *actor;
  char   *action;       /* "create", "update", "prepare", "approve", … */
  char   *entity;       /* "family", "families", "feed", "claim", "user" */
  char   *entity_id;
  char   *before;       /* JSON, or NULL */
  char   *after;
} FoAuditRecord;

/* What fo_audit_verify () found. */
typedef struct
{
  guint64    records;
  gint64     first_broken;   /* the first record whose chain is broken; 0 when none is */
  char      *head_hash;      /* the last record's hash: write it down to detect truncation */
  GPtrArray *problems;       /* char *, in order; empty when the log and the claims agree */
} FoAuditReport;

FoAuditReport *fo_audit_verify        (FoStore        *store,
                                       GError        **error);
gboolean       fo_audit_report_ok     (const FoAuditReport *report);
void           fo_audit_report_free   (FoAuditReport  *report);
GPtrArray     *fo_audit_history       (FoStore        *store,
                                       const char     *reference,
                                       GError        **error);
void           fo_audit_record_free   (FoAuditRecord  *record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FoAuditReport, fo_audit_report_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FoAuditRecord, fo_audit_record_free)

G_END_DECLS
