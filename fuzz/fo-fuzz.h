/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdint.h>
#include <stdlib.h>

#include <glib.h>

G_BEGIN_DECLS

/* Each target defines these two. libFuzzer calls them in the fuzz build; in the normal build
 * tests/fuzz-replay.c calls them on every saved input, so that a crash found once stays
 * fixed. */
int LLVMFuzzerInitialize   (int           *argc,
                            char        ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* A critical or a warning reached from input is a bug the fuzzer should stop on, as the
 * tests' G_DEBUG=fatal-criticals does. GSlice would hide its blocks from AddressSanitizer. */
static inline void
fo_fuzz_setup (void)
{
  g_setenv ("G_SLICE", "always-malloc", TRUE);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
}

/* The input as a NUL-terminated string; text past an embedded NUL is cut off, as any C caller
 * would see it. */
static inline char *
fo_fuzz_strndup (const uint8_t *data,
                 size_t         size)
{
  return g_strndup ((const char *) data, size);
}

G_END_DECLS
