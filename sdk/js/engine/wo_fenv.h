/*
 * Directed rounding for QuickJS's number formatting, forced into quickjs.c with `-include`.
 *
 * QuickJS prints numbers with printf and asks for FE_DOWNWARD/FE_UPWARD (fesetround) to
 * implement JavaScript's "round half away from zero" in toFixed, toPrecision and
 * toExponential. WebAssembly has no rounding modes, so wasi-libc's fesetround refuses them,
 * and without this shim (0.5).toFixed(0) would print "0". Here fesetround records the mode
 * and snprintf applies it itself to the two formats QuickJS prints under a directed mode
 * ("%.*f" and "%+.*e"), from the exact decimal expansion that musl's printf produces.
 */
#ifndef WO_FENV_H
#define WO_FENV_H

#include <fenv.h>
#include <stddef.h>
#include <stdio.h>

#undef FE_DOWNWARD
#undef FE_UPWARD
#define FE_DOWNWARD 0x400
#define FE_UPWARD 0x800

int wo_fesetround(int mode);
int wo_snprintf(char *buf, size_t size, const char *fmt, ...);

#define fesetround wo_fesetround
#define snprintf wo_snprintf

#endif
