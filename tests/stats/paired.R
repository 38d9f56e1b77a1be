# paired.R - the reference for tests/stats/paired.sh: computes with base R
# what tests/stats/paired_driver prints for the same CSV of pairs, as JSON.
#
#   Rscript paired.R FILE.csv
#
# A statistic R refuses (an error) or cannot give (NaN, Inf) is printed as
# null; the C engine must then say "cannot be computed". The d_z interval is
# found exactly as the engine documents it: uniroot over pt(t, n - 1, ncp).
args <- commandArgs(trailingOnly = TRUE)
data <- read.csv(args[1], na.strings = c("NA", ""))
x1 <- as.numeric(data[[1]]); x2 <- as.numeric(data[[2]])
ok <- complete.cases(x1, x2)
a <- x1[ok]; b <- x2[ok]; d <- b - a; n <- length(d)

num <- function(v) {
  if (is.null(v) || length(v) != 1 || !is.finite(v)) "null"
  else formatC(v, digits = 17, format = "g")
}
obj <- function(fields) {
  paste0("{", paste0('"', names(fields), '": ', unlist(fields), collapse = ", "), "}")
}
try_or_null <- function(expr) tryCatch(suppressWarnings(expr), error = function(e) NULL)

describe <- function(x) {
  x <- x[is.finite(x)]
  m <- length(x)
  q <- if (m) quantile(x, c(.25, .75), type = 7, names = FALSE) else c(NA, NA)
  list(n = m, mean = num(if (m) mean(x)), sd = num(if (m > 1) sd(x)),
       median = num(if (m) median(x)), q1 = num(q[1]), q3 = num(q[2]),
       min = num(if (m) min(x)), max = num(if (m) max(x)))
}
describe_raw <- function(x) c(describe(x), list(n_missing = sum(!is.finite(x))))

tt <- try_or_null(t.test(b, a, paired = TRUE))
if (!is.null(tt) && !is.finite(tt$statistic)) tt <- NULL   # 0/0: no spread, no test
t_part <- list(mean = num(if (n) mean(d)), sd = num(if (n > 1) sd(d)),
               ci_lo = num(tt$conf.int[1]), ci_hi = num(tt$conf.int[2]),
               t = num(tt$statistic), df = num(tt$parameter), p = num(tt$p.value))

w <- try_or_null(wilcox.test(b, a, paired = TRUE))
nz <- d[d != 0]
w_part <- list(v = num(if (length(nz)) w$statistic), p = num(w$p.value),
               n_nonzero = length(nz), n_zero = sum(d == 0),
               ties = tolower(length(unique(abs(nz))) != length(nz)),
               exact = tolower(!is.null(w) && grepl("exact", w$method)))
if (!length(nz)) w_part$exact <- NULL   # no test, nothing to compare

# The noncentrality interval: pt(t, df, ncp) falls as ncp grows.
ncp_root <- function(t, df, p)
  uniroot(function(ncp) pt(t, df, ncp) - p, c(t - 1, t + 1),
          extendInt = "downX", tol = 1e-13, maxiter = 10000)$root
dz_ci <- if (!is.null(tt)) try_or_null(c(
  ncp_root(tt$statistic, tt$parameter, .975),
  ncp_root(tt$statistic, tt$parameter, .025)) / sqrt(n))
effect <- function(est, ci) list(estimate = num(est), ci_lo = num(ci[1]), ci_hi = num(ci[2]))

sd_av <- if (n > 1) (sd(a) + sd(b)) / 2 else NA
dz <- if (!is.null(tt)) mean(d) / sd(d)
dav <- if (n > 1 && sd_av > 0) mean(d) / sd_av
dav_ci <- if (!is.null(dav) && !is.null(dz_ci)) dz_ci * sd(d) / sd_av
j <- if (n >= 3) 1 - 3 / (4 * (n - 1) - 1)
scaled <- function(x) if (!is.null(j) && !is.null(x)) j * x

cat(obj(list(
  n = n, n_incomplete = sum(!ok),
  x1_raw = obj(describe_raw(x1)),
  before = obj(describe(a)), after = obj(describe(b)), diff = obj(describe(d)),
  t = obj(t_part), wilcoxon = obj(w_part), hedges_j = num(j),
  d_z = obj(effect(dz, dz_ci)), d_av = obj(effect(dav, dav_ci)),
  g_z = obj(effect(scaled(dz), scaled(dz_ci))),
  g_av = obj(effect(scaled(dav), scaled(dav_ci)))
)), "\n")
