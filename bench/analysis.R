# analysis.R - the network's check-in outcomes analysis in base R, the
# reference and the rival for `hearth analyse --network` (bench/analysis.sh).
#
#   Rscript bench/analysis.R ANSWERS.csv TAGS.csv OUT.csv
#
# ANSWERS.csv: one row per consented finished Rosenberg check-in:
# person_id, group_id, checkin_id, finished_at (Unix ms), rse1..rse10.
# TAGS.csv: group_id, tag (the network's group tags).
#
# The analysis is Hearth's (docs/statistics.md, src/app/outcome.c): each
# item scored 0-3, the reverse-worded items (2, 5, 6, 8, 9) turned round
# (3 - value), the total the sum of the ten (no score when any is missing:
# the scale does not prorate); per person and group, in time order, the
# first scored check-in is the baseline and the last later one the latest;
# over everyone with both, the paired t-test and its 95% interval of the
# mean change, the Wilcoxon signed-rank test, and the Jacobson-Truax
# reliable-change counts (reference SD 5.8, reliability 0.85: |RCI| > 1.96).
# The same figures for all groups, for each group tag and for each calendar
# quarter (UTC) of the pair's latest check-in. OUT.csv holds one row per
# figure set, numbers to 17 significant digits.
#
# Prints "read SECONDS" (reading the CSV files) and "analysis SECONDS" (the
# rest, with the data in memory).
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 3)
	stop("usage: Rscript analysis.R ANSWERS.csv TAGS.csv OUT.csv")

items <- paste0("rse", 1:10)
reversed <- c(2, 5, 6, 8, 9)
ref_sd <- 5.8
reliability <- 0.85

t0 <- proc.time()[["elapsed"]]
d <- read.csv(args[1], colClasses = c(rep("character", 3), "numeric", rep("integer", 10)))
tags <- read.csv(args[2], colClasses = c("character", "character"))
t1 <- proc.time()[["elapsed"]]

# Time order within person and group (ids are same-length digit strings,
# so the radix sort's byte order is their numeric order).
d <- d[order(d$person_id, d$group_id, d$finished_at, d$checkin_id, method = "radix"), ]
m <- as.matrix(d[items])
m[, reversed] <- 3L - m[, reversed]
score <- rowSums(m)                       # NA when any item is missing
n <- nrow(d)
starts <- c(TRUE, d$person_id[-1] != d$person_id[-n] | d$group_id[-1] != d$group_id[-n])
pair <- cumsum(starts)
# The pair's latest check-in (scored or not) dates it.
last_row <- !duplicated(pair, fromLast = TRUE)
latest_at <- d$finished_at[last_row]
pair_group <- d$group_id[last_row]
scored <- which(!is.na(score))
sp <- pair[scored]
first <- scored[!duplicated(sp)]
last <- scored[!duplicated(sp, fromLast = TRUE)]
both <- first != last                     # a baseline and a later score
x1 <- score[first][both]
x2 <- score[last][both]
who <- sp[!duplicated(sp)][both]          # the pair each (x1, x2) belongs to
at <- latest_at[who]
grp <- pair_group[who]

s_diff <- sqrt(2) * ref_sd * sqrt(1 - reliability)
figures <- function(split, label, keep) {
	a <- x1[keep]
	b <- x2[keep]
	k <- length(a)
	out <- data.frame(split = split, label = label, n = k, baseline_mean = NA, latest_mean = NA,
			  mean_change = NA, ci_lo = NA, ci_hi = NA, t = NA, df = NA, p = NA,
			  wilcoxon_v = NA, wilcoxon_p = NA, improved = NA, no_change = NA, worse = NA)
	if (k < 2)
		return(out)
	tt <- t.test(b, a, paired = TRUE)
	w <- suppressWarnings(wilcox.test(b, a, paired = TRUE))
	rci <- (b - a) / s_diff
	out[, 4:16] <- list(mean(a), mean(b), tt$estimate[[1]], tt$conf.int[1], tt$conf.int[2],
			    tt$statistic[[1]], tt$parameter[[1]], tt$p.value, w$statistic[[1]], w$p.value,
			    sum(rci > 1.96), sum(abs(rci) <= 1.96), sum(rci < -1.96))
	out
}

rows <- list(figures("all", "All groups", rep(TRUE, length(x1))))
for (tag in sort(unique(tags$tag)))
	rows[[length(rows) + 1]] <- figures("tag", tag, grp %in% tags$group_id[tags$tag == tag])
lt <- as.POSIXlt(at / 1000, origin = "1970-01-01", tz = "UTC")
quarter <- (lt$year + 1900) * 4 + lt$mon %/% 3
for (q in sort(unique(quarter)))
	rows[[length(rows) + 1]] <- figures("period", sprintf("%d Q%d", q %/% 4, q %% 4 + 1), quarter == q)
result <- do.call(rbind, rows)
t2 <- proc.time()[["elapsed"]]

write.csv(format(result, digits = 17), args[3], row.names = FALSE)
cat(sprintf("read %.3f\nanalysis %.3f\n", t1 - t0, t2 - t1))
