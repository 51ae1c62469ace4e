/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The claims, users and audit commands of family-outcomes-cli; argv[0] is the command. */
int fo_cli_claims (int    argc,
                   char **argv);
int fo_cli_users  (int    argc,
                   char **argv);
int fo_cli_audit  (int    argc,
                   char **argv);

G_END_DECLS
