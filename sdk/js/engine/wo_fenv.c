/* See wo_fenv.h: directed rounding for QuickJS's printf-based number formatting. */
#include <fenv.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define WO_FE_DOWNWARD 0x400
#define WO_FE_UPWARD 0x800

/* Enough for the exact expansion of any double: at most 767 significant digits, 1074
   fractional ones, 309 integral ones. */
#define EXACT_DIGITS 1100
static char exact[EXACT_DIGITS + 400];

static int rounding = FE_TONEAREST;

int wo_fesetround(int mode) {
    if (mode != FE_TONEAREST && mode != WO_FE_DOWNWARD && mode != WO_FE_UPWARD) return 1;
    rounding = mode;
    return 0;
}

/* Adds one unit in the last place to the digits in s[0..n); returns 1 on a carry out. */
static int increment(char *s, size_t n) {
    while (n > 0) {
        if (s[n - 1] != '9') {
            s[n - 1]++;
            return 0;
        }
        s[--n] = '0';
    }
    return 1;
}

static int has_nonzero(const char *s, const char *end) {
    for (; s < end; s++)
        if (*s >= '1' && *s <= '9') return 1;
    return 0;
}

/* Whether rounding a value of this sign whose dropped digits are non-zero moves it away
   from zero. */
static int away_from_zero(int negative) {
    return negative ? rounding == WO_FE_DOWNWARD : rounding == WO_FE_UPWARD;
}

/* "%.*f": [-]int[.frac] with `prec` fractional digits. */
static int format_fixed(char *buf, size_t size, int prec, double d) {
    snprintf(exact, sizeof exact, "%.*f", prec + EXACT_DIGITS, d); /* exact: nearest == true value */
    int negative = exact[0] == '-';
    char *digits = exact + negative;
    char *dot = strchr(digits, '.');
    size_t int_len = (size_t)(dot - digits);
    /* Make "int" and "frac" one run of digits by closing the dot's gap. */
    memmove(digits + 1, digits, int_len);
    digits++;
    size_t keep = int_len + (size_t)prec;
    char carry_digit[2] = "";
    if (has_nonzero(digits + keep, digits + strlen(digits)) && away_from_zero(negative) && increment(digits, keep))
        carry_digit[0] = '1';
    char out[EXACT_DIGITS + 400];
    int n = snprintf(out, sizeof out, "%s%s%.*s%s%.*s", negative ? "-" : "", carry_digit, (int)int_len, digits,
                     prec > 0 ? "." : "", prec, digits + int_len);
    return snprintf(buf, size, "%s", out) < 0 ? -1 : n;
}

/* "%+.*e": sign, one digit, [.prec digits], e, exponent sign, at least two exponent digits. */
static int format_exponential(char *buf, size_t size, int prec, double d) {
    snprintf(exact, sizeof exact, "%+.*e", EXACT_DIGITS, d);
    int negative = exact[0] == '-';
    char *e = strchr(exact, 'e');
    int exponent = 0;
    sscanf(e + 1, "%d", &exponent);
    /* exact = "+d.ddd...": gather the mantissa digits without the dot. */
    char mantissa[EXACT_DIGITS + 2];
    mantissa[0] = exact[1];
    size_t frac_len = (size_t)(e - (exact + 3));
    memcpy(mantissa + 1, exact + 3, frac_len);
    size_t total = 1 + frac_len;
    size_t keep = 1 + (size_t)prec;
    if (has_nonzero(mantissa + keep, mantissa + total) && away_from_zero(negative) && increment(mantissa, keep)) {
        mantissa[0] = '1'; /* 9.99 -> 10.0: the digits are all zeros now */
        exponent++;
    }
    return snprintf(buf, size, "%c%c%s%.*se%c%02d", negative ? '-' : '+', mantissa[0], prec > 0 ? "." : "", prec,
                    mantissa + 1, exponent < 0 ? '-' : '+', exponent < 0 ? -exponent : exponent);
}

int wo_snprintf(char *buf, size_t size, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n;
    if (rounding != FE_TONEAREST && strcmp(fmt, "%.*f") == 0) {
        int prec = va_arg(ap, int);
        n = format_fixed(buf, size, prec, va_arg(ap, double));
    } else if (rounding != FE_TONEAREST && strcmp(fmt, "%+.*e") == 0) {
        int prec = va_arg(ap, int);
        n = format_exponential(buf, size, prec, va_arg(ap, double));
    } else {
        n = vsnprintf(buf, size, fmt, ap);
    }
    va_end(ap);
    return n;
}
