# reliability.R - R's side of tests/stats/reliability.sh.
#
#   Rscript reliability.R generate DIR   writes the seeded data sets DIR/*.csv
#   Rscript reliability.R psych DIR      writes DIR/NAME.r.json for each CSV
#
# The figures come from psych::alpha (its defaults: pairwise covariances,
# items without variance deleted) and psych::fa(r, nfactors = 1,
# fm = "minres") on the correlation matrix alpha uses, cov2cor(cov(x, use =
# "pairwise")). Omega total is computed here from fa's loadings and
# uniquenesses, (sum L)^2 / ((sum L)^2 + sum u), not with psych::omega (which
# fits a bifactor model). Besides psych's own minres answer, which stops when
# optim's relative change in fit falls below 2.2e-9, this also writes the
# exact minimum of the same criterion: psych's solution iterated to a fixed
# point (communalities = diag(L L'), uniquenesses in [0.005, 1]) with R's own
# eigen(), to 1e-14.
suppressMessages(library(psych))

args <- commandArgs(trailingOnly = TRUE)
mode <- args[1]
dir <- args[2]

# ---- data sets ---------------------------------------------------------------

# One data set: people x items answers on 0..top from one latent factor, with
# ties by construction (rounding); optionally missing answers, reverse-worded
# items (generated reversed, then reversed back as the caller must), and a
# constant column.
make_set <- function(people, items, top, variant) {
  f <- rnorm(people)
  weights <- runif(items, 0.3, 1)
  reversed <- variant == "reverse" & seq_len(items) %% 3 == 0
  x <- sapply(seq_len(items), function(j) {
    raw <- top / 2 + weights[j] * f * top / 3 + rnorm(people, sd = top / 4)
    if (reversed[j]) raw <- top - raw
    pmin(top, pmax(0, round(raw)))
  })
  x <- matrix(x, nrow = people)
  x[, reversed] <- top - x[, reversed]       # the caller reverses reverse items
  if (variant == "missing") {
    x[sample(length(x), max(1, round(0.08 * length(x))))] <- NA
  }
  if (variant == "constant") x[, 2] <- top %/% 2
  colnames(x) <- paste0("q", seq_len(items))
  x
}

generate <- function(dir) {
  set.seed(20261126)
  for (people in c(2, 5, 30, 200)) {
    for (top in c(3, 10)) {
      for (variant in c("plain", "missing", "reverse", "constant")) {
        items <- sample(4:12, 1)
        x <- make_set(people, items, top, variant)
        name <- sprintf("%s/n%d_top%d_%s_k%d.csv", dir, people, top, variant, items)
        write.csv(x, name, row.names = FALSE, na = "")
      }
    }
  }
}

# ---- psych -------------------------------------------------------------------

json_num <- function(v) {
  if (length(v) == 0) return("[]")
  s <- ifelse(is.finite(v), sprintf("%.17g", v), "null")
  if (length(v) == 1) s else paste0("[", paste(s, collapse = ", "), "]")
}

json_str <- function(s) sprintf("\"%s\"", gsub("[\"\\\\\n]", " ", s))

# psych's minres solution iterated to its exact fixed point.
exact_minres <- function(R, L) {
  h <- pmin(pmax(L^2, 0), 1 - 0.005)
  for (i in 1:100000) {
    S <- R
    diag(S) <- h
    e <- eigen(S, symmetric = TRUE)
    L <- e$vectors[, 1] * sqrt(max(e$values[1], 0))
    nh <- pmin(pmax(L^2, 0), 1 - 0.005)
    change <- max(abs(nh - h))
    h <- nh
    if (change < 1e-14) break
  }
  S <- R
  diag(S) <- h
  e <- eigen(S, symmetric = TRUE)
  L <- e$vectors[, 1] * sqrt(max(e$values[1], 0))
  if (sum(L) < 0) -L else L
}

# Alpha from a covariance or correlation matrix whose entries add up to zero
# but for rounding is rounding noise (psych then reports figures such as 6e15);
# the engine says it cannot be computed, and so is it marked here (NA): the
# same rule, a sum within 1e-10 of the sum of the absolute values of zero.
degenerate <- function(C, R) {
  flat <- function(M) any(is.na(M)) || abs(sum(M)) <= 1e-10 * sum(abs(M))
  flat(C) || flat(R)
}

omega_of <- function(L, u) sum(L)^2 / (sum(L)^2 + sum(u))

# The figures for one CSV, spread back over all its items (NA for deleted).
psych_figures <- function(x) {
  out <- list()
  p <- ncol(x)
  sds <- apply(x, 2, sd, na.rm = TRUE)
  kept <- !(is.na(sds) | sds <= 0)
  out$kept <- sprintf("[%s]", paste(ifelse(kept, "true", "false"), collapse = ", "))
  spread <- function(v) { all <- rep(NA, p); all[kept] <- v; all }
  a <- tryCatch(suppressWarnings(alpha(x, warnings = FALSE)),
                error = function(e) conditionMessage(e))
  C <- cov(x[, kept, drop = FALSE], use = "pairwise")
  R <- suppressWarnings(cov2cor(C))
  if (is.character(a)) {
    out$alpha_error <- json_str(a)
  } else {
    k <- sum(kept)
    total_bad <- degenerate(C, R)
    drop_bad <- sapply(seq_len(k), function(i) degenerate(C[-i, -i], R[-i, -i]))
    r_drop_bad <- sapply(seq_len(k), function(i) degenerate(C[-i, -i], C[-i, -i]))
    out$alpha_raw <- json_num(if (total_bad) NA else a$total$raw_alpha)
    out$alpha_std <- json_num(if (total_bad) NA else a$total$std.alpha)
    out$r_drop <- json_num(spread(ifelse(r_drop_bad, NA, a$item.stats$r.drop)))
    if (k > 2) {
      out$drop_raw <- json_num(spread(ifelse(drop_bad, NA, a$alpha.drop$raw_alpha)))
      out$drop_std <- json_num(spread(ifelse(drop_bad, NA, a$alpha.drop$std.alpha)))
    }
  }
  if (sum(kept) >= 3 && !any(is.na(R))) {
    out$R <- sprintf("[%s]", paste(apply(R, 1, json_num), collapse = ", "))
    f <- tryCatch(suppressWarnings(suppressMessages(
      fa(R, nfactors = 1, fm = "minres", warnings = FALSE))),
      error = function(e) conditionMessage(e))
    if (is.character(f)) {
      out$fa_error <- json_str(f)
    } else {
      L <- as.vector(f$loadings)
      out$loadings <- json_num(spread(L))
      out$omega <- json_num(omega_of(L, f$uniquenesses))
      X <- exact_minres(R, L)
      out$exact_loadings <- json_num(spread(X))
      out$exact_omega <- json_num(omega_of(X, 1 - X^2))
    }
  }
  paste0("{", paste(sprintf("\"%s\": %s", names(out), unlist(out)), collapse = ", "), "}\n")
}

if (mode == "generate") {
  generate(dir)
} else if (mode == "psych") {
  for (csv in list.files(dir, pattern = "\\.csv$", full.names = TRUE)) {
    x <- as.matrix(read.csv(csv))
    invisible(capture.output(json <- psych_figures(x)))
    cat(json, file = sub("\\.csv$", ".r.json", csv))
  }
} else {
  stop("usage: Rscript reliability.R generate|psych DIR")
}
